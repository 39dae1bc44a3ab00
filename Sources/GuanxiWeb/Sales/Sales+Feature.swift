import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Sales from lead to deal: lead capture and web forms, assignment rules, pipelines and deals,
    /// follow-up tasks and visits, targets and reports.
    package static let sales: Feature = {
        var f = Feature(name: "Sales")
        f.migrations = [M003_Leads.migration, M004_Deals.migration, M006_FollowUp.migration, M007_Targets.migration, M008_LeadKeys.migration]
        f.permissions = [.leads, .deals, .tasks, .analytics]
        f.templates = LeadTemplates.all.merging(DealTemplates.all) { a, _ in a }.merging(TaskTemplates.all) { a, _ in a }
            .merging(["reports": ReportTemplates.reports]) { a, _ in a }
        f.stylesheet = ReportTemplates.css
        f.navigation = [NavItem(label: "leads", href: LeadURL.leads.path, position: 20), NavItem(label: "deals", href: DealURL.deals.path, position: 30),
                        NavItem(label: "reports", href: ReportURL.reports.path, position: 50), NavItem(label: "my_day", href: TaskURL.today.path, position: 60, badge: true)]
        f.schemas = { OpenAPIDocument.salesSchemas() }
        f.api = { s, table in
            LeadAPI(leads: s.leads, rules: s.assignmentRules, sources: s.leadSources, importer: s.leadImporter).register(table)
            DealAPI(deals: s.deals).register(table)
            ReportAPI(reports: s.reports, targets: s.targets, access: s.access).register(table)
            TaskAPI(tasks: s.tasks).register(table)
        }
        f.dashboard = { pages, scope, v in try await DealDashboardPart.blocks(pages, scope, v) }
        f.customerPart = { pages, scope, id, v in try await DealPages.customerPart(pages, scope, customerID: id, v) }
        f.recordPages = ["leads": { LeadURL.lead($0).path }, "deals": { DealURL.deal($0).path }, "tasks": { TaskURL.task($0).path }]
        f.searchPart = { pages, scope, q, v in try await LeadPages.searchPart(pages, scope, q, v) }
        f.pages = { pages, table in
            table.add(LeadPages(pages: pages).routes)
            table.add(DealPages(pages: pages).routes)
            table.add(ReportPages(pages: pages).routes)
            table.add(TaskPages(pages: pages).routes)
        }
        f.matrix = SalesMatrix.samples
        f.matrixFixture = SalesMatrix.fixture
        return f
    }()
}
