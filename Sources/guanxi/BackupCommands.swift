import ArgumentParser
import Foundation
import Logging
import GuanxiCore
import GuanxiStore
import GuanxiWeb
import GuanxiPostgres

extension DatabaseOptions {
    /// The attachments' directory (`files`): backed up and restored with the database.
    var filesDirectory: String? { files.directory }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a backup of the database and stored files to FILE, while the server runs.",
        discussion: """
            SQLite is copied from one read snapshot (writers go on), PostgreSQL is dumped with pg_dump; the \
            archive holds a manifest with every part's SHA-256 and is compressed with zstd (gzip when zstd is not \
            installed). FILE appears only once it is complete. Prints its size and SHA-256 on the last line.
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The backup file to write (replaced if it exists).") var file: String

    func run() async throws {
        try await reportingErrors {
            let database = try await db.open()
            let log = BackupLog(db: database)
            let started = Date()
            do {
                let schema = try await Features.migrator(database).status().current
                let r = try await Backup.create(database, to: file, schemaVersion: schema, filesDirectory: db.filesDirectory)
                try await log.record(BackupRecord(startedAt: started, finishedAt: Date(), file: file, bytes: r.bytes, sha256: r.sha256,
                                                  schemaVersion: schema))
                await database.close()
                let files = r.manifest.entries.filter { $0.path.hasPrefix("files/") }.count
                print("backup \(file): \(r.manifest.database), schema \(schema), \(files) stored files, \(r.bytes) bytes in \(String(format: "%.1f", r.seconds)) s")
                print("sha256 \(r.sha256)")
            } catch {
                try? await log.record(BackupRecord(startedAt: started, finishedAt: Date(), file: file, error: "\(error)"))
                await database.close()
                throw error
            }
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup FILE into an empty data directory or database.",
        discussion: """
            Checks every part against the manifest first; refuses a damaged file, a backup of the other kind \
            of database, a schema newer than this Guanxi and a target that already holds data. Brings the \
            restored schema up to date and verifies every workspace's audit chain.
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The backup file to restore.") var file: String

    func run() async throws {
        try await reportingErrors {
            let location = db.location
            let known = Features.migrations.map(\.version).max() ?? 0
            let manifest = try await Backup.restore(file, into: location, knownSchema: known, filesDirectory: db.filesDirectory) {
                if let path = location.sqliteFilePath {
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                    return size == nil || size == 0
                }
                let target = try await Database.connect(location, logger: Logger(label: "guanxi.db"))
                defer { Task { await target.close() } }
                return try await Backup.isEmpty(target)
            }
            let database = try await db.open()
            let results = try await AuditLog(db: database).verify()
            let schema = try await Features.migrator(database).status().current
            await database.close()
            print("restored \(file) (\(manifest.database), written \(manifest.createdAt), schema \(manifest.schemaVersion), now \(schema))")
            for r in results where !r.ok { print("BROKEN  \(r.workspaceID): \(r.problem ?? "") (entry \(r.brokenAt ?? 0))") }
            if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
            print("audit chains intact: \(results.count) workspaces, \(results.map(\.entries).reduce(0, +)) entries")
        }
    }
}
