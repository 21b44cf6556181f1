import BridgeCore
import Testing

/// Texts from reference §1.9 and §7, and strings built to the lengths it states.
enum Samples {
    static let albanian171 = "Faleminderit! Raporti juaj per gropen ne rrugen Agim Ramadani u pranua me numrin 20481. Ekipi komunal do ta shqyrtoje brenda 5 diteve pune. Per info dergoni STATUSI 20481."
    static let albanian171WithE = albanian171.replacing("diteve", with: "ditëve", maxReplacements: 1)
    static let serbian230Proper = "Vaša prijava 20481 (Javna rasveta, ulica Kralja Petra, kod škole) je zatvorena. Ekipa je zamenila sijalicu i proverila kabl. Ako lampa ne radi, pošaljite novu prijavu. Dežurna služba će odgovoriti. Hvala na strpljenju, čuvajte se."
    static let serbian230Shaved = "Vasa prijava 20481 (Javna rasveta, ulica Kralja Petra, kod skole) je zatvorena. Ekipa je zamenila sijalicu i proverila kabl. Ako lampa ne radi, posaljite novu prijavu. Dezurna sluzba ce odgovoriti. Hvala na strpljenju, cuvajte se."
    static let french96 = "Merci ! Votre signalement d'une fuite d'eau rue Ibn Batouta est enregistre sous le numero 20481."
    static let french96Typographic = french96.replacing("'", with: "\u{2019}")
    static let french156 = "Vous êtes désinscrit et ne recevrez plus de messages de FixMyStreet Casablanca. Pour revenir, envoyez START au même numéro. Merci pour votre aide précieuse."
    static let frenchNBSP = "Merci\u{00A0}! Votre signalement est enregistré."
    static let brackets = "Prijava [20481] je primljena. Status: {U obradi} ~ hvala"
    static let arabic107 = String(String(repeating: "تم إصلاح العمود في شارعكم. ", count: 5).prefix(107))

    static let sqCategory = "Kategoria:\n1 Rrugë/gropa\n2 Ndriçimi publik\n3 Mbeturina\n4 Rrjedhje uji\n5 Kanalizim\n6 Grafite\n7 Parqe\n8 Shenja trafiku\n9 Kafshë endacake\n10 Tjetër"
    static let sqCategoryFolded = "Kategoria:\n1 Rruge/gropa\n2 Ndricimi publik\n3 Mbeturina\n4 Rrjedhje uji\n5 Kanalizim\n6 Grafite\n7 Parqe\n8 Shenja trafiku\n9 Kafshe endacake\n10 Tjeter"
    static let sqWelcome = "Mirë se vini! Zgjidhni gjuhën:\n1 Shqip\n2 Srpski\n3 Српски"
    static let sqDescribe = "Përshkruani shkurt problemin."
    static let sqLocation = "Ku është problemi? Shkruani rrugën dhe një pikë orientimi (p.sh. afër shkollës)."
    static let srLatnCategory = "Izaberite kategoriju:\n1 Putevi/rupe\n2 Javna rasveta\n3 Smeće\n4 Curenje vode\n5 Kanalizacija\n6 Grafiti\n7 Parkovi\n8 Saobraćajni znaci\n9 Životinje lutalice\n10 Ostalo"
    static let srCyrlCategory = "Врста:\n1 Путеви\n2 Расвета\n3 Смеће\n4 Цурење воде\n5 Канализација\n6 Графити\n7 Паркови\n8 Саобраћајни знаци\n9 Животиње луталице\n10 Остало"
    static let ussdSq = "FixMyStreet:\n1 Rruge/gropa\n2 Ndricimi\n3 Mbeturina\n4 Rrjedhje uji\n5 Kanalizim\n6 Grafite\n7 Parqe\n8 Shenja trafiku\n9 Kafshe endacake\n10 Tjeter"
    static let ussdArPage1 = "الفئة:\n1 الطرق والحفر\n2 الإنارة\n3 النفايات\n4 تسرب الماء\n5 الصرف الصحي\n99 المزيد"

