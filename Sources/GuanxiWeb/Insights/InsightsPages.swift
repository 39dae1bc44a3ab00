import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The Insights page's addresses.
package enum InsightsURL: PageAddress, Equatable {
    case insights, scoreRuns

    package var path: String {
        switch self {
        case .insights: "/insights"
        case .scoreRuns: "/insights/score-runs"
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
            .post(InsightsURL.scoreRuns, needs: .can(.create, .analytics)) { p, scope in
                do {
                    let run = try await scores.start(scope, asOf: nil, period: "week")
                    let store = scores
                    Task.detached { _ = try? await store.execute(scope, run) }
                    return Pages.redirect(InsightsURL.insights.path + "?started=1")
                } catch let e as DomainError {
                    return try await page(p.page, scope, error: e)
                }
            },
        ]
    }

    func page(_ v: PageContext, _ scope: Scope, started: Bool = false, error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        var model: [String: Any] = ["csrf": v.csrf, "mayRun": scope.level(.analytics, .create) == .all]
        if let run = try await scores.latest(scope) {
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
            ])
        }
        let flash: (String, String)? = error.map { ("bad", v.message($0)) } ?? (started ? ("good", t("insights_started")) : nil)
        return pages.page("insights", Pages.model(model), title: t("insights"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
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
      <div class="head"><h1>{{t.insights}}</h1>{{#mayRun}}<form method="post" action="/insights/score-runs"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">{{t.insights_run_now}}</button></form>{{/mayRun}}</div>
      <p class="meta">{{t.insights_intro}}</p>
      {{#run}}<h2>{{t.insights_last_run}}</h2>
      <dl class="facts insights-run">
        <dt>{{t.insights_status}}</dt><dd><span class="tag run-{{statusKey}}">{{status}}</span> {{started}}</dd>
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
    </section>
    """

    static let customerScores = """
    <section class="scores"><h2>{{t.scores}}</h2><p>{{line}}</p><dl class="facts">
      <dt>{{t.score_segment}}</dt><dd>{{segment}}</dd><dt>{{t.score_churn}}</dt><dd><span class="tag churn-{{churnKey}}">{{churn}}</span></dd>
      <dt>{{t.score_clv}}</dt><dd>{{clv}}</dd><dt>{{t.score_tier}}</dt><dd>{{tier}}</dd><dt>{{t.score_class}}</dt><dd>{{class}}</dd>
      <dt>{{t.score_expected}}</dt><dd>{{expected}}</dd>{{#hasCrossSell}}<dt>{{t.score_cross_sell}}</dt><dd>{{crossSell}}</dd>{{/hasCrossSell}}
    </dl></section>
    """

    static let all: [String: String] = ["insights": insights, "customer_scores": customerScores]

    static let css = """
    .insights-run dd, .scores dd { overflow-wrap: anywhere; }
    .tag.churn-high { background: #fde2e1; color: #8a1c14; }
    .tag.churn-medium { background: #fff1d6; color: #7a4b00; }
    .tag.churn-low { background: #e3f4e8; color: #1d5e33; }
    .tag.run-failed { background: #fde2e1; color: #8a1c14; }
    """
}
