import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1

/// A platform's answer, body read in full.
struct HTTPReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// The path asked for, without its query (queries may carry an API key): for messages.
    var path: String

    var contentType: String { headers.first(name: "content-type")?.lowercased() ?? "" }

    /// An HTML page (FixMyStreet's Open311 errors come as HTML with status 200): told by content type and shape,
    /// never by the (translated) text.
    var isHTML: Bool {
        if contentType.contains("html") { return true }
        guard !contentType.contains("json") else { return false }
        return body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "<")
    }

    var json: JSONValue? { isHTML ? nil : JSONValue.parse(body) }

    var text: String { String(decoding: body, as: UTF8.self) }

    var isSuccess: Bool { (200..<300).contains(status) }

    var setCookies: [HTTPClient.Cookie] {
        headers["set-cookie"].compactMap { HTTPClient.Cookie(header: $0, defaultDomain: "platform") }
    }

    /// A short excerpt for operators: an HTML page's `ERROR: …` line if it has one, else the start of the text.
    /// Runs of seven or more digits (a phone number, say) are masked.
    var excerpt: String {
        let text = self.text.replacingOccurrences(of: "\\+?[0-9]{7,}", with: "…", options: .regularExpression)
        if isHTML {
            if let range = text.range(of: "ERROR:") {
                let tail = text[range.lowerBound...].prefix { $0 != "<" && $0 != "\n" }
                return String(tail.prefix(160))
            }
            let stripped = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
            return String(ReportText.collapse(stripped).prefix(120))
        }
        return String(ReportText.collapse(text).prefix(160))
    }

    /// Maps a status that is not success to an error: 5xx, 408 and 429 are worth retrying, other statuses are not.
    func failure(_ platform: String) -> PlatformError {
        switch status {
        case 408, 429, 500...599:
            PlatformError(.unavailable, "\(platform) answered \(path) with HTTP \(status)")
        default:
            PlatformError(.unexpectedStatus, "\(platform) answered \(path) with HTTP \(status): \(excerpt)")
        }
    }

    /// The JSON body of a success, or the error to throw.
    func requireJSON(_ platform: String) throws(PlatformError) -> JSONValue {
        guard isSuccess else { throw failure(platform) }
        guard let json else {
            throw PlatformError(
                .unexpectedResponse,
                "\(platform) answered \(path) with \(isHTML ? "an HTML page" : "something not JSON") (HTTP \(status)): \(excerpt)")
        }
        return json
    }
}

/// One HTTP call at a time, each with its own deadline, every failure mapped to ``PlatformError``.
struct HTTPExchange: Sendable {
    let client: HTTPClient
    let baseURL: String
    let timeout: TimeAmount
    let maximumBytes: Int
    /// "FixMyStreet", "Open311": names the other side in messages.
    let platform: String

    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], form: [(String, String)]? = nil,
        headers: [(String, String)] = []
    ) async throws(PlatformError) -> HTTPReply {
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        url += path
        if !query.isEmpty { url += "?" + FormEncoding.encode(query) }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "smsbridge")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        }
        let deadline = NIODeadline.now() + timeout
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: maximumBytes)
            return HTTPReply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView), path: path)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw PlatformError(.unexpectedResponse, "\(platform) answered \(path) with more than \(maximumBytes) bytes")
        } catch is CancellationError {
            throw PlatformError(.unavailable, "the call to \(platform) \(path) was cancelled")
        } catch let error as HTTPClientError {
            throw PlatformError(.unavailable, "\(platform) \(path) failed: \(error)")
        } catch {
            throw PlatformError(.unavailable, "\(platform) \(path) failed: \(String(describing: type(of: error))) \(error)")
        }
    }
}

/// A coordinate as FixMyStreet stores it: six decimal places.
func formatCoordinate(_ value: Double) -> String { String(format: "%.6f", value) }

/// Places nearest `point` first (stable for equal distances).
func sortedByDistance<T>(_ items: [T], from point: Coordinate?, _ coordinate: (T) -> Coordinate) -> [T] {
    guard let point else { return items }
    return items.enumerated().sorted {
        let a = coordinate($0.element).distanceKilometres(to: point)
        let b = coordinate($1.element).distanceKilometres(to: point)
        return a == b ? $0.offset < $1.offset : a < b
    }.map(\.element)
}
