import Foundation
import Testing
@testable import GuanxiCore

/// The calendars the deadline cases run on, each with the dates its cases crowd around (time zone
/// switches, holiday weeks) and the largest target its cases ask for.
enum SLAFixtures {
    struct Fixture: Sendable {
        let name: String
        let spec: CalendarSpec
        let calendar: BusinessCalendar
        let oracle: Oracle
        let hotDates: [String]
        let maxMinutes: Int
        init(_ name: String, _ spec: CalendarSpec, hot: [String], maxMinutes: Int) {
            self.name = name; self.spec = spec; calendar = spec.calendar; oracle = Oracle(spec); hotDates = hot; self.maxMinutes = maxMinutes
        }
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri"]
    static func days(_ keys: [String], _ hours: [[String]]) -> [String: [[String]]] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, hours) })
    }
    static let all7 = weekdays + ["sat", "sun"]

    static let fixtures: [Fixture] = [
        // Lunch break, a holiday week and two make-up working days that keep Monday's hours.
        Fixture("shanghai", CalendarSpec(
            zone: "Asia/Shanghai", week: days(weekdays, [["09:00", "12:00"], ["13:30", "18:00"]]),
            holidays: ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
            workdays: ["2026-09-20", "2026-10-10"]),
            hot: ["2026-09-19", "2026-09-30", "2026-10-08", "2026-10-10"], maxMinutes: 3000),
        // Saturday mornings, two holiday weeks, make-up days with hours of their own.
        Fixture("shanghai-saturdays", CalendarSpec(
            zone: "Asia/Shanghai",
            week: days(weekdays, [["08:30", "12:00"], ["13:00", "17:30"]]).merging(["sat": [["09:00", "12:00"]]]) { a, _ in a },
            holidays: (15...23).map { "2026-02-\($0)" } + (1...7).map { "2026-10-0\($0)" },
            workdays: ["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"], workdayHours: [["09:00", "17:00"]]),
            hot: ["2026-02-13", "2026-02-24", "2026-09-30", "2026-10-09"], maxMinutes: 3000),
        Fixture("new-york", CalendarSpec(
            zone: "America/New_York",
            week: days(weekdays, [["08:00", "12:00"], ["13:00", "17:00"]]).merging(["sat": [["10:00", "14:00"]]]) { a, _ in a },
            holidays: ["2026-07-03", "2026-11-26", "2026-12-25", "2027-01-01"], workdays: ["2026-11-29"]),
            hot: ["2026-03-07", "2026-11-01", "2026-11-25", "2026-12-24", "2027-03-13"], maxMinutes: 3000),
        // Night hours across both of New York's 02:00 switches.
        Fixture("new-york-nights", CalendarSpec(
            zone: "America/New_York", week: days(all7, [["00:00", "02:30"], ["02:45", "04:00"], ["23:00", "24:00"]]),
            holidays: ["2026-12-25"]),
            hot: ["2026-03-07", "2026-03-08", "2026-10-31", "2026-11-01", "2027-03-14"], maxMinutes: 1500),
        Fixture("berlin", CalendarSpec(
            zone: "Europe/Berlin",
            week: days(weekdays, [["08:00", "12:30"], ["13:00", "16:30"]]).merging(["sun": [["00:30", "04:00"]]]) { a, _ in a },
            holidays: ["2026-10-03", "2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01"], workdays: ["2026-12-27"]),
            hot: ["2026-03-28", "2026-03-29", "2026-10-24", "2026-10-25", "2026-12-23", "2027-03-28"], maxMinutes: 3000),
        // Round the clock: 23- and 25-hour days.
        Fixture("berlin-24h", CalendarSpec(zone: "Europe/Berlin", week: days(all7, [["00:00", "24:00"]])),
                hot: ["2026-03-28", "2026-10-24", "2027-03-27"], maxMinutes: 5000),
        // One hour a week, two of its Wednesdays off: long walks for few minutes.
        Fixture("sparse", CalendarSpec(
            zone: "America/New_York", week: ["wed": [["10:00", "11:00"]]], holidays: ["2026-11-04", "2026-11-11"]),
                hot: ["2026-11-01", "2026-03-08"], maxMinutes: 200),
    ]

    static func fixture(_ name: String) -> Fixture { fixtures.first { $0.name == name }! }

    /// "2026-10-09T10:30:00+08:00" (or Z, with or without fractional seconds) → milliseconds.
    static func instant(_ s: String) -> Int64 {
        let f = ISO8601DateFormatter()
        f.formatOptions = s.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return f.date(from: s)!.millis
    }
    static func dates(_ pauses: [(Int64, Int64)]) -> [Range<Date>] { pauses.map { Date(millis: $0.0)..<Date(millis: $0.1) } }
}

