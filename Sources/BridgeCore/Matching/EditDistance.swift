/// Typo distance for fuzzy matching: residents transpose letters on small keypads, so a swap
/// counts as one edit (optimal string alignment variant of Damerau–Levenshtein).
public enum EditDistance {
    /// Edits (insert, delete, substitute, swap of neighbours) between two strings, on Characters.
    public static func damerauLevenshtein(_ a: String, _ b: String) -> Int {
        distance(Array(a), Array(b), limit: Int.max)
    }

    /// The distance, or `limit + 1` as soon as it is certain to exceed `limit`: the matchers only
    /// care whether a token is within a threshold of 0–2, so most comparisons stop after a row or two.
    static func distance<T: Equatable>(_ a: [T], _ b: [T], limit: Int) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return min(m, limit == Int.max ? m : limit + 1) }
        if m == 0 { return min(n, limit == Int.max ? n : limit + 1) }
        if limit != Int.max, abs(n - m) > limit { return limit + 1 }
        var previous2 = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            current[0] = i
            var rowMinimum = i
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if limit != Int.max, rowMinimum > limit { return limit + 1 }
            swap(&previous2, &previous)
            swap(&previous, &current)
        }
        let result = previous[m]
        return limit != Int.max && result > limit ? limit + 1 : result
    }
}
