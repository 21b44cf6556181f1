import Crypto
import Foundation

/// One scripted resident: the texts they send, in order, on one gateway.
///
/// The scripts are what residents of the two deployments really write (see the README's tour and the landmark
/// aliases): each completes a report, so the benchmark measures the whole dialog (language, category, landmark,
/// description, confirm), the landmark search and the report insert, not just the first menu.
struct Script: Sendable {
    var name: String
    var deployment: Deployment
    var texts: [String]

    enum Deployment: Sendable { case prishtina, casablanca }

    /// Guided reports in every language variant, and one-shot reports (category / place / description in one SMS).
    static let sms: [Script] = [
        Script(name: "sq guided", deployment: .prishtina,
               texts: ["Përshëndetje", "1", "2", "te sheshi skenderbeu", "Drita nuk punon prej dy javësh", "po"]),
        Script(name: "sr-Latn guided", deployment: .prishtina,
               texts: ["Zdravo", "2", "3", "kod autobuske stanice", "Kontejneri su puni već nedelju dana", "da"]),
        Script(name: "sr-Cyrl guided", deployment: .prishtina,
               texts: ["Здраво", "3", "1", "Трг Скендербега", "Велика рупа на путу код трга", "да"]),
        Script(name: "ar guided", deployment: .casablanca,
               texts: ["السلام عليكم", "1", "3", "ساحة محمد الخامس", "الأزبال متراكمة منذ أسبوع", "نعم"]),
        Script(name: "ar Arabizi guided", deployment: .casablanca,
               texts: ["salam", "1", "1", "jame3 hassan 2", "kayn wa7d l7fra kbira f triq", "wakha"]),
        Script(name: "fr guided", deployment: .casablanca,
               texts: ["Bonjour", "2", "2", "Place Mohammed V", "Le lampadaire ne marche plus depuis lundi", "oui"]),
        Script(name: "sq one-shot", deployment: .prishtina, texts: ["2 / Sheshi Skenderbeu / drita nuk punon", "1"]),
        Script(name: "ar Arabizi one-shot", deployment: .casablanca, texts: ["kayn zbel bzaf 7da marche central", "wakha"]),
        Script(name: "fr one-shot", deployment: .casablanca, texts: ["5 / Place Mohammed V / odeur d egout tres forte", "oui"]),
    ]

    /// USSD sessions (Africa's Talking: the cumulative `text` joined by `*`), Arabic and French.
    static let ussd: [Script] = [
        Script(name: "ar USSD", deployment: .casablanca, texts: ["", "1", "3", "ساحة محمد الخامس", "الأزبال في كل مكان", "1"]),
        Script(name: "fr USSD", deployment: .casablanca, texts: ["", "2", "2", "Place Mohammed V", "lampadaire en panne", "1"]),
    ]

    /// A distinct, valid number per resident index: Kosovo (+383 44/45/49) and Serbian SIMs (+381 63) in Prishtina,
    /// Moroccan mobiles (+212 6/7) and French numbers (+33 6) in Casablanca. `block` keeps seeded, loaded and USSD
    /// residents apart.
    func phone(_ index: Int, block: Int) -> String {
        let number = index % 1_000_000
        switch (deployment, name.hasPrefix("fr"), name.hasPrefix("sr")) {
        case (.prishtina, _, true): return "+3816" + String(block) + pad(number, 7)
        case (.prishtina, _, _): return "+3834" + String(4 + block % 6) + pad(number, 6)
        case (.casablanca, true, _): return "+336" + String(block) + pad(number, 7)
        case (.casablanca, _, _): return "+2126" + String(block) + pad(number, 7)
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Builds signed requests for the `generic` gateway and Africa's Talking USSD callbacks.
struct RequestFactory: Sendable {
    var host: String
    var port: Int
    var secret: String
    var prishtinaGateway = "bench-prishtina"
    var casablancaGateway = "bench-casablanca"
    var ussdGateway = "bench-casablanca-ussd"
    var ussdToken = ""
    /// Makes provider message ids unique across runs against the same database.
    var nonce = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    struct Prepared: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// `{"id","from","to","text"}` signed as the generic contract says: HMAC-SHA256(secret, timestamp + "." + body).
    func sms(_ script: Script, resident: Int, block: Int, step: Int, now: Date = Date()) -> Prepared {
        let gateway = script.deployment == .prishtina ? prishtinaGateway : casablancaGateway
        let to = script.deployment == .prishtina ? "1818" : "2020"
        var json = #"{"id":"b-"#
        json += nonce + "-" + String(block) + "-" + String(resident) + "-" + String(step)
        json += #"","from":""# + script.phone(resident, block: block) + #"","to":""# + to + #"","text":""#
        json += Self.escape(script.texts[step]) + #""}"#
        let body = Array(json.utf8)
        let timestamp = String(Int(now.timeIntervalSince1970))
        var message = Array((timestamp + ".").utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return Prepared(
            method: "POST", uri: "/gateways/" + gateway + "/sms",
            headers: [("Content-Type", "application/json"), ("X-Bridge-Timestamp", timestamp), ("X-Bridge-Signature", "v1=" + Self.hex(mac))],
            body: body)
    }

    /// One USSD turn: the whole session's input so far, as Africa's Talking sends it.
    func ussd(_ script: Script, resident: Int, block: Int, step: Int) -> Prepared {
        let text = step == 0 ? "" : script.texts[1...step].joined(separator: "*")
        let fields = [
            ("sessionId", "ATUid_" + nonce + "_" + String(block) + "_" + String(resident)),
            ("serviceCode", "*384*1818#"),
            ("phoneNumber", script.phone(resident, block: block)),
            ("networkCode", "60401"),
            ("text", text),
        ]
        let body = fields.map { $0.0 + "=" + Self.formEncode($0.1) }.joined(separator: "&")
        return Prepared(
            method: "POST", uri: "/gateways/" + ussdGateway + "/ussd?token=" + Self.formEncode(ussdToken),
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    static let health = Prepared(method: "GET", uri: "/healthz", headers: [], body: [])

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }
        }
        return out
    }
}

/// Hands out the next message of a stream of residents: each resident's messages in order, then the next resident.
/// A driver owns one source and asks for the next message only after the previous one was answered, so a resident never
/// has two messages in flight (as on a phone).
struct ResidentStream: Sendable {
    enum Kind: Sendable { case sms, ussd, health }
    let kind: Kind
    let factory: RequestFactory
    let scripts: [Script]
    /// Resident indexes `first, first + stride, first + 2 stride, ...`: each connection takes its own residents.
    var resident: Int
    let stride: Int
    let block: Int
    var step = 0
    private(set) var conversationsCompleted = 0

    init(kind: Kind, factory: RequestFactory, first: Int, stride: Int, block: Int) {
        self.kind = kind
        self.factory = factory
        self.scripts = kind == .ussd ? Script.ussd : Script.sms
        self.resident = first
        self.stride = stride
        self.block = block
    }

    mutating func next() -> RequestFactory.Prepared {
        if kind == .health { return RequestFactory.health }
        let script = scripts[resident % scripts.count]
        let request = kind == .sms
            ? factory.sms(script, resident: resident, block: block, step: step)
            : factory.ussd(script, resident: resident, block: block, step: step)
        step += 1
        if step == script.texts.count {
            step = 0
            resident += stride
            conversationsCompleted += 1
        }
        return request
    }
}
