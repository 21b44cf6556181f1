import Metrics
import Prometheus

extension BridgeMetrics {
    /// Inbound SMS stored but not answered because the sender was over its rate limit.
    func rateLimited(gateway: String) {
        Counter(label: "smsbridge_inbound_rate_limited_total", dimensions: [("gateway", gateway)], factory: factory).increment()
    }

    /// Rows the retention purge blanked or deleted, by what they were.
    func purged(_ kind: String, count: Int) {
        guard count > 0 else { return }
        Counter(label: "smsbridge_purged_rows_total", dimensions: [("kind", kind)], factory: factory).increment(by: count)
    }
}
