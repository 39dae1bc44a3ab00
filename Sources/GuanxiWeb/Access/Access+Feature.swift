import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Workspaces, members, roles, teams, tokens, sign-in, the audit log, hand-over and the public pool.
    package static let access: Feature = {
        var f = Feature(name: "Access")
        f.migrations = [M002_Access.migration]
        f.permissions = [.settings, .audit, .personalData]
        f.templates = Templates.ofAccess
        f.schemas = { OpenAPIDocument.accessSchemas() }
        f.api = { s, table in
            AccessAPI(access: s.access, customers: s.customers, audit: s.audit, pool: s.pool).register(table)
            SignInAPI(signIn: s.signIn).register(table)
        }
        f.pages = { pages, table in table.add(SettingsPages(pages: pages).routes) }
        f.matrix = AccessMatrix.samples
        f.matrixFixture = AccessMatrix.fixture
        return f
    }()
}
