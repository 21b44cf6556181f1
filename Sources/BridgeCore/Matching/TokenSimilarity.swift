/// The shared rules for how close two match-key tokens must be (§2.8), used by choices and the
/// gazetteer alike so that "close enough" means the same everywhere.
enum TokenSimilarity {
    /// Edits allowed between two tokens: none when either has 3 characters or fewer (`dy`/`da`,
    /// `tre`/`tri`, `un`/`une` are different words), 1 up to 8 characters, 2 from 9.
    static func threshold(_ lengthA: Int, _ lengthB: Int) -> Int {
        let length = min(lengthA, lengthB)
        if length <= 3 { return 0 }
        if length <= 8 { return 1 }
        return 2
    }

    /// Distance within the §2.8 threshold, or nil. Digits-only tokens must be equal.
    static func fuzzyDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int? {
        let limit = threshold(a.count, b.count)
        if limit == 0 || a.allSatisfy(isDigit) || b.allSatisfy(isDigit) {
            return a == b ? 0 : nil
        }
        let distance = EditDistance.distance(a, b, limit: limit)
        return distance <= limit ? distance : nil
    }

    /// Same stem: a common prefix of at least 5 characters covering at least 80% of the shorter
    /// token. Catches inflection the edit threshold misses (`stanica`/`stanicama`,
    /// `Skenderbeu`/`Skenderbeut`, `stacioni`/`stacionit`).
    static func sameStem(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        let shorter = min(a.count, b.count)
        guard shorter >= 5 else { return false }
        var common = 0
        while common < shorter, a[common] == b[common] { common += 1 }
        return common >= 5 && common * 5 >= shorter * 4
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }

    static func isAllDigits<S: StringProtocol>(_ token: S) -> Bool {
        !token.isEmpty && token.unicodeScalars.allSatisfy(isDigit)
    }
}
