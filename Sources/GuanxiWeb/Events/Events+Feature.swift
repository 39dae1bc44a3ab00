import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Events: behaviour events from the shops' and apps' tracking clients (Segment's and PostHog's
    /// protocols, per-source write keys), stored once per message id, linked to customers by their
    /// identities; a customer's events in the API and on the 360 page.
    package static let events: Feature = {
        var f = Feature(name: "Events")
        f.migrations = [M025_Events.migration]
        f.catalog = CatalogPart(EventsCatalog.strings)
        f.translations = EventsCatalog.translations
        f.schemas = { OpenAPIDocument.eventSchemas() }
        f.api = { s, table in EventAPI(events: EventStore(db: s.db, clock: s.clock)).register(table) }
        // the tracking clients' addresses sit outside /api/v1 and need nothing of a visitor
        f.pages = { pages, table in
            EventIngest(events: EventStore(db: pages.services.db, clock: pages.services.clock), clock: pages.services.clock).register(table.plain)
        }
        f.customerPart = { pages, scope, id, v in try await EventPages.customerPart(pages, scope, customerID: id, v) }
        f.matrix = EventsMatrix.samples
        f.matrixFixture = EventsMatrix.fixture
        return f
    }()
}

/// The customer page's recent events.
enum EventPages {
    static let onCustomerPage = 10

    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard scope.level(.customers, .read) != nil else { return [:] }
        let store = EventStore(db: pages.services.db, clock: pages.services.clock)
        let recent = try await store.events(scope, customerID: customerID, cursor: nil, limit: onCustomerPage).items
        guard !recent.isEmpty else { return [:] }
        let zone = TimeZone.current.identifier
        return [
            "hasEvents": true,
            "events": recent.map { e -> [String: Any] in
                ["label": e.event ?? v.text("event_type_" + e.type), "type": v.text("event_type_" + e.type),
                 "when": v.fmt.dateTime(e.timestamp, timeZone: zone), "at": Timestamp.iso8601(e.timestamp)]
            },
        ]
    }
}
