/// Arabic letter unification for match keys (§2.2). Never applied to stored text.
enum ArabicFolding {
    /// Letters spelled inconsistently (hamza seats, alef maksura, ta marbuta) or typed from
    /// Persian/Urdu layouts, mapped to one form.
    static let letterMap: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{0623}": "\u{0627}", "\u{0625}": "\u{0627}", "\u{0622}": "\u{0627}", "\u{0671}": "\u{0627}",
        "\u{0672}": "\u{0627}", "\u{0673}": "\u{0627}", "\u{0675}": "\u{0627}",
        "\u{0649}": "\u{064A}",  // alef maksura → ya
        "\u{0629}": "\u{0647}",  // ta marbuta → ha
        "\u{0624}": "\u{0648}",  // waw with hamza → waw
        "\u{0626}": "\u{064A}",  // ya with hamza → ya
        "\u{06A9}": "\u{0643}",  // keheh → kaf
        "\u{06CC}": "\u{064A}",  // Farsi yeh → ya
        "\u{06D2}": "\u{064A}",  // Urdu yeh barree → ya
        "\u{06C1}": "\u{0647}", "\u{06C0}": "\u{0647}", "\u{06D5}": "\u{0647}",  // heh goal, heh with yeh, ae → ha
        "\u{06AD}": "\u{0643}", "\u{06AF}": "\u{0643}",  // Moroccan ng / gaf → kaf (loose)
        "\u{06A4}": "\u{0641}",  // veh → fa (Moroccan "v")
    ]

    /// Tatweel, harakat, superscript alef and Quranic marks: decoration, not spelling.
    static func isRemovable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0640, 0x064B...0x065F, 0x0670, 0x0610...0x061A, 0x06D6...0x06ED:
            return true
        default:
            return false
        }
    }

    static func unify(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars where !isRemovable(scalar) {
            result.append(letterMap[scalar] ?? scalar)
        }
        return result
    }

    /// Proclitic forms of the article ("ال", "وال", "فال", "بال", "كال", "لل") that Arabic glues to
    /// nouns; dropping them lets "الحفرة", "فالحفرة" and "حفرة" meet.
    static let articlePrefixes: [[Unicode.Scalar]] = [
        ["\u{0648}", "\u{0627}", "\u{0644}"], ["\u{0641}", "\u{0627}", "\u{0644}"],
        ["\u{0628}", "\u{0627}", "\u{0644}"], ["\u{0643}", "\u{0627}", "\u{0644}"],
        ["\u{0627}", "\u{0644}"], ["\u{0644}", "\u{0644}"],
    ]

    /// Single-letter proclitics (and, so/in, with/at, for) that may precede a bare noun.
    static let proclitics: Set<Unicode.Scalar> = ["\u{0648}", "\u{0641}", "\u{0628}", "\u{0644}"]

    /// A match key token without its article, or nil when it has none (or is not Arabic).
    static func withoutArticle(_ token: String) -> String? {
        let scalars = Array(token.unicodeScalars)
        guard let first = scalars.first, ScriptClassifier.script(of: first) == .arabic else { return nil }
        for prefix in articlePrefixes where scalars.count >= prefix.count + 2 && scalars.starts(with: prefix) {
            return String(String.UnicodeScalarView(scalars[prefix.count...]))
        }
        return nil
    }

    /// Forms of an Arabic token with its clitics peeled off: without the article, and without a
    /// single proclitic (keeping at least three letters, since many nouns start with these letters).
    static func bareVariants(_ token: String) -> [String] {
        var variants: [String] = []
        if let bare = withoutArticle(token) { variants.append(bare) }
        let scalars = Array(token.unicodeScalars)
        if scalars.count >= 4, let first = scalars.first, proclitics.contains(first) {
            variants.append(String(String.UnicodeScalarView(scalars.dropFirst())))
        }
        return variants
    }
}
