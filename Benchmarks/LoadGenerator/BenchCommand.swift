import ArgumentParser
import BridgeStore
import Foundation
import NIOCore
import NIOPosix

/// `smsbridge-bench`: the load generator and reports behind `scripts/bench`. The script starts the servers; this tool
/// drives them over loopback and writes key=value results that `summary` turns into the table and the closing line.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsbridge-bench",
        abstract: "Benchmarks for smsbridge: pipeline and /healthz saturation, latency at fixed rates, RSS, USSD with a bad platform.",
        subcommands: [Load.self, Pipeline.self, USSD.self, Seed.self, Cost.self, Summary.self])
}

/// Where the server under test listens and how to sign for it.
struct Target: ParsableArguments {
    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port; repeat it for several instances of one store (connections are spread across them).")
    var port: [Int] = []
    @Option(help: "The server's process id, for its RSS and CPU; repeat it for several instances, in --port order.")
    var pid: [Int32] = []
    @Option(help: "Environment variable holding the generic gateway's signature_secret.") var secretEnv = "BENCH_SIGNATURE_SECRET"
    @Option(help: "Environment variable holding the USSD gateway's path token.") var tokenEnv = "BENCH_USSD_TOKEN"
    @Option(help: "key=value results file shared by the subcommands.") var results: String
    @Flag(help: "A few seconds in all: checks that the benchmark works, measures nothing worth keeping.") var smoke = false

    func validate() throws {
        guard !port.isEmpty else { throw ValidationError("--port is required") }
        guard pid.count == port.count else { throw ValidationError("give one --pid per --port (\(port.count) ports, \(pid.count) pids)") }
    }

    func factory() throws -> RequestFactory {
        guard let secret = ProcessInfo.processInfo.environment[secretEnv], !secret.isEmpty else {
            throw ValidationError("\(secretEnv) is not set: it must hold the bench gateway's signature secret")
        }
        var factory = RequestFactory(host: host, port: port[0], secret: secret)
        factory.ussdToken = ProcessInfo.processInfo.environment[tokenEnv] ?? ""
        return factory
    }
}

func printPhase(_ result: PhaseResult, offered: Double? = nil) {
    var line = "  \(result.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(format(result.perSecond, 0).leftPad(7)) msg/s"
    line += "  p50 \(format(result.percentile(0.5), 2).leftPad(7)) ms  p99 \(format(result.percentile(0.99), 2).leftPad(7)) ms"
    line += "  max \(format(result.maxMillis, 2).leftPad(8)) ms  errors \(result.errors)"
    if let offered { line += "  (offered \(Int(offered))/s)" }
    if let error = result.firstError { line += "  first error: \(error)" }
    print(line)
}

