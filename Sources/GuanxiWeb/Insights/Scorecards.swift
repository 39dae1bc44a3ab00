import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The balanced scorecard per staff member and team: a page (`/insights/scorecards`), its CSV and
/// `GET /api/v1/scorecards`, all from `ScorecardStore.sheet`, and a summary on a manager's dashboard.
enum Scorecards {
    static let periodPattern = "^2[01][0-9]{2}(-(0[1-9]|1[0-2]|[Qq][1-4]))?$"

    static func store(_ s: AppServices) -> ScorecardStore { ScorecardStore(db: s.db, access: s.access) }

    /// This month in the workspace's time zone.
    static func thisMonth(_ s: AppServices, _ scope: Scope) async throws -> String {
        let tz = try await s.access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai"
        return String(Dates.day(s.clock.now(), timeZone: tz).prefix(7))
    }

    // MARK: API

    static func register(_ t: RouteTable, services s: AppServices) {
        t.on(APIRoute(method: .get, path: "/scorecards", operationID: "getScorecards",
                      summary: "The balanced scorecard per staff member and team over a period (a month 2026-12, a quarter 2026-Q4 or a year 2026; default this month): financial, customer, process and growth measures; people within the caller's reach over orders",
                      tag: "Insights", needs: .can(.read, .orders), query: ["period", "team"], responseSchema: "Scorecard",
                      queryValues: ["period": .matching(periodPattern), "team": .id])) { req, _, scope in
            var period = req.query("period") ?? ""
            if period.isEmpty { period = try await thisMonth(s, scope) }
            return .json(json(try await store(s).sheet(scope, period: period, team: req.query("team"))))
        }
    }

