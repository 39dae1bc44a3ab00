import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The Insights page's addresses.
package enum InsightsURL: PageAddress, Equatable {
    case insights, scoreRuns, scorecards, scorecardsCSV
    /// A chart's numbers as CSV.
    case chartCSV(String)

    package var path: String {
        switch self {
        case .insights: "/insights"
        case .scoreRuns: "/insights/score-runs"
        case .scorecards: "/insights/scorecards"
        case .scorecardsCSV: "/insights/scorecards.csv"
        case .chartCSV(let id): "/insights/charts/\(id)"
        }
    }
}

/// The Insights page (the last scoring run, its model, a button to score now) and a customer's
/// scores on their 360 page.
struct InsightsPages {
    let pages: Pages
    var scores: ScoreStore { pages.services.scores }

    var routes: [PageRoute] {
        [
            .get(InsightsURL.insights, needs: .can(.read, .analytics)) { p, scope in
                try await page(p.page, scope, started: p.query("started") == "1")
            },
            .get(InsightsURL.chartCSV(":chart"), needs: .can(.read, .analytics)) { p, scope in
                let sections = try await charts(p.page, scope)
                guard let section = sections.first(where: { $0.id == p.parameter("chart") }) else { throw DomainError.notFound("chart") }
                var h = HTTPFields()
                h[.contentType] = "text/csv; charset=utf-8"
                h[.contentDisposition] = "attachment; filename=\"insights-\(section.id).csv\""
                h[.cacheControl] = "no-store"
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: section.chart.csv)))
            },
            .post(InsightsURL.scoreRuns, needs: .can(.create, .analytics)) { p, scope in
                do {
                    let run = try await scores.start(scope, asOf: nil, period: "week", full: p.form["full"] == "1")
                    let store = scores
                    Task.detached { _ = try? await store.execute(scope, run) }
                    return Pages.redirect(InsightsURL.insights.path + "?started=1")
                } catch let e as DomainError {
                    return try await page(p.page, scope, error: e)
                }
            },
        ]
    }

    /// The charts the viewer may see, from the figures now and the last finished run.
    func charts(_ v: PageContext, _ scope: Scope) async throws -> [InsightsCharts.Section] {
        // collections over every order, for a role that reads them all
        var owed: OrderDashboard?
        if scope.level(.orders, .read) == .all { owed = try await pages.services.orders.dashboard(scope) }
        return InsightsCharts.sections(try await scores.figures(scope), owed: owed, run: try await scores.latest(scope, finished: true), v: v)
    }

    func page(_ v: PageContext, _ scope: Scope, started: Bool = false, error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        var model: [String: Any] = ["csrf": v.csrf, "mayRun": scope.level(.analytics, .create) == .all]
        if let run = try await scores.latest(scope) {
            let running = run.status == "running"
            var parameters: [[String: String]] = []
            if case .object(let p)? = run.parameters {
                for key in ["bgnbd", "pareto_nbd", "gamma_gamma"] {
                    guard case .object(let o)? = p[key] else { continue }
                    let text = ["r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma", "log_likelihood"].compactMap { k -> String? in
                        if case .number(let x)? = o[k] { return k + " = " + String(format: "%.4f", x) }
                        return nil
                    }.joined(separator: ", ")
                    parameters.append(["name": key, "values": text])
                }
            }
            model["run"] = Pages.model([
                "status": t("insights_run_" + run.status), "statusKey": run.status, "asOf": run.asOf, "model": run.model ?? "—",
                "customers": v.fmt.number(run.customers), "orders": v.fmt.number(run.transactions),
                "range": [run.firstDay, run.lastDay].compactMap { $0 }.joined(separator: " – "), "duration": run.durationMs.map { v.fmt.number($0) } ?? "—",
                "started": f.string(from: run.createdAt), "parameters": parameters, "hasParameters": !parameters.isEmpty, "error": run.error,
                "kind": t("insights_kind_" + (run.kind == "incremental" ? "incremental" : "full")),
                "touched": run.touched.map { v.fmt.number($0) }, "running": running,
                "phase": running ? t("insights_phase_" + (run.phase ?? "reading")) : nil,
                "done": run.progressDone, "total": run.progressTotal, "hasTotal": running && run.progressTotal > 0,
                "progress": t("insights_progress").replacingOccurrences(of: "{done}", with: v.fmt.number(run.progressDone))
                    .replacingOccurrences(of: "{total}", with: v.fmt.number(run.progressTotal)),
                "selfHref": InsightsURL.insights.path,
            ])
            model["running"] = running
        }
        model["charts"] = try await charts(v, scope).map { s -> [String: Any] in
            let table = s.chart.shownTable
            return ["id": s.id, "title": s.chart.title, "period": s.period, "svg": s.chart.svg, "csvHref": InsightsURL.chartCSV(s.id).path,
                    "header": table.first ?? [], "rows": table.dropFirst().map { ["cells": $0] }]
        }
        let flash: (String, String)? = error.map { ("bad", v.message($0)) } ?? (started ? ("good", t("insights_started")) : nil)
        return pages.page("insights", Pages.model(model), title: t("insights"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }

    /// The dashboard's customers at risk: the ten most valuable (by 12-month value) the last run
    /// says are likely leaving, among those the viewer may see; for analytics readers.
    static func dashboard(_ pages: Pages, _ scope: Scope, _ v: PageContext) async throws -> [DashboardBlock] {
        guard scope.level(.analytics, .read) != nil, scope.level(.customers, .read) != nil,
              let run = try await pages.services.scores.latest(scope, finished: true) else { return [] }
        var filter = CustomerFilter()
        filter.churnRisk = "high"
        var rows: [DashboardRow] = []
        for c in try await pages.services.customers.list(scope, filter: filter, sort: .clv, descending: true, limit: 10).items {
            guard let s = try await pages.services.scores.scores(scope, customerID: c.id) else { continue }
            rows.append(DashboardRow(c.name, v.fmt.money(minor: s.clv12m, currency: s.currency), href: CustomerURL.customer(c.id).path))
        }
        let t = { (k: String) in v.text(k) }
        return [DashboardBlock(id: "at_risk", position: 50, title: t("dash_at_risk"), period: t("chart_period_run").replacingOccurrences(of: "{day}", with: run.asOf),
                               rows: rows, href: "/customers?churn_risk=high&sort=-clv")]
    }

    /// A customer's scores on their 360 page, for those who may read analytics.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard let s = try await pages.services.scores.scores(scope, customerID: customerID) else { return [:] }
        let t = { (k: String) in v.text(k) }
        return ["scores": Pages.model([
            "line": InsightsWords.line(s, v), "segment": t("segment_" + s.rfmSegment), "churn": t("churn_" + s.churnRisk), "churnKey": s.churnRisk,
            "clv": v.fmt.money(minor: s.clv12m, currency: s.currency), "tier": t("tier_" + s.valueTier), "class": t("class_" + s.customerClass),
            "expected": String(format: "%.2f", s.expectedPurchases90d), "crossSell": s.crossSell.joined(separator: "、"),
            "hasCrossSell": !s.crossSell.isEmpty,
        ])]
    }
}

