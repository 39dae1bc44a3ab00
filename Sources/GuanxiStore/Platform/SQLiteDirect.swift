import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// A SQLite connection called directly on the calling thread.
///
/// SQLiteNIO runs every statement on a thread pool and resumes the caller afterwards: two thread
/// hand-offs per statement. On a busy two-core server each hand-off waits for a CPU, so a
/// transaction of a dozen statements spent ~5 ms waiting and ~0.5 ms working (measured on lead
/// capture). SQLite calls take microseconds, so the writer makes them in place; it is only ever
/// used by the one task holding the writer lock (`SQLitePool`). Every connection is used by one
/// thread at a time (the writer lock, a reader taken from the pool's free list, the checkpointer's
/// own thread), so it is opened without SQLite's per-connection mutex: with it, every column read
/// of a result row took and released a lock (8 % of the server under the customer list, `perf`).
final class DirectSQLite: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text, reused (most statements repeat; big batch inserts do not).
    private var statements: [String: OpaquePointer] = [:]
    private static let cacheLimit = 256
    private static let cacheableLength = 4_096

    init(path: String) throws {
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, handle != nil else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteFailure(code: rc, message: message)
        }
    }

    deinit { close() }

    func close() {
        for s in statements.values { sqlite_nio_sqlite3_finalize(s) }
        statements.removeAll()
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Copies the whole database into a new file at `path` (SQLite's online backup, every page in one
    /// step): the copy is the database as of one read snapshot, and writers on other connections go on
    /// meanwhile (WAL). Takes seconds for gigabytes; call it off the cooperative threads.
    func backup(to path: String) throws {
        guard let source = handle else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        let copy = try DirectSQLite(path: path)
        defer { copy.close() }
        // the copy is written once and synced by its caller: no journal to write beside it
        try copy.run("PRAGMA journal_mode = OFF", [])
        try copy.run("PRAGMA synchronous = OFF", [])
        guard let step = sqlite_nio_sqlite3_backup_init(copy.handle, "main", source, "main") else { throw copy.failure(SQLITE_ERROR) }
        let rc = sqlite_nio_sqlite3_backup_step(step, -1)
        let finished = sqlite_nio_sqlite3_backup_finish(step)
        guard rc == SQLITE_DONE else { throw copy.failure(rc) }
        guard finished == SQLITE_OK else { throw copy.failure(finished) }
    }

    /// Whether a `wal_checkpoint` answer says every frame of the log is in the database file.
    static func logIsInFile(busy: Int, log: Int, checkpointed: Int) -> Bool { busy == 0 && log >= 0 && log == checkpointed }

    /// Begins a read transaction on this connection whose snapshot lies wholly in the database file,
    /// none of it only in the WAL, and answers the image's size in bytes (`nil` when that could not be
    /// had before `deadline`). While the transaction is open the file's first `size` bytes do not
    /// change: a checkpoint copies into the file only frames every open snapshot can already see, and
    /// this one sees no frame the file does not hold. So the file can be read as the snapshot, without
    /// a copy. To begin it, this connection checkpoints the WAL, then `guard` (another connection to
    /// the same file) holds SQLite's write lock while it checkpoints what came since and, when every
    /// frame made it into the file, begins reading; writers wait only for that second checkpoint. A
    /// reader of the server on an older snapshot keeps frames from the file; then it tries again a
    /// few milliseconds later.
    func beginFileSnapshot(guard lock: DirectSQLite, deadline: ContinuousClock.Instant) throws -> Int64? {
        while ContinuousClock.now < deadline {
            try run("PRAGMA wal_checkpoint(PASSIVE)", [])   // most of the log, while writers go on
            // a long write (a bulk load) keeps the lock past `guard`'s busy timeout: then not at all
            do { try lock.run("BEGIN IMMEDIATE", []) } catch { return nil }
            var inFile = false
            do {
                try run("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
                    // busy, frames in the WAL, frames copied into the file; a checkpoint that could not run (another
                    // connection was checkpointing: the server's own checkpointer) answers busy with -1 and -1, which
                    // say nothing of the file
                    inFile = Self.logIsInFile(busy: try row.decode(column: "busy", as: Int.self), log: try row.decode(column: "log", as: Int.self),
                                              checkpointed: try row.decode(column: "checkpointed", as: Int.self))
                }
                if inFile {
                    try run("BEGIN", [])
                    try run("SELECT COUNT(*) FROM sqlite_master", [])   // the read transaction starts here
                    var pages = 0, pageSize = 0
                    try run("PRAGMA page_count", []) { pages = try $0.decode(column: "page_count", as: Int.self) }
                    try run("PRAGMA page_size", []) { pageSize = try $0.decode(column: "page_size", as: Int.self) }
                    try lock.run("ROLLBACK", [])
                    return Int64(pages) * Int64(pageSize)
                }
            } catch {
                try? lock.run("ROLLBACK", [])
                try? run("ROLLBACK", [])
                throw error
            }
            try lock.run("ROLLBACK", [])
            usleep(5_000)
        }
        return nil
    }

    /// Runs one statement, handing each result row to `onRow`.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (DirectRow) throws -> Void = { _ in }) throws {
        var columns: DirectRow.Columns?
        try step(sql, binds) { raw in
            if columns == nil { columns = DirectRow.Columns(names: raw.names()) }
            try onRow(DirectRow(columns: columns!, values: raw.values()))
        }
    }

    /// Runs one statement, handing each result row to `onRow` as SQLite holds it (no copies).
    func step(_ sql: String, _ binds: [SQLiteData], _ onRow: (RawRow) throws -> Void) throws {
        guard let db = handle else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        let cached = sql.utf8.count <= Self.cacheableLength
        var stmt: OpaquePointer?
        if cached, let s = statements[sql] {
            stmt = s
        } else {
            let rc = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, cached ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &stmt, nil)
            guard rc == SQLITE_OK, let s = stmt else { throw failure(rc) }
            if cached {
                if statements.count >= Self.cacheLimit {
                    for old in statements.values { sqlite_nio_sqlite3_finalize(old) }
                    statements.removeAll()
                }
                statements[sql] = s
            }
        }
        defer { if cached { sqlite_nio_sqlite3_reset(stmt) } else { sqlite_nio_sqlite3_finalize(stmt) } }
        // Bindings are not cleared after each run: clearing marks a statement whose plan looked at a
        // bound value for re-preparing (4 % of the server under lead capture). Every run binds all of
        // its parameters, so a reused statement never sees an earlier run's values.
        guard binds.count == Int(sqlite_nio_sqlite3_bind_parameter_count(stmt)) else {
            throw SQLiteFailure(code: SQLITE_RANGE, message: "\(binds.count) values for \(sqlite_nio_sqlite3_bind_parameter_count(stmt)) parameters")
        }
        for (i, b) in binds.enumerated() {
            let at = Int32(i + 1)
            let rc: Int32
            switch b {
            case .integer(let v): rc = sqlite_nio_sqlite3_bind_int64(stmt, at, Int64(v))
            case .float(let v): rc = sqlite_nio_sqlite3_bind_double(stmt, at, v)
            case .text(let v): rc = sqlite_nio_sqlite3_bind_text64(stmt, at, v, UInt64(v.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let v):
                rc = v.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(stmt, at, $0.baseAddress, UInt64($0.count), Self.transient) }
            case .null: rc = sqlite_nio_sqlite3_bind_null(stmt, at)
            }
            guard rc == SQLITE_OK else { throw failure(rc) }
        }
        while true {
            let rc = sqlite_nio_sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc) }
            try onRow(RawRow(stmt: stmt!))
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func failure(_ rc: Int32) -> SQLiteFailure {
        SQLiteFailure(code: rc, message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "")
    }
}

