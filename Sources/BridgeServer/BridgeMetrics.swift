import Metrics
import Prometheus

/// The bridge's counters, on a registry of its own so tests and several apps in one process never share numbers.
public struct BridgeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    func inbound(gateway: String, count: Int, duplicates: Int) {
        if count > 0 { Counter(label: "smsbridge_inbound_messages_total", dimensions: [("gateway", gateway)], factory: factory).increment(by: count) }
        if duplicates > 0 { Counter(label: "smsbridge_inbound_duplicates_total", dimensions: [("gateway", gateway)], factory: factory).increment(by: duplicates) }
    }

    func rejected(gateway: String, status: Int) {
        Counter(label: "smsbridge_webhook_rejections_total", dimensions: [("gateway", gateway), ("status", String(status))], factory: factory).increment()
    }

    func outbox(gateway: String, outcome: String) {
        Counter(label: "smsbridge_outbox_attempts_total", dimensions: [("gateway", gateway), ("outcome", outcome)], factory: factory).increment()
    }

    func deliveryReports(gateway: String, count: Int) {
        Counter(label: "smsbridge_delivery_reports_total", dimensions: [("gateway", gateway)], factory: factory).increment(by: count)
    }

    /// Prometheus text exposition format.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
