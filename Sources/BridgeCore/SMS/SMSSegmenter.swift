/// Splits and prices a message the way the network will, so a template's cost is known before
/// it is sent and long messages are cut where the handset can put them back together.
public enum SMSSegmenter {
    /// GSM-7 septets in a single, unconcatenated SMS.
    public static let gsm7SingleLimit = 160
    /// GSM-7 septets per part once the 8-bit-reference concatenation header takes 7 septets.
    public static let gsm7PartLimit = 153
    /// UTF-16 code units in a single UCS-2 SMS.
    public static let ucs2SingleLimit = 70
    /// UTF-16 code units per part once the 6-octet concatenation header is in.
    public static let ucs2PartLimit = 67

    /// Encoding, units and billed segments. One character outside GSM-7 switches the whole
    /// message to UCS-2. An empty message is still one (GSM-7) SMS.
    public static func cost(of text: String) -> SMSCost {
        let plan = Plan(text)
        return SMSCost(encoding: plan.encoding, units: plan.weights.reduce(0, +), segments: plan.ranges().count)
    }

    /// The text of each part, in order; joined they give `text` back. An escape pair
    /// (2-septet character) or a surrogate pair is never split: if it doesn't fit in what is
    /// left of a part it starts the next one. Empty text gives one empty part.
    public static func parts(of text: String) -> [String] {
        let plan = Plan(text)
        return plan.ranges().map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: plan.scalars[range])
            return String(view)
        }
    }

    /// Per-scalar costs in the chosen encoding, and the limits that go with it.
    private struct Plan {
        let scalars: [Unicode.Scalar]
        let encoding: SMSEncoding
        let weights: [Int]

        init(_ text: String) {
            scalars = Array(text.unicodeScalars)
            var gsm: [Int] = []
            gsm.reserveCapacity(scalars.count)
            for scalar in scalars {
                guard let septets = GSM7Alphabet.septets(for: scalar) else { break }
                gsm.append(septets)
            }
            if gsm.count == scalars.count {
                encoding = .gsm7
                weights = gsm
            } else {
                encoding = .ucs2
                weights = scalars.map { $0.utf16.count }
            }
        }

        var singleLimit: Int { encoding == .gsm7 ? gsm7SingleLimit : ucs2SingleLimit }
        var partLimit: Int { encoding == .gsm7 ? gsm7PartLimit : ucs2PartLimit }

        /// Greedy packing by whole scalars, as handsets and the reference counter do.
        func ranges() -> [Range<Int>] {
            let total = weights.reduce(0, +)
            if total <= singleLimit { return [0..<weights.count] }
            var result: [Range<Int>] = []
            var start = 0
            var used = 0
            for (index, weight) in weights.enumerated() {
                if used + weight > partLimit {
                    result.append(start..<index)
                    start = index
                    used = 0
                }
                used += weight
            }
            result.append(start..<weights.count)
            return result
        }
    }
}