    static func repeated(_ piece: String, _ count: Int) -> String { String(repeating: piece, count: count) }
}

@Suite struct GSM7AlphabetTests {
    @Test(arguments: [
        ("@", 1), ("£", 1), ("$", 1), ("_", 1), ("é", 1), ("É", 1), ("Ç", 1), ("Δ", 1), ("¤", 1),
        ("§", 1), ("¡", 1), ("¿", 1), ("à", 1), ("ß", 1), ("\n", 1), ("\r", 1), (" ", 1),
        ("^", 2), ("{", 2), ("}", 2), ("\\", 2), ("[", 2), ("]", 2), ("~", 2), ("|", 2), ("€", 2), ("\u{0C}", 2),
    ] as [(Unicode.Scalar, Int)])
    func encodableCharactersCost(_ scalar: Unicode.Scalar, septets: Int) {
        #expect(GSM7Alphabet.septets(for: scalar) == septets)
    }

    /// Letters implementers assume are GSM-7 but are not (§1.1, §1.3).
    @Test(arguments: Array("ç`âêîôûëïÀÈÙÌÒčćđšžœё😀\u{00A0}\u{2019}\u{1B}".unicodeScalars))
    func notEncodable(_ scalar: Unicode.Scalar) {
        #expect(GSM7Alphabet.septets(for: scalar) == nil)
    }

    @Test func lowercaseCedillaIsNotGSMButCapitalIs() {
        #expect(!GSM7Alphabet.isEncodable("reçu"))
        #expect(GSM7Alphabet.isEncodable("ÇA"))
        #expect(GSM7Alphabet.encode("ç") == nil)
        #expect(GSM7Alphabet.encode("Ç") == [0x09])
        #expect(GSM7Alphabet.decode([0x09]) == "Ç")
    }

    @Test func bracketsAndBracesCostTwoSeptets() {
        #expect(Samples.brackets.count == 56)
        #expect(GSM7Alphabet.septetCount(Samples.brackets) == 61)
        #expect(GSM7Alphabet.septetCount("") == 0)
        #expect(GSM7Alphabet.septetCount("ditëve") == nil)
    }

    @Test func encodesAtSignAsZeroAndEuroAsEscapePair() {
        #expect(GSM7Alphabet.encode("@") == [0x00])
        #expect(GSM7Alphabet.encode("€") == [0x1B, 0x65])
        #expect(GSM7Alphabet.encode("a@b€$_") == [0x61, 0x00, 0x62, 0x1B, 0x65, 0x02, 0x11])
        #expect(GSM7Alphabet.encode("Prijava [1]")?.count == 13)
    }

    @Test func everyCharacterRoundTrips() throws {
        let all = (0..<128).filter { $0 != 0x1B }.map { GSM7Alphabet.decode([UInt8($0)]) }.joined()
            + "\u{0C}^{}\\[~]|€"
        #expect(all.unicodeScalars.count == 137)
        let septets = try #require(GSM7Alphabet.encode(all))
        #expect(septets.count == 127 + 2 * 10)
        #expect(GSM7Alphabet.decode(septets) == all)
        #expect(GSM7Alphabet.septetCount(all) == septets.count)
        let sample = "@ £ $ _ € é Ç Prijava [20481] {U obradi} ~ | \\ ^ Ωß\r\n"
        #expect(GSM7Alphabet.decode(try #require(GSM7Alphabet.encode(sample))) == sample)
    }

    @Test func decodesUnknownEscapesLikeAHandset() {
        #expect(GSM7Alphabet.decode([0x1B, 0x41]) == "A")  // undefined extension code: basic character
        #expect(GSM7Alphabet.decode([0x1B, 0x1B, 0x61]) == " a")  // escape to a further table: space
        #expect(GSM7Alphabet.decode([0x61, 0x1B]) == "a ")  // dangling escape
        #expect(GSM7Alphabet.decode([0x80]) == "\u{FFFD}")
        #expect(GSM7Alphabet.decode([]) == "")
    }
}

