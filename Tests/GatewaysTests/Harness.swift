import Crypto
import Foundation
import Testing

@testable import Gateways

/// Shared fixtures and the table runner (courier's idea: one table of real requests per
/// provider, one harness that verifies, parses and checks the answer).
enum Fixture {
    /// 2025-03-14T09:26:53Z.
    static let now = Date(timeIntervalSince1970: 1_741_944_413)
    static let base = "https://bridge.example.org"

    static let albanian = "Përshëndetje! Kanalizimi është i bllokuar te rruga e Çarshisë, ç'është kjo?"
    static let serbian = "Здраво! Улица је поплављена код школе, шта да радимо?"
    static let arabic = "مرحبا، الشارع مغلق بسبب النفايات قرب المدرسة"
    static let gsm = "Hello, the street light at Rr. UCK 12 is broken"

    static func settings(_ type: GatewayType, secrets: [String: String], sender: String = "+38344000111", region: String = "XK")
        -> GatewaySettings
    {
        GatewaySettings(
            id: "gw1", type: type, publicBaseURL: base, sender: sender, secrets: secrets,
            sendURL: "http://127.0.0.1:9999", region: region)
    }

    /// `application/x-www-form-urlencoded` with `+` for spaces, as providers send it.
    static func form(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { formEscape($0.0) + "=" + formEscape($0.1) }.joined(separator: "&").utf8)
    }

    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }

    static func query(_ pairs: [(String, String)]) -> String {
        String(decoding: form(pairs), as: UTF8.self)
    }

    static let formHeader = GatewayField("Content-Type", "application/x-www-form-urlencoded")
    static let jsonHeader = GatewayField("Content-Type", "application/json")

    static func post(_ path: String, form pairs: [(String, String)], query: String = "", headers: [GatewayField] = [], at date: Date = now)
        -> GatewayRequest
    {
        GatewayRequest(method: "POST", path: path, rawQuery: query, headers: [formHeader] + headers, body: form(pairs), receivedAt: date)
    }

    static func get(_ path: String, query pairs: [(String, String)], headers: [GatewayField] = [], at date: Date = now) -> GatewayRequest {
        GatewayRequest(method: "GET", path: path, rawQuery: query(pairs), headers: headers, receivedAt: date)
    }

    static func postJSON(_ path: String, json: String, query: String = "", headers: [GatewayField] = [], at date: Date = now) -> GatewayRequest {
        GatewayRequest(method: "POST", path: path, rawQuery: query, headers: [jsonHeader] + headers, body: Array(json.utf8), receivedAt: date)
    }

    static func hmacSHA1Base64(key: String, _ message: String) -> String {
        Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key.utf8)))).base64EncodedString()
    }

    static func hmacSHA256Hex(key: String, _ message: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Decoded form fields of a spec body, for asserting send requests.
    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for piece in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func json(_ body: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}

/// One row of a provider table: a real request and what must come of it.
struct InboundCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// Verified and parsed into these messages; the answer's status, content type and body.
        case messages([GatewayInbound], answer: GatewayResponse? = nil)
        /// Refused by `verify` with this kind.
        case refused(GatewayError.Kind)
        /// Verified, then refused by parsing with this kind and (optionally) field.
        case invalid(GatewayError.Kind, field: String? = nil)
    }

    var label: String
    var route: GatewayRoute = .sms
    var request: GatewayRequest
    var expected: Expected
    var testDescription: String { label }
}

enum Harness {
    static func run(_ testCase: InboundCase, on adapter: any GatewayAdapter, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try adapter.verify(testCase.request, route: testCase.route)
        } catch {
            if case .refused(let kind) = testCase.expected {
                #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            } else {
                Issue.record("verify refused: \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        if case .refused = testCase.expected {
            Issue.record("verify accepted a request it should refuse", sourceLocation: sourceLocation)
            return
        }
        do {
            let messages = try adapter.parseInbound(testCase.request)
            switch testCase.expected {
            case .messages(let expected, let answer):
                #expect(messages == expected, sourceLocation: sourceLocation)
                if let answer {
                    #expect(adapter.answer(for: messages, replies: [], endsSession: false) == answer, sourceLocation: sourceLocation)
                }
            case .invalid(let kind, _):
                Issue.record("parsed \(messages.count) message(s); expected \(kind)", sourceLocation: sourceLocation)
            case .refused:
                break
            }
        } catch {
            if case .invalid(let kind, let field) = testCase.expected {
                #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
                if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
                #expect(adapter.errorAnswer(error).status == error.httpStatus, sourceLocation: sourceLocation)
            } else {
                Issue.record("parse failed: \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    /// The kind of the error `body` throws, nil when it does not throw.
    static func errorKind(_ body: () throws -> Void) -> GatewayError.Kind? {
        error(body)?.kind
    }

    static func error(_ body: () throws -> Void) -> GatewayError? {
        do {
            try body()
            return nil
        } catch let error as GatewayError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }
}
