/// The synchronous answer to a webhook: what the provider must see so it neither retries nor
/// turns our body into an SMS.
public struct GatewayResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: String = "") {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// 200 with an empty plain body: providers that ignore the body.
    public static let empty = GatewayResponse()
    /// 200 "Ignored": probes and irrelevant callbacks, so the gateway stops retrying (§12).
    public static let ignored = GatewayResponse(body: "Ignored")
    /// 200 "OK": delivery reports taken.
    public static let accepted = GatewayResponse(body: "OK")

    /// The plain error answer: the error's status and operator message.
    public static func error(_ error: GatewayError) -> GatewayResponse {
        GatewayResponse(status: error.httpStatus, body: error.description)
    }
}

/// A reply to send through the provider's API.
public struct OutboundSMS: Sendable, Equatable {
    /// Our UUID: carried in callback URLs, `client-ref`, `messageId`, so delivery reports
    /// resolve without a provider-id lookup race (§12).
    public var id: String
    /// E.164 with `+`.
    public var to: String
    /// Sent exactly as given: `SMSComposer` has already chosen spelling and sanitised.
    public var text: String
    /// Overrides the default `{publicBaseURL}/gateways/{id}/status`.
    public var statusCallbackURL: String?

    public init(id: String, to: String, text: String, statusCallbackURL: String? = nil) {
        self.id = id
        self.to = to
        self.text = text
        self.statusCallbackURL = statusCallbackURL
    }
}

/// The exact HTTP request the sender executes: plain values so it can be asserted in tests and
/// executed by any client.
public struct HTTPRequestSpec: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [GatewayField]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [GatewayField] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Case-insensitive header lookup.
    public func header(_ name: String) -> String? { headers.header(name) }

    /// The body as UTF-8 text, for logs and tests.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