@Suite struct SMSSegmenterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var encoding: SMSEncoding
        var units: Int
        var segments: Int
        var testDescription: String { name }
    }

    static let edgeValues: [Case] = [
        Case(name: "empty", text: "", encoding: .gsm7, units: 0, segments: 1),
        Case(name: "160 a", text: Samples.repeated("a", 160), encoding: .gsm7, units: 160, segments: 1),
        Case(name: "161 a", text: Samples.repeated("a", 161), encoding: .gsm7, units: 161, segments: 2),
        Case(name: "306 a", text: Samples.repeated("a", 306), encoding: .gsm7, units: 306, segments: 2),
        Case(name: "307 a", text: Samples.repeated("a", 307), encoding: .gsm7, units: 307, segments: 3),
        Case(name: "70 ë", text: Samples.repeated("ë", 70), encoding: .ucs2, units: 70, segments: 1),
        Case(name: "71 ë", text: Samples.repeated("ë", 71), encoding: .ucs2, units: 71, segments: 2),
        Case(name: "134 ë", text: Samples.repeated("ë", 134), encoding: .ucs2, units: 134, segments: 2),
        Case(name: "135 ë", text: Samples.repeated("ë", 135), encoding: .ucs2, units: 135, segments: 3),
        Case(name: "80 [", text: Samples.repeated("[", 80), encoding: .gsm7, units: 160, segments: 1),
        Case(name: "81 [", text: Samples.repeated("[", 81), encoding: .gsm7, units: 162, segments: 2),
        Case(name: "152 x + [", text: Samples.repeated("x", 152) + "[", encoding: .gsm7, units: 154, segments: 1),
        Case(name: "CR LF", text: "a\r\nb", encoding: .gsm7, units: 4, segments: 1),
    ]

    static let workedExamples: [Case] = [
        Case(name: "Albanian 171", text: Samples.albanian171, encoding: .gsm7, units: 171, segments: 2),
        Case(name: "Albanian 171 with one ë", text: Samples.albanian171WithE, encoding: .ucs2, units: 171, segments: 3),
        Case(name: "Serbian 230 shaved", text: Samples.serbian230Shaved, encoding: .gsm7, units: 230, segments: 2),
        Case(name: "Serbian 230 proper", text: Samples.serbian230Proper, encoding: .ucs2, units: 230, segments: 4),
        Case(name: "French 96 ASCII apostrophes", text: Samples.french96, encoding: .gsm7, units: 96, segments: 1),
        Case(name: "French 96 typographic", text: Samples.french96Typographic, encoding: .ucs2, units: 96, segments: 2),
        Case(name: "French NBSP", text: Samples.frenchNBSP, encoding: .ucs2, units: 41, segments: 1),
        Case(name: "brackets", text: Samples.brackets, encoding: .gsm7, units: 61, segments: 1),
        Case(name: "French 156 with ê", text: Samples.french156, encoding: .ucs2, units: 156, segments: 3),
        Case(name: "Arabic 107", text: Samples.arabic107, encoding: .ucs2, units: 107, segments: 2),
        Case(name: "Merci ! 👍", text: "Merci ! 👍", encoding: .ucs2, units: 10, segments: 1),
        Case(name: "sq category", text: Samples.sqCategory, encoding: .ucs2, units: 144, segments: 3),
        Case(name: "sq category folded", text: Samples.sqCategoryFolded, encoding: .gsm7, units: 144, segments: 1),
        Case(name: "sr-Cyrl category", text: Samples.srCyrlCategory, encoding: .ucs2, units: 132, segments: 2),
    ]

    @Test(arguments: edgeValues + workedExamples)
    func cost(_ example: Case) {
        #expect(SMSSegmenter.cost(of: example.text) == SMSCost(encoding: example.encoding, units: example.units, segments: example.segments))
    }

    @Test func workedExamplesHaveTheStatedLength() {
        #expect(Samples.albanian171.count == 171)
        #expect(Samples.albanian171WithE.count == 171)
        #expect(Samples.serbian230Proper.count == 230)
        #expect(Samples.serbian230Shaved.count == 230)
        #expect(Samples.french96Typographic.count == 96)
        #expect(Samples.french156.count == 156)
        #expect(Samples.arabic107.utf16.count == 107)
        #expect("Merci ! 👍".count == 9)
    }

    @Test func emptyTextIsOneEmptyPart() {
        #expect(SMSSegmenter.parts(of: "") == [""])
    }

    @Test func escapePairMovesToTheNextPart() {
        // 152 septets, then a 2-septet '[' that would straddle the 153 boundary.
        let text = Samples.repeated("x", 152) + "[" + Samples.repeated("y", 10)
        let parts = SMSSegmenter.parts(of: text)
        #expect(parts == [Samples.repeated("x", 152), "[" + Samples.repeated("y", 10)])
        #expect(SMSSegmenter.cost(of: text).segments == 2)
    }

    @Test func escapePairsCanAddASegment() {
        // 3 × 153 would hold 459 septets, but 230 brackets can't be split evenly into 153s.
        let text = Samples.repeated("[", 230)
        #expect(SMSSegmenter.cost(of: text) == SMSCost(encoding: .gsm7, units: 460, segments: 4))
        #expect(SMSSegmenter.parts(of: text).map { $0.count } == [76, 76, 76, 2])
    }

    @Test func surrogatePairMovesToTheNextPart() {
        let text = "ë" + Samples.repeated("a", 65) + "👍" + Samples.repeated("b", 10)
        let parts = SMSSegmenter.parts(of: text)
        #expect(parts == ["ë" + Samples.repeated("a", 65), "👍" + Samples.repeated("b", 10)])
        #expect(SMSSegmenter.cost(of: text) == SMSCost(encoding: .ucs2, units: 78, segments: 2))
    }

    @Test func longGSMTextSplitsAt153() {
        let parts = SMSSegmenter.parts(of: Samples.repeated("a", 307))
        #expect(parts.map(\.count) == [153, 153, 1])
    }

    static let mixedTexts: [String] = {
        var texts = edgeValues.map(\.text) + workedExamples.map(\.text)
        let pieces = ["a", "[", "€", "ë", "👍", "Ж", "\r\n", " ", "é"]
        for seed in 0..<40 {
            var generator = SplitMix(seed: UInt64(seed))
            let usePieces = seed.isMultiple(of: 2) ? ["a", "[", "€", "é", " "] : pieces
            texts.append((0..<(50 + seed * 9)).map { _ in usePieces[Int(generator.next() % UInt64(usePieces.count))] }.joined())
        }
        return texts
    }()

    @Test(arguments: mixedTexts)
    func partsRejoinAndEachFits(_ text: String) {
        let cost = SMSSegmenter.cost(of: text)
        let parts = SMSSegmenter.parts(of: text)
        #expect(parts.joined() == text)
        #expect(parts.joined().unicodeScalars.elementsEqual(text.unicodeScalars))
        #expect(parts.count == cost.segments)
        let limit: Int
        switch cost.encoding {
        case .gsm7: limit = cost.segments == 1 ? 160 : 153
        case .ucs2: limit = cost.segments == 1 ? 70 : 67
        }
        var total = 0
        for part in parts {
            let units = cost.encoding == .gsm7 ? (GSM7Alphabet.septetCount(part) ?? .max) : part.utf16.count
            #expect(units <= limit)
            // No part starts with a lone low surrogate or ends with a lone high one.
            #expect(String(decoding: Array(part.utf16), as: UTF16.self) == part)
            total += units
        }
        #expect(total == cost.units)
    }
}

