import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization
import GuanxiCore

package enum DatabaseDialect: String, Sendable { case sqlite, postgres }

/// Where the data lives: a SQLite directory (default) or a PostgreSQL URL.
package enum DatabaseLocation: Sendable, Equatable {
    case sqlite(directory: String)
    case sqliteFile(path: String)
    case postgres(url: String)

    /// `GUANXI_DATABASE_URL` wins over `--data`, as documented in the README.
    package static func resolve(dataDirectory: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        if let url = environment["GUANXI_DATABASE_URL"], !url.isEmpty { return .postgres(url: url) }
        return .sqlite(directory: dataDirectory ?? "./guanxi-data")
    }

    /// The location without credentials, for logs and /health.
    package var description: String {
        switch self {
        case .sqlite(let d): return "sqlite:\(d)/guanxi.sqlite"
        case .sqliteFile(let p): return "sqlite:\(p)"
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "postgres" }
            c.password = nil; c.user = nil
            return c.string ?? "postgres"
        }
    }
}

/// The one database handle every store uses. Reads go to a pool; writes run in a transaction.
/// SQLite allows a single writer, so writes are serialised here rather than left to busy retries,
/// which would park the few NIO thread-pool threads inside SQLite's busy handler.
package final class Database: Sendable {
    package let dialect: DatabaseDialect
    package let location: DatabaseLocation
    let backend: Backend
    let logger: Logger
    /// What it counts for the server's metrics (writer waits, queued group-commit items, rejected sign-ins).
    package let stats: DatabaseStats
    /// Wakes the services that work through queues written by this database's transactions.
    package let bells = Doorbells()
    /// This process's name in the notifications it sends (it ignores its own).
    let instance = String(UUID().uuidString.prefix(8))

    enum Backend: Sendable {
        case sqlite(SQLitePool)
        case server(any ServerConnections)
    }

    /// A server database (PostgreSQL) over the connections its driver module opened.
    package convenience init(location: DatabaseLocation, server: any ServerConnections, logger: Logger) {
        self.init(dialect: .postgres, location: location, backend: .server(server), logger: logger)
        server.listen(channel: Self.channel, heard: { [weak self] in self?.heard($0) }, listening: { [weak self] in self?.listening() })
    }

    private init(dialect: DatabaseDialect, location: DatabaseLocation, backend: Backend, logger: Logger, stats: DatabaseStats = DatabaseStats()) {
        self.dialect = dialect; self.location = location; self.backend = backend; self.logger = logger; self.stats = stats
    }

    /// Opens a SQLite database (creating its directory if needed). Call `close()` when done.
    /// PostgreSQL's driver is a module of its own (GuanxiPostgres, so the application's modules compile
    /// beside it rather than after it): its `Database.connect` opens either kind.
    package static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "guanxi.db"),
                            readers: Int = max(2, System.coreCount)) async throws -> Database {
        switch location {
        case .sqlite(let dir):
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let stats = DatabaseStats()
            let pool = try await SQLitePool.open(path: dir + "/guanxi.sqlite", readers: readers, logger: logger, stats: stats)
            return Database(dialect: .sqlite, location: location, backend: .sqlite(pool), logger: logger, stats: stats)
        case .sqliteFile(let path):
            let stats = DatabaseStats()
            let pool = try await SQLitePool.open(path: path, readers: readers, logger: logger, stats: stats)
            return Database(dialect: .sqlite, location: location, backend: .sqlite(pool), logger: logger, stats: stats)
        case .postgres:
            throw DomainError.badRequest("PostgreSQL is opened with Database.connect (GuanxiPostgres)")
        }
    }

    /// Runs `body` on a read connection (no transaction).
    package func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let pool): return try await body(pool.reader())
        case .server(let server):
            // a request that has not written reads from a replica that has what its client wrote
            guard server.replicated, let request = ReadAfterWrite.current, !request.readsPrimary else { return try await server.withConnection(body) }
            return try await server.withReadConnection(atLeast: request.floor, body)
        }
    }

    /// Whether reads may go to streaming replicas (`GUANXI_DATABASE_READ_URL`).
    package var replicated: Bool {
        if case .server(let server) = backend { return server.replicated }
        return false
    }

    /// The primary's log position now (0 on SQLite): a client that wrote reads from a replica
    /// only once it has replayed this far. The insert position: it is past every commit record
    /// already made, flushed or not.
    package func logPosition() async throws -> Int64 {
        guard case .server(let server) = backend else { return 0 }
        return try await server.withConnection { c in
            try await c.raw("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS n").first()!.decode(column: "n", as: Int64.self)
        }
    }

    /// Runs `body` in a transaction; commits when it returns, rolls back when it throws.
    package func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let pool):
            return try await pool.withWriter { sql in try await Self.transaction(sql, begin: "BEGIN IMMEDIATE", body) }
        case .server(let server):
            ReadAfterWrite.current?.wrote()
            let asked = ContinuousClock.now
            return try await server.withConnection { sql in
                stats.writeWait.observe(since: asked)
                return try await Self.transaction(sql, begin: "BEGIN", body)
            }
        }
    }

    /// The connections in use and idle, for the metrics.
    package var pools: [PoolStats] {
        switch backend {
        case .sqlite(let pool):
            let (locked, waiting) = pool.lock.status
            let busy = pool.readers.inUse
            return [PoolStats(pool: "reader", inUse: busy, idle: pool.readers.count - busy),
                    PoolStats(pool: "writer", inUse: locked ? 1 : 0, idle: locked ? 0 : 1, waiting: waiting)]
        case .server(let server):
            guard let u = server.usage else { return [] }
            return [PoolStats(pool: "server", inUse: u.inUse, idle: max(0, u.size - u.inUse))]
        }
    }

    /// The SQLite database file (nil on PostgreSQL).
    package var sqlitePath: String? { location.sqliteFilePath }

    /// The size of SQLite's write-ahead log in bytes (nil on PostgreSQL).
    package var walBytes: Int64? {
        guard let path = sqlitePath else { return nil }
        return Self.fileSize(path + "-wal") ?? 0
    }

    /// The database's size in bytes: SQLite's file and its log, PostgreSQL's `pg_database_size`.
    package func sizeBytes() async throws -> Int64? {
        if let path = sqlitePath { return (Self.fileSize(path) ?? 0) + (walBytes ?? 0) }
        return try await read { try await $0.raw("SELECT pg_database_size(current_database()) AS n").first()?.decode(column: "n", as: Int64.self) }
    }

    private static func fileSize(_ path: String) -> Int64? {
        (try? URL(fileURLWithPath: path).resourceValues(forKeys: [.fileSizeKey]))?.fileSize.map(Int64.init)
    }

    private static func transaction<T>(_ sql: any SQLDatabase, begin: String,
                                       _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.raw(SQLQueryString(begin)).run()
        do {
            let value = try await body(sql)
            try await sql.raw("COMMIT").run()
            return value
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// For bulk loads from the CLI: a large page cache on the SQLite writer, because keys arrive in
    /// random order (UUIDv7 of historic times) and a small cache turns every index insert into I/O.
    /// The cache is also what a one-transaction load holds in memory (dirty pages stay in it until
    /// it is full, then spill to the WAL), so a load whose size is the user's file asks for less.
    package func prepareForBulkLoad(cacheMegabytes: Int = 2048) async throws {
        guard case .sqlite(let pool) = backend else { return }
        // Checkpoint every ~40 MB of WAL rather than every 16 MB (never disable it: the WAL would
        // grow by every rewritten page, tens of GB for a million customers). No fsync during the
        // load: a crash can lose the load (it is re-runnable) but cannot corrupt a WAL database.
        try await pool.withWriter { _ in
            try pool.writer.run("PRAGMA cache_size = -\(cacheMegabytes * 1024)", [])
            try pool.writer.run("PRAGMA wal_autocheckpoint = 10000", [])
            try pool.writer.run("PRAGMA synchronous = OFF", [])
        }
    }

    /// Refreshes the query planner's statistics (after bulk loads, at server start and hourly while
    /// serving): SQLite re-analyses only tables whose size changed tenfold since their last analysis,
    /// so a database that started small does not keep plans made for empty tables.
    package func optimize() async throws {
        switch backend {
        case .sqlite(let pool):
            try await pool.withWriter { sql in
                try await sql.raw("PRAGMA optimize=0x10002").run()
                try await Self.floorSearchIndexStatistics(sql)
            }
        case .server: try await write { try await $0.raw("ANALYZE").run() }
        }
    }

    /// Gives the full-text indexes' own tables (FTS5's shadow tables) statistics of at least 1,000
    /// rows. FTS5 prepares its statements on them once per connection, and SQLite plans a table it
    /// believes holds a handful of rows as a scan: statistics made while an index held its first two
    /// rows (a new database analysed at server start) planned FTS5's delete of a merged segment,
    /// `DELETE FROM x_data WHERE id>=? AND id<=?`, as a scan of the whole index. Every write's merge
    /// then read the index through, and writing knowledge-base articles fell from ~240/s to ~50/s by
    /// 10,000 articles until a restart analysed the table again (BENCHMARKS.md, knowledge base). The
    /// plan is a range from 10 rows on. Statistics are the application's to set (SQLite's "manual
    /// control of query plans"); reloading them makes the connection prepare its statements again.
    private static func floorSearchIndexStatistics(_ sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT 1 AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'").first() != nil else { return }
        try await sql.raw("""
            UPDATE sqlite_stat1 SET stat = '1000' || CASE WHEN instr(stat, ' ') > 0 THEN substr(stat, instr(stat, ' ')) ELSE '' END
            WHERE tbl IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') AND CAST(stat AS INTEGER) < 1000
            """).run()
        try await sql.raw("ANALYZE sqlite_schema").run()
    }

    /// Merges every SQLite full-text index into one segment (FTS5 `optimize`); PostgreSQL needs
    /// nothing. A search seeks in each segment of its index, and a bulk load leaves many: the 1M-customer
    /// demo load left 16 and 7, and the 200-match window of a Latin term took 0.24–0.47 ms before and
    /// 0.11–0.18 ms after (`bench/sqlite/search_window.py`; 7 s for the trigram index, 1 s for the
    /// bigrams). The work grows with the index, so it
    /// follows bulk loads (`guanxi demo`, large CLI imports, `guanxi maintain`), not every write.
    /// Returns the tables compacted.
    @discardableResult
    package func compactSearchIndexes() async throws -> [String] {
        guard case .sqlite(let pool) = backend else { return [] }
        let tables = try await read { sql in
            try await sql.raw("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name")
                .all().map { try $0.decode(column: "name", as: String.self) }
        }
        for t in tables {
            let q = "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            try await pool.withWriter { _ in try pool.writer.run("INSERT INTO \(q)(\(q)) VALUES('optimize')", []) }
        }
        return tables
    }

    /// The server's hourly refresh of planner statistics. On SQLite it re-analyses the tables whose
    /// row count moved tenfold since their statistics were made (or that have none and hold rows),
    /// one index at a time, each in its own short write: `PRAGMA optimize` analysed them all under
    /// one write lock, and at 250,000 leads that held every capture for up to 1.2 s. Row counts are
    /// taken on a reader, beside the writer. Returns the indexes analysed.
    @discardableResult
    package func refreshStatistics() async throws -> [String] {
        guard case .sqlite(let pool) = backend else { try await optimize(); return [] }
        let (indexes, analysed) = try await read { sql in
            let indexes = try await sql.raw("""
                SELECT i.tbl_name AS tbl, i.name AS idx FROM sqlite_schema i JOIN sqlite_schema t ON t.name = i.tbl_name AND t.type = 'table'
                WHERE i.type = 'index' AND t.sql NOT LIKE 'CREATE VIRTUAL%' AND i.tbl_name NOT LIKE 'sqlite_%' ORDER BY i.tbl_name, i.name
                """).all().map { (try $0.decode(column: "tbl", as: String.self), try $0.decode(column: "idx", as: String.self)) }
            let hasStat1 = try await sql.raw("SELECT 1 AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'").first() != nil
            var analysed: [String: Int] = [:]
            if hasStat1 {
                for r in try await sql.raw("SELECT tbl, MAX(CAST(stat AS INTEGER)) AS n FROM sqlite_stat1 GROUP BY tbl").all() {
                    analysed[try r.decode(column: "tbl", as: String.self)] = try r.decode(column: "n", as: Int?.self) ?? 0
                }
            }
            return (indexes, analysed)
        }
        var stale: [String] = []
        for table in Set(indexes.map(\.0)).sorted() {
            let rows = try await read { try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self) }
            if StatisticsRule.isStale(rows: rows, analysedRows: analysed[table]) { stale.append(table) }
        }
        var done: [String] = []
        for (table, index) in indexes where stale.contains(table) {
            try await pool.withWriter { _ in
                try pool.writer.run("PRAGMA analysis_limit = \(StatisticsRule.sampleRows)", [])
                try pool.writer.run("ANALYZE \"\(index.replacingOccurrences(of: "\"", with: "\"\""))\"", [])
            }
            done.append(index)
        }
        return done
    }

    /// Writes a consistent copy of a SQLite database to `path` (`DirectSQLite.backup`) from a
    /// connection of its own, on a thread of its own: the server's readers and writer go on.
    package func snapshot(to path: String) async throws {
        guard let source = sqlitePath else { throw DomainError.badRequest("a snapshot copies a SQLite database; PostgreSQL is dumped with pg_dump") }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    let connection = try DirectSQLite(path: source)
                    defer { connection.close() }
                    try connection.run("PRAGMA busy_timeout = 10000", [])
                    try connection.backup(to: path)
                    done.resume()
                } catch { done.resume(throwing: error) }
            }
            thread.start()
        }
    }

    /// The SQLite database's file held still as one read snapshot (`DirectSQLite.beginFileSnapshot`), so
    /// a backup reads the file itself rather than a copy; nil when the server's readers kept WAL frames
    /// out of the file for all of `patience` (a long report), or a long write held SQLite's write lock
    /// as long (a bulk load), and the caller copies instead. Blocks:
    /// call it off the cooperative threads.
    package func holdFile(patience: Duration = .seconds(5)) throws -> HeldSQLiteFile? {
        guard let path = sqlitePath else { throw DomainError.badRequest("only a SQLite database has a file to hold") }
        let reader = try DirectSQLite(path: path), lock = try DirectSQLite(path: path)
        defer { lock.close() }
        try reader.run("PRAGMA busy_timeout = 10000", [])
        let (seconds, fraction) = patience.components
        try lock.run("PRAGMA busy_timeout = \(max(1, seconds * 1000 + fraction / 1_000_000_000_000_000))", [])
        guard let bytes = try reader.beginFileSnapshot(guard: lock, deadline: .now + patience) else { reader.close(); return nil }
        return HeldSQLiteFile(path: path, bytes: bytes, reader: reader)
    }

    package func close() async {
        switch backend {
        case .sqlite(let pool): await pool.close()
        case .server(let server): server.shutdown()
        }
    }

    /// What must run while the database is used, for a ServiceGroup (see GuanxiPostgres' `Database.connect`).
    package var services: [any Service] {
        if case .server(let server) = backend { return server.services }
        return []
    }
}

