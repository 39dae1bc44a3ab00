import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Events: behaviour events from the shops' and apps' tracking clients (Segment's and PostHog's
    /// protocols, per-source write keys), stored once per message id, linked to customers by their
    /// identities, their traits merged into the customer and a profile computed per person as they
    /// arrive; a customer's events, profile and visits in the API and on the 360 page; deletion of
    /// a person's events on request.
    package static let events: Feature = {
        var f = Feature(name: "Events")
        f.migrations = [M025_Events.migration, M028_EventProfiles.migration, M034_EventPartitions.migration]
        f.catalog = CatalogPart(EventsCatalog.strings)
        f.translations = EventsCatalog.translations
        f.templates = EventTemplates.all.merging(EventSourceTemplates.all) { a, _ in a }
        f.stylesheet = EventTemplates.css + EventSourceTemplates.css
        f.navigation = [NavItem(label: "event_sources", href: EventSourceURL.sources.path, position: 95, reads: .settings)]
        f.schemas = { OpenAPIDocument.eventSchemas() }
        f.api = { s, table in EventAPI(events: EventStore(db: s.db, clock: s.clock)).register(table) }
        // the tracking clients' addresses sit outside /api/v1 and need nothing of a visitor
        f.pages = { pages, table in
            let store = EventStore(db: pages.services.db, clock: pages.services.clock)
            EventIngest(events: store, clock: pages.services.clock).register(table.plain)
            table.add(EventPages(pages: pages, events: store).routes + EventSourcePages(pages: pages, events: store).routes)
        }
        f.customerPart = { pages, scope, id, v in try await EventPages.customerPart(pages, scope, customerID: id, v) }
        f.customerFields = [CustomerField(name: "profile", schema: { OpenAPIDocument.customerProfile }) { s, scope, id in
            try await EventStore(db: s.db, clock: s.clock).behaviour(scope, customerID: id).map { EventJSON.profile($0, scope: scope, now: s.clock.now()) }
        }]
        f.services = { s, _, logger in [EventRetention(events: EventStore(db: s.db, clock: s.clock), db: s.db, logger: logger)] }
        f.matrix = EventsMatrix.samples
        f.matrixFixture = EventsMatrix.fixture
        return f
    }()
}
