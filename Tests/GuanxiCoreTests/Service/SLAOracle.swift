import Foundation
@testable import GuanxiCore

/// A business calendar as written in a calendar file; the calculation reads its JSON through
/// `BusinessCalendar.parse`, the oracle reads the same values on its own.
struct CalendarSpec: Sendable {
    var zone: String
    var week: [String: [[String]]]
    var holidays: [String] = []
    var workdays: [String] = []
    var workdayHours: [[String]]?

    var json: String {
        var o: [String: Any] = ["time_zone": zone, "week": week, "holidays": holidays, "workdays": workdays]
        if let workdayHours { o["workday_hours"] = workdayHours }
        return String(decoding: try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
    }
    var calendar: BusinessCalendar { try! BusinessCalendar.parse(json) }
}

/// The semantics of docs/SERVICE.md done the slow, obvious way: every minute of UTC time is asked
/// of Foundation's Calendar (local date, weekday and wall time at that instant) and checked against
/// the calendar's lists. The zones used have whole-minute offsets, so a minute is all business time
/// or none; pauses and the start are cut out of each minute exactly, to the millisecond.
struct Oracle: Sendable {
    let calendar: Calendar
    /// Foundation weekday (1 = Sunday) → intervals in minutes after midnight.
    let week: [Int: [(Int, Int)]]
    let holidays: Set<Int>, workdays: Set<Int>
    let workdayHours: [(Int, Int)]
    /// How far the oracle walks before it answers "never".
    static let horizon: Int64 = 400 * 86_400_000

    init(_ spec: CalendarSpec) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: spec.zone)!
        calendar = c
        func minutes(_ s: String) -> Int { let p = s.split(separator: ":").map { Int($0)! }; return p[0] * 60 + p[1] }
        func ranges(_ l: [[String]]) -> [(Int, Int)] { l.map { (minutes($0[0]), minutes($0[1])) } }
        func key(_ s: String) -> Int { Int(s.replacingOccurrences(of: "-", with: ""))! }
        let foundationDay = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]
        week = Dictionary(uniqueKeysWithValues: spec.week.map { (foundationDay[$0.key]!, ranges($0.value)) })
        holidays = Set(spec.holidays.map(key))
        workdays = Set(spec.workdays.map(key))
        workdayHours = ranges(spec.workdayHours ?? spec.week["mon"] ?? [])
    }

    /// Whether the minute starting at `ms` is business time.
    func works(_ ms: Int64) -> Bool {
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        let date = c.year! * 10_000 + c.month! * 100 + c.day!
        let hours = holidays.contains(date) ? [] : workdays.contains(date) ? workdayHours : week[c.weekday!] ?? []
        let m = c.hour! * 60 + c.minute!
        return hours.contains { $0.0 <= m && m < $0.1 }
    }

    /// [lo, hi) without the pauses, as pieces in order.
    static func free(_ lo: Int64, _ hi: Int64, _ pauses: [(Int64, Int64)]) -> [(Int64, Int64)] {
        let cuts = Set([lo, hi] + pauses.flatMap { [$0.0, $0.1] }.filter { $0 > lo && $0 < hi }).sorted()
        return zip(cuts, cuts.dropFirst()).filter { s, _ in !pauses.contains { $0.0 <= s && s < $0.1 } }
    }

    /// Business time of every minute from `from`'s on, as pieces, until `body` says stop.
    func walk(from: Int64, to: Int64, pauses: [(Int64, Int64)], _ body: (Int64, Int64) -> Bool) {
        var minute = from - ((from % 60_000) + 60_000) % 60_000
        while minute < min(to, from + Self.horizon) {
            if works(minute) {
                for (a, b) in Self.free(max(minute, from), min(minute + 60_000, to), pauses) where a < b {
                    if !body(a, b) { return }
                }
            }
            minute += 60_000
        }
    }

    func due(from: Int64, minutes: Int, pauses: [(Int64, Int64)]) -> Int64? {
        if minutes == 0 { return from }
        var left = Int64(minutes) * 60_000, due: Int64?
        walk(from: from, to: .max, pauses: pauses) { a, b in
            if b - a >= left { due = a + left; return false }
            left -= b - a
            return true
        }
        return due
    }

    func elapsed(from: Int64, to: Int64, pauses: [(Int64, Int64)]) -> Int64 {
        var total: Int64 = 0
        walk(from: from, to: to, pauses: pauses) { a, b in total += b - a; return true }
        return total
    }
}

/// SplitMix64: the same cases on every run and machine.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
