import Foundation
import SQLKit
import Synchronization
import GuanxiCore

// Several Guanxi servers on one PostgreSQL database (docs/DEPLOY.md): work that must happen once
// takes an advisory lock, a doorbell rung on one server rings on the others through
// LISTEN/NOTIFY, and a request reads from a streaming replica only once the replica has replayed
// what the same browser or client last wrote. On SQLite there is one process: the lock is always
// free and the bells ring only here.

extension Database {
    /// Runs `body` unless another server (or another task of this one) is running work `name` now;
    /// answers nil when it was not run. On PostgreSQL a session advisory lock held on one
    /// connection for the duration of `body` (released with it, or when the connection dies).
    package func once<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T? {
        guard case .server(let server) = backend else { return try await body() }
        let key = Self.lockKey(name)
        return try await server.withConnection { c -> T? in
            guard try await c.raw("SELECT pg_try_advisory_lock(\(bind: key)) AS got").first()?.decode(column: "got", as: Bool.self) == true else { return nil }
            do {
                let value = try await body()
                _ = try? await c.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                return value
            } catch {
                _ = try? await c.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                throw error
            }
        }
    }

    /// A 64-bit advisory lock key for a name (FNV-1a: stable across processes and versions).
    static func lockKey(_ name: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in ("guanxi:" + name).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: h)
    }

    /// Rings bell `name` here and, on PostgreSQL, on every other server (after a commit: the
    /// notification goes on a connection of its own).
    package func ring(_ name: String) async {
        await bells(name).ring()
        guard case .server(let server) = backend else { return }
        let payload = Self.notification(instance: instance, bell: name)
        _ = try? await server.withConnection { try await $0.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: payload))").run() }
    }

    /// The channel the servers' bells ring on.
    package static let channel = "guanxi_bells"

    static func notification(instance: String, bell: String) -> String { instance + " " + bell }

    /// A notification heard on `channel`: rings the bell it names, unless this process sent it.
    func heard(_ payload: String) {
        guard let space = payload.firstIndex(of: " ") else { return }
        guard payload[..<space] != instance else { return }
        let name = String(payload[payload.index(after: space)...])
        Task { await bells.ringHere(name) }
    }

    /// After (re)connecting the listener: rings every bell here once, for what was rung while nobody listened.
    func listening() { Task { await bells.ringAllHere() } }
}

extension Tx {
    /// Rings bell `name` for work this transaction queued: here at once, and on the other servers
    /// when it commits (`pg_notify` in the transaction is delivered at commit, or never).
    package func ring(_ name: String) async throws {
        await db.bells(name).ring()
        if db.dialect == .postgres {
            try await sql.raw("SELECT pg_notify(\(bind: Database.channel), \(bind: Database.notification(instance: db.instance, bell: name)))").run()
        }
    }
}

/// What a request has read and written, for reads from replicas (`GUANXI_DATABASE_READ_URL`): the
/// log position its client last wrote (sent back by the browser's cookie or the client's header),
/// and whether it writes itself (a request that writes reads from the primary throughout).
package final class ReadAfterWrite: Sendable {
    @TaskLocal package static var current: ReadAfterWrite?

    /// The primary's log position the client's previous write reached (0: none known).
    package let floor: Int64
    private let primaryOnly: Atomic<Bool>

    package init(floor: Int64, primaryOnly: Bool) {
        self.floor = floor; self.primaryOnly = Atomic(primaryOnly)
    }

    /// Reads go to the primary from now on (this request wrote).
    package func wrote() { primaryOnly.store(true, ordering: .relaxed) }
    package var readsPrimary: Bool { primaryOnly.load(ordering: .relaxed) }
}
