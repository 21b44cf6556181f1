import BridgeCore
import Foundation

/// Kannel smsbox in front of an operator SMPP bind (reference §6): the route for direct binds
/// with Vala, IPKO, IAM, Orange or inwi, or a local aggregator.
///
/// Secrets: `base_url` (smsbox sendsms port, e.g. `http://kannel:13013`), `username`,
/// `password` (a `sendsms-user` group), `path_token`; optionally `smsc` to pin a bind.
/// Kannel signs nothing: the shared secret travels in the URL and is compared in constant time.
///
/// The `sms-service` this adapter reads (`%b` is binary-safe: UCS-2 arrives as UTF-16BE bytes;
/// `%a` is not used because it squeezes spaces and is not binary-safe; `%T` is preferred over
/// `%t`, which is read as a fallback under `time`):
///
/// ```
/// group = sms-service
/// keyword = default
/// catch-all = true
/// max-messages = 0          # never turn our HTTP answer into an SMS
/// omit-empty = true
/// concatenation = true
/// assume-plain-text = true
/// accept-x-kannel-headers = true
/// get-url = "https://bridge.example.org/gateways/<id>/sms?token=<path_token>&id=%I&from=%p&to=%P&ts=%T&smsc=%i&coding=%c&charset=%C&text=%b&meta=%D"
/// # or post-url = the same without text=%b: the body then carries the bytes, its
/// # Content-Type the charset, and X-Kannel-From/-To/-Time/-Coding the rest.
/// ```
///
/// Sending goes through `GET /cgi-bin/sendsms`. UCS-2 follows courier's robust recipe:
/// `coding=2` with `text` already UTF-16BE and no `charset` (Kannel's UCS-2 default), so no
/// server-side recoding is needed; GSM-7 texts go as `coding=0&charset=UTF-8`. Our id travels
/// in `dlr-url` (`dlr-mask=27`: delivered, undelivered, SMSC ack, SMSC reject).
public struct KannelGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    /// 1 + 2 + 8 + 16: final handset states and the SMSC's accept/reject.
    static let dlrMask = "27"

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" || request.method == "GET" else { throw .unsupported("method \(request.method)") }
        try Signatures.checkPathToken(request, settings: settings)
    }

    // MARK: Inbound

    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        try request.checkSize()
        let raw = try FormCodec.rawPairs(Array(request.rawQuery.utf8), origin: "query")
        func field(_ name: String, header: String? = nil) throws(GatewayError) -> String? {
            if let bytes = raw.first(where: { $0.name == name })?.bytes, !bytes.isEmpty {
                guard let text = TextDecoding.utf8(bytes) else { throw .invalidUTF8(field: name) }
                return text
            }
            guard let header, let value = request.header(header), !value.isEmpty else { return nil }
            return value
        }
        guard let rawFrom = try field("from", header: "X-Kannel-From") else { throw .malformed(field: "from") }
        guard let to = try field("to", header: "X-Kannel-To") else { throw .malformed(field: "to") }
        let coding = try field("coding", header: "X-Kannel-Coding")
        let bytes: [UInt8]
        var charset = try field("charset")
        if request.method == "POST", !request.body.isEmpty {
            bytes = request.body
            charset = request.charset ?? charset
            if request.mediaType == "application/octet-stream", coding != "2" { return [] }
        } else {
            bytes = raw.first { $0.name == "text" }?.bytes ?? []
        }
        guard let decoded = try Self.decode(bytes, coding: coding, charset: charset) else { return [] }
        guard let from = try SenderAddress.e164(rawFrom, region: settings.region, field: "from") else { return [] }
        var time = request.receivedAt
        if let date = try field("ts").flatMap(GatewayTime.unix) {
            time = date
        } else if let date = try field("time", header: "X-Kannel-Time").flatMap(GatewayTime.parse) {
            time = date
        }
        return [
            GatewayInbound(
                providerMessageID: try field("id"), from: from, to: to, text: try TextDecoding.messageText(decoded),
                receivedAt: time)
        ]
    }

    /// Message bytes → text, by `coding` (`%c`) and `charset` (`%C`). Nil for 8-bit binary.
    static func decode(_ bytes: [UInt8], coding: String?, charset: String?) throws(GatewayError) -> String? {
        let name = charset?.uppercased().replacingOccurrences(of: "_", with: "-")
        if coding == "2" || ["UTF-16BE", "UTF-16", "UCS-2", "UCS2"].contains(name ?? "") {
            guard let text = TextDecoding.utf16BE(bytes) else { throw .invalidUTF8(field: "text") }
            return text
        }
        if coding == "1", name == nil || name == "8-BIT" || name == "BINARY" { return nil }
        switch name {
        case nil, "UTF-8", "UTF8", "US-ASCII", "ASCII":
            guard let text = TextDecoding.utf8(bytes) else { throw .invalidUTF8(field: "text") }
            return text
        case "ISO-8859-1", "ISO8859-1", "LATIN1":
            return TextDecoding.latin1(bytes)
        case "WINDOWS-1252", "CP1252":
            guard let text = TextDecoding.windows1252(bytes) else { throw .invalidUTF8(field: "text") }
            return text
        case let other?:
            throw .malformed(field: "charset", reason: "'\(other)' is not supported (use mo-recode or UTF-8)")
        }
    }

    /// 200 with an empty body: with `max-messages = 0` Kannel sends nothing back, and replies
    /// go through sendsms so they get delivery reports.
    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        .empty
    }

    public func acknowledge(_ reports: [DeliveryReport]) -> GatewayResponse { .empty }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        let base = try settings.apiBase(default: nil)
        let dlrURL = settings.callbackURL(route: .status, override: message.statusCallbackURL, extra: [GatewayField("m", message.id)])
            + "&status=%d&smsc=%i&fid=%F&answer=%A&ts=%T"
        var pairs: [(name: String, bytes: [UInt8])] = [
            ("username", Array(try settings.requiredSecret("username").utf8)),
            ("password", Array(try settings.requiredSecret("password").utf8)),
            ("from", Array(settings.sender.utf8)),
            ("to", Array(to.utf8)),
        ]
        if GSM7Alphabet.isEncodable(text) {
            pairs += [("text", Array(text.utf8)), ("coding", Array("0".utf8)), ("charset", Array("UTF-8".utf8))]
        } else {
            pairs += [("text", TextDecoding.utf16BEBytes(text)), ("coding", Array("2".utf8))]
        }
        pairs += [("dlr-mask", Array(Self.dlrMask.utf8)), ("dlr-url", Array(dlrURL.utf8))]
        if let smsc = settings.secret("smsc") { pairs.append(("smsc", Array(smsc.utf8))) }
        return HTTPRequestSpec(method: "GET", url: base + "/cgi-bin/sendsms?" + PercentEncoding.formEncode(pairs))
    }

    /// 202 `0: Accepted for delivery` or `3: Queued for later delivery` is ok (Kannel returns no
    /// id: ours is in the dlr-url); 503 and other 5xx retry; 4xx fail.
    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        HTTPOutcome.classify(status: status, headers: headers, detail: HTTPOutcome.excerpt(body)) ?? .ok(providerMessageID: nil)
    }

    // MARK: Delivery reports

    /// From our dlr-url: `m` (our id), `status` (`%d`), `fid` (`%F`), `answer` (`%A`).
    /// Values are read leniently: `%A` quotes the SMSC receipt, whose `text:` excerpt may be in
    /// the SMSC's charset, and a report must never be refused for that.
    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        try request.checkSize()
        var source = Array(request.rawQuery.utf8)
        if request.method == "POST", request.isForm { source += [UInt8(ascii: "&")] + request.body }
        let fields = try FormCodec.rawPairs(source, origin: "query").map {
            GatewayField($0.name, TextDecoding.utf8($0.bytes) ?? TextDecoding.latin1($0.bytes))
        }
        guard let type = fields.nonEmpty("status").flatMap({ Int($0) }) else { return [] }
        let answer = fields.first(named: "answer") ?? ""
        let status: DeliveryStatus
        switch type {
        case 1: status = .delivered
        case 2, 16: status = .failed
        case 4, 8: status = .sent
        default: return []
        }
        let transient = type == 16 && Self.transientSMPPStatuses.contains { answer.lowercased().contains($0) }
        return [
            DeliveryReport(
                ourID: fields.nonEmpty("m"), providerMessageID: fields.nonEmpty("fid"), status: status,
                errorCode: status == .failed ? Self.errorCode(answer) : nil, retryable: transient)
        ]
    }

    /// ESME_RTHROTTLED and ESME_RMSGQFUL: the SMSC refused for now, a resend may pass.
    static let transientSMPPStatuses = ["0x00000058", "0x00000014"]

    /// `NACK/0x0000000b/…` → `0x0000000b`; `… stat:UNDELIV err:001 …` → `UNDELIV/001`.
    static func errorCode(_ answer: String) -> String? {
        if answer.uppercased().hasPrefix("NACK/") {
            let code = answer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
            return code.isEmpty ? "NACK" : code
        }
        func value(_ key: String) -> String? {
            guard let range = answer.range(of: key + ":", options: .caseInsensitive) else { return nil }
            let rest = answer[range.upperBound...].prefix { !$0.isWhitespace }
            return rest.isEmpty ? nil : String(rest)
        }
        guard let stat = value("stat") else { return answer.isEmpty ? nil : String(answer.prefix(64)) }
        if let error = value("err"), error.contains(where: { $0 != "0" }) { return stat + "/" + error }
        return stat
    }
}
