import Foundation

/// Removes the characters that CMSs, translators and phones slip into text and that would
/// silently switch a message to UCS-2 (reference §1.7): typographic quotes, dashes, ellipsis,
/// exotic spaces, invisible characters and bidi controls.
public enum SMSSanitizer {
    /// Run on every outbound string before it is costed or encoded, in every script.
    ///
    /// The text is first composed (NFC) so a decomposed `é` counts as the GSM-7 `é`. Bidi
    /// controls are removed from Arabic too: old handsets draw them as boxes and each one
    /// costs a UCS-2 unit (§5.2), so the text must read right without them.
    public static func sanitize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in CanonicalComposition.compose(text).unicodeScalars {
            switch scalar.value {
            case 0x2018, 0x2019, 0x201A, 0x2032, 0x60:
                output.append("'")
            case 0x201C, 0x201D, 0x201E, 0xAB, 0xBB, 0x2033:
                output.append("\"")
            case 0x2012, 0x2013, 0x2014, 0x2212:
                output.append("-")
            case 0x2026:
                output.append(contentsOf: "...".unicodeScalars)
            case 0xA0, 0x202F, 0x2000...0x200A:
                output.append(" ")
            case 0x200B...0x200D, 0x2060, 0xFEFF, 0xAD:
                continue
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C:
                continue
            case 0x2022, 0xB7:
                output.append("-")
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }
}
