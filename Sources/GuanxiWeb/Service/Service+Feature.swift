import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The service desk: tickets and their conversation, statuses and SLA clocks on business
    /// calendars (lunch breaks, holidays, make-up working days); the queue and ticket pages.
    package static let service: Feature = {
        var f = Feature(name: "Service")
        f.migrations = [M010_Service.migration, M012_ServiceMail.migration]
        f.permissions = [.tickets]
        f.catalog = CatalogPart(ServiceCatalog.strings)
        f.translations = ServiceCatalog.translations
        f.templates = TicketTemplates.all
        f.stylesheet = TicketTemplates.css
        // between deals (30) and orders (40)
        f.navigation = [NavItem(label: "service", href: TicketURL.tickets.path, position: 35, reads: .tickets)]
        f.schemas = { OpenAPIDocument.serviceSchemas() }
        f.api = { s, table in
            TicketAPI(tickets: s.tickets, settings: s.serviceSettings).register(table)
            MailAPI(intake: s.mailIntake).register(table)
        }
        f.services = { s, config, logger in
            [SLAWatch(monitor: SLAMonitor(db: s.db, clock: s.clock), notifications: s.notifications, clock: s.clock,
                      publicURL: s.publicURL, logger: logger)] + (MailWatch.make(s, config, logger).map { [$0] } ?? [])
        }
        f.customerPart = { pages, scope, id, v in try await TicketPages.customerPart(pages, scope, customerID: id, v) }
        f.pages = { pages, table in table.add(TicketPages(pages: pages).routes) }
        f.matrix = ServiceMatrix.samples
        f.matrixFixture = ServiceMatrix.fixture
        return f
    }()
}
