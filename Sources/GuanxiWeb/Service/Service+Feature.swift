import GuanxiStore

extension Feature {
    /// The service desk: tickets and their conversation, statuses and SLA clocks on business
    /// calendars (lunch breaks, holidays, make-up working days).
    package static let service: Feature = {
        var f = Feature(name: "Service")
        f.migrations = [M010_Service.migration, M012_ServiceMail.migration]
        f.permissions = [.tickets]
        f.catalog = CatalogPart(ServiceCatalog.strings)
        f.schemas = { OpenAPIDocument.serviceSchemas() }
        f.api = { s, table in
            TicketAPI(tickets: s.tickets, settings: s.serviceSettings).register(table)
            MailAPI(intake: s.mailIntake).register(table)
        }
        f.services = { s, config, logger in
            [SLAWatch(monitor: SLAMonitor(db: s.db, clock: s.clock), notifications: s.notifications, clock: s.clock,
                      publicURL: s.publicURL, logger: logger)] + (MailWatch.make(s, config, logger).map { [$0] } ?? [])
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
