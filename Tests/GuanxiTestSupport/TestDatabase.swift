import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWeb
import GuanxiWebPlatform
import GuanxiPostgres

// One harness for store and web tests: a fresh migrated database per test on SQLite (a temp file)
// and, when GUANXI_TEST_POSTGRES_URL and GUANXI_TEST_POSTGRES_ADMIN_URL name a server (scripts/test
// starts one), on PostgreSQL too. Each test's database is a copy of a template migrated and seeded
// once per test process, so bcrypt and migrations are paid once.

/// The database a test runs on.
package enum Backend: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    package var description: String { rawValue }

    package static var postgresEnabled: Bool {
        let env = ProcessInfo.processInfo.environment
        return !(env["GUANXI_TEST_POSTGRES_URL"] ?? "").isEmpty && !(env["GUANXI_TEST_POSTGRES_ADMIN_URL"] ?? "").isEmpty
    }

    /// SQLite always; PostgreSQL too when the environment names a server.
    package static var all: [Backend] { postgresEnabled ? [.sqlite, .postgres] : [.sqlite] }
}

/// What every database of one kind of test starts with, made once per process into a template.
package struct TestSeed<Value: Sendable>: Sendable {
    package let name: String
    package let make: @Sendable (Database) async throws -> Value
    package init(_ name: String, _ make: @escaping @Sendable (Database) async throws -> Value) { self.name = name; self.make = make }
}

package enum TestDatabase {
    /// Opens a migrated database that exists only for `body`, then removes it: a copy of the seed's
    /// template (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL).
    package static func with<S: Sendable, T: Sendable>(_ backend: Backend, seed: TestSeed<S>,
                                                      _ body: @Sendable (Database, S) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite:
            let (template, value) = try await Templates.shared.sqlite(seed)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gxtest-\(UUID().uuidString).sqlite").path
            try FileManager.default.copyItem(atPath: template, toPath: path)
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let db = try await Database.open(.sqliteFile(path: path), readers: 2)
            return try await using(db) { try await body(db, value) }
        case .postgres:
            // at most a few at a time, so the server's connection limit holds while tests run in parallel
            await PostgresTests.slots.acquire()
            do {
                let (template, value) = try await Templates.shared.postgres(seed)
                let admin = try await PostgresTests.admin.value
                let name = "gx_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                try await admin.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: template)").run() }
                let db = try await Database.connect(.postgres(url: PostgresTests.url(database: name)))
                let result = await Result { try await using(db) { try await body(db, value) } }
                try? await admin.read { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
                await PostgresTests.slots.release()
                return try result.get()
            } catch {
                await PostgresTests.slots.release()
                throw error
            }
        }
    }

    /// Runs `body` on an open database and closes it whatever happens.
    private static func using<T>(_ db: Database, _ body: () async throws -> T) async throws -> T {
        do {
            try await Features.migrator(db).migrate()
            let value = try await body()
            await db.close()
            return value
        } catch {
            await db.close()
            throw error
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// The templates built so far in this process, by seed name and database.
private actor Templates {
    static let shared = Templates()
    private var built: [String: Task<(String, any Sendable), any Error>] = [:]

    func sqlite<S>(_ seed: TestSeed<S>) async throws -> (String, S) {
        try await template("sqlite:" + seed.name, seed) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gxtest-template-\(UUID().uuidString).sqlite").path
            return (path, try await Database.open(.sqliteFile(path: path), readers: 1))
        }
    }

    func postgres<S>(_ seed: TestSeed<S>) async throws -> (String, S) {
        try await template("postgres:" + seed.name, seed) {
            let admin = try await PostgresTests.admin.value
            let name = "gx_template_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await admin.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            return (name, try await Database.connect(.postgres(url: PostgresTests.url(database: name))))
        }
    }

    private func template<S>(_ key: String, _ seed: TestSeed<S>,
                             _ create: @escaping @Sendable () async throws -> (String, Database)) async throws -> (String, S) {
        let task = built[key] ?? Task {
            let (location, db) = try await create()
            do {
                try await Features.migrator(db).migrate()
                let value = try await seed.make(db)
                if db.dialect == .sqlite { _ = try await db.read { try await $0.raw("PRAGMA wal_checkpoint(TRUNCATE)").all() } }
                await db.close()
                return (location, value as any Sendable)
            } catch {
                await db.close()
                throw error
            }
        }
        built[key] = task
        let (location, value) = try await task.value
        return (location, value as! S)
    }
}

/// The PostgreSQL server the environment names: one admin connection for the whole test process
/// (creating and dropping databases), and a limit on how many test databases are open at once.
package enum PostgresTests {
    package static let admin = Task<Database, any Error> {
        try await Database.connect(.postgres(url: ProcessInfo.processInfo.environment["GUANXI_TEST_POSTGRES_ADMIN_URL"]!))
    }
    package static let slots = AsyncSlots(6)

    /// The test server's URL with another database.
    package static func url(database: String) throws -> String {
        guard var c = URLComponents(string: ProcessInfo.processInfo.environment["GUANXI_TEST_POSTGRES_URL"] ?? "") else {
            throw DomainError.badRequest("GUANXI_TEST_POSTGRES_URL is not a URL")
        }
        c.path = "/" + database
        return c.string!
    }

    /// The streaming replica's URL with `database` (scripts/with-postgres-replica), or nil without one.
    package static func replicaURL(database: String) -> String? {
        guard let read = ProcessInfo.processInfo.environment["GUANXI_TEST_POSTGRES_READ_URL"], !read.isEmpty,
              var c = URLComponents(string: read) else { return nil }
        c.path = "/" + database
        return c.string
    }

    /// Another server's handle on the same PostgreSQL database as `db` (its own pool, listener and
    /// caches), reading from `readURLs`. Close it when done.
    package static func anotherServer(_ db: Database, readURLs: [String] = []) async throws -> Database {
        try await Database.connect(db.location, readURLs: readURLs)
    }

    /// A new, empty database (no migrations) for `body`, dropped afterwards: a migration tested on
    /// the data an older schema holds.
    package static func withEmpty<T: Sendable>(_ body: @Sendable (Database) async throws -> T) async throws -> T {
        await slots.acquire()
        let admin = try await admin.value
        let name = "gx_empty_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        var outcome: Result<T, any Error>
        do {
            try await admin.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            let db = try await Database.connect(.postgres(url: url(database: name)))
            outcome = await Result { try await body(db) }
            await db.close()
        } catch { outcome = .failure(error) }
        try? await admin.read { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
        await slots.release()
        return try outcome.get()
    }

    /// The name of `db`'s database.
    package static func databaseName(_ db: Database) -> String? {
        guard case .postgres(let url) = db.location, let c = URLComponents(string: url) else { return nil }
        return String(c.path.dropFirst())
    }
}

/// A counting semaphore for async code.
package actor AsyncSlots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    package init(_ count: Int) { free = count }
    package func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }
    package func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}
