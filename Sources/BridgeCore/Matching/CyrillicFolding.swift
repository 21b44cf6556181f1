/// Serbian Cyrillic to folded Latin (§2.4), and repair of tokens that mix Latin and Cyrillic
/// lookalikes because the writer switched keyboards mid-word.
///
/// Works on casefolded scalars: the pipeline folds case first, so every table here is lowercase.
enum CyrillicFolding {
    /// Cyrillic letter → folded ASCII Latin. Serbian is complete; common Russian, Ukrainian,
    /// Macedonian and Bulgarian letters are added so that text from other keyboards still gets a
    /// Latin key instead of leaking Cyrillic into it.
    static let transliteration: [Unicode.Scalar: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
        "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
        "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
        // Other Cyrillic alphabets.
        "й": "j", "ё": "e", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "щ": "sc", "ъ": "", "ь": "",
        "і": "i", "ї": "ji", "є": "je", "ґ": "g", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ў": "u",
    ]

    /// Cyrillic letters that look like a Latin letter (upper or lower case, since case is already folded).
    static let cyrillicLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "ј": "j", "і": "i", "ѕ": "s", "ԁ": "d",
        "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    ]

    /// Latin letters that look like a Cyrillic letter. `s` is left out on purpose: its lookalike
    /// `ѕ` is Macedonian "dz" and would transliterate wrongly.
    static let latinLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "j": "ј", "k": "к",
        "m": "м", "o": "о", "p": "р", "t": "т", "x": "х", "y": "у",
    ]

    /// Maps the lookalikes of each mixed Latin/Cyrillic letter run into the run's majority script.
    ///
    /// The majority is decided first by letters that have no lookalike (an `п` or a `č` proves the
    /// script), then by plain counts; a tie leaves the run alone rather than guessing.
    static func repairHomoglyphs(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result = scalars
        var start = 0
        while start < result.count {
            guard isRunScalar(result[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < result.count, isRunScalar(result[end]) { end += 1 }
            repairRun(&result, start..<end)
            start = end
        }
        return result
    }

    private static func isRunScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    private static func repairRun(_ scalars: inout [Unicode.Scalar], _ range: Range<Int>) {
        var latin = 0, cyrillic = 0, latinProof = 0, cyrillicProof = 0
        for scalar in scalars[range] {
            switch ScriptClassifier.script(of: scalar) {
            case .latin:
                latin += 1
                if latinLookalikes[scalar] == nil { latinProof += 1 }
            case .cyrillic:
                cyrillic += 1
                if cyrillicLookalikes[scalar] == nil { cyrillicProof += 1 }
            default:
                break
            }
        }
        guard latin > 0, cyrillic > 0 else { return }
        let target: Script
        if cyrillicProof > 0, latinProof == 0 {
            target = .cyrillic
        } else if latinProof > 0, cyrillicProof == 0 {
            target = .latin
        } else if cyrillic != latin {
            target = cyrillic > latin ? .cyrillic : .latin
        } else {
            return
        }
        for index in range {
            let scalar = scalars[index]
            if target == .latin, let mapped = cyrillicLookalikes[scalar] {
                scalars[index] = mapped
            } else if target == .cyrillic, let mapped = latinLookalikes[scalar] {
                scalars[index] = mapped
            }
        }
    }
}
