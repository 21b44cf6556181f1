import BridgeCore
import Foundation
import Synchronization

/// The sessions this process wrote last, decoded, with the exact bytes it stored.
///
/// Why: the store's writes are serialised, so whatever runs inside one limits the whole bridge. With a snapshot at hand
/// the inbound processor runs the engine step (and encodes its session) before the write, in parallel with other
/// requests, and inside the write only checks that the stored bytes are still the snapshot's. The cache is a hint,
/// never the truth: a snapshot that is stale (another instance answered, a batch rolled back, a purge) fails that check
/// and the step runs again inside the write on what is stored, so a wrong entry costs time, never correctness.
final class SessionSnapshots: Sendable {
    /// A session as stored: `data` nil when the resident has none.
    struct Snapshot: Sendable {
        let data: Data?
        let session: Session?
    }

    private struct State {
        var entries: [String: Snapshot] = [:]
        /// Keys in insertion order, oldest first, for eviction; a key written again keeps its place.
        var order: [String] = []
        var head = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    /// `capacity` bounds memory (a session and its bytes are a few kB); a resident evicted costs one read.
    init(capacity: Int = 8192) { self.capacity = max(1, capacity) }

    static func key(deployment: String, phone: String) -> String { deployment + "\u{1F}" + phone }

    func snapshot(deployment: String, phone: String) -> Snapshot? {
        let key = Self.key(deployment: deployment, phone: phone)
        return state.withLock { $0.entries[key] }
    }

    func remember(_ snapshot: Snapshot, deployment: String, phone: String) {
        let key = Self.key(deployment: deployment, phone: phone)
        state.withLock { state in
            if state.entries.updateValue(snapshot, forKey: key) != nil { return }
            state.order.append(key)
            while state.entries.count > capacity, state.head < state.order.count {
                state.entries[state.order[state.head]] = nil
                state.head += 1
            }
            // Drop the evicted keys from the front once they are half the list, so it stays within twice the capacity.
            if state.head > capacity {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
