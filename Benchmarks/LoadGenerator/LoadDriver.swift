import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// What one phase measured.
struct PhaseResult: Sendable {
    var name: String
    var seconds: Double
    var completed = 0
    var errors = 0
    var conversations = 0
    /// Microseconds; in open-loop phases measured from the scheduled send time, so queueing in the generator counts.
    var latencies: [UInt32] = []
    /// When each of `latencies` was sent (scheduled, open loop), in microseconds from the phase's start.
    var sentAt: [UInt32] = []
    var firstError: String?

    var perSecond: Double { seconds > 0 ? Double(completed) / seconds : 0 }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[index]) / 1000
    }

    var maxMillis: Double { Double(latencies.max() ?? 0) / 1000 }

    /// One line per answered request, in sending order: when it was sent and its latency, both in milliseconds. A
    /// periodic stall of the server shows as runs of high latencies at a fixed interval.
    func latencyLog() -> String {
        zip(sentAt, latencies).sorted { $0.0 < $1.0 }
            .map { "\(String(format: "%.3f", Double($0.0) / 1000)) \(String(format: "%.3f", Double($0.1) / 1000))\n" }
            .joined()
    }

    mutating func merge(_ other: DriverTally) {
        completed += other.completed
        errors += other.errors
        conversations += other.conversations
        latencies += other.latencies
        sentAt += other.sentAt
        if firstError == nil { firstError = other.firstError }
    }
}

/// One driver's counts, handed back when its phase ends.
struct DriverTally: Sendable {
    var completed = 0
    var errors = 0
    var conversations = 0
    var latencies: [UInt32] = []
    var sentAt: [UInt32] = []
    var firstError: String?
}

/// Reads one HTTP/1.1 response per request on a keep-alive connection and completes the request's promise with the status.
final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: a channel handler lives on its channel's event loop; every access below happens there.
    typealias InboundIn = HTTPClientResponsePart

    var pending: EventLoopPromise<Int>?
    private var status = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body: break
        case .end:
            let promise = pending
            pending = nil
            promise?.succeed(status)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.fail(ChannelError.ioOnClosedChannel)
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }
}

/// A keep-alive connection with at most one request in flight: the driver's unit of concurrency.
final class LoadConnection: @unchecked Sendable {
    // @unchecked: used only on `channel.eventLoop` (the drivers run their loops there).
    let channel: any Channel
    let handler: ResponseHandler
    let hostHeader: String

    init(channel: any Channel, handler: ResponseHandler, hostHeader: String) {
        self.channel = channel
        self.handler = handler
        self.hostHeader = hostHeader
    }

    static func connect(host: String, port: Int, on eventLoop: any EventLoop) -> EventLoopFuture<LoadConnection> {
        let handler = ResponseHandler()
        return ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port)
            .map { LoadConnection(channel: $0, handler: handler, hostHeader: "\(host):\(port)") }
    }

    func send(_ request: RequestFactory.Prepared) -> EventLoopFuture<Int> {
        channel.eventLoop.assertInEventLoop()
        let promise = channel.eventLoop.makePromise(of: Int.self)
        handler.pending = promise
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: hostHeader)
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: request.uri, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !request.body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: request.body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { promise.fail($0) }
        return promise.futureResult
    }
}

/// Runs one connection's share of a phase on its event loop, without Swift concurrency hops in the request loop.
///
/// Closed loop (`rate == nil`): the next request leaves when the previous is answered; latency from its send.
/// Open loop: request k of connection j is due at `start + (j + k·connections) / rate`; if the previous request is still
/// in flight it waits, and its latency still counts from the due time, so a slow server cannot hide its queue
/// (coordinated omission).
final class PhaseDriver: @unchecked Sendable {
    // @unchecked: every mutable field is touched on `connection.channel.eventLoop` only.
    let connection: LoadConnection
    var stream: ResidentStream
    let start: NIODeadline
    let warmupEnd: NIODeadline
    let end: NIODeadline
    let rate: Double?
    let index: Int
    let connections: Int
    var tally = DriverTally()
    var due: [NIODeadline] = []
    var inFlight = false
    var tick = 0
    let done: EventLoopPromise<DriverTally>
    var finishedScheduling = false

    init(connection: LoadConnection, stream: ResidentStream, start: NIODeadline, warmup: TimeAmount, duration: TimeAmount, rate: Double?,
         index: Int, connections: Int) {
        self.connection = connection
        self.stream = stream
        self.start = start
        self.warmupEnd = start + warmup
        self.end = start + warmup + duration
        self.rate = rate
        self.index = index
        self.connections = connections
        self.done = connection.channel.eventLoop.makePromise()
    }

