import BridgeCore
import BridgeStore
import Foundation
import Gateways
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `/gateways/{id}/{sms|ussd|status}`: verify, parse, commit, answer — in that order, for every provider.
struct WebhookController: Sendable {
    let gateways: [String: GatewayRuntime]
    let processor: InboundProcessor
    let metrics: BridgeMetrics
    let logger: Logger
    let clock: @Sendable () -> Date

    func register(on router: Router<BridgeRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/gateways/:id/:route", method: method) { request, context in
                try await handle(request, context)
            }
        }
    }

    func handle(_ request: Request, _ context: BridgeRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let gateway = gateways[id] else {
            return Self.text(404, "unknown gateway '\(id)': check the URL configured at the provider")
        }
        guard let route = context.parameters.get("route").flatMap(GatewayRoute.init(rawValue:)) else {
            return Self.text(404, "unknown route: use /gateways/\(id)/sms, /ussd or /status")
        }
        let now = clock()
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: GatewayLimits.maxBodyBytes)
        } catch {
            metrics.rejected(gateway: id, status: 413)
            logger.warning("webhook body over the limit", metadata: ["gateway": "\(id)"])
            return Self.text(413, "request body over \(GatewayLimits.maxBodyBytes / 1024) kB")
        }
        let headers = request.headers.map { GatewayField($0.name.rawName, $0.value) }
        let gatewayRequest = GatewayRequest(
            method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "", headers: headers,
            body: Array(buffer: body), receivedAt: now)
        let adapter = gateway.adapter
        do {
            if !(gateway.acceptsUnsignedFromLoopback && context.isLoopback) {
                try adapter.verify(gatewayRequest, route: route)
            }
            switch route {
            case .status:
                let reports = try adapter.parseDeliveryReports(gatewayRequest)
                let applied = try await processor.apply(reports, gateway: gateway, now: now)
                metrics.deliveryReports(gateway: id, count: applied)
                return Self.response(adapter.acknowledge(reports))
            case .sms, .ussd:
                if let end = try adapter.parseSessionEnd(gatewayRequest) {
                    logger.info("USSD session ended", metadata: ["gateway": "\(id)", "session": "\(end.sessionID)", "status": "\(end.status ?? "")"])
                    return Self.response(.accepted)
                }
                let inbound = try adapter.parseInbound(gatewayRequest)
                if inbound.isEmpty { return Self.response(adapter.answer(for: [], replies: [], endsSession: false)) }
                let outcome = try await processor.process(inbound, gateway: gateway, now: now)
                return Self.response(outcome.answer)
            }
        } catch let error as GatewayError {
            metrics.rejected(gateway: id, status: error.httpStatus)
            logger.warning("webhook rejected", metadata: [
                "gateway": "\(id)", "status": "\(error.httpStatus)", "reason": "\(error)", "from": "\(Self.maskedSender(gatewayRequest))",
            ])
            return Self.response(adapter.errorAnswer(error))
        } catch {
            // Our own failure (the store): 503 makes the gateway retry, and nothing was acknowledged that was not stored.
            metrics.rejected(gateway: id, status: 503)
            logger.error("webhook not stored; the gateway will retry", metadata: ["gateway": "\(id)", "error": "\(PostgresStore.describe(error))"])
            return Self.text(503, "temporarily unable to store the message; retry later")
        }
    }

    /// The sender, masked, for logs of rejected requests (best effort: the request may be garbage).
    static func maskedSender(_ request: GatewayRequest) -> String {
        let text = request.rawQuery + "&" + String(decoding: request.body.prefix(4096), as: UTF8.self)
        for key in ["From", "from", "msisdn", "phoneNumber", "sender"] {
            if let range = text.range(of: "\"" + key + "\":\"") ?? text.range(of: "\"" + key + "\": \"") {
                return PhoneNumber.masked(String(text[range.upperBound...].prefix { $0 != "\"" }))
            }
            if let range = text.range(of: key + "=") {
                let value = text[range.upperBound...].prefix { $0 != "&" }
                let decoded = String(value).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(value)
                return PhoneNumber.masked(decoded.trimmingCharacters(in: .whitespaces))
            }
        }
        return "unknown"
    }

    static func response(_ answer: GatewayResponse) -> Response {
        Response(
            status: .init(code: answer.status), headers: [.contentType: answer.contentType],
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    static func text(_ status: Int, _ message: String) -> Response {
        response(GatewayResponse(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n"))
    }
}
