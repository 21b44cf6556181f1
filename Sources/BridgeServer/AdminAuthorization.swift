import Crypto
import HTTPTypes
import Hummingbird

/// Who may read the endpoints that reveal data (`/metrics` and any admin route): a bearer token from the environment
/// variable `server.admin_token_env` names, compared in constant time; without one configured, this machine only.
///
/// The metrics name gateways and count residents' traffic; they are not for the open network. `/healthz` reveals
/// nothing and stays open for load balancers.
struct AdminAuthorization: Sendable {
    /// The token's SHA-256, never the token: the comparison then leaks neither its content nor its length.
    private let tokenDigest: [UInt8]?

    init(token: String?) {
        tokenDigest = token.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }

    enum Verdict: Equatable {
        case allowed
        /// No token, or the wrong one: 401 with a `WWW-Authenticate` challenge.
        case unauthorized
        /// No token is configured and the request is not from this machine.
        case forbidden
    }

    func verdict(authorization: String?, fromLoopback: Bool) -> Verdict {
        guard let tokenDigest else { return fromLoopback ? .allowed : .forbidden }
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .unauthorized }
        let given = Array(SHA256.hash(data: Array(authorization.dropFirst(7).utf8)))
        var difference: UInt8 = 0
        for (left, right) in zip(given, tokenDigest) { difference |= left ^ right }
        return difference == 0 ? .allowed : .unauthorized
    }

    /// nil when the request may go on; otherwise the refusal to return.
    func refusal(_ request: Request, _ context: BridgeRequestContext) -> Response? {
        switch verdict(authorization: request.headers[.authorization], fromLoopback: context.isLoopback) {
        case .allowed:
            return nil
        case .unauthorized:
            var response = WebhookController.text(401, "this endpoint needs Authorization: Bearer <the token in the variable server.admin_token_env names>")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        case .forbidden:
            return WebhookController.text(
                403, "this endpoint answers this machine only: set server.admin_token_env to read it over the network with a bearer token")
        }
    }
}