/// Templates of the Insights page and the scores on a customer's page, and their stylesheet part.
enum InsightsTemplates {
    static let insights = """
    <section>
      <div class="head"><h1>{{t.insights}}</h1>{{#mayRun}}{{^running}}<div class="actions"><form method="post" action="/insights/score-runs"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.insights_run_now}}</button></form><form method="post" action="/insights/score-runs"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="full" value="1"><button type="submit">{{t.insights_run_full}}</button></form></div>{{/running}}{{/mayRun}}</div>
      <p class="meta">{{t.insights_intro}}</p>
      {{#run}}{{#running}}<div class="card run-progress" data-refresh="3000" role="status"><p><b>{{phase}}</b></p>{{#hasTotal}}<p><progress value="{{done}}" max="{{total}}"></progress> {{progress}}</p>{{/hasTotal}}<noscript><p><a class="button" href="{{selfHref}}">{{t.refresh}}</a></p></noscript></div>{{/running}}
      {{#error}}<p class="flash bad" role="alert">{{t.insights_failed_because}} {{error}}</p>{{/error}}
      <h2>{{t.insights_last_run}}</h2>
      <dl class="facts insights-run">
        <dt>{{t.insights_status}}</dt><dd><span class="tag run-{{statusKey}}">{{status}}</span> {{started}}</dd>
        <dt>{{t.insights_kind}}</dt><dd>{{kind}}{{#touched}} · {{t.insights_touched}} {{touched}}{{/touched}}</dd>
        <dt>{{t.insights_as_of}}</dt><dd>{{asOf}}</dd>
        <dt>{{t.insights_model}}</dt><dd>{{model}}</dd>
        <dt>{{t.insights_customers}}</dt><dd>{{customers}}</dd>
        <dt>{{t.insights_orders}}</dt><dd>{{orders}}</dd>
        <dt>{{t.insights_range}}</dt><dd>{{range}}</dd>
        <dt>{{t.insights_duration}}</dt><dd>{{duration}}</dd>
        {{#error}}<dt>{{t.insights_error}}</dt><dd>{{error}}</dd>{{/error}}
      </dl>
      {{#hasParameters}}<h2>{{t.insights_parameters}}</h2><ul class="related">{{#parameters}}<li><b>{{name}}</b> <code>{{values}}</code></li>{{/parameters}}</ul>{{/hasParameters}}
      {{/run}}{{^run}}<p>{{t.insights_none}}</p>{{/run}}
      {{#charts}}<figure class="card chart-card" id="chart-{{id}}">
        <figcaption><h2>{{title}}</h2> <a class="csv" href="{{csvHref}}" download>{{t.chart_download_csv}}</a></figcaption>
        <p class="meta">{{period}}</p>
        {{{svg}}}
        <details><summary>{{t.chart_numbers}}</summary><div class="scroll"><table class="list numbers">
          <thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
          <tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody>
        </table></div></details>
      </figure>{{/charts}}
    </section>
    """

