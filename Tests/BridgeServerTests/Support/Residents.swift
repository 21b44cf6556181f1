import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Someone texting the bridge through one gateway: each provider's webhook, built and signed as the provider
/// documents it (reference §2–§9).
protocol Resident: Sendable {
    var bridge: Bridge { get }
    /// E.164 with `+`: how the bridge stores the number.
    var phone: String { get }
    var gateway: String { get }
    var deployment: String { get }
    func say(_ text: String) async throws -> WebhookAnswer
}

enum Stamp {
    static func unix(_ date: Date = Date()) -> String { String(Int(date.timeIntervalSince1970)) }

    /// `YYYY-MM-DD HH:MM:SS` in UTC (Vonage `message-timestamp`).
    static func vonage(_ date: Date = Date()) -> String { utc("yyyy-MM-dd HH:mm:ss", date) }

    /// RFC 3339 in UTC.
    static func iso(_ date: Date = Date()) -> String { utc("yyyy-MM-dd'T'HH:mm:ss'Z'", date) }

    /// Infobip's `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`.
    static func infobip(_ date: Date = Date()) -> String { utc("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'", date) }

    private static func utc(_ format: String, _ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    static func hex(_ count: Int) -> String {
        String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
    }
}

extension String {
    /// The path and query of one of the bridge's public URLs, to request it from the test client.
    var bridgeURI: String {
        guard let components = URLComponents(string: self) else { return self }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}

// MARK: Twilio

struct TwilioResident: Resident {
    let bridge: Bridge
    var phone = "+38344123456"
    var gateway = "ks-twilio"
    var deployment = "prishtina"
    static let number = "+38349000111"

    static func newSID() -> String { "SM" + Stamp.hex(32) }

    func say(_ text: String) async throws -> WebhookAnswer { try await inbound(text) }

    /// The fields of Twilio's messaging webhook, in the order of the reference's example.
    func fields(_ text: String, sid: String) -> [(String, String)] {
        [("ToCountry", "XK"), ("ToState", ""), ("SmsMessageSid", sid), ("NumMedia", "0"), ("ToCity", ""), ("FromZip", ""),
         ("SmsSid", sid), ("FromState", ""), ("SmsStatus", "received"), ("FromCity", ""), ("Body", text), ("FromCountry", "XK"),
         ("To", Self.number), ("ToZip", ""), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", Secrets.twilioAccountSID),
         ("From", phone), ("ApiVersion", "2010-04-01")]
    }

    func inbound(_ text: String, sid: String = newSID()) async throws -> WebhookAnswer {
        try await post("/gateways/\(gateway)/sms", fields(text, sid: sid))
    }

    /// A form POST to `uri`, signed over the public URL Twilio was given plus the sorted parameters.
    func post(_ uri: String, _ form: [(String, String)], signature: String? = nil, token: String = Secrets.twilioAuthToken) async throws
        -> WebhookAnswer
    {
        let url = Deployments.publicBaseURL + uri
        let signature = signature ?? Signing.twilio(url: url, params: form, token: token)
        return try await bridge.postForm(uri, form, headers: [("X-Twilio-Signature", signature)])
    }

    /// A status callback for a message the double accepted, to the `StatusCallback` URL the bridge gave.
    func status(_ sent: RecordedRequest, _ status: String, errorCode: String? = nil) async throws -> WebhookAnswer {
        guard let callback = sent.field("StatusCallback") else { throw HarnessError("no StatusCallback in \(sent)") }
        var form: [(String, String)] = [
            ("SmsSid", sent.providerMessageID ?? ""), ("SmsStatus", status), ("MessageStatus", status), ("To", sent.to),
            ("MessageSid", sent.providerMessageID ?? ""), ("AccountSid", Secrets.twilioAccountSID), ("From", Self.number),
            ("ApiVersion", "2010-04-01"),
        ]
        if let errorCode { form.append(("ErrorCode", errorCode)) }
        if status == "delivered" || status == "undelivered" { form.append(("RawDlrDoneDate", "2611271000")) }
        return try await post(callback.bridgeURI, form)
    }
}

// MARK: Africa's Talking

struct ATResident: Resident {
    let bridge: Bridge
    var phone = "+212612345678"
    var gateway = "ma-at"
    var deployment = "casablanca"
    static let shortCode = "20414"
    static let serviceCode = "*384*4242#"

    var token: String { "?token=" + Wire.formEscape(Secrets.atPathToken) }

    func say(_ text: String) async throws -> WebhookAnswer { try await sms(text) }

