import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// SQLite read connections, one per thread of a small pool of our own. Reads run on these threads
/// rather than in place: the kernel time-slices them, so a long report query does not hold one of
/// the two cooperative threads and queue every short request behind it (tried on 2026-11-30). Unlike
/// sqlite-nio's connections they keep prepared statements (`DirectSQLite`), and the caller is resumed
/// straight from the pool thread (sqlite-nio went through an event loop: one more hand-off).
final class SQLiteReaders: Sendable {
    private let threads: NIOThreadPool
    /// Connections not in use; with as many connections as threads a job always finds one.
    private let free: Mutex<[DirectSQLite]>
    private let all: [DirectSQLite]
    var count: Int { all.count }
    /// Connections running a read now.
    var inUse: Int { all.count - free.withLock { $0.count } }

    init(path: String, count: Int, pragmas: [String]) throws {
        var connections: [DirectSQLite] = []
        for _ in 0..<count {
            let c = try DirectSQLite(path: path)
            for p in pragmas { try c.run(p, []) }
            connections.append(c)
        }
        all = connections
        free = Mutex(connections)
        threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
    }

    /// Runs one statement on a pool thread and returns its rows.
    func run(_ sql: String, _ binds: [SQLiteData]) async throws -> [DirectRow] {
        try await withConnection { c in
            var rows: [DirectRow] = []
            try c.run(sql, binds) { rows.append($0) }
            return rows
        }
    }

    /// Runs `body` with a connection of its own on a pool thread.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (DirectSQLite) throws -> T) async throws -> T {
        try await threads.runIfActive { [self] in
            guard let c = free.withLock({ $0.popLast() }) else {
                throw SQLiteFailure(code: SQLITE_BUSY, message: "no free SQLite reader connection")
            }
            defer { free.withLock { $0.append(c) } }
            return try body(c)
        }
    }

    func close() async {
        try? await threads.shutdownGracefully()
        for c in all { c.close() }
    }
}

/// SQLKit over the reader pool: the stores' read queries run unchanged.
struct ReaderSQLDatabase: DirectSQLAdapter {
    let readers: SQLiteReaders
    let logger: Logger

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        do {
            let (text, binds) = try statement(query)
            promise.completeWithTask { for row in try await readers.run(text, binds) { onRow(row) } }
        } catch {
            promise.fail(error)
        }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (text, binds) = try statement(query)
        for row in try await readers.run(text, binds) { onRow(row) }
    }
}