/// SQLite connections: one writer, called in place (see `DirectSQLite`) behind a FIFO lock, and
/// readers on a thread pool of their own (`SQLiteReaders`; WAL lets them run beside the writer).
/// Reads stay on pool threads because the kernel time-slices those: a long report query run in place
/// would hold one of the two cooperative threads and queue every short request behind it (list p99
/// 55 → 237 ms when tried). The writer is the serial path, where each hand-off cost throughput.
final class SQLitePool: Sendable {
    let readers: SQLiteReaders
    let writer: DirectSQLite
    let lock = AsyncLock()
    private let logger: Logger

    private let checkpointer: Checkpointer
    private let stats: DatabaseStats

    private init(readers: SQLiteReaders, writer: DirectSQLite, checkpointer: Checkpointer, logger: Logger, stats: DatabaseStats) {
        self.readers = readers; self.writer = writer; self.checkpointer = checkpointer; self.logger = logger; self.stats = stats
    }

    static let pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
                          "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16000"]

    static func open(path: String, readers count: Int, logger: Logger, stats: DatabaseStats) async throws -> SQLitePool {
        let writer = try DirectSQLite(path: path)
        for pragma in pragmas + ["PRAGMA journal_mode = WAL"] { try writer.run(pragma, []) }
        // the WAL is copied back into the database mostly by a thread of its own (see Checkpointer)
        let checkpointer = try Checkpointer(path: path)
        try writer.run("PRAGMA wal_autocheckpoint = \(Checkpointer.writerPages)", [])
        let readers = try SQLiteReaders(path: path, count: count, pragmas: pragmas)
        return SQLitePool(readers: readers, writer: writer, checkpointer: checkpointer, logger: logger, stats: stats)
    }

    func reader() -> any SQLDatabase { ReaderSQLDatabase(readers: readers, logger: logger) }

    func withWriter<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        await lock.lock()
        stats.writeWait.observe(since: asked)
        defer { lock.unlock() }
        return try await body(DirectSQLDatabase(connection: writer, logger: logger))
    }

    func close() async {
        await lock.lock()
        checkpointer.stop()
        try? writer.run("PRAGMA wal_checkpoint(TRUNCATE)", [])
        writer.close()
        await readers.close()
    }
}

