import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The service desk: tickets and their conversation, statuses and SLA clocks on business
    /// calendars (lunch breaks, holidays, make-up working days); routing rules and hand-offs across
    /// departments (chains, child tasks, approvals); canned replies, @mentions in notes, collision
    /// notices and bulk changes from the queue; product issues (feedback and defects grouped for
    /// product, pushed to a tracker); the queue, ticket, routing, canned-reply and product-issue pages.
    package static let service: Feature = {
        var f = Feature(name: "Service")
        f.migrations = [M010_Service.migration, M012_ServiceMail.migration, M013_ServiceRouting.migration, M015_ServiceReports.migration, M016_ServiceSurveys.migration,
                        M017_TicketAttachments.migration, M018_ServiceSearch.migration, M019_ServiceConversation.migration, M020_ProductIssues.migration,
                        M024_ServiceSearchQueue.migration]
        f.permissions = [.tickets]
        f.catalog = CatalogPart(ServiceCatalog.strings.merging(SurveyTemplates.strings) { a, b in a.merging(b) { x, _ in x } }
            .merging(ConversationCatalog.strings) { a, b in a.merging(b) { x, _ in x } }
            .merging(ProductIssueTemplates.strings) { a, b in a.merging(b) { x, _ in x } })
        f.translations = ServiceCatalog.translations + SurveyTemplates.translations + ConversationCatalog.translations + ProductIssueTemplates.translations
        f.templates = TicketTemplates.all.merging(["survey": SurveyTemplates.survey, "survey_panel": SurveyTemplates.panel]) { a, _ in a }
            .merging(ProductIssueTemplates.all) { a, _ in a }
        f.stylesheet = TicketTemplates.css + ProductIssueTemplates.css
        // between deals (30) and orders (40)
        f.navigation = [NavItem(label: "service", href: TicketURL.tickets.path, position: 35, reads: .tickets)]
        f.schemas = { OpenAPIDocument.serviceSchemas().merging(OpenAPIDocument.routingSchemas()) { a, _ in a }
            .merging(OpenAPIDocument.conversationSchemas()) { a, _ in a }.merging(OpenAPIDocument.productIssueSchemas()) { a, _ in a } }
        f.api = { s, table in
            TicketAPI(tickets: s.tickets, settings: s.serviceSettings, surveys: s.surveys).register(table)
            MailAPI(intake: s.mailIntake).register(table)
            ServiceReportAPI(services: s).register(table)
            RoutingAPI(routing: s.routing, steps: s.ticketSteps).register(table)
            ConversationAPI(conversation: s.conversation, tickets: s.tickets).register(table)
            ProductIssueAPI(issues: s.productIssues).register(table)
        }
        f.queues = { s, workspaceID in
            try await s.tickets.mailQueueDepths(workspaceID: workspaceID) + [QueueDepth(name: "search_index", depth: try await s.tickets.searchQueueDepth(workspaceID: workspaceID))]
        }
        f.services = { s, config, logger in
            [SLAWatch(db: s.db, monitor: SLAMonitor(db: s.db, clock: s.clock), outbox: s.mailOutbox, clock: s.clock, logger: logger, metrics: s.metrics),
             AttachmentSweep(db: s.db, tickets: s.tickets, logger: logger), SearchIndexWatch(db: s.db, logger: logger, metrics: s.metrics)] + (MailWatch.make(s, config, logger).map { [$0] } ?? [])
        }
        f.dashboard = { pages, scope, v in try await ServiceDashboardPart.blocks(pages, scope, v) }
        f.recordPages = ["tickets": { TicketURL.ticket($0).path }]
        f.customerPart = { pages, scope, id, v in try await TicketPages.customerPart(pages, scope, customerID: id, v) }
        f.pages = { pages, table in table.add(TicketPages(pages: pages).routes + ServiceReportPages(pages: pages).routes + RoutingPages(pages: pages).routes + SurveyPages(pages: pages).routes
                                            + CannedReplyPages(pages: pages).routes + ProductIssuePages(pages: pages).routes) }
        f.matrix = ServiceMatrix.samples.merging(ProductIssueMatrix.samples) { a, _ in a }
        f.matrixFixture = { s in
            let made = try await ServiceMatrix.fixture(s)
            return made.merging(try await ProductIssueMatrix.fixture(s, ticket: made["ticket"])) { a, _ in a }
        }
        return f
    }()
}
