import Foundation
import Testing

@testable import smsbridge_fuzz

/// Every committed fuzz input, seeds and the reproducers of fixed crashes alike, runs through its
/// target in the normal build: a crash found by `scripts/fuzz` is fixed once and stays fixed.
/// Reproducers live beside the seeds as `Fuzz/corpus/<target>/crash-<what>`.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func corpusRunsWithoutCrashing(_ target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty, "no inputs in \(folder.path)")
        for name in names {
            target.run(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
        if target == .config { FuzzConfig.removeWorkspace() }
    }
}
