import Foundation

/// A parsed JSON document, read leniently: FixMyStreet sends numbers as strings in some places
/// (coordinates, ids) and Perl truthiness (`1`, `"1"`, `true`) for flags.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
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

    /// The document in `bytes`, or nil when they are not JSON (an HTML error page, say).
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// A string, or a number written the way an id is (`1234`, not `1234.0`).
    var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if let integer = Int64(exactly: value) { return String(integer) }
            return String(value)
        default: return nil
        }
    }

    /// A number, or a string holding one (`"42.662914"`).
    var double: Double? {
        switch self {
        case .number(let value): return value
        case .string(let value): return Double(value.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    var int: Int? { double.flatMap { Int(exactly: $0) } }

    /// Perl's idea of true: anything but `0`, `"0"`, `""`, `false`, `null`.
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let value): return value
        case .number(let value): return value != 0
        case .string(let value): return !value.isEmpty && value != "0"
        case .array, .object: return true
        }
    }
}
