import Foundation
import Logging
import PostgresKit
import ServiceLifecycle
import Synchronization
import GuanxiCore
import GuanxiStore

// PostgreSQL's driver (PostgresNIO, PostgresKit) in a module of its own: the store, web and demo
// modules do not wait for it to compile, and it compiles beside them (docs/ARCHITECTURE.md).

extension Database {
    /// Opens the database wherever it lives: SQLite (`Database.open`) or PostgreSQL. Call `close()`
    /// when done. `clientAsService`: the PostgreSQL client's connection pool does not run by itself
    /// but is one of `services`, for the server's ServiceGroup to start first and shut down last
    /// (after requests in flight); commands and tests leave it false and the pool runs until `close()`.
    /// `readURLs`: streaming replicas of the primary that requests read from (docs/DEPLOY.md).
    package static func connect(_ location: DatabaseLocation, readURLs: [String] = [], logger: Logger = Logger(label: "guanxi.db"),
                                clientAsService: Bool = false) async throws -> Database {
        guard case .postgres(let url) = location else {
            guard readURLs.isEmpty else { throw DomainError.badRequest("GUANXI_DATABASE_READ_URL needs PostgreSQL (GUANXI_DATABASE_URL)") }
            return try await open(location, logger: logger)
        }
        let server = try PostgresConnections(url: url, readURLs: readURLs, logger: logger, runsItself: !clientAsService)
        return Database(location: location, server: server, logger: logger)
    }

