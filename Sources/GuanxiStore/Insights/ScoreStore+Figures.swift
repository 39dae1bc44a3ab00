import Foundation
import SQLKit
import GuanxiCore
import GuanxiAnalytics

/// What the Insights page charts, read as sums and counts (never a row per customer or order), each
/// for the viewer's rights: the scores' figures for analytics readers, the pipeline for those who
/// read every deal, revenue for those who read every order (collections: `OrderStore.dashboard`).
package struct InsightsFigures: Sendable {
    package struct Month: Sendable, Equatable { package var month: String; package var orders: Int; package var revenue: Int64 }
    package struct Stage: Sendable, Equatable {
        package var stage: PipelineStage; package var deals: Int; package var amount: Int64
    }
    /// The currency money figures are in (the workspace's main one).
    package var currency: String
    /// Revenue (order totals net of refunds) and orders placed per month, the last 12 months, oldest first.
    package var months: [Month]?
    /// The Pareto curve: the share of value (0–100) of the most valuable 5 %, 10 % … 100 % of customers.
    package var pareto: [Double]
    /// Customers per RFM recency score (1–5, index 0 = R 1) and frequency score.
    package var rfmGrid: [[Int]]
    /// Customers per 12-month value band: the bands' lower edges (minor units) and counts.
    package var clvEdges: [Int64]
    package var clvCounts: [Int]
    /// Customers per RFM segment and churn risk (`ScoreVocabulary` order).
    package var churnBySegment: [String: [String: Int]]
    /// The first pipeline's open and won stages, in order, with their deals now there.
    package var funnel: [Stage]?
}