    static let customerScores = """
    <section class="scores"><h2>{{t.scores}}</h2><p>{{line}}</p><dl class="facts">
      <dt>{{t.score_segment}}</dt><dd>{{segment}}</dd><dt>{{t.score_churn}}</dt><dd><span class="tag churn-{{churnKey}}">{{churn}}</span></dd>
      <dt>{{t.score_clv}}</dt><dd>{{clv}}</dd><dt>{{t.score_tier}}</dt><dd>{{tier}}</dd><dt>{{t.score_class}}</dt><dd>{{class}}</dd>
      <dt>{{t.score_expected}}</dt><dd>{{expected}}</dd>{{#hasCrossSell}}<dt>{{t.score_cross_sell}}</dt><dd>{{crossSell}}</dd>{{/hasCrossSell}}
    </dl></section>
    """

    static let all: [String: String] = ["insights": insights, "customer_scores": customerScores, "scorecards": Scorecards.template]

    static let css = """
    .insights-run dd, .scores dd { overflow-wrap: anywhere; }
    .tag.churn-high { background: #fde2e1; color: #8a1c14; }
    .tag.churn-medium { background: #fff1d6; color: #7a4b00; }
    .tag.churn-low { background: #e3f4e8; color: #1d5e33; }
    .tag.run-failed { background: #fde2e1; color: #8a1c14; }
    .run-progress progress { width: 100%; max-width: 24rem; }
    .head .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
    """ + Scorecards.css
}
