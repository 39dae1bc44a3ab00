import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Lead pages: the list (my day: new, overdue, contacted…), capture by hand, the lead page with
/// follow-up, transfer and conversion, and the public form a company embeds on its own site.
struct LeadPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(LeadURL.leads) { p, scope in try await list(p.request, p.page, scope) },
            .get(LeadURL.newLead) { p, _ in form(p.page, values: [:], errors: [:], flash: nil) },
            .post(LeadURL.newLead) { p, scope in
                var d = LeadDraft()
                for field in LeadDraft.fields { if let value = p.form[field] { d.set(field, value) } }
                do {
                    let l = try await services.leads.create(scope, d)
                    return Pages.redirect(LeadURL.lead(l.id).path)
                } catch let e as DomainError {
                    return form(p.page, values: p.form, errors: Pages.fieldErrors(e), flash: ("bad", p.page.message(e)), status: .unprocessableContent)
                }
            },
            .get(LeadURL.lead(":id")) { p, scope in try await detail(p.page, scope, p.parameter("id"), cursor: p.query("cursor")) },
            .post(LeadURL.leadAction(":id", ":action")) { p, scope in
                let id = p.parameter("id"), f = p.form
                do {
                    switch p.parameter("action") {
                    case "status":
                        _ = try await services.leads.setStatus(scope, id: id, to: LeadStatus(rawValue: f["status"] ?? "") ?? .new, reason: f["reason"],
                                                               ifVersion: f["version"].flatMap { Int($0) })
                    case "activities":
                        let kind = f["kind"] ?? "note"
                        let draft = ActivityDraft(kind: InteractionKind(rawValue: kind), direction: kind == "note" ? nil : .outbound,
                                                  subject: f["subject"].flatMap { $0.isEmpty ? nil : $0 }, body: f["body"].flatMap { $0.isEmpty ? nil : $0 })
                        _ = try await services.leads.addActivity(scope, leadID: id, draft, isNote: kind == "note")
                    case "transfer":
                        _ = try await services.leads.transfer(scope, id: id, to: (f["owner_id"] ?? "").isEmpty ? nil : f["owner_id"], reason: f["reason"] ?? "")
                    case "convert":
                        let r = try await services.leads.convert(scope, id: id, LeadConversion(customerID: (f["customer_id"] ?? "").isEmpty ? nil : f["customer_id"]))
                        return Pages.redirect(CustomerURL.customer(r.customer.id).path)
                    default:
                        throw DomainError.notFound("page")
                    }
                    return Pages.redirect(LeadURL.lead(id).path)
                } catch let e as DomainError where !(e == .notFound("lead")) {
                    // stay on the lead and say why, in the user's language
                    return try await detail(p.page, scope, id, cursor: nil, flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },

            // The public form: no sign-in, embeddable, a hidden honeypot, thanks on success.
            .open(LeadURL.publicForm(":key")) { p in
                let source = try await services.leadSources.source(publicKey: p.parameter("key"), kind: .form)
                // the embedding page passes its campaign parameters on in the form's address
                var utm: [String: String] = [:]
                for k in LeadDraft.utmKeys { if let val = p.query(k), !val.isEmpty { utm[k] = String(val.prefix(200)) } }
                return publicForm(p.page, source, values: utm, errors: [:], done: false)
            },
            .open(LeadURL.publicForm(":key"), method: .post, body: .form) { p in
                let v = p.page, key = p.parameter("key"), f = p.form
                let source = try await services.leadSources.source(publicKey: key, kind: .form)
                do {
                    let base = Pages.linkBase(p.request, publicURL: services.publicURL)
                    let outcome = try await services.leadSources.submitForm(publicKey: key, fields: f, address: p.context.address, confirmBase: base) { link in
                        (v.text("confirm_mail_subject").replacingOccurrences(of: "{form}", with: source.name),
                         v.text("confirm_mail_body").replacingOccurrences(of: "{form}", with: source.name)
                            .replacingOccurrences(of: "{link}", with: link))
                    }
                    if case .confirmationSent = outcome { return publicForm(v, source, values: [:], errors: [:], done: true, sent: true) }
                    return publicForm(v, source, values: [:], errors: [:], done: true)
                } catch let e as DomainError {
                    return publicForm(v, source, values: f, errors: Pages.fieldErrors(e), done: false, flash: ("bad", v.message(e)),
                                      status: Pages.status(e))
                }
            },

            // Double opt-in: the link in the email shows a button (mail scanners that open links do not
            // confirm anything); pressing it keeps the lead.
            .open(LeadURL.publicConfirm(":key", ":token")) { p in
                let key = p.parameter("key"), token = p.parameter("token")
                let source = try await services.leadSources.source(publicKey: key, kind: .form)
                return confirmPage(p.page, source, action: LeadURL.publicConfirm(key, token).path, done: false)
            },
            .open(LeadURL.publicConfirm(":key", ":token"), method: .post) { p in
                let key = p.parameter("key"), token = p.parameter("token")
                let source = try await services.leadSources.source(publicKey: key, kind: .form)
                do {
                    _ = try await services.leadSources.confirm(publicKey: key, token: token)
                    return confirmPage(p.page, source, action: "", done: true)
                } catch DomainError.notFound("confirmation") {
                    return confirmPage(p.page, source, action: "", done: false, invalid: true, status: .notFound)
                }
            },
        ]
    }

    func confirmPage(_ v: PageContext, _ source: LeadSource, action: String, done: Bool, invalid: Bool = false,
                     status: HTTPResponse.Status = .ok) -> Response {
        var r = pages.page("lead_confirm", Pages.model(["heading": source.name, "action": action, "done": done, "invalid": invalid,
                                                       "ask": !done && !invalid]),
                           title: source.name, visit: v, status: status, bare: true)
        r.headers[.cacheControl] = "no-store"
        return r
    }

    // MARK: Models

    func statusLabel(_ s: LeadStatus, _ v: PageContext) -> String { v.text("lead_status_" + s.rawValue) }

    /// Leads the search box finds by name, company, phone or email.
    static func searchPart(_ pages: Pages, _ scope: Scope, _ query: String, _ v: PageContext) async throws -> [SearchHit] {
        guard scope.level(.leads, .read) != nil else { return [] }
        return try await pages.services.leads.find(scope, text: query).map { l in
            SearchHit(kind: v.text("leads"), title: l.name,
                      detail: [l.company, l.phone.map(v.fmt.phone), v.text("lead_status_" + l.status.rawValue)].compactMap { $0 }.joined(separator: " · "),
                      href: LeadURL.lead(l.id).path)
        }
    }

    /// Owner names for the ids shown (one look-up each).
    func names(_ ids: Set<String>) async throws -> [String: String] {
        var out: [String: String] = [:]
        for id in ids { out[id] = try await pages.userName(id) }
        return out
    }

    func list(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let params = ListView.params(req)
        var filter = LeadFilter()
        filter.status = ListView.param(params, "status").flatMap(LeadStatus.init(rawValue:))
        filter.overdue = ListView.param(params, "overdue") == "1"
        let mine = ListView.param(params, "mine") == "1"
        if mine { filter.ownerID = scope.userID }
        // the day's views (a tab each) are the list's filters; it sorts on its indexed key, when the lead came in
        let tab: (String, String?) = filter.overdue ? ("overdue", "1") : mine ? ("mine", "1") : ("status", filter.status?.rawValue)
        let list = ListView(path: LeadURL.leads.path, params: params, filters: [tab], sorts: ["created_at", "-created_at"], defaultSort: "-created_at")
        let page = try await services.leads.window(scope, filter: filter, oldestFirst: !list.descending, cursor: list.cursor, before: list.before, limit: 50)
        let (n, exact) = try await services.leads.count(scope, filter: filter)
        let f = try await pages.formatter(v, scope)
        let owners = try await names(Set(page.items.compactMap(\.ownerID)))
        let now = Date()
        let rows: [[String: Any]] = page.items.map { l in
            Pages.model(["href": LeadURL.lead(l.id).path, "name": l.name, "company": l.company, "source": l.source ?? "",
                         "phone": l.phone.map(v.fmt.phone), "status": statusLabel(l.status, v), "owner": l.ownerID.flatMap { owners[$0] } ?? t("pool"),
                         "due": l.responseDueAt.map(f.string(from:)), "overdue": l.isOverdue(at: now), "created": f.string(from: l.createdAt)])
        }
        // the day's views: everything, mine, new, overdue, contacted, qualified
        var tabs: [(String, String)] = [("", t("all")), ("mine=1", t("mine")), ("overdue=1", t("lead_overdue"))]
        tabs += [LeadStatus.new, .contacted, .qualified, .disqualified, .converted].map { ("status=" + $0.rawValue, statusLabel($0, v)) }
        let currentTab = tab.1.map { tab.0 + "=" + $0 } ?? ""
        let sortCreated = list.header("created_at", t("lead_created"), firstDescending: true)
        let model = Pages.model([
            "rows": rows, "hasRows": !rows.isEmpty, "canCreate": scope.level(.leads, .create) != nil,
            "count": ListView.count(v, "count_leads", n, exact: exact), "pager": list.pager(next: page.next, previous: page.previous),
            "sortCreated": sortCreated, "sortChoices": list.choices([sortCreated]),
            "tabs": tabs.map { q, label in ["href": LeadURL.leads.path + (q.isEmpty ? "" : "?" + q), "label": label, "current": q == currentTab] as [String: Any] },
        ])
        return pages.page("leads", model, title: t("leads"), visit: v)
    }

    func form(_ v: PageContext, values: [String: String], errors: [String: DomainMessage], flash: (kind: String, text: String)?,
              status: HTTPResponse.Status = .ok) -> Response {
        let t = { (k: String) in v.text(k) }
        let fields = ["name", "company", "title", "phone", "email", "wechat", "province", "city", "product_interest", "source", "campaign"]
        let model: [String: Any] = [
            "csrf": v.csrf, "action": LeadURL.newLead.path, "cancelHref": LeadURL.leads.path,
            "fields": fields.map { name in
                Pages.model(["name": name, "label": t("lead_" + name), "value": values[name] ?? "", "required": name == "name",
                             "type": name == "email" ? "email" : name == "phone" ? "tel" : nil,
                             "error": errors[name].map { v.localize($0) }])
            },
            "message": values["message"] ?? "",
        ]
        return pages.page("lead_form", model, title: t("new_lead"), visit: v, flash: flash, status: status)
    }

    func detail(_ v: PageContext, _ scope: Scope, _ id: String, cursor: String?, flash: (kind: String, text: String)? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let l = try await services.leads.get(scope, id: id)
        let f = try await pages.formatter(v, scope)
        let history = try await services.leads.timeline(scope, leadID: l.id, cursor: cursor, limit: 50)
        let owner = try await pages.userName(l.ownerID)
        let facts: [(String, String?)] = [
            ("lead_status", statusLabel(l.status, v) + (l.disqualifyReason.map { "：" + $0 } ?? "")), ("owner", owner ?? t("pool")),
            ("lead_company", l.company), ("lead_title", l.title), ("lead_phone", l.phone.map(v.fmt.phone)), ("lead_email", l.email), ("lead_wechat", l.wechat),
            ("lead_province", [l.province, l.city].compactMap { $0 }.joined(separator: " ")), ("lead_product_interest", l.productInterest),
            ("lead_source", l.source), ("lead_campaign", l.campaign),
            ("lead_utm", l.utm.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " · ")),
            ("lead_due", l.responseDueAt.map(f.string(from:))), ("lead_responded", l.respondedAt.map(f.string(from:))),
            ("lead_created", f.string(from: l.createdAt)), ("lead_message", l.message),
        ]
        let open = l.status != .converted && l.status != .disqualified
        let canUpdate = scope.level(.leads, .update) != nil
        let moves = LeadStatus.allCases.filter { LeadStatus.moves[l.status]?.contains($0) == true }.map { ["value": $0.rawValue, "label": statusLabel($0, v)] }
        var model = Pages.model([
            "name": l.name, "csrf": v.csrf, "version": String(l.version), "overdue": l.isOverdue(at: Date()),
            "facts": facts.compactMap { k, val in val.flatMap { $0.isEmpty ? nil : ["label": t(k), "value": $0] } },
            "timeline": pages.timelineModel(history.items, v, f),
            "moreHref": history.nextCursor.map { LeadURL.lead(l.id).path + "?cursor=" + $0 },
            "statusHref": LeadURL.leadAction(l.id, "status").path, "activityHref": LeadURL.leadAction(l.id, "activities").path,
            "transferHref": LeadURL.leadAction(l.id, "transfer").path, "convertHref": LeadURL.leadAction(l.id, "convert").path,
            "canMove": canUpdate && open && !moves.isEmpty, "moves": moves, "canLog": canUpdate && l.status != .converted,
            "canConvert": open && scope.level(.customers, .create) != nil,
            "activityKinds": [("note", "note"), ("call", "call"), ("visit", "visit"), ("wechat", "wechat"), ("meeting", "meeting"), ("email", "email_kind"), ("sms", "sms")]
                .map { ["value": $0.0, "label": t($0.1)] },
        ])
        if let c = l.convertedCustomerID { model["convertedHref"] = CustomerURL.customer(c).path }
        if open, scope.level(.tasks, .create) != nil { model["newTaskHref"] = TaskPages.newTaskHref(.lead, l.id) }
        if let d = l.duplicateOfCustomerID, l.status != .converted { model["duplicateHref"] = CustomerURL.customer(d).path; model["duplicateID"] = d }
        if let d = l.duplicateOfLeadID { model["duplicateLeadHref"] = LeadURL.lead(d).path }
        // transfer: to a member the user may assign to (managers and admins)
        if open, scope.level(.leads, .assign) != nil, scope.level(.settings, .read) != nil {
            let to = try await services.access.members(scope).filter { $0.active && $0.id != l.ownerID }
            model["transferTo"] = to.map { ["id": $0.id, "name": $0.name] }
            model["canTransfer"] = true
        }
        return pages.page("lead", model, title: l.name, visit: v, flash: flash, status: status)
    }

    func publicForm(_ v: PageContext, _ source: LeadSource, values: [String: String], errors: [String: DomainMessage], done: Bool, sent: Bool = false,
                    flash: (kind: String, text: String)? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let t = { (k: String) in v.text(k) }
        let fields = ["name", "phone", "email", "company", "city"]
        let model: [String: Any] = [
            "heading": source.name, "done": done && !sent, "sent": sent, "action": LeadURL.publicForm(source.publicKey).path,
            "optIn": source.doubleOptIn,
            "fields": fields.map { name in
                Pages.model(["name": name, "label": t("lead_" + name), "value": values[name] ?? "", "required": name == "name" || (name == "email" && source.doubleOptIn),
                             "type": name == "email" ? "email" : name == "phone" ? "tel" : "text",
                             "error": errors[name].map { v.localize($0) }])
            },
            "message": values["message"] ?? "",
            // campaign tracking: the embedding page's UTM parameters ride along as hidden fields
            "utm": LeadDraft.utmKeys.compactMap { k in values[k].map { ["name": k, "value": $0] } },
        ]
        return pages.page("lead_public_form", model, title: source.name, visit: v, flash: flash, status: status, bare: true)
    }
}