    static func json(_ sheet: ScorecardSheet) -> JSONValue {
        func n(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        func i(_ v: Int) -> JSONValue { .number(Double(v)) }
        func m(_ v: Int64?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        return .object([
            "period": .string(sheet.period.name), "months": .array(sheet.period.months.map { .string($0) }), "currency": .string(sheet.currency),
            "from": .string(Timestamp.iso8601(sheet.from)), "to": .string(Timestamp.iso8601(sheet.to)),
            "items": .array(sheet.rows.map { r in
                let (f, x) = (r.figures, r.measures)
                return .object([
                    "kind": .string(r.kind), "id": .string(r.id), "name": .string(r.name),
                    "financial": .object(["revenue": m(f.revenue), "revenue_target": m(f.revenueTarget), "revenue_attainment": n(x.revenueAttainment),
                                          "collections": m(f.collections), "collections_target": m(f.collectionsTarget),
                                          "collections_attainment": n(x.collectionsAttainment)]),
                    "customer": .object(["retention": n(x.retention), "retained": i(f.retained), "retention_base": i(f.retentionBase),
                                         "satisfaction": n(x.satisfaction), "satisfaction_answers": i(f.csatAnswers)]),
                    "process": .object(["ticket_first_response_minutes": n(x.ticketFirstResponseMinutes), "tickets_answered": i(f.ticketResponseMinutes.count),
                                        "lead_first_response_minutes": n(x.leadFirstResponseMinutes), "leads_answered": i(f.leadResponseMinutes.count),
                                        "visits": i(f.visits), "follow_ups_due": i(f.followUpsDue), "follow_ups_on_time": i(f.followUpsOnTime),
                                        "follow_ups_on_time_share": n(x.followUpsOnTime)]),
                    "growth": .object(["new_customers": i(f.newCustomers), "cross_sell_orders": i(f.crossSellOrders)]),
                ])
            }),
        ])
    }

    static func schemas() -> [String: Any] {
        typealias D = OpenAPIDocument
        let int: [String: Any] = ["type": "integer"], nint: [String: Any] = ["type": ["integer", "null"]], nnum: [String: Any] = ["type": ["number", "null"]]
        let str: [String: Any] = ["type": "string"]
        let row = D.obj([
            "kind": D.enumOf(["user", "team"]), "id": str, "name": str,
            "financial": D.obj(["revenue": int, "revenue_target": nint, "revenue_attainment": nnum, "collections": int, "collections_target": nint,
                                "collections_attainment": nnum], required: ["revenue", "collections"]),
            "customer": D.obj(["retention": nnum, "retained": int, "retention_base": int, "satisfaction": nnum, "satisfaction_answers": int],
                              required: ["retention", "satisfaction"]),
            "process": D.obj(["ticket_first_response_minutes": nnum, "tickets_answered": int, "lead_first_response_minutes": nnum, "leads_answered": int,
                              "visits": int, "follow_ups_due": int, "follow_ups_on_time": int, "follow_ups_on_time_share": nnum],
                             required: ["visits", "follow_ups_on_time_share"]),
            "growth": D.obj(["new_customers": int, "cross_sell_orders": int], required: ["new_customers", "cross_sell_orders"]),
        ], required: ["kind", "id", "name", "financial", "customer", "process", "growth"])
        return ["Scorecard": D.obj([
            "period": ["type": "string", "pattern": periodPattern], "months": D.arr(["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"]),
            "currency": str, "from": ["type": "string", "format": "date-time"], "to": ["type": "string", "format": "date-time"], "items": D.arr(row),
        ], required: ["period", "months", "currency", "from", "to", "items"])]
    }

    // MARK: Page

    /// The measures of one row as the page and the CSV say them.
    static func cells(_ f: ScorecardFigures, _ x: ScorecardMeasures, currency: String, _ v: PageContext) -> [String: String] {
        func pct(_ d: Double?) -> String { d.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
        func money(_ m: Int64?) -> String { m.map { v.fmt.money(minor: $0, currency: currency) } ?? "—" }
        func minutes(_ d: Double?) -> String { d.map { v.text("scorecard_minutes").replacingOccurrences(of: "{n}", with: String(format: "%.0f", $0)) } ?? "—" }
        return [
            "revenue": money(f.revenue), "revenueTarget": money(f.revenueTarget), "revenuePct": pct(x.revenueAttainment),
            "collections": money(f.collections), "collectionsTarget": money(f.collectionsTarget), "collectionsPct": pct(x.collectionsAttainment),
            "retention": pct(x.retention), "retentionOf": "\(f.retained)/\(f.retentionBase)",
            "csat": x.satisfaction.map { String(format: "%.1f", $0) } ?? "—", "csatN": v.text("scorecard_answers").replacingOccurrences(of: "{n}", with: "\(f.csatAnswers)"),
            "ticketResponse": minutes(x.ticketFirstResponseMinutes), "leadResponse": minutes(x.leadFirstResponseMinutes),
            "visits": "\(f.visits)", "followUps": pct(x.followUpsOnTime), "followUpsOf": "\(f.followUpsOnTime)/\(f.followUpsDue)",
            "newCustomers": "\(f.newCustomers)", "crossSell": "\(f.crossSellOrders)",
        ]
    }

    static func pages(_ pages: Pages) -> [PageRoute] {
        [
            .get(InsightsURL.scorecards, needs: .can(.read, .orders)) { p, scope in
                let s = pages.services
                var period = p.query("period") ?? ""
                if period.isEmpty { period = try await thisMonth(s, scope) }
                let team = p.query("team").flatMap { $0.isEmpty ? nil : $0 }
                let v = p.page
                do {
                    return try await page(pages, v, scope, sheet: try await store(s).sheet(scope, period: period, team: team), period: period, team: team)
                } catch let e as DomainError {
                    return try await page(pages, v, scope, sheet: nil, period: period, team: team, error: e)
                }
            },
            .get(InsightsURL.scorecardsCSV, needs: .can(.read, .orders)) { p, scope in
                let s = pages.services
                var period = p.query("period") ?? ""
                if period.isEmpty { period = try await thisMonth(s, scope) }
                let sheet = try await store(s).sheet(scope, period: period, team: p.query("team").flatMap { $0.isEmpty ? nil : $0 })
                var h = HTTPFields()
                h[.contentType] = "text/csv; charset=utf-8"
                h[.contentDisposition] = "attachment; filename=\"scorecard-\(sheet.period.name).csv\""
                h[.cacheControl] = "no-store"
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: Array(csv(sheet).utf8))))
            },
        ]
    }

