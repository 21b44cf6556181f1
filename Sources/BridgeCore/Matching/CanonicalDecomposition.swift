import Foundation
import Synchronization

/// Canonical decomposition (NFD) for the match key, scalar by scalar, each scalar's decomposition asked of Foundation
/// once and remembered.
///
/// Why: `decomposedStringWithCanonicalMapping` on every inbound text was 3.6% of the server's CPU. NFD is each scalar's
/// full decomposition followed by the canonical reordering of combining marks. The match key drops nonspacing and
/// enclosing marks right after, so the reordering cannot change it unless a mark it keeps (a spacing mark with a
/// combining class) takes part; such a text goes through Foundation whole, as before.
enum CanonicalDecomposition {
    /// Distinct scalars remembered; past it (a text in many scripts at once) they are decomposed without being kept.
    static let capacity = 8192
    private static let known = Mutex<[Unicode.Scalar: [Unicode.Scalar]]>([:])

    /// What `decomposedStringWithCanonicalMapping` gives, up to the order of the marks the match key drops.
    static func decompose(_ scalars: [Unicode.Scalar]) -> String.UnicodeScalarView {
        var out = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar.isASCII {
                out.append(scalar)
                continue
            }
            let parts = decomposition(of: scalar)
            if parts.contains(where: isKeptReorderableMark) {
                return String(String.UnicodeScalarView(scalars)).decomposedStringWithCanonicalMapping.unicodeScalars
            }
            out.append(contentsOf: parts)
        }
        return out
    }

    static func decomposition(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if let parts = known.withLock({ $0[scalar] }) { return parts }
        let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
        known.withLock { if $0.count < capacity { $0[scalar] = parts } }
        return parts
    }

    /// A mark canonical reordering may move that the match key keeps.
    static func isKeptReorderableMark(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        guard properties.canonicalCombiningClass != .notReordered else { return false }
        return properties.generalCategory != .nonspacingMark && properties.generalCategory != .enclosingMark
    }
}
