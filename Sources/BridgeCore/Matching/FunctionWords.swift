/// Very common words per primary language, to recognise free text that contains none of the
/// configured vocabulary ("ka nje grope te madhe"). Written as typed; normalised on first use.
enum FunctionWords {
    static let byPrimary: [String: [String]] = [
        "sq": ["një", "është", "në", "të", "rruga", "rrugë", "rrugën", "rrugës", "afër", "para", "tek", "ka", "nuk",
               "dhe", "me", "për", "që", "janë", "kjo", "ky", "shumë", "tani", "keq", "punon", "prishur", "madhe",
               "lagje", "lagjja", "shtëpi", "ku", "nga", "mbi", "prej", "edhe", "apo", "ose", "është prishur",
               "ditë", "kemi", "jemi", "këtu", "aty", "pranë", "përballë", "e", "i",
               "përshëndetje", "mirëdita", "mirdita", "tungjatjeta", "tung", "faleminderit", "flm", "ju lutem"],
        "sr": ["je", "u", "kod", "ulica", "ulici", "nema", "ne radi", "na", "i", "da", "se", "od", "za", "sa", "iz",
               "ispred", "blizu", "pored", "ima", "velika", "veliki", "rupa", "put", "putu", "škole", "škola",
               "zgrade", "puno", "već", "još", "nije", "sve", "smeća", "svetlo", "dana", "ovde", "tu", "kraj",
               "zdravo", "dobar dan", "dobro jutro", "pozdrav", "hvala", "molim", "poštovanje"],
        "fr": ["le", "la", "les", "rue", "près", "il", "y", "a", "de", "une", "est", "pas", "des", "du", "dans",
               "un", "et", "en", "sur", "au", "avec", "plus", "il y a", "devant", "grand", "grande", "trottoir",
               "depuis", "très", "qui", "ne", "cassé", "chaussée", "quartier", "ici", "nous", "jours",
               "bonjour", "bonsoir", "salut", "merci", "svp", "s'il vous plaît"],
        "ar": ["في", "من", "على", "إلى", "هنا", "هذا", "هذه", "التي", "الذي", "عند", "قرب", "أمام", "لا", "يوجد",
               "كبير", "كبيرة", "الشارع", "الطريق", "الحي", "منذ", "أيام",
               "السلام عليكم", "مرحبا", "شكرا", "من فضلك"],
    ]

    /// Darija (Moroccan Arabic) in Arabic script: tells `ary` from MSA `ar` when both are candidates.
    static let darijaArabic: [String] = ["كاين", "كاينة", "ديال", "بزاف", "حدا", "فين", "واش", "شي", "دابا",
                                         "راه", "هاد", "الزنقة", "ماكاينش", "بغيت", "عافاك", "مزيان", "حتى", "مازال"]

    /// Darija in Latin letters (Arabizi without digits, or with them).
    static let darijaLatin: [String] = ["wa7ed", "zbel", "triq", "tri9", "lwad", "bghit", "3afak", "kayn", "kayna",
                                        "kaynin", "dyal", "dial", "bzaf", "bzzaf", "hna", "fin", "wach", "chi", "daba",
                                        "rah", "had", "hadi", "lma", "zen9a", "znqa", "derb", "7da", "9rib", "mazal",
                                        "makaynch", "makaynsh", "mzyan", "ghir", "walakin", "khassar", "m9tou3",
                                        "l7fra", "7fra", "lhfra", "chwiya", "bezzaf", "dyalna", "lkhir",
                                        "salam", "slm", "salamo", "3alaykom", "3likom", "alaykoum", "choukran", "chokran",
                                        "chokrane", "lah y7fdk", "allah ykhalik"]

    static let keys: [String: Set<String>] = byPrimary.mapValues { Set($0.map(TextNormalizer.matchKey)) }
    static let darijaArabicKeys: Set<String> = Set(darijaArabic.map(TextNormalizer.matchKey))
    static let darijaLatinKeys: Set<String> = Set(darijaLatin.map(TextNormalizer.matchKey))
}