    /// The sheet as CSV (UTF-8 with a BOM; money in minor units, shares as fractions).
    static func csv(_ sheet: ScorecardSheet) -> String {
        func d(_ v: Double?) -> String { v.map { String($0) } ?? "" }
        func m(_ v: Int64?) -> String { v.map { String($0) } ?? "" }
        var out = "\u{FEFF}" + CSVWriter.row([
            "period", "currency", "kind", "id", "name", "revenue", "revenue_target", "revenue_attainment", "collections", "collections_target",
            "collections_attainment", "retention", "retained", "retention_base", "satisfaction", "satisfaction_answers", "ticket_first_response_minutes",
            "lead_first_response_minutes", "visits", "follow_ups_due", "follow_ups_on_time", "new_customers", "cross_sell_orders",
        ])
        for r in sheet.rows {
            let (f, x) = (r.figures, r.measures)
            out += CSVWriter.row([
                sheet.period.name, sheet.currency, r.kind, r.id, r.name, m(f.revenue), m(f.revenueTarget), d(x.revenueAttainment), m(f.collections),
                m(f.collectionsTarget), d(x.collectionsAttainment), d(x.retention), "\(f.retained)", "\(f.retentionBase)", d(x.satisfaction),
                "\(f.csatAnswers)", d(x.ticketFirstResponseMinutes), d(x.leadFirstResponseMinutes), "\(f.visits)", "\(f.followUpsDue)",
                "\(f.followUpsOnTime)", "\(f.newCustomers)", "\(f.crossSellOrders)",
            ])
        }
        return out
    }