/// The current row of a stepping statement, read in place; valid only inside `DirectSQLite.step`'s
/// callback (SQLite reuses the memory on the next step).
struct RawRow {
    let stmt: OpaquePointer

    var count: Int32 { sqlite_nio_sqlite3_column_count(stmt) }

    func names() -> [String] { (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(stmt, $0)) } }

    func isNull(_ c: Int32) -> Bool { sqlite_nio_sqlite3_column_type(stmt, c) == SQLITE_NULL }

    /// Column `c`: nil for NULL, `.some(bytes)` for text, `.some(nil)` for anything else.
    func optionalText(_ c: Int32) -> UnsafeBufferPointer<UInt8>?? {
        switch sqlite_nio_sqlite3_column_type(stmt, c) {
        case SQLITE_NULL: return .none
        case SQLITE_TEXT: return .some(text(c))
        default: return .some(nil)
        }
    }

    /// Column `c` if SQLite stores it as an integer.
    func integer(_ c: Int32) -> Int64? {
        sqlite_nio_sqlite3_column_type(stmt, c) == SQLITE_INTEGER ? sqlite_nio_sqlite3_column_int64(stmt, c) : nil
    }

    /// The UTF-8 bytes of column `c` if SQLite stores it as text.
    func text(_ c: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite_nio_sqlite3_column_type(stmt, c) == SQLITE_TEXT else { return nil }
        let p = sqlite_nio_sqlite3_column_text(stmt, c)
        return UnsafeBufferPointer(start: p, count: Int(sqlite_nio_sqlite3_column_bytes(stmt, c)))
    }

    func values() -> [SQLiteData] { (0..<count).map(value) }

    func value(_ c: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(stmt, c) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(stmt, c)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(stmt, c))
        case SQLITE_TEXT: return .text(String(decoding: text(c)!, as: UTF8.self))
        case SQLITE_BLOB:
            let n = Int(sqlite_nio_sqlite3_column_bytes(stmt, c))
            var buffer = ByteBufferAllocator().buffer(capacity: n)
            if let p = sqlite_nio_sqlite3_column_blob(stmt, c) { buffer.writeBytes(UnsafeRawBufferPointer(start: p, count: n)) }
            return .blob(buffer)
        default: return .null
        }
    }
}