    func sms(_ text: String, id: String = UUID().uuidString.lowercased(), token: String? = nil) async throws -> WebhookAnswer {
        let form: [(String, String)] = [
            ("linkId", "SampleLinkId123"), ("text", text), ("to", Self.shortCode), ("id", id), ("date", Stamp.iso()), ("from", phone),
            ("networkCode", "60401"),
        ]
        return try await bridge.postForm("/gateways/\(gateway)/sms" + (token ?? self.token), form)
    }

    /// One USSD request: `text` is cumulative, every input so far joined by `*` (§3.f).
    func ussd(session: String, _ text: String) async throws -> WebhookAnswer {
        let form: [(String, String)] = [
            ("sessionId", session), ("serviceCode", Self.serviceCode), ("phoneNumber", phone), ("networkCode", "60401"), ("text", text),
        ]
        return try await bridge.postForm("/gateways/\(gateway)/ussd" + token, form)
    }

    /// The end-of-session notification (§3.f).
    func sessionEnded(session: String, input: String, status: String = "Success", lastResponse: String = "") async throws -> WebhookAnswer {
        let form: [(String, String)] = [
            ("date", Stamp.vonage()), ("sessionId", session), ("serviceCode", Self.serviceCode), ("networkCode", "60401"),
            ("phoneNumber", phone), ("status", status), ("cost", "MAD 0.0500"), ("durationInMillis", "48213"), ("hopsCount", "9"),
            ("input", input), ("lastAppResponse", lastResponse), ("errorMessage", ""),
        ]
        return try await bridge.postForm("/gateways/\(gateway)/ussd" + token, form)
    }

    /// A delivery report (§3.e) for a message the double accepted.
    func report(_ sent: RecordedRequest, _ status: String, failureReason: String? = nil) async throws -> WebhookAnswer {
        var form: [(String, String)] = [
            ("id", sent.providerMessageID ?? ""), ("status", status), ("phoneNumber", sent.to), ("networkCode", "60401"), ("retryCount", "0"),
        ]
        if let failureReason { form.append(("failureReason", failureReason)) }
        return try await bridge.postForm("/gateways/\(gateway)/status" + token, form)
    }
}

// MARK: Vonage

struct VonageResident: Resident {
    let bridge: Bridge
    var phone = "+38163123456"
    var gateway = "ks-vonage"
    var deployment = "prishtina"
    /// Vonage sends GET by default; POST (form) and POST-JSON are dashboard options.
    var method = "GET"
    static let number = "38345000222"

    func say(_ text: String) async throws -> WebhookAnswer { try await inbound(text) }

    /// The inbound fields (§4.a) without the signing ones.
    func fields(_ text: String, messageID: String = String(format: "0C%014X", UInt64.random(in: 0..<(1 << 52))),
                concat: (reference: String, total: Int, part: Int)? = nil) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("msisdn", String(phone.dropFirst())), ("to", Self.number), ("messageId", messageID), ("text", text),
            ("type", text.unicodeScalars.allSatisfy(\.isASCII) ? "text" : "unicode"),
            ("keyword", String(text.split(separator: " ").first ?? "").uppercased()), ("api-key", Secrets.vonageAPIKey),
            ("message-timestamp", Stamp.vonage()),
        ]
        if let concat {
            fields += [("concat", "true"), ("concat-ref", concat.reference), ("concat-total", String(concat.total)),
                       ("concat-part", String(concat.part))]
        }
        return fields
    }

    func inbound(_ text: String) async throws -> WebhookAnswer { try await send("sms", fields(text)) }

    /// Adds `timestamp`, `nonce` and `sig` (HMAC-SHA256 with the signature secret, as configured) and sends.
    func send(_ route: String, _ fields: [(String, String)], timestamp: Date = Date(), secret: String = Secrets.vonageSignatureSecret,
              tamper: ((inout [(String, String)]) -> Void)? = nil) async throws -> WebhookAnswer {
        var signed = fields + [("timestamp", Stamp.unix(timestamp)), ("nonce", UUID().uuidString.lowercased())]
        signed.append(("sig", Signing.vonage(signed, secret: secret, method: .sha256)))
        tamper?(&signed)
        return try await raw(route, signed)
    }

    func raw(_ route: String, _ fields: [(String, String)]) async throws -> WebhookAnswer {
        switch method {
        case "GET": return try await bridge.get("/gateways/\(gateway)/\(route)?" + Wire.form(fields))
        case "JSON":
            let object = Dictionary(fields, uniquingKeysWith: { first, _ in first })
            let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return try await bridge.post("/gateways/\(gateway)/\(route)", headers: [("Content-Type", "application/json")], body: Array(body))
        default: return try await bridge.postForm("/gateways/\(gateway)/\(route)", fields)
        }
    }

