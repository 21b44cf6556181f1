import BridgeCore
import Foundation

/// The repository's own Dialogs/ and Config/, which the tests exercise as operators ship them.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var configPath: String { root.appendingPathComponent("Config/smsbridge.yaml").path }

    /// Loaded once: every engine test uses the same files.
    static let configuration: BridgeConfiguration = {
        do {
            return try ConfigurationLoader.loadValidated(configPath)
        } catch {
            fatalError("the shipped configuration must validate:\n\(error)")
        }
    }()

    static var prishtina: Deployment { configuration.deployment(id: "prishtina")! }
    static var casablanca: Deployment { configuration.deployment(id: "casablanca")! }
}

/// A copy of Dialogs/ and Config/ in a temporary folder, edited to break one thing.
struct EditedConfiguration {
    let directory: URL
    var configPath: String { directory.appendingPathComponent("Config/smsbridge.yaml").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["Config", "Dialogs"] {
            try FileManager.default.copyItem(at: Repository.root.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
    }

    func path(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    func read(_ relative: String) throws -> String { try String(contentsOf: path(relative), encoding: .utf8) }

    func write(_ relative: String, _ text: String) throws { try text.write(to: path(relative), atomically: true, encoding: .utf8) }

    /// Replaces the first occurrence of `old` (which must exist) and returns its 1-based line.
    @discardableResult
    func replace(_ relative: String, _ old: String, with new: String) throws -> Int {
        let text = try read(relative)
        guard let range = text.range(of: old) else { throw FixtureError("'\(old)' not found in \(relative)") }
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        try write(relative, text.replacingCharacters(in: range, with: new))
        return line
    }

    /// The 1-based line of the first occurrence of `text`.
    func line(of text: String, in relative: String) throws -> Int {
        let content = try read(relative)
        guard let range = content.range(of: text) else { throw FixtureError("'\(text)' not found in \(relative)") }
        return content[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    func diagnostics() -> [Diagnostic] {
        let (configuration, loadDiagnostics) = ConfigurationLoader.load(configPath)
        var all = loadDiagnostics
        if let configuration { all.append(contentsOf: ConfigurationValidator.validate(configuration).diagnostics) }
        return all.sorted
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
