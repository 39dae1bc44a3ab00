import Foundation
import Hummingbird
import HTTPTypes
import Synchronization
import GuanxiCore
import GuanxiStore

/// This build of Guanxi (`guanxi --version`, the status page, `guanxi_build_info`).
package enum GuanxiVersion {
    package static let current = "0.1.0"
}

/// What the status page and `GET /api/v1/status` show administrators: the build, the schema, the
/// database, the last backup, the queues, the background jobs and the last server errors.
package struct StatusReport: Sendable, Encodable {
    package struct Schema: Sendable, Encodable { var current: Int; var latest: Int }
    package struct DatabaseInfo: Sendable, Encodable {
        var kind: String
        var sizeBytes: Int64?
        var walBytes: Int64?
        enum CodingKeys: String, CodingKey { case kind, sizeBytes = "size_bytes", walBytes = "wal_bytes" }
    }
    package struct Backup: Sendable, Encodable {
        var takenAt: Date; var kind: String; var location: String?; var sizeBytes: Int64?
        enum CodingKeys: String, CodingKey { case takenAt = "taken_at", kind, location, sizeBytes = "size_bytes" }
    }
    package struct Job: Sendable, Encodable {
        var name: String; var runs: Int; var failures: Int; var lastRunAt: Date?; var lastFailureAt: Date?
        enum CodingKeys: String, CodingKey { case name, runs, failures, lastRunAt = "last_run_at", lastFailureAt = "last_failure_at" }
    }

    package var version: String
    package var startedAt: Date
    package var schema: Schema
    package var database: DatabaseInfo
    package var lastBackup: Backup?
    package var queues: [QueueDepth]
    package var jobs: [Job]
    package var recentErrors: [ServerMetrics.RecentError]

    enum CodingKeys: String, CodingKey {
        case version, startedAt = "started_at", schema, database, lastBackup = "last_backup", queues, jobs, recentErrors = "recent_errors"
    }

    /// The report for `scope`'s administrators: queues and errors of their workspace (errors of
    /// requests nobody signed in to only for server administrators), the rest the server's.
    package static func make(_ s: AppServices, _ scope: Scope) async throws -> StatusReport {
        let schema = try await Migrator(db: s.db, migrations: s.migrations).status()
        let backup = try await BackupLog(db: s.db).latest(limit: 1, writtenOnly: true).first
        return StatusReport(
            version: GuanxiVersion.current, startedAt: s.metrics.started,
            schema: Schema(current: schema.current, latest: schema.latest),
            database: DatabaseInfo(kind: s.db.dialect.rawValue, sizeBytes: try await s.db.sizeBytes(), walBytes: s.db.walBytes),
            lastBackup: backup.map { Backup(takenAt: $0.finishedAt, kind: s.db.dialect.rawValue, location: $0.file, sizeBytes: $0.bytes) },
            queues: try await s.queueDepths(workspaceID: scope.workspaceID),
            jobs: s.metrics.jobCounts.map { Job(name: $0.name, runs: $0.counts.runs, failures: $0.counts.failures,
                                                 lastRunAt: $0.counts.lastRun, lastFailureAt: $0.counts.lastFailure) },
            recentErrors: s.metrics.recentErrors(workspaceID: scope.workspaceID, includingAnonymous: scope.serverAdmin))
    }
}

/// `GET /api/v1/status` (administrators: settings read) and `GET /metrics` (Prometheus).
struct StatusAPI {
    let services: AppServices

    func register(_ t: RouteTable) {
        t.on(APIRoute(method: .get, path: "/status", operationID: "getStatus",
                      summary: "The server's state for administrators: version, schema, database size, last backup, queue depths, background jobs, recent server errors",
                      tag: "Platform", needs: .can(.read, .settings), responseSchema: "Status")) { _, _, scope in
            .json(try await StatusReport.make(services, scope))
        }
    }
}

