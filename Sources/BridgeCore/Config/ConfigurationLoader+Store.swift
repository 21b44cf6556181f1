import Foundation

extension ConfigurationLoader {
    /// `server.store`, `postgres_url_env`, `instance` and `lease`: which engine, and how several instances share it.
    mutating func parseStoreSettings(_ value: YAMLValue, into settings: inout ServerSettings, file: String) {
        let what = "'server'"
        if let store = value["store"] {
            if let kind = store.string.flatMap(ServerSettings.StoreKind.init(rawValue:)) {
                settings.store = kind
            } else {
                diagnostics.report(file, store.line, "server.store must be sqlite (one instance, the default) or postgres (several instances)")
            }
        }
        if let variable = value.optionalString("postgres_url_env", in: what, &diagnostics) {
            if variable.range(of: "^[A-Z_][A-Z0-9_]*$", options: .regularExpression) != nil {
                settings.postgresURLVariable = variable
            } else {
                diagnostics.report(file, value.keyLine("postgres_url_env"),
                                   "server.postgres_url_env must name an environment variable (e.g. SMSBRIDGE_POSTGRES_URL), never hold the URL itself")
            }
        }
        if let instance = value.optionalString("instance", in: what, &diagnostics) {
            if instance.range(of: "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$", options: .regularExpression) != nil {
                settings.instance = instance
            } else {
                diagnostics.report(file, value.keyLine("instance"), "server.instance must be letters, digits, '.', ':', '-' or '_' (at most 63)")
            }
        }
        if let lease = value["lease"] {
            if let text = lease.string, let seconds = Self.parseDuration(text), seconds >= 2, seconds <= 3600 {
                settings.lease = seconds
            } else {
                diagnostics.report(file, lease.line, "server.lease must be a duration from 2s to 1h, such as 30s")
            }
        }
    }
}
