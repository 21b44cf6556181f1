import Foundation

/// Outbox ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by 74 random bits, in the usual 36-character
/// lowercase form that callback URLs and client references already carry.
///
/// Why not `UUID()`: on Linux Foundation opens, reads and closes `/dev/urandom` for every one, three system calls on
/// the writer's queue for each queued message. And a random id lands on a random leaf of the outbox's unique index,
/// so every message dirtied one more page for the log; ids that grow with time share the index's last leaf within a
/// commit. The random bits come from the system generator (`getrandom`), so ids stay unguessable.
public enum OutboxID {
    /// A new id for a message queued at `date`. Ids made in the same millisecond differ by their random bits only, so
    /// they are unique but not ordered among themselves; nothing relies on their order (``OutboxItem/sequence`` is).
    public static func make(at date: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The same with a chosen generator: tests pin the layout with a generator whose bits they know.
    public static func make<G: RandomNumberGenerator>(at date: Date, using generator: inout G) -> String {
        // Through whole microseconds: a time like x.001 s is x.000999... in binary and would fall back a millisecond.
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1_000_000).rounded())) / 1000
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (generator.next() & 0x0FFF)
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { bytes.append(UInt8(ascii: "-")) }
            let word = index < 16 ? high : low
            let shift = UInt64(60 - 4 * (index % 16))
            bytes.append(hexDigits[Int((word >> shift) & 0xF)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
