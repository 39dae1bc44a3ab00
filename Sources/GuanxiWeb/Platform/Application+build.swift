import Foundation
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
    package init(host: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info, poolRecycleInterval: Duration = .seconds(3600),
                 mailbox: IMAPMailbox? = nil, mailboxWorkspace: String = AccessStore.defaultWorkspaceSlug, mailPollInterval: Duration = .seconds(30)) {
        self.host = host; self.port = port; self.logLevel = logLevel; self.poolRecycleInterval = poolRecycleInterval
        self.mailbox = mailbox; self.mailboxWorkspace = mailboxWorkspace; self.mailPollInterval = mailPollInterval
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

    package init(db: Database, clock: any GuanxiCore.Clock = SystemClock(), mailer: SMTPMailer? = nil, publicURL: String? = nil) {
        var mailer = mailer
        if let host = publicURL.flatMap({ URLComponents(string: $0)?.host }), !host.isEmpty { mailer?.messageDomain = host }
        stores = Stores(db: db, clock: clock, mailer: mailer)
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }
}

/// Builds the router (tests call this directly) from every feature and returns it with the route table.
package func buildRouter(_ services: AppServices) -> (Router<AppContext>, RouteTable) {
    let (router, table, _) = buildRouterAndPages(services)
    return (router, table)
}

/// The router with both route tables, the API's and the pages'.
package func buildRouterAndPages(_ services: AppServices) -> (Router<AppContext>, RouteTable, PageTable) {
    let features = Features.all
    let router = Router(context: AppContext.self)
    // Outermost first: security headers also go on the answers ErrorMiddleware makes from errors.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware<AppContext>())
    let api = router.group("api/v1").add(middleware: AuthMiddleware(access: services.access, signIn: services.signIn))
    let table = RouteTable(group: api, idempotency: services.idempotency)
    for f in features { f.api(services, table) }

    let schemas = features.reduce(into: [String: Any]()) { all, f in all.merge(f.schemas()) { first, _ in first } }
    let openAPI = OpenAPIDocument.build(routes: table.routes, schemas: schemas)
    router.get("/api/openapi.json") { _, _ in
        APIResponse(status: .ok, body: openAPI, headers: [:]).response
    }
    router.get("/health") { _, _ -> Response in
        let status = try await Features.migrator(services.db).status()
        struct Health: Encodable { var status: String; var database: String; var schemaVersion: Int; var schemaLatest: Int
            enum CodingKeys: String, CodingKey { case status, database, schemaVersion = "schema_version", schemaLatest = "schema_latest" } }
        let ok = status.current == status.latest
        return APIResponse.json(Health(status: ok ? "ok" : "schema_mismatch", database: services.db.dialect.rawValue,
                                       schemaVersion: status.current, schemaLatest: status.latest),
                                status: ok ? .ok : .serviceUnavailable).response
    }
    let pages = Pages(services: services, features: features)
    let pageTable = PageTable(router: router, pages: pages)
    for f in features { f.pages(pages, pageTable) }
    return (router, table, pageTable)
}

/// The whole application, as `guanxi serve` runs it: the database's own services first (started
/// first, stopped last), then every feature's, then the HTTP server, which runs `beforeStart` before
/// it listens.
package func buildApplication(_ config: AppConfiguration, services: AppServices,
                             beforeStart: @escaping @Sendable () async throws -> Void = {}) -> some ApplicationProtocol {
    var logger = Logger(label: "guanxi")
    logger.logLevel = config.logLevel
    let (router, _) = buildRouter(services)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Guanxi"),
        services: services.db.services + Features.all.flatMap { $0.services(services, config, logger) },
        logger: logger)
    app.beforeServerStarts(perform: beforeStart)
    return app
}

/// Hourly housekeeping (first run a minute after start): refreshes the query planner's statistics
/// and returns neglected customers to the public pool.
struct Housekeeping: Service {
    let db: Database
    let pool: PublicPool
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var wait = min(interval, .seconds(60))
        while !Task.isShuttingDownGracefully {
            let pause = wait
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            wait = interval
            do { try await db.refreshStatistics() } catch { logger.error("refreshing planner statistics failed: \(error)") }
            do {
                let moved = try await pool.recycle()
                let total = moved.values.reduce(0, +)
                if total > 0 { logger.info("public pool: \(total) neglected customers returned", metadata: ["by_workspace": "\(moved)"]) }
            } catch {
                logger.error("public pool recycling failed: \(error)")
            }
        }
    }
}

/// Headers every answer carries.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var r = try await next(request, context)
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        // public lead forms are made to be embedded in the company's own site; nothing else may be framed
        let framing = request.uri.path.hasPrefix("/f/") ? "*" : "'none'"
        r.headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; frame-ancestors \(framing)"
        return r
    }
}
