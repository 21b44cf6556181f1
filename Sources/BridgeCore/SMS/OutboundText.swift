import Synchronization

/// A message ready for a gateway: the exact text to send and what it will cost.
public struct OutboundText: Sendable, Equatable {
    /// The text to hand to the gateway, already sanitised (and folded when that was cheaper).
    public var text: String
    /// Cost of `text` as sent, to check against the template's segment budget and to compare
    /// with what the gateway reports it billed (some aggregators re-encode).
    public var cost: SMSCost
    /// True when the GSM-safe spelling was sent instead of the native one, so logs and
    /// reviewers can tell a deliberate `e` for `ë` from a template typo.
    public var usedFallbackSpelling: Bool

    public init(text: String, cost: SMSCost, usedFallbackSpelling: Bool) {
        self.text = text
        self.cost = cost
        self.usedFallbackSpelling = usedFallbackSpelling
    }
}

/// Chooses between native and GSM-safe spelling for every outbound SMS (reference §1.8).
public enum SMSComposer {
    /// Native spelling when it costs no more segments than the fallback; otherwise the fallback
    /// (when allowed), because each extra segment is billed to the municipality.
    ///
    /// Cyrillic and Arabic text has no fallback: folding would mean changing script, which is a
    /// language choice for the resident, never a silent saving. The folded text may still be
    /// UCS-2 (a Latin prompt that names `Српски`); it is then chosen only if it saves a segment.
    public static func prepare(_ native: String, script: Script, allowFallbackSpelling: Bool) -> OutboundText {
        let key = CacheKey(native: native, script: script, allowFallbackSpelling: allowFallbackSpelling)
        if let prepared = cache.withLock({ $0[key] }) { return prepared }
        let prepared = compose(native, script: script, allowFallbackSpelling: allowFallbackSpelling)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = prepared
        }
        return prepared
    }

    /// Prepared texts by input. Most replies are the same few prompts (menus, questions, thanks) in each language, and
    /// sanitising, segmenting and folding them (Unicode normalisation through Foundation) was a tenth of a webhook's CPU;
    /// the result depends on the input alone, so it is computed once. Bounded: texts that quote a resident (summaries)
    /// rarely repeat, and the cache is simply emptied when full.
    private static let cache = Mutex<[CacheKey: OutboundText]>([:])
    private static let cacheLimit = 4_096

    private struct CacheKey: Hashable {
        var native: String
        var script: Script
        var allowFallbackSpelling: Bool
    }

    private static func compose(_ native: String, script: Script, allowFallbackSpelling: Bool) -> OutboundText {
        let sanitized = SMSSanitizer.sanitize(native)
        let nativeCost = SMSSegmenter.cost(of: sanitized)
        let keepNative = OutboundText(text: sanitized, cost: nativeCost, usedFallbackSpelling: false)
        if nativeCost.encoding == .gsm7 { return keepNative }
        switch script {
        case .cyrillic, .arabic:
            return keepNative
        case .latin:
            guard allowFallbackSpelling else { return keepNative }
            let folded = GSMFallbackSpelling.fold(sanitized)
            guard folded != sanitized else { return keepNative }
            let foldedCost = SMSSegmenter.cost(of: folded)
            if nativeCost.segments <= foldedCost.segments { return keepNative }
            return OutboundText(text: folded, cost: foldedCost, usedFallbackSpelling: true)
        }
    }
}