extension ScoreStore {
    /// The figures of the Insights page's charts as of now.
    package func figures(_ scope: Scope) async throws -> InsightsFigures {
        _ = try scope.require(.analytics, .read)
        let ws = scope.workspaceID
        let zone = try await timeZone(ws)
        let now = clock.now()
        let everyOrder = scope.level(.orders, .read) == .all, everyDeal = scope.level(.deals, .read) == .all
        return try await db.read { sql in
            let currency = try await sql.raw("""
                SELECT currency FROM score_runs WHERE workspace_id = \(bind: ws) AND status = 'done' AND currency <> '' ORDER BY created_at DESC LIMIT 1
                """).first()?.decode(column: "currency", as: String.self) ?? DealStore.defaultCurrency
            var f = InsightsFigures(currency: currency, months: nil, pareto: [], rfmGrid: Array(repeating: Array(repeating: 0, count: 5), count: 5),
                                    clvEdges: [0], clvCounts: [0], churnBySegment: [:], funnel: nil)
            // revenue and orders per month, counted by the workspace's local day
            if everyOrder {
                let offset = Int64(zone.secondsFromGMT(for: now)) * 1000
                let today = Int((now.millis + offset) / 86_400_000)
                let (y, m, _) = CivilDate.components(ofDay: today)
                let firstMonth = y * 12 + (m - 1) - 11
                let from = Int64(CivilDate.dayNumber(year: firstMonth / 12, month: firstMonth % 12 + 1, day: 1)) * 86_400_000 - offset
                var byMonth = [(Int, Int64)](repeating: (0, 0), count: 12)
                let counted = OrderStatus.countingAsRevenue.map(\.rawValue)
                for r in try await sql.raw("""
                    SELECT (placed_at + \(bind: offset)) / 86400000 AS d, COUNT(*) AS n, \(MoneySum.select("total - refunded", as: "v")) FROM orders
                    WHERE workspace_id = \(bind: ws) AND currency = \(bind: currency) AND status IN (\(binds: counted)) AND placed_at >= \(bind: from)
                    GROUP BY 1
                    """).all() {
                    let (yy, mm, _) = CivilDate.components(ofDay: Int(try r.decode(column: "d", as: Int64.self)))
                    let i = yy * 12 + (mm - 1) - firstMonth
                    guard (0..<12).contains(i) else { continue }
                    byMonth[i].0 += try r.decode(column: "n", as: Int.self)
                    byMonth[i].1 = Money.saturating(byMonth[i].1, plus: try MoneySum.decode(r, "v"))
                }
                f.months = byMonth.enumerated().map { i, v -> InsightsFigures.Month in
                    let k = firstMonth + i
                    return InsightsFigures.Month(month: String(format: "%04d-%02d", k / 12, k % 12 + 1), orders: v.0, revenue: v.1)
                }
            }
            // the first pipeline's stages and the deals now in each
            if everyDeal, let pipeline = try await DealStore.pipelines(ws, sql: sql).min(by: { $0.position < $1.position }) {
                var counts: [String: (Int, Int64)] = [:]
                for r in try await sql.raw("""
                    SELECT stage_id, COUNT(*) AS n, \(MoneySum.select("amount_minor", as: "v")) FROM deals
                    WHERE workspace_id = \(bind: ws) AND pipeline_id = \(bind: pipeline.id) AND currency = \(bind: currency) GROUP BY stage_id
                    """).all() {
                    counts[try r.decode(column: "stage_id", as: String.self)] = (try r.decode(column: "n", as: Int.self), try MoneySum.decode(r, "v"))
                }
                f.funnel = pipeline.stages.filter { $0.kind != .lost }.sorted { $0.position < $1.position }.map { s in
                    InsightsFigures.Stage(stage: s, deals: counts[s.id]?.0 ?? 0, amount: counts[s.id]?.1 ?? 0)
                }
            }
            // the scores: the Pareto curve in twenty slices of customers, most valuable first
            var slices = [Double](repeating: 0, count: 20)
            for r in try await sql.raw("""
                SELECT k, \(MoneySum.select("monetary", as: "v")) FROM (
                  SELECT monetary, NTILE(20) OVER (ORDER BY monetary DESC) AS k FROM customer_scores WHERE workspace_id = \(bind: ws)) t
                GROUP BY k
                """).all() {
                let k = try r.decode(column: "k", as: Int.self)
                if (1...20).contains(k) { slices[k - 1] = Double(try MoneySum.decode(r, "v")) }
            }
            f.pareto = Figures.paretoCurve(slices)
            for r in try await sql.raw("SELECT r, f, COUNT(*) AS n FROM customer_scores WHERE workspace_id = \(bind: ws) GROUP BY r, f").all() {
                let rr = try r.decode(column: "r", as: Int.self), ff = try r.decode(column: "f", as: Int.self)
                if (1...5).contains(rr), (1...5).contains(ff) { f.rfmGrid[rr - 1][ff - 1] = try r.decode(column: "n", as: Int.self) }
            }
            for r in try await sql.raw("""
                SELECT rfm_segment, churn_risk, COUNT(*) AS n FROM customer_scores WHERE workspace_id = \(bind: ws) GROUP BY rfm_segment, churn_risk
                """).all() {
                f.churnBySegment[try r.decode(column: "rfm_segment", as: String.self), default: [:]][try r.decode(column: "churn_risk", as: String.self)] =
                    try r.decode(column: "n", as: Int.self)
            }
            // 12-month values in round bands up to the largest
            let top = try await sql.raw("SELECT MAX(clv_12m) AS v FROM customer_scores WHERE workspace_id = \(bind: ws)").first()?
                .decode(column: "v", as: Int64?.self) ?? nil
            f.clvEdges = Figures.bands(upTo: top ?? 0)
            f.clvCounts = Array(repeating: 0, count: f.clvEdges.count)
            var band: SQLQueryString = "CASE"
            for (i, e) in f.clvEdges.enumerated().reversed() { band += " WHEN clv_12m >= \(bind: e) THEN \(literal: i)" }
            band += " ELSE 0 END"
            for r in try await sql.raw("SELECT " + band + " AS b, COUNT(*) AS n FROM customer_scores WHERE workspace_id = \(bind: ws) GROUP BY 1").all() {
                let b = try r.decode(column: "b", as: Int.self)
                if f.clvCounts.indices.contains(b) { f.clvCounts[b] += try r.decode(column: "n", as: Int.self) }
            }
            return f
        }
    }
}