/// A FIFO async mutex (the writer lock). Not an actor: taking a free lock and releasing it are plain
/// calls, with no hop to another executor on the serial write path; only a waiter suspends.
final class AsyncLock: Sendable {
    private struct State { var locked = false; var waiters: [CheckedContinuation<Void, Never>] = [] }
    private let state = Mutex(State())

    func lock() async {
        if state.withLock({ s in
            if s.locked { return false }
            s.locked = true
            return true
        }) { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let free = state.withLock { s in
                if !s.locked { s.locked = true; return true }
                s.waiters.append(c)
                return false
            }
            if free { c.resume() }
        }
    }

    /// Whether it is held and how many wait for it (the metrics).
    var status: (locked: Bool, waiting: Int) { state.withLock { ($0.locked, $0.waiters.count) } }

    /// Hands the lock to the longest waiter, or frees it.
    func unlock() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.locked = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// A server database's connections, as its driver module provides them.
package protocol ServerConnections: Sendable {
    /// Runs `body` on one connection of the pool.
    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// What must run while the connections are used, when the server's ServiceGroup runs them
    /// (the pools first, stopped last).
    var services: [any Service] { get }
    func shutdown()
    /// Connections in use and the pool's size, when the driver says.
    var usage: (inUse: Int, size: Int)? { get }
    /// Whether there are read replicas.
    var replicated: Bool { get }
    /// Runs `body` on a healthy replica that has replayed the log to `lsn`, waiting a little for
    /// one; else on the primary.
    func withReadConnection<T: Sendable>(atLeast lsn: Int64, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Listens on `channel` while the connections are open, calling `heard` with each notification's
    /// payload, and `listening` each time the listener (re)starts.
    func listen(channel: String, heard: @escaping @Sendable (String) -> Void, listening: @escaping @Sendable () -> Void)
}

/// When a table's planner statistics are out of date: its row count moved tenfold either way since
/// they were made, or it has rows and none were ever made (plans made for an empty table once had a
/// duplicate check walk every lead of the workspace).
enum StatisticsRule {
    /// Index entries each analysis reads (SQLite's own `PRAGMA optimize` reads 2,000).
    static let sampleRows = 1_000

    static func isStale(rows: Int, analysedRows: Int?) -> Bool {
        guard rows > 0 else { return false }
        guard let before = analysedRows else { return true }
        return rows >= max(before, 1) * 10 || rows * 10 <= before
    }
}

/// A SQLite database file whose first `bytes` hold one read snapshot for as long as it is held
/// (`Database.holdFile`); `release` ends the snapshot.
package final class HeldSQLiteFile: @unchecked Sendable {
    package let path: String
    package let bytes: Int64
    private let reader: DirectSQLite

    init(path: String, bytes: Int64, reader: DirectSQLite) { self.path = path; self.bytes = bytes; self.reader = reader }

    package func release() { reader.close() }
    deinit { reader.close() }
}
