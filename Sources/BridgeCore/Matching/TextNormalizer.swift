import Foundation

/// Builds the match key every matcher compares on (§2.1), so that the same word typed in Cyrillic
/// or Latin, with or without accents, harakat, bidi marks or Arabic-Indic digits meets itself.
///
/// The key is for comparison only: store and echo the raw text. Arabic is never transliterated.
public enum TextNormalizer {
    /// The §2.1 pipeline, in order: NFKC; strip format and bidi controls; Unicode digits → ASCII;
    /// casefold; homoglyph repair of mixed-script tokens; Serbian Cyrillic → Latin; letters that NFD
    /// leaves alone (`đ ł ø æ œ ß ı`); Arabic unification; NFD and drop marks; punctuation and
    /// symbols → space, whitespace collapsed and trimmed.
    public static func matchKey(_ raw: String) -> String {
        keyVariants(raw)[0]
    }

    /// The match key first, then, only when a token mixes Latin and Cyrillic lookalikes, the key
    /// without homoglyph repair. Repair reads `Cтоп` as `stop` but `Pомоћ` (Latin P typed before
    /// switching keyboards) as `romoc`; matchers with a vocabulary try the second key when the
    /// first finds nothing, so both come out right.
    public static func keyVariants(_ raw: String) -> [String] {
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            // Plain ASCII: every step but casefolding and step 8 is the identity.
            return [collapse(String(String.UnicodeScalarView(raw.unicodeScalars.map(\.lowercasedASCII))).unicodeScalars)]
        }
        var scalars = Array(CanonicalComposition.composeCompatibility(raw).unicodeScalars)  // 1
        scalars.removeAll(where: isFormatControl)  // 2
        scalars = scalars.map(asciiDigit)  // 3
        scalars = casefold(scalars)  // 4
        let repaired = CyrillicFolding.repairHomoglyphs(scalars)  // 5
        let primary = finish(repaired)
        guard repaired != scalars else { return [primary] }
        let plain = finish(scalars)
        return plain == primary ? [primary] : [primary, plain]
    }

    /// Steps 5 (transliteration) to 8.
    private static func finish(_ casefolded: [Unicode.Scalar]) -> String {
        var scalars = transliterateCyrillic(casefolded)
        scalars = foldUndecomposableLetters(scalars)  // 6
        scalars = ArabicFolding.unify(scalars)  // 7
        return collapse(CanonicalDecomposition.decompose(scalars))  // 7 (drop marks) and 8
    }

    /// The match key split on spaces; matching works on tokens because elision and punctuation
    /// (`l'école`, `nids-de-poule`) become spaces.
    public static func tokens(_ raw: String) -> [String] {
        matchKey(raw).split(separator: " ").map(String.init)
    }

    /// Whether the raw text has at least one letter of `script` (before any folding).
    public static func containsLetters(_ raw: String, of script: Script) -> Bool {
        raw.unicodeScalars.contains { ScriptClassifier.script(of: $0) == script }
    }

    /// The script most letters of the raw text are in, or nil when it has no letters. A tie goes to
    /// Arabic, then Cyrillic, since stray Latin letters are the common noise.
    public static func dominantScript(_ raw: String) -> Script? {
        ScriptClassifier.dominant(ScriptClassifier.letterCounts(raw.unicodeScalars))
    }

    /// Key tokens with the range of the raw whitespace-separated chunk each came from, so a match
    /// found on keys can be reported in the resident's own spelling.
    static func tokensWithRanges(_ raw: String) -> [(token: String, range: Range<String.Index>)] {
        var result: [(token: String, range: Range<String.Index>)] = []
        var index = raw.startIndex
        while index < raw.endIndex {
            guard !raw[index].isWhitespace else {
                index = raw.index(after: index)
                continue
            }
            var end = index
            while end < raw.endIndex, !raw[end].isWhitespace { end = raw.index(after: end) }
            let range = index..<end
            for token in tokens(String(raw[range])) {
                result.append((token, range))
            }
            index = end
        }
        return result
    }

    // MARK: - Steps

    private static func isFormatControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF:
            return true
        default:
            return false
        }
    }

    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard scalar.value > 0x7F,
              scalar.properties.generalCategory == .decimalNumber,
              let value = scalar.properties.numericValue,
              value >= 0, value <= 9
        else { return scalar }
        return Unicode.Scalar(UInt8(0x30 + Int(value)))
    }

    /// Full lowercase mapping plus the few places where casefolding differs from lowercasing.
    /// `İ` becomes `i` + U+0307, whose dot is dropped with the other marks later.
    private static func casefold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.value < 0x80 {
                result.append(scalar.lowercasedASCII)
                continue
            }
            switch scalar {
            case "ς": result.append("σ")
            case "ſ": result.append("s")
            default: result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    private static func transliterateCyrillic(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains(where: { (0x400...0x52F).contains($0.value) }) else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if let latin = CyrillicFolding.transliteration[scalar] {
                result.append(contentsOf: latin.unicodeScalars)
            } else if (0x400...0x52F).contains(scalar.value) {
                // Accented letters outside the table (`ѐ`, `ѝ`, `ӣ`): transliterate the base letter
                // and keep the accent for step 7 to drop, so no Cyrillic leaks into the key.
                let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
                if parts.count > 1, let latin = CyrillicFolding.transliteration[parts[0]] {
                    result.append(contentsOf: latin.unicodeScalars)
                    result.append(contentsOf: parts.dropFirst())
                } else {
                    result.append(scalar)
                }
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    private static let undecomposable: [Unicode.Scalar: String] = [
        "đ": "dj", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i",
        "ð": "d", "þ": "th", "ħ": "h",
    ]

    private static func foldUndecomposableLetters(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.value >= 0xB0, let folded = undecomposable[scalar] {
                result.append(contentsOf: folded.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Drops marks (so `ë`, `č`, a keycap's enclosing mark and variation selectors go), turns
    /// punctuation, symbols, separators and controls into single spaces, and trims.
    private static func collapse(_ scalars: String.UnicodeScalarView) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in scalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .surrogate, .privateUse, .unassigned:
                continue
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation,
                 .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.append(scalar)
            }
        }
        return String(out)
    }
}

private extension Unicode.Scalar {
    var lowercasedASCII: Unicode.Scalar {
        (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : self
    }
}
