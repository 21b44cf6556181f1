/// Reference yes/no vocabulary per language (§2.5, §2.7, §3), for deployments that configure none
/// and for tests. Dialog files may replace it.
public enum YesNoWords {
    /// Yes words per language; Darija in Arabic script and Arabizi sit under `ar`.
    public static let yes: [LanguageTag: [String]] = [
        .albanian: ["po", "po po", "sigurisht", "e saktë", "saktë", "dakord", "në rregull", "ashtu është", "mirë"],
        .serbianLatin: ["da", "da da", "jeste", "tačno", "naravno", "može", "važi", "u redu", "dakako"],
        .serbianCyrillic: ["да", "јесте", "тачно", "наравно", "може", "важи", "у реду"],
        .arabic: ["نعم", "أجل", "أيوه", "إيه", "اه", "آه", "صحيح", "أكيد", "موافق", "واخا", "وخا", "إييه",
                  "iyeh", "ih", "wakha", "wakhkha", "waxa", "ah", "na3am", "ewa"],
        .french: ["oui", "ouais", "oui oui", "d'accord", "dac", "bien sûr", "exact", "exactement", "c'est ça", "c'est bon"],
        LanguageTag("en"): ["yes", "yeah", "yep", "ok", "okay", "okey", "oke"],
    ]

    /// No words per language; `la` is listed under `ar` only and kept out of other sessions by
    /// `languageSpecific`.
    public static let no: [LanguageTag: [String]] = [
        .albanian: ["jo", "jo jo", "kurrë", "aspak", "nuk"],
        .serbianLatin: ["ne", "ne ne", "nije", "netačno", "nikako", "nemoj"],
        .serbianCyrillic: ["не", "није", "нетачно", "никако"],
        .arabic: ["لا", "لأ", "كلا", "لالا", "la", "lla", "laa", "lala"],
        .french: ["non", "nan", "non non", "pas du tout", "jamais"],
        LanguageTag("en"): ["no", "nope", "nah"],
    ]

    /// Words that are yes or no in one language and something else in another (§2.7): `ne` is
    /// Albanian "in"/"we", `po` Serbian "by", `la` the French article, `si` French "if", `ah` an
    /// interjection everywhere but Darija.
    /// Only the session language may read them as yes or no.
    public static let languageSpecific: Set<String> = ["ne", "po", "la", "si", "ah", "ih", "a", "e", "o"]

    /// Courtesy words that may come with a yes or no ("po faleminderit", "non merci").
    public static let courtesy: [String] = [
        "faleminderit", "flm", "ju lutem", "hvala", "molim", "хвала", "молим",
        "merci", "svp", "s'il vous plaît", "شكرا", "شكراً", "عافاك", "shukran", "choukran", "chokran", "3afak",
        "thanks", "thank you", "please",
    ]
}
