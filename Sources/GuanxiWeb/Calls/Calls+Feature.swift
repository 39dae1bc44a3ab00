import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The call centre: a signed webhook for the telephone system's call events, calls matched to
    /// customers by number, screen pops in the agents' browsers over server-sent events,
    /// click-to-call through the telephone system's dial webhook, calls on the customer's
    /// timeline, missed calls as call-back tasks or tickets, and the call figures (docs/CALLS.md).
    package static let calls: Feature = {
        var f = Feature(name: "Calls")
        f.migrations = [M032_Calls.migration, M035_TextMessages.migration]
        f.catalog = CatalogPart(CallTemplates.strings)
        f.translations = CallTemplates.translations
        f.templates = CallTemplates.all
        f.stylesheet = CallTemplates.css
        f.script = CallTemplates.script
        f.navigation = [NavItem(label: "calls", href: CallURL.calls.path, position: 38, reads: .customers)]
        f.schemas = { OpenAPIDocument.callSchemas() }
        f.api = { s, table in CallsAPI(calls: s.calls).register(table) }
        f.pages = { pages, table in table.add(CallPages(pages: pages).routes) }
        f.customerPart = { pages, scope, id, v in try await CallPages.customerPart(pages, scope, customerID: id, v) }
        f.recordPages = ["calls": { _ in CallURL.calls.path }]
        // text messages (portal sign-in codes) go out through the same provider, signed the same way
        f.services = { s, _, logger in [TextMessageWatch.make(s, logger)] }
        f.matrix = CallsMatrix.samples
        f.matrixFixture = CallsMatrix.fixture
        return f
    }()
}
