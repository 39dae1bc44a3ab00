import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The orders' blocks on the dashboard, over the orders the viewer may read: two of the key
/// figures (orders per customer, repurchase rate), this month's revenue, and what is owed by age.
enum OrderDashboardPart {
    static func blocks(_ pages: Pages, _ scope: Scope, _ v: PageContext) async throws -> [DashboardBlock] {
        guard scope.level(.orders, .read) != nil else { return [] }
        let t = { (k: String) in v.text(k) }
        let d = try await pages.services.orders.dashboard(scope)
        let money = { (minor: Int64) in v.fmt.money(minor: minor, currency: d.currency) }
        let year = t("dash_last_12_months")
        let perCustomer = Figures.ratio(d.yearOrders, d.yearCustomers).map { v.fmt.decimal($0, digits: 2) } ?? "—"
        let repurchase = Figures.ratio(d.yearRepeaters, d.yearCustomers).map { v.fmt.decimal(100 * $0, digits: 1) + "%" } ?? "—"
        return [
            DashboardBlock(id: "kpis", position: 10, title: t("dash_kpis"), period: t("dash_kpis_period"), tiles: [
                DashboardTile(t("dash_orders_per_customer"), perCustomer, period: year),
                DashboardTile(t("dash_repurchase_rate"), repurchase, period: year),
            ]),
            DashboardBlock(id: "revenue", position: 20, title: t("dash_revenue"), period: t("dash_this_month") + " " + d.month, tiles: [
                DashboardTile(t("dash_revenue_month"), money(d.revenue)),
                DashboardTile(t("dash_orders_month"), v.fmt.number(d.orders)),
                DashboardTile(t("dash_revenue_previous"), money(d.previousRevenue), period: d.previousMonth),
            ], href: OrderURL.orders.path),
            DashboardBlock(id: "collections", position: 40, title: t("dash_collections"), period: t("dash_now"),
                           tiles: [DashboardTile(t("dash_owed_total"), money(d.owed.reduce(0) { Money.saturating($0, plus: $1) }))]
                               + zip(Figures.ageingBuckets, d.owed).map { DashboardTile($0 + " " + t("dash_days"), money($1)) }),
        ]
    }
}
