/// The §3.1 command words, as a deployment would configure them.
enum KeywordFixture {
    static let words: [String: [String]] = [
        "help": ["NDIHMË", "NDIHME", "NDIHMA", "POMOĆ", "POMOC", "POMOCH", "ПОМОЋ", "مساعدة", "المساعدة", "عاوني",
                 "3awni", "3awenni", "AIDE", "HELP", "INFO", "?"],
        "stop": ["NDALO", "NDAL", "ÇREGJISTRO", "CREGJISTRO", "STOP", "ODJAVA", "ODJAVI", "OTKAŽI", "OTKAZI", "СТОП",
                 "ОДЈАВА", "ОДЈАВИ", "توقف", "إيقاف", "إلغاء", "الغاء الاشتراك", "ستوب", "حبس", "7bes", "hbes", "ARRÊT",
                 "ARRET", "DÉSINSCRIPTION", "DESABONNER", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"],
        "start": ["START", "FILLO", "AKTIVIZO", "KRENI", "СТАРТ", "ابدأ", "اشتراك", "بدا", "bda", "UNSTOP"],
        "restart": ["FILLO", "RIFILLO", "MENU", "POČETAK", "POCETAK", "PONOVO", "MENI", "ПОЧЕТАК", "ПОНОВО", "МЕНИ",
                    "بداية", "من جديد", "القائمة", "عاود", "3awd", "mn lowl", "RECOMMENCER", "DEBUT", "RESTART", "RESET"],
        "status": ["STATUSI", "GJENDJA", "STATUS", "STANJE", "СТАТУС", "СТАЊЕ", "حالة", "الحالة", "l7ala", "lhala",
                   "STATUT", "SUIVI", "ETAT"],
        "language": ["GJUHA", "JEZIK", "ЈЕЗИК", "لغة", "اللغة", "logha", "lougha", "LANGUE", "LANGUAGE", "LANG"],
    ]
}