/// A SQLite error code with SQLite's message.
package struct SQLiteFailure: Error, CustomStringConvertible {
    package let code: Int32
    package let message: String
    package var description: String { "SQLite error \(code): \(message)" }
}

/// One result row: values by position, names shared by all rows of the statement.
struct DirectRow: SQLRow {
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        init(names: [String]) {
            self.names = names
            var index: [String: Int] = [:]
            for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
            self.index = index
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.index[column] != nil }
    func decodeNil(column: String) throws -> Bool { columns.index[column].map { values[$0] == .null } ?? true }
    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let i = columns.index[column] else { throw DirectRow.MissingColumn(column: column) }
        if let v = DirectDecode.value(values[i], as: D.self) { return v }
        return try SQLiteValues.decode(D.self, from: values[i])
    }
    struct MissingColumn: Error { let column: String }

    /// Column `i` as text, nil for NULL; other storage as the decoder reads it.
    func text(at i: Int) throws -> String? {
        switch values[i] {
        case .text(let s): return s
        case .null: return nil
        default: return try SQLiteValues.decode(String.self, from: values[i])
        }
    }

    /// Column `i` as an integer, nil for NULL; other storage as the decoder reads it.
    func integer(at i: Int) throws -> Int64? {
        switch values[i] {
        case .integer(let n): return Int64(n)
        case .null: return nil
        default: return try SQLiteValues.decode(Int64.self, from: values[i])
        }
    }
}

/// Column values read without a decoder when the asked type is exactly the stored one (text as
/// `String`, integer as `Int`/`Int64`, real as `Double`, NULL as an optional's nil). Anything else
/// goes through `SQLiteValues.decode`. (SQLiteKit's decoder, used before, built a `JSONDecoder` per
/// value: 19 % of the server's samples under the filtered customer list, `perf`.)
enum DirectDecode {
    static func value<D>(_ data: SQLiteData, as: D.Type) -> D? {
        switch (ObjectIdentifier(D.self), data) {
        // Non-optional types first: an optional's type metadata is fetched at run time by each case that names it.
        case (ObjectIdentifier(String.self), .text(let s)): return unsafeBitCast(s, to: D.self)
        case (ObjectIdentifier(Int.self), .integer(let n)): return unsafeBitCast(n, to: D.self)
        case (ObjectIdentifier(Int64.self), .integer(let n)): return unsafeBitCast(Int64(n), to: D.self)
        case (ObjectIdentifier(Double.self), .float(let x)): return unsafeBitCast(x, to: D.self)
        case (ObjectIdentifier(String?.self), .text(let s)): return unsafeBitCast(Optional(s), to: D.self)
        case (ObjectIdentifier(Int?.self), .integer(let n)): return unsafeBitCast(Optional(n), to: D.self)
        case (ObjectIdentifier(Int64?.self), .integer(let n)): return unsafeBitCast(Optional(Int64(n)), to: D.self)
        case (ObjectIdentifier(Double?.self), .float(let x)): return unsafeBitCast(Optional(x), to: D.self)
        case (ObjectIdentifier(String?.self), .null): return unsafeBitCast(String?.none, to: D.self)
        case (ObjectIdentifier(Int?.self), .null): return unsafeBitCast(Int?.none, to: D.self)
        case (ObjectIdentifier(Int64?.self), .null): return unsafeBitCast(Int64?.none, to: D.self)
        case (ObjectIdentifier(Double?.self), .null): return unsafeBitCast(Double?.none, to: D.self)
        default: return nil
        }
    }
}

