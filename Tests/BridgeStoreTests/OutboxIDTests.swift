import BridgeStore
import Foundation
import Testing

/// Outbox ids are version 7 UUIDs: unique, unguessable, and growing with time so that the outbox's unique index is
/// written at its end.
@Suite struct OutboxIDTests {
    @Test func anIdIsAVersion7UUIDWithTheMillisecondItWasMadeIn() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123)
        let id = OutboxID.make(at: date)
        #expect(id.count == 36)
        #expect(id == id.lowercased())
        let uuid = try #require(UUID(uuidString: id), "Foundation reads it as a UUID")
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        #expect(bytes[6] >> 4 == 7, "version 7")
        #expect(bytes[8] >> 6 == 0b10, "RFC 9562 variant")
        let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_795_000_000_123)
    }

    /// A generator of all ones and one of all zeros: the version and variant bits are forced, the rest is random or time.
    @Test func theVersionAndVariantBitsAreSetWhateverTheRandomBits() {
        struct Constant: RandomNumberGenerator {
            let value: UInt64
            mutating func next() -> UInt64 { value }
        }
        let date = Date(timeIntervalSince1970: 1_795_000_000.123)  // 0x01a1ee565e7b ms
        var ones = Constant(value: .max)
        var zeros = Constant(value: 0)
        #expect(OutboxID.make(at: date, using: &ones) == "01a1ee56-5e7b-7fff-bfff-ffffffffffff")
        #expect(OutboxID.make(at: date, using: &zeros) == "01a1ee56-5e7b-7000-8000-000000000000")
    }

    @Test func idsMadeLaterSortAfterAndIdsOfOneMillisecondStillDiffer() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let ids = (0..<2_000).map { OutboxID.make(at: start.addingTimeInterval(Double($0 / 4) / 1000)) }
        #expect(Set(ids).count == ids.count, "four ids per millisecond, all different")
        for index in stride(from: 4, to: ids.count, by: 4) {
            #expect(ids[index - 1] < ids[index], "a later millisecond sorts after")
        }
    }

    @Test func anItemWithoutAnIdGetsOneForItsCreationTime() {
        let created = Date(timeIntervalSince1970: 1_795_000_000.5)
        let first = OutboxItem(gateway: "gw", deployment: "d", phone: "+38344123456", text: "a", nextAttemptAt: created, createdAt: created)
        let second = OutboxItem(gateway: "gw", deployment: "d", phone: "+38344123456", text: "a", nextAttemptAt: created, createdAt: created)
        #expect(first.id != second.id)
        let timestamp = first.id.prefix(13).replacingOccurrences(of: "-", with: "")
        #expect(UInt64(timestamp, radix: 16) == 1_795_000_000_500, "the id carries the item's creation time")
        #expect(OutboxItem(id: "chosen", gateway: "gw", deployment: "d", phone: "+38344123456", text: "a", nextAttemptAt: created,
                           createdAt: created).id == "chosen")
    }
}
