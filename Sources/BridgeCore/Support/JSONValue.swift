import Foundation

/// Any JSON document, read without a schema and leniently: providers and platforms type their payloads loosely
/// (Vonage sends every value as a string, Infobip ids as strings and codes as numbers, FixMyStreet coordinates as
/// strings and Perl truthiness for flags). One type for the gateways and the platform clients.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The document in `bytes`, or nil when they are not JSON (an HTML error page served with 200, say).
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONParser.parse(bytes)
    }

    /// The document in `bytes`, or why it is not JSON (with the byte offset), for an error an operator can act on.
    public static func parsing(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw JSONSyntaxError(offset: error.offset, reason: error.reason)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Strings as they are; numbers written the way an id is (`1234`, not `1234.0`); booleans as JSON spells them.
    public var text: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): Int64(exactly: value).map { String($0) } ?? String(value)
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }

    /// A non-empty `text`.
    public var nonEmptyText: String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// A number, or a string holding one (`"42.662914"`).
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        case .string(let value): Double(value.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A whole number, or a string or number holding one.
    public var int: Int? {
        if case .integer(let value) = self { return value }
        return double.flatMap { Int(exactly: $0) }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value): value == "true" ? true : value == "false" ? false : nil
        default: nil
        }
    }

    /// Perl's idea of true: anything but `0`, `"0"`, `""`, `false`, `null`.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .integer(let value): value != 0
        case .number(let value): value != 0
        case .string(let value): !value.isEmpty && value != "0"
        case .array, .object: true
        }
    }
}

/// Why bytes are not a JSON document, and where.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "\(reason) at byte \(offset)" }
}
