import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The pipeline on the dashboard: the open deals the viewer may read, their amount and the amount
/// weighted by each stage's chance, in the currency most of them are in.
enum DealDashboardPart {
    static func blocks(_ pages: Pages, _ scope: Scope, _ v: PageContext) async throws -> [DashboardBlock] {
        guard scope.level(.deals, .read) != nil else { return [] }
        let t = { (k: String) in v.text(k) }
        var byCurrency: [String: (count: Int, amount: Int64, weighted: Int64)] = [:]
        for r in try await pages.services.deals.forecast(scope) {
            var x = byCurrency[r.amount.currency] ?? (0, 0, 0)
            x.count += r.count
            x.amount = Money.saturating(x.amount, plus: r.amount.minor)
            x.weighted = Money.saturating(x.weighted, plus: r.weighted.minor)
            byCurrency[r.amount.currency] = x
        }
        let count = byCurrency.values.reduce(0) { $0 + $1.count }
        var tiles = [DashboardTile(t("dash_open_deals"), v.fmt.number(count))]
        if let best = byCurrency.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) {
            let (currency, x) = (best.key, best.value)
            tiles.append(DashboardTile(t("dash_open_amount"), v.fmt.money(minor: x.amount, currency: currency)))
            tiles.append(DashboardTile(t("dash_weighted"), v.fmt.money(minor: x.weighted, currency: currency)))
        }
        return [DashboardBlock(id: "pipeline", position: 30, title: t("dash_pipeline"), period: t("dash_now"), tiles: tiles, href: DealURL.deals.path)]
    }
}
