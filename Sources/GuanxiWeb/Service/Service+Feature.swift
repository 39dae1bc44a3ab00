import GuanxiStore

extension Feature {
    /// The service desk: tickets and their conversation, statuses and SLA clocks on business
    /// calendars (lunch breaks, holidays, make-up working days).
    package static let service: Feature = {
        var f = Feature(name: "Service")
        f.migrations = [M010_Service.migration]
        f.permissions = [.tickets]
        f.catalog = CatalogPart(ServiceCatalog.strings)
        f.schemas = { OpenAPIDocument.serviceSchemas() }
        f.api = { s, table in TicketAPI(tickets: s.tickets, settings: s.serviceSettings).register(table) }
        f.services = { s, _, logger in
            [SLAWatch(monitor: SLAMonitor(db: s.db, clock: s.clock), notifications: s.notifications, clock: s.clock,
                      publicURL: s.publicURL, logger: logger)]
        }
        f.matrix = ServiceMatrix.samples
        f.matrixFixture = ServiceMatrix.fixture
        return f
    }()
}

/// The service desk's words on pages.
enum ServiceCatalog {
    static let strings: [UILocale: [String: String]] = [
        .zhHans: ["event_ticket": "服务工单"],
        .zhHant: ["event_ticket": "服務工單"],
        .en: ["event_ticket": "Service ticket"],
    ]
}