    /// A delivery receipt (§4.e) for a message the double accepted, signed like inbound.
    func receipt(_ sent: RecordedRequest, _ status: String, errCode: String = "0", messageID: String? = nil) async throws -> WebhookAnswer {
        guard let callback = sent.field("callback") else { throw HarnessError("no callback in \(sent)") }
        let fields: [(String, String)] = [
            ("msisdn", sent.field("to") ?? ""), ("to", Self.number), ("network-code", "22101"), ("messageId", messageID ?? sent.providerMessageID ?? ""),
            ("price", "0.03330000"), ("status", status), ("scts", "2611271000"), ("err-code", errCode), ("api-key", Secrets.vonageAPIKey),
            ("client-ref", sent.field("client-ref") ?? ""), ("message-timestamp", Stamp.vonage()),
        ]
        let route = callback.bridgeURI.split(separator: "/").last.map(String.init) ?? "status"
        return try await send(route, fields)
    }
}

// MARK: Infobip

struct InfobipResident: Resident {
    let bridge: Bridge
    var phone = "+38163123456"
    var gateway = "ks-infobip"
    var deployment = "prishtina"
    static let number = "38345000111"

    var authorization: String { Wire.basic(Secrets.infobipWebhookUser, Secrets.infobipWebhookPassword) }

    func say(_ text: String) async throws -> WebhookAnswer { try await post([result(text)]) }

    /// One MO_JSON_2 result (§5.a).
    func result(_ text: String, from: String? = nil, messageID: String = String(UInt64.random(in: 100_000_000_000_000_000...999_999_999_999_999_999)))
        -> [String: Any]
    {
        [
            "messageId": messageID, "from": from ?? String(phone.dropFirst()), "to": Self.number, "text": text, "cleanText": text,
            "keyword": "", "receivedAt": Stamp.infobip(), "smsCount": 1, "price": ["pricePerMessage": 0, "currency": "EUR"],
            "callbackData": "",
        ]
    }

    func post(_ results: [[String: Any]], authorization: String? = nil) async throws -> WebhookAnswer {
        let body = try JSONSerialization.data(
            withJSONObject: ["results": results, "messageCount": results.count, "pendingMessageCount": 0], options: [.sortedKeys])
        return try await bridge.post(
            "/gateways/\(gateway)/sms", headers: [("Content-Type", "application/json"), ("Authorization", authorization ?? self.authorization)],
            body: Array(body))
    }

    /// A delivery report (§5.e) to the URL the send request named.
    func report(_ sent: RecordedRequest, group: (id: Int, name: String), status: (id: Int, name: String),
                error: (id: Int, name: String, permanent: Bool)? = nil) async throws -> WebhookAnswer {
        guard let webhooks = sent.infobipMessage?["webhooks"] as? [String: Any],
              let url = (webhooks["delivery"] as? [String: Any])?["url"] as? String
        else { throw HarnessError("no webhooks.delivery.url in \(sent)") }
        var result: [String: Any] = [
            "bulkId": "bulk-1", "messageId": sent.providerMessageID ?? "", "to": String(sent.to.dropFirst()), "sentAt": Stamp.infobip(),
            "doneAt": Stamp.infobip(), "smsCount": 1, "mccMnc": "22101", "price": ["pricePerMessage": 0.01, "currency": "EUR"],
            "status": ["groupId": group.id, "groupName": group.name, "id": status.id, "name": status.name, "description": status.name],
            "error": ["groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "description": "No Error", "permanent": false],
        ]
        if let callbackData = webhooks["callbackData"] as? String { result["callbackData"] = callbackData }
        if let error {
            result["error"] = ["groupId": 2, "groupName": "HANDSET_ERRORS", "id": error.id, "name": error.name, "description": error.name,
                               "permanent": error.permanent]
        }
        let body = try JSONSerialization.data(withJSONObject: ["results": [result]], options: [.sortedKeys])
        return try await bridge.post(
            url.bridgeURI, headers: [("Content-Type", "application/json"), ("Authorization", authorization)], body: Array(body))
    }
}

// MARK: Kannel

struct KannelResident: Resident {
    let bridge: Bridge
    var phone = "+212612345678"
    /// What `%p` gives: the number as the SMSC sends it (here international without `+`, or national).
    var sender: String? = nil
    var gateway = "ma-kannel"
    var deployment = "casablanca"
    var token = Secrets.maKannelPathToken
    var shortCode = "2020"

    func say(_ text: String) async throws -> WebhookAnswer { try await mo(text) }

