import Foundation

extension ConfigurationLoader {
    /// A deployment's `platform:` section: where its reports go.
    mutating func parsePlatform(_ value: YAMLValue, deployment: String, categories: [Category]?, file: String) -> PlatformDefinition? {
        let what = "'platform'"
        value.checkKeys(
            ["type", "base_url", "secrets", "service", "jurisdiction_id", "fallback_category", "pending_notice_after", "poll_interval",
             "closed_poll_every", "ask_place", "status_stale_after", "give_up_after", "pseudonymous", "time_zone", "duplicate_hint"], in: what,
            &diagnostics)
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
        if let pseudonymous = value.optionalBool("pseudonymous", in: what, &diagnostics), pseudonymous {
            if type == .fixmystreet {
                definition.pseudonymous = true
            } else {
                diagnostics.report(file, value.keyLine("pseudonymous"), "platform.pseudonymous is for type fixmystreet only (this one is \(type.rawValue))")
            }
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
        let durations: [(String, ClosedRange<Double>, WritableKeyPath<PlatformDefinition, Double>)] = [
            ("pending_notice_after", 0.1...600, \.pendingNoticeAfter), ("poll_interval", 1...86_400, \.pollInterval),
            ("status_stale_after", 0...86_400, \.statusStaleAfter), ("give_up_after", 60...(30 * 86_400), \.giveUpAfter),
        ]
        for (key, range, field) in durations {
            guard let item = value[key] else { continue }
            if let text = item.string, let seconds = Self.parseDuration(text), range.contains(seconds) {
                definition[keyPath: field] = seconds
            } else {
                diagnostics.report(
                    file, item.line,
                    "platform.\(key) must be a duration such as 3s, 10m or 2d, between \(Self.describeDuration(range.lowerBound)) and "
                        + "\(Self.describeDuration(range.upperBound))")
            }
        }
        if let ask = value.optionalBool("ask_place", in: what, &diagnostics) { definition.askPlace = ask }
        if let hint = value.optionalBool("duplicate_hint", in: what, &diagnostics) { definition.duplicateHint = hint }
        if let zone = value.optionalString("time_zone", in: what, &diagnostics) {
            if let timeZone = TimeZone(identifier: zone) {
                definition.timeZone = timeZone
            } else {
                diagnostics.report(file, value.keyLine("time_zone"), "platform.time_zone '\(zone)' is not a time zone name such as Europe/Belgrade")
            }
        }
        if let every = value.optionalInt("closed_poll_every", in: what, range: 1...10_000, &diagnostics) {
            definition.closedPollEvery = every
        }
        return definition
    }

    static func describeDuration(_ seconds: Double) -> String {
        if seconds >= 86_400, seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(seconds / 86_400))d" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
