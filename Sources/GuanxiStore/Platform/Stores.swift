import GuanxiCore

/// Every store, built once from the database, the clock and the outgoing mailer, in dependency
/// order: each store is handed the clock and the other stores it uses, and builds none itself.
/// The server (`AppServices`), the CLI and the tests take their stores from here.
package struct Stores: Sendable {
    package let db: Database
    package let clock: any GuanxiCore.Clock
    /// Outgoing mail (web-form double opt-in, notifications, replies to customers); nil when none is configured.
    package let mailer: SMTPMailer?

    package let access: AccessStore
    package let signIn: SignIn
    package let customers: CustomerStore
    package let timeline: TimelineStore
    package let customFields: CustomFieldStore
    package let views: SavedViewStore
    package let pool: PublicPool
    package let audit: AuditLog
    package let idempotency: IdempotencyStore
    package let customerImporter: CustomerImporter
    package let imports: ImportJobStore
    package let deals: DealStore
    package let leads: LeadStore
    package let assignmentRules: AssignmentRuleStore
    package let leadSources: LeadSourceStore
    package let leadImporter: LeadImporter
    package let tasks: TaskStore
    package let products: ProductStore
    package let orders: OrderStore
    package let stock: StockStore
    package let quotes: QuoteStore
    package let reports: ReportStore
    package let targets: TargetStore
    package let tickets: TicketStore
    package let serviceReports: ServiceReportStore
    package let notifications: NotificationStore
    package let serviceSettings: ServiceSettingsStore
    /// Replies to customers by mail; nil without an outgoing mailer.
    package let mailOutbox: MailOutbox?
    package let mailIntake: MailIntake
    package let routing: RoutingStore
    package let ticketSteps: TicketStepStore
    package let surveys: SurveyStore
    package let conversation: ConversationStore
    package let productIssues: ProductIssueStore
    package let orderHistory: OrderHistoryImporter
    package let scores: ScoreStore
    package let credit: CreditStore
    package let exports: RecordExporter
    package let portal: PortalStore
    package let knowledge: KnowledgeStore
    package let calls: CallStore

    /// Where ticket attachments' bytes are kept.
    package let files: AttachmentFiles

    /// `publicURL`: where links in mail to customers point (a survey's); `files`: where attachments
    /// are kept (beside a SQLite database unless given).
    package init(db: Database, clock: any GuanxiCore.Clock, mailer: SMTPMailer? = nil, publicURL: String? = nil, files: AttachmentFiles? = nil) {
        self.db = db; self.clock = clock; self.mailer = mailer
        let files = files ?? AttachmentFiles.beside(db.location)
        self.files = files
        // what stands alone first, then what uses it
        access = AccessStore(db: db, clock: clock)
        signIn = SignIn(db: db, clock: clock, access: access, mailer: mailer)
        customers = CustomerStore(db: db, clock: clock)
        timeline = TimelineStore(db: db, clock: clock)
        customFields = CustomFieldStore(db: db, clock: clock)
        views = SavedViewStore(db: db)
        pool = PublicPool(db: db, clock: clock)
        audit = AuditLog(db: db)
        idempotency = IdempotencyStore(db: db)
        customerImporter = CustomerImporter(db: db, clock: clock, customers: customers)
        imports = ImportJobStore(db: db, importer: customerImporter, access: access)
        deals = DealStore(db: db, clock: clock, access: access)
        leads = LeadStore(db: db, clock: clock, customers: customers, deals: deals)
        assignmentRules = AssignmentRuleStore(db: db, clock: clock)
        leadSources = LeadSourceStore(db: db, clock: clock, leads: leads, mailer: mailer)
        leadImporter = LeadImporter(db: db, clock: clock, leads: leads)
        tasks = TaskStore(db: db, clock: clock, leads: leads)
        products = ProductStore(db: db, clock: clock)
        orders = OrderStore(db: db, clock: clock, customers: customers)
        stock = StockStore(db: db, clock: clock)
        quotes = QuoteStore(db: db, clock: clock, orders: orders)
        reports = ReportStore(db: db, clock: clock)
        targets = TargetStore(db: db, clock: clock, access: access)
        mailOutbox = mailer.map { MailOutbox(db: db, clock: clock, mailer: $0, domain: $0.messageDomain, publicURL: publicURL, files: files) }
        tickets = TicketStore(db: db, clock: clock, outbox: mailOutbox, files: files)
        serviceReports = ServiceReportStore(db: db)
        mailIntake = MailIntake(db: db, clock: clock, customers: customers, files: files)
        notifications = NotificationStore(db: db, clock: clock, mailer: mailer)
        serviceSettings = ServiceSettingsStore(db: db, clock: clock)
        routing = RoutingStore(db: db, clock: clock)
        ticketSteps = TicketStepStore(db: db, clock: clock, outbox: mailOutbox)
        surveys = SurveyStore(db: db, clock: clock)
        conversation = ConversationStore(db: db, clock: clock)
        productIssues = ProductIssueStore(db: db, clock: clock, outbox: mailOutbox)
        orderHistory = OrderHistoryImporter(db: db, clock: clock, customers: customers)
        scores = ScoreStore(db: db, clock: clock)
        credit = CreditStore(db: db, clock: clock)
        exports = RecordExporter(db: db, clock: clock)
        knowledge = KnowledgeStore(db: db, clock: clock)
        calls = CallStore(db: db, clock: clock, tasks: tasks)
        portal = PortalStore(db: db, clock: clock, mailer: mailer, customers: customers, tickets: tickets, quotes: quotes, surveys: surveys)
    }
}
