import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// The knowledge base: articles in 简体, 繁體 and English under categories, drafts until
    /// published, for staff only or for customers too; staff write them here, customers read and
    /// find them in the portal (which also suggests them while a request is written), agents put
    /// their links in replies (docs/PORTAL.md).
    package static let knowledge: Feature = {
        var f = Feature(name: "Knowledge")
        f.migrations = [M031_Knowledge.migration, M037_KnowledgeList.migration, M038_KnowledgeChangeOrder.migration]
        f.catalog = CatalogPart(KnowledgeTemplates.strings)
        f.translations = KnowledgeTemplates.translations
        f.templates = KnowledgeTemplates.all
        f.navigation = [NavItem(label: "kb", href: KnowledgeURL.articles.path, position: 37, reads: .tickets)]
        f.schemas = { OpenAPIDocument.knowledgeSchemas() }
        f.api = { s, table in KnowledgeAPI(knowledge: s.knowledge).register(table) }
        f.pages = { pages, table in table.add(KnowledgePages(pages: pages).routes) }
        f.matrix = KnowledgeMatrix.samples
        f.matrixFixture = KnowledgeMatrix.fixture
        return f
    }()
}