/// Small deterministic generator so the mixed-text cases are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SMSSanitizerTests {
    @Test(arguments: [
        ("l\u{2019}eau", "l'eau"), ("\u{2018}x\u{201A}\u{2032}", "'x''"), ("`code`", "'code'"),
        ("\u{201C}En cours\u{201D}", "\"En cours\""), ("\u{201E}U obradi\u{201D}", "\"U obradi\""),
        ("\u{00AB}\u{00A0}Oui\u{00A0}\u{00BB}", "\" Oui \""), ("5\u{2033}", "5\""),
        ("a\u{2013}b\u{2014}c\u{2012}d\u{2212}e", "a-b-c-d-e"), ("Attendez\u{2026}", "Attendez..."),
        ("1\u{202F}000\u{2009}m\u{2000}x\u{200A}y", "1 000 m x y"),
        ("zero\u{200B}width\u{200C}\u{200D}\u{2060}\u{FEFF}soft\u{00AD}", "zerowidthsoft"),
        ("\u{200E}2024\u{200F}-\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}\u{2066}e\u{2067}f\u{2068}g\u{2069}\u{061C}", "2024-abcdefg"),
        ("\u{2022} un\n\u{00B7} deux", "- un\n- deux"),
        ("e\u{0301}", "é"),
    ])
    func replaces(_ input: String, _ expected: String) {
        #expect(SMSSanitizer.sanitize(input).unicodeScalars.elementsEqual(expected.unicodeScalars))
    }

    @Test func frenchNonBreakingSpaceBecomesGSM() {
        let french = SMSSanitizer.sanitize("Merci\u{00A0}! \u{2026}")
        #expect(french == "Merci ! ...")
        #expect(GSM7Alphabet.isEncodable(french))
        #expect(SMSSegmenter.cost(of: SMSSanitizer.sanitize(Samples.frenchNBSP)) == SMSCost(encoding: .gsm7, units: 41, segments: 1))
        #expect(SMSSegmenter.cost(of: SMSSanitizer.sanitize(Samples.french96Typographic)) == SMSCost(encoding: .gsm7, units: 96, segments: 1))
    }

    @Test func removesBidiControlsFromArabicToo() {
        let arabic = "رقم البلاغ 2024\u{200E}/\u{200E}0012 شكرا\u{061C}"
        #expect(SMSSanitizer.sanitize(arabic) == "رقم البلاغ 2024/0012 شكرا")
    }

    @Test func leavesOrdinaryTextAlone() {
        for text in [Samples.albanian171WithE, Samples.srCyrlCategory, Samples.ussdArPage1, "Merci ! 👍", ""] {
            #expect(SMSSanitizer.sanitize(text) == text)
        }
    }
}

