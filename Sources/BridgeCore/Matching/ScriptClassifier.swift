/// Tells which of the scripts the bridge cares about a letter belongs to.
///
/// Only letters count (Lu, Ll, Lt, Lo): digits, punctuation and the Arabic tatweel (Lm) say nothing
/// about the writer's keyboard, so they never tip a language guess or a homoglyph repair.
enum ScriptClassifier {
    static func script(of scalar: Unicode.Scalar) -> Script? {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter:
            break
        default:
            return nil
        }
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F,
             0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            return .latin
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F:
            return .cyrillic
        case 0x600...0x6FF, 0x750...0x77F, 0x870...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
            return .arabic
        default:
            return nil
        }
    }

    /// Letter counts per script, in `Script.allCases` order.
    static func letterCounts<S: Sequence>(_ scalars: S) -> [Script: Int] where S.Element == Unicode.Scalar {
        var counts: [Script: Int] = [:]
        for scalar in scalars {
            if let script = script(of: scalar) { counts[script, default: 0] += 1 }
        }
        return counts
    }

    /// The script with most letters; on a tie the non-Latin one wins, because Latin letters also
    /// turn up in Arabizi, brand names and "ok", while Cyrillic or Arabic letters are deliberate.
    static func dominant(_ counts: [Script: Int]) -> Script? {
        let order: [Script] = [.arabic, .cyrillic, .latin]
        var best: Script?
        var bestCount = 0
        for script in order {
            let count = counts[script, default: 0]
            if count > bestCount {
                best = script
                bestCount = count
            }
        }
        return best
    }
}
