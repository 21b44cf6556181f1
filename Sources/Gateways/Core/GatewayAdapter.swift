import Foundation

/// One provider's webhook and send API as pure functions over plain values, so the server and
/// the sender stay provider-neutral and everything is testable without sockets.
///
/// The server calls, per request: `verify` (before anything is parsed or stored), then
/// `parseInbound` or `parseDeliveryReports`, then answers with `answer(for:…)` or
/// `acknowledge(_:)`; errors become `errorAnswer(_:)`. The sender calls `sendRequest` and
/// `classifySendResponse`.
public protocol GatewayAdapter: Sendable {
    var settings: GatewaySettings { get }

    /// Checks the signature, token or credentials, and the size limits. Never parses the
    /// message itself.
    func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError)

    /// Messages in the request; empty for probes and irrelevant callbacks (answer "Ignored").
    func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound]

    /// The synchronous answer. `replies` is USSD screen text (joined with newlines); SMS
    /// replies always go through the send API so they get delivery tracking.
    func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse

    /// The request that sends `message`. `now` is only read by adapters that sign requests.
    func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec

    /// ok / retry / fail from the provider's answer.
    func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome

    /// Reports in a status callback; unknown status values are left out (answer 200, never 4xx).
    func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport]

    /// A USSD end-of-session notification, when the request is one.
    func parseSessionEnd(_ request: GatewayRequest) throws(GatewayError) -> USSDSessionEnd?

    /// The answer to a status callback.
    func acknowledge(_ reports: [DeliveryReport]) -> GatewayResponse

    /// The answer when `verify` or parsing threw.
    func errorAnswer(_ error: GatewayError) -> GatewayResponse
}

extension GatewayAdapter {
    public func parseSessionEnd(_ request: GatewayRequest) throws(GatewayError) -> USSDSessionEnd? { nil }

    public func acknowledge(_ reports: [DeliveryReport]) -> GatewayResponse {
        reports.isEmpty ? .ignored : .accepted
    }

    public func errorAnswer(_ error: GatewayError) -> GatewayResponse { .error(error) }
}

/// The adapter factory.
public enum Gateways {
    /// The adapter for `settings.type`.
    public static func adapter(for settings: GatewaySettings) -> any GatewayAdapter {
        switch settings.type {
        case .twilio: TwilioGateway(settings: settings)
        case .africastalking: AfricasTalkingGateway(settings: settings)
        case .vonage: VonageGateway(settings: settings)
        case .infobip: InfobipGateway(settings: settings)
        case .kannel: KannelGateway(settings: settings)
        case .generic: GenericGateway(settings: settings)
        }
    }
}