/// One deadline question: from an instant, N business minutes on a calendar, with pauses.
struct DeadlineCase: Sendable, CustomTestStringConvertible {
    let label: String
    let fixture: String
    let from: Int64
    let minutes: Int
    var pauses: [(Int64, Int64)] = []
    /// Written by hand (local time with offset) for the edge cases; the oracle must agree too.
    var expected: String?
    /// An instant for the elapsed-time check (generated cases).
    var probe: Int64?
    var testDescription: String { label }

    /// Edge cases decided by hand. Shanghai: Monday–Friday 09:00–12:00 and 13:30–18:00, holidays
    /// 2026-10-01 to 10-07, make-up working days Sunday 2026-09-20 and Saturday 2026-10-10.
    static let edges: [DeadlineCase] = {
        let t = SLAFixtures.instant
        func c(_ label: String, _ fixture: String, _ from: String, _ minutes: Int, _ expected: String,
               pauses: [(String, String)] = []) -> DeadlineCase {
            DeadlineCase(label: label, fixture: fixture, from: t(from), minutes: minutes,
                         pauses: pauses.map { (t($0.0), t($0.1)) }, expected: expected)
        }
        return [
            c("start inside the lunch break", "shanghai", "2026-10-09T12:30:00+08:00", 60, "2026-10-09T14:30:00+08:00"),
            c("start exactly at the end of the day; a make-up Saturday follows", "shanghai",
              "2026-10-09T18:00:00+08:00", 30, "2026-10-10T09:30:00+08:00"),
            c("start on a holiday", "shanghai", "2026-10-03T10:00:00+08:00", 90, "2026-10-08T10:30:00+08:00"),
            c("start before opening", "shanghai", "2026-10-08T07:15:00+08:00", 30, "2026-10-08T09:30:00+08:00"),
            c("0 minutes is the start itself, even on a holiday", "shanghai", "2026-10-03T10:00:00+08:00", 0, "2026-10-03T10:00:00+08:00"),
            c("landing exactly at the lunch break is 12:00, not 13:30", "shanghai", "2026-10-09T09:00:00+08:00", 180, "2026-10-09T12:00:00+08:00"),
            c("landing exactly at closing is 18:00", "shanghai", "2026-10-09T13:30:00+08:00", 270, "2026-10-09T18:00:00+08:00"),
            c("a whole working day from opening", "shanghai", "2026-10-08T09:00:00+08:00", 450, "2026-10-08T18:00:00+08:00"),
            c("one minute more spills into the next working day", "shanghai", "2026-10-08T09:00:00+08:00", 451, "2026-10-09T09:01:00+08:00"),
            c("the make-up Sunday is worked", "shanghai", "2026-09-19T10:00:00+08:00", 60, "2026-09-20T10:00:00+08:00"),
            c("a pause over closed hours", "shanghai", "2026-10-09T17:00:00+08:00", 120, "2026-10-10T11:30:00+08:00",
              pauses: [("2026-10-09T17:30:00+08:00", "2026-10-10T10:00:00+08:00")]),
            c("pauses overlapping each other", "shanghai", "2026-10-08T09:00:00+08:00", 120, "2026-10-08T14:00:00+08:00",
              pauses: [("2026-10-08T10:00:00+08:00", "2026-10-08T11:00:00+08:00"), ("2026-10-08T09:30:00+08:00", "2026-10-08T10:30:00+08:00")]),
            c("a pause that began before the start", "shanghai", "2026-10-08T09:00:00+08:00", 15, "2026-10-08T10:00:00+08:00",
              pauses: [("2026-10-08T08:00:00+08:00", "2026-10-08T09:45:00+08:00")]),
            c("a pause moves the deadline by its length", "shanghai", "2026-10-08T09:00:00+08:00", 60, "2026-10-08T10:30:00+08:00",
              pauses: [("2026-10-08T09:30:00+08:00", "2026-10-08T10:00:00+08:00")]),
            c("a start with seconds", "shanghai", "2026-10-09T11:59:30+08:00", 1, "2026-10-09T13:30:30+08:00"),
            c("a start with milliseconds, given in UTC", "shanghai", "2026-10-09T01:00:00.250Z", 1, "2026-10-09T09:01:00.250+08:00"),
            c("a start on the last evening before the holiday week", "shanghai", "2026-09-30T17:30:00+08:00", 60, "2026-10-08T09:30:00+08:00"),
            c("spring forward: the wall times 02:00–03:00 do not exist and are skipped", "new-york-nights", "2027-03-14T01:00:00-05:00", 90, "2027-03-14T03:30:00-04:00"),
            c("fall back: the repeated hour counts twice", "new-york-nights", "2026-11-01T01:00:00-04:00", 120, "2026-11-01T02:00:00-05:00"),
            c("fall back: the night from midnight holds 4 h 45 min before 23:00", "new-york-nights",
              "2026-11-01T00:00:00-04:00", 300, "2026-11-01T23:15:00-05:00"),
            c("Berlin spring forward on a worked Sunday night", "berlin", "2026-03-29T00:30:00+01:00", 200, "2026-03-30T08:50:00+02:00"),
            c("Berlin fall back: 00:30–04:00 holds four and a half hours", "berlin", "2026-10-25T00:30:00+02:00", 270, "2026-10-25T04:00:00+01:00"),
            c("round the clock across a 23-hour day", "berlin-24h", "2026-03-28T12:00:00+01:00", 1440, "2026-03-29T13:00:00+02:00"),
            c("round the clock across a 25-hour day", "berlin-24h", "2026-10-24T12:00:00+02:00", 1440, "2026-10-25T11:00:00+01:00"),
            c("New York: Thanksgiving is skipped", "new-york", "2026-11-25T16:00:00-05:00", 120, "2026-11-27T09:00:00-05:00"),
            c("one hour a week, skipping a holiday Wednesday", "sparse", "2026-11-04T10:30:00-05:00", 90, "2026-11-25T10:30:00-05:00"),
        ]
    }()

