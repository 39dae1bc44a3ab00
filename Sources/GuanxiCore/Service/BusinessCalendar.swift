import Foundation

/// When a service desk works: working intervals per weekday (several a day, so lunch breaks are
/// closed), a time zone, holidays and make-up working days (调休: a Saturday or Sunday worked in
/// exchange for a holiday). Built once from its JSON form and then only read, by the deadline
/// calculation (`due`, `businessMinutes` in SLADeadline.swift). docs/SERVICE.md has the semantics.
///
/// ```json
/// {"time_zone": "Asia/Shanghai",
///  "week": {"mon": [["09:00", "12:00"], ["13:30", "18:00"]], "tue": …},
///  "holidays": ["2026-10-01", …], "workdays": ["2026-09-20", …], "workday_hours": [["09:00", "17:00"]]}
/// ```
package struct BusinessCalendar: Sendable {
    /// Working time within one local day in minutes after midnight, end excluded (24:00 is 1440).
    package struct Interval: Sendable, Hashable {
        package var start: Int
        package var end: Int
        package init(start: Int, end: Int) { self.start = start; self.end = end }
    }

    /// The keys of `week`, Monday first: the index of a weekday in `week`.
    package static let weekdayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let fields = ["time_zone", "week", "holidays", "workdays", "workday_hours"]

    package let timeZone: TimeZone
    /// Each weekday's intervals, Monday first, sorted and disjoint; empty when closed.
    package let week: [[Interval]]
    /// Holidays (no intervals) and make-up working days (`workday_hours`, which default to
    /// Monday's), by local day number (`LocalDay`): one look-up per day walked.
    let dated: [Int64: [Interval]]

    /// The intervals of local day `day`.
    @inline(__always)
    func hours(on day: Int64) -> [Interval] {
        if let d = dated[day] { return d }
        return week[Int(LocalDay.weekday(day))]
    }

    /// Reads a calendar file or request body, naming every bad field.
    package static func parse(_ text: String) throws(DomainError) -> BusinessCalendar {
        guard text.contains(where: { !$0.isWhitespace }) else { throw DomainError.field("calendar", "is empty") }
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            let at = (error as? JSONParser.Failure).map { " (at byte \($0.offset))" } ?? ""
            throw DomainError.field("calendar", "is not valid JSON\(at)")
        }
        guard case .object(let o) = value else { throw DomainError.field("calendar", "must be a JSON object") }
        return try BusinessCalendar(json: o)
    }

    package init(json o: [String: JSONValue]) throws(DomainError) {
        var e = FieldErrors()
        for k in o.keys.sorted() where !Self.fields.contains(k) {
            e.add(k, "is not a calendar field (\(Self.fields.joined(separator: ", ")))")
        }
        var zone: TimeZone?
        switch o["time_zone"] {
        case nil, .null?: e.add("time_zone", "is required (a zone name such as Asia/Shanghai)")
        case .string(let s)?:
            zone = TimeZone(identifier: s)
            if zone == nil { e.add("time_zone", "'\(s)' is not a known time zone") }
        default: e.add("time_zone", "has the wrong type (expected a string such as Asia/Shanghai)")
        }

        var week = Array(repeating: [Interval](), count: 7)
        switch o["week"] {
        case nil, .null?: e.add("week", "is required: working hours per weekday, e.g. {\"mon\": [[\"09:00\", \"18:00\"]]}")
        case .object(let days)?:
            for (k, v) in days.sorted(by: { $0.key < $1.key }) {
                guard let i = Self.weekdayKeys.firstIndex(of: k) else {
                    e.add("week.\(k)", "is not a weekday (\(Self.weekdayKeys.joined(separator: ", ")))"); continue
                }
                week[i] = Self.intervals(v, field: "week.\(k)", errors: &e)
            }
        default: e.add("week", "has the wrong type (expected an object of weekdays)")
        }

        let holidays = Self.dates(o["holidays"], field: "holidays", errors: &e)
        let workdays = Self.dates(o["workdays"], field: "workdays", errors: &e)
        let holidaySet = Set(holidays.map(\.day))
        for w in workdays where holidaySet.contains(w.day) {
            e.add("workdays[\(w.index)]", "\(w.text) is also a holiday")
        }

        var workdayHours = week[0]
        if let h = o["workday_hours"], h != .null {
            workdayHours = Self.intervals(h, field: "workday_hours", errors: &e)
            if workdayHours.isEmpty { e.add("workday_hours", "must list at least one interval, e.g. [[\"09:00\", \"17:00\"]]") }
        } else if !workdays.isEmpty && week[0].isEmpty {
            e.add("workday_hours", "is required when week.mon has no hours (make-up working days follow Monday's otherwise)")
        }
        if week.allSatisfy(\.isEmpty) && workdays.isEmpty && !e.messages.keys.contains(where: { $0.hasPrefix("week") }) {
            e.add("week", "has no working hours on any day, so a deadline would never come")
        }
        try e.throwIfAny()

        timeZone = zone!
        self.week = week
        var dated: [Int64: [Interval]] = [:]
        for h in holidays { dated[h.day] = [] }
        for w in workdays { dated[w.day] = workdayHours }
        self.dated = dated
    }

    /// `[["09:00", "12:00"], …]`: sorted, each ending after it starts, none overlapping another.
    static func intervals(_ v: JSONValue, field: String, errors e: inout FieldErrors) -> [Interval] {
        guard case .array(let list) = v else {
            e.add(field, "has the wrong type (expected a list of [\"HH:MM\", \"HH:MM\"] intervals)"); return []
        }
        var out: [(interval: Interval, index: Int)] = []
        for (i, item) in list.enumerated() {
            let f = "\(field)[\(i)]"
            guard case .array(let pair) = item, pair.count == 2, case .string(let a) = pair[0], case .string(let b) = pair[1] else {
                e.add(f, "must be a pair of times such as [\"09:00\", \"12:00\"]"); continue
            }
            guard let s = minutes(a), s < 1440 else { e.add(f, "'\(a)' is not a time (HH:MM, 00:00 to 23:59)"); continue }
            guard let t = minutes(b) else { e.add(f, "'\(b)' is not a time (HH:MM, 00:00 to 24:00)"); continue }
            guard t > s else { e.add(f, "ends at \(b), not after its start \(a)"); continue }
            out.append((Interval(start: s, end: t), i))
        }
        out.sort { $0.interval.start < $1.interval.start }
        var latest: (interval: Interval, index: Int)?
        for x in out {
            if let l = latest, x.interval.start < l.interval.end {
                e.add("\(field)[\(x.index)]", "overlaps \(field)[\(l.index)] (\(text(l.interval.start))–\(text(l.interval.end)))")
            }
            if x.interval.end > latest?.interval.end ?? -1 { latest = x }
        }
        return out.map(\.interval)
    }

    /// "H:MM" or "HH:MM" → minutes after midnight, 00:00 to 24:00.
    static func minutes(_ s: String) -> Int? {
        let u = Array(s.utf8)
        guard u.count == 4 || u.count == 5, u[u.count - 3] == UInt8(ascii: ":"),
              u.indices.allSatisfy({ $0 == u.count - 3 || (0x30...0x39).contains(u[$0]) }) else { return nil }
        let h = u.prefix(u.count - 3).reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let m = Int(u[u.count - 2] - 0x30) * 10 + Int(u[u.count - 1] - 0x30)
        guard h < 24 && m < 60 || h == 24 && m == 0 else { return nil }
        return h * 60 + m
    }

    static func text(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + (m < 10 ? ":0" : ":") + String(m)
    }

    /// A list of "YYYY-MM-DD" dates (absent: none).
    static func dates(_ v: JSONValue?, field: String, errors e: inout FieldErrors) -> [(day: Int64, text: String, index: Int)] {
        guard let v, v != .null else { return [] }
        guard case .array(let list) = v else { e.add(field, "has the wrong type (expected a list of dates such as \"2026-10-01\")"); return [] }
        var out: [(day: Int64, text: String, index: Int)] = []
        for (i, item) in list.enumerated() {
            guard case .string(let s) = item else { e.add("\(field)[\(i)]", "must be a date string such as \"2026-10-01\""); continue }
            guard let d = LocalDay.parse(s) else { e.add("\(field)[\(i)]", "'\(s)' is not a date (YYYY-MM-DD)"); continue }
            out.append((d, s, i))
        }
        return out
    }
}

/// Local calendar days as numbers: days since 1970-01-01 in the proleptic Gregorian calendar, so
/// day d's wall clock runs from d × 86,400,000 to (d + 1) × 86,400,000 local milliseconds.
package enum LocalDay {
    /// Monday 0 … Sunday 6 (day 0 was a Thursday).
    @inline(__always)
    package static func weekday(_ day: Int64) -> Int64 {
        let r = (day + 3) % 7
        return r < 0 ? r + 7 : r
    }

    /// "YYYY-MM-DD" → day number; nil unless a real date.
    package static func parse(_ s: String) -> Int64? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r { guard (0x30...0x39).contains(u[i]) else { return nil }; v = v * 10 + Int64(u[i] - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), y >= 1, (1...12).contains(m) else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let length: Int64 = m == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(m) ? 30 : 31
        guard (1...length).contains(d) else { return nil }
        return days(year: y, month: m, day: d)
    }

    /// (year, month, day) → day number (H. Hinnant's algorithm; the inverse of `Timestamp.civil`).
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
