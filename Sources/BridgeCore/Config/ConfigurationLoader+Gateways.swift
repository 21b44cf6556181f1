import Foundation

extension ConfigurationLoader {
    mutating func parseServer(_ value: YAMLValue?, file: String) -> ServerSettings {
        var settings = ServerSettings()
        guard let value else { return settings }
        let what = "'server'"
        value.checkKeys(["host", "port", "database", "admin_token_env", "retry_initial_delay", "retry_max_attempts", "sender_limit", "retention_days",
                         "store", "postgres_url_env", "instance", "lease"],
                        in: what, &diagnostics)
        if let limit = value["sender_limit"].flatMap({ parseSenderLimit($0, in: "server") }) { settings.senderLimit = limit }
        settings.retentionDays = parseRetentionDays(value)
        if let delay = value["retry_initial_delay"] {
            if let text = delay.string, let seconds = Self.parseDuration(text), seconds > 0, seconds <= 3600 {
                settings.retryInitialDelay = seconds
            } else {
                diagnostics.report(file, delay.line, "server.retry_initial_delay must be a duration such as 500ms, 5s or 1m")
            }
        }
        if let attempts = value.optionalInt("retry_max_attempts", in: what, range: 1...100, &diagnostics) {
            settings.retryMaximumAttempts = attempts
        }
        if let host = value.optionalString("host", in: what, &diagnostics) { settings.host = host }
        if let port = value.optionalInt("port", in: what, range: 1...65535, &diagnostics) { settings.port = port }
        if let database = value.optionalString("database", in: what, &diagnostics) { settings.database = database }
        settings.adminTokenVariable = value.optionalString("admin_token_env", in: what, &diagnostics)
        parseStoreSettings(value, into: &settings, file: file)
        return settings
    }

    mutating func parseGateways(_ value: YAMLValue, deployment: String, file: String) -> [GatewayDefinition] {
        guard let items = value.sequence else {
            diagnostics.report(file, value.line, "'gateways' must be a list of gateways")
            return []
        }
        var gateways: [GatewayDefinition] = []
        for item in items {
            let what = "a gateway"
            item.checkKeys(["id", "type", "sender", "public_base_url", "rate", "secrets", "options"], in: what, &diagnostics)
            guard let id = item.requiredString("id", in: what, &diagnostics) else { continue }
            if id.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) == nil {
                diagnostics.report(file, item.keyLine("id"), "gateway id '\(id)' must be lowercase letters, digits, '-' or '_' (it is a URL path)")
            }
            let type = item.requiredString("type", in: "gateway '\(id)'", &diagnostics) ?? ""
            if !type.isEmpty, !GatewayDefinition.knownTypes.contains(type) {
                diagnostics.report(file, item.keyLine("type"), "gateway '\(id)' has unknown type '\(type)' (known: \(GatewayDefinition.knownTypes.joined(separator: ", ")))")
            }
            let sender = item.optionalString("sender", in: "gateway '\(id)'", &diagnostics) ?? ""
            let baseURL = item.requiredString("public_base_url", in: "gateway '\(id)'", &diagnostics) ?? ""
            if !baseURL.isEmpty, URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                diagnostics.report(file, item.keyLine("public_base_url"), "gateway '\(id)': public_base_url must be an http(s) URL such as https://bridge.example.org")
            }
            var rate = 10.0
            if let value = item["rate"] {
                if let text = value.string, let number = Double(text), number > 0, number <= 10_000 {
                    rate = number
                } else {
                    diagnostics.report(file, value.line, "gateway '\(id)': rate must be messages per second, above 0")
                }
            }
            var secrets: [String: String] = [:]
            for entry in item["secrets"]?.mapping ?? [] {
                guard let variable = entry.value.string, variable.range(of: "^[A-Z_][A-Z0-9_]*$", options: .regularExpression) != nil else {
                    diagnostics.report(file, entry.keyLine, "gateway '\(id)': secrets.\(entry.key) must name an environment variable (e.g. TWILIO_AUTH_TOKEN), never hold the secret itself")
                    continue
                }
                secrets[entry.key] = variable
            }
            var options: [String: String] = [:]
            for entry in item["options"]?.mapping ?? [] {
                options[entry.key] = entry.value.string ?? ""
            }
            gateways.append(GatewayDefinition(
                id: id, type: type, deployment: deployment, sender: sender, publicBaseURL: baseURL, ratePerSecond: rate,
                secretVariables: secrets, options: options, file: file, line: item.line))
        }
        return gateways
    }
}
