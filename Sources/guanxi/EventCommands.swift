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
