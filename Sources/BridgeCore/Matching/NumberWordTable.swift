/// Number words 1–10 in every language residents mix (§2.7), written as people type them; keys are
/// built with `TextNormalizer.matchKey`, so accents, case and script variants need no entries.
enum NumberWordTable {
    static let words: [Int: [String]] = [
        1: ["një", "nje", "nji", "i pari", "e para", "jedan", "jedna", "jedno", "prvi", "prva", "prvo",
            "un", "une", "premier", "première", "1er", "1re", "1ère",
            "واحد", "واحدة", "الأول", "الأولى",
            "wahed", "wa7ed", "wahd", "wa7d", "ouahed", "wahda", "wa7da", "one", "first"],
        2: ["dy", "i dyti", "e dyta", "dva", "dve", "dvije", "drugi", "deux", "deuxième",
            "اثنان", "اثنين", "اتنين", "الثاني", "الثانية", "جوج", "زوج",
            "jouj", "joj", "zouj", "zoj", "jooj", "two", "second"],
        3: ["tre", "tri", "i treti", "e treta", "treći", "trois", "troisième",
            "ثلاثة", "ثلاث", "تلاتة", "الثالث", "الثالثة", "tlata", "tleta", "tlat", "three", "third"],
        4: ["katër", "katr", "i katërti", "četiri", "četvrti", "quatre", "quatrième",
            "أربعة", "أربع", "ربعة", "الرابع", "rb3a", "reb3a", "rab3a", "arba3a", "four", "fourth"],
        5: ["pesë", "pes", "i pesti", "pet", "peti", "cinq", "cinquième",
            "خمسة", "خمس", "الخامس", "khamsa", "5amsa", "khemsa", "five", "fifth"],
        6: ["gjashtë", "gjasht", "šest", "šesti", "six", "sixième",
            "ستة", "ست", "السادس", "stta", "setta", "sitta", "sixth"],
        7: ["shtatë", "shtat", "sedam", "sedmi", "sept", "septième",
            "سبعة", "سبع", "السابع", "sb3a", "seb3a", "sab3a", "seven", "seventh"],
        8: ["tetë", "tet", "osam", "osmi", "huit", "huitième",
            "ثمانية", "ثمان", "تمنية", "تمانية", "الثامن", "tmnia", "tmanya", "tmenya", "eight", "eighth"],
        9: ["nëntë", "nent", "nand", "nant", "devet", "deveti", "neuf", "neuvième",
            "تسعة", "تسع", "تسعود", "التاسع", "ts3od", "tes3oud", "tsa3od", "tes3od", "nine", "ninth"],
        10: ["dhjetë", "dhjet", "deset", "deseti", "dix", "dixième",
             "عشرة", "عشر", "العاشر", "3chra", "3achra", "3ashra", "ten", "tenth"],
    ]

    /// Darija number words in Latin letters, the only list the Arabizi skeleton is compared with.
    static let darijaLatin: [Int: [String]] = [
        1: ["wahed", "wa7ed", "wahd", "ouahed"],
        2: ["jouj", "joj", "zouj", "zoj"],
        3: ["tlata", "tleta", "tlat"],
        4: ["rb3a", "reb3a", "rab3a", "arba3a"],
        5: ["khamsa", "5amsa", "khemsa"],
        6: ["stta", "setta", "sitta"],
        7: ["sb3a", "seb3a", "sab3a"],
        8: ["tmnia", "tmanya", "tmenya"],
        9: ["ts3od", "tes3oud", "tsa3od"],
        10: ["3chra", "3achra", "3ashra"],
    ]

    /// Words that may precede a digit: "nr. 1", "Br. 1", "№ 1", "رقم 1".
    static let digitPrefixes: Set<String> = ["no", "nr", "n", "br", "broj", "numri", "numer", "numero", "number", "رقم", "الرقم"]

    /// The subset of prefixes that cannot be read as anything else, so may precede a number word
    /// ("broj jedan"); "no one" must not become 1.
    static let wordPrefixes: Set<String> = ["broj", "numri", "numero", "رقم", "الرقم"]

    /// Match key → value. Built once; a key listed under two values would be a table bug (tested).
    static let byKey: [String: Int] = {
        var table: [String: Int] = [:]
        for (value, list) in words {
            for word in list { table[TextNormalizer.matchKey(word)] = value }
        }
        return table
    }()

    /// Arabizi skeleton → value, with the listed spellings for the closeness safeguard.
    static let bySkeleton: [String: (value: Int, spellings: [KeyToken])] = {
        var table: [String: (value: Int, spellings: [KeyToken])] = [:]
        for (value, list) in darijaLatin {
            for word in list {
                let skeleton = ArabiziSkeleton.skeleton(of: word)
                var entry = table[skeleton] ?? (value, [])
                entry.spellings.append(KeyToken(word))
                table[skeleton] = entry
            }
        }
        return table
    }()
}
