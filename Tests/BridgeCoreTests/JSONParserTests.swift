import Foundation
import Testing

@testable import BridgeCore

/// `JSONValue.parse` replaced `JSONDecoder` on every webhook body: it must read what `JSONDecoder` reads, the same way,
/// and refuse what it refuses.
@Suite struct JSONParserTests {
    static func decoder(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let documents: [String] = [
        #"{"id":"SM123","from":"+38344123456","to":"1818","text":"Përshëndetje","received_at":"2026-03-14T09:26:53Z"}"#,
        #"{"results":[{"messageId":"abc","from":"212600000000","cleanText":"السلام","price":{"pricePerMessage":0,"currency":"EUR"}}],"messageCount":1,"pendingMessageCount":0}"#,
        #"  [1, -2, 3.5, -0, 0.25, 1e3, 2E-2, 12345678901234567890, true, false, null]  "#,
        #"{"escapes":"\"\\\/\b\f\n\r\t","unicode":"\u00e9\u0416\u0627 \ud83d\ude00","mixed":"a\u0000b"}"#,
        #"{"nested":{"a":[{"b":[[]]},{}],"c":{}}}"#,
        #""just a string""#,
        "42",
        #"{"dup":1,"dup":2}"#,
        "[1, 2, ]",
        #"{"a": 1 , }"#,
        "{\"text\":\"Здраво, свете\",\"emoji\":\"🚰💧\"}",
        #"{"big":1.7976931348623157e308,"small":5e-324,"neg":-9223372036854775808}"#,
    ]

    static let invalid: [String] = [
        "", "   ", "{", "[,]", "[1,,]", "{,}", "{'a':1}", "{\"a\" 1}", "[1 2]", "01", "+1", ".5", "1.", "1e", "-", "--1",
        "tru", "nul", "[true false]", "{\"a\":1}x", "\"unterminated", "\"bad escape \\x\"", "\"\\u12\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"tab\tinside\"", "NaN", "Infinity", "1e400", "[" + String(repeating: "[", count: 600),
    ]

    @Test(arguments: documents)
    func readsWhatJSONDecoderReads(_ text: String) throws {
        let expected = try #require(Self.decoder(text), "JSONDecoder reads it")
        let parsed = try #require(JSONValue.parse(Array(text.utf8)))
        #expect(parsed.comparable == expected.comparable)
    }

    @Test(arguments: invalid)
    func refusesWhatJSONDecoderRefuses(_ text: String) {
        #expect(Self.decoder(text) == nil, "JSONDecoder refuses \(text.prefix(40))")
        #expect(JSONValue.parse(Array(text.utf8)) == nil)
    }

    @Test func invalidUTF8InAStringIsRefused() {
        #expect(JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) == nil)
        #expect(JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) == nil, "an encoded surrogate is not UTF-8")
    }

    @Test func errorsSayWhatAndWhere() {
        #expect(throws: JSONSyntaxError(offset: 10, reason: "expected ',' or '}'")) { try JSONValue.parsing(Array(#"{"a":true "b":1}"#.utf8)) }
        #expect(throws: JSONSyntaxError(offset: 2, reason: "unexpected bytes after the document")) { try JSONValue.parsing(Array("1 2".utf8)) }
    }

    @Test func nestingStopsAtItsLimitWithoutExhaustingTheStack() {
        func nested(_ depth: Int) -> [UInt8] { Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8) }
        #expect(JSONValue.parse(nested(JSONParser.maximumDepth)) != nil)
        #expect(throws: JSONSyntaxError(offset: JSONParser.maximumDepth, reason: "nested too deeply")) {
            try JSONValue.parsing(nested(JSONParser.maximumDepth + 1))
        }
        #expect(JSONValue.parse(nested(100_000)) == nil)
    }

    @Test func numbersKeepTheirKind() throws {
        let value = try #require(JSONValue.parse(Array(#"[7, 7.0, 7e0, -3, 9223372036854775808]"#.utf8)))
        #expect(value.array?.map(\.text) == ["7", "7", "7", "-3", "9.223372036854776e+18"])
        #expect(value.array?.first == .integer(7))
    }
}

extension JSONValue {
    /// Integers and doubles that are equal compare equal: the two readers may differ in which of the two holds `7.0`.
    var comparable: JSONValue {
        switch self {
        case .integer(let value): .number(Double(value))
        case .array(let values): .array(values.map(\.comparable))
        case .object(let members): .object(members.mapValues(\.comparable))
        default: self
        }
    }
}