/// The lead pages' templates; every word comes from the catalog.
enum LeadTemplates {
    static let leads = """
    <section>
      <div class="head"><h1>{{t.leads}}</h1>{{#canCreate}}<span><a class="button" href="/leads/import">{{t.lead_import}}</a> <a class="button primary" href="/leads/new">{{t.new_lead}}</a></span>{{/canCreate}}</div>
      <nav class="tabs" aria-label="{{t.leads}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      <p class="count" role="status">{{count}}</p>
      {{#hasRows}}{{#sortChoices}}{{> sort_choices}}{{/sortChoices}}
      <div class="scroll"><table class="list stack leads">
        <thead><tr><th scope="col">{{t.lead_name}}</th><th scope="col" class="wide">{{t.lead_company}}</th><th scope="col">{{t.lead_phone}}</th><th scope="col">{{t.lead_status}}</th><th scope="col">{{t.owner}}</th><th scope="col" class="wide">{{t.lead_source}}</th><th scope="col" class="wide">{{t.lead_due}}</th>{{#sortCreated}}{{> sort_header}}{{/sortCreated}}</tr></thead>
        <tbody>{{#rows}}<tr><td data-label="{{t.lead_name}}"><a href="{{href}}">{{name}}</a></td><td class="wide" data-label="{{t.lead_company}}">{{company}}</td><td data-label="{{t.lead_phone}}">{{phone}}</td><td data-label="{{t.lead_status}}">{{status}}{{#overdue}} <span class="tag bad">{{t.lead_overdue}}</span>{{/overdue}}</td><td data-label="{{t.owner}}">{{owner}}</td><td class="wide" data-label="{{t.lead_source}}">{{source}}</td><td class="wide" data-label="{{t.lead_due}}">{{due}}</td><td data-label="{{t.lead_created}}">{{created}}</td></tr>{{/rows}}</tbody>
      </table></div>
      {{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_leads}}</p>{{/hasRows}}
      {{#pager}}{{> list_pager}}{{/pager}}
    </section>
    """

