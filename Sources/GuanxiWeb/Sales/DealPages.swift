import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Deal pages: the kanban board (drag a card, or pick a stage and press move: both post the same
/// form, so the board works by keyboard and without JavaScript), a deal's page, and opening a deal.
struct DealPages {
    let pages: Pages
    var services: AppServices { pages.services }
    static let idleDays = 14
    /// Cards shown per column; the column's count and totals cover all its deals.
    static let cardsPerColumn = 20

    var routes: [PageRoute] {
        [
            .get(DealURL.deals) { p, scope in try await board(p.request, p.page, scope) },
            .get(DealURL.newDeal) { p, scope in
                guard let id = p.query("customer_id"), !id.isEmpty else {
                    return try await pages.pickCustomer(p.page, scope, title: p.page.text("new_deal"), target: DealURL.newDeal.path, q: p.query("q"))
                }
                let c = try await services.customers.get(scope, id: id)
                return form(p.page, customer: c, values: ["currency": DealStore.defaultCurrency], errors: [:], flash: nil)
            },
            .post(DealURL.newDeal) { p, scope in
                let f = p.form
                let c = try await services.customers.get(scope, id: f["customer_id"] ?? "")
                var d = DealDraft()
                d.name = f["name"] ?? ""; d.customerID = c.id
                d.expectedClose = (f["expected_close"] ?? "").isEmpty ? nil : f["expected_close"]
                do {
                    d.amount = try Formats.money(f["amount"] ?? "", currency: f["currency"] ?? DealStore.defaultCurrency)
                    let deal = try await services.deals.create(scope, d)
                    return Pages.redirect(DealURL.deal(deal.id).path)
                } catch let e as DomainError {
                    return form(p.page, customer: c, values: f, errors: Pages.fieldErrors(e), flash: ("bad", p.page.message(e)), status: .unprocessableContent)
                }
            },
            .get(DealURL.deal(":id")) { p, scope in try await detail(p.page, scope, p.parameter("id")) },
            .post(DealURL.dealAction(":id", ":action")) { p, scope in
                let id = p.parameter("id"), f = p.form
                let back = Pages.safeNext(f["back"] ?? DealURL.deal(id).path)
                do {
                    switch p.parameter("action") {
                    case "move":
                        _ = try await services.deals.move(scope, id: id, toStage: f["stage_id"] ?? "", reason: f["reason"], ifVersion: f["version"].flatMap { Int($0) })
                    case "edit":
                        var d = DealDraft()
                        d.name = f["name"]; d.expectedClose = f["expected_close"].flatMap { $0.isEmpty ? nil : $0 }
                        if let a = f["amount"] { d.amount = try Formats.money(a, currency: f["currency"] ?? DealStore.defaultCurrency) }
                        _ = try await services.deals.update(scope, id: id, d, ifVersion: f["version"].flatMap { Int($0) })
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(back)
                } catch let e as DomainError where e != .notFound("deal") {
                    return try await detail(p.page, scope, id, flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    func board(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        if req.query("view") == "list" { return try await list(req, v, scope) }
        let t = { (k: String) in v.text(k) }
        let mine = req.query("mine") == "1"
        let (pipeline, columns) = try await services.deals.board(scope, pipelineID: req.query("pipeline_id").flatMap { ID.isValid($0) ? $0 : nil },
                                                                 ownerID: mine ? scope.userID : nil, perStage: Self.cardsPerColumn)
        let pipelines = try await services.deals.pipelines(scope)
        let now = Date()
        let names = try await services.customers.names(scope, ids: Set(columns.flatMap { $0.deals.map(\.customerID) }))
        let canMove = scope.level(.deals, .update) != nil
        let back = v.next
        let escape = Rendering.FastHTML()
        let cols: [[String: Any]] = columns.map { col in
            // every card of a column offers the same other stages: the options are written once per column
            let options = pipeline.stages.filter { $0.id != col.stage.id }
                .map { "<option value=\"\($0.id)\">" + escape.escapeText(v.name($0)) + "</option>" }.joined()
            return Pages.model([
                "id": col.stage.id, "name": v.name(col.stage), "probability": v.fmt.number(col.stage.probability) + "%",
                "count": v.fmt.number(col.count), "closed": col.stage.kind != .open, "lost": col.stage.kind == .lost,
                "totals": col.totals.isEmpty ? "—" : col.totals.map { v.fmt.money(minor: $0.minor, currency: $0.currency) }.joined(separator: " + "),
                "weighted": col.weighted.isEmpty || col.stage.kind != .open ? nil
                    : col.weighted.map { v.fmt.money(minor: $0.minor, currency: $0.currency) }.joined(separator: " + "),
                "more": col.count > col.deals.count ? v.fmt.number(col.count - col.deals.count) : nil,
                "moreHref": DealURL.deals.path + "?view=list&pipeline_id=" + pipeline.id + "&stage_id=" + col.stage.id + (mine ? "&mine=1" : ""),
                "cards": col.deals.map { d in
                    Pages.model(["id": d.id, "href": DealURL.deal(d.id).path, "name": d.name, "customer": names[d.customerID] ?? "",
                                 "amount": v.fmt.money(minor: d.amount.minor, currency: d.amount.currency), "close": d.expectedClose.map(v.fmt.day),
                                 "idle": d.isIdle(at: now, days: Self.idleDays), "version": String(d.version),
                                 "moveHref": DealURL.dealAction(d.id, "move").path, "options": options, "canMove": canMove])
                },
            ])
        }
        let model = Pages.model([
            "columns": cols, "csrf": v.csrf, "back": back, "mine": mine,
            "pipelines": pipelines.map { ["href": DealURL.deals.path + "?pipeline_id=" + $0.id, "name": v.name($0), "current": $0.id == pipeline.id] as [String: Any] },
            "mineHref": DealURL.deals.path + "?pipeline_id=" + pipeline.id + (mine ? "" : "&mine=1"),
            "newHref": scope.level(.deals, .create) != nil ? DealURL.newDeal.path : nil,
            "listHref": DealURL.deals.path + "?view=list&pipeline_id=" + pipeline.id + (mine ? "&mine=1" : ""),
        ])
        return pages.page("deals", model, title: t("deals"), visit: v)
    }

    /// The board's deals as a list (`?view=list`): one pipeline, or one stage of it, counted,
    /// sorted by when each deal was opened (the indexed key) either way and paged both ways.
    func list(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let params = ListView.params(req)
        let pipelines = try await services.deals.pipelines(scope)
        let wanted = ListView.param(params, "pipeline_id")
        guard let pipeline = pipelines.first(where: { $0.id == wanted }) ?? pipelines.first else { throw DomainError.notFound("pipeline") }
        let stage = ListView.param(params, "stage_id").flatMap { id in pipeline.stages.first { $0.id == id } }
        let mine = ListView.param(params, "mine") == "1"
        var filter = DealFilter()
        filter.pipelineID = pipeline.id; filter.stageID = stage?.id; filter.ownerID = mine ? scope.userID : nil
        let list = ListView(path: DealURL.deals.path, params: params,
                            filters: [("view", "list"), ("pipeline_id", pipeline.id), ("stage_id", stage?.id), ("mine", mine ? "1" : nil)],
                            sorts: ["created_at", "-created_at"], defaultSort: "-created_at")
        let page = try await services.deals.window(scope, filter: filter, oldestFirst: !list.descending, cursor: list.cursor, before: list.before, limit: 50)
        let (n, exact) = try await services.deals.count(scope, filter: filter)
        let names = try await services.customers.names(scope, ids: Set(page.items.map(\.customerID)))
        let stages = Dictionary(pipeline.stages.map { ($0.id, v.name($0)) }) { a, _ in a }
        let f = try await pages.formatter(v, scope)
        let rows: [[String: Any]] = page.items.map { d in
            Pages.model(["href": DealURL.deal(d.id).path, "name": d.name, "customer": names[d.customerID] ?? "",
                         "customerHref": CustomerURL.customer(d.customerID).path, "stage": stages[d.stageID] ?? "",
                         "amount": v.fmt.money(minor: d.amount.minor, currency: d.amount.currency), "close": d.expectedClose.map(v.fmt.day),
                         "created": f.string(from: d.createdAt)])
        }
        let boardHref = DealURL.deals.path + "?pipeline_id=" + pipeline.id + (mine ? "&mine=1" : "")
        let sortCreated = list.header("created_at", t("created"), firstDescending: true)
        let model = Pages.model([
            "rows": rows, "hasRows": !rows.isEmpty, "count": ListView.count(v, "count_deals", n, exact: exact),
            "pager": list.pager(next: page.next, previous: page.previous),
            "sortCreated": sortCreated, "sortChoices": list.choices([sortCreated]),
            "heading": stage.map { v.name(pipeline) + " · " + v.name($0) } ?? v.name(pipeline), "boardHref": boardHref,
            "stages": [["href": DealURL.deals.path + "?view=list&pipeline_id=" + pipeline.id + (mine ? "&mine=1" : ""), "label": t("all"), "current": stage == nil] as [String: Any]]
                + pipeline.stages.map { s in
                    ["href": DealURL.deals.path + "?view=list&pipeline_id=" + pipeline.id + "&stage_id=" + s.id + (mine ? "&mine=1" : ""), "label": v.name(s),
                     "current": s.id == stage?.id] as [String: Any]
                },
            "newHref": scope.level(.deals, .create) != nil ? DealURL.newDeal.path : nil,
        ])
        return pages.page("deal_list", model, title: t("deals"), visit: v)
    }


    func form(_ v: PageContext, customer c: Customer, values: [String: String], errors: [String: DomainMessage], flash: (kind: String, text: String)?,
              status: HTTPResponse.Status = .ok) -> Response {
        let t = { (k: String) in v.text(k) }
        let fields: [(String, String, Bool)] = [("name", "deal_name", true), ("amount", "deal_amount", false), ("expected_close", "deal_expected_close", false)]
        let model: [String: Any] = [
            "csrf": v.csrf, "customerID": c.id, "customerName": c.name, "customerHref": CustomerURL.customer(c.id).path,
            "fields": fields.map { name, key, required in
                Pages.model(["name": name, "label": t(key), "value": values[name] ?? "", "required": required,
                             "type": name == "expected_close" ? "date" : "text", "inputmode": name == "amount" ? "decimal" : nil,
                             "error": errors[name].map { v.localize($0) }])
            },
            "currencies": ["CNY", "TWD", "HKD", "USD", "EUR"].map { ["value": $0, "selected": $0 == (values["currency"] ?? "CNY")] as [String: Any] },
        ]
        return pages.page("deal_form", model, title: t("new_deal"), visit: v, flash: flash, status: status)
    }

    func detail(_ v: PageContext, _ scope: Scope, _ id: String, flash: (kind: String, text: String)? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let d = try await services.deals.get(scope, id: id)
        let pipeline = try await services.deals.pipelines(scope).first { $0.id == d.pipelineID }
        let stage = pipeline?.stages.first { $0.id == d.stageID }
        let c = try? await services.customers.get(scope, id: d.customerID)
        let owner = try await pages.userName(d.ownerID)
        let f = try await pages.formatter(v, scope)
        let facts: [(String, String?)] = [
            ("deal_stage", (stage.map(v.name) ?? "") + " · " + v.fmt.number(d.probability) + "%"), ("deal_status", t("deal_status_" + d.status.rawValue)),
            ("deal_amount", v.fmt.money(minor: d.amount.minor, currency: d.amount.currency)),
            ("deal_weighted", v.fmt.money(minor: d.amount.weighted(percent: d.probability).minor, currency: d.amount.currency)),
            ("deal_expected_close", d.expectedClose.map(v.fmt.day)), ("owner", owner ?? "—"), ("deal_close_reason", d.closeReason),
            ("deal_closed_at", d.closedAt.map(f.string(from:))), ("lead_created", f.string(from: d.createdAt)),
        ]
        let model = Pages.model([
            "name": d.name, "csrf": v.csrf, "version": String(d.version), "idle": d.isIdle(at: Date(), days: Self.idleDays),
            "customerName": c?.name, "customerHref": c.map { CustomerURL.customer($0.id).path },
            "facts": facts.compactMap { k, val in val.flatMap { $0.isEmpty ? nil : ["label": t(k), "value": $0] } },
            "canEdit": scope.level(.deals, .update) != nil, "moveHref": DealURL.dealAction(d.id, "move").path, "editHref": DealURL.dealAction(d.id, "edit").path,
            "stages": (pipeline?.stages ?? []).filter { $0.id != d.stageID }.map { ["value": $0.id, "label": v.name($0)] },
            "amount": Formats.plain(d.amount), "expectedClose": d.expectedClose ?? "", "dealName": d.name,
            "currencies": ["CNY", "TWD", "HKD", "USD", "EUR"].map { ["value": $0, "selected": $0 == d.amount.currency] as [String: Any] },
            "boardHref": DealURL.deals.path + "?pipeline_id=" + d.pipelineID,
        ])
        return pages.page("deal", model, title: d.name, visit: v, flash: flash, status: status)
    }
}

enum DealTemplates {
    static let board = """
    <section>
      <div class="head"><h1>{{t.deals}}</h1><span><a class="button" href="{{mineHref}}"{{#mine}} aria-current="true"{{/mine}}>{{t.mine}}</a> <a class="button" href="{{listHref}}">{{t.deal_list}}</a>{{#newHref}} <a class="button primary" href="{{newHref}}">{{t.new_deal}}</a>{{/newHref}}</span></div>
      <nav class="tabs" aria-label="{{t.pipelines}}">{{#pipelines}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a>{{/pipelines}}</nav>
      <p class="hint">{{t.board_hint}}</p>
      <div class="board">{{#columns}}
        <section class="column{{#closed}} closed{{/closed}}" data-stage="{{id}}" aria-label="{{name}}">
          <h2>{{name}} <small>{{probability}}</small></h2>
          <p class="sum"><span>{{count}}</span> · <span>{{totals}}</span>{{#weighted}} <small>{{t.weighted}} {{weighted}}</small>{{/weighted}}</p>
          <ol class="cards">{{#cards}}<li class="deal-card{{#idle}} idle{{/idle}}" draggable="true" data-deal="{{id}}">
            <a href="{{href}}">{{name}}</a><span class="who">{{customer}}</span><strong>{{amount}}</strong>{{#close}}<time>{{close}}</time>{{/close}}{{#idle}} <span class="tag bad">{{t.deal_idle}}</span>{{/idle}}
            {{#canMove}}<form method="post" action="{{moveHref}}" class="move"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="back" value="{{back}}">
              <select name="stage_id" aria-label="{{t.deal_move_to}} {{name}}">{{{options}}}</select><input type="hidden" name="reason" value=""><button>{{t.deal_move}}</button></form>{{/canMove}}
          </li>{{/cards}}</ol>
          {{#more}}<p class="hint"><a href="{{moreHref}}">{{t.and_more}} {{more}}</a></p>{{/more}}
        </section>{{/columns}}
      </div>
    </section>
    """

    static let list = """
    <section>
      <div class="head"><h1>{{t.deals}} <small>{{heading}}</small></h1><span><a class="button" href="{{boardHref}}">{{t.deal_board}}</a>{{#newHref}} <a class="button primary" href="{{newHref}}">{{t.new_deal}}</a>{{/newHref}}</span></div>
      <nav class="tabs" aria-label="{{t.deal_stage}}">{{#stages}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/stages}}</nav>
      <p class="count" role="status">{{count}}</p>
      {{#hasRows}}{{#sortChoices}}{{> sort_choices}}{{/sortChoices}}<div class="scroll"><table class="list stack deals">
        <thead><tr><th scope="col">{{t.deal_name}}</th><th scope="col">{{t.customer}}</th><th scope="col">{{t.deal_stage}}</th><th scope="col" class="num">{{t.deal_amount}}</th><th scope="col">{{t.deal_expected_close}}</th>{{#sortCreated}}{{> sort_header}}{{/sortCreated}}</tr></thead>
        <tbody>{{#rows}}<tr><td data-label="{{t.deal_name}}"><a href="{{href}}">{{name}}</a></td><td data-label="{{t.customer}}"><a href="{{customerHref}}">{{customer}}</a></td><td data-label="{{t.deal_stage}}"><span class="tag">{{stage}}</span></td><td class="num" data-label="{{t.deal_amount}}">{{amount}}</td><td data-label="{{t.deal_expected_close}}">{{close}}</td><td data-label="{{t.created}}">{{created}}</td></tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_deals}}</p>{{/hasRows}}
      {{#pager}}{{> list_pager}}{{/pager}}
    </section>
    """

    static let dealForm = """
    <section class="card">
      <h1>{{t.new_deal}}</h1>
      <p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>
      <form method="post" action="/deals/new" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{customerID}}">
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input type="{{type}}" name="{{name}}" value="{{value}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}}{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        <label>{{t.deal_currency}}<select name="currency">{{#currencies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/currencies}}</select></label>
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{customerHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    static let deal = """
    <article class="c360">
      <div class="head"><h1>{{name}}</h1>{{#idle}}<span class="tag bad">{{t.deal_idle}}</span>{{/idle}}<a class="button" href="{{boardHref}}">{{t.deals}}</a></div>
      {{#customerHref}}<p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>{{/customerHref}}
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
      {{#canEdit}}<div class="actions-row">
        <form method="post" action="{{moveHref}}" class="card stack">
          <h2>{{t.deal_move}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.deal_stage}}<select name="stage_id">{{#stages}}<option value="{{value}}">{{label}}</option>{{/stages}}</select></label>
          <label>{{t.deal_close_reason}}<input name="reason" maxlength="200"></label>
          <button class="primary">{{t.deal_move}}</button>
        </form>
        <form method="post" action="{{editHref}}" class="card stack">
          <h2>{{t.edit}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.deal_name}}<input name="name" value="{{dealName}}" required></label>
          <label>{{t.deal_amount}}<input name="amount" value="{{amount}}" inputmode="decimal"></label>
          <label>{{t.deal_currency}}<select name="currency">{{#currencies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/currencies}}</select></label>
          <label>{{t.deal_expected_close}}<input type="date" name="expected_close" value="{{expectedClose}}"></label>
          <button>{{t.save}}</button>
        </form>
      </div>{{/canEdit}}
    </article>
    """

    static let all: [String: String] = ["deals": board, "deal_list": list, "deal_form": dealForm, "deal": deal]
}

extension DealPages {
    /// The customer's deals and tasks on the 360 page, and opening one.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        var part: [String: Any] = [:]
        if scope.level(.deals, .read) != nil {
            var df = DealFilter(); df.customerID = customerID
            let stages = Dictionary(try await pages.services.deals.pipelines(scope).flatMap(\.stages).map { ($0.id, v.name($0)) }, uniquingKeysWith: { a, _ in a })
            let deals = try await pages.services.deals.list(scope, filter: df, cursor: nil, limit: 20).items.map { d in
                ["href": DealURL.deal(d.id).path, "name": d.name, "stage": stages[d.stageID] ?? "",
                 "amount": v.fmt.money(minor: d.amount.minor, currency: d.amount.currency)]
            }
            part["deals"] = deals
            part["hasDeals"] = !deals.isEmpty
        }
        if scope.level(.deals, .create) != nil { part["newDealHref"] = DealURL.newDeal.path + "?customer_id=" + customerID }
        if scope.level(.tasks, .create) != nil { part["newTaskHref"] = TaskPages.newTaskHref(.customer, customerID) }
        return part
    }
}
