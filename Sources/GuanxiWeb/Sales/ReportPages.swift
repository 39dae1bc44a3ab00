import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The 报表 page: one month's lead funnel, the pipeline by stage, the forecast, won/lost reasons,
/// target attainment (and setting targets), what is overdue, and the month's orders by status. Each
/// section appears only for roles that may read what it counts, and counts only what they may see;
/// each heading says its period: the month switched to, "now" (the pipeline, what is overdue), or
/// the open deals by expected close (the forecast).
struct ReportPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(ReportURL.reports) { p, scope in try await page(p.query("month"), p.page, scope) },
            .post(ReportURL.reportTargets) { p, scope in
                let f = p.form
                let month = f["month"] ?? ""
                do {
                    let subject = f["subject"] ?? ""
                    let id = String(subject.drop { $0 != ":" }.dropFirst())
                    let amount = try Formats.money(f["amount"] ?? "", currency: f["currency"] ?? DealStore.defaultCurrency)
                    _ = try await services.targets.save(scope, [SalesTarget(month: month, userID: subject.hasPrefix("user:") ? id : nil,
                                                                            teamID: subject.hasPrefix("team:") ? id : nil,
                                                                            metric: TargetMetric(rawValue: f["metric"] ?? "") ?? .revenue, amount: amount)])
                    return Pages.redirect(ReportURL.reports.path + "?month=" + month + "#targets")
                } catch let e as DomainError {
                    return try await page(month, p.page, scope, flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    func page(_ requested: String?, _ v: PageContext, _ scope: Scope, flash: (kind: String, text: String)? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let tz = try await services.access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai"
        let thisMonth = String(Dates.day(Date(), timeZone: tz).prefix(7))
        let month = requested.flatMap(SalesTarget.month) ?? thisMonth
        let (start, end) = Dates.monthRange(month, timeZone: tz)!
        let money = { (m: Money) in v.fmt.money(minor: m.minor, currency: m.currency) }
        let moneys = { (ms: [Money]) in ms.isEmpty ? "—" : ms.map(money).joined(separator: " + ") }
        let pct = { (n: Int, of: Int) in of == 0 ? "—" : v.fmt.number(n * 100 / of) + "%" }
        var names: [String: String] = [:]
        func name(_ id: String?) async throws -> String {
            guard let id else { return t("report_unassigned") }
            if let n = names[id] { return n }
            let n = try await pages.userName(id) ?? id
            names[id] = n
            return n
        }
        var model: [String: Any] = ["month": month, "monthLabel": v.fmt.month(month), "csrf": v.csrf,
                                    "prevHref": ReportURL.reports.path + "?month=" + Dates.shiftMonth(month, -1), "nextHref": ReportURL.reports.path + "?month=" + Dates.shiftMonth(month, 1)]
        if scope.level(.leads, .read) != nil {
            let f = try await services.reports.leadFunnel(scope, from: start, to: end)
            model["funnel"] = [
                ["label": t("report_captured"), "count": v.fmt.number(f.captured), "rate": f.captured == 0 ? "—" : "100%", "width": f.captured == 0 ? 0 : 100],
                ["label": t("lead_status_contacted"), "count": v.fmt.number(f.contacted), "rate": pct(f.contacted, f.captured), "width": f.captured == 0 ? 0 : f.contacted * 100 / f.captured],
                ["label": t("lead_status_qualified"), "count": v.fmt.number(f.qualified), "rate": pct(f.qualified, f.captured), "width": f.captured == 0 ? 0 : f.qualified * 100 / f.captured],
                ["label": t("lead_status_converted"), "count": v.fmt.number(f.converted), "rate": pct(f.converted, f.captured), "width": f.captured == 0 ? 0 : f.converted * 100 / f.captured],
                ["label": t("lead_status_disqualified"), "count": v.fmt.number(f.disqualified), "rate": pct(f.disqualified, f.captured), "width": f.captured == 0 ? 0 : f.disqualified * 100 / f.captured],
            ] as [[String: Any]]
            model["sources"] = f.bySource.prefix(10).map { ["source": $0.source.isEmpty ? "—" : $0.source, "captured": v.fmt.number($0.captured),
                                                            "converted": v.fmt.number($0.converted), "rate": pct($0.converted, $0.captured)] }
            model["overdueLeadsHref"] = LeadURL.leads.path + "?overdue=1"
        }
        if scope.level(.deals, .read) != nil {
            let (pipeline, columns) = try await services.deals.board(scope, pipelineID: nil, perStage: 1)
            model["pipelineName"] = v.name(pipeline)
            model["stages"] = columns.map { c in
                ["name": v.name(c.stage), "count": v.fmt.number(c.count), "total": moneys(c.totals), "weighted": c.stage.kind == .open ? moneys(c.weighted) : "—"]
            }
            var forecast: [[String: Any]] = []
            for r in try await services.deals.forecast(scope) {
                forecast.append(["month": r.month == "none" ? "—" : v.fmt.month(r.month), "owner": try await name(r.ownerID), "count": v.fmt.number(r.count),
                                 "amount": money(r.amount), "weighted": money(r.weighted)])
            }
            model["forecast"] = forecast
            let teamNames = Dictionary(try await services.access.teams(scope).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            model["teamForecast"] = try await services.deals.forecastByTeam(scope).map { r in
                ["month": r.month == "none" ? "—" : v.fmt.month(r.month), "team": r.teamID.flatMap { teamNames[$0] } ?? t("report_no_team"),
                 "count": v.fmt.number(r.count), "amount": money(r.amount), "weighted": money(r.weighted)]
            }
            model["reasons"] = try await services.reports.closeReasons(scope, from: start, to: end).map { r in
                ["status": t("deal_status_" + r.status.rawValue), "won": r.status == .won, "reason": r.reason ?? "—", "count": v.fmt.number(r.count), "amount": money(r.amount)] as [String: Any]
            }
        }
        if scope.level(.orders, .read) != nil {
            var rows: [[String: Any]] = []
            let teams = try await services.access.teams(scope)
            for a in try await services.targets.attainment(scope, month: month) {
                let who = if let u = a.target.userID { try await name(u) }
                          else { teams.first { $0.id == a.target.teamID }.map { t("rule_team") + " · " + $0.name } ?? "—" }
                rows.append(Pages.model(["who": who, "metric": t("target_" + a.target.metric.rawValue), "target": money(a.target.amount),
                                         "achieved": money(a.achieved), "percent": a.percent.map { v.fmt.number($0) + "%" } ?? "—",
                                         "width": min(100, a.percent ?? 0), "met": (a.percent ?? 0) >= 100]))
            }
            model["targets"] = rows
            if let assign = scope.level(.deals, .assign) {
                let admin = scope.level(.settings, .update) != nil
                var people = Set(teams.flatMap(\.memberIDs))
                if let me = scope.userID { people.insert(me) }
                var subjects: [[String: Any]] = []
                for id in people.sorted() where scope.covers(assign, RecordAccess(ownerID: id)) {
                    subjects.append(["value": "user:" + id, "label": try await name(id)])
                }
                for team in teams where admin || team.managerID == scope.userID {
                    subjects.append(["value": "team:" + team.id, "label": t("rule_team") + " · " + team.name])
                }
                model["canSetTargets"] = !subjects.isEmpty
                model["subjects"] = subjects.sorted { ($0["label"] as? String ?? "") < ($1["label"] as? String ?? "") }
                model["metrics"] = TargetMetric.allCases.map { ["value": $0.rawValue, "label": t("target_" + $0.rawValue)] }
                model["currencies"] = ["CNY", "TWD", "HKD", "USD", "EUR"].map { ["value": $0] }
                model["targetsHref"] = ReportURL.reportTargets.path
            }
            var overdue: [[String: Any]] = []
            let late = try await services.reports.overdueCollections(scope, limit: 20)
            let customers = try await services.customers.names(scope, ids: Set(late.map(\.customerID)))
            for o in late {
                overdue.append(["href": OrderURL.order(o.orderID).path, "number": o.number, "customer": customers[o.customerID] ?? "", "due": v.fmt.day(o.dueDate),
                                "amount": money(o.due), "owner": try await name(o.ownerID)])
            }
            model["collections"] = overdue
            // the orders placed in the month, by where they are now (it followed no month before)
            model["orderBoard"] = try await services.orders.statusBoard(scope, placedFrom: start, to: end).filter { $0.1 > 0 }.map { s, n, totals in
                ["href": OrderURL.orders.path + "?status=" + s.rawValue, "label": t("order_status_" + s.rawValue), "count": v.fmt.number(n), "total": moneys(totals)]
            }
        }
        if scope.level(.tasks, .read) != nil {
            var f = TaskFilter(); f.overdue = true
            if scope.level(.tasks, .read) != .all, let me = scope.userID { f.ownerID = me }
            model["overdueTasks"] = try await services.tasks.list(scope, filter: f, cursor: nil, limit: 20).items.map { task in
                Pages.model(["title": task.title, "href": TaskURL.task(task.id).path, "due": v.fmt.day(Dates.day(task.dueAt, timeZone: tz))])
            }
        }
        if scope.level(.leads, .read) != nil {
            var f = LeadFilter(); f.overdue = true
            model["overdueLeads"] = try await services.leads.list(scope, filter: f, cursor: nil, limit: 20).items.map { l in
                Pages.model(["name": l.name, "href": LeadURL.lead(l.id).path, "source": l.source])
            }
        }
        for key in ["funnel", "sources", "stages", "forecast", "teamForecast", "reasons", "targets", "overdueLeads", "overdueTasks", "collections", "orderBoard"] {
            model["has" + key.prefix(1).uppercased() + key.dropFirst()] = !((model[key] as? [Any])?.isEmpty ?? true)
        }
        return pages.page("reports", model, title: t("reports"), visit: v, flash: flash, status: status)
    }

}

enum ReportTemplates {
    static let reports = """
    <section class="reports">
      <div class="head"><h1>{{t.reports}} <small>{{monthLabel}}</small></h1><span><a class="button" href="{{prevHref}}">{{t.report_prev}}</a> <a class="button" href="{{nextHref}}">{{t.report_next}}</a></span></div>
      {{#hasFunnel}}<section class="card"><h2>{{t.report_funnel}} <small class="period">{{monthLabel}}</small></h2>
        <ol class="funnel">{{#funnel}}<li><span class="label">{{label}}</span><progress max="100" value="{{width}}" aria-label="{{label}} {{rate}}"></progress><strong>{{count}}</strong> <small>{{rate}}</small></li>{{/funnel}}</ol>
        {{#hasSources}}<div class="scroll"><table class="list"><thead><tr><th scope="col">{{t.lead_source}}</th><th scope="col" class="num">{{t.report_captured}}</th><th scope="col" class="num">{{t.lead_status_converted}}</th><th scope="col" class="num">{{t.report_rate}}</th></tr></thead>
          <tbody>{{#sources}}<tr><td>{{source}}</td><td class="num">{{captured}}</td><td class="num">{{converted}}</td><td class="num">{{rate}}</td></tr>{{/sources}}</tbody></table></div>{{/hasSources}}
      </section>{{/hasFunnel}}
      {{#hasStages}}<section class="card"><h2>{{t.report_pipeline}} <small>{{pipelineName}}</small> <small class="period">{{t.period_now}}</small></h2><div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.deal_stage}}</th><th scope="col" class="num">{{t.report_count}}</th><th scope="col" class="num">{{t.deal_amount}}</th><th scope="col" class="num">{{t.deal_weighted}}</th></tr></thead>
        <tbody>{{#stages}}<tr><td>{{name}}</td><td class="num">{{count}}</td><td class="num">{{total}}</td><td class="num">{{weighted}}</td></tr>{{/stages}}</tbody></table></div></section>{{/hasStages}}
      {{#hasForecast}}<section class="card"><h2>{{t.report_forecast}} <small class="period">{{t.period_open_by_close}}</small></h2><div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.deal_expected_close}}</th><th scope="col">{{t.owner}}</th><th scope="col" class="num">{{t.report_count}}</th><th scope="col" class="num">{{t.deal_amount}}</th><th scope="col" class="num">{{t.deal_weighted}}</th></tr></thead>
        <tbody>{{#forecast}}<tr><td>{{month}}</td><td>{{owner}}</td><td class="num">{{count}}</td><td class="num">{{amount}}</td><td class="num">{{weighted}}</td></tr>{{/forecast}}</tbody></table></div>
        {{#hasTeamForecast}}<h3>{{t.report_by_team}}</h3><div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.deal_expected_close}}</th><th scope="col">{{t.rule_team}}</th><th scope="col" class="num">{{t.report_count}}</th><th scope="col" class="num">{{t.deal_amount}}</th><th scope="col" class="num">{{t.deal_weighted}}</th></tr></thead>
        <tbody>{{#teamForecast}}<tr><td>{{month}}</td><td>{{team}}</td><td class="num">{{count}}</td><td class="num">{{amount}}</td><td class="num">{{weighted}}</td></tr>{{/teamForecast}}</tbody></table></div>{{/hasTeamForecast}}</section>{{/hasForecast}}
      {{#hasStages}}<section class="card"><h2>{{t.report_reasons}} <small class="period">{{monthLabel}}</small></h2>{{#hasReasons}}<div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.deal_status}}</th><th scope="col">{{t.deal_close_reason}}</th><th scope="col" class="num">{{t.report_count}}</th><th scope="col" class="num">{{t.deal_amount}}</th></tr></thead>
        <tbody>{{#reasons}}<tr><td><span class="tag{{^won}} bad{{/won}}">{{status}}</span></td><td>{{reason}}</td><td class="num">{{count}}</td><td class="num">{{amount}}</td></tr>{{/reasons}}</tbody></table></div>{{/hasReasons}}{{^hasReasons}}<p class="empty">{{t.nothing_yet}}</p>{{/hasReasons}}</section>{{/hasStages}}
      {{#targetsHref}}<section class="card" id="targets"><h2>{{t.report_targets}} <small class="period">{{monthLabel}}</small></h2>{{/targetsHref}}{{^targetsHref}}{{#hasTargets}}<section class="card" id="targets"><h2>{{t.report_targets}} <small class="period">{{monthLabel}}</small></h2>{{/hasTargets}}{{/targetsHref}}
        {{#hasTargets}}<div class="scroll"><table class="list"><thead><tr><th scope="col">{{t.report_who}}</th><th scope="col">{{t.report_metric}}</th><th scope="col" class="num">{{t.report_target}}</th><th scope="col" class="num">{{t.report_achieved}}</th><th scope="col">{{t.report_attainment}}</th></tr></thead>
          <tbody>{{#targets}}<tr><td>{{who}}</td><td>{{metric}}</td><td class="num">{{target}}</td><td class="num">{{achieved}}</td><td><progress class="{{#met}}met{{/met}}" max="100" value="{{width}}" aria-label="{{who}} {{percent}}"></progress> {{percent}}</td></tr>{{/targets}}</tbody></table></div>{{/hasTargets}}
        {{#canSetTargets}}<form method="post" action="{{targetsHref}}" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="month" value="{{month}}">
          <label>{{t.report_who}}<select name="subject">{{#subjects}}<option value="{{value}}">{{label}}</option>{{/subjects}}</select></label>
          <label>{{t.report_metric}}<select name="metric">{{#metrics}}<option value="{{value}}">{{label}}</option>{{/metrics}}</select></label>
          <label>{{t.report_target}}<input name="amount" inputmode="decimal" required></label>
          <label>{{t.deal_currency}}<select name="currency">{{#currencies}}<option value="{{value}}">{{value}}</option>{{/currencies}}</select></label>
          <button class="primary">{{t.save}}</button></form><p class="hint">{{t.targets_hint}}</p>{{/canSetTargets}}
      {{#targetsHref}}</section>{{/targetsHref}}{{^targetsHref}}{{#hasTargets}}</section>{{/hasTargets}}{{/targetsHref}}
      <section class="card"><h2>{{t.report_overdue}} <small class="period">{{t.period_now}}</small></h2>
        {{#hasOverdueLeads}}<h3>{{t.leads}}</h3><ul class="related">{{#overdueLeads}}<li><a href="{{href}}">{{name}}</a>{{#source}} <span class="tag">{{source}}</span>{{/source}}</li>{{/overdueLeads}}</ul>{{/hasOverdueLeads}}
        {{#hasOverdueTasks}}<h3>{{t.report_tasks}}</h3><ul class="related">{{#overdueTasks}}<li><a href="{{href}}">{{title}}</a> <span class="tag bad">{{due}}</span></li>{{/overdueTasks}}</ul>{{/hasOverdueTasks}}
        {{#hasCollections}}<h3>{{t.report_collections}}</h3><div class="scroll"><table class="list"><thead><tr><th scope="col">{{t.order_number}}</th><th scope="col">{{t.customer}}</th><th scope="col">{{t.plan_due}}</th><th scope="col" class="num">{{t.order_outstanding}}</th><th scope="col">{{t.owner}}</th></tr></thead>
          <tbody>{{#collections}}<tr><td><a href="{{href}}">{{number}}</a></td><td>{{customer}}</td><td><span class="tag bad">{{due}}</span></td><td class="num">{{amount}}</td><td>{{owner}}</td></tr>{{/collections}}</tbody></table></div>{{/hasCollections}}
        {{^hasOverdueLeads}}{{^hasOverdueTasks}}{{^hasCollections}}<p class="empty">{{t.report_nothing_overdue}}</p>{{/hasCollections}}{{/hasOverdueTasks}}{{/hasOverdueLeads}}
      </section>
      {{#hasOrderBoard}}<section class="card"><h2>{{t.report_orders_placed}} <small class="period">{{monthLabel}}</small></h2><ul class="related">{{#orderBoard}}<li><a href="{{href}}">{{label}}</a> <strong>{{count}}</strong> <small>{{total}}</small></li>{{/orderBoard}}</ul></section>{{/hasOrderBoard}}
    </section>
    """

    static let css = """
    .funnel{list-style:none;padding:0;margin:0 0 1rem}
    .funnel li{display:grid;grid-template-columns:7rem 1fr 4rem 3.5rem;gap:.6rem;align-items:center;margin:.3rem 0}
    .reports progress{width:100%;min-width:5rem;height:.8rem;vertical-align:middle;accent-color:#0b57d0}
    .reports progress.met{accent-color:var(--ok)}
    .reports h3{font-size:1rem;margin:.8rem 0 .4rem}
    @media (max-width:640px){.funnel li{grid-template-columns:auto minmax(2rem,1fr) auto 2.6rem;gap:.3rem}.funnel progress{min-width:2rem}.reports .card{padding:.7rem}}
    """
}