/// Values bound to SQLite without an encoder, recognised by their exact type. A cast to a protocol
/// (`as? any P`) looks the conformance up in the runtime's cache for every value: 2.3 % of the
/// machine under single-lead capture when binds were found that way.
enum DirectBind {
    static func data(_ v: any Encodable & Sendable) -> SQLiteData? {
        switch ObjectIdentifier(type(of: v)) {
        case ObjectIdentifier(String.self): return .text(v as! String)
        case ObjectIdentifier(String?.self): return (v as! String?).map { .text($0) } ?? .null
        case ObjectIdentifier(Int.self): return .integer(v as! Int)
        case ObjectIdentifier(Int?.self): return (v as! Int?).map { .integer($0) } ?? .null
        case ObjectIdentifier(Int64.self): return .integer(Int(v as! Int64))
        case ObjectIdentifier(Int64?.self): return (v as! Int64?).map { .integer(Int($0)) } ?? .null
        case ObjectIdentifier(Double.self): return .float(v as! Double)
        case ObjectIdentifier(Double?.self): return (v as! Double?).map { .float($0) } ?? .null
        case ObjectIdentifier(Bool.self): return .integer((v as! Bool) ? 1 : 0)
        case ObjectIdentifier(Bool?.self): return (v as! Bool?).map { .integer($0 ? 1 : 0) } ?? .null
        default: return nil
        }
    }
}

/// What the SQLKit adapters over `DirectSQLite` (the writer in place, the readers on their pool) share.
protocol DirectSQLAdapter: SQLDatabase {}

extension DirectSQLAdapter {
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteSQLDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// The query's text and its binds as SQLite data.
    func statement(_ query: any SQLExpression) throws -> (String, [SQLiteData]) {
        let (text, binds) = serialize(query)
        return (text, try binds.map(DirectSQLDatabase.data))
    }
}

/// SQLKit over a `DirectSQLite` connection: the stores' queries run unchanged.
struct DirectSQLDatabase: DirectSQLAdapter {
    let connection: DirectSQLite
    let logger: Logger

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
        let (text, binds) = try statement(query)
        try connection.run(text, binds, { onRow($0) })
    }

    /// A bind as SQLite data: the common types by their exact type (`DirectBind`), others through
    /// `SQLiteValues`.
    static func data(_ v: any Encodable & Sendable) throws -> SQLiteData {
        if let d = DirectBind.data(v) { return d }
        return try SQLiteValues.data(v)
    }
}

/// Copies the write-ahead log back into the database every 100 ms on a thread and connection of its
/// own (a passive checkpoint never blocks readers or the writer), so that little is left for the
/// writer's own automatic checkpoint when the log reaches `writerPages`. That one must stay: only a
/// checkpoint completed just before a write transaction begins lets it restart the log from its
/// beginning, and under constant writes the thread alone never achieves that (the log grew to 900 MB
/// in 10 s of lead capture, each commit writing to fresh file pages). The writer's checkpoint is a
/// pause for every write queued behind it (a profile of replies on 1,000,000 tickets found it in the
/// commit path): at 64 MB of log instead of 16 it comes a quarter as often (BENCHMARKS, service desk,
/// "Checkpoint settings"). A 25 ms interval shortened creation's p99 further, but makes every open
/// database's thread wake four times as often, and in the one full test run with it the timed imports
/// (dozens of databases open at once) missed their bounds, which they meet alone: it stays at 100 ms
/// until the thread is woken by the writer's commits instead of a shorter timer.
final class Checkpointer: Sendable {
    /// 64 MB of log.
    static let writerPages = 16_000
    /// How often the thread looks.
    static let interval: DispatchTimeInterval = .milliseconds(100)
    private let stopped = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(path: String) throws {
        let connection = try DirectSQLite(path: path)
        try connection.run("PRAGMA busy_timeout = 10000", [])
        Thread.detachNewThread { [self] in
            while true {
                _ = wake.wait(timeout: .now() + Self.interval)
                if stopped.withLock({ $0 }) { break }
                try? connection.run("PRAGMA wal_checkpoint(PASSIVE)", [])
            }
            connection.close()
            finished.signal()
        }
    }

    /// Stops the thread and waits for it to close its connection.
    func stop() {
        let first = stopped.withLock { s in defer { s = true }; return !s }
        guard first else { return }
        wake.signal()
        finished.wait()
    }
}
