import Foundation
import GuanxiCore

/// A service desk's business calendar and a stream of tickets' deadline questions over it,
/// reproducible from the seed: what `guanxi sla bench` times (bench/sla/run.sh).
package enum DemoService {
    /// Shanghai office hours with a lunch break, a closed weekend, seven holiday stretches of 2026
    /// and the make-up working days that go with them; the same hours on another zone's clock when
    /// `zone` names one (New York's and Berlin's have DST switches).
    package static func calendarJSON(zone: String = "Asia/Shanghai") -> String {
        """
        {"time_zone": \(JSONCoding.quote(zone)),
         "week": {"mon": [["09:00", "12:00"], ["13:30", "18:00"]], "tue": [["09:00", "12:00"], ["13:30", "18:00"]],
                  "wed": [["09:00", "12:00"], ["13:30", "18:00"]], "thu": [["09:00", "12:00"], ["13:30", "18:00"]],
                  "fri": [["09:00", "12:00"], ["13:30", "18:00"]]},
         "holidays": ["2026-01-01", "2026-01-02", "2026-01-03",
                      "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
                      "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06",
                      "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
                      "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27",
                      "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
         "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]}
        """
    }

    /// One ticket's deadline question.
    package struct Question: Sendable {
        package let from: Date
        package let minutes: Int
        package let pauses: [Range<Date>]
    }

    /// `count` tickets opened at random seconds of 2026, each with a target of 8 business hours;
    /// one in three waits on its customer for half an hour to two days during its first day.
    package static func questions(count: Int, seed: UInt64) -> [Question] {
        var rng = DemoRNG(seed: DemoRNG.mix(seed ^ 0x51A))
        let year = Date(timeIntervalSince1970: 1_767_196_800)   // 2026-01-01T00:00:00+08:00
        return (0..<count).map { _ in
            let from = year.addingTimeInterval(Double(rng.below(365 * 86_400)))
            guard rng.percent(33) else { return Question(from: from, minutes: 480, pauses: []) }
            let start = from.addingTimeInterval(Double(rng.below(86_400)))
            return Question(from: from, minutes: 480, pauses: [start..<start.addingTimeInterval(Double(rng.inRange(1_800...172_800)))])
        }
    }
}
