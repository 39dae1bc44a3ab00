import Foundation
import Synchronization
import Hummingbird
import HTTPTypes
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Builds the router (tests call this directly) from every feature and returns it with the route table.
package func buildRouter(_ services: AppServices) -> (Router<AppContext>, RouteTable) {
    let (router, table, _) = buildRouterAndPages(services)
    return (router, table)
}

/// The router with both route tables, the API's and the pages'.
package func buildRouterAndPages(_ services: AppServices) -> (Router<AppContext>, RouteTable, PageTable) {
    let features = Features.all
    var withFeatures = services
    withFeatures.migrations = Features.migrations
    withFeatures.queueSources = features.compactMap(\.queues)
    withFeatures.customerFields = features.flatMap(\.customerFields)
    let services = withFeatures
    let router = Router(context: AppContext.self)
    // Outermost first: the request id, counts and log line see every answer; security headers also
    // go on the answers ErrorMiddleware makes from errors.
    router.add(middleware: RequestObserver(metrics: services.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    // outside ErrorMiddleware, so that an answer made from an error also says where the write got to
    router.add(middleware: ReadAfterWriteMiddleware(db: services.db))
    router.add(middleware: ErrorMiddleware<AppContext>())
    let api = router.group("api/v1").add(middleware: AuthMiddleware(access: services.access, signIn: services.signIn))
    let table = RouteTable(group: api, idempotency: services.idempotency)
    for f in features { f.api(services, table) }
    table.refuseOtherMethods()

    var schemas = features.reduce(into: [String: Any]()) { all, f in all.merge(f.schemas()) { first, _ in first } }
    // the fields features add to a customer's answer are properties of its schema
    if var customer = schemas["Customer"] as? [String: Any], var props = customer["properties"] as? [String: Any] {
        for field in services.customerFields { props[field.name] = field.schema() }
        customer["properties"] = props
        schemas["Customer"] = customer
    }
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
/// first, stopped last), then every feature's, then the HTTP server, which runs `beforeStart` (the
/// schema check, which migrates a new SQLite database) before it listens. The features' services
/// wait for `beforeStart` to finish: on a new database their first pass found no tables.
package func buildApplication(_ config: AppConfiguration, services: AppServices,
                             beforeStart: @escaping @Sendable () async throws -> Void = {}) -> some ApplicationProtocol {
    var logger = Logger(label: "guanxi")
    logger.logLevel = config.logLevel
    let (router, _) = buildRouter(services)
    let started = Started()
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Guanxi"),
        services: services.db.services + Features.all.flatMap { $0.services(services, config, logger) }.map { AfterStart(started: started, service: $0) },
        logger: logger)
    app.beforeServerStarts {
        try await beforeStart()
        started.done.store(true, ordering: .releasing)
    }
    return app
}

/// Whether the server's checks before listening have passed.
private final class Started: Sendable {
    let done = Atomic<Bool>(false)
}

/// A feature's service, run once the checks before listening have passed (a shutdown or a failed
/// check meanwhile ends it without running).
private struct AfterStart: Service, CustomStringConvertible {
    let started: Started
    let service: any Service
    var description: String { String(describing: type(of: service)) }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !started.done.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(20)) }
            }
        } catch { return }
        try await service.run()
    }
}

