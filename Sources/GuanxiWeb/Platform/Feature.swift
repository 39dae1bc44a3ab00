import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// One capability of Guanxi (customers, sales, orders, later service, events…), declared once as a
/// value: everything the application takes from it. `Features.all` lists them; the application,
/// the OpenAPI document, the page catalog and the schema migrator are all built from that list,
/// so adding a capability is a folder per module plus one line there (docs/ARCHITECTURE.md).
package struct Feature: Sendable {
    /// The capability's folder name in every module (`Customers`, `Sales`, …).
    package let name: String
    /// Its numbered schema changes (versions are global and append-only; a test holds them 1…n).
    package var migrations: [Migration] = []
    /// The permission objects it brings (roles grant object.action).
    package var permissions: [AccessObject] = []
    /// Its page words in the three languages (`{{t.key}}` in templates, `Catalog.text` in code).
    package var catalog: CatalogPart = CatalogPart()
    /// Its domain messages as pages show them: a message's key → 简体, 繁體 (`Words.localize`).
    package var translations: [MessageTranslation] = []
    /// Its page templates by name.
    package var templates: [String: String] = [:]
    /// Its part of `/assets/app.css`.
    package var stylesheet: String = ""
    /// Its part of `/assets/app.js` (signed-in pages' behaviour; no inline script anywhere).
    package var script: String = ""
    /// Its entries in the main navigation, in order.
    package var navigation: [NavItem] = []
    /// Its OpenAPI component schemas (`$ref` names used by its routes).
    package var schemas: @Sendable () -> [String: Any] = { [:] }
    /// Registers its `/api/v1` operations.
    package var api: @Sendable (AppServices, RouteTable) -> Void = { _, _ in }
    /// Registers its pages (`PageRoute` values) in the page table.
    package var pages: @Sendable (Pages, PageTable) -> Void = { _, _ in }
    /// Its part of a customer's 360 page: the customer's records of its kind and links to start
    /// one, as template values (the customer capability shows them; it knows none of their kinds).
    package var customerPart: CustomerPart?
    /// The pages of its records by the name the audit log gives their kind ("orders" → the order's
    /// page for an id), so an audit entry links to what it is about.
    package var recordPages: [String: @Sendable (String) -> String] = [:]
    /// What the search box finds among its records besides customers (leads by name or phone,
    /// orders by number), shown under the customers a search finds.
    package var searchPart: SearchPart?
    /// Fields it adds to a customer's API answer (`GET /api/v1/customers/{id}`), each with its schema.
    package var customerFields: [CustomerField] = []
    /// Its blocks on the dashboard at `/`, for the viewer's role (nil: none).
    package var dashboard: DashboardPart?
    /// How the authorisation matrix test calls each of its operations, by operationID, and the
    /// records those calls need (made fresh for every case).
    package var matrix: [String: MatrixSample] = [:]
    package var matrixFixture: MatrixFixture = { _ in [:] }
    /// The depth of its queues (outboxes, dead letters) for `/metrics` and the status page, over one
    /// workspace or (nil) the whole server; each queue's name has the word `queue_` + name in its catalog.
    package var queues: (@Sendable (AppServices, _ workspaceID: String?) async throws -> [QueueDepth])?
    /// Long-running work it needs while the server runs (housekeeping, queues).
    package var services: @Sendable (AppServices, AppConfiguration, Logger) -> [any Service] = { _, _, _ in [] }

    package init(name: String) { self.name = name }
}

/// A main-navigation link: its catalog key, where it goes, and its place in the bar (links are
/// sorted by it, whichever feature brings them). `badge` marks the one that shows the signed-in
/// user's count of things needing attention; `reads` is what a role must be able to read to be
/// shown the link (nil: every member).
package struct NavItem: Sendable {
    package var label: String
    package var href: String
    package var position: Int
    package var badge = false
    package var reads: AccessObject?
    package init(label: String, href: String, position: Int, badge: Bool = false, reads: AccessObject? = nil) {
        self.label = label; self.href = href; self.position = position; self.badge = badge; self.reads = reads
    }
}

/// A capability's values for a customer's 360 page: (pages, the viewer's scope, the customer's id, the visit).
package typealias CustomerPart = @Sendable (Pages, Scope, String, PageContext) async throws -> [String: Any]

/// Records of a capability that a search finds: (pages, the viewer's scope, the query, the visit)
/// → a group heading and its hits; an empty list shows nothing.
package typealias SearchPart = @Sendable (Pages, Scope, String, PageContext) async throws -> [SearchHit]

/// One record a search found: its kind's word (already in the reader's language), what to call it,
/// a line beside it, and where it is.
package struct SearchHit: Sendable {
    package var kind: String
    package var title: String
    package var detail: String
    package var href: String
    package init(kind: String, title: String, detail: String, href: String) { self.kind = kind; self.title = title; self.detail = detail; self.href = href }
}

/// A field a capability adds to a customer's API answer: its name, its JSON schema (added to the
/// `Customer` schema), and its value for a viewer of that customer — nil leaves the field out (a
/// role that may not see it, nothing to show yet). The customer capability asks every feature's
/// fields without knowing what they are.
package struct CustomerField: Sendable {
    package var name: String
    package var schema: @Sendable () -> [String: Any]
    package var value: @Sendable (AppServices, Scope, _ customerID: String) async throws -> JSONValue?
    package init(name: String, schema: @escaping @Sendable () -> [String: Any],
                 value: @escaping @Sendable (AppServices, Scope, _ customerID: String) async throws -> JSONValue?) {
        self.name = name; self.schema = schema; self.value = value
    }
}
