/// A name/value pair: an HTTP header or a form field. A struct rather than a tuple so request
/// specs can be compared in tests and order is kept exactly as sent.
public struct GatewayField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
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
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }?.value
    }
}