/// CPU per completed message over a phase, warm-up included on both sides of the division (the warm-up's messages are
/// estimated at the phase's rate). `used` is the CPU seconds spent over the phase (by the servers, or by PostgreSQL).
func cpuMicroseconds(used: Double, phase: PhaseResult, warmup: Double) -> Double {
    let messages = Double(phase.completed) * (phase.seconds + warmup) / phase.seconds
    return messages > 0 ? used / messages * 1e6 : 0
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

extension BenchCommand {
    /// Checks 1–4: /healthz ceiling, pipeline saturation, latency at 100/500/1000 msg/s, RSS idle, loaded, at 100k sessions.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Saturation, fixed-rate latency and RSS against a running server.")
        @OptionGroup var target: Target
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Process id of the PostgreSQL postmaster, for the cluster's CPU per message (its children summed).")
        var enginePid: Int32?
        @Option(help: "Concurrent connections (residents in flight).") var connections = 64
        @Option(help: "Seconds per saturation phase.") var duration = 10.0
        @Option(help: "Seconds per fixed-rate phase.") var rateDuration = 8.0
        @Option(help: "Sessions stored for the memory check.") var sessions = 100_000

        func run() async throws {
            let factory = try target.factory()
            let smoke = target.smoke
            let duration = smoke ? 0.5 : self.duration
            let warmup = smoke ? 0.2 : 1.0
            let connections = smoke ? 8 : self.connections
            // A fixed-rate phase sends everything it scheduled, however slow the server: in smoke mode it offers about
            // 24 messages without warm-up, so a slow server (PostgreSQL on a debug build) still passes in seconds.
            func window(_ rate: Double) -> (warmup: Double, duration: Double) {
                smoke ? (0, max(0.05, 24 / rate)) : (warmup, rateDuration)
            }
            // One event-loop thread: the generator shares the 2 cores with the server and must stay small beside it.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let runner = LoadRunner(group: group, host: target.host, ports: target.port)
            let results = Results(path: target.results)
            let pids = target.pid
            var out: [(String, String)] = [("load_average_before", loadAverage()), ("engine", storeOptions.engine),
                                           ("instances", String(pids.count))]

            // The store, read beside the server: to wait for the outbox between phases, seed sessions and check the run.
            let (store, closeStore) = try await storeOptions.open()
            let idle = ProcessMemory.residentMB(pids: pids) ?? 0
            out.append(("rss_idle_mb", format(idle)))
            let instances = pids.count == 1 ? "server" : "\(pids.count) instances (largest)"
            print("load average \(loadAverage()); \(storeOptions.engine), \(instances) RSS idle \(format(idle)) MB")

            // The generator shares the two cores: its own CPU per request says how much of them is left for the server.
            let generator = [getpid()]
            // The ceiling is measured before the pipeline phase and again after it, and the two averaged: this machine's
            // speed can change by half within minutes, and one measurement 10 s away from the pipeline's skewed the ratio.
            func ceilingPhase(_ name: String) async throws -> (phase: PhaseResult, server: Double, generator: Double) {
                let before = (server: ProcessCPU.seconds(pids: pids), generator: ProcessCPU.seconds(pids: generator))
                let phase = try await runner.phase(name, kind: .health, factory: factory, connections: connections,
                                                   block: 0, warmup: warmup, duration: duration)
                let server = cpuMicroseconds(used: ProcessCPU.seconds(pids: pids) - before.server, phase: phase, warmup: warmup)
                let own = cpuMicroseconds(used: ProcessCPU.seconds(pids: generator) - before.generator, phase: phase, warmup: warmup)
                printPhase(phase)
                print("  server CPU \(format(server, 0)) µs per request; generator CPU \(format(own, 0)) µs")
                return (phase, server, own)
            }
            let ceilingBefore = try await ceilingPhase("ceiling: GET /healthz")

            let sampler = RSSSampler(pids: pids)
            let sampling = sampler.start()
            let cpuBefore = ProcessCPU.seconds(pids: pids)
            let generatorBefore = ProcessCPU.seconds(pids: generator)
            let engineBefore = enginePid.map(ProcessCPU.tree(root:))
            let pipeline = try await runner.phase("pipeline: signed SMS conversations", kind: .sms, factory: factory,
                                                  connections: connections, block: 1, warmup: warmup, duration: duration)
            let cpuPerMessage = cpuMicroseconds(used: ProcessCPU.seconds(pids: pids) - cpuBefore, phase: pipeline, warmup: warmup)
            let generatorUsed = ProcessCPU.seconds(pids: generator) - generatorBefore
            let generatorPerMessage = cpuMicroseconds(used: generatorUsed, phase: pipeline, warmup: warmup)
            let engineCPU = engineBefore.map { before in
                cpuMicroseconds(used: ProcessCPU.tree(root: enginePid!) - before, phase: pipeline, warmup: warmup)
            }
            let loaded = sampler.stop()
            await sampling.value
            printPhase(pipeline)
            print("  \(pipeline.conversations) conversations (reports) completed; server CPU \(format(cpuPerMessage, 0)) µs per message"
                + (engineCPU.map { "; PostgreSQL CPU \(format($0, 0)) µs per message" } ?? "")
                + "; server RSS under load \(format(loaded)) MB")
            print("  generator CPU \(format(generatorPerMessage, 0)) µs per message")
            out.append(("pipeline_cpu_us_per_msg", format(cpuPerMessage, 0)))
            out.append(("pipeline_generator_cpu_us_per_msg", format(generatorPerMessage, 0)))
            if let engineCPU { out.append(("pipeline_engine_cpu_us_per_msg", format(engineCPU, 0))) }
            out += [("pipeline_msgs_per_s", format(pipeline.perSecond, 0)), ("pipeline_p50_ms", format(pipeline.percentile(0.5), 2)),
                    ("pipeline_p99_ms", format(pipeline.percentile(0.99), 2)), ("pipeline_errors", String(pipeline.errors)),
                    ("pipeline_conversations", String(pipeline.conversations)), ("rss_load_mb", format(loaded))]
            // SQLite must answer every message. PostgreSQL answers 503 when a write still meets serialisation failures
            // after the store's retries (the gateway would retry): counted and shown, but a run fails only when more than
            // one message in ten is refused, or none completes.
            let tolerated = storeOptions.postgresUrlEnv == nil ? 0 : pipeline.completed / 10
            guard pipeline.completed > 0, pipeline.errors <= tolerated else {
                try results.append(out)
                throw ValidationError("the pipeline phase failed: \(pipeline.errors) errors, first: \(pipeline.firstError ?? "no request completed")")
            }
            if pipeline.errors > 0 {
                print("  WARNING: \(pipeline.errors) of \(pipeline.completed + pipeline.errors) pipeline messages refused "
                    + "(first: \(pipeline.firstError ?? "?"); HTTP 503 is the store giving up after its retries)")
            }

            // Each phase starts with an empty outbox: the replies a phase queued are sent before the next one, which would
            // otherwise measure its latency beside the sender draining them.
            let drained = try await drainOutbox(store)
            print("  replies of the pipeline phase sent in \(format(drained)) s after it")
            out.append(("outbox_drain_seconds", format(drained)))

            let ceilingAfter = try await ceilingPhase("ceiling again: GET /healthz")
            let ceilings = [ceilingBefore, ceilingAfter]
            func mean(_ value: ((phase: PhaseResult, server: Double, generator: Double)) -> Double) -> Double {
                ceilings.map(value).reduce(0, +) / Double(ceilings.count)
            }
            out += [("ceiling_msgs_per_s", format(mean { $0.phase.perSecond }, 0)),
                    ("ceiling_before_msgs_per_s", format(ceilingBefore.phase.perSecond, 0)),
                    ("ceiling_after_msgs_per_s", format(ceilingAfter.phase.perSecond, 0)),
                    ("ceiling_p99_ms", format(ceilings.map { $0.phase.percentile(0.99) }.max() ?? 0, 2)),
                    ("ceiling_cpu_us_per_req", format(mean { $0.server }, 0)),
                    ("ceiling_generator_cpu_us_per_req", format(mean { $0.generator }, 0))]
            for (offset, rate) in [100.0, 500.0, 1000.0].enumerated() {
                if offset > 0 { _ = try await drainOutbox(store) }
                let result = try await runner.phase("fixed rate \(Int(rate)) msg/s", kind: .sms, factory: factory,
                                                    connections: connections, block: 2 + offset, warmup: window(rate).warmup,
                                                    duration: window(rate).duration, rate: rate)
                printPhase(result, offered: rate)
                let key = "rate_\(Int(rate))"
                out += [("\(key)_msgs_per_s", format(result.perSecond, 0)), ("\(key)_p50_ms", format(result.percentile(0.5), 2)),
                        ("\(key)_p99_ms", format(result.percentile(0.99), 2)), ("\(key)_max_ms", format(result.maxMillis, 2)),
                        ("\(key)_errors", String(result.errors))]
            }

            let target = smoke ? min(sessions, 500) : sessions
            let clock = ContinuousClock()
            var added = 0
            _ = try await drainOutbox(store)
            // PostgreSQL: four batches at once on their own connections (about 1.5x faster on 2 cores); SQLite: one writer.
            let parallel = storeOptions.postgresUrlEnv == nil ? 1 : 4
            let seeding = try await clock.measure { added = try await Seeder.seed(store: store, total: target, parallel: parallel) }
            let idle100k = ProcessMemory.residentMB(pids: pids) ?? 0
            let seconds = Double(seeding.components.seconds) + Double(seeding.components.attoseconds) / 1e18
            print("  seeded \(added) sessions (to \(target)) in \(format(seconds)) s; server RSS idle \(format(idle100k)) MB")
            out.append(("seed_seconds", format(seconds)))
            _ = try await drainOutbox(store)
            let sampler100k = RSSSampler(pids: pids)
            let sampling100k = sampler100k.start()
            let stored = target >= 1_000 ? "\(target / 1_000)k" : String(target)
            let after = try await runner.phase("500 msg/s over \(stored) sessions", kind: .sms, factory: factory,
                                               connections: connections, block: 5, warmup: window(500).warmup,
                                               duration: window(500).duration, rate: 500)
            let rss100k = sampler100k.stop()
            await sampling100k.value
            printPhase(after, offered: 500)
            print("  server RSS with \(stored) sessions under load \(format(rss100k)) MB; load average \(loadAverage())")
            out += [("sessions_stored", String(target)), ("rss_100k_idle_mb", format(idle100k)), ("rss_mb_100k_sessions", format(rss100k)),
                    ("rate_500_100k_p99_ms", format(after.percentile(0.99), 2)), ("rate_500_100k_errors", String(after.errors)),
                    ("load_average_after", loadAverage())]
            try results.append(out)
            try await group.shutdownGracefully()
            do {
                try await checkStore(store)
            } catch {
                await closeStore()
                throw error
            }
            await closeStore()
        }

        /// Waits until no reply is queued (the server's sender sent them all), at most two minutes; returns the seconds.
        func drainOutbox(_ store: any Store) async throws -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            while try await store.read({ try $0.nextDue() }) != nil {
                guard start.duration(to: clock.now) < .seconds(120) else {
                    print("  WARNING: replies still queued after 120 s; the next phase runs beside the sender")
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let waited = start.duration(to: clock.now)
            return Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
        }

        /// The load must have done real work: every conversation files a report, so a run with none means the scripts no
        /// longer fit the dialog (or the sender check refused our numbers) and the figures measure error paths.
        func checkStore(_ store: any Store) async throws {
            let (inbound, sessions, reports) = try await store.read { tx in
                (try tx.inboundCount(), try tx.sessionCount(), try tx.reports().count)
            }
            print("  store after the run: \(inbound) inbound messages, \(sessions) sessions, \(reports) reports")
            guard reports > 0 else { throw ValidationError("no report was filed: the scripted conversations no longer complete") }
        }
    }

    /// Check 5: USSD turns while the platform is down (nothing listens) or answers after 5 s (this tool listens, slowly).
    struct USSD: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "USSD turn latency with the platform down or slow.")
        @OptionGroup var target: Target
        @Option(help: "down: nothing listens on --platform-port; slow: answer every request after --delay seconds.") var mode: String
        @Option(help: "Port the bridge's platform base_url names.") var platformPort: Int
        @Option(help: "Seconds the slow platform holds each request.") var delay = 5.0
        @Option(help: "USSD turns per second.") var rate = 100.0
        @Option(help: "Seconds.") var duration = 8.0

        func run() async throws {
            guard ["down", "slow"].contains(mode) else { throw ValidationError("--mode must be down or slow") }
            let factory = try target.factory()
            // One event-loop thread: the generator shares the 2 cores with the server and must stay small beside it.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            var platform: (any Channel)?
            if mode == "slow" {
                platform = try await SlowPlatform.start(port: platformPort, delay: .milliseconds(Int64(delay * 1000)), group: group)
            }
            let runner = LoadRunner(group: group, host: target.host, ports: target.port)
            let duration = target.smoke ? 0.5 : self.duration
            // Let the report forwarder meet the platform's new state (its retries back off from 5 s) before measuring.
            let warmup = target.smoke ? 0.2 : 2.0
            let result = try await runner.phase("USSD turns, platform \(mode)", kind: .ussd, factory: factory, connections: 16,
                                                block: mode == "down" ? 0 : 1, warmup: warmup, duration: duration, rate: rate)
            printPhase(result, offered: rate)
            print("  \(result.conversations) USSD sessions completed (each files a report)")
            try await platform?.close()
            try await group.shutdownGracefully()
            try Results(path: target.results).append([
                ("ussd_\(mode)_p50_ms", format(result.percentile(0.5), 2)), ("ussd_\(mode)_p99_ms", format(result.percentile(0.99), 2)),
                ("ussd_\(mode)_max_ms", format(result.maxMillis, 2)), ("ussd_\(mode)_errors", String(result.errors)),
                ("ussd_\(mode)_sessions", String(result.conversations)),
            ])
            guard result.completed > 0, result.errors == 0 else {
                throw ValidationError("USSD phase failed: \(result.firstError ?? "no turn completed")")
            }
        }
    }

    /// The pipeline phase alone, for profiling a server under callgrind (`valgrind --tool=callgrind smsbridge serve ...`).
    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Only the pipeline saturation phase (for profiling).")
        @OptionGroup var target: Target
        @Option(help: "Concurrent connections.") var connections = 64
        @Option(help: "Seconds.") var duration = 10.0
        @Option(help: "Resident number block (0-5); use another one to start new conversations on the same database.") var block = 1
        @Option(help: "Messages per second offered open-loop (latency at a fixed rate); saturation when not given.") var rate: Double?
        @Option(help: "Write each answered request's send time and latency (ms, from the phase's start) here, a line each.")
        var latencyLog: String?

        func run() async throws {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let runner = LoadRunner(group: group, host: target.host, ports: target.port)
            let cpuBefore = ProcessCPU.seconds(pids: target.pid)
            let result = try await runner.phase("pipeline: signed SMS conversations", kind: .sms, factory: try target.factory(),
                                                connections: connections, block: block, warmup: 1, duration: duration, rate: rate)
            printPhase(result)
            let used = ProcessCPU.seconds(pids: target.pid) - cpuBefore
            print("  server CPU \(format(cpuMicroseconds(used: used, phase: result, warmup: 1), 0)) µs per message")
            if let latencyLog {
                try result.latencyLog().write(toFile: latencyLog, atomically: false, encoding: .utf8)  // atomic writes leave a folder in /tmp on Linux
            }
            try await group.shutdownGracefully()
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store sessions mid-report until the database holds --sessions.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Sessions in all.") var sessions = 100_000
        @Option(help: "Sessions per write transaction.") var batch = 5_000
        @Option(help: "Write transactions at once.") var parallel = 1

        func run() async throws {
            let (store, close) = try await storeOptions.open()
            let start = ContinuousClock.now
            let added: Int
            do {
                added = try await Seeder.seed(store: store, total: sessions, batch: batch, parallel: parallel)
            } catch {
                await close()
                throw error
            }
            await close()
            print("added \(added) sessions in \(ContinuousClock.now - start)")
        }
    }

    /// The resident-cost report, from the simulator over the shipped configuration.
    struct Cost: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Messages and segments per report, per language, from simulate --json.")
        @Option(help: "The smsbridge executable.") var smsbridge: String
        @Option(help: "Bridge configuration.") var config = "Config/smsbridge.yaml"
        @Option(help: "key=value results file.") var results: String?

        func run() throws {
            let cost = ResidentCost(smsbridge: smsbridge, config: config)
            var prompts: [ResidentCost.Prompt] = []
            print("Resident cost per report (simulate --json; sent = prompts + acknowledgement + one status update)")
            print("  | conversation | inbound SMS | SMS sent | segments sent | encodings |")
            print("  |---|---|---|---|---|")
            var out: [(String, String)] = []
            var failures: [String] = []
            for script in Script.sms {
                let conversation = try cost.run(script)
                let encodings = Set(conversation.prompts.map(\.encoding)).sorted().joined(separator: ", ")
                print("  | \(script.name) | \(conversation.inbound) | \(conversation.sent) | \(conversation.segments) | \(encodings) |")
                if !conversation.reported { failures.append(script.name) }
                for prompt in conversation.prompts where !prompts.contains(prompt) { prompts.append(prompt) }
                let key = script.name.replacingOccurrences(of: " ", with: "_")
                out += [("cost_\(key)_inbound", String(conversation.inbound)), ("cost_\(key)_segments", String(conversation.segments))]
            }
            print("\nEvery prompt: encoding and segments")
            print("  | language | prompt | encoding | segments |")
            print("  |---|---|---|---|")
            for prompt in prompts.sorted(by: { ($0.language, $0.step) < ($1.language, $1.step) }) {
                print("  | \(prompt.language) | \(prompt.step) | \(prompt.encoding) | \(prompt.segments) |")
            }
            if let results { try Results(path: results).append(out) }
            guard failures.isEmpty else {
                throw ValidationError("no report completed for: \(failures.joined(separator: ", ")): the scripts no longer fit the dialog")
            }
        }
    }

    /// The table and the closing line, from the results of one run; with `--engine NAME=FILE`, the load measures of the
    /// same run on another store (PostgreSQL), as a second table and one more closing line each, prefixed by NAME.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the benchmark table and the closing line.")
        @Option(help: "key=value results file.") var results: String
        @Option(name: .customLong("engine"), help: "NAME=FILE: results of checks 1-4 on another store; repeatable, printed in order.")
        var engines: [String] = []

        func validate() throws {
            for engine in engines where !engine.contains("=") { throw ValidationError("--engine takes NAME=FILE, not '\(engine)'") }
        }

        func run() throws {
            let values = Results(path: results).read()
            func value(_ key: String) -> String { values[key] ?? "?" }
            let pipeline = Double(value("pipeline_msgs_per_s")) ?? 0
            let ceiling = Double(value("ceiling_msgs_per_s")) ?? 0
            let ratio = ceiling > 0 ? pipeline / ceiling : 0
            print("""

                | measure | value | target |
                |---|---|---|
                | pipeline saturation (signed SMS, full dialog) | \(value("pipeline_msgs_per_s")) msg/s | ≥ 5,000 |
                | HTTP ceiling (GET /healthz, same generator; mean of before and after the pipeline) | \(value("ceiling_msgs_per_s")) req/s (\(value("ceiling_before_msgs_per_s")), \(value("ceiling_after_msgs_per_s"))) | |
                | pipeline / ceiling | \(format(ratio, 2)) | ≥ 0.40 |
                | server CPU per pipeline message (replies sent included) | \(value("pipeline_cpu_us_per_msg")) µs | |
                | server CPU per /healthz request | \(value("ceiling_cpu_us_per_req")) µs | |
                | the generator's CPU per pipeline message / per /healthz request | \(value("pipeline_generator_cpu_us_per_msg")) / \(value("ceiling_generator_cpu_us_per_req")) µs | |
                | the pipeline phase's replies all sent, after it | \(value("outbox_drain_seconds")) s | |
                | latency at 100 msg/s p50 / p99 / max | \(value("rate_100_p50_ms")) / \(value("rate_100_p99_ms")) / \(value("rate_100_max_ms")) ms | |
                | latency at 500 msg/s p50 / p99 / max | \(value("rate_500_p50_ms")) / \(value("rate_500_p99_ms")) / \(value("rate_500_max_ms")) ms | p99 ≤ 20 ms |
                | latency at 1,000 msg/s p50 / p99 / max | \(value("rate_1000_p50_ms")) / \(value("rate_1000_p99_ms")) / \(value("rate_1000_max_ms")) ms | |
                | RSS idle / under load | \(value("rss_idle_mb")) / \(value("rss_load_mb")) MB | |
                | RSS with \(value("sessions_stored")) sessions, idle / at 500 msg/s | \(value("rss_100k_idle_mb")) / \(value("rss_mb_100k_sessions")) MB | ≤ 150 MB |
                | USSD turn p50 / p99, platform down | \(value("ussd_down_p50_ms")) / \(value("ussd_down_p99_ms")) ms | unaffected |
                | USSD turn p50 / p99, platform answers after 5 s | \(value("ussd_slow_p50_ms")) / \(value("ussd_slow_p99_ms")) ms | unaffected |
                | load average before / after | \(value("load_average_before")) / \(value("load_average_after")) | |

                """)
            let others = engines.map { engine in
                let name = String(engine.prefix { $0 != "=" })
                return (name, Results(path: String(engine.drop { $0 != "=" }.dropFirst())).read())
            }
            if !others.isEmpty { print(Self.engineTable(sqlite: values, others: others)) }
            print(Self.line(values))
            for (name, other) in others { print("\(name): " + Self.line(other)) }
        }

        /// `pipeline_msgs_per_s=… ceiling_msgs_per_s=… ratio=… p99_ms_at_500=… rss_mb_100k_sessions=…`: CI and the README
        /// read the SQLite one as it is.
        static func line(_ values: [String: String]) -> String {
            let pipeline = values["pipeline_msgs_per_s"].flatMap(Double.init) ?? 0
            let ceiling = values["ceiling_msgs_per_s"].flatMap(Double.init) ?? 0
            let ratio = ceiling > 0 ? pipeline / ceiling : 0
            let p99 = values["rate_500_p99_ms"].flatMap(Double.init) ?? 0
            let rss = values["rss_mb_100k_sessions"].flatMap(Double.init) ?? 0
            return "pipeline_msgs_per_s=\(Int(pipeline)) ceiling_msgs_per_s=\(Int(ceiling)) ratio=\(format(ratio, 2)) "
                + "p99_ms_at_500=\(format(p99, 1)) rss_mb_100k_sessions=\(Int(rss.rounded()))"
        }

        /// Checks 1-4 side by side: SQLite (one instance) and every other store of the run.
        static func engineTable(sqlite: [String: String], others: [(String, [String: String])]) -> String {
            let columns = [("sqlite", sqlite)] + others
            func row(_ measure: String, _ cell: ([String: String]) -> String) -> String {
                "| \(measure) | " + columns.map { cell($0.1) }.joined(separator: " | ") + " |"
            }
            func v(_ values: [String: String], _ key: String) -> String { values[key] ?? "?" }
            func ratio(_ values: [String: String]) -> String {
                let pipeline = values["pipeline_msgs_per_s"].flatMap(Double.init) ?? 0
                let ceiling = values["ceiling_msgs_per_s"].flatMap(Double.init) ?? 0
                return ceiling > 0 ? format(pipeline / ceiling, 2) : "?"
            }
            func latency(_ rate: Int) -> ([String: String]) -> String {
                { "\(v($0, "rate_\(rate)_p50_ms")) / \(v($0, "rate_\(rate)_p99_ms")) / \(v($0, "rate_\(rate)_max_ms")) ms" }
            }
            let lines = [
                "| measure (checks 1-4) | " + columns.map(\.0).joined(separator: " | ") + " |",
                "|---|" + String(repeating: "---|", count: columns.count),
                row("instances") { v($0, "instances") == "?" ? "1" : v($0, "instances") },
                row("pipeline saturation") { "\(v($0, "pipeline_msgs_per_s")) msg/s" },
                row("HTTP ceiling (GET /healthz)") { "\(v($0, "ceiling_msgs_per_s")) req/s" },
                row("pipeline / ceiling", ratio),
                row("server CPU per pipeline message (all instances)") { "\(v($0, "pipeline_cpu_us_per_msg")) µs" },
                row("PostgreSQL CPU per pipeline message") { $0["pipeline_engine_cpu_us_per_msg"].map { "\($0) µs" } ?? "–" },
                row("server CPU per /healthz request (all instances)") { "\(v($0, "ceiling_cpu_us_per_req")) µs" },
                row("the pipeline phase's replies all sent, after it") { "\(v($0, "outbox_drain_seconds")) s" },
                row("latency at 100 msg/s p50 / p99 / max", latency(100)),
                row("latency at 500 msg/s p50 / p99 / max", latency(500)),
                row("latency at 1,000 msg/s p50 / p99 / max", latency(1000)),
                row("RSS idle / under load (largest instance)") { "\(v($0, "rss_idle_mb")) / \(v($0, "rss_load_mb")) MB" },
                row("RSS with the stored sessions, idle / at 500 msg/s") {
                    "\(v($0, "rss_100k_idle_mb")) / \(v($0, "rss_mb_100k_sessions")) MB (\(v($0, "sessions_stored")))"
                },
                row("refused (pipeline / 100 / 500 / 1,000 / 500 over sessions)") { values in
                    ["pipeline_errors", "rate_100_errors", "rate_500_errors", "rate_1000_errors", "rate_500_100k_errors"]
                        .map { values[$0] ?? "?" }.joined(separator: " / ")
                },
                row("seeding the sessions") { $0["seed_seconds"].map { "\($0) s" } ?? "?" },
                row("PostgreSQL transactions committed / rolled back (whole database)") { values in
                    values["pg_xact_commit"].map { "\($0) / \(values["pg_xact_rollback"] ?? "?")" } ?? "–"
                },
                row("load average before / after") { "\(v($0, "load_average_before")) / \(v($0, "load_average_after"))" },
            ]
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
