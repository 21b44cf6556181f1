import BridgeCore
import Foundation

/// A session written as JSON by hand, in the shape `JSONEncoder` gives its synthesised `Codable` (dates as seconds since
/// 1970, absent optionals left out), so `StoreCoding.decoder` reads it, and rows written before read as ever.
///
/// Why: `JSONEncoder` was 5% of the server's CPU under load, for one session per message. The tests hold this writer
/// to `JSONEncoder` field for field, and fail when a stored property is added to one of these types and not here.
enum SessionJSON {
    struct NonFiniteNumber: Error, CustomStringConvertible {
        var description: String { "a session holds a number JSON cannot carry (NaN or infinity)" }
    }

    /// How many stored properties each type is written with; the test compares them with the types' own.
    static let writtenProperties: [String: Int] = [
        "Session": 12, "ReportDraft": 5, "LandmarkAnswer": 4, "FollowUpQuestion": 6, "PlaceOption": 2, "Coordinate": 2,
    ]

    static func encode(_ session: Session) throws -> Data {
        var json = Writer()
        json.open("{")
        json.string("phone", session.phone)
        json.string("deployment", session.deployment)
        json.string("language", session.language?.rawValue)
        json.string("provisionalLanguage", session.provisionalLanguage?.rawValue)
        json.string("awaiting", session.awaiting?.rawValue)
        json.key("draft")
        try json.draft(session.draft)
        json.int("invalidAnswers", session.invalidAnswers)
        json.int("menuPage", session.menuPage)
        try json.number("lastActivity", session.lastActivity?.timeIntervalSince1970)
        json.bool("optedOut", session.optedOut)
        json.strings("references", session.references)
        if let followUp = session.followUp {
            json.key("followUp")
            try json.followUp(followUp)
        }
        json.close("}")
        return Data(json.bytes)
    }

    /// Appends JSON text; `needsComma` is true right after a value, so the next member or element is separated.
    struct Writer {
        var bytes: [UInt8] = []
        private var needsComma = false

        init() { bytes.reserveCapacity(384) }

        mutating func open(_ bracket: Unicode.Scalar) {
            separate()
            bytes.append(UInt8(ascii: bracket))
            needsComma = false
        }

        mutating func close(_ bracket: Unicode.Scalar) {
            bytes.append(UInt8(ascii: bracket))
            needsComma = true
        }

        mutating func separate() {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            needsComma = false
        }

        mutating func key(_ name: String) {
            quoted(name)
            bytes.append(UInt8(ascii: ":"))
            needsComma = false
        }

        mutating func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            quoted(value)
        }

        mutating func strings(_ name: String, _ values: [String]) {
            key(name)
            open("[")
            for value in values { quoted(value) }
            close("]")
        }

        mutating func int(_ name: String, _ value: Int) {
            key(name)
            literal(String(value))
        }

        mutating func bool(_ name: String, _ value: Bool) {
            key(name)
            literal(value ? "true" : "false")
        }

        mutating func number(_ name: String, _ value: Double?) throws {
            guard let value else { return }
            guard value.isFinite else { throw NonFiniteNumber() }
            key(name)
            literal(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
        }

        mutating func draft(_ draft: ReportDraft) throws {
            open("{")
            string("categoryID", draft.categoryID)
            if let landmark = draft.landmark {
                key("landmark")
                open("{")
                string("id", landmark.id)
                string("text", landmark.text)
                try number("latitude", landmark.latitude)
                try number("longitude", landmark.longitude)
                close("}")
            }
            strings("landmarkCandidates", draft.landmarkCandidates)
            string("landmarkText", draft.landmarkText)
            string("description", draft.description)
            close("}")
        }

        mutating func followUp(_ question: FollowUpQuestion) throws {
            open("{")
            string("ticket", question.ticket)
            key("places")
            open("[")
            for place in question.places {
                open("{")
                string("name", place.name)
                key("coordinate")
                open("{")
                try number("latitude", place.coordinate.latitude)
                try number("longitude", place.coordinate.longitude)
                close("}")
                close("}")
            }
            close("]")
            string("language", question.language.rawValue)
            try number("askedAt", question.askedAt.timeIntervalSince1970)
            int("invalidAnswers", question.invalidAnswers)
            string("duplicateOf", question.duplicateOf)
            close("}")
        }

        /// A JSON string: quote, backslash and control characters escaped, everything else as its UTF-8 bytes.
        mutating func quoted(_ text: String) {
            separate()
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(byte)
                case 0x00..<0x20:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                default:
                    bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
            needsComma = true
        }

        private static let hexDigits = Array("0123456789abcdef".utf8)

        private mutating func literal(_ text: String) {
            bytes.append(contentsOf: text.utf8)
            needsComma = true
        }
    }
}
