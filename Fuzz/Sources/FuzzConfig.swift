import BridgeCore
import Foundation

/// Fuzzes the operator files: the loader (YAML syntax, shapes, cross-file references) and the
/// validator must turn any file into `file:line` diagnostics, never a crash.
///
/// Input: byte 0 picks which shipped file is replaced by the rest of the input, in a copy of
/// Config/ and Dialogs/ made once per process (in FUZZ_WORKDIR, else the temporary folder);
/// the other files stay as shipped. The file is put back after each run.
enum FuzzConfig {
    static let files = [
        "Config/smsbridge.yaml",
        "Config/deployments/prishtina.yaml",
        "Config/deployments/casablanca.yaml",
        "Dialogs/report.yaml",
        "Config/categories.yaml",
        "Config/landmarks/prishtina.yaml",
        "Config/landmarks/casablanca.yaml",
    ]

    /// The copy, and each file's shipped bytes.
    static let workspace: (directory: String, originals: [Data]) = {
        let manager = FileManager.default
        let parent = ProcessInfo.processInfo.environment["FUZZ_WORKDIR"] ?? manager.temporaryDirectory.path
        let directory = parent + "/smsbridge-fuzz-config-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try? manager.removeItem(atPath: directory)
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for folder in ["Config", "Dialogs"] {
                try manager.copyItem(atPath: Shipped.root + "/" + folder, toPath: directory + "/" + folder)
            }
        } catch {
            fatalError("cannot copy the shipped files from \(Shipped.root) (set SMSBRIDGE_ROOT): \(error)")
        }
        let originals = files.map { manager.contents(atPath: directory + "/" + $0) ?? Data() }
        return (directory, originals)
    }()

    static func removeWorkspace() { try? FileManager.default.removeItem(atPath: workspace.directory) }

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let (directory, originals) = workspace
        let index = Int(selector) % files.count
        let path = directory + "/" + files[index]
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes.dropFirst())) else {
            fatalError("cannot write \(path)")
        }
        defer { _ = FileManager.default.createFile(atPath: path, contents: originals[index]) }

        let (configuration, diagnostics) = ConfigurationLoader.load(directory + "/Config/smsbridge.yaml")
        _ = diagnostics.sorted.map(\.description)
        if let configuration {
            let (more, costs) = ConfigurationValidator.validate(configuration)
            _ = more.sorted.map(\.description)
            _ = costs.filter { !$0.withinBudget }
        }
    }
}