    /// The replicas named by `GUANXI_DATABASE_READ_URL` (comma-separated).
    package static func readURLs(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        (environment["GUANXI_DATABASE_READ_URL"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// PostgresNIO's client owns its pool and needs `run()` to be running while it is used: by a task of
/// its own, or as a service of the server's ServiceGroup (`runsItself` false). Beside the primary's
/// pool: one listener connection for the bells of the other servers, and the replicas' pools with
/// their health checks.
final class PostgresConnections: ServerConnections {
    let client: PostgresClient
    let replicas: [Replica]
    let logger: Logger
    /// Calls holding a connection now (PostgresNIO's pool does not say).
    let busy = Atomic<Int>(0)
    static let size = 16
    /// Tasks run by this object itself (the pools, the listener, the replicas' health checks) when
    /// no ServiceGroup runs them.
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let background = Mutex<[@Sendable () async -> Void]>([])
    private let runsItself: Bool
    /// The replica a read tries first (turns round).
    private let next = Atomic<Int>(0)

    init(url: String, readURLs: [String], logger: Logger, runsItself: Bool) throws {
        client = PostgresClient(configuration: try Self.configuration(url, name: "GUANXI_DATABASE_URL", size: Self.size), backgroundLogger: logger)
        replicas = try readURLs.map { Replica(client: PostgresClient(configuration: try Self.configuration($0, name: "GUANXI_DATABASE_READ_URL", size: Self.size),
                                                                   backgroundLogger: logger), name: DatabaseLocation.postgres(url: $0).description) }
        self.logger = logger
        self.runsItself = runsItself
        if runsItself {
            let clients = [client] + replicas.map(\.client)
            tasks.withLock { $0 = clients.map { c in Task { await c.run() } } }
        }
        if !replicas.isEmpty { start { [self] in await checkReplicas() } }
    }

    static func configuration(_ url: String, name: String, size: Int) throws -> PostgresClient.Configuration {
        guard let c = URLComponents(string: url), let host = c.host, c.scheme?.hasPrefix("postgres") == true else {
            throw DomainError.badRequest("\(name) must look like postgres://user:password@host:port/database")
        }
        var config = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
            database: String(c.path.dropFirst()).isEmpty ? nil : String(c.path.dropFirst()),
            tls: .disable)
        config.options.maximumConnections = size
        config.options.connectTimeout = .seconds(3)
        return config
    }

    /// Runs `work` for as long as the connections are open: a task now, or in the ServiceGroup.
    private func start(_ work: @escaping @Sendable () async -> Void) {
        if runsItself { tasks.withLock { $0.append(Task { await work() }) } } else { background.withLock { $0.append(work) } }
    }

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { c in
            busy.add(1, ordering: .relaxed)
            defer { busy.subtract(1, ordering: .relaxed) }
            return try await body(c.sql(queryLogLevel: nil))
        }
    }

    var usage: (inUse: Int, size: Int)? { (busy.load(ordering: .relaxed), Self.size) }

    var services: [any Service] {
        guard !runsItself else { return [] }
        let work = background.withLock { $0 }
        return [client] + replicas.map(\.client) + (work.isEmpty ? [] : [Background(work: work)])
    }

    func shutdown() {
        // the listener and health checks first, then the pools
        let all = tasks.withLock { t in defer { t = [] }; return t }
        for t in all.reversed() { t.cancel() }
    }

    // MARK: the other servers' bells

    func listen(channel: String, heard: @escaping @Sendable (String) -> Void, listening: @escaping @Sendable () -> Void) {
        start { [client, logger] in
            while !Task.isCancelled {
                do {
                    try await client.withConnection { c in
                        try await c.listen(on: channel) { notifications in
                            listening()
                            for try await n in notifications { heard(n.payload) }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("listening for the other servers failed; listening again in a second: \(error)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    // MARK: read replicas

    var replicated: Bool { !replicas.isEmpty }

    /// How far behind the primary a replica may fall (by time) and still be read from.
    static let maxLag: Duration = .seconds(5)
    /// How long a read waits for a replica to replay its client's last write before it reads the primary.
    static let replayWait: Duration = .milliseconds(200)
    static let checkEvery: Duration = .milliseconds(500)

    func withReadConnection<T: Sendable>(atLeast lsn: Int64, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let start = next.add(1, ordering: .relaxed).newValue
        for i in 0..<replicas.count {
            let r = replicas[(start + i) % replicas.count]
            guard let known = r.healthy else { continue }
            do {
                let answer: T? = try await r.client.withConnection { c in
                    let sql = c.sql(queryLogLevel: nil)
                    if known < lsn {
                        // wait (bounded) for the replica to replay what the client wrote
                        let deadline = ContinuousClock.now + Self.replayWait
                        while try await sql.raw("SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS n").first()?.decode(column: "n", as: Int64?.self) ?? 0 < lsn {
                            guard ContinuousClock.now < deadline else { return nil }
                            try await Task.sleep(for: .milliseconds(5))
                        }
                    }
                    return .some(try await body(sql))
                }
                if let answer { return answer }
                return try await withConnection(body)   // the replicas are behind: the primary has it
            } catch let e as PSQLError where e.code != .server {
                // the replica is gone or refuses connections: skip it until a check finds it well
                r.failed()
                logger.warning("read replica \(r.name) failed; reading elsewhere: \(e.code)")
            }
        }
        return try await withConnection(body)
    }

    /// Every half second: the primary's log position, and each replica's replayed position; a
    /// replica is healthy while it answers and has replayed what the primary had `maxLag` ago.
    private func checkReplicas() async {
        var samples: [(at: ContinuousClock.Instant, lsn: Int64)] = []
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if let p = try? await Self.bounded({ [client] in
                try await client.withConnection { c in
                    try await c.sql(queryLogLevel: nil).raw("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS n").first()!.decode(column: "n", as: Int64.self)
                }
            }) {
                samples.append((now, p))
                samples.removeAll { now - $0.at > Self.maxLag * 2 }
            }
            for r in replicas {
                let replayed = try? await Self.bounded {
                    try await r.client.withConnection { c in
                        try await c.sql(queryLogLevel: nil).raw("SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS n").first()?.decode(column: "n", as: Int64?.self)
                    }
                }
                guard let position = replayed else { r.update(nil); continue }   // down, or not a replica
                // behind by the age of the oldest primary position it has not replayed
                let behind = samples.first { $0.lsn > position }.map { now - $0.at } ?? .zero
                r.update(behind <= Self.maxLag ? position : nil)
            }
            try? await Task.sleep(for: Self.checkEvery)
        }
    }

    /// `work`, or an error after two seconds (a replica that hangs).
    static func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask { try await Task.sleep(for: .seconds(2)); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw DomainError.badRequest("timed out") }
            return value
        }
    }

    /// One read replica: its pool, and what the last check found.
    final class Replica: Sendable {
        let client: PostgresClient
        let name: String
        /// The replayed log position when healthy, nil when skipped.
        private let state = Mutex<Int64?>(nil)
        init(client: PostgresClient, name: String) { self.client = client; self.name = name }
        var healthy: Int64? { state.withLock { $0 } }
        func update(_ replayed: Int64?) { state.withLock { $0 = replayed } }
        func failed() { update(nil) }
    }

    /// The listener and the health checks as one service, stopped before the pools.
    struct Background: Service {
        let work: [@Sendable () async -> Void]
        func run() async throws {
            await cancelWhenGracefulShutdown {
                await withDiscardingTaskGroup { group in
                    for w in work { group.addTask { await w() } }
                }
            }
        }
    }
}
