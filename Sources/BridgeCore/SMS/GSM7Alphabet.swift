/// The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1).
///
/// Counting and encoding live in one place so the cost we predict is the cost the encoder
/// produces. Position 0x09 is capital `Ç`, as in TS 23.038; Unicode's GSM0338.TXT says small
/// `ç`, but the spec's own fix (ç in the Spanish/Portuguese/Turkish shift tables) shows small `ç`
/// is not in the default alphabet, and many handsets would show it as a capital mid-word.
public enum GSM7Alphabet {
    /// The escape septet that introduces an extension-table character.
    public static let escape: UInt8 = 0x1B

    /// Basic table indexed by septet value; 0x1B is the escape, never a character of its own.
    static let basic: [Unicode.Scalar] = [
        "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
        "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "\u{1B}", "Æ", "æ", "ß", "É",
        " ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
        "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
        "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
        "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
        "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
    ]

    /// Extension table: septet after the escape → character. Each costs 2 septets.
    static let extensionTable: [UInt8: Unicode.Scalar] = [
        0x0A: "\u{0C}", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\",
        0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€",
    ]

    static let basicCodes: [Unicode.Scalar: UInt8] = {
        var codes: [Unicode.Scalar: UInt8] = [:]
        for (code, scalar) in basic.enumerated() where code != Int(escape) {
            codes[scalar] = UInt8(code)
        }
        return codes
    }()

    static let extensionCodes: [Unicode.Scalar: UInt8] = {
        var codes: [Unicode.Scalar: UInt8] = [:]
        for (code, scalar) in extensionTable { codes[scalar] = code }
        return codes
    }()

    /// Septets one character costs: 1 in the basic table, 2 in the extension table (escape
    /// plus code), nil when a single occurrence would force the whole message to UCS-2.
    public static func septets(for scalar: Unicode.Scalar) -> Int? {
        if basicCodes[scalar] != nil { return 1 }
        if extensionCodes[scalar] != nil { return 2 }
        return nil
    }

    /// Total septets for `text`, or nil if any character is outside GSM-7.
    ///
    /// Works on Unicode scalars as given: a decomposed `e` + U+0301 is not GSM-7 even though
    /// `é` is, which is why the sanitiser composes (NFC) first.
    public static func septetCount(_ text: String) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            guard let cost = septets(for: scalar) else { return nil }
            total += cost
        }
        return total
    }

    /// Whether `text` can go out as GSM-7 without losing anything.
    public static func isEncodable(_ text: String) -> Bool {
        septetCount(text) != nil
    }

    /// Septet values (unpacked, one per byte) for gateways that build PDUs or SMPP payloads
    /// themselves; extension characters come out as 0x1B followed by their code.
    /// Nil when `text` has a character outside GSM-7. Note that `@` is 0x00.
    public static func encode(_ text: String) -> [UInt8]? {
        var septets: [UInt8] = []
        septets.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let code = basicCodes[scalar] {
                septets.append(code)
            } else if let code = extensionCodes[scalar] {
                septets.append(escape)
                septets.append(code)
            } else {
                return nil
            }
        }
        return septets
    }

    /// Text from unpacked septets, as a handset would show it: 0x09 is `Ç`; an escape before
    /// a code the extension table lacks shows the basic character (TS 23.038 note 3); a double
    /// or trailing escape shows a space; values above 0x7F become U+FFFD.
    public static func decode(_ septets: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var index = septets.startIndex
        while index < septets.endIndex {
            let septet = septets[index]
            index += 1
            guard septet < 0x80 else {
                scalars.append("\u{FFFD}")
                continue
            }
            guard septet == escape else {
                scalars.append(basic[Int(septet)])
                continue
            }
            guard index < septets.endIndex else {
                scalars.append(" ")
                break
            }
            let code = septets[index]
            index += 1
            if let scalar = extensionTable[code] {
                scalars.append(scalar)
            } else if code >= 0x80 {
                scalars.append("\u{FFFD}")
            } else if code == escape {
                scalars.append(" ")
            } else {
                scalars.append(basic[Int(code)])
            }
        }
        return String(scalars)
    }
}
