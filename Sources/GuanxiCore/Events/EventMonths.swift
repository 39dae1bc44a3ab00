import Foundation

/// The calendar months (UTC) the events table is partitioned by on PostgreSQL: an event belongs to
/// the month it was received in (the server's clock, so it is never far in the past or future), a
/// month's partition is made ahead of time, and retention drops a month whole once every workspace
/// with events in it is done with them.
package enum EventMonths {
    /// How many months after the current one have a partition made ahead.
    package static let ahead = 2
    /// A retry received this long into a month may be of an event received the month before: the
    /// writer looks there too, so a message is stored once however its retries straddle the month
    /// (the promise is at least seven days).
    package static let lookBack: Int64 = 8 * 86_400_000

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// The first millisecond of the month holding `millis`.
    package static func start(_ millis: Int64) -> Int64 {
        let d = Date(timeIntervalSince1970: Double(millis) / 1000)
        let c = utc.dateComponents([.year, .month], from: d)
        return Int64((utc.date(from: c)!.timeIntervalSince1970 * 1000).rounded())
    }

    /// The first millisecond of the month after the one starting at (or holding) `month`.
    package static func next(_ month: Int64) -> Int64 {
        let d = Date(timeIntervalSince1970: Double(start(month)) / 1000)
        return Int64((utc.date(byAdding: .month, value: 1, to: d)!.timeIntervalSince1970 * 1000).rounded())
    }

    /// The first millisecond of the month before the one holding `month`.
    package static func previous(_ month: Int64) -> Int64 {
        let d = Date(timeIntervalSince1970: Double(start(month)) / 1000)
        return Int64((utc.date(byAdding: .month, value: -1, to: d)!.timeIntervalSince1970 * 1000).rounded())
    }

    /// Whether an event received at `millis` may repeat one received the month before.
    package static func looksBack(_ millis: Int64) -> Bool { millis - start(millis) < lookBack }

    /// The partition's table name: `events_y2026m12`.
    package static func name(_ month: Int64) -> String {
        let c = utc.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(start(month)) / 1000))
        return String(format: "events_y%04dm%02d", c.year!, c.month!)
    }

    /// The month a partition's name stands for (nil: not a month partition, e.g. the default one).
    package static func month(ofPartition name: String) -> Int64? {
        guard let m = name.wholeMatch(of: /events_y(\d{4})m(\d{2})/), let y = Int(m.output.1), let mo = Int(m.output.2), (1...12).contains(mo),
              let d = utc.date(from: DateComponents(year: y, month: mo, day: 1)) else { return nil }
        return Int64((d.timeIntervalSince1970 * 1000).rounded())
    }

    /// The months from the one holding `from` to `ahead` months after the one holding `to`.
    package static func span(from: Int64, to: Int64, ahead: Int = ahead) -> [Int64] {
        var out: [Int64] = [], m = start(min(from, to))
        var last = start(to)
        for _ in 0..<ahead { last = next(last) }
        while m <= last { out.append(m); m = next(m) }
        return out
    }

    /// Whether a month's partition may be dropped whole: every workspace with events in it keeps
    /// events for a limited time (`cutoffs`: workspace → the time before which its events go), and
    /// the whole month lies before that workspace's cutoff.
    package static func droppable(month: Int64, workspaces: Set<String>, cutoffs: [String: Int64]) -> Bool {
        let end = next(month)
        return workspaces.allSatisfy { ws in cutoffs[ws].map { end <= $0 } ?? false }
    }
}