    static func page(_ pages: Pages, _ v: PageContext, _ scope: Scope, sheet: ScorecardSheet?, period: String, team: String?,
                     error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let teams = try await pages.services.access.teams(scope)
        var query = "period=" + (period.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        if let team { query += "&team=" + (team.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        var model: [String: Any] = [
            "period": period, "pattern": periodPattern,
            "teams": teams.map { ["id": $0.id, "name": $0.name, "selected": $0.id == team?.lowercased()] as [String: Any] },
            "csvHref": InsightsURL.scorecardsCSV.path + "?" + query,
        ]
        if let sheet {
            model["rows"] = sheet.rows.map { r -> [String: Any] in
                var c: [String: Any] = cells(r.figures, r.measures, currency: sheet.currency, v)
                c["name"] = r.name; c["isTeam"] = r.kind == "team"
                return c
            }
            model["hasRows"] = !sheet.rows.isEmpty
            model["covers"] = t("scorecard_covers").replacingOccurrences(of: "{from}", with: v.fmt.month(sheet.period.months.first ?? ""))
                .replacingOccurrences(of: "{to}", with: v.fmt.month(sheet.period.months.last ?? "")).replacingOccurrences(of: "{currency}", with: sheet.currency)
        }
        let flash: (String, String)? = error.map { ("bad", v.message($0)) }
        return pages.page("scorecards", Pages.model(model), title: t("scorecard"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }

    /// A manager's dashboard: their people's scorecard this month, summed, and a link to it.
    static func dashboard(_ pages: Pages, _ scope: Scope, _ v: PageContext) async throws -> [DashboardBlock] {
        guard let level = scope.level(.orders, .read), level != .own else { return [] }
        let s = pages.services
        let month = try await thisMonth(s, scope)
        let sheet = try await store(s).sheet(scope, period: month)
        let people = sheet.rows.filter { $0.kind == "user" }
        guard !people.isEmpty else { return [] }
        let all = Scorecard.team(people.map(\.figures))
        let c = cells(all, Scorecard.measures(all), currency: sheet.currency, v)
        let t = { (k: String) in v.text(k) }
        return [DashboardBlock(id: "scorecard", position: 45, title: t("scorecard"), period: month, tiles: [
            DashboardTile(t("scorecard_revenue"), c["revenuePct"]! == "—" ? c["revenue"]! : c["revenuePct"]!),
            DashboardTile(t("scorecard_retention"), c["retention"]!),
            DashboardTile(t("scorecard_follow_ups"), c["followUps"]!),
            DashboardTile(t("scorecard_new_customers"), c["newCustomers"]!),
        ], href: InsightsURL.scorecards.path + "?period=" + month)]
    }

    static let template = """
    <section>
      <div class="head"><h1>{{t.scorecard}}</h1>{{#hasRows}}<a class="button" href="{{csvHref}}" download>{{t.chart_download_csv}}</a>{{/hasRows}}</div>
      <p class="meta">{{t.scorecard_intro}}</p>
      <form method="get" action="/insights/scorecards" class="scorecard-filter">
        <label>{{t.scorecard_period}} <input name="period" value="{{period}}" pattern="2[01][0-9]{2}(-(0[1-9]|1[0-2]|[Qq][1-4]))?" placeholder="{{t.scorecard_period_example}}" size="9" required></label>
        <label>{{t.scorecard_team}} <select name="team"><option value="">{{t.scorecard_everyone}}</option>{{#teams}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/teams}}</select></label>
        <button type="submit">{{t.scorecard_show}}</button>
      </form>
      {{#covers}}<p class="meta">{{covers}}</p>{{/covers}}
      {{#hasRows}}<div class="scroll"><table class="list stack numbers-card">
        <thead><tr><th scope="col">{{t.scorecard_who}}</th><th scope="col">{{t.scorecard_revenue}}</th><th scope="col">{{t.scorecard_collections}}</th>
          <th scope="col">{{t.scorecard_retention}}</th><th scope="col">{{t.scorecard_csat}}</th><th scope="col">{{t.scorecard_ticket_response}}</th>
          <th scope="col">{{t.scorecard_lead_response}}</th><th scope="col">{{t.scorecard_visits}}</th><th scope="col">{{t.scorecard_follow_ups}}</th>
          <th scope="col">{{t.scorecard_new_customers}}</th><th scope="col">{{t.scorecard_cross_sell}}</th></tr></thead>
        <tbody>{{#rows}}<tr{{#isTeam}} class="team-row"{{/isTeam}}><th scope="row" data-label="{{t.scorecard_who}}">{{name}}{{#isTeam}} <span class="tag">{{t.scorecard_team}}</span>{{/isTeam}}</th>
          <td data-label="{{t.scorecard_revenue}}">{{revenue}} / {{revenueTarget}} <b>{{revenuePct}}</b></td>
          <td data-label="{{t.scorecard_collections}}">{{collections}} / {{collectionsTarget}} <b>{{collectionsPct}}</b></td>
          <td data-label="{{t.scorecard_retention}}">{{retention}} <small>({{retentionOf}})</small></td>
          <td data-label="{{t.scorecard_csat}}">{{csat}} <small>{{csatN}}</small></td>
          <td data-label="{{t.scorecard_ticket_response}}">{{ticketResponse}}</td><td data-label="{{t.scorecard_lead_response}}">{{leadResponse}}</td>
          <td data-label="{{t.scorecard_visits}}">{{visits}}</td><td data-label="{{t.scorecard_follow_ups}}">{{followUps}} <small>({{followUpsOf}})</small></td>
          <td data-label="{{t.scorecard_new_customers}}">{{newCustomers}}</td><td data-label="{{t.scorecard_cross_sell}}">{{crossSell}}</td></tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}{{^hasRows}}<p>{{t.scorecard_none}}</p>{{/hasRows}}
    </section>
    """

    static let css = """
    .scorecard-filter { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .8rem 0; }
    .team-row th, .team-row td { background: #f4f6fa; }
    """

    static let words: [UILocale: [String: String]] = [
        .zhHans: [
            "scorecard": "平衡计分卡", "scorecard_intro": "每位员工和每个团队在所选期间的四个方面：财务（销售额和回款对比目标）、客户（客户保留率和满意度）、流程（首次响应时间、拜访、按时跟进）和成长（新客户、交叉销售订单）。",
            "scorecard_period": "期间", "scorecard_period_example": "2026-Q4", "scorecard_answers": "（{n} 份）", "scorecard_team": "团队", "scorecard_everyone": "全部", "scorecard_show": "查看", "scorecard_who": "人员",
            "scorecard_revenue": "销售额 / 目标", "scorecard_collections": "回款 / 目标", "scorecard_retention": "客户保留率", "scorecard_csat": "满意度（5 分制）",
            "scorecard_ticket_response": "工单首次响应（中位数）", "scorecard_lead_response": "线索首次响应（中位数）", "scorecard_visits": "拜访",
            "scorecard_follow_ups": "按时跟进", "scorecard_new_customers": "新客户", "scorecard_cross_sell": "交叉销售订单",
            "scorecard_minutes": "{n} 分钟", "scorecard_none": "这个期间没有可以显示的人员。", "scorecard_covers": "{from} 至 {to}，金额以 {currency} 计。",
        ],
        .zhHant: [
            "scorecard": "平衡計分卡", "scorecard_intro": "每位員工和每個團隊在所選期間的四個面向：財務（銷售額和回款對比目標）、客戶（客戶保留率和滿意度）、流程（首次回應時間、拜訪、準時跟進）和成長（新客戶、交叉銷售訂單）。",
            "scorecard_period": "期間", "scorecard_period_example": "2026-Q4", "scorecard_answers": "（{n} 份）", "scorecard_team": "團隊", "scorecard_everyone": "全部", "scorecard_show": "查看", "scorecard_who": "人員",
            "scorecard_revenue": "銷售額 / 目標", "scorecard_collections": "回款 / 目標", "scorecard_retention": "客戶保留率", "scorecard_csat": "滿意度（5 分制）",
            "scorecard_ticket_response": "工單首次回應（中位數）", "scorecard_lead_response": "名單首次回應（中位數）", "scorecard_visits": "拜訪",
            "scorecard_follow_ups": "準時跟進", "scorecard_new_customers": "新客戶", "scorecard_cross_sell": "交叉銷售訂單",
            "scorecard_minutes": "{n} 分鐘", "scorecard_none": "這個期間沒有可以顯示的人員。", "scorecard_covers": "{from} 至 {to}，金額以 {currency} 計。",
        ],
        .en: [
            "scorecard": "Balanced scorecard", "scorecard_intro": "Each person and team over the chosen period, from four sides: financial (revenue and collections against target), customer (retention and satisfaction of their accounts), process (first response, visits, follow-ups on time) and growth (new customers, cross-sell orders).",
            "scorecard_period": "Period", "scorecard_period_example": "2026-Q4", "scorecard_answers": "({n} answers)", "scorecard_team": "Team", "scorecard_everyone": "Everyone", "scorecard_show": "Show", "scorecard_who": "Who",
            "scorecard_revenue": "Revenue / target", "scorecard_collections": "Collections / target", "scorecard_retention": "Retention", "scorecard_csat": "Satisfaction (of 5)",
            "scorecard_ticket_response": "Ticket first response (median)", "scorecard_lead_response": "Lead first response (median)", "scorecard_visits": "Visits",
            "scorecard_follow_ups": "Follow-ups on time", "scorecard_new_customers": "New customers", "scorecard_cross_sell": "Cross-sell orders",
            "scorecard_minutes": "{n} min", "scorecard_none": "Nobody to show for this period.", "scorecard_covers": "{from} to {to}, money in {currency}.",
        ],
    ]
}
