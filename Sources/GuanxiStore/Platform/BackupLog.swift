import Foundation
import SQLKit
import GuanxiCore

/// A backup as the installation remembers it: written, or failed with its reason.
package struct BackupRecord: Sendable, Codable, Equatable {
    package var startedAt: Date
    package var finishedAt: Date
    package var file: String
    package var bytes: Int64?
    package var sha256: String?
    package var schemaVersion: Int?
    package var error: String?
    package var ok: Bool { error == nil }

    package init(startedAt: Date, finishedAt: Date, file: String, bytes: Int64? = nil, sha256: String? = nil, schemaVersion: Int? = nil,
                 error: String? = nil) {
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.file = file; self.bytes = bytes; self.sha256 = sha256
        self.schemaVersion = schemaVersion; self.error = error
    }
}

/// The log of backups (migration 21), written after each one, outside the copy it describes.
package struct BackupLog: Sendable {
    let db: Database
    package init(db: Database) { self.db = db }

    package func record(_ r: BackupRecord) async throws {
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO backups (id, started_at, finished_at, file, bytes, sha256, schema_version, error)
                VALUES (\(bind: ID.make()), \(bind: r.startedAt.millis), \(bind: r.finishedAt.millis), \(bind: r.file), \(bind: r.bytes),
                        \(bind: r.sha256), \(bind: r.schemaVersion), \(bind: r.error))
                """).run()
        }
    }

    /// The latest attempts, newest first; `writtenOnly`: only backups that were written.
    package func latest(limit: Int = 10, writtenOnly: Bool = false) async throws -> [BackupRecord] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT started_at, finished_at, file, bytes, sha256, schema_version, error FROM backups
                \(unsafeRaw: writtenOnly ? "WHERE error IS NULL" : "") ORDER BY finished_at DESC LIMIT \(bind: limit)
                """).all().map { row in
                BackupRecord(startedAt: Date(millis: try row.decode(column: "started_at", as: Int64.self)),
                             finishedAt: Date(millis: try row.decode(column: "finished_at", as: Int64.self)),
                             file: try row.decode(column: "file", as: String.self), bytes: try row.decode(column: "bytes", as: Int64?.self),
                             sha256: try row.decode(column: "sha256", as: String?.self),
                             schemaVersion: try row.decode(column: "schema_version", as: Int?.self),
                             error: try row.decode(column: "error", as: String?.self))
            }
        }
    }
}
