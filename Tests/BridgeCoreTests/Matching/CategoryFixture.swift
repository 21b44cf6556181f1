import BridgeCore

/// The ten §6.1 categories: menu labels in sq (native and folded), sr-Latn, sr-Cyrl, ar, ary
/// (Arabic and Latin) and fr, plus the synonym seeds.
enum CategoryFixture {
    static let phrases: [[String]] = [
        // 1 Potholes / roads
        ["Rrugë/gropa", "Rruge/gropa", "Putevi/rupe", "udarne rupe", "Путеви/рупе", "الطرق والحفر", "الطريق والحفر",
         "Triq/l7fari", "Voirie/nids-de-poule",
         "gropa", "grope", "rruga", "asfalt", "trotuar", "rupa", "rupe", "put", "ulica", "trotoar",
         "حفرة", "حفر", "طريق", "زفت", "7fra", "triq", "zeft", "trou", "nid de poule", "chaussée", "trottoir", "route"],
        // 2 Street lighting
        ["Ndriçimi publik", "Ndricimi publik", "Javna rasveta", "Јавна расвета", "الإنارة العمومية", "الإنارة", "ضو الزنقة",
         "Dow dial zen9a", "Éclairage public",
         "drita", "ndriçim", "llamba", "shtylla", "svetlo", "rasveta", "sijalica", "lampa", "bandera",
         "ضو", "ضوء", "إنارة", "بوطو", "poto", "dow", "lampadaire", "éclairage", "lumière"],
        // 3 Rubbish
        ["Mbeturina", "Smeće i otpad", "Smece i otpad", "Смеће и отпад", "النفايات", "الأزبال", "الزبل", "Zbel",
         "Déchets / ordures",
         "plehra", "kontejner", "smeće", "đubre", "otpad", "زبل", "أزبال", "نفايات", "حاوية", "poubelle",
         "déchets", "ordures", "décharge"],
        // 4 Water leak
        ["Rrjedhje uji", "Curenje vode", "Цурење воде", "تسرب المياه", "تسرب الماء", "تسرب الما", "الما كيتسرب",
         "Lma kaytsereb", "Fuite d'eau",
         "ujë", "rrjedh", "gyp", "voda", "curi", "cev", "pukla cev", "ما", "ماء", "تسرب", "قادوس", "lma",
         "fuite", "eau", "canalisation"],
        // 5 Sewage
        ["Kanalizimi", "Kanalizacija", "Канализација", "الصرف الصحي", "التطهير السائل", "الواد الحار", "Lwad l7ar",
         "Égouts / assainissement",
         "kanalizim", "ujëra të zeza", "fekalne", "smrad", "مجاري", "صرف", "ريحة", "lwad", "ri7a",
         "égout", "assainissement", "odeur"],
        // 6 Graffiti
        ["Grafite", "Grafiti", "Графити", "كتابات جدارية", "الكتبة فالحيوط", "Lktaba 3la l7yout", "Graffitis / tags",
         "grafit", "mbishkrim", "natpis", "sprej", "كتابة", "كتابات", "حيط", "tag", "graffiti"],
        // 7 Parks
        ["Parqe dhe gjelbërim", "Parqe dhe gjelberim", "Parkovi i zelenilo", "Паркови и зеленило",
         "الحدائق والمساحات الخضراء", "الجردة", "الحدائق", "Jerda", "Parcs et espaces verts",
         "park", "lulishte", "gjelbërim", "zelenilo", "klupa", "جردة", "حديقة", "jnan", "parc", "jardin", "espace vert"],
        // 8 Traffic signs (no "stop": §2.9 item 11)
        ["Shenja trafiku", "sinjalizimi rrugor", "Saobraćajni znaci", "Saobracajni znaci", "Саобраћајни знаци",
         "علامات المرور", "التشوير الطرقي", "الإشارات", "علامات الطريق", "Panneaux", "Signalisation / panneaux",
         "shenjë", "semafor", "tabelë", "znak", "tabla", "إشارة", "علامة", "ضو أحمر", "panneau", "feu", "feu rouge"],
        // 9 Stray animals
        ["Kafshë endacake", "Kafshe endacake", "qen endacakë", "Životinje lutalice", "Zivotinje lutalice", "psi lutalice",
         "Животиње луталице", "пси луталице", "الحيوانات الضالة", "الكلاب السايبة", "الحيوانات السايبة", "Lklab sayba",
         "Animaux errants",
         "qen", "qenë", "mace", "kafshë", "pas", "psi", "pse", "mačka", "lutalica", "كلب", "كلاب", "قطط", "klab", "kelb",
         "chien", "chat", "errant"],
        // 10 Other
        ["Tjetër", "Tjeter", "Ostalo", "Остало", "أخرى", "حاجة خرى", "Chi 7aja khra", "Autre"],
    ]

    static let options = phrases.map { ChoiceOption(phrases: $0) }
    static let matcher = ChoiceMatcher(options: options)
}
