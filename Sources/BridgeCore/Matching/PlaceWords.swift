/// Words around place names that carry no identity: prepositions and fillers residents put around
/// a landmark ("te", "kod", "près de", "قرب", "9rib"), and place-type words ("rruga", "ulica",
/// "rue", "شارع") that many landmark names share. Written as typed; normalised on first use.
enum PlaceWords {
    static let fillers: [String] = [
        // sq
        "te", "të", "tek", "para", "afër", "pranë", "në", "ne", "rruga", "rrugën", "rrugës", "sheshi", "sheshit",
        "mbi", "prapa", "pas", "përballë", "ka", "është", "jam", "jemi", "këtu", "atje", "aty", "se", "e", "i",
        "për", "nga", "deri", "ku", "tani", "lagjja", "lagja", "lagjen", "në lagjen",
        // sr
        "kod", "blizu", "ispred", "iza", "pored", "pokraj", "kraj", "na", "u", "ulica", "ulici", "ulicu", "trg",
        "trgu", "preko", "puta", "do", "od", "je", "sam", "smo", "tu", "tamo", "ovde",
        // fr
        "près", "de", "du", "des", "devant", "à", "a", "côté", "rue", "place", "la", "le", "les", "l", "au", "aux",
        "derrière", "en", "face", "sur", "dans", "vers", "c", "est", "ici", "juste", "d",
        // ar / ary
        "قرب", "أمام", "عند", "حدا", "ف", "في", "فـ", "زنقة", "شارع", "ساحة", "جنب", "بجانب", "قدام", "ورا",
        "وراء", "هنا", "تما", "فيه", "مقابل", "حي", "درب", "من", "على", "بالقرب",
        // Arabizi
        "9rib", "qrib", "7da", "hda", "f", "fi", "qddam", "9ddam", "9dam", "gddam", "jnb", "3nd", "zen9a", "znqa", "derb",
    ]

    /// Place-type words: a match on them alone never identifies a landmark.
    static let generic: [String] = [
        "rruga", "rrugë", "sheshi", "bulevardi", "lagjja", "lagja", "parku", "ura", "ulica", "trg", "bulevar",
        "naselje", "park", "most", "rue", "place", "boulevard", "bd", "avenue", "av", "quartier", "pont",
        "زنقة", "شارع", "ساحة", "درب", "حي", "ممر", "zen9a", "znqa", "derb", "chari3", "sa7a",
    ]

    /// Short articles and linking words that stand for one another between languages and
    /// declensions ("stacioni i trenit" / "stacionin e trenit", "place de la …" / "place du …").
    static let connectors: [String] = ["i", "e", "te", "të", "se", "së", "de", "du", "des", "d", "la", "le", "l"]

    static let fillerKeys: Set<String> = Set(fillers.map(TextNormalizer.matchKey))
    static let genericKeys: Set<String> = Set(generic.map(TextNormalizer.matchKey))
    static let connectorKeys: Set<String> = Set(connectors.map(TextNormalizer.matchKey))
}