@Suite struct GSMFallbackSpellingTests {
    @Test(arguments: [
        // Albanian
        ("Ditëve të çdo jave", "Diteve te cdo jave"), ("ËSHTË ÇKA", "ESHTE ÇKA"),
        // Serbian Latin
        ("Saobraćajni znaci, Životinje, ŠUMA, Čačak", "Saobracajni znaci, Zivotinje, SUMA, Cacak"),
        ("đak Đak ĐAK Đ. Petrović", "djak Djak DJAK Dj. Petrovic"), ("džep Džep DŽEP", "dzep Dzep DZEP"),
        ("ǅep ǄEP ǉubav ǋegoš", "Dzep DZEP ljubav Njegos"),
        // French
        ("Vous êtes reçu, même à l'hôpital, naïf, où, Noël, L'Haÿ", "Vous etes recu, meme à l'hopital, naif, où, Noel, L'Hay"),
        ("œuvre Œuvre ŒUVRE cœur", "oeuvre Oeuvre OEUVRE coeur"), ("ÎLE ÂGE ÊTRE ÔTER ÛR ÏLE ŸLE", "ILE AGE ETRE OTER UR ILE YLE"),
        ("À LA UNE, ÈRE, OÙ, ÌÒ", "A LA UNE, ERE, OU, IO"),
        // Other Latin letters: diacritics dropped when that gives GSM-7
        ("Łódź, Ő, ą, ş, ı, q\u{0308}", "Lodz, O, a, s, i, q"),
    ])
    func folds(_ input: String, _ expected: String) {
        #expect(GSMFallbackSpelling.fold(input) == expected)
        #expect(GSM7Alphabet.isEncodable(GSMFallbackSpelling.fold(input)))
    }

