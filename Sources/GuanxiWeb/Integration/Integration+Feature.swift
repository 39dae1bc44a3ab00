import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Integration: signed outgoing webhooks (Standard Webhooks) of customer, lead, deal, quote,
    /// order and ticket events, written to an outbox in the transaction of the change and delivered
    /// with retries, per-record ordering, a dead-letter list and replay; their settings pages.
    package static let integration: Feature = {
        var f = Feature(name: "Integration")
        f.migrations = [M014_Webhooks.migration]
        f.catalog = CatalogPart(IntegrationCatalog.strings)
        f.translations = IntegrationCatalog.translations
        f.templates = WebhookTemplates.all
        f.stylesheet = WebhookTemplates.css
        // after my day (60), for those who manage the workspace
        f.navigation = [NavItem(label: "webhooks", href: WebhookURL.webhooks.path, position: 90, reads: .settings)]
        f.schemas = { OpenAPIDocument.integrationSchemas() }
        f.api = { s, table in WebhookAPI(webhooks: WebhookStore(db: s.db, clock: s.clock)).register(table) }
        f.pages = { pages, table in
            table.add(WebhookPages(pages: pages, webhooks: WebhookStore(db: pages.services.db, clock: pages.services.clock)).routes)
        }
        f.services = { s, _, logger in [WebhookWatch.make(s, logger)] }
        f.queues = { s, workspaceID in try await WebhookStore(db: s.db, clock: s.clock).queueDepths(workspaceID: workspaceID) }
        f.matrix = WebhookMatrix.samples
        f.matrixFixture = WebhookMatrix.fixture
        return f
    }()
}
