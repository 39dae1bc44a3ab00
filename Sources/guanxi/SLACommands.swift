import ArgumentParser
import Foundation
import GuanxiCore
import GuanxiDemo
import GuanxiStore

/// `guanxi sla …`: service-level deadlines on a business calendar file (docs/SERVICE.md).
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Service-level deadlines in business time.", subcommands: [Due.self, Scan.self, Bench.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "due",
            abstract: "Print when N business minutes after a start are used up (last line, ISO 8601 in the calendar's zone).")
        @Option(help: "Calendar file (JSON: time_zone, week, holidays, workdays, workday_hours).") var calendar: String
        @Option(help: "Start, ISO 8601 with an offset or Z, e.g. 2026-10-09T10:30:00+08:00.") var from: String
        @Option(help: "Business minutes until the deadline.") var minutes: Int
        @Option(name: .customLong("pause"), help: "FROM/TO (ISO 8601) while the clock stops; repeat for several.")
        var pauses: [String] = []

        func run() async throws {
            try SLACommand.oneLineErrors {
                let cal = try SLACommand.calendar(calendar)
                let due = try cal.due(from: try SLACommand.instant(from, "--from"), minutes: minutes, pauses: try pauses.map(SLACommand.pause))
                print(cal.iso8601(due))
            }
        }
    }

    /// Times the deadline calculation over the demo calendar (bench/sla/run.sh); not in the help.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "One pass of the SLA monitor the server runs every 15 s: warn and escalate; prints what it raised and how long it took.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Look at due times after this instant (ISO 8601); default: a day back, as the server's first pass.") var since: String?

        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let from = try since.map { try SLACommand.instant($0, "--since") } ?? Date().addingTimeInterval(-86_400)
                let started = ContinuousClock.now
                let raised = try await SLAMonitor(db: database, clock: SystemClock()).scan(since: from)
                let took = ContinuousClock.now - started
                let ms = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
                print("raised \(raised.filter { $0.alarm.kind == .warning }.count) warnings and \(raised.filter { $0.alarm.kind == .breach }.count) escalations in \(String(format: "%.1f", ms)) ms")
                await database.close()
            }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench", abstract: "Time the deadline calculation.", shouldDisplay: false)
        @Option(help: "Tickets per round.") var count = 100_000
        @Option(help: "Rounds (the best and the median are printed).") var rounds = 7
        @Option(help: "Calendar file (default: the demo calendar, Shanghai 2026).") var calendar: String?
        @Option(help: "The demo calendar's hours on another zone's clock, e.g. America/New_York.") var zone = "Asia/Shanghai"

        func run() async throws {
            try SLACommand.oneLineErrors {
                let cal = try calendar.map(SLACommand.calendar) ?? BusinessCalendar.parse(DemoService.calendarJSON(zone: zone))
                let questions = DemoService.questions(count: count, seed: 1)
                var dueTimes: [Double] = [], elapsedTimes: [Double] = [], check = 0
                let clock = ContinuousClock()
                for _ in 0..<max(1, rounds) {
                    var dues: [Date] = []
                    dues.reserveCapacity(questions.count)
                    let t0 = clock.now
                    for q in questions { dues.append(try cal.due(from: q.from, minutes: q.minutes, pauses: q.pauses)) }
                    let t1 = clock.now
                    for (q, d) in zip(questions, dues) { check &+= cal.businessMinutes(from: q.from, to: d, pauses: q.pauses) }
                    let t2 = clock.now
                    dueTimes.append(Self.microseconds(t1 - t0) / Double(questions.count))
                    elapsedTimes.append(Self.microseconds(t2 - t1) / Double(questions.count))
                }
                func line(_ name: String, _ times: [Double]) -> String {
                    let t = times.sorted()
                    return "\(name): best \(String(format: "%.2f", t[0])) µs, median \(String(format: "%.2f", t[t.count / 2])) µs"
                }
                print("\(cal.timeZone.identifier): \(questions.count) tickets (480 business minutes each, a third paused), \(dueTimes.count) rounds")
                print(line("due", dueTimes) + " per deadline")
                print(line("businessMinutes", elapsedTimes) + " per ticket (check \(check / dueTimes.count / questions.count))")
            }
        }

        static func microseconds(_ d: Duration) -> Double {
            Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
        }
    }

    /// One clear line on stderr and exit status 2 for anything wrong with the input.
    static func oneLineErrors(_ body: () throws -> Void) throws {
        do { try body() } catch let e as DomainError {
            FileHandle.standardError.write(Data("error: \(line(e))\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Every field's problem on one line: "week.mon[1]: …; holidays[0]: …".
    static func line(_ e: DomainError) -> String {
        switch e {
        case .validation(let f): f.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        case .notFound(let m): m
        case .conflict(let m), .badRequest(let m), .unauthorized(let m), .forbidden(let m), .tooManyAttempts(let m), .duplicate(_, _, let m): m.text
        case .staleVersion(let v): "stale version (now \(v))"
        }
    }

    static func calendar(_ path: String) throws -> BusinessCalendar {
        guard let data = FileManager.default.contents(atPath: path) else { throw DomainError.badRequest("cannot read the calendar file \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw DomainError.badRequest("\(path) is not UTF-8 text") }
        do { return try BusinessCalendar.parse(text) } catch { throw DomainError.badRequest("\(path): \(line(error))") }
    }

    /// ISO 8601 with an offset or Z, with or without fractional seconds.
    static func instant(_ text: String, _ option: String) throws -> Date {
        if let d = Timestamp.parse(text) { return d }
        throw DomainError.badRequest("\(option): '\(text)' is not an ISO 8601 time with an offset, e.g. 2026-10-09T10:30:00+08:00")
    }

    /// "FROM/TO".
    static func pause(_ text: String) throws -> Range<Date> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw DomainError.badRequest("--pause: '\(text)' is not FROM/TO") }
        let a = try instant(String(parts[0]), "--pause"), b = try instant(String(parts[1]), "--pause")
        guard a <= b else { throw DomainError.badRequest("--pause: '\(text)' ends before it starts") }
        return a..<b
    }
}
