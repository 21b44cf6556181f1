/// A name/value pair: an HTTP header or a form field. A struct rather than a tuple so request
/// specs can be compared in tests and order is kept exactly as sent.
public struct GatewayField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Equal ignoring ASCII case (header names are ASCII tokens); other bytes must match exactly.
    static func sameName(_ left: String, _ right: String) -> Bool {
        let left = left.utf8, right = right.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let lowerA = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            let lowerB = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}

extension Array where Element == GatewayField {
    /// The first value for `name` (exact, case-sensitive: form and query fields are).
    public func first(named name: String) -> String? {
        first { $0.name == name }?.value
    }

    /// The first non-empty value for `name`; empty strings count as absent, as in courier.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = first(named: name), !value.isEmpty else { return nil }
        return value
    }

    /// Every value for `name`, in arrival order (repeated keys).
    public func all(named name: String) -> [String] {
        filter { $0.name == name }.map(\.value)
    }

    /// Header lookup: case-insensitive, first match.
    /// Header names are ASCII tokens (RFC 9110), so they are compared byte by byte, ignoring ASCII case, without
    /// lower-casing copies of every name on every lookup.
    public func header(_ name: String) -> String? {
        first { GatewayField.sameName($0.name, name) }?.value
    }
}
