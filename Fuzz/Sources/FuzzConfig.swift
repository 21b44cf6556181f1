import BridgeCore
import Foundation

/// Fuzzes the operator files: the loader (YAML syntax, shapes, cross-file references) and the
/// validator must turn any file into `file:line` diagnostics, never a crash.
///
/// Input: byte 0 picks which shipped file is replaced by the rest of the input, in a copy of
/// Config/ and Dialogs/ made once per process (in FUZZ_WORKDIR, else the temporary folder);
/// the other files stay as shipped (but for shorter category and landmark lists, unless
/// SMSBRIDGE_FUZZ_FULL_CONFIG=1). The file is put back after each run.
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
        if ProcessInfo.processInfo.environment["SMSBRIDGE_FUZZ_FULL_CONFIG"] != "1" {
            // Loading the shipped files takes most of a second under the sanitizers, nearly all of it on the category
            // words and landmark aliases: keep a few of each (the last category, `other`, is the dialog's fallback).
            trimList(directory + "/Config/categories.yaml", keep: 3, keepLast: true)
            trimList(directory + "/Config/landmarks/prishtina.yaml", keep: 4, keepLast: false)
            trimList(directory + "/Config/landmarks/casablanca.yaml", keep: 4, keepLast: false)
        }
        let originals = files.map { manager.contents(atPath: directory + "/" + $0) ?? Data() }
        return (directory, originals)
    }()

    /// Keeps the first `keep` entries of the file's top-level list (and the last one when asked).
    private static func trimList(_ path: String, keep: Int, keepLast: Bool) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let chunks = text.components(separatedBy: "\n  - id: ")
        guard chunks.count > keep + 2 else { return }
        var kept = Array(chunks.prefix(keep + 1))
        if keepLast, let last = chunks.last { kept.append(last) }
        try? kept.joined(separator: "\n  - id: ").write(toFile: path, atomically: true, encoding: .utf8)
    }

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
