import Foundation

extension ConfigurationLoader {
    /// A deployment's `platform:` section: where its reports go.
    mutating func parsePlatform(_ value: YAMLValue, deployment: String, categories: [Category]?, file: String) -> PlatformDefinition? {
        let what = "'platform'"
        value.checkKeys(
            ["type", "base_url", "secrets", "service", "jurisdiction_id", "fallback_category", "pending_notice_after", "poll_interval",
             "closed_poll_every"], in: what, &diagnostics)
        guard let typeName = value.requiredString("type", in: what, &diagnostics) else { return nil }
        guard let type = PlatformDefinition.PlatformType(rawValue: typeName) else {
            let known = PlatformDefinition.PlatformType.allCases.map(\.rawValue).joined(separator: ", ")
            diagnostics.report(file, value.keyLine("type"), "platform has unknown type '\(typeName)' (known: \(known))")
            return nil
        }
        var definition = PlatformDefinition(type: type, file: file, line: value.line)
        definition.baseURL = value.optionalString("base_url", in: what, &diagnostics)
        if let url = definition.baseURL, URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            diagnostics.report(file, value.keyLine("base_url"), "platform.base_url must be an http(s) URL such as https://ndreqe.com")
        }
        if type != .local, definition.baseURL == nil {
            diagnostics.report(file, value.line, "platform (\(type.rawValue)) needs base_url: where the platform listens")
        }
        for entry in value["secrets"]?.mapping ?? [] {
            guard let variable = entry.value.string, variable.range(of: "^[A-Z_][A-Z0-9_]*$", options: .regularExpression) != nil else {
                diagnostics.report(file, entry.keyLine, "platform: secrets.\(entry.key) must name an environment variable (e.g. FMS_STAFF_PASSWORD), never hold the secret itself")
                continue
            }
            definition.secretVariables[entry.key] = variable
        }
        for name in definition.requiredSecrets where definition.secretVariables[name] == nil {
            diagnostics.report(file, value.line, "platform (\(type.rawValue)) needs secrets.\(name): the name of the environment variable that holds it")
        }
        if let service = value.optionalString("service", in: what, &diagnostics) { definition.serviceTag = service }
        definition.jurisdictionID = value.optionalString("jurisdiction_id", in: what, &diagnostics)
        if let fallback = value.optionalString("fallback_category", in: what, &diagnostics) {
            definition.fallbackCategoryID = fallback
            if let categories, !categories.contains(where: { $0.id == fallback }) {
                diagnostics.report(file, value.keyLine("fallback_category"), "platform.fallback_category names an unknown category '\(fallback)'")
            }
        }
        for (key, range) in [("pending_notice_after", 0.1...600.0), ("poll_interval", 1.0...86_400.0)] {
            guard let item = value[key] else { continue }
            if let text = item.string, let seconds = Self.parseDuration(text), range.contains(seconds) {
                if key == "pending_notice_after" { definition.pendingNoticeAfter = seconds } else { definition.pollInterval = seconds }
            } else {
                diagnostics.report(file, item.line, "platform.\(key) must be a duration such as 3s or 10m")
            }
        }
        if let every = value.optionalInt("closed_poll_every", in: what, range: 1...10_000, &diagnostics) {
            definition.closedPollEvery = every
        }
        return definition
    }
}
