/// The providers the bridge speaks to. The raw value is the `type` in `Config/*.yaml`.
public enum GatewayType: String, Sendable, CaseIterable, Codable {
    case twilio, africastalking, vonage, infobip, kannel, generic
}

/// Which of the three webhook routes (`/gateways/{id}/{route}`) a request arrived on.
public enum GatewayRoute: String, Sendable, CaseIterable {
    case sms, ussd, status
}

/// One configured gateway: everything an adapter needs, already resolved by the caller.
///
/// Credentials and the tenant come from configuration and the URL path, never from a payload
/// field (reference §12).
public struct GatewaySettings: Sendable {
    /// The `{id}` in `/gateways/{id}/…`; also used to build callback URLs.
    public var id: String
    public var type: GatewayType
    /// The URL the provider was given, e.g. `https://bridge.example.org`. Signatures are
    /// checked against it, never against Host or scheme headers a proxy may have rewritten.
    public var publicBaseURL: String
    /// Our short code, long number, alphanumeric sender or (Twilio) `MG…` Messaging Service.
    public var sender: String
    /// Values already read from environment variables: `auth_token`, `account_sid`,
    /// `api_key`, `api_secret`, `signature_secret`, `signature_method`, `username`,
    /// `password`, `path_token`, `base_url`, … Each adapter's doc comment lists its own.
    public var secrets: [String: String]
    /// Base URL of the provider API, overriding the provider default (tests use 127.0.0.1).
    public var sendURL: String?
    /// ISO region used to read national sender numbers (`XK`, `MA`, `RS`).
    public var region: String

    public init(
        id: String,
        type: GatewayType,
        publicBaseURL: String,
        sender: String,
        secrets: [String: String] = [:],
        sendURL: String? = nil,
        region: String
    ) {
        self.id = id
        self.type = type
        self.publicBaseURL = publicBaseURL
        self.sender = sender
        self.secrets = secrets
        self.sendURL = sendURL
        self.region = region
    }

    /// A configured, non-empty secret.
    func secret(_ name: String) -> String? {
        guard let value = secrets[name], !value.isEmpty else { return nil }
        return value
    }

    /// A secret the operation cannot do without.
    func requiredSecret(_ name: String) throws(GatewayError) -> String {
        guard let value = secret(name) else {
            throw .misconfigured("secret '\(name)' is not set for gateway '\(id)'")
        }
        return value
    }

    /// Provider API base without a trailing slash: `sendURL`, then `base_url`, then the default.
    func apiBase(default defaultURL: String?) throws(GatewayError) -> String {
        guard let base = sendURL ?? secret("base_url") ?? defaultURL else {
            throw .misconfigured("no API base URL (base_url) for gateway '\(id)'")
        }
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// Where a provider should send callbacks for `route`: the message's own callback URL when
    /// given, else `{publicBaseURL}/gateways/{id}/{route}`, plus the path token (for gateways
    /// without signatures) and `extra` query pairs such as our message id.
    func callbackURL(route: GatewayRoute, override: String?, extra: [GatewayField]) -> String {
        var url = override ?? (trimmedBaseURL + "/gateways/" + PercentEncoding.encodePathSegment(id) + "/" + route.rawValue)
        var pairs: [GatewayField] = []
        if override == nil, let token = secret("path_token") { pairs.append(GatewayField("token", token)) }
        pairs += extra
        guard !pairs.isEmpty else { return url }
        url += url.contains("?") ? "&" : "?"
        url += pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
        return url
    }

    var trimmedBaseURL: String {
        publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
    }
}
