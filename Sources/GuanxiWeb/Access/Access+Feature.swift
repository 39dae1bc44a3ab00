import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Workspaces, members, roles, teams, tokens, sign-in, the audit log, hand-over and the public pool.
    package static let access: Feature = {
        var f = Feature(name: "Access")
        f.migrations = [M002_Access.migration]
        f.permissions = [.settings, .audit, .personalData]
        f.templates = Templates.ofAccess.merging(AccessTemplates.all) { a, _ in a }
        f.catalog = CatalogPart(AccessCatalog.strings)
        f.stylesheet = AccessTemplates.css
        f.translations = AccessCatalog.translations
        // the audit log's entries about members, teams and roles lead to their row in the settings
        f.recordPages = ["users": { SettingsURL.settings("users").path + "#user-" + $0 }, "teams": { SettingsURL.settings("teams").path + "#team-" + $0 },
                         "roles": { SettingsURL.settings("roles").path + "#role-" + $0 }]
        f.navigation = [NavItem(label: "pool", href: AccessURL.pool.path, position: 25, reads: .customers)]
        f.schemas = { OpenAPIDocument.accessSchemas() }
        f.api = { s, table in
            AccessAPI(access: s.access, customers: s.customers, audit: s.audit, pool: s.pool).register(table)
            SignInAPI(signIn: s.signIn, publicURL: s.publicURL).register(table)
        }
        f.pages = { pages, table in
            table.add(SettingsPages(pages: pages).routes)
            table.add(PoolPages(pages: pages).routes)
        }
        f.customerPart = { pages, scope, id, v in try await PoolPages.customerPart(pages, scope, customerID: id, v) }
        f.matrix = AccessMatrix.samples
        f.matrixFixture = AccessMatrix.fixture
        return f
    }()
}
