import Foundation
import Testing
@testable import GuanxiCore

@Suite("Business calendars: reading the calendar file and naming what is wrong in it")
struct BusinessCalendarTests {
    /// The field errors `parse` reports for `text` (empty when it is accepted).
    static func errors(_ text: String) -> [String: String] {
        do { _ = try BusinessCalendar.parse(text); return [:] } catch { if case .validation(let m) = error { return m.mapValues(\.text) }; return ["?": "\(error)"] }
    }

    @Test func theIssuesExampleReadsWithLunchHolidaysAndMakeUpDays() throws {
        // given the calendar file of the contract
        let cal = try BusinessCalendar.parse("""
            {"time_zone":"Asia/Shanghai",
             "week":{"mon":[["09:00","12:00"],["13:30","18:00"]],"fri":[["13:30","18:00"],["9:00","12:00"]]},
             "holidays":["2026-10-01"],"workdays":["2026-09-28","2026-10-10"],"workday_hours":[["09:00","17:00"]]}
            """)
        // then weekdays are Monday first, intervals sorted, missing weekdays closed
        #expect(cal.timeZone.identifier == "Asia/Shanghai")
        #expect(cal.week[4] == [.init(start: 540, end: 720), .init(start: 810, end: 1080)])
        #expect(cal.week[1].isEmpty && cal.week[6].isEmpty)
        // and a holiday has no hours, a make-up day has workday_hours, other days their weekday's
        let day = { (s: String) in LocalDay.parse(s)! }
        #expect(cal.hours(on: day("2026-10-01")).isEmpty)
        #expect(cal.hours(on: day("2026-10-10")) == [.init(start: 540, end: 1020)])
        #expect(cal.hours(on: day("2026-10-09")) == cal.week[4])
        #expect(LocalDay.weekday(day("2026-10-10")) == 5)
    }

