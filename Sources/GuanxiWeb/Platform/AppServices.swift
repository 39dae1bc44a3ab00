import Foundation
import Synchronization
import Hummingbird
import HTTPTypes
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// Everything `serve` needs to know.
package struct AppConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var logLevel: Logger.Level
    /// How often neglected customers return to the public pool.
    package var poolRecycleInterval: Duration
    /// The service desk's mailbox (`GUANXI_IMAP_URL`) and the slug of the workspace its mail is filed in (`GUANXI_IMAP_WORKSPACE`).
    package var mailbox: IMAPMailbox?
    package var mailboxWorkspace: String
    /// How often the mailbox is read.
    package var mailPollInterval: Duration
    /// Backups the server writes by itself (`GUANXI_BACKUP_DIR`), if any.
    package var backups: BackupSchedule?
    package init(host: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info, poolRecycleInterval: Duration = .seconds(3600),
                 mailbox: IMAPMailbox? = nil, mailboxWorkspace: String = AccessStore.defaultWorkspaceSlug, mailPollInterval: Duration = .seconds(30),
                 backups: BackupSchedule? = nil) {
        self.host = host; self.port = port; self.logLevel = logLevel; self.poolRecycleInterval = poolRecycleInterval
        self.mailbox = mailbox; self.mailboxWorkspace = mailboxWorkspace; self.mailPollInterval = mailPollInterval
        self.backups = backups
    }
}

/// The stores the web layer calls (built once, by `Stores`), the clock they were given, and the
/// server's mail settings.
@dynamicMemberLookup
package struct AppServices: Sendable {
    package let stores: Stores

    /// Every store by its name in `Stores` (`services.customers`, `services.leads`, …): one list, not two.
    package subscript<T>(dynamicMember path: KeyPath<Stores, T>) -> T { stores[keyPath: path] }

    /// The address links in outgoing mail point at.
    package let publicURL: String?

    /// The server's own counts (`/metrics`, the status page).
    package let metrics: ServerMetrics
    /// Every feature's migrations and queues, set by `buildRouter` from the feature list (the
    /// status page and `/metrics` report on the whole application).
    package var migrations: [Migration] = []
    package var queueSources: [@Sendable (AppServices, _ workspaceID: String?) async throws -> [QueueDepth]] = []
    /// Every feature's fields on a customer's API answer, set by `buildRouter`.
    package var customerFields: [CustomerField] = []
    /// What a feature keeps for as long as these services live (the calls' screen-pop hub), made on first use.
    package let kept = Kept()

    /// The fields features add to a customer's answer for this viewer (the customer is already
    /// known to be visible to them), as JSON members to append.
    package func customerExtras(_ scope: Scope, customerID: String) async throws -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for f in customerFields { if let v = try await f.value(self, scope, customerID) { out.append((f.name, v)) } }
        return out
    }

    /// Every queue's depth, of one workspace or (nil) the whole server.
    package func queueDepths(workspaceID: String?) async throws -> [QueueDepth] {
        var out: [QueueDepth] = []
        for source in queueSources { out += try await source(self, workspaceID) }
        return out
    }

    /// `files`: where ticket attachments are kept (beside a SQLite database unless given).
    package init(db: Database, clock: any GuanxiCore.Clock = SystemClock(), mailer: SMTPMailer? = nil, publicURL: String? = nil,
                 files: AttachmentFiles? = nil, metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        var mailer = mailer
        if let host = publicURL.flatMap({ URLComponents(string: $0)?.host }), !host.isEmpty { mailer?.messageDomain = host }
        let publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        stores = Stores(db: db, clock: clock, mailer: mailer, publicURL: publicURL, files: files)
        self.publicURL = publicURL
    }
}

/// One object of each type, made on first use and kept (per `AppServices`, so per server: tests that
/// start two servers on one database get two).
package final class Kept: Sendable {
    private let objects = Mutex<[ObjectIdentifier: any Sendable]>([:])
    package init() {}
    package func get<T: Sendable>(_ type: T.Type = T.self, _ make: () -> T) -> T {
        objects.withLock { all in
            if let found = all[ObjectIdentifier(type)] as? T { return found }
            let made = make()
            all[ObjectIdentifier(type)] = made
            return made
        }
    }
}

/// Hourly housekeeping (first run a minute after start): refreshes the query planner's statistics
/// and returns neglected customers to the public pool.
package struct Housekeeping: Service {
    package let db: Database
    package let pool: PublicPool
    package let interval: Duration
    package let logger: Logger
    package var metrics: ServerMetrics? = nil

    package func run() async throws {
        var wait = min(interval, .seconds(60))
        while !Task.isShuttingDownGracefully {
            let pause = wait
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            wait = interval
            // one server of several does it (the others find the lock taken and skip the round)
            let ran = try? await db.once("housekeeping") { [db, pool, logger] in
                var ok = true
                do { try await db.refreshStatistics() } catch { ok = false; logger.error("refreshing planner statistics failed: \(error)") }
                do {
                    let moved = try await pool.recycle()
                    let total = moved.values.reduce(0, +)
                    if total > 0 { logger.info("public pool: \(total) neglected customers returned", metadata: ["by_workspace": "\(moved)"]) }
                } catch {
                    ok = false
                    logger.error("public pool recycling failed: \(error)")
                }
                return ok
            }
            if let ok = ran { metrics?.jobRan("housekeeping", ok: ok) }   // nil: another server had the round
        }
    }
}

/// Headers every answer carries.
package struct SecurityHeadersMiddleware: RouterMiddleware {
    package init() {}
    package typealias Context = AppContext
    package func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var r = try await next(request, context)
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        // public lead forms are made to be embedded in the company's own site; nothing else may be framed
        let framing = request.uri.path.hasPrefix("/f/") ? "*" : "'none'"
        // a download sets its own, stricter policy (`sandbox`)
        let csp = HTTPField.Name("Content-Security-Policy")!
        if r.headers[csp] == nil { r.headers[csp] = "default-src 'self'; frame-ancestors \(framing)" }
        // over HTTPS, browsers are asked to keep to it for a year (never over plain HTTP: the site may have no TLS)
        if AuthMiddleware.overTLS(request) { r.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains" }
        // every "too many" answer says when to come back: at the latest when the longest limit has passed
        if r.status == .tooManyRequests, r.headers[.retryAfter] == nil { r.headers[.retryAfter] = String(DomainError.retryAfterSeconds) }
        return r
    }
}
