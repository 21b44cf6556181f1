/// What one USSD request added, found from the provider's cumulative `text`.
public enum USSDTurn: Sendable, Equatable {
    /// Empty text: the session just opened; show the first screen.
    case start
    /// The newest answer, which may itself contain `*` (free text) or be empty.
    case input(String)
    /// The same text as last time: the gateway retried. Answer the same screen again and
    /// submit nothing twice.
    case repeated
    /// The previous text is not a prefix of this one (lost state, a gateway that resent an
    /// older state): the last `*` segment is the best guess. Log it.
    case resynced(String)
}

/// Africa's Talking-style cumulative USSD text (`1*2*Rruga 5`), turned into the newest answer
/// without a naive `split("*")`, which breaks as soon as an answer contains `*` (§3.f).
public enum USSDTextDiff {
    /// - Parameters:
    ///   - previous: the cumulative text of the session's last request, nil when none was seen.
    ///   - current: this request's cumulative text.
    public static func turn(previous: String?, current: String) -> USSDTurn {
        if let previous, previous == current { return previous.isEmpty ? .start : .repeated }
        if current.isEmpty { return .start }
        guard let previous, !previous.isEmpty else { return .input(current) }
        let prefix = previous + "*"
        if current.hasPrefix(prefix) { return .input(String(current.dropFirst(prefix.count))) }
        if previous.hasPrefix(current + "*") { return .repeated }
        return .resynced(current.split(separator: "*", omittingEmptySubsequences: false).last.map(String.init) ?? current)
    }

    /// The menu path the inputs lead to, with the back convention applied: `back` drops the
    /// last step, `home` returns to the main menu. AT has no back verb, so the dialog shows the
    /// convention on every screen and the engine keeps the list of inputs.
    public static func effectivePath(of inputs: [String], back: String = "0", home: String = "00") -> [String] {
        var path: [String] = []
        for input in inputs {
            if input == home {
                path.removeAll()
            } else if input == back {
                if !path.isEmpty { path.removeLast() }
            } else {
                path.append(input)
            }
        }
        return path
    }
}
