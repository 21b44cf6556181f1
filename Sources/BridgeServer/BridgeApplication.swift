import AsyncHTTPClient
import BridgeCore
import BridgeStore
import Foundation
import Gateways
import Hummingbird
import Logging
import NIOCore
import Platform
import ServiceLifecycle

/// Everything `serve` runs, assembled from the operator files: routes, store, workers.
public struct BridgeApplication: Sendable {
    public let configuration: BridgeConfiguration
    public let store: any Store
    public let gateways: [String: GatewayRuntime]
    public let metrics: BridgeMetrics
    public let signal: OutboxSignal
    /// Deployments whose reports go to FixMyStreet or Open311 (the others are numbered by the store).
    public let platforms: [String: PlatformRuntime]
    /// Wakes the report forwarder when the inbound transaction stored a report.
    public let submissionSignal: OutboxSignal
    /// Wakes the status refresher when a STATUS question waits for the platform.
    public let statusSignal: OutboxSignal
    public let logger: Logger
    public let clock: @Sendable () -> Date
    let adminToken: String?
    /// Per-sender rate limit and loop guard, shared by every request of this application (see ``SenderGuard``).
    public let senderGuard: SenderGuard
    /// This process among the instances sharing the store: the owner of its workers' claims.
    public var instance = InstanceIdentity()

    /// Resolves gateways against `environment`; throws every start-up problem with file and line.
    /// `platforms` (deployment id → platform) replaces the platforms the configuration describes: tests pass doubles here.
    public init(configuration: BridgeConfiguration, store: any Store, environment: [String: String], logger: Logger,
                metrics: BridgeMetrics = BridgeMetrics(), clock: @escaping @Sendable () -> Date = { Date() },
                platforms overrides: [String: any ReportPlatform] = [:], platformHTTPClient: HTTPClient = .shared) throws(ConfigurationError) {
        let (gateways, diagnostics) = GatewayRuntime.resolve(configuration, environment: environment)
        let (platforms, platformDiagnostics) = PlatformRuntime.resolve(
            configuration, environment: environment, httpClient: platformHTTPClient, overrides: overrides, logger: logger)
        var problems = diagnostics + platformDiagnostics
        var token: String?
        if let variable = configuration.server.adminTokenVariable {
            token = environment[variable]
            if token?.isEmpty ?? true {
                problems.append(Diagnostic(file: configuration.file, line: 1, message: "server.admin_token_env names \(variable), which is not set"))
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        self.configuration = configuration
        self.store = store
        self.gateways = gateways
        self.metrics = metrics
        self.signal = OutboxSignal()
        self.platforms = platforms
        self.submissionSignal = OutboxSignal()
        self.statusSignal = OutboxSignal()
        self.logger = logger
        self.clock = clock
        self.adminToken = token
        self.senderGuard = SenderGuard(serverLimit: configuration.server.senderLimit, logger: logger, metrics: metrics)
    }

    public func router(policy: RetryPolicy = RetryPolicy()) -> Router<BridgeRequestContext> {
        let router = Router(context: BridgeRequestContext.self)
        let store = self.store
        let metrics = self.metrics
        let admin = AdminAuthorization(token: adminToken)
        router.get("/healthz") { _, _ -> Response in
            do {
                // A transaction that reads nothing still reaches the database (PostgreSQL: BEGIN and COMMIT round trips),
                // without counting a table a load balancer would otherwise scan at every probe.
                _ = try await store.read { _ in true }
                return WebhookController.text(200, "ok")
            } catch {
                return WebhookController.text(503, "store unavailable")
            }
        }
        router.get("/metrics") { request, context -> Response in
            if let refusal = admin.refusal(request, context) { return refusal }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        let processor = InboundProcessor(store: store, logger: logger, metrics: metrics, outboxSignal: signal,
                                         forwardedDeployments: Set(platforms.keys), submissionSignal: submissionSignal,
                                         statusStaleAfter: platforms.mapValues(\.definition.statusStaleAfter), statusSignal: statusSignal,
                                         retryPolicy: policy,
                                         senderGuard: senderGuard)
        WebhookController(gateways: gateways, processor: processor, metrics: metrics, logger: logger, clock: clock).register(on: router)
        return router
    }

    public func outboxSender(httpClient: HTTPClient, policy: RetryPolicy = RetryPolicy()) -> OutboxSender {
        OutboxSender(store: store, gateways: gateways, httpClient: httpClient, policy: policy, signal: signal, metrics: metrics,
                     logger: logger, instance: instance, clock: clock)
    }

    /// Files the reports of deployments with a remote platform and acknowledges them with the platform's id.
    public func reportForwarder(policy: ForwarderPolicy = ForwarderPolicy()) -> ReportForwarder {
        ReportForwarder(store: store, platforms: platforms, policy: policy, signal: submissionSignal, outboxSignal: signal, logger: logger,
                        instance: instance, clock: clock)
    }

    /// Texts residents when their reports change state on the remote platform.
    public func statusPoller(interval: TimeInterval? = nil) -> StatusPoller {
        StatusPoller(store: store, platforms: platforms, outboxSignal: signal, logger: logger, interval: interval, instance: instance, clock: clock)
    }

    /// Answers STATUS questions about stale reports after asking the platform again.
    public func statusRefresher(timeout: Duration = .seconds(10)) -> StatusRefresher {
        StatusRefresher(store: store, platforms: platforms, signal: statusSignal, outboxSignal: signal, logger: logger, timeout: timeout,
                        clock: clock)
    }

    /// Blanks message texts and deletes sessions older than `days`, at start and daily (`server.retention_days`).
    public func retentionPurger(days: Int, interval: Duration = .seconds(86_400)) -> RetentionPurger {
        RetentionPurger(store: store, retentionDays: days, metrics: metrics, logger: logger, interval: interval, clock: clock)
    }

    /// The HTTP server with the outbox sender beside it, and the report forwarder and status poller when a deployment files on a remote
    /// platform; all stop gracefully on SIGTERM/SIGINT.
    public func application(host: String, port: Int, httpClient: HTTPClient, policy: RetryPolicy = RetryPolicy()) -> some ApplicationProtocol {
        var app = Application(router: router(policy: policy), configuration: .init(address: .hostname(host, port: port), serverName: "smsbridge"),
                              logger: logger)
        app.addServices(outboxSender(httpClient: httpClient, policy: policy))
        if let days = configuration.server.retentionDays { app.addServices(retentionPurger(days: days)) }
        if !platforms.isEmpty {
            // One retry knob (server.retry_initial_delay) for sending SMS and for filing reports.
            app.addServices(reportForwarder(policy: ForwarderPolicy(initialDelay: policy.initialDelay)), statusPoller(), statusRefresher())
        }
        return app
    }
}
