import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The Insights page's charts: each an SVG drawn here (`Chart`) with its numbers as a table and as
/// CSV, and the period it covers. Built from the figures the viewer may see (`ScoreStore.figures`)
/// and the last finished run (its model check and cohorts).
enum InsightsCharts {
    struct Section {
        var id: String
        var chart: Chart
        /// What the figures cover ("the last 12 months", "scoring run as of 2026-06-30").
        var period: String
    }

    /// Every chart the viewer may see, in page order.
    static func sections(_ f: InsightsFigures, owed: OrderDashboard?, run: ScoreRun?, v: PageContext) -> [Section] {
        let t = { (k: String) in v.text(k) }
        let units = { (minor: Int64) in Double(minor) / pow(10, Double(Formats.minorDigits(f.currency))) }
        let money = " " + f.currency
        let asOf = run.map { t("chart_period_run").replacingOccurrences(of: "{day}", with: $0.asOf) } ?? ""
        var out: [Section] = []
        if let months = f.months {
            let year = t("chart_period_year")
            var revenue = Chart(title: t("chart_revenue"), kind: .line, categories: months.map(\.month),
                                series: [Chart.Series(t("chart_col_revenue") + money, months.map { units($0.revenue) })], categoryHeader: t("chart_col_month"))
            var orders = Chart(title: t("chart_orders"), kind: .line, categories: months.map(\.month),
                               series: [Chart.Series(t("chart_col_orders"), months.map { Double($0.orders) })], categoryHeader: t("chart_col_month"))
            revenue.labels = months.map { v.fmt.shortMonth($0.month) }; orders.labels = revenue.labels
            out.append(Section(id: "revenue", chart: revenue, period: year))
            out.append(Section(id: "orders", chart: orders, period: year))
        }
        let scored = f.rfmGrid.joined().reduce(0, +) > 0
        if scored {
            out.append(Section(id: "pareto", chart: Chart(title: t("chart_pareto"), kind: .line,
                                                          categories: f.pareto.indices.map { "\(($0 + 1) * 5)%" },
                                                          series: [Chart.Series(t("chart_col_value_share"), f.pareto)], decimals: 1, unit: "%",
                                                          categoryHeader: t("chart_col_customer_share")), period: asOf))
            // best recency first, frequency left to right
            let rfm = Chart(title: t("chart_rfm"), kind: .heatmap, categories: (1...5).reversed().map { "R\($0)" },
                            series: (1...5).map { fi in Chart.Series("F\(fi)", (1...5).reversed().map { Double(f.rfmGrid[$0 - 1][fi - 1]) }) },
                            categoryHeader: t("chart_col_recency"))
            out.append(Section(id: "rfm", chart: rfm, period: asOf))
            let bands = f.clvEdges.map { v.fmt.money(minor: $0, currency: f.currency) + "+" }
            out.append(Section(id: "clv", chart: Chart(title: t("chart_clv"), kind: .bars, categories: bands,
                                                       series: [Chart.Series(t("chart_col_customers"), f.clvCounts.map(Double.init))],
                                                       categoryHeader: t("chart_col_value_band")), period: asOf))
            let segments = ScoreVocabulary.segments.filter { f.churnBySegment[$0] != nil }
            out.append(Section(id: "churn", chart: Chart(title: t("chart_churn"), kind: .stacked, categories: segments.map { t("segment_" + $0) },
                                                         series: ScoreVocabulary.churnRisks.map { risk in
                                                             Chart.Series(t("churn_" + risk), segments.map { Double(f.churnBySegment[$0]?[risk] ?? 0) })
                                                         }, categoryHeader: t("chart_col_segment")), period: asOf))
        }
        if case .object(let p)? = run?.parameters {
            if case .array(let cohorts)? = p["cohorts"], !cohorts.isEmpty {
                var rows: [(String, [Double])] = []
                for case .object(let c) in cohorts {
                    guard case .string(let month)? = c["month"], case .array(let r)? = c["retention"] else { continue }
                    rows.append((month, r.compactMap { v -> Double? in if case .number(let x) = v { return 100 * x }; return nil }))
                }
                let width = rows.map(\.1.count).max() ?? 0
                var chart = Chart(title: t("chart_cohorts"), kind: .heatmap, categories: rows.map(\.0),
                                  series: (0..<width).map { m in Chart.Series("M\(m)", rows.map { m < $0.1.count ? $0.1[m] : .nan }) },
                                  decimals: 0, unit: "%", categoryHeader: t("chart_col_cohort"))
                chart.labels = rows.map { v.fmt.shortMonth($0.0) }
                out.append(Section(id: "cohorts", chart: chart, period: asOf))
            }
            if case .object(let c)? = p["calibration"], case .array(let rows)? = c["rows"], !rows.isEmpty {
                var freq: [String] = [], actual: [Double] = [], expected: [Double] = []
                let last = rows.count - 1
                for (i, row) in rows.enumerated() {
                    guard case .object(let r) = row, case .number(let x)? = r["frequency"], case .number(let a)? = r["actual"],
                          case .number(let e)? = r["expected"] else { continue }
                    freq.append(String(Int(x)) + (i == last && Int(x) >= 7 ? "+" : "")); actual.append(a); expected.append(e)
                }
                let from = { (k: String) -> String in if case .string(let s)? = c[k] { return s }; return "" }
                out.append(Section(id: "calibration", chart: Chart(title: t("chart_calibration"), kind: .line, categories: freq,
                                                                   series: [Chart.Series(t("chart_col_actual"), actual), Chart.Series(t("chart_col_expected"), expected)],
                                                                   decimals: 2, categoryHeader: t("chart_col_frequency")),
                                   period: t("chart_period_holdout").replacingOccurrences(of: "{from}", with: from("calibration_end"))
                                       .replacingOccurrences(of: "{to}", with: from("holdout_end"))))
            }
        }
        if let funnel = f.funnel, !funnel.isEmpty {
            out.append(Section(id: "funnel", chart: Chart(title: t("chart_funnel"), kind: .bars, categories: funnel.map { v.name($0.stage) },
                                                          series: [Chart.Series(t("chart_col_deals"), funnel.map { Double($0.deals) })],
                                                          categoryHeader: t("chart_col_stage")), period: t("chart_period_now")))
        }
        if let owed {
            let units = { (minor: Int64) in Double(minor) / pow(10, Double(Formats.minorDigits(owed.currency))) }
            out.append(Section(id: "ageing", chart: Chart(title: t("chart_ageing"), kind: .bars, categories: Figures.ageingBuckets.map { $0 + " " + t("chart_days") },
                                                          series: [Chart.Series(t("chart_col_owed") + " " + owed.currency, owed.owed.map(units))],
                                                          categoryHeader: t("chart_col_age")), period: t("chart_period_now")))
        }
        return out
    }
}
