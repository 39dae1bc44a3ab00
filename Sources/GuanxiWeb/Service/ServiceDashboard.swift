import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The service desk's key figures on the dashboard, over the tickets the viewer may read opened in
/// the last 30 days: the median time to the first response to a customer, and satisfaction from
/// the surveys they answered.
enum ServiceDashboardPart {
    static func blocks(_ pages: Pages, _ scope: Scope, _ v: PageContext) async throws -> [DashboardBlock] {
        guard scope.level(.tickets, .read) != nil else { return [] }
        let t = { (k: String) in v.text(k) }
        let now = pages.services.clock.now()
        let data = try await pages.services.serviceReports.data(scope, from: now.addingTimeInterval(-30 * 86_400), to: now)
        let k = ServiceKPI.summary(data.facts, at: now)
        let month = t("dash_last_30_days")
        return [DashboardBlock(id: "kpis", position: 10, title: t("dash_kpis"), period: t("dash_kpis_period"), tiles: [
            DashboardTile(t("dash_response_time"), k.firstResponse.p50.map { v.fmt.decimal($0, digits: 1) + " " + t("svc_report_hours") } ?? "—", period: month),
            DashboardTile(t("dash_satisfaction"), k.csatAverage.map { v.fmt.decimal($0, digits: 1) + " / 5" } ?? "—", period: month),
        ])]
    }
}
