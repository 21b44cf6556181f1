import BridgeCore
import Foundation

/// The platform `simulate` and the demo file into: reports kept in memory and numbered from 1001.
///
/// (The store-backed one that survives restarts lives with the store.)
public actor LocalPlatform: ReportPlatform {
    /// A report as the local platform keeps it.
    public struct StoredReport: Sendable, Equatable {
        public var id: String
        public var submission: ReportSubmission
        public var title: String
        public var detail: String
        public var category: String
        public var location: Coordinate
        public var locationSource: LocationSource
        public var state: String
        public var createdAt: Date
        public var updatedAt: Date
    }

    private var nextID: Int
    private var stored: [StoredReport] = []
    private let places: [String: Coordinate]
    private let clock: @Sendable () -> Date
    /// Radius of ``nearby(category:at:)``, in metres.
    public let nearbyDistance: Double

    /// - Parameters:
    ///   - firstID: the first reference handed out.
    ///   - places: what ``geocode(_:near:)`` knows, by lower-cased words.
    ///   - clock: the time reports are stamped with.
    public init(
        firstID: Int = 1001, places: [String: Coordinate] = [:], nearbyDistance: Double = 250,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.nextID = firstID
        self.places = Dictionary(places.map { (ReportText.comparable($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.nearbyDistance = nearbyDistance
        self.clock = clock
    }

    /// Every report filed so far, oldest first.
    public var reports: [StoredReport] { stored }

    public func report(_ id: String) -> StoredReport? { stored.first { $0.id == id } }

    public func submit(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError) -> PlatformReceipt {
        let location: Coordinate
        let source: LocationSource
        if let latitude = submission.landmark.latitude, let longitude = submission.landmark.longitude {
            (location, source) = (Coordinate(latitude: latitude, longitude: longitude), .landmark)
        } else if let found = places[ReportText.comparable(submission.landmark.text)] {
            (location, source) = (found, .geocoded)
        } else {
            (location, source) = (context.fallbackPoint, .fallback)
        }
        let now = clock()
        let id = String(nextID)
        nextID += 1
        stored.append(
            StoredReport(
                id: id, submission: submission,
                title: ReportText.title(categoryLabel: context.categoryLabel, landmark: submission.landmark.text),
                detail: ReportText.detail(
                    description: submission.description, landmark: submission.landmark.text, approximate: source == .fallback,
                    wording: context.wording),
                category: submission.platformCategory, location: location, locationSource: source, state: "confirmed", createdAt: now,
                updatedAt: now))
        return PlatformReceipt(id: id, category: submission.platformCategory, location: location, locationSource: source)
    }

    /// The report filed for this very submission (same resident, text and time), if any.
    public func findExisting(_ submission: ReportSubmission, context: SubmissionContext, around: Date) async throws(PlatformError)
        -> PlatformReceipt?
    {
        guard let found = stored.last(where: { $0.submission == submission }) else { return nil }
        return PlatformReceipt(id: found.id, category: found.category, location: found.location, locationSource: found.locationSource)
    }

    public func geocode(_ text: String, near: Coordinate?) async throws(PlatformError) -> [GeocodeCandidate] {
        guard let found = places[ReportText.comparable(text)] else { return [] }
        return [GeocodeCandidate(name: ReportText.collapse(text), coordinate: found)]
    }

    /// Everywhere is covered and every category accepted.
    public func categories(at point: Coordinate) async throws(PlatformError) -> CategoryCheck {
        CategoryCheck(isCovered: true, bodies: ["local"], acceptsAnyCategory: true, mayActForAnotherUser: true)
    }

    public func nearby(category: String, at point: Coordinate) async throws(PlatformError) -> [NearbyReport] {
        stored.filter { report in
            report.category == category && ReportState(id: report.id, label: report.state, displayName: nil, isFixed: false).status.map(Self.isOpen) ?? true
                && report.location.distanceKilometres(to: point) * 1000 <= nearbyDistance
        }
        .sorted { $0.location.distanceKilometres(to: point) < $1.location.distanceKilometres(to: point) }
        .prefix(5)
        .map { NearbyReport(id: $0.id, title: $0.title, coordinate: $0.location, url: nil) }
    }

    private static func isOpen(_ status: ReportStatus) -> Bool { status == .open || status == .inProgress }

    /// Reports filed in `[since, until)`, newest first, like the Open311 list.
    public func changes(since: Date, until: Date) async throws(PlatformError) -> [StatusChange] {
        stored.filter { $0.createdAt >= since && $0.createdAt < until }
            .sorted { $0.createdAt > $1.createdAt }
            .map { report in
                let status = ReportStatus(platformState: report.state)
                let coarse = status.map(Self.isOpen) ?? true ? "open" : "closed"
                return StatusChange(
                    id: report.id, platformStatus: coarse, status: ReportStatus(platformState: coarse),
                    updatedRaw: PlatformDate.utc(report.updatedAt), updatedAt: report.updatedAt, requestedAt: report.createdAt,
                    title: report.title, category: report.category)
            }
    }

    public func state(of id: String) async throws(PlatformError) -> ReportState? {
        guard let report = report(id) else { return nil }
        let status = ReportStatus(platformState: report.state)
        return ReportState(id: id, label: report.state, displayName: nil, isFixed: status == .fixed)
    }

    /// Moves a report to another state (`in progress`, `fixed`, …), as staff would; false for an unknown id.
    @discardableResult
    public func setState(_ label: String, of id: String) -> Bool {
        guard let index = stored.firstIndex(where: { $0.id == id }) else { return false }
        stored[index].state = label
        stored[index].updatedAt = max(clock(), stored[index].updatedAt.addingTimeInterval(1))
        return true
    }
}
