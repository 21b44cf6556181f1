import BridgeCore
import Foundation

/// One service request from a GeoReport v2 `requests.json` list (FixMyStreet's or a city's).
struct ListedRequest: Sendable, Equatable {
    var id: String
    var title: String?
    var detail: String?
    var description: String?
    var status: String
    var serviceCode: String?
    var requestedAt: Date?
    /// `requested_datetime`'s wall clock as written: FixMyStreet pages by it.
    var requestedWallClock: String?
    var requestedRaw: String?
    var updatedRaw: String
    var updatedAt: Date
    var coordinate: Coordinate?

    var statusChange: StatusChange {
        StatusChange(
            id: id, platformStatus: status, status: ReportStatus(platformState: status), updatedRaw: updatedRaw, updatedAt: updatedAt,
            requestedAt: requestedAt, title: title, category: serviceCode)
    }
}

/// Reading and paging GeoReport v2 request lists, tolerating what FixMyStreet really sends: ids and coordinates as
/// numbers or strings, `{"service_requests":[…]}` (current), `{"requests":[{"request":[…]}]}` (old installs) or a bare
/// array (the spec), and HTML error pages served with status 200.
enum Open311Listing {
    static func parse(_ reply: HTTPReply, platform: String, zone: TimeZone) throws(PlatformError) -> [ListedRequest] {
        let json = try reply.requireJSON(platform)
        let items: [JSONValue]
        if let list = json["service_requests"]?.array {
            items = list
        } else if let wrapped = json["requests"]?.array {
            items = wrapped.flatMap { $0["request"]?.array ?? [$0] }
        } else if let list = json.array {
            if let problem = errorDescription(list) {
                throw PlatformError(.rejected, "\(platform) answered \(reply.path) with an error: \(problem)")
            }
            items = list
        } else {
            throw PlatformError(.unexpectedResponse, "\(platform) answered \(reply.path) without a request list: \(reply.excerpt)")
        }
        return items.compactMap { request(from: $0, zone: zone) }
    }

    static func request(from item: JSONValue, zone: TimeZone) -> ListedRequest? {
        guard let id = item["service_request_id"]?.text, !id.isEmpty else { return nil }
        let requested = item["requested_datetime"]?.text.flatMap { PlatformDate.parse($0, zone: zone) }
        let updatedRaw = item["updated_datetime"]?.text ?? item["requested_datetime"]?.text ?? ""
        let updated = PlatformDate.parse(updatedRaw, zone: zone)?.date ?? requested?.date ?? Date(timeIntervalSince1970: 0)
        var coordinate: Coordinate?
        if let lat = item["lat"]?.double, let lon = item["long"]?.double { coordinate = Coordinate(latitude: lat, longitude: lon) }
        return ListedRequest(
            id: id, title: item["title"]?.text, detail: item["detail"]?.text, description: item["description"]?.text,
            status: item["status"]?.text ?? "", serviceCode: item["service_code"]?.text, requestedAt: requested?.date,
            requestedWallClock: requested?.wallClock, requestedRaw: item["requested_datetime"]?.text, updatedRaw: updatedRaw,
            updatedAt: updated, coordinate: coordinate)
    }

    /// A GeoReport error list (`[{"code":403,"description":"Invalid api_key"}]`), as one line.
    static func errorDescription(_ list: [JSONValue]) -> String? {
        let errors = list.compactMap { item -> String? in
            guard item["service_request_id"] == nil, item["token"] == nil, let description = item["description"]?.text else { return nil }
            return item["code"]?.text.map { "\($0) \(description)" } ?? description
        }
        return errors.isEmpty ? nil : errors.joined(separator: "; ")
    }

    /// Fetches a window newest first and, while a page comes back full, the next one ending where it stopped.
    ///
    /// Lists are ordered by `requested_datetime` descending and capped (FixMyStreet: 1000, no paging), so the next
    /// page ends just after the oldest row seen (`nextEnd`); rows seen twice are dropped. Stops when a page adds nothing.
    static func collect(
        limit: Int, firstEnd: String, maximumPages: Int = 100,
        nextEnd: (ListedRequest) -> String?,
        fetch: (String) async throws(PlatformError) -> [ListedRequest]
    ) async throws(PlatformError) -> [ListedRequest] {
        var seen = Set<String>()
        var all: [ListedRequest] = []
        var end = firstEnd
        for _ in 0..<maximumPages {
            let page = try await fetch(end)
            var added = 0
            for row in page where seen.insert(row.id).inserted {
                all.append(row)
                added += 1
            }
            guard page.count >= limit, added > 0 else { break }
            let oldest = page.min { ($0.requestedAt ?? .distantFuture) < ($1.requestedAt ?? .distantFuture) }
            guard let oldest, let next = nextEnd(oldest), next != end else { break }
            end = next
        }
        return all
    }
}
