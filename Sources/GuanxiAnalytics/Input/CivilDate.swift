import Foundation

/// Calendar arithmetic on proleptic Gregorian civil dates, expressed as day numbers
/// (days since 1970-01-01). No time zones are involved: a transaction date is a calendar day.
package enum CivilDate {
    /// The day number (days since 1970-01-01) of a calendar date.
    ///
    /// Uses Howard Hinnant's `days_from_civil` algorithm, exact for every Gregorian date.
    @inlinable
    package static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date `(year, month, day)` of a day number.
    @inlinable
    package static func components(ofDay dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days in a month of a year.
    @inlinable
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A month index (`year * 12 + month - 1`) of a day number: consecutive months differ by one.
    @inlinable
    package static func monthIndex(ofDay dayNumber: Int) -> Int {
        let c = components(ofDay: dayNumber)
        return c.year * 12 + c.month - 1
    }

    /// `YYYY-MM` for a month index made by ``monthIndex(ofDay:)``.
    package static func monthString(_ monthIndex: Int) -> String {
        let year = monthIndex / 12
        let month = monthIndex % 12 + 1
        return String(format: "%04d-%02d", year, month)
    }

    /// `YYYY-MM-DD` for a day number.
    package static func string(ofDay dayNumber: Int) -> String {
        let c = components(ofDay: dayNumber)
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD` (surrounding spaces allowed) into a day number;
    /// `nil` if the text is not a valid calendar date.
    package static func parse(_ text: String) -> Int? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer in
            parse(UnsafeBufferPointer(rebasing: buffer[...]))
        }
    }

    /// Parses a date from raw UTF-8 bytes (`YYYY-MM-DD` or `YYYYMMDD`); `nil` if invalid.
    @inlinable
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var lo = 0
        var hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x22 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x22 || bytes[hi - 1] == 0x0D { hi -= 1 }
        let n = hi - lo
        @inline(__always) func digits(_ start: Int, _ count: Int) -> Int? {
            var v = 0
            for i in start..<(start + count) {
                let c = bytes[i] &- 0x30
                if c > 9 { return nil }
                v = v * 10 + Int(c)
            }
            return v
        }
        let year: Int, month: Int, day: Int
        if n == 10, bytes[lo + 4] == 0x2D, bytes[lo + 7] == 0x2D {
            guard let y = digits(lo, 4), let m = digits(lo + 5, 2), let d = digits(lo + 8, 2) else { return nil }
            (year, month, day) = (y, m, d)
        } else if n == 8 {
            guard let y = digits(lo, 4), let m = digits(lo + 4, 2), let d = digits(lo + 6, 2) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            return nil
        }
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return dayNumber(year: year, month: month, day: day)
    }
}