    static let leadForm = """
    <section class="card">
      <h1>{{t.new_lead}}</h1>
      <form method="post" action="{{action}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input name="{{name}}"{{#type}} type="{{type}}"{{/type}} value="{{value}}"{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        <label>{{t.lead_message}}<textarea name="message" rows="3">{{message}}</textarea></label>
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    static let lead = """
    <article class="c360">
      <div class="head"><h1>{{name}}</h1>{{#overdue}}<span class="tag bad">{{t.lead_overdue}}</span>{{/overdue}}{{#newTaskHref}}<a class="button" href="{{newTaskHref}}">{{t.new_task}}</a>{{/newTaskHref}}</div>
      {{#convertedHref}}<p class="flash ok"><a href="{{convertedHref}}">{{t.lead_converted_to}}</a></p>{{/convertedHref}}
      {{#duplicateHref}}<p class="flash">{{t.lead_duplicate_customer}} <a href="{{duplicateHref}}">{{t.open}}</a></p>{{/duplicateHref}}
      {{#duplicateLeadHref}}<p class="hint">{{t.lead_duplicate_lead}} <a href="{{duplicateLeadHref}}">{{t.open}}</a></p>{{/duplicateLeadHref}}
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
      <div class="actions-row">
        {{#canMove}}<form method="post" action="{{statusHref}}" class="card stack">
          <h2>{{t.lead_move}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.lead_status}}<select name="status">{{#moves}}<option value="{{value}}">{{label}}</option>{{/moves}}</select></label>
          <label>{{t.lead_reason}}<input name="reason" maxlength="200"></label>
          <button>{{t.save}}</button>
        </form>{{/canMove}}
        {{#canConvert}}<form method="post" action="{{convertHref}}" class="card stack">
          <h2>{{t.lead_convert}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}">
          {{#duplicateID}}<label class="choice"><input type="checkbox" name="customer_id" value="{{duplicateID}}" checked> {{t.lead_join_existing}}</label>{{/duplicateID}}
          <p class="hint">{{t.lead_convert_hint}}</p>
          <button class="primary">{{t.lead_convert}}</button>
        </form>{{/canConvert}}
        {{#canTransfer}}<form method="post" action="{{transferHref}}" class="card stack">
          <h2>{{t.lead_transfer}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <label>{{t.owner}}<select name="owner_id"><option value="">{{t.pool}}</option>{{#transferTo}}<option value="{{id}}">{{name}}</option>{{/transferTo}}</select></label>
          <label>{{t.lead_reason}}<input name="reason" required maxlength="200"></label>
          <button>{{t.lead_transfer}}</button>
        </form>{{/canTransfer}}
      </div>
      {{#canLog}}{{> activity_form}}{{/canLog}}
      {{> timeline_part}}
    </article>
    """

    static let publicForm = """
    <section class="card narrow">
      <h1>{{heading}}</h1>
      {{#done}}<p class="flash ok" role="status">{{t.lead_form_thanks}}</p>{{/done}}
      {{#sent}}<p class="flash ok" role="status">{{t.confirm_check_mail}}</p>{{/sent}}
      {{^done}}{{^sent}}{{#optIn}}<p class="hint">{{t.confirm_form_hint}}</p>{{/optIn}}
      <form method="post" action="{{action}}" novalidate>
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input type="{{type}}" name="{{name}}" value="{{value}}"{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        <label>{{t.lead_message}}<textarea name="message" rows="3">{{message}}</textarea></label>
        <div class="hp" aria-hidden="true"><label>{{t.lead_website}}<input name="website" tabindex="-1" autocomplete="off"></label></div>
        {{#utm}}<input type="hidden" name="{{name}}" value="{{value}}">{{/utm}}
        <button class="primary">{{t.lead_submit}}</button>
      </form>
      {{/sent}}{{/done}}
    </section>
    """

    static let confirm = """
    <section class="card narrow">
      <h1>{{heading}}</h1>
      {{#ask}}<form method="post" action="{{action}}"><p>{{t.confirm_ask}}</p><button class="primary">{{t.confirm_button}}</button></form>{{/ask}}
      {{#done}}<p class="flash ok" role="status">{{t.confirm_done}}</p>{{/done}}
      {{#invalid}}<p class="flash bad" role="alert">{{t.confirm_invalid}}</p>{{/invalid}}
    </section>
    """

    static let all: [String: String] = ["leads": leads, "lead_form": leadForm, "lead": lead, "lead_public_form": publicForm, "lead_confirm": confirm]
}
