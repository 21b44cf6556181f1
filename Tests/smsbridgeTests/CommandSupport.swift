import BridgeCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The package checkout and the `smsbridge` executable SwiftPM built beside this test bundle.
enum Package {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `smsbridge`: next to the test runner (`.build/<triple>/debug/smsbridgePackageTests.xctest` on Linux,
    /// the `.xctest` bundle on macOS), else `.build/debug/`. `SMSBRIDGE_EXECUTABLE` overrides both.
    static let executable: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SMSBRIDGE_EXECUTABLE"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        var directories: [URL] = []
        if let runner = Bundle.main.executableURL { directories.append(runner.deletingLastPathComponent()) }
        for bundle in [Bundle.main] + Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        directories.append(root.appendingPathComponent(".build/debug"))
        candidates += directories.map { $0.appendingPathComponent("smsbridge") }
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: candidate.path)
        }
    }()

    static func requireExecutable() throws -> URL {
        try #require(executable, "smsbridge was not built next to the tests; run `swift build --build-tests` first")
    }

    /// The shipped configuration, to compare the executable's output with what the files say.
    static let configuration: BridgeConfiguration = {
        do {
            return try ConfigurationLoader.loadValidated(root.appendingPathComponent("Config/smsbridge.yaml").path)
        } catch {
            fatalError("the shipped configuration must validate:\n\(error)")
        }
    }()
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The outcome of a finished command.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}

/// A running `smsbridge`: write lines to its stdin, read its stdout as it comes, never wait longer than a deadline.
///
/// No sleeps: readers block on the pipes in the background and wake waiters through a condition.
final class RunningCommand: @unchecked Sendable {
    static let defaultTimeout: TimeInterval = 60
    static let turnComplete = #"{"turn_complete":true}"#

    private let process = Process()
    private let input = Pipe()
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var stdout = Data()
    private var stderr = Data()
    private var openStreams = 2
    private var exited = false
    private var inputClosed = false

    init(_ arguments: [String], in directory: URL = Package.root, environment: [String: String] = [:]) throws {
        _ = Self.ignoreBrokenPipe
        process.executableURL = try Package.requireExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        process.terminationHandler = { [condition] _ in
            condition.lock()
            self.exited = true
            condition.broadcast()
            condition.unlock()
        }
        try process.run()
        drain(output.fileHandleForReading, isStdout: true)
        drain(errors.fileHandleForReading, isStdout: false)
    }

