import Foundation
import SQLKit
import GuanxiCore

/// A numbered schema change, declared by the feature it belongs to (`Feature.migrations`). Files
/// are append-only: a landed migration is never edited, and versions run 1…n across all features.
package struct Migration: Sendable {
    package let version: Int
    package let name: String
    /// The statements for a dialect, run in order inside one transaction.
    package let statements: @Sendable (DatabaseDialect) -> [String]
    /// Work after the statements, in the same transaction, for what SQL alone cannot derive (a
    /// search index's folded text and bigrams for the rows already there).
    package let backfill: (@Sendable (any SQLDatabase, DatabaseDialect) async throws -> Void)?

    package init(version: Int, name: String, backfill: (@Sendable (any SQLDatabase, DatabaseDialect) async throws -> Void)? = nil,
                 statements: @escaping @Sendable (DatabaseDialect) -> [String]) {
        self.version = version; self.name = name; self.statements = statements; self.backfill = backfill
    }
}

package struct MigrationStatus: Sendable, Codable {
    package var current: Int
    package var latest: Int
    package var pending: [String]
}

package enum MigrationError: Error, CustomStringConvertible {
    case schemaTooNew(found: Int, known: Int)
    case notMigrated(found: Int, known: Int)
    package var description: String {
        switch self {
        case .schemaTooNew(let f, let k):
            return "The database schema is version \(f) but this Guanxi knows only up to \(k). Upgrade Guanxi; refusing to start."
        case .notMigrated(let f, let k):
            return "The database schema is version \(f) but this Guanxi needs \(k). Run `guanxi migrate` first."
        }
    }
}

/// Applies migrations and answers what version the schema is at.
package struct Migrator: Sendable {
    let db: Database
    /// Every migration the application knows, in version order.
    let migrations: [Migration]
    package init(db: Database, migrations: [Migration]) {
        self.db = db
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    var latest: Int { migrations.last?.version ?? 0 }

    package func status() async throws -> MigrationStatus {
        let current = try await currentVersion()
        return MigrationStatus(current: current, latest: latest,
                               pending: migrations.filter { $0.version > current }.map { "\($0.version) \($0.name)" })
    }

    /// Applies all pending migrations in one transaction. Refuses a schema newer than known.
    @discardableResult
    package func migrate(dryRun: Bool = false) async throws -> MigrationStatus {
        let before = try await status()
        if before.current > before.latest { throw MigrationError.schemaTooNew(found: before.current, known: before.latest) }
        if dryRun || before.pending.isEmpty { return before }
        let dialect = db.dialect
        try await db.write { sql in
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """).run()
            for m in migrations where m.version > before.current {
                for statement in m.statements(dialect) { try await sql.raw(SQLQueryString(statement)).run() }
                try await m.backfill?(sql, dialect)
                try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: m.version), \(bind: m.name), \(bind: Date().millis))").run()
            }
        }
        return try await status()
    }

    /// Throws unless the schema is exactly what this build expects (the server's start-up check).
    package func requireCurrent() async throws {
        let s = try await status()
        if s.current > s.latest { throw MigrationError.schemaTooNew(found: s.current, known: s.latest) }
        if s.current < s.latest { throw MigrationError.notMigrated(found: s.current, known: s.latest) }
    }

    func currentVersion() async throws -> Int {
        try await db.read { sql in
            let exists: Bool
            switch db.dialect {
            case .sqlite:
                exists = try await sql.raw("SELECT 1 AS x FROM sqlite_master WHERE type='table' AND name='schema_migrations'").first() != nil
            case .postgres:
                exists = try await sql.raw("SELECT 1 AS x FROM information_schema.tables WHERE table_name='schema_migrations' AND table_schema=current_schema()").first() != nil
            }
            guard exists else { return 0 }
            return try await sql.raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int.self) ?? 0
        }
    }
}
