import BridgeCore
import Foundation

/// One binary, four libFuzzer targets (issue 7): `scripts/fuzz` builds it once with
/// `-sanitize=fuzzer,address -DFUZZING` and runs each target with `SMSBRIDGE_FUZZ_TARGET` set.
/// A plain build (no `FUZZING`) links it as a replay tool instead: `smsbridge-fuzz TARGET FILE|FOLDER…`
/// runs inputs through the same code, to reproduce a crash without the sanitizers.
enum FuzzTarget: String, CaseIterable, Sendable {
    case gateways, config, text, engine

    func run(_ bytes: [UInt8]) {
        switch self {
        case .gateways: FuzzGateways.run(bytes)
        case .config: FuzzConfig.run(bytes)
        case .text: FuzzText.run(bytes)
        case .engine: FuzzEngine.run(bytes)
        }
    }
}

/// The repository's shipped files, from SMSBRIDGE_ROOT or this file's place in it.
enum Shipped {
    static let root: String = ProcessInfo.processInfo.environment["SMSBRIDGE_ROOT"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let deployments: [Deployment] = {
        do {
            return try ConfigurationLoader.loadValidated(root + "/Config/smsbridge.yaml").deployments
        } catch {
            fatalError("the shipped configuration must validate (set SMSBRIDGE_ROOT to the repository):\n\(error)")
        }
    }()
}

#if FUZZING
/// libFuzzer's entry for programs with their own `main` (SwiftPM names the executable's entry point itself on Linux).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Chosen once in `main`, before the first input.
nonisolated(unsafe) private var selectedTarget: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@main struct FuzzDriver {
    static func main() {
        let name = ProcessInfo.processInfo.environment["SMSBRIDGE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set SMSBRIDGE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        selectedTarget = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzerTestOneInput))
    }
}
#else
@main struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: smsbridge-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE|FOLDER...")
            exit(2)
        }
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                print("no such file: \(path)")
                exit(1)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
            }
            print("\(name): ran \(files.count) input(s) from \(path)")
        }
        if target == .config { FuzzConfig.removeWorkspace() }
    }
}
#endif
