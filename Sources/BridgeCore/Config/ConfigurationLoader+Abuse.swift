import Foundation

extension ConfigurationLoader {
    /// `sender_limit: {messages: 20, per: 5m}` or `sender_limit: off`, in `server:` (the default of every deployment) or
    /// in a deployment file (its own).
    mutating func parseSenderLimit(_ value: YAMLValue, in what: String) -> SenderRateLimit? {
        let example = "\(what).sender_limit must be {messages: 20, per: 5m} or off"
        if let text = value.string {
            if ["off", "false", "no"].contains(text.lowercased()) { return .off }
            diagnostics.report(value.file, value.line, example)
            return nil
        }
        guard value.mapping != nil else {
            diagnostics.report(value.file, value.line, example)
            return nil
        }
        value.checkKeys(["messages", "per"], in: "\(what).sender_limit", &diagnostics)
        let messages = value.optionalInt("messages", in: "\(what).sender_limit", range: 1...10_000, &diagnostics)
        var window: TimeInterval?
        if let per = value["per"] {
            if let text = per.string, let seconds = Self.parseDuration(text), (1...86_400).contains(seconds) {
                window = seconds
            } else {
                diagnostics.report(value.file, per.line, "\(what).sender_limit.per must be a duration from 1s to 1d, such as 5m")
            }
        }
        if value["messages"] == nil || value["per"] == nil {
            diagnostics.report(value.file, value.line, example)
        }
        guard let messages, let window else { return nil }
        return SenderRateLimit(messages: messages, window: window)
    }

    /// `retention_days: 90`: message texts and sessions older than this are purged daily by `serve`.
    mutating func parseRetentionDays(_ server: YAMLValue) -> Int? {
        server.optionalInt("retention_days", in: "'server'", range: 1...36_500, &diagnostics)
    }
}
