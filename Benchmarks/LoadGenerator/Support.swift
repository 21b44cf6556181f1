import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Resident set size of a process, from `/proc/PID/status` (`VmRSS`, kB), in MB.
enum ProcessMemory {
    static func residentMB(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return digits.map { $0 / 1024 }
        }
        return nil
    }
}

/// CPU time a process has used (user + system), from `/proc/PID/stat`, in seconds. Divided by the messages a phase
/// completed it gives the server's CPU cost per message, which a busy neighbour on a shared 2-core machine disturbs far
/// less than it disturbs throughput.
enum ProcessCPU {
    static func seconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The CPU of several processes (the instances of one run), summed; a process that is gone counts nothing.
    static func seconds(pids: [Int32]) -> Double {
        pids.reduce(0) { $0 + (seconds(pid: $1) ?? 0) }
    }

    /// The CPU of a process and its children, summed: a PostgreSQL postmaster and its backends and helpers. A backend
    /// that exits during a phase takes its CPU with it; the stores keep their connections open, so few do.
    static func tree(root: Int32) -> Double {
        var total = seconds(pid: root) ?? 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != root,
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Field 4 (1-based) is the parent's pid: the second field after the command name.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == root else { continue }
            total += seconds(pid: pid) ?? 0
        }
        return total
    }
}

/// Samples the RSS of one or more processes every 100 ms while a phase runs and keeps each one's highest value: RSS
/// "under load". With several instances the figure is the largest instance's peak (what each host must hold).
final class RSSSampler: Sendable {
    private let peaks: Mutex<[Double]>
    private let running = Mutex<Bool>(true)
    let pids: [Int32]

    init(pids: [Int32]) {
        self.pids = pids
        peaks = Mutex(Array(repeating: 0, count: pids.count))
    }

    func start() -> Task<Void, Never> {
        Task.detached {
            while self.running.withLock({ $0 }) {
                for (index, pid) in self.pids.enumerated() {
                    if let value = ProcessMemory.residentMB(pid: pid) {
                        self.peaks.withLock { $0[index] = max($0[index], value) }
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func stop() -> Double {
        running.withLock { $0 = false }
        return peaks.withLock { $0.max() ?? 0 }
    }
}

extension ProcessMemory {
    /// The largest RSS among the instances of a run.
    static func residentMB(pids: [Int32]) -> Double? {
        pids.compactMap { residentMB(pid: $0) }.max()
    }
}

/// Key=value results shared by the subcommands of one `scripts/bench` run, read back by `summary`.
struct Results {
    let path: String

    func append(_ pairs: [(String, String)]) throws {
        let text = pairs.map { $0.0 + "=" + $0.1 + "\n" }.joined()
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func read() -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}

func format(_ value: Double, _ decimals: Int = 1) -> String {
    String(format: "%.\(decimals)f", value)
}

/// The load average, printed beside the figures: on a shared 2-core machine a busy neighbour halves them.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

/// A FixMyStreet stand-in that holds every request for `delay` and then answers 503: the platform "answers after 5 s"
/// of check 5. Started on the port the bridge's platform `base_url` names; when it is not started, that port is closed
/// and the platform is "down".
final class SlowPlatformHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let delay: TimeAmount

    init(delay: TimeAmount) { self.delay = delay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: delay) {
            let context = loopBound.value
            let body = context.channel.allocator.buffer(string: "{\"error\":\"slow platform stand-in\"}")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .serviceUnavailable, headers: headers))),
                          promise: nil)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        }
    }
}

enum SlowPlatform {
    static func start(port: Int, delay: TimeAmount, group: MultiThreadedEventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(SlowPlatformHandler(delay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }
}