/// `GET /metrics`: the Prometheus text format. Open without a token to callers on the loopback
/// interface that came through no proxy (no `Forwarded`, `X-Forwarded-For` or `X-Real-IP`);
/// anyone else sends an API token whose holder may read workspace settings (owners and
/// administrators, or a custom role granted it).
package enum MetricsEndpoint {
    package static func answer(_ request: Request, _ context: AppContext, _ s: AppServices) async throws -> Response {
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else { throw DomainError.unauthorized("send an API token as 'Authorization: Bearer …'") }
            let token = String(header.dropFirst(7)).trimmed()
            guard token.count < 200, let scope = try await s.access.authenticate(token: token) else {
                throw DomainError.unauthorized("the API token is invalid, expired or revoked")
            }
            try scope.require(.settings, .read)
        } else if !isLocal(address: context.address, headers: request.headers) {
            throw DomainError.unauthorized("send an API token as 'Authorization: Bearer …' to read the metrics from another host")
        }
        var h = HTTPFields()
        h[.contentType] = Exposition.contentType
        h[.cacheControl] = "no-store"
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: try await render(s))))
    }

    /// On the loopback interface and not relayed by a proxy on this host.
    static func isLocal(address a: String, headers: HTTPFields) -> Bool {
        let relayed = ["Forwarded", "X-Forwarded-For", "X-Real-IP"].contains { headers[HTTPField.Name($0)!] != nil }
        return !relayed && (a == "::1" || a.hasPrefix("127.") || a.hasPrefix("::ffff:127."))
    }

    /// Every family, the gauges read now.
    package static func render(_ s: AppServices) async throws -> String {
        var out = Exposition()
        out.family("guanxi_build_info", "gauge", "The running build (always 1).")
        out.sample("guanxi_build_info", [("version", GuanxiVersion.current), ("database", s.db.dialect.rawValue)], 1)
        let schema = try await Migrator(db: s.db, migrations: s.migrations).status()
        out.family("guanxi_schema_version", "gauge", "Schema version of the database (applied) and of this build (known).")
        out.sample("guanxi_schema_version", [("state", "applied")], Double(schema.current))
        out.sample("guanxi_schema_version", [("state", "known")], Double(schema.latest))
        s.metrics.write(to: &out)
        out.family("guanxi_db_connections", "gauge", "Database connections by pool and state.")
        for p in s.db.pools {
            out.sample("guanxi_db_connections", [("pool", p.pool), ("state", "in_use")], Double(p.inUse))
            out.sample("guanxi_db_connections", [("pool", p.pool), ("state", "idle")], Double(p.idle))
        }
        out.family("guanxi_db_writer_waiting", "gauge", "Writes waiting for the SQLite writer.")
        for p in s.db.pools { if let w = p.waiting { out.sample("guanxi_db_writer_waiting", [], Double(w)) } }
        out.family("guanxi_db_write_wait_seconds", "histogram", "Time a write waited for the writer (SQLite's writer lock, a PostgreSQL connection).")
        out.histogram("guanxi_db_write_wait_seconds", [], s.db.stats.writeWait)
        if let wal = s.db.walBytes {
            out.family("guanxi_db_wal_bytes", "gauge", "Size of SQLite's write-ahead log.")
            out.sample("guanxi_db_wal_bytes", [], Double(wal))
        }
        if s.db.dialect == .sqlite, let size = try await s.db.sizeBytes() {
            out.family("guanxi_db_size_bytes", "gauge", "Size of the SQLite database with its log.")
            out.sample("guanxi_db_size_bytes", [], Double(size))
        }
        out.family("guanxi_queue_depth", "gauge", "Work waiting in each queue, over every workspace (ingest: group commits waiting for the writer).")
        for q in try await s.queueDepths(workspaceID: nil) { out.sample("guanxi_queue_depth", [("queue", q.name)], Double(q.depth)) }
        out.family("guanxi_sign_in_failures_total", "counter", "Sign-ins refused: wrong email, password or code, locked accounts, rate-limited addresses.")
        out.sample("guanxi_sign_in_failures_total", [], Double(s.db.stats.failedSignIns.load(ordering: .relaxed)))
        out.family("guanxi_process_start_time_seconds", "gauge", "When the server started (Unix seconds).")
        out.sample("guanxi_process_start_time_seconds", [], s.metrics.started.timeIntervalSince1970)
        return out.text
    }
}
