import Foundation

/// The GSM-safe spelling of Latin-script text (reference §1.6): Albanian without `ë`/`ç`,
/// "shaved" Serbian Latin, French without circumflexes. Residents accept these spellings in
/// SMS, and they keep a message in GSM-7 (160 per segment instead of 70).
public enum GSMFallbackSpelling {
    /// Letters with a fixed replacement. Everything that is already GSM-7 (`é è à ù ì ò É Ç
    /// Ä Ö Ü Ñ Å Æ Ø ä ö ü ñ å æ ø ß`) is kept, so French stays correctly accented where it can.
    static let replacements: [Character: String] = [
        // Albanian
        "ë": "e", "Ë": "E", "ç": "c",
        // Serbian Latin (dž → dz follows from ž → z)
        "č": "c", "Č": "C", "ć": "c", "Ć": "C", "đ": "dj", "Đ": "Dj",
        "š": "s", "Š": "S", "ž": "z", "Ž": "Z",
        "ǆ": "dz", "ǅ": "Dz", "Ǆ": "DZ", "ǉ": "lj", "ǈ": "Lj", "Ǉ": "LJ", "ǌ": "nj", "ǋ": "Nj", "Ǌ": "NJ",
        // French
        "â": "a", "Â": "A", "ê": "e", "Ê": "E", "î": "i", "Î": "I", "ô": "o", "Ô": "O",
        "û": "u", "Û": "U", "ï": "i", "Ï": "I", "ÿ": "y", "Ÿ": "Y", "œ": "oe", "Œ": "Oe",
        "À": "A", "È": "E", "Ì": "I", "Ò": "O", "Ù": "U",
        // Letters with a stroke that NFD does not take apart
        "ł": "l", "Ł": "L", "ı": "i",
    ]

    /// Capitals that become two letters: title case normally (`Đak` → `Djak`), all caps inside
    /// an all-caps word (`ĐAK` → `DJAK`), as feature phones in caps lock send.
    static let allCapsReplacements: [Character: String] = ["Đ": "DJ", "Œ": "OE"]

    /// Replaces Latin letters outside GSM-7 with their fallback; any other Latin letter with
    /// diacritics loses them when that makes it GSM-7. Cyrillic, Arabic and anything else that
    /// is not a Latin letter is left alone: changing script is never a silent fallback.
    public static func fold(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for (index, character) in characters.enumerated() {
            output += fold(character, at: index, in: characters)
        }
        return output
    }

    private static func fold(_ character: Character, at index: Int, in characters: [Character]) -> String {
        let composed = CanonicalComposition.compose(String(character))
        if GSM7Alphabet.isEncodable(composed) { return composed }
        if let twoLetters = allCapsReplacements[character], isInAllCapsWord(index, characters) {
            return twoLetters
        }
        if let replacement = replacements[character] { return replacement }
        return strippedLatin(composed) ?? composed
    }

    /// `ő` → `o`, `Á` → `A`, `q̈` → `q`: only for Latin letters, and only when the result is GSM-7.
    private static func strippedLatin(_ text: String) -> String? {
        let decomposed = text.decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = decomposed.first, isLatinLetter(base) else { return nil }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: decomposed.filter { $0.properties.generalCategory != .nonspacingMark })
        let stripped = String(kept)
        return GSM7Alphabet.isEncodable(stripped) ? stripped : nil
    }

    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.properties.isAlphabetic else { return false }
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF:
            return true
        default:
            return false
        }
    }

    /// True when the word around `index` has another cased letter and no lowercase one.
    private static func isInAllCapsWord(_ index: Int, _ characters: [Character]) -> Bool {
        var start = index
        while start > characters.startIndex, characters[start - 1].isLetter { start -= 1 }
        var end = index + 1
        while end < characters.endIndex, characters[end].isLetter { end += 1 }
        var otherCased = false
        for position in start..<end where position != index {
            let letter = characters[position]
            if letter.isLowercase { return false }
            if letter.isUppercase { otherCased = true }
        }
        return otherCased
    }
}