    func run() -> EventLoopFuture<DriverTally> {
        let loop = connection.channel.eventLoop
        loop.execute {
            if self.rate == nil { self.sendClosed() } else { self.scheduleNext() }
        }
        return done.futureResult
    }

    private func finish() {
        tally.conversations = stream.conversationsCompleted
        done.succeed(tally)
    }

    private func record(_ result: Result<Int, any Error>, from: NIODeadline, now: NIODeadline) {
        guard from >= warmupEnd, from < end else { return }
        switch result {
        case .success(let status) where (200..<300).contains(status):
            tally.completed += 1
            tally.latencies.append(UInt32(clamping: (now - from).nanoseconds / 1000))
            tally.sentAt.append(UInt32(clamping: (from - start).nanoseconds / 1000))
        case .success(let status):
            tally.errors += 1
            if tally.firstError == nil { tally.firstError = "HTTP \(status)" }
        case .failure(let error):
            tally.errors += 1
            if tally.firstError == nil { tally.firstError = "\(error)" }
        }
    }

    // MARK: Closed loop

    private func sendClosed() {
        let sent = NIODeadline.now()
        guard sent < end else { return finish() }
        connection.send(stream.next()).whenComplete { result in
            self.record(result, from: sent, now: .now())
            if case .failure = result { return self.finish() }
            self.sendClosed()
        }
    }

    // MARK: Open loop

    private func scheduleNext() {
        guard let rate else { return }
        let offset = Double(index + tick * connections) / rate
        let deadline = start + .nanoseconds(Int64(offset * 1e9))
        tick += 1
        guard deadline < end else {
            finishedScheduling = true
            if !inFlight && due.isEmpty { finish() }
            return
        }
        connection.channel.eventLoop.scheduleTask(deadline: deadline) {
            self.due.append(deadline)
            self.sendDue()
            self.scheduleNext()
        }
    }

    private func sendDue() {
        guard !inFlight, !due.isEmpty else { return }
        let scheduled = due.removeFirst()
        inFlight = true
        connection.send(stream.next()).whenComplete { result in
            self.inFlight = false
            self.record(result, from: scheduled, now: .now())
            if case .failure = result {
                self.due.removeAll()
                self.finishedScheduling = true
                return self.finish()
            }
            if self.due.isEmpty, self.finishedScheduling { return self.finish() }
            self.sendDue()
        }
    }
}

/// Opens connections, runs a phase across them and merges what they measured. With several ports (instances sharing one
/// PostgreSQL) connection i goes to port i mod n, so the load is spread evenly and a resident always talks to the same
/// instance (as behind a load balancer with sticky connections).
struct LoadRunner {
    let group: MultiThreadedEventLoopGroup
    let host: String
    let ports: [Int]

    init(group: MultiThreadedEventLoopGroup, host: String, ports: [Int]) {
        precondition(!ports.isEmpty, "a load runner needs at least one port")
        self.group = group
        self.host = host
        self.ports = ports
    }

    init(group: MultiThreadedEventLoopGroup, host: String, port: Int) {
        self.init(group: group, host: host, ports: [port])
    }

    func phase(_ name: String, kind: ResidentStream.Kind, factory: RequestFactory, connections: Int, block: Int, warmup: Double,
               duration: Double, rate: Double? = nil, firstResident: Int = 0) async throws -> PhaseResult {
        var opened: [LoadConnection] = []
        for index in 0..<connections {
            opened.append(try await LoadConnection.connect(host: host, port: ports[index % ports.count], on: group.any()).get())
        }
        defer { for connection in opened { connection.channel.close(promise: nil) } }
        let start = NIODeadline.now() + .milliseconds(20)
        let drivers = opened.enumerated().map { index, connection in
            PhaseDriver(
                connection: connection,
                stream: ResidentStream(kind: kind, factory: factory, first: firstResident + index, stride: connections, block: block),
                start: start, warmup: .nanoseconds(Int64(warmup * 1e9)), duration: .nanoseconds(Int64(duration * 1e9)), rate: rate,
                index: index, connections: connections)
        }
        var result = PhaseResult(name: name, seconds: duration)
        let futures = drivers.map { $0.run() }
        for future in futures { result.merge(try await future.get()) }
        return result
    }
}
