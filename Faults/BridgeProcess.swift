import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// `smsbridge serve` as a child process on a configuration of its own, killed and restarted at will.
final class BridgeProcess: @unchecked Sendable {
    let executable: URL
    let directory: URL
    let port: Int
    let environment: [String: String]
    let logFile: URL
    /// The main configuration file it serves (the workspace's Config/smsbridge.yaml unless one instance of several).
    let configFile: URL
    private let lock = NSLock()
    private var process: Process?
    private(set) var starts = 0

    init(executable: URL, directory: URL, port: Int, environment: [String: String], configFile: URL? = nil, logName: String = "bridge.log") {
        self.executable = executable
        self.directory = directory
        self.port = port
        self.environment = environment
        self.configFile = configFile ?? directory.appendingPathComponent("Config/smsbridge.yaml")
        self.logFile = directory.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
    }

    /// Starts the server and waits until it answers its health check.
    func start() async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--config", configFile.path, "--port", String(port)]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        lock.withLock {
            self.process = process
            starts += 1
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while await !isHealthy() {
            guard process.isRunning else { throw FaultsError("smsbridge serve exited at start; see \(logFile.path)") }
            guard ContinuousClock.now < deadline else { throw FaultsError("smsbridge serve did not answer /healthz within 60 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `kill -9`: no graceful shutdown, whatever was in flight is cut.
    func crash() {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait.
    func stop() {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The process was started and has not exited.
    var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    func isHealthy() async -> Bool {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
        return response.status == .ok
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}

/// A free port on 127.0.0.1 (bound, read, released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FaultsError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw FaultsError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw FaultsError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