    @Test func keepsEverythingThatIsAlreadyGSM() {
        let gsm = "é è à ù ì ò É Ç Ä Ö Ü Ñ Å Æ Ø ä ö ü ñ å æ ø ß @ € [ ] ~ 0123 \r\n"
        #expect(GSMFallbackSpelling.fold(gsm) == gsm)
        #expect(GSMFallbackSpelling.fold("e\u{0301}") == "é")
        #expect(GSMFallbackSpelling.fold(Samples.sqCategory) == Samples.sqCategoryFolded)
        #expect(GSMFallbackSpelling.fold(Samples.serbian230Proper) == Samples.serbian230Shaved)
    }

    @Test func neverTouchesCyrillicArabicOrSymbols() {
        for text in [Samples.srCyrlCategory, Samples.arabic107, "Ђак ЏЕП ћ ё", "👍 © ° ½"] {
            #expect(GSMFallbackSpelling.fold(text) == text)
        }
        #expect(GSMFallbackSpelling.fold("1 Shqip 2 Srpski 3 Српски ë") == "1 Shqip 2 Srpski 3 Српски e")
    }
}

@Suite struct SMSComposerTests {
    @Test func gsmTextGoesAsIs() {
        let out = SMSComposer.prepare(Samples.albanian171, script: .latin, allowFallbackSpelling: true)
        #expect(out == OutboundText(text: Samples.albanian171, cost: SMSCost(encoding: .gsm7, units: 171, segments: 2), usedFallbackSpelling: false))
    }

    @Test func albanianWithEIsFoldedWhenThatSavesASegment() {
        let out = SMSComposer.prepare(Samples.albanian171WithE, script: .latin, allowFallbackSpelling: true)
        #expect(out.text == Samples.albanian171)
        #expect(out.cost == SMSCost(encoding: .gsm7, units: 171, segments: 2))
        #expect(out.usedFallbackSpelling)

        let menu = SMSComposer.prepare(Samples.sqCategory, script: .latin, allowFallbackSpelling: true)
        #expect(menu == OutboundText(text: Samples.sqCategoryFolded, cost: SMSCost(encoding: .gsm7, units: 144, segments: 1), usedFallbackSpelling: true))

        let location = SMSComposer.prepare(Samples.sqLocation, script: .latin, allowFallbackSpelling: true)
        #expect(location.cost == SMSCost(encoding: .gsm7, units: 80, segments: 1))
        #expect(location.usedFallbackSpelling)
    }

    @Test func nativeSpellingStaysWhenItFitsOneSegmentAnyway() {
        let out = SMSComposer.prepare(Samples.sqDescribe, script: .latin, allowFallbackSpelling: true)
        #expect(out == OutboundText(text: Samples.sqDescribe, cost: SMSCost(encoding: .ucs2, units: 29, segments: 1), usedFallbackSpelling: false))
        // Folding can't make the welcome GSM-7 (it names Српски), so it saves nothing.
        let welcome = SMSComposer.prepare(Samples.sqWelcome, script: .latin, allowFallbackSpelling: true)
        #expect(welcome == OutboundText(text: Samples.sqWelcome, cost: SMSCost(encoding: .ucs2, units: 56, segments: 1), usedFallbackSpelling: false))
    }

