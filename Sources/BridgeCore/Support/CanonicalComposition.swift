import Foundation

/// NFC with a quick check first: a text whose every scalar is already composed, combines with nothing before it and
/// has combining class 0 is its own NFC, and is returned as it is.
///
/// Why: `precomposedStringWithCanonicalMapping` converts through `NSString` and costs several microseconds a call even
/// when nothing changes. It ran on every inbound text and every outbound string, about 2% of the server's CPU under
/// load. The ranges below cover the scripts of our languages (Latin, Cyrillic, Arabic letters, common punctuation);
/// a text with anything else, a combining mark included, goes through Foundation as before.
public enum CanonicalComposition {
    /// The NFC form of `text`.
    public static func compose(_ text: String) -> String {
        isComposed(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The NFKC form of `text`, with the same quick check less the scalars that have a compatibility decomposition
    /// (`ﬁ`, `½`, `…`, no-break space): the match key of every inbound text starts with it.
    public static func composeCompatibility(_ text: String) -> String {
        for byte in text.utf8 where byte >= 0x80 {
            let stable = text.unicodeScalars.allSatisfy { isStableStarter($0) && !compatibilityDecomposable.contains($0.value) }
            return stable ? text : text.precomposedStringWithCompatibilityMapping
        }
        return text
    }

    /// The scalars of the ranges below that NFKC changes, asked of Foundation once.
    static let compatibilityDecomposable: Set<UInt32> = {
        var changed = Set<UInt32>()
        for range in stableStarterRanges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = String(scalar)
                if text.precomposedStringWithCompatibilityMapping != text { changed.insert(value) }
            }
        }
        return changed
    }()

    /// True when `text` is NFC by the quick check alone.
    public static func isComposed(_ text: String) -> Bool {
        for byte in text.utf8 where byte >= 0x80 {
            return text.unicodeScalars.allSatisfy(isStableStarter)
        }
        return true
    }

    /// Scalars that NFC leaves as they are whatever surrounds them: not decomposable to something else (no singleton or
    /// excluded composition), combining class 0, and never the second half of a canonical composition. Checked against
    /// Foundation for every scalar of every range, and against every composition in Unicode, in the tests.
    static let stableStarterRanges: [ClosedRange<UInt32>] = [
        0x0000...0x02FF,  // Basic Latin to Spacing Modifier Letters
        0x0400...0x0482,  // Cyrillic, before the combining titlo and palatalisation marks
        0x048A...0x052F,  // Cyrillic and Cyrillic Supplement letters
        0x0600...0x060F,  // Arabic signs and punctuation, before the Quranic marks
        0x061B...0x064A,  // Arabic punctuation and letters, before the harakat
        0x0660...0x066F,  // Arabic-Indic digits and signs
        0x0671...0x06D5,  // Arabic extended letters (ۀ ۂ ۓ are composed forms, stable)
        0x2010...0x2027,  // dashes, quotes, bullets, ellipsis
        0x2030...0x205E,  // per mille, primes, guillemets
        0x20A0...0x20C0,  // currency signs
    ]

    static func isStableStarter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for range in stableStarterRanges where range.contains(value) { return true }
        return false
    }
}
