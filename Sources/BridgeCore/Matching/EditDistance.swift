/// Typo distance for fuzzy matching: residents transpose letters on small keypads, so a swap
/// counts as one edit (optimal string alignment variant of Damerau–Levenshtein).
public enum EditDistance {
    /// Edits (insert, delete, substitute, swap of neighbours) between two strings, on Characters.
    public static func damerauLevenshtein(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        let n = x.count, m = y.count
        if n == 0 || m == 0 { return max(n, m) }
        var previous2 = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            current[0] = i
            for j in 1...m {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            swap(&previous2, &previous)
            swap(&previous, &current)
        }
        return previous[m]
    }

    /// The same distance on key scalars, or `limit + 1` as soon as it must exceed `limit`: matchers
    /// only ask whether a token is within 0–2 edits, so most comparisons stop after a row or two.
    static func boundedDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        if n == 0 || m == 0 { return max(n, m) }
        let width = m + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { buffer in
            var previous2 = 0, previous = width, current = 2 * width
            for j in 0...m {
                buffer[previous + j] = j
                buffer[previous2 + j] = 0
            }
            for i in 1...n {
                buffer[current] = i
                var rowMinimum = i
                for j in 1...m {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(buffer[previous + j] + 1, buffer[current + j - 1] + 1, buffer[previous + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        value = min(value, buffer[previous2 + j - 2] + 1)
                    }
                    buffer[current + j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if rowMinimum > limit { return limit + 1 }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return min(buffer[previous + m], limit + 1)
        }
    }
}
