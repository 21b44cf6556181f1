/// The consonant skeleton of an Arabizi token (§2.6), so that `wa7ed`, `wahed`, `ouahed` and `wahd`
/// (all "one") compare equal without listing every spelling.
enum ArabiziSkeleton {
    /// Whether a key token can be an Arabizi word at all: ASCII letters and Arabizi digits only,
    /// with at least one letter.
    static func isCandidate(_ token: String) -> Bool {
        var hasLetter = false
        for scalar in token.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A: hasLetter = true
            case 0x32, 0x33, 0x35...0x39: continue  // 2 3 5 6 7 8 9
            default: return false
            }
        }
        return hasLetter
    }

    /// Whether a token writes a letter with a digit (`wa7ed`, `3afak`, `l7fari`): a sure sign of
    /// Arabizi, unlike house numbers (`5a`) that have one letter at most.
    static func hasArabiziDigit(_ token: String) -> Bool {
        var letters = 0, digits = 0
        for scalar in token.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A: letters += 1
            case 0x32, 0x33, 0x35, 0x37, 0x39: digits += 1
            case 0x36, 0x38: continue
            default: return false
            }
        }
        return letters >= 2 && digits >= 1
    }

    /// §2.6: `ou→u kh→5 gh→8 ch→sh`; `7→h 9→q 5→x 8→g 6→t`, drop `3 2`; `sh→s w→u`; drop vowels.
    static func skeleton(of token: String) -> String {
        var text = token
        for (from, to) in [("ou", "u"), ("kh", "5"), ("gh", "8"), ("ch", "sh")] {
            text = text.replacing(from, with: to)
        }
        var mapped = ""
        for character in text {
            switch character {
            case "7": mapped.append("h")
            case "9": mapped.append("q")
            case "5": mapped.append("x")
            case "8": mapped.append("g")
            case "6": mapped.append("t")
            case "3", "2": continue
            default: mapped.append(character)
            }
        }
        mapped = mapped.replacing("sh", with: "s").replacing("w", with: "u")
        return mapped.filter { !"aeiouy".contains($0) }
    }
}
