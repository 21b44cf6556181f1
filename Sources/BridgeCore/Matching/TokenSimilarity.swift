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
    static func fuzzyDistance(_ a: KeyToken, _ b: KeyToken) -> Int? {
        let limit = threshold(a.count, b.count)
        if a.count == b.count, a.scalars == b.scalars { return 0 }
        if limit == 0 || abs(a.count - b.count) > limit || a.isDigits || b.isDigits { return nil }
        if (a.mask ^ b.mask).nonzeroBitCount > 2 * limit { return nil }
        if limit == 1 { return withinOneEdit(a.scalars, b.scalars) ? 1 : nil }
        let distance = EditDistance.boundedDistance(a.scalars, b.scalars, limit: limit)
        return distance <= limit ? distance : nil
    }

    /// Whether two different sequences are one substitution, insertion, deletion or swap of
    /// neighbours apart, in one pass.
    static func withinOneEdit(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        var index = 0
        while index < short.count, short[index] == long[index] { index += 1 }
        if short.count == long.count {
            guard index < short.count else { return false }
            if short[(index + 1)...].elementsEqual(long[(index + 1)...]) { return true }
            return index + 1 < short.count && short[index] == long[index + 1] && short[index + 1] == long[index]
                && short[(index + 2)...].elementsEqual(long[(index + 2)...])
        }
        guard long.count == short.count + 1 else { return false }
        return short[index...].elementsEqual(long[(index + 1)...])
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