    /// The `get-url` of the recommended sms-service (§6.a): `%b` is the raw bytes, UTF-16BE for UCS-2 (coding 2).
    func mo(_ text: String, id: String = UUID().uuidString.lowercased(), bytes: [UInt8]? = nil, coding: Int? = nil, token: String? = nil)
        async throws -> WebhookAnswer
    {
        let ucs2 = coding.map { $0 == 2 } ?? !text.unicodeScalars.allSatisfy(\.isASCII)
        let message = bytes ?? (ucs2 ? Wire.utf16BE(text) : Array(text.utf8))
        let from = sender ?? String(phone.dropFirst())
        let query = [
            "token=" + Wire.kannelEscape(token ?? self.token), "id=" + Wire.kannelEscape(id), "from=" + Wire.kannelEscape(from),
            "to=" + Wire.kannelEscape(shortCode), "ts=" + Stamp.unix(), "smsc=" + Wire.kannelEscape("smsc-iam"),
            "coding=" + String(coding ?? (ucs2 ? 2 : 0)), "charset=" + (ucs2 ? "UTF-16BE" : "UTF-8"), "text=" + Wire.kannelEscape(message),
            "meta=",
        ].joined(separator: "&")
        return try await bridge.get("/gateways/\(gateway)/sms?" + query)
    }

    /// Kannel calling the `dlr-url` of a message with its escapes filled in (§6.e): `%d` the DLR type, `%A` the
    /// SMSC answer, `%F` the SMSC's id, `%i` the bind, `%T` the time; values URL-encoded as Kannel does.
    func report(_ sent: RecordedRequest, type: Int, answer: String, foreignID: String = "fid-" + Stamp.hex(8)) async throws -> WebhookAnswer {
        guard let template = sent.field("dlr-url") else { throw HarnessError("no dlr-url in \(sent)") }
        let url = template
            .replacingOccurrences(of: "%d", with: String(type))
            .replacingOccurrences(of: "%i", with: Wire.kannelEscape("smsc-iam"))
            .replacingOccurrences(of: "%F", with: Wire.kannelEscape(foreignID))
            .replacingOccurrences(of: "%A", with: Wire.kannelEscape(answer))
            .replacingOccurrences(of: "%T", with: Stamp.unix())
        return try await bridge.get(url.bridgeURI)
    }
}

// MARK: Generic JSON contract

struct GenericResident: Resident {
    let bridge: Bridge
    var phone = "+38344123456"
    var gateway = "ks-generic"
    var deployment = "prishtina"

    func say(_ text: String) async throws -> WebhookAnswer { try await inbound(text) }

    func inbound(_ text: String, id: String = UUID().uuidString.lowercased()) async throws -> WebhookAnswer {
        try await post("/gateways/\(gateway)/sms", json: ["id": id, "from": phone, "to": "1818", "text": text, "received_at": Stamp.iso()])
    }

    func post(_ uri: String, json object: [String: String]) async throws -> WebhookAnswer {
        try await post(uri, body: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    /// Signed as the contract says (§9): `X-Bridge-Timestamp` and `X-Bridge-Signature: v1=<hex HMAC-SHA256>`.
    func post(_ uri: String, body: [UInt8], timestamp: Date = Date(), secret: String = Secrets.genericSecret, signature: String? = nil)
        async throws -> WebhookAnswer
    {
        let stamp = Stamp.unix(timestamp)
        return try await bridge.post(
            uri,
            headers: [("Content-Type", "application/json"), ("X-Bridge-Timestamp", stamp),
                      ("X-Bridge-Signature", signature ?? Signing.generic(secret: secret, timestamp: stamp, body: body))],
            body: body)
    }

    /// A delivery status to the `status_url` the send request named.
    func status(_ sent: RecordedRequest, _ status: String, error: String? = nil) async throws -> WebhookAnswer {
        guard let url = sent.json?["status_url"] as? String, let id = sent.json?["id"] as? String else {
            throw HarnessError("no status_url or id in \(sent)")
        }
        var object = ["id": id, "status": status]
        if let error { object["error"] = error }
        return try await post(url.bridgeURI, json: object)
    }
}

// MARK: One reply

extension Resident {
    /// A first message that the bridge answers with exactly one SMS (the language menu).
    var greeting: String { deployment == "casablanca" ? "السلام عليكم" : "Përshëndetje" }

    /// Says `text` and waits until the double received one more send request for this resident; returns that
    /// request and the id of the outbox row it belongs to.
    @discardableResult
    func sayAndWaitForSend(_ text: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws
        -> (sent: RecordedRequest, id: String)
    {
        let before = await bridge.double.sent(to: phone).count
        let answer = try await say(text ?? greeting)
        #expect((200..<300).contains(answer.status), "\(answer)", sourceLocation: sourceLocation)
        let sent = try await bridge.double.waitForSent(to: phone, count: before + 1, sourceLocation: sourceLocation)[before]
        if let id = sent.ourID { return (sent, id) }
        // Africa's Talking carries none of our ids: the newest row for the number is the one being sent.
        guard let id = try await bridge.outbox(phone).last?.id else { throw HarnessError("no outbox row for \(phone)") }
        return (sent, id)
    }
}
