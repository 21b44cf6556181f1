import BridgeCore
import Foundation

/// How sessions and submissions are stored as JSON bytes, the same in both engines so a copied row decodes unchanged.
public enum StoreCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// The bytes a session is stored as. Public so a caller can encode outside the serialised write and keep the bytes
    /// to compare with what is stored later (``StoreTransaction/sessionData(deployment:phone:)``).
    public static func encodeSession(_ session: Session) throws -> Data { try SessionJSON.encode(session) }

    public static func decodeSession(_ data: Data) throws -> Session { try decoder.decode(Session.self, from: data) }
}