    /// Deterministic random questions: starts spread over 2026-01-15 to 2027-04-15 and crowded
    /// around each calendar's switches and holidays, with seconds, milliseconds and pauses.
    static let generated: [DeadlineCase] = {
        var rng = SeededRandom(state: 20_261_206)
        let first = SLAFixtures.instant("2026-01-15T00:00:00Z"), last = SLAFixtures.instant("2027-04-15T00:00:00Z")
        let day: Int64 = 86_400_000, minute: Int64 = 60_000
        var out: [DeadlineCase] = []
        for i in 0..<630 {
            let f = SLAFixtures.fixtures[i % SLAFixtures.fixtures.count]
            var from: Int64
            if Bool.random(using: &rng) {
                from = Int64.random(in: first..<last, using: &rng) / minute * minute
            } else {
                let hot = SLAFixtures.instant(f.hotDates.randomElement(using: &rng)! + "T00:00:00Z")
                from = hot + Int64.random(in: -2 * day..<3 * day, using: &rng) / (15 * minute) * (15 * minute)
            }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: from += Int64.random(in: 1..<60, using: &rng) * 1000
            case 1: from += Int64.random(in: 1..<60_000, using: &rng)
            default: break
            }
            let minutes: Int = switch Int.random(in: 0..<20, using: &rng) {
            case 0: 0
            case 1..<7: Int.random(in: 1...60, using: &rng)
            case 7..<14: Int.random(in: 60...min(600, f.maxMinutes), using: &rng)
            default: Int.random(in: 1...f.maxMinutes, using: &rng)
            }
            var pauses: [(Int64, Int64)] = []
            for _ in 0..<max(0, Int.random(in: -2...3, using: &rng)) {
                let start = from + Int64.random(in: -day..<4 * day, using: &rng) / minute * minute + (Bool.random(using: &rng) ? 0 : 1_500)
                let length = Bool.random(using: &rng) ? Int64.random(in: 1...240, using: &rng) * minute : Int64.random(in: minute...3 * day, using: &rng)
                pauses.append((start, start + length))
            }
            let probe = from + Int64.random(in: 0..<(Int64(f.maxMinutes) * minute * 3), using: &rng)
            out.append(DeadlineCase(label: "#\(i) \(f.name) from \(f.calendar.iso8601(Date(millis: from))) +\(minutes) min, \(pauses.count) pauses",
                                    fixture: f.name, from: from, minutes: minutes, pauses: pauses, probe: probe))
        }
        return out
    }()
}

