import GuanxiStore

extension Feature {
    /// What every capability shares: the foundation schema, the layouts and sign-in pages, the
    /// stylesheet's base, the common words and messages, money and the error body, housekeeping.
    package static let platform: Feature = {
        var f = Feature(name: "Platform")
        f.migrations = [M001_Foundation.migration, M011_Notifications.migration, M021_Backups.migration]
        f.catalog = CatalogPart(Catalog.core)
        f.translations = Messages.translations
        f.templates = Templates.ofPlatform
        f.stylesheet = Assets.css
        f.schemas = { OpenAPIDocument.platformSchemas().merging(OpenAPIDocument.notificationSchemas()) { a, _ in a } }
        f.api = { s, table in NotificationAPI(notifications: s.notifications).register(table) }
        f.matrix = [
            "listNotifications": MatrixSample("/api/v1/notifications"),
            "markNotificationsRead": MatrixSample("/api/v1/notifications/read", body: "{}"),
        ]
        f.pages = { pages, table in table.add(pages.platformRoutes) }
        f.services = { services, config, logger in
            [Housekeeping(db: services.db, pool: services.pool, interval: config.poolRecycleInterval, logger: logger)]
                + (config.backups.map { [ScheduledBackups(db: services.db, schedule: $0, logger: logger)] } ?? [])
        }
        return f
    }()
}
