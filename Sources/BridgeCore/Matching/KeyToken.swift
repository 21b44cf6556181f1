/// A match-key token prepared once for repeated fuzzy comparison: its scalars, whether it is all
/// digits, and a letter-set bitmask that rules most pairs out before any edit distance is computed.
struct KeyToken: Sendable, Hashable {
    let text: String
    let scalars: [Unicode.Scalar]
    let isDigits: Bool
    /// Bit `value % 64` set for every scalar. One edit changes at most two bits of the XOR of two
    /// masks, so more than `2 × limit` differing bits proves the distance exceeds `limit`.
    let mask: UInt64

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.isDigits = TokenSimilarity.isAllDigits(text)
        var mask: UInt64 = 0
        for scalar in scalars { mask |= 1 << UInt64(scalar.value % 64) }
        self.mask = mask
    }

    var count: Int { scalars.count }
}