@Suite("SLA deadlines: the day walk agrees with a minute-by-minute oracle")
struct SLADeadlineTests {
    @Test(arguments: DeadlineCase.edges)
    func edgeCase(_ c: DeadlineCase) throws {
        // given a calendar, a start, a target and pauses decided by hand
        let f = SLAFixtures.fixture(c.fixture)
        // when the deadline is computed fast and by the oracle
        let due = try f.calendar.due(from: Date(millis: c.from), minutes: c.minutes, pauses: SLAFixtures.dates(c.pauses))
        let oracle = f.oracle.due(from: c.from, minutes: c.minutes, pauses: c.pauses)
        // then both give the hand-written answer, written in the calendar's zone
        #expect(f.calendar.iso8601(due) == c.expected)
        #expect(oracle.map { f.calendar.iso8601(Date(millis: $0)) } == c.expected)
    }

    @Test(arguments: DeadlineCase.generated)
    func generatedCase(_ c: DeadlineCase) throws {
        // given a generated question
        let f = SLAFixtures.fixture(c.fixture), pauses = SLAFixtures.dates(c.pauses)
        // when the deadline is computed
        let due = try f.calendar.due(from: Date(millis: c.from), minutes: c.minutes, pauses: pauses)
        // then it is the oracle's to the millisecond
        let expected = try #require(f.oracle.due(from: c.from, minutes: c.minutes, pauses: c.pauses))
        #expect(due.millis == expected, "fast \(f.calendar.iso8601(due)), oracle \(f.calendar.iso8601(Date(millis: expected)))")
        // and the business time from the start to it is the target exactly
        #expect(f.calendar.businessMillis(from: Date(millis: c.from), to: due, pauses: pauses) == Int64(c.minutes) * 60_000)
        // and the business time to another instant is the oracle's too
        let probe = try #require(c.probe)
        let elapsed = f.calendar.businessMillis(from: Date(millis: c.from), to: Date(millis: probe), pauses: pauses)
        #expect(elapsed == f.oracle.elapsed(from: c.from, to: probe, pauses: c.pauses))
        #expect(f.calendar.businessMinutes(from: Date(millis: c.from), to: Date(millis: probe), pauses: pauses) == Int(elapsed / 60_000))
    }

