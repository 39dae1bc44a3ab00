import Foundation

/// Deadlines in business time. An instant is business time when its local wall-clock time (in the
/// calendar's zone, at that instant's offset) lies in an interval of its local date, and no pause
/// covers it. So on a spring-forward day a wall time that does not exist is skipped (01:00–04:00
/// has two real hours), and on a fall-back day the repeated hour counts twice (three real hours
/// become four). Instants are taken to the millisecond, as they are stored.
///
/// The walk goes day by day, never minute by minute: within a stretch of constant UTC offset (up to
/// the zone's next transition) each local day's intervals map to instants by one subtraction,
/// pauses are cut out of them, and the minutes are consumed piece by piece.
extension BusinessCalendar {
    /// How far ahead a deadline is looked for before the calculation gives up.
    package static let searchYears = 3
    static let dayMillis: Millis = 86_400_000

    /// The instant the `minutes`-th business minute after `from` completes: landing exactly on an
    /// interval's end gives that end (12:00, not the 13:30 the afternoon opens), and 0 minutes give
    /// `from` itself. Pauses (in any order, overlapping each other or closed hours) stop the clock.
    package func due(from: Date, minutes: Int, pauses: [Range<Date>] = []) throws(DomainError) -> Date {
        guard minutes >= 0 else { throw DomainError.field("minutes", "must be 0 or more") }
        let start = from.millis
        guard minutes > 0 else { return Date(millis: start) }
        var left = Int64(min(minutes, 1 << 40)) * 60_000   // far beyond 3 years either way; no overflow
        var due: Millis?, worked = false
        walk(from: start, until: .max, days: Int64(Self.searchYears) * 366, pauses: Self.merged(pauses)) { a, b in
            worked = true
            if b - a >= left { due = a + left; return false }
            left -= b - a
            return true
        }
        guard let due else {
            let when = iso8601(Date(millis: start))
            throw DomainError.conflict(worked ? "\(minutes) business minutes do not fit within \(Self.searchYears) years of \(when)"
                                              : "no working time within \(Self.searchYears) years of \(when)")
        }
        return Date(millis: due)
    }

    /// Whole business minutes between two instants, pauses excluded (0 when `to` is not later):
    /// the time a ticket has used so far, and with its target the time it has left.
    package func businessMinutes(from: Date, to: Date, pauses: [Range<Date>] = []) -> Int {
        Int(businessMillis(from: from, to: to, pauses: pauses) / 60_000)
    }

    /// `businessMinutes` to the millisecond.
    package func businessMillis(from: Date, to: Date, pauses: [Range<Date>] = []) -> Millis {
        let a = from.millis, b = to.millis
        guard a < b else { return 0 }
        var total: Millis = 0
        walk(from: a, until: b, days: .max, pauses: Self.merged(pauses)) { x, y in
            guard x < b else { return false }
            total += min(y, b) - x
            return y < b
        }
        return total
    }

    /// `date` on the calendar's wall clock with its offset: `2026-10-09T10:30:00+08:00`
    /// (milliseconds only when there are any).
    package func iso8601(_ date: Date) -> String {
        let offset = Millis(timeZone.secondsFromGMT(for: date)) * 1000
        var local = Timestamp.iso8601(Date(millis: date.millis + offset))   // "…T10:30:00.000Z"
        local.removeLast()
        if local.hasSuffix(".000") { local.removeLast(4) }
        let minutes = abs(offset) / 60_000
        let h = minutes / 60, m = minutes % 60
        return local + (offset < 0 ? "-" : "+") + (h < 10 ? "0" : "") + String(h) + (m < 10 ? ":0" : ":") + String(m)
    }

    /// Pauses as sorted, disjoint millisecond ranges (overlapping and touching ones joined).
    static func merged(_ pauses: [Range<Date>]) -> [(start: Millis, end: Millis)] {
        var out: [(start: Millis, end: Millis)] = []
        for p in pauses.map({ (start: $0.lowerBound.millis, end: $0.upperBound.millis) }).sorted(by: { $0.start < $1.start })
        where p.end > p.start {
            if let last = out.last, p.start <= last.end { out[out.count - 1].end = max(last.end, p.end) } else { out.append(p) }
        }
        return out
    }

    /// Hands `visit` the unpaused business time from `start` on as increasing pieces [a, b), until
    /// `visit` answers false, the walk reaches a local day starting at or after `until`, or it has
    /// gone `days` local days past the start's.
    func walk(from start: Millis, until: Millis, days: Int64, pauses: [(start: Millis, end: Millis)],
              _ visit: (Millis, Millis) -> Bool) {
        var p = 0
        /// `visit` for [x, y) minus the pauses; false once `visit` says stop.
        func pieces(_ x: Millis, _ y: Millis) -> Bool {
            var x = x
            while x < y {
                while p < pauses.count && pauses[p].end <= x { p += 1 }
                guard p < pauses.count && pauses[p].start < y else { return visit(x, y) }
                if pauses[p].start > x && !visit(x, pauses[p].start) { return false }
                x = pauses[p].end
            }
            return true
        }

        // A stretch of constant offset: from `from` up to the zone's next transition `next`.
        var from = start
        var offset = Millis(timeZone.secondsFromGMT(for: Date(millis: from))) * 1000
        var next = nextTransition(after: from)
        var day = Self.floorDiv(from + offset, Self.dayMillis)
        let lastDay = day > Int64.max - days ? Int64.max : day + days
        while true {
            let midnight = day * Self.dayMillis - offset
            if midnight >= next {
                // the rest of the walk is under the next offset (a fall-back day starts again)
                from = next
                offset = Millis(timeZone.secondsFromGMT(for: Date(millis: from))) * 1000
                next = nextTransition(after: from)
                day = Self.floorDiv(from + offset, Self.dayMillis)
                continue
            }
            if midnight >= until || day > lastDay { return }
            for h in hours(on: day) {
                let x = max(midnight + Millis(h.start) * 60_000, from), y = min(midnight + Millis(h.end) * 60_000, next)
                if x < y && !pieces(x, y) { return }
            }
            day += 1
        }
    }

    /// The zone's next change of offset after `t` (always later than `t`), or never.
    func nextTransition(after t: Millis) -> Millis {
        timeZone.nextDaylightSavingTimeTransition(after: Date(millis: t)).map { max($0.millis, t + 1) } ?? .max
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return a % b < 0 ? q - 1 : q
    }
}
