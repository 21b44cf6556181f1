import Foundation
import Logging

/// Shared bits of the platform tests.
enum TestSupport {
    /// Quiet unless SMSBRIDGE_TEST_LOG names a level (e.g. `debug`) when investigating a failure.
    static let logger: Logger = {
        var logger = Logger(label: "smsbridge-platform-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["SMSBRIDGE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A JSON document written exactly as the test wants it (strings stay strings, integers stay integers).
indirect enum J: Sendable {
    case s(String)
    case n(Double)
    case i(Int)
    case b(Bool)
    case null
    case a([J])
    case o([(String, J)])

    var encoded: String {
        switch self {
        case .s(let text): return J.quote(text)
        case .n(let number): return "\(number)"
        case .i(let number): return "\(number)"
        case .b(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .a(let items): return "[" + items.map(\.encoded).joined(separator: ",") + "]"
        case .o(let fields): return "{" + fields.map { J.quote($0.0) + ":" + $0.1.encoded }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Wire formats the doubles read and write.
enum Wire {
    struct Field: Sendable, Equatable, CustomStringConvertible {
        var name: String
        var value: String
        var description: String { "\(name)=\(value)" }
    }

    /// `application/x-www-form-urlencoded` (and query strings) as Catalyst reads them.
    static func decodeForm(_ text: String) -> [Field] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return Field(name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func coordinate(_ value: Double) -> String { "\(value)" }

    /// Six decimals with trailing zeros stripped, as `Utils::truncate_coordinate` leaves them.
    static func open311Coordinate(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `Utils::cleanup_text`: SHOUTING (no a–z) lower-cased; paragraphs split on blank lines, whitespace collapsed,
    /// each capitalised; joined with a blank line (multiline) or a space.
    static func cleanup(_ text: String, multiline: Bool) -> String {
        var input = text
        if input.range(of: "[a-z]", options: .regularExpression) == nil { input = input.lowercased() }
        let paragraphs = input.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .map { $0.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return paragraphs.joined(separator: multiline ? "\n\n" : " ")
    }

    static func metres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radius = 6_371_000.0
        let dLat = (lat2 - lat1) * .pi / 180
        let dLon = (lon2 - lon1) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * .pi / 180) * cos(lat2 * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, a.squareRoot()))
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The wall clock of `text` read in `zone`, ignoring any offset (PostgreSQL and `timestamp without time zone`).
    static func wallClockDate(_ text: String, zone: TimeZone) -> Date? {
        let digits = Array(text)
        guard digits.count >= 19, digits[4] == "-", digits[7] == "-", digits[10] == "T" || digits[10] == " ", digits[13] == ":", digits[16] == ":"
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        return calendar(zone).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    static func wallClock(_ date: Date, zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// W3CDTF with the zone's offset, as `DateTime::Format::W3CDTF` writes it (`2024-05-01T10:28:55+02:00`).
    static func w3c(_ date: Date, zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return wallClock(date, zone: zone) + sign + String(format: "%02d:%02d", abs(offset) / 3600, (abs(offset) % 3600) / 60)
    }
}