    @Test func serbianLatinMenuIsPinnedAtExactly160() {
        let out = SMSComposer.prepare(Samples.srLatnCategory, script: .latin, allowFallbackSpelling: true)
        #expect(out.cost == SMSCost(encoding: .gsm7, units: 160, segments: 1))
        #expect(out.usedFallbackSpelling)
        let serbian = SMSComposer.prepare(Samples.serbian230Proper, script: .latin, allowFallbackSpelling: true)
        #expect(serbian == OutboundText(text: Samples.serbian230Shaved, cost: SMSCost(encoding: .gsm7, units: 230, segments: 2), usedFallbackSpelling: true))
    }

    @Test func frenchIsSanitisedThenFolded() {
        let typographic = SMSComposer.prepare(Samples.french96Typographic, script: .latin, allowFallbackSpelling: false)
        #expect(typographic == OutboundText(text: Samples.french96, cost: SMSCost(encoding: .gsm7, units: 96, segments: 1), usedFallbackSpelling: false))
        let optOut = SMSComposer.prepare(Samples.french156, script: .latin, allowFallbackSpelling: true)
        #expect(optOut.cost == SMSCost(encoding: .gsm7, units: 156, segments: 1))
        #expect(optOut.text.contains("Vous etes désinscrit"))
        #expect(optOut.usedFallbackSpelling)
    }

    @Test func fallbackOnlyWhenAllowed() {
        let out = SMSComposer.prepare(Samples.sqCategory, script: .latin, allowFallbackSpelling: false)
        #expect(out == OutboundText(text: Samples.sqCategory, cost: SMSCost(encoding: .ucs2, units: 144, segments: 3), usedFallbackSpelling: false))
    }

    @Test func cyrillicAndArabicAreNeverFolded() {
        let cyrillic = SMSComposer.prepare(Samples.srCyrlCategory, script: .cyrillic, allowFallbackSpelling: true)
        #expect(cyrillic == OutboundText(text: Samples.srCyrlCategory, cost: SMSCost(encoding: .ucs2, units: 132, segments: 2), usedFallbackSpelling: false))
        // Latin letters inside Cyrillic- or Arabic-script messages are not folded either.
        let mixed = "Пријава: Ndriçimi ë"
        #expect(SMSComposer.prepare(mixed, script: .cyrillic, allowFallbackSpelling: true).text == mixed)
        let arabic = SMSComposer.prepare("\u{200F}" + Samples.arabic107, script: .arabic, allowFallbackSpelling: true)
        #expect(arabic == OutboundText(text: Samples.arabic107, cost: SMSCost(encoding: .ucs2, units: 107, segments: 2), usedFallbackSpelling: false))
    }
}

@Suite struct USSDScreenTests {
    @Test(arguments: [
        (Samples.repeated("a", 182), SMSEncoding.gsm7, 182, true),
        (Samples.repeated("a", 183), .gsm7, 183, false),
        (Samples.repeated("[", 91), .gsm7, 182, true),
        (Samples.repeated("[", 92), .gsm7, 184, false),
        (Samples.repeated("ë", 80), .ucs2, 80, true),
        (Samples.repeated("ë", 81), .ucs2, 81, false),
        (Samples.repeated("Ж", 79) + "👍", .ucs2, 81, false),
        (Samples.ussdSq, .gsm7, 139, true),
        (Samples.ussdArPage1, .ucs2, 79, true),
        ("", .gsm7, 0, true),
    ])
    func screen(_ text: String, _ encoding: SMSEncoding, _ units: Int, _ fits: Bool) {
        let cost = USSDScreen.cost(of: text)
        #expect(cost.encoding == encoding)
        #expect(cost.units == units)
        #expect(cost.limit == (encoding == .gsm7 ? 182 : 80))
        #expect(USSDScreen.fits(text) == fits)
    }
}