    /// A dead child must make a write fail, not kill the test runner.
    private static let ignoreBrokenPipe: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private func drain(_ handle: FileHandle, isStdout: Bool) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                if data.isEmpty {
                    openStreams -= 1
                } else if isStdout {
                    stdout.append(data)
                } else {
                    stderr.append(data)
                }
                condition.broadcast()
                condition.unlock()
                if data.isEmpty { return }
            }
        }
        thread.start()
    }

    /// Writes one line (a newline is added).
    func send(_ line: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    func closeInput() {
        condition.lock()
        let already = inputClosed
        inputClosed = true
        condition.unlock()
        if !already { try? input.fileHandleForWriting.close() }
    }

    /// Waits until `ready` holds for the output so far; on timeout stops the process and throws.
    private func wait(timeout: TimeInterval, for what: String, until ready: () -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        var satisfied = ready()
        while !satisfied {
            if !condition.wait(until: deadline) {
                satisfied = ready()
                break
            }
            satisfied = ready()
        }
        let soFar = String(decoding: stdout, as: UTF8.self)
        condition.unlock()
        if !satisfied {
            stop()
            throw CommandError("smsbridge did not \(what) within \(Int(timeout)) s; it was stopped. Output so far:\n\(soFar)")
        }
    }

    /// The stdout lines of one turn: everything before the next `{"turn_complete":true}`, which is consumed.
    func readTurn(timeout: TimeInterval = RunningCommand.defaultTimeout) throws -> [String] {
        let marker = Data((Self.turnComplete + "\n").utf8)
        var turn: [String] = []
        var ended = false
        try wait(timeout: timeout, for: "complete a turn") {
            if let range = stdout.range(of: marker), range.lowerBound == 0 || stdout[range.lowerBound - 1] == UInt8(ascii: "\n") {
                turn = String(decoding: stdout[..<range.lowerBound], as: UTF8.self)
                    .split(separator: "\n").map(String.init)
                stdout.removeSubrange(..<range.upperBound)
                return true
            }
            if exited && openStreams == 0 {
                ended = true
                return true
            }
            return false
        }
        if ended { throw CommandError("smsbridge exited before completing a turn; stdout: \(String(decoding: stdout, as: UTF8.self))") }
        return turn
    }

    /// Sends one input line and returns the lines of its turn.
    func turn(_ line: String, timeout: TimeInterval = RunningCommand.defaultTimeout) throws -> [String] {
        try send(line)
        return try readTurn(timeout: timeout)
    }

    /// Closes stdin and waits for the exit; returns whatever was not read as turns.
    func finish(timeout: TimeInterval = RunningCommand.defaultTimeout) throws -> CommandResult {
        closeInput()
        try wait(timeout: timeout, for: "exit") { exited && openStreams == 0 }
        condition.lock()
        defer { condition.unlock() }
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Waits until stdout and stderr together contain `text`; returns everything written so far.
    @discardableResult
    func waitForOutput(containing text: String, timeout: TimeInterval = RunningCommand.defaultTimeout) throws -> String {
        let needle = Data(text.utf8)
        try wait(timeout: timeout, for: "write \"\(text)\"") { stdout.range(of: needle) != nil || stderr.range(of: needle) != nil }
        return output
    }

    /// stdout then stderr, as written so far.
    var output: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stdout, as: UTF8.self) + String(decoding: stderr, as: UTF8.self)
    }

    /// `kill -9`: no shutdown, no flushing; waits until the process is gone.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        let deadline = Date(timeIntervalSinceNow: 10)
        condition.lock()
        while !exited && condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Ends the process if it is still running: SIGTERM, then SIGKILL if it ignores that.
    func stop() {
        closeInput()
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date(timeIntervalSinceNow: 5)
        condition.lock()
        while !exited && condition.wait(until: deadline) {}
        let gone = exited
        condition.unlock()
        if !gone { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    /// Runs `smsbridge` with all of `input` on stdin and waits for it to exit.
    static func run(_ arguments: [String], input: String = "", in directory: URL = Package.root, environment: [String: String] = [:],
                    timeout: TimeInterval = defaultTimeout) throws -> CommandResult {
        let command = try RunningCommand(arguments, in: directory, environment: environment)
        defer { command.stop() }
        if !input.isEmpty { try command.input.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
        return try command.finish(timeout: timeout)
    }
}

/// A copy of Config/ and Dialogs/ in a temporary folder, to break one thing and run the executable on it.
struct ConfigurationCopy {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["Config", "Dialogs"] {
            try FileManager.default.copyItem(at: Package.root.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
    }

    /// Replaces the first occurrence of `old` (which must exist) and returns its 1-based line.
    @discardableResult
    func replace(_ relative: String, _ old: String, with new: String) throws -> Int {
        let url = directory.appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let range = text.range(of: old) else { throw CommandError("'\(old)' not found in \(relative)") }
        try text.replacingCharacters(in: range, with: new).write(to: url, atomically: true, encoding: .utf8)
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// One `simulate --json` output line, parsed, with its keys in the order they were written and each value's JSON text.
struct JSONOutput: CustomStringConvertible {
    let raw: String
    let object: [String: Any]
    let fields: [(key: String, json: String)]

    init(_ raw: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        self.raw = raw
        let parsed = try? JSONSerialization.jsonObject(with: Data(raw.utf8))
        object = try #require(parsed as? [String: Any], "not a JSON object: \(raw)", sourceLocation: sourceLocation)
        fields = Self.topLevelFields(raw)
    }

    var description: String { raw }
    var keys: [String] { fields.map(\.key) }
    /// The value as written: `1`, `true`, `null`, `"sq"`, `{...}`; tells a number from a string or a boolean.
    func json(_ key: String) -> String? { fields.first { $0.key == key }?.json }
    func string(_ key: String) -> String? { object[key] as? String }
    func int(_ key: String) -> Int? { json(key).flatMap { Int($0) } }
    func bool(_ key: String) -> Bool? { json(key).flatMap { $0 == "true" ? true : $0 == "false" ? false : nil } }
    func child(_ key: String) throws -> JSONOutput { try JSONOutput(try #require(json(key), "no '\(key)' in \(raw)")) }

    var isSMS: Bool { object["text"] != nil && object["to"] != nil }
    var isScreen: Bool { object["screen"] != nil }
    var isReport: Bool { object["report"] != nil }
    var isError: Bool { object["error"] != nil }

    /// The fields of the outermost object in written order (JSONSerialization forgets the order).
    static func topLevelFields(_ json: String) -> [(key: String, json: String)] {
        let characters = Array(json)
        var fields: [(key: String, json: String)] = []
        var depth = 0
        var index = 0
        var pendingKey: String?
        var valueStart = 0
        func closeValue(at end: Int) {
            if let key = pendingKey {
                fields.append((key, String(characters[valueStart..<end]).trimmingCharacters(in: .whitespaces)))
                pendingKey = nil
            }
        }
        while index < characters.count {
            switch characters[index] {
            case "{", "[":
                depth += 1
            case "}", "]":
                if depth == 1 { closeValue(at: index) }
                depth -= 1
            case "," where depth == 1:
                closeValue(at: index)
            case "\"":
                var text = ""
                index += 1
                while index < characters.count && characters[index] != "\"" {
                    if characters[index] == "\\" { index += 1 }
                    if index < characters.count { text.append(characters[index]) }
                    index += 1
                }
                var next = index + 1
                while next < characters.count && characters[next].isWhitespace { next += 1 }
                if depth == 1 && pendingKey == nil && next < characters.count && characters[next] == ":" {
                    pendingKey = text
                    index = next
                    valueStart = next + 1
                }
            default:
                break
            }
            index += 1
        }
        return fields
    }
}
