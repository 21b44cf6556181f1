import BridgeCore
import Foundation
import Gateways

/// Fuzzes every gateway adapter with raw webhook requests: verification (signatures, tokens, Basic
/// credentials, size limits) must refuse garbage without crashing, and parsing, delivery reports,
/// USSD session ends, the synchronous answer, the send request and the send-response
/// classification must all survive whatever a request carries.
///
/// Input: byte 0 picks the adapter configuration, byte 1 the route, then
/// `METHOD\nPATH\nRAWQUERY\n` header lines `Name: value\n`, an empty line, and the body (any bytes).
enum FuzzGateways {
    static let base = "https://bridge.example.org"
    static let now = Date(timeIntervalSince1970: 1_741_944_413)

    static func settings(_ type: GatewayType, _ secrets: [String: String], region: String = "XK") -> GatewaySettings {
        GatewaySettings(
            id: "gw1", type: type, publicBaseURL: base, sender: "+38344000111", secrets: secrets,
            sendURL: "http://127.0.0.1:9", region: region)
    }

    /// Every provider, with each way it can check a request (the seeds use these secrets).
    static let adapters: [any GatewayAdapter] = [
        settings(.twilio, ["account_sid": "AC3b7e", "auth_token": "12345"]),
        settings(.twilio, ["account_sid": "AC3b7e", "auth_token": "12345", "webhook_shared_key": "shared", "api_key": "SK1", "api_secret": "s"]),
        settings(.africastalking, ["username": "sandbox", "api_key": "atkey", "path_token": "t0ken"], region: "MA"),
        settings(.vonage, ["api_key": "k", "api_secret": "s", "signature_secret": "sigsecret", "signature_method": "md5hash"]),
        settings(.vonage, ["api_key": "k", "api_secret": "s", "signature_secret": "sigsecret", "signature_method": "sha256"]),
        settings(.vonage, ["api_key": "k", "api_secret": "s", "path_token": "t0ken"]),
        settings(.infobip, ["api_key": "ib", "webhook_username": "user", "webhook_password": "pass"], region: "RS"),
        settings(.infobip, ["username": "u", "password": "p", "path_token": "t0ken"], region: "RS"),
        settings(.kannel, ["username": "kannel", "password": "kpass", "path_token": "t0ken"]),
        settings(.generic, ["signature_secret": "gensecret", "send_url": "http://127.0.0.1:9/send"]),
        settings(.generic, [:]),
    ].map { Gateways.adapter(for: $0) }

    /// SMSBRIDGE_FUZZ_VERBOSE=1 prints what each input did (to check that seeds verify and parse).
    static let verbose = ProcessInfo.processInfo.environment["SMSBRIDGE_FUZZ_VERBOSE"] == "1"

    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let adapter = adapters[Int(bytes[0]) % adapters.count]
        let route = GatewayRoute.allCases[Int(bytes[1]) % GatewayRoute.allCases.count]
        var rest = bytes[2...]
        func line() -> String {
            let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let text = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
            rest = end < rest.endIndex ? rest[(end + 1)...] : rest[end...]
            return text
        }
        let method = line()
        let path = line()
        let query = line()
        var headers: [GatewayField] = []
        while !rest.isEmpty {
            let header = line()
            if header.isEmpty { break }
            let parts = header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            headers.append(GatewayField(String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""))
        }
        let body = Array(rest)
        let request = GatewayRequest(method: method, path: path, rawQuery: query, headers: headers, body: body, receivedAt: now)

        // The server's order: verify, then parse only what was verified. Signatures cannot be
        // forged by the fuzzer, so parsing also runs on unverified requests within the size limit.
        do {
            try adapter.verify(request, route: route)
            if verbose { print("\(adapter.settings.type) \(route): verified") }
        } catch {
            _ = adapter.errorAnswer(error)
            if verbose { print("\(adapter.settings.type) \(route): refused: \(error)") }
        }
        guard (try? request.checkSize()) != nil else { return }

        do {
            switch route {
            case .sms, .ussd:
                let messages = try adapter.parseInbound(request)
                var assembler = ConcatAssembler()
                var previous: String?
                for message in messages {
                    _ = assembler.add(message)
                    if message.channel == .ussd {
                        _ = USSDTextDiff.turn(previous: previous, current: message.text)
                        _ = USSDTextDiff.effectivePath(of: message.text.components(separatedBy: "*"))
                        previous = message.text
                    }
                }
                _ = assembler.expire(now: now.addingTimeInterval(3600))
                _ = adapter.answer(for: messages, replies: messages.map(\.text), endsSession: bytes[1] & 0x80 != 0)
                if verbose { print("  \(messages.count) message(s): \(messages.map(\.text))") }
                _ = try? adapter.parseSessionEnd(request)
            case .status:
                let reports = try adapter.parseDeliveryReports(request)
                _ = adapter.acknowledge(reports)
                if verbose { print("  \(reports.count) report(s)") }
            }
        } catch {
            _ = adapter.errorAnswer(error)
            if verbose { print("  parse: \(error)") }
        }

        // The same bytes as the provider's answer to a send, and as a message to send.
        _ = adapter.classifySendResponse(status: 100 + Int(bytes[1]) * 2, headers: headers, body: body)
        let text = String(decoding: body, as: UTF8.self)
        _ = try? adapter.sendRequest(OutboundSMS(id: "m1", to: query, text: text, statusCallbackURL: path.isEmpty ? nil : path), at: now)
    }
}
