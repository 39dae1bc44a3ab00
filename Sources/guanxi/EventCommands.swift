import ArgumentParser
import Foundation
import GuanxiCore
import GuanxiStore

/// `guanxi source create`: a source of behaviour events and its write key (the last line).
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "source", abstract: "Manage sources of behaviour events.", subcommands: [Create.self])
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an event source; its write key is the last line of output.")
        @OptionGroup var db: DatabaseOptions
        @Option var name: String
        @Option(help: "Browser origins allowed to send with the key, comma-separated (scheme://host[:port], or *).") var origins: String?
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let access = AccessStore(db: database, clock: SystemClock())
                let scope = try await db.scope(access)
                let issued = try await EventStore(db: database, clock: SystemClock()).createSource(
                    scope, name: name, allowedOrigins: origins.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [])
                print("Source \(issued.source.id) (\(issued.source.name)); its write key is shown only once:")
                print(issued.writeKey)
                await database.close()
            }
        }
    }
}

/// `guanxi export events`: the workspace's events as NDJSON or CSV, newest first, read a page at a
/// time (any number of events in bounded memory).
struct ExportEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Export behaviour events (NDJSON or CSV).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "ndjson or csv.") var format: String = "ndjson"
    @Option(help: "Only events of this name.") var event: String?
    @Option(help: "From this day or date-time (included).") var from: String?
    @Option(help: "Up to this day or date-time (excluded).") var to: String?
    @Argument(help: "Output file ('-' for stdout).") var file: String
    func run() async throws {
        try await reportingErrors {
            guard let f = EventExport.Format(rawValue: format) else { throw ValidationError("--format is ndjson or csv") }
            func time(_ s: String?, _ name: String) throws -> Date? {
                guard let s else { return nil }
                guard let d = Timestamp.parse(s) ?? Dates.parseDay(s).flatMap({ Timestamp.parse($0 + "T00:00:00Z") }) else {
                    throw ValidationError("--\(name) is not a day or date-time")
                }
                return d
            }
            let q = EventQuery(event: event, from: try time(from, "from"), to: try time(to, "to"))
            let database = try await db.open()
            let access = AccessStore(db: database, clock: SystemClock())
            let scope = try await db.scope(access)
            let out: FileHandle
            if file == "-" { out = .standardOutput } else {
                FileManager.default.createFile(atPath: file, contents: nil)
                guard let h = FileHandle(forWritingAtPath: file) else { throw ValidationError("cannot write \(file)") }
                out = h
            }
            let n = try await EventExport.run(EventStore(db: database, clock: SystemClock()), scope, q, f) { out.write(Data($0.utf8)) }
            if file != "-" { try out.close(); print("Exported \(n) events to \(file).") }
            await database.close()
        }
    }
}
