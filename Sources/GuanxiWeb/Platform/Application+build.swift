import Foundation
import Hummingbird
import HTTPTypes
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// Everything `serve` needs to know.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// How often neglected customers return to the public pool.
    public var poolRecycleInterval: Duration
    public init(host: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info, poolRecycleInterval: Duration = .seconds(3600)) {
        self.host = host; self.port = port; self.logLevel = logLevel; self.poolRecycleInterval = poolRecycleInterval
    }
}

/// The stores the web layer calls, built once from the database.
public struct AppServices: Sendable {
    public let db: Database
    public let access: AccessStore
    public let customers: CustomerStore
    public let timeline: TimelineStore
    public let customFields: CustomFieldStore
    public let imports: ImportJobStore
    public let idempotency: IdempotencyStore
    public let audit: AuditLog
    public let pool: PublicPool
    public let signIn: SignIn
    public let views: SavedViewStore
    public let leads: LeadStore
    public let assignmentRules: AssignmentRuleStore
    public let leadSources: LeadSourceStore
    public let deals: DealStore
    public let products: ProductStore
    public let quotes: QuoteStore
    public let orders: OrderStore
    public let reports: ReportStore
    public let targets: TargetStore
    public let tasks: TaskStore
    public let leadImporter: LeadImporter

    /// Outgoing mail (web-form double opt-in), and the address links in mail point at.
    public let mailer: SMTPMailer?
    public let publicURL: String?

    public init(db: Database, clock: any GuanxiCore.Clock = SystemClock(), mailer: SMTPMailer? = nil, publicURL: String? = nil) {
        self.db = db
        self.mailer = mailer
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        access = AccessStore(db: db, clock: clock)
        customers = CustomerStore(db: db, clock: clock)
        timeline = TimelineStore(db: db, clock: clock)
        customFields = CustomFieldStore(db: db)
        imports = ImportJobStore(db: db, clock: clock)
        idempotency = IdempotencyStore(db: db)
        audit = AuditLog(db: db)
        pool = PublicPool(db: db, clock: clock)
        signIn = SignIn(db: db, access: access, clock: clock)
        views = SavedViewStore(db: db)
        leads = LeadStore(db: db, clock: clock)
        assignmentRules = AssignmentRuleStore(db: db)
        leadSources = LeadSourceStore(db: db, leads: leads, mailer: mailer, clock: clock)
        deals = DealStore(db: db, clock: clock)
        products = ProductStore(db: db, clock: clock)
        orders = OrderStore(db: db, clock: clock)
        quotes = QuoteStore(db: db, orders: orders, clock: clock)
        reports = ReportStore(db: db, clock: clock)
        targets = TargetStore(db: db, clock: clock)
        tasks = TaskStore(db: db, leads: leads, clock: clock)
        leadImporter = LeadImporter(db: db, leads: leads, clock: clock)
    }
}

/// Builds the router (tests call this directly) from every feature and returns it with the route table.
public func buildRouter(_ services: AppServices) -> (Router<AppContext>, RouteTable) {
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
    for f in features { f.pages(pages, router) }
    return (router, table)
}

/// The whole application, as `guanxi serve` runs it: the database's own services first (started
/// first, stopped last), then every feature's, then the HTTP server, which runs `beforeStart` before
/// it listens.
public func buildApplication(_ config: AppConfiguration, services: AppServices,
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
