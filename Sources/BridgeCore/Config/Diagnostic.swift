/// One problem in an operator file, printed as `file:line: message` so editors and CI can jump to it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible, Error {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Collects every problem of a load instead of stopping at the first, so one `validate` run shows them all.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func report(_ file: String, _ line: Int, _ message: String) {
        items.append(Diagnostic(file: file, line: line, message: message))
    }

    public mutating func append(contentsOf other: Diagnostics) {
        items.append(contentsOf: other.items)
    }

    /// Sorted by file then line, without exact repeats (the same file can be loaded by two deployments).
    public var sorted: [Diagnostic] {
        var seen = Set<String>()
        return items
            .sorted { ($0.file, $0.line) < ($1.file, $1.line) }
            .filter { seen.insert($0.description).inserted }
    }
}

/// Thrown when operator files cannot be used: carries every diagnostic, each with file and line.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
