import GuanxiStore
import Synchronization

extension Feature {
    /// What every capability shares: the foundation schema, the layouts and sign-in pages, the
    /// stylesheet's base, the common words and messages, money and the error body, housekeeping.
    package static let platform: Feature = {
        var f = Feature(name: "Platform")
        f.migrations = [M001_Foundation.migration, M011_Notifications.migration, M021_Backups.migration, M023_KeysAndImportRecovery.migration,
                        M027_SeededNames.migration]
        f.catalog = CatalogPart(Catalog.core.merging(StatusPage.strings) { a, b in a.merging(b) { x, _ in x } })
        f.translations = Messages.translations
        f.templates = Templates.ofPlatform.merging(["status": StatusPage.template, "dashboard": Pages.dashboardTemplate]) { a, _ in a }.merging(ListView.templates) { a, _ in a }
        f.stylesheet = Assets.css + StatusPage.css + Pages.dashboardCSS
        f.schemas = { OpenAPIDocument.platformSchemas().merging(OpenAPIDocument.notificationSchemas()) { a, _ in a } }
        f.api = { s, table in
            NotificationAPI(notifications: s.notifications).register(table)
            StatusAPI(services: s).register(table)
        }
        // group commits waiting for the writer (lead captures, new tickets, single orders): the server's, in memory
        f.queues = { s, _ in [QueueDepth(name: "ingest", depth: s.db.stats.queued.load(ordering: .relaxed))] }
        f.matrix = [
            "getStatus": MatrixSample("/api/v1/status"),
            "listNotifications": MatrixSample("/api/v1/notifications"),
            "markNotificationsRead": MatrixSample("/api/v1/notifications/read", body: "{}"),
        ]
        f.pages = { pages, table in table.add(pages.platformRoutes) }
        f.services = { services, config, logger in
            [Housekeeping(db: services.db, pool: services.pool, interval: config.poolRecycleInterval, logger: logger, metrics: services.metrics)]
                + (config.backups.map { [ScheduledBackups(db: services.db, schedule: $0, logger: logger)] } ?? [])
        }
        return f
    }()
}
