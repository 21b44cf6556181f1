import BridgeCore
import Foundation

/// A webhook request as plain values, so adapters are tested without sockets.
///
/// The query is kept raw (still percent-encoded) because signatures cover the URL exactly as
/// the provider requested it, and Kannel's UCS-2 texts are bytes that must not go through a
/// String before their charset is known.
public struct GatewayRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// The path as received, e.g. `/gateways/ks-twilio/sms`.
    public var path: String
    /// The query string as received, without `?`, still percent-encoded.
    public var rawQuery: String
    public var headers: [GatewayField]
    public var body: [UInt8]
    /// The bridge clock when the request arrived; signature windows are checked against it.
    public var receivedAt: Date

    public init(
        method: String = "POST",
        path: String,
        rawQuery: String = "",
        headers: [GatewayField] = [],
        body: [UInt8] = [],
        receivedAt: Date
    ) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery.hasPrefix("?") ? String(rawQuery.dropFirst()) : rawQuery
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }

    /// Builds the raw query from decoded pairs (tests, simulators).
    public init(
        method: String = "POST",
        path: String,
        query: [GatewayField],
        headers: [GatewayField] = [],
        body: [UInt8] = [],
        receivedAt: Date
    ) {
        self.init(
            method: method, path: path, rawQuery: PercentEncoding.formEncode(query),
            headers: headers, body: body, receivedAt: receivedAt)
    }

    /// Case-insensitive header lookup.
    public func header(_ name: String) -> String? { headers.header(name) }

    /// The media type of the body, lower-cased, without parameters (`application/json`).
    public var mediaType: String? {
        guard let value = header("Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingWhitespace(newlines: false).lowercased()
    }

    /// The `charset` parameter of Content-Type, quotes removed.
    public var charset: String? {
        guard let value = header("Content-Type") else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// True for `application/x-www-form-urlencoded` bodies.
    public var isForm: Bool { mediaType == "application/x-www-form-urlencoded" }

    /// True for JSON bodies (`application/json`, `…+json`).
    public var isJSON: Bool {
        guard let type = mediaType else { return false }
        return type == "application/json" || type.hasSuffix("+json")
    }

    /// The URL the provider requested, rebuilt from the configured public base URL plus the
    /// path and raw query: never from Host or X-Forwarded-* headers.
    public func fullURL(publicBaseURL: String) -> String {
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        let path = self.path.hasPrefix("/") || self.path.isEmpty ? self.path : "/" + self.path
        return base + path + (rawQuery.isEmpty ? "" : "?" + rawQuery)
    }

    /// Refuses bodies and queries over `GatewayLimits.maxBodyBytes` before anything is parsed.
    public func checkSize() throws(GatewayError) {
        if body.count > GatewayLimits.maxBodyBytes { throw .payloadTooLarge(bytes: body.count) }
        if rawQuery.utf8.count > GatewayLimits.maxBodyBytes { throw .payloadTooLarge(bytes: rawQuery.utf8.count) }
    }

    /// Query fields, decoded (`+` is a space), in order, repeated keys kept.
    public func queryFields() throws(GatewayError) -> [GatewayField] {
        try FormCodec.fields(FormCodec.rawPairs(Array(rawQuery.utf8), origin: "query"))
    }

    /// Form fields of an `application/x-www-form-urlencoded` body.
    public func formFields() throws(GatewayError) -> [GatewayField] {
        try checkSize()
        return try FormCodec.fields(FormCodec.rawPairs(body, origin: "body"))
    }

    /// The fields a provider sent, wherever it put them: the query for GET, the form body for
    /// POST (plus query fields not in the body, for URLs configured with parameters).
    public func parameters() throws(GatewayError) -> [GatewayField] {
        let query = try queryFields()
        guard method == "POST", !body.isEmpty else { return query }
        guard isForm || mediaType == nil else {
            throw .unsupported("content type '\(mediaType ?? "")' where a form was expected")
        }
        let form = try formFields()
        let names = Set(form.map(\.name))
        return form + query.filter { !names.contains($0.name) }
    }

    /// The body decoded as `T`; invalid UTF-8, invalid JSON and a wrong shape are told apart.
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws(GatewayError) -> T {
        _ = try json()
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw .malformed(field: "body", reason: "does not have the expected JSON shape")
        }
    }

    /// The body parsed as JSON; invalid UTF-8 and invalid JSON are told apart.
    func json() throws(GatewayError) -> JSONValue {
        try checkSize()
        guard TextDecoding.utf8(body) != nil else { throw .invalidUTF8(field: "body") }
        do {
            return try JSONValue.parsing(body)
        } catch {
            throw .malformed(field: "body", reason: "is not valid JSON (\(error))")
        }
    }
}
