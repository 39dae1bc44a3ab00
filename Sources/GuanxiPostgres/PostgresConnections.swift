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
    package static func connect(_ location: DatabaseLocation, logger: Logger = Logger(label: "guanxi.db"),
                                clientAsService: Bool = false) async throws -> Database {
        guard case .postgres(let url) = location else { return try await open(location, logger: logger) }
        let server = try PostgresConnections(url: url, logger: logger, runsItself: !clientAsService)
        return Database(location: location, server: server, logger: logger)
    }
}

/// PostgresNIO's client owns its pool and needs `run()` to be running while it is used: by a task of
/// its own, or as a service of the server's ServiceGroup (`runner` nil).
final class PostgresConnections: ServerConnections {
    let client: PostgresClient
    let runner: Task<Void, Never>?
    /// Calls holding a connection now (PostgresNIO's pool does not say).
    let busy = Atomic<Int>(0)
    static let size = 16

    init(url: String, logger: Logger, runsItself: Bool) throws {
        guard let c = URLComponents(string: url), let host = c.host, c.scheme?.hasPrefix("postgres") == true else {
            throw DomainError.badRequest("GUANXI_DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        var config = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
            database: String(c.path.dropFirst()).isEmpty ? nil : String(c.path.dropFirst()),
            tls: .disable)
        config.options.maximumConnections = Self.size
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.runner = runsItself ? Task { await client.run() } : nil
    }

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { c in
            busy.add(1, ordering: .relaxed)
            defer { busy.subtract(1, ordering: .relaxed) }
            return try await body(c.sql(queryLogLevel: nil))
        }
    }

    var usage: (inUse: Int, size: Int)? { (busy.load(ordering: .relaxed), Self.size) }

    var service: (any Service)? { runner == nil ? client : nil }

    func shutdown() { runner?.cancel() }
}
