import BridgeCore
import Testing

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("tre", "tri", 1),
        ("ab", "ba", 1), ("kanalizimi", "kanalzimi", 1), ("ca", "abc", 3), ("ë", "e", 1), ("e\u{0308}", "ë", 0),
        ("حفرة", "حفره", 1), ("stop", "stop", 0),
    ])
    func distances(a: String, b: String, expected: Int) {
        #expect(EditDistance.damerauLevenshtein(a, b) == expected)
        #expect(EditDistance.damerauLevenshtein(b, a) == expected)
    }
}