    @Test func makeUpDaysFollowMondayWithoutWorkdayHours() throws {
        let cal = try BusinessCalendar.parse(#"{"time_zone":"UTC","week":{"mon":[["08:00","24:00"]]},"workdays":["2026-10-10"]}"#)
        #expect(cal.hours(on: LocalDay.parse("2026-10-10")!) == [.init(start: 480, end: 1440)])
    }

    @Test(arguments: ["", "  \n\t"])
    func anEmptyFileSaysSo(_ text: String) {
        #expect(Self.errors(text) == ["calendar": "is empty"])
    }

    @Test func somethingElseThanAJSONObjectIsRefused() {
        #expect(Self.errors("time_zone: Asia/Shanghai") == ["calendar": "is not valid JSON (at byte 0)"])
        #expect(Self.errors(#"{"time_zone": "Asia/Shanghai",}"#) == ["calendar": "is not valid JSON (at byte 30)"])
        #expect(Self.errors(#"[["09:00","18:00"]]"#) == ["calendar": "must be a JSON object"])
    }

    @Test func wrongTypesNameTheirField() {
        let e = Self.errors(#"{"time_zone":8,"week":[],"holidays":"2026-10-01","workdays":{},"workday_hours":"09:00-17:00"}"#)
        #expect(e == [
            "time_zone": "has the wrong type (expected a string such as Asia/Shanghai)",
            "week": "has the wrong type (expected an object of weekdays)",
            "holidays": "has the wrong type (expected a list of dates such as \"2026-10-01\")",
            "workdays": "has the wrong type (expected a list of dates such as \"2026-10-01\")",
            "workday_hours": "has the wrong type (expected a list of [\"HH:MM\", \"HH:MM\"] intervals)",
        ])
        #expect(Self.errors(#"{"time_zone":"UTC","week":{"mon":[["09:00","12:00","18:00"], "09:00", [9, 12]]},"holidays":[20261001]}"#) == [
            "week.mon[0]": "must be a pair of times such as [\"09:00\", \"12:00\"]",
            "week.mon[1]": "must be a pair of times such as [\"09:00\", \"12:00\"]",
            "week.mon[2]": "must be a pair of times such as [\"09:00\", \"12:00\"]",
            "holidays[0]": "must be a date string such as \"2026-10-01\"",
        ])
    }

    @Test func missingFieldsAndUnknownOnes() {
        #expect(Self.errors(#"{"timezone":"Asia/Shanghai"}"#) == [
            "timezone": "is not a calendar field (time_zone, week, holidays, workdays, workday_hours)",
            "time_zone": "is required (a zone name such as Asia/Shanghai)",
            "week": "is required: working hours per weekday, e.g. {\"mon\": [[\"09:00\", \"18:00\"]]}",
        ])
    }

    @Test func badTimesIntervalsAndWeekdays() {
        let e = Self.errors("""
            {"time_zone":"Asia/Shanghai","week":{
              "mon":[["09:00","25:00"],["24:00","24:00"],["9:0","10:00"]],
              "tue":[["13:00","12:00"],["14:00","14:00"]],
              "wed":[["09:00","18:00"],["12:00","13:30"],["17:00","19:00"]],
              "thu":[["09:00","12:00"],["12:00","13:00"]],
              "monday":[["09:00","18:00"]]}}
            """)
        #expect(e == [
            "week.mon[0]": "'25:00' is not a time (HH:MM, 00:00 to 24:00)",
            "week.mon[1]": "'24:00' is not a time (HH:MM, 00:00 to 23:59)",
            "week.mon[2]": "'9:0' is not a time (HH:MM, 00:00 to 23:59)",
            "week.tue[0]": "ends at 12:00, not after its start 13:00",
            "week.tue[1]": "ends at 14:00, not after its start 14:00",
            "week.wed[1]": "overlaps week.wed[0] (09:00–18:00)",
            "week.wed[2]": "overlaps week.wed[0] (09:00–18:00)",
            "week.monday": "is not a weekday (mon, tue, wed, thu, fri, sat, sun)",
        ])
    }

    @Test func badDatesUnknownZonesAndADateThatIsBothHolidayAndWorkday() {
        let e = Self.errors("""
            {"time_zone":"Asia/Beijing","week":{"mon":[["09:00","18:00"]]},
             "holidays":["2026-10-01","2026-02-30","2026/10/02","2026-13-01"],
             "workdays":["2026-9-28","2026-10-01"]}
            """)
        #expect(e == [
            "time_zone": "'Asia/Beijing' is not a known time zone",
            "holidays[1]": "'2026-02-30' is not a date (YYYY-MM-DD)",
            "holidays[2]": "'2026/10/02' is not a date (YYYY-MM-DD)",
            "holidays[3]": "'2026-13-01' is not a date (YYYY-MM-DD)",
            "workdays[0]": "'2026-9-28' is not a date (YYYY-MM-DD)",
            "workdays[1]": "2026-10-01 is also a holiday",
        ])
        #expect(Self.errors(#"{"time_zone":"UTC","week":{"mon":[["09:00","18:00"]]},"holidays":["2028-02-29","2027-02-29"]}"#)
                == ["holidays[1]": "'2027-02-29' is not a date (YYYY-MM-DD)"])
    }

    @Test func aCalendarWithoutAnyWorkingTimeIsRefused() {
        #expect(Self.errors(#"{"time_zone":"Asia/Shanghai","week":{"sat":[],"sun":[]},"holidays":["2026-10-01"]}"#)
                == ["week": "has no working hours on any day, so a deadline would never come"])
        #expect(Self.errors(#"{"time_zone":"Asia/Shanghai","week":{}}"#)
                == ["week": "has no working hours on any day, so a deadline would never come"])
    }

    @Test func makeUpDaysNeedHoursToFollow() {
        #expect(Self.errors(#"{"time_zone":"Asia/Shanghai","week":{"tue":[["09:00","18:00"]]},"workdays":["2026-10-10"]}"#)
                == ["workday_hours": "is required when week.mon has no hours (make-up working days follow Monday's otherwise)"])
        #expect(Self.errors(#"{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","18:00"]]},"workday_hours":[]}"#)
                == ["workday_hours": "must list at least one interval, e.g. [[\"09:00\", \"17:00\"]]"])
        #expect(Self.errors(#"{"time_zone":"Asia/Shanghai","week":{},"workdays":["2026-10-10"],"workday_hours":[["09:00","17:00"]]}"#) == [:])
    }

    @Test func localDayNumbersMatchFoundation() {
        // every 37th day over five centuries: the day number, its weekday and its date read back
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Int64(-80_000), to: 120_000, by: 37) {
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(LocalDay.days(year: Int64(c.year!), month: Int64(c.month!), day: Int64(c.day!)) == day)
            #expect(LocalDay.weekday(day) == Int64((c.weekday! + 5) % 7))
        }
    }
}
