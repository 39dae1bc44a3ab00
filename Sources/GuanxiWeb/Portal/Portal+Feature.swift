import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The customer portal (`/portal`): customers sign in with a one-time code mailed to one of
    /// their addresses and see their own orders, quotes and service requests, submit and follow
    /// requests, rate the service and keep their details and consent (docs/PORTAL.md). Its pages
    /// and its JSON API sit outside the staff pages and `/api/v1`, with their own session.
    package static let portal: Feature = {
        var f = Feature(name: "Portal")
        f.migrations = [M030_Portal.migration, M036_PortalPhones.migration]
        f.catalog = CatalogPart(PortalWords.strings)
        f.translations = PortalWords.translations
        f.templates = PortalTemplates.all
        f.stylesheet = PortalTemplates.css
        f.schemas = { OpenAPIDocument.portalSchemas() }
        f.api = { s, table in PortalRoleAPI(portal: s.portal).register(table) }
        f.matrix = PortalRoleAPI.samples
        f.pages = { pages, table in
            let web = PortalWeb(pages: pages)
            PortalPages(web: web).register(table.plain)
            PortalAPI(web: web).register(table.plain)
            PortalKnowledge(web: web).register(table.plain)
        }
        return f
    }()
}
