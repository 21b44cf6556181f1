import BridgeCore

/// A few real-looking landmarks in Prishtina and Casablanca, named in Latin, Cyrillic and Arabic.
enum LandmarkFixture {
    static let skanderbegSquare = Landmark(
        id: "skanderbeg-square", latitude: 42.6629, longitude: 21.1655,
        names: [.albanian: "Sheshi Skënderbeu", .serbianLatin: "Trg Skenderbeg", .serbianCyrillic: "Трг Скендербег"],
        aliases: ["Skënderbeu", "Sheshi Skënderbeg", "Skanderbeg"])
    static let cathedral = Landmark(
        id: "mother-teresa-cathedral", latitude: 42.6570, longitude: 21.1580,
        names: [.albanian: "Katedralja Nëna Terezë", .serbianLatin: "Katedrala Majka Tereza"],
        aliases: ["Katedralja", "Nëna Terezë"])
    static let boulevard = Landmark(
        id: "mother-teresa-boulevard", latitude: 42.6605, longitude: 21.1620,
        names: [.albanian: "Bulevardi Nëna Terezë", .serbianLatin: "Bulevar Majke Tereze"],
        aliases: ["Nëna Terezë", "Rruga Nëna Terezë"])
    static let busStation = Landmark(
        id: "bus-station", latitude: 42.6490, longitude: 21.1390,
        names: [.albanian: "Stacioni i Autobusëve", .serbianLatin: "Autobuska stanica", .serbianCyrillic: "Аутобуска станица"],
        aliases: ["stacioni", "stanica", "autobuska"])
    static let trainStation = Landmark(
        id: "train-station", latitude: 42.6470, longitude: 21.1500,
        names: [.albanian: "Stacioni i Trenit", .serbianLatin: "Železnička stanica", .serbianCyrillic: "Железничка станица"],
        aliases: ["Stacioni i trenave", "Železnička"])
    static let library = Landmark(
        id: "national-library", latitude: 42.6577, longitude: 21.1622,
        names: [.albanian: "Biblioteka Kombëtare", .serbianLatin: "Narodna biblioteka", .serbianCyrillic: "Народна библиотека"],
        aliases: ["Biblioteka"])
    static let germiaPark = Landmark(
        id: "germia-park", latitude: 42.6740, longitude: 21.1960,
        names: [.albanian: "Parku i Gërmisë", .serbianLatin: "Park Germija"],
        aliases: ["Gërmia", "Germija"])
    static let hassanMosque = Landmark(
        id: "hassan-ii-mosque", latitude: 33.6084, longitude: -7.6325,
        names: [.arabic: "مسجد الحسن الثاني", .french: "Mosquée Hassan II"],
        aliases: ["جامع الحسن الثاني", "la grande mosquée", "jame3 l7assan tani"])
    static let placeMohammedV = Landmark(
        id: "place-mohammed-v", latitude: 33.5928, longitude: -7.6190,
        names: [.arabic: "ساحة محمد الخامس", .french: "Place Mohammed V"],
        aliases: ["بلاصة محمد الخامس", "Place Mohamed 5"])
    static let boulevardMohammedV = Landmark(
        id: "boulevard-mohammed-v", latitude: 33.5960, longitude: -7.6150,
        names: [.arabic: "شارع محمد الخامس", .french: "Boulevard Mohammed V"],
        aliases: ["Bd Mohammed V"])

    static let all = [skanderbegSquare, cathedral, boulevard, busStation, trainStation, library, germiaPark,
                      hassanMosque, placeMohammedV, boulevardMohammedV]
    static let gazetteer = Gazetteer(landmarks: all)
}
