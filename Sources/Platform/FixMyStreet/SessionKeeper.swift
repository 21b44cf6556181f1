import AsyncHTTPClient
import Foundation

/// The staff session: its cookies, and one sign-in at a time however many calls find the session gone.
///
/// Each sign-in bumps `generation`; a call that failed with generation `g` asks for a renewal "after `g`", so calls
/// that fail together sign in once.
actor SessionKeeper {
    private var cookies: [String: HTTPClient.Cookie] = [:]
    private(set) var generation = 0
    private var renewal: Task<Void, any Error>?

    /// The `Cookie` header to send, and the generation it belongs to.
    func current(now: Date = Date()) -> (header: String?, generation: Int) {
        cookies = cookies.filter { _, cookie in cookie.expires.map { $0 > now } ?? true }
        let header = cookies.values.sorted { $0.name < $1.name }.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        return (header.isEmpty ? nil : header, generation)
    }

    var hasSession: Bool { !cookies.isEmpty }

    /// Keeps cookies a response to a call made with `generation` set (FixMyStreet's sessions slide); ignored when a
    /// sign-in happened since, so a late answer from the old session cannot overwrite the new one.
    func absorb(_ new: [HTTPClient.Cookie], from generation: Int) {
        guard generation == self.generation else { return }
        absorb(new)
    }

    /// Keeps cookies a response set and drops the ones it expired.
    private func absorb(_ new: [HTTPClient.Cookie], now: Date = Date()) {
        for cookie in new {
            if (cookie.maxAge.map { $0 <= 0 } ?? false) || (cookie.expires.map { $0 <= now } ?? false) || cookie.value.isEmpty {
                cookies[cookie.name] = nil
            } else {
                cookies[cookie.name] = cookie
            }
        }
    }

    /// Signs in again unless someone already did since `seen`; waits for a sign-in already under way.
    func renew(after seen: Int, signIn: @escaping @Sendable () async throws(PlatformError) -> [HTTPClient.Cookie]) async throws(PlatformError) {
        if generation != seen { return }
        let task: Task<Void, any Error>
        if let renewal {
            task = renewal
        } else {
            task = Task {
                let fresh = try await signIn()
                self.install(fresh)
            }
            renewal = task
        }
        do {
            try await task.value
        } catch let error as PlatformError {
            finish(task)
            throw error
        } catch {
            finish(task)
            throw PlatformError(.unavailable, "signing in was interrupted: \(error)")
        }
        finish(task)
    }

    private func install(_ fresh: [HTTPClient.Cookie]) {
        cookies = [:]
        absorb(fresh)
        generation += 1
    }

    private func finish(_ task: Task<Void, any Error>) {
        if renewal == task { renewal = nil }
    }
}