    /// A ticket's policy changes while it is open: the new deadline is computed from its creation
    /// with the new target and calendar, and the time it has used so far is read on the new calendar.
    @Test(arguments: 0..<120)
    func policyChange(_ seed: Int) throws {
        var rng = SeededRandom(state: UInt64(7_000 + seed))
        let fixtures = SLAFixtures.fixtures.filter { $0.name != "sparse" }
        let old = fixtures.randomElement(using: &rng)!, new = fixtures.randomElement(using: &rng)!
        let created = SLAFixtures.instant("2026-01-15T00:00:00Z") + Int64.random(in: 0..<450, using: &rng) * 86_400_000
            + Int64.random(in: 0..<86_400, using: &rng) * 1000
        let pause = created + Int64.random(in: 0..<86_400_000, using: &rng)
        let pauses = [(pause, pause + Int64.random(in: 60_000..<86_400_000, using: &rng))]
        // given a ticket created under the old policy (8 business hours), changed halfway to its deadline
        let firstDue = try old.calendar.due(from: Date(millis: created), minutes: 480, pauses: SLAFixtures.dates(pauses))
        #expect(firstDue.millis == old.oracle.due(from: created, minutes: 480, pauses: pauses))
        let changedAt = created + (firstDue.millis - created) / 2
        // when the new policy (another calendar, another target) is applied from the creation
        let target = [60, 240, 480, 960, 1440].randomElement(using: &rng)!
        let due = try new.calendar.due(from: Date(millis: created), minutes: target, pauses: SLAFixtures.dates(pauses))
        let used = new.calendar.businessMillis(from: Date(millis: created), to: Date(millis: changedAt), pauses: SLAFixtures.dates(pauses))
        // then the deadline and the time used so far are the oracle's
        #expect(due.millis == new.oracle.due(from: created, minutes: target, pauses: pauses), "\(old.name) → \(new.name)")
        #expect(used == new.oracle.elapsed(from: created, to: changedAt, pauses: pauses))
    }

    @Test func aCalendarWithoutWorkingTimeAheadGivesUp() throws {
        // given a calendar whose only working day is behind the start
        let spec = CalendarSpec(zone: "Asia/Shanghai", week: [:], workdays: ["2026-01-05"], workdayHours: [["09:00", "10:00"]])
        // when a deadline is asked for after it, then the walk stops after three years and says why
        #expect(throws: DomainError.conflict("no working time within 3 years of 2026-02-01T00:00:00+08:00")) {
            try spec.calendar.due(from: Date(millis: SLAFixtures.instant("2026-02-01T00:00:00+08:00")), minutes: 60)
        }
        // and a target larger than what is left says that instead
        #expect(throws: DomainError.conflict("120 business minutes do not fit within 3 years of 2026-01-01T00:00:00+08:00")) {
            try spec.calendar.due(from: Date(millis: SLAFixtures.instant("2026-01-01T00:00:00+08:00")), minutes: 120)
        }
    }

    @Test func negativeTargetsAndBackwardRangesAreRefusedOrEmpty() throws {
        let f = SLAFixtures.fixture("shanghai")
        let at = Date(millis: SLAFixtures.instant("2026-10-09T10:00:00+08:00"))
        #expect(throws: DomainError.field("minutes", "must be 0 or more")) { try f.calendar.due(from: at, minutes: -1) }
        #expect(f.calendar.businessMinutes(from: at, to: at.addingTimeInterval(-3_600)) == 0)
    }

    @Test func dueTimesAreWrittenInTheCalendarsZoneWithItsOffset() {
        let ny = SLAFixtures.fixture("new-york").calendar
        #expect(ny.iso8601(Date(millis: SLAFixtures.instant("2026-07-01T12:00:00.5Z"))) == "2026-07-01T08:00:00.500-04:00")
        #expect(ny.iso8601(Date(millis: SLAFixtures.instant("2026-12-01T12:00:00Z"))) == "2026-12-01T07:00:00-05:00")
        #expect(SLAFixtures.fixture("shanghai").calendar.iso8601(Date(millis: 0)) == "1970-01-01T08:00:00+08:00")
    }
}
