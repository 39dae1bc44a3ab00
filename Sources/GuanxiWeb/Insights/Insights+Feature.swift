import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Analytics on the CRM's own data: scoring runs over the workspace's orders (RFM, BG/NBD or
    /// Pareto/NBD, Gamma-Gamma, CLV, value tiers, classes, cross-sell), on demand and nightly;
    /// every customer's scores in their API answer and on their 360 page (docs/INSIGHTS.md).
    package static let insights: Feature = {
        var f = Feature(name: "Insights")
        f.migrations = [M026_Scores.migration, M029_ScoreListsAndCredit.migration, M033_IncrementalScores.migration]
        f.catalog = CatalogPart(InsightsWords.strings.merging(Scorecards.words) { a, b in a.merging(b) { x, _ in x } })
        f.translations = InsightsWords.translations
        f.templates = InsightsTemplates.all
        f.stylesheet = InsightsTemplates.css
        f.navigation = [NavItem(label: "insights", href: InsightsURL.insights.path, position: 80, reads: .analytics)]
        f.schemas = { OpenAPIDocument.insightsSchemas().merging(Scorecards.schemas()) { a, _ in a } }
        f.api = { s, table in
            InsightsAPI(scores: s.scores, exports: s.exports).register(table)
            Scorecards.register(table, services: s)
        }
        f.pages = { pages, table in table.add(InsightsPages(pages: pages).routes + Scorecards.pages(pages)) }
        f.dashboard = { pages, scope, v in
            try await InsightsPages.dashboard(pages, scope, v) + Scorecards.dashboard(pages, scope, v)
        }
        f.customerPart = { pages, scope, id, v in try await InsightsPages.customerPart(pages, scope, customerID: id, v) }
        f.customerFields = [CustomerField(name: "scores", schema: { OpenAPIDocument.customerScores }) { s, scope, id in
            try await s.scores.scores(scope, customerID: id).map(InsightsJSON.scores)
        }]
        f.services = { s, _, logger in [ScoreWatch(scores: s.scores, logger: logger)] }
        f.matrix = InsightsMatrix.samples
        f.matrixFixture = InsightsMatrix.fixture
        return f
    }()
}
