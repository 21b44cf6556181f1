import Foundation

/// Dates as FixMyStreet and Open311 write them.
///
/// FixMyStreet filters `start_date`/`end_date` against a `timestamp without time zone` column, so the
/// wall-clock part is what counts and any offset is ignored: dates are sent as server-local wall clock.
enum PlatformDate {
    /// A W3C date-time (`2024-05-01T10:28:55+02:00`, `…Z`, `…55.123Z`, or without offset, read in `zone`).
    /// Returns the instant and the wall-clock part as written (`2024-05-01T10:28:55`).
    static func parse(_ text: String, zone: TimeZone = .gmt) -> (date: Date, wallClock: String)? {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard scalars.count >= 19 else { return nil }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard isDigit(scalars[index]) else { return nil }
                value = value * 10 + Int(scalars[index].value - 48)
            }
            return value
        }
        guard let year = number(0..<4), scalars[4] == "-", let month = number(5..<7), scalars[7] == "-", let day = number(8..<10),
            scalars[10] == "T" || scalars[10] == " ", let hour = number(11..<13), scalars[13] == ":", let minute = number(14..<16),
            scalars[16] == ":", let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == "." {
            var digits = ""
            index += 1
            while index < scalars.count, isDigit(scalars[index]) {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
            fraction = Double("0." + digits) ?? 0
        }
        var offset: Int?
        if index < scalars.count {
            let rest = String(String.UnicodeScalarView(scalars[index...]))
            if rest == "Z" || rest == "z" {
                offset = 0
            } else if let sign = rest.first, sign == "+" || sign == "-" {
                let digits = rest.dropFirst().filter { $0 != ":" }
                guard digits.count == 4 || digits.count == 2, let hours = Int(digits.prefix(2)) else { return nil }
                let minutes = digits.count == 4 ? Int(digits.suffix(2)) ?? 0 : 0
                offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.map { TimeZone(secondsFromGMT: $0) ?? .gmt } ?? zone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        let wall = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
        return (date.addingTimeInterval(fraction), wall)
    }

    /// `2024-05-01T10:28:55`, the wall clock of `date` in `zone`.
    static func wallClock(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A wall-clock string moved by `seconds` (no zone involved: it stays wall clock).
    static func wallClock(_ wall: String, adding seconds: TimeInterval) -> String? {
        guard let parsed = parse(wall, zone: .gmt) else { return nil }
        return wallClock(parsed.date.addingTimeInterval(seconds), in: .gmt)
    }

    /// `2024-05-01T08:28:55Z`, for Open311 servers that honour offsets.
    static func utc(_ date: Date) -> String { wallClock(date, in: .gmt) + "Z" }
}
