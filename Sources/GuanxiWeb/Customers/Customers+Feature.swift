import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The one customer database: customers, identities, tags, custom fields, relationships, the
    /// timeline, duplicates and merges, saved views, CSV import and export.
    package static let customers: Feature = {
        var f = Feature(name: "Customers")
        f.migrations = [M009_TierIndexes.migration]
        f.permissions = [.customers]
        f.templates = Templates.ofCustomers
        f.translations = [("must be created_at, updated_at, name, clv or p_alive, optionally prefixed with -",
                           "须为 created_at、updated_at、name、clv 或 p_alive，可在前面加 -（倒序）",
                           "須為 created_at、updated_at、name、clv 或 p_alive，可在前面加 -（倒序）")]
        f.navigation = [NavItem(label: "customers", href: CustomerURL.customers.path, position: 10)]
        f.schemas = { OpenAPIDocument.customerSchemas() }
        f.api = { s, table in
            CustomerAPI(customers: s.customers, timeline: s.timeline, fields: s.customFields, imports: s.imports,
                        extras: { scope, id in try await s.customerExtras(scope, customerID: id) }).register(table)
        }
        f.pages = { pages, table in table.add(pages.customerRoutes) }
        f.recordPages = ["customers": { CustomerURL.customer($0).path }]
        f.services = { s, _, logger in [ImportRecoveryWatch(imports: s.imports, logger: logger)] }
        f.matrix = CustomerMatrix.samples
        f.matrixFixture = CustomerMatrix.fixture
        return f
    }()
}
