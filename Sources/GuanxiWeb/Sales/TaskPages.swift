import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Follow-up pages: my day (what is late, due, reminding, today's visits and overdue leads, each
/// completable with one button that is a plain form post), planning a task, a task's page with the
/// visit record form (the browser's location may fill the check-in; typing it works without
/// JavaScript), the weekly visit summary, and the lead CSV import.
struct TaskPages {
    let pages: Pages
    var services: AppServices { pages.services }

    static func newTaskHref(_ kind: TaskSubjectKind, _ id: String) -> String {
        TaskURL.newTask.path + "?subject_kind=\(kind.rawValue)&subject_id=\(id)"
    }

    /// `datetime-local` values ("2026-11-30T14:00") are wall-clock times in the workspace's time zone.
    static func localFormatter(_ timeZone: String, seconds: Bool = false) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = seconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"
        return f
    }

    /// nil for an empty field; `.field` when it is not a date and time.
    static func parseLocal(_ raw: String?, field: String, timeZone: String) throws(DomainError) -> Date? {
        let s = (raw ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        if s.isEmpty { return nil }
        if let d = localFormatter(timeZone).date(from: s) ?? localFormatter(timeZone, seconds: true).date(from: s) { return d }
        throw DomainError.field(field, .dateTime)
    }

    /// A task's `title` is not a person's job title (the catalog's `title`): name it as the task form does.
    static func message(_ e: DomainError, _ v: PageContext) -> String {
        guard case .validation(var f) = e, let m = f.removeValue(forKey: "title") else { return v.message(e) }
        f["task_title"] = m
        return v.message(DomainError.validation(f))
    }

    func timeZone(_ scope: Scope) async throws -> (Workspace?, String) {
        let ws = try await services.access.workspace(id: scope.workspaceID)
        return (ws, ws?.timeZone ?? "Asia/Shanghai")
    }

    var routes: [PageRoute] {
        [
            .get(TaskURL.today) { p, scope in try await today(p.request, p.page, scope) },
            .get(TaskURL.newTask, needs: .can(.create, .tasks)) { p, scope in
                try await form(p.page, scope, values: ["subject_kind": p.query("subject_kind") ?? "", "subject_id": p.query("subject_id") ?? "",
                                                      "kind": p.query("kind") ?? "todo"], errors: [:], flash: nil)
            },
            .post(TaskURL.newTask, needs: .can(.create, .tasks)) { p, scope in
                let f = p.form
                do {
                    let (_, tz) = try await timeZone(scope)
                    var d = TaskDraft()
                    d.title = f["title"] ?? ""
                    d.kind = TaskKind(rawValue: f["kind"] ?? "") ?? .todo
                    d.priority = TaskPriority(rawValue: f["priority"] ?? "") ?? .normal
                    d.notes = .some(f["notes"])
                    d.dueAt = try Self.parseLocal(f["due_at"], field: "due_at", timeZone: tz)
                    d.remindAt = .some(try Self.parseLocal(f["remind_at"], field: "remind_at", timeZone: tz))
                    if let k = TaskSubjectKind(rawValue: f["subject_kind"] ?? ""), let s = f["subject_id"], !s.isEmpty { d.subjectKind = .some(k); d.subjectID = .some(s) }
                    _ = try await services.tasks.create(scope, d)
                    return Pages.redirect(Self.subjectHref(d.subjectKind ?? nil, d.subjectID ?? nil) ?? TaskURL.today.path)
                } catch let e as DomainError {
                    return try await form(p.page, scope, values: f, errors: Pages.fieldErrors(e), flash: ("bad", Self.message(e, p.page)),
                                          status: Pages.status(e))
                }
            },
            .get(TaskURL.task(":id")) { p, scope in try await detail(p.page, scope, p.parameter("id"), values: [:]) },
            .post(TaskURL.taskAction(":id", ":action")) { p, scope in
                let id = p.parameter("id"), f = p.form
                let back = Pages.safeNext(f["back"] ?? TaskURL.task(id).path)
                let version = f["version"].flatMap { Int($0) }
                do {
                    switch p.parameter("action") {
                    case "complete": _ = try await services.tasks.setStatus(scope, id: id, to: .done, outcome: f["outcome"], ifVersion: version)
                    case "cancel": _ = try await services.tasks.setStatus(scope, id: id, to: .cancelled, ifVersion: version)
                    case "reopen": _ = try await services.tasks.setStatus(scope, id: id, to: .open, ifVersion: version)
                    case "record":
                        let (_, tz) = try await timeZone(scope)
                        var e = FieldErrors()
                        var check: CheckIn?
                        var next: Date?
                        do { check = try CheckIn.parse(latitude: f["latitude"], longitude: f["longitude"], accuracy: f["accuracy_m"]) }
                        catch let DomainError.validation(m) { for (k, x) in m { e.add(k, x) } }
                        do { next = try Self.parseLocal(f["next_due_at"], field: "next_due_at", timeZone: tz) }
                        catch let DomainError.validation(m) { for (k, x) in m { e.add(k, x) } }
                        try e.throwIfAny()
                        _ = try await services.tasks.recordVisit(scope, id: id, VisitReport(outcome: f["outcome"], nextStep: f["next_step"], nextDueAt: next,
                                                                                            checkIn: check), ifVersion: version)
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(back)
                } catch let e as DomainError where e != .notFound("task") {
                    return try await detail(p.page, scope, id, values: f, flash: ("bad", Self.message(e, p.page)), status: Pages.status(e))
                }
            },
            .get(LeadURL.leadImport, needs: .can(.create, .leads)) { p, _ in importPage(p.page, report: nil, dryRun: true) },
            .post(LeadURL.leadImport, body: .multipart) { p, scope in
                let dryRun = p.parts.contains { $0.name == "dry_run" }
                do {
                    guard let file = p.parts.first(where: { $0.name == "file" }), !file.data.isEmpty else { throw DomainError.field("file", .csvFile) }
                    let report = try await services.leadImporter.run(scope, data: file.data, dryRun: dryRun)
                    return importPage(p.page, report: report, dryRun: dryRun)
                } catch let e as DomainError {
                    if case .forbidden = e { throw e }
                    return importPage(p.page, report: nil, dryRun: dryRun, flash: ("bad", p.page.message(e)), status: Pages.status(e),
                                      fileError: Pages.fieldErrors(e)["file"].map(p.page.localize))
                }
            },
        ]
    }

    // MARK: Models

    static func subjectHref(_ kind: TaskSubjectKind?, _ id: String?) -> String? {
        guard let kind, let id else { return nil }
        return switch kind {
        case .customer: CustomerURL.customer(id).path
        case .lead: LeadURL.lead(id).path
        case .deal: DealURL.deal(id).path
        }
    }

    /// Names of the records the tasks are about (customers in one query; leads and deals one by one,
    /// there are few on a page). A record the user may no longer read is left unnamed.
    func subjectNames(_ scope: Scope, _ tasks: [FollowUpTask]) async throws -> [String: String] {
        var out = try await services.customers.names(scope, ids: Set(tasks.filter { $0.subjectKind == .customer }.compactMap(\.subjectID)))
        for t in tasks where t.subjectKind != .customer && t.subjectKind != nil && out[t.subjectID ?? ""] == nil {
            guard let id = t.subjectID else { continue }
            if t.subjectKind == .lead { out[id] = try? await services.leads.get(scope, id: id).name }
            else { out[id] = try? await services.deals.get(scope, id: id).name }
        }
        return out
    }

    func row(_ t: FollowUpTask, _ names: [String: String], _ f: DateFormatter, _ v: PageContext, back: String) -> [String: Any] {
        let tx = { (k: String) in v.text(k) }
        let href = Self.subjectHref(t.subjectKind, t.subjectID)
        return Pages.model([
            "href": TaskURL.task(t.id).path, "title": t.title, "kind": tx("task_kind_" + t.kind.rawValue), "due": f.string(from: t.dueAt),
            "iso": Timestamp.iso8601(t.dueAt), "high": t.priority == .high, "csrf": v.csrf, "version": String(t.version), "back": back,
            "subjectHref": href, "subjectName": href == nil ? nil : names[t.subjectID ?? ""] ?? tx("task_subject_" + (t.subjectKind?.rawValue ?? "customer")),
            "completeHref": t.kind == .visit ? nil : TaskURL.taskAction(t.id, "complete").path,
            "recordHref": t.kind == .visit ? TaskURL.task(t.id).path : nil,
            "remind": t.remindAt.map(f.string(from:)),
        ])
    }

    func today(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let day = try await services.tasks.myDay(scope)
        let (ws, tz) = try await timeZone(scope)
        let f = pages.formatter(v, ws)
        let all = day.overdue + day.dueToday + day.visits + day.reminders
        let names = try await subjectNames(scope, all)
        let back = TaskURL.today.path
        let sections: [(String, [FollowUpTask])] = [("tasks_overdue", day.overdue), ("visits_today", day.visits), ("tasks_due_today", day.dueToday),
                                                    ("tasks_reminders", day.reminders)]
        var flash: (kind: String, text: String)?
        var summary: VisitSummary?
        do { summary = try await services.tasks.visitSummary(scope, week: req.query("week")) }
        catch let e as DomainError { flash = ("bad", v.message(e)); summary = try await services.tasks.visitSummary(scope, week: nil) }
        var people: [[String: Any]] = []
        for r in summary?.rows ?? [] {
            people.append(["name": try await pages.userName(r.ownerID) ?? t("pool"), "planned": String(r.planned), "done": String(r.done)])
        }
        let dateOnly = DateFormatter()
        dateOnly.locale = v.locale.formatLocale
        dateOnly.timeZone = TimeZone(identifier: tz)
        dateOnly.setLocalizedDateFormatFromTemplate("yMMMdEEE")
        var model = Pages.model([
            "date": dateOnly.string(from: day.dayStart),
            "canCreate": scope.level(.tasks, .create) != nil, "newHref": TaskURL.newTask.path,
            "sections": sections.map { key, items in
                ["title": t(key), "count": String(items.count), "hasRows": !items.isEmpty, "rows": items.map { row($0, names, f, v, back: back) }] as [String: Any]
            },
            "leads": day.overdueLeads.map { l in
                Pages.model(["href": LeadURL.lead(l.id).path, "name": l.name, "due": l.responseDueAt.map(f.string(from:))])
            },
            "leadCount": String(day.overdueLeads.count), "hasLeads": !day.overdueLeads.isEmpty,
            "summary": people,
        ])
        if let s = summary {
            let cal = ISOWeek.calendar(tz)
            model["week"] = v.fmt.week(s.week)
            model["prevHref"] = TaskURL.today.path + "?week=" + ISOWeek.name(cal.date(byAdding: .day, value: -7, to: s.start)!, timeZone: tz) + "#visits"
            model["nextHref"] = TaskURL.today.path + "?week=" + ISOWeek.name(s.end, timeZone: tz) + "#visits"
        }
        return pages.page("today", model, title: t("my_day"), visit: v, flash: flash)
    }

    func form(_ v: PageContext, _ scope: Scope, values: [String: String], errors: [String: DomainMessage], flash: (kind: String, text: String)?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let kind = TaskSubjectKind(rawValue: values["subject_kind"] ?? "")
        let subjectID = (values["subject_id"] ?? "").isEmpty ? nil : values["subject_id"]
        var subjectName: String?
        if let kind, let subjectID {
            let fake = FollowUpTask(id: "", kind: .todo, title: "", notes: nil, dueAt: Date(), remindAt: nil, priority: .normal, status: .open, ownerID: nil,
                                    subjectKind: kind, subjectID: subjectID, createdBy: nil, version: 1, createdAt: Date(), updatedAt: Date())
            subjectName = try await subjectNames(scope, [fake])[subjectID]
        }
        let chosenKind = TaskKind(rawValue: values["kind"] ?? "") ?? .todo
        let priority = TaskPriority(rawValue: values["priority"] ?? "") ?? .normal
        let fields: [(String, String, String, Bool)] = [("title", "task_title", "text", true), ("due_at", "task_due", "datetime-local", true),
                                                        ("remind_at", "task_remind", "datetime-local", false)]
        let model = Pages.model([
            "csrf": v.csrf, "action": TaskURL.newTask.path,
            "cancelHref": Self.subjectHref(kind, subjectID) ?? TaskURL.today.path,
            "subjectKind": kind?.rawValue ?? "", "subjectID": subjectID ?? "",
            "subjectHref": subjectName == nil ? nil : Self.subjectHref(kind, subjectID), "subjectName": subjectName,
            "fields": fields.map { name, label, type, required in
                Pages.model(["name": name, "label": t(label), "type": type, "required": required, "value": values[name] ?? "",
                             "error": errors[name].map { v.localize($0) }])
            },
            "kinds": TaskKind.allCases.map { ["value": $0.rawValue, "label": t("task_kind_" + $0.rawValue), "selected": $0 == chosenKind] as [String: Any] },
            "priorities": TaskPriority.allCases.map { ["value": $0.rawValue, "label": t("priority_" + $0.rawValue), "selected": $0 == priority] as [String: Any] },
            "notes": values["notes"] ?? "",
            "subjectError": (errors["subject_id"] ?? errors["subject_kind"]).map { v.localize($0) },
        ])
        return pages.page("task_form", model, title: t("new_task"), visit: v, flash: flash, status: status)
    }

    func detail(_ v: PageContext, _ scope: Scope, _ id: String, values: [String: String], flash: (kind: String, text: String)? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let task = try await services.tasks.get(scope, id: id)
        let (ws, _) = try await timeZone(scope)
        let f = pages.formatter(v, ws)
        let names = try await subjectNames(scope, [task])
        let href = Self.subjectHref(task.subjectKind, task.subjectID)
        let facts: [[String: Any]?] = [
            ["label": t("task_kind"), "value": t("task_kind_" + task.kind.rawValue)],
            ["label": t("task_status"), "value": t("task_status_" + task.status.rawValue)],
            ["label": t("task_due"), "value": f.string(from: task.dueAt)],
            task.remindAt.map { ["label": t("task_remind"), "value": f.string(from: $0)] },
            ["label": t("task_priority"), "value": t("priority_" + task.priority.rawValue)],
            ["label": t("owner"), "value": try await pages.userName(task.ownerID) ?? t("pool")],
            href.map { ["label": t("task_subject_" + (task.subjectKind?.rawValue ?? "customer")), "value": names[task.subjectID ?? ""] ?? t("open"), "href": $0] },
            task.notes.map { ["label": t("task_notes"), "value": $0] },
            task.completedAt.map { ["label": t("task_completed_at"), "value": f.string(from: $0)] },
            task.outcome.map { ["label": t("visit_outcome"), "value": $0] },
            task.nextStep.map { ["label": t("visit_next_step"), "value": $0] },
            task.nextTaskID.map { ["label": t("visit_next_task"), "value": t("open"), "href": TaskURL.task($0).path] },
            task.checkIn.map { c in ["label": t("visit_check_in"),
                                     "value": "\(c.latitude), \(c.longitude)" + (c.accuracyMetres.map { " ±\($0) m" } ?? "")] },
        ]
        let canUpdate = (try? scope.authorize(.tasks, .update, ownerID: task.ownerID, name: "task", forbidden: "")) != nil
        var moves: [[String: Any]] = []
        if canUpdate {
            let csrf = v.csrf, version = String(task.version)
            func move(_ action: String, _ label: String, primary: Bool = false) -> [String: Any] {
                ["href": TaskURL.taskAction(task.id, action).path, "label": t(label), "primary": primary, "csrf": csrf, "version": version]
            }
            switch task.status {
            case .open:
                if task.kind != .visit { moves.append(move("complete", "task_complete", primary: true)) }
                moves.append(move("cancel", "task_cancel"))
            case .done, .cancelled: moves.append(move("reopen", "task_reopen"))
            }
        }
        let model = Pages.model([
            "title": task.title, "status": t("task_status_" + task.status.rawValue), "overdue": task.isOverdue(at: Date()),
            "facts": facts.compactMap { $0 }, "moves": moves, "csrf": v.csrf, "version": String(task.version),
            "canRecord": canUpdate && task.kind == .visit && task.status == .open,
            "recordHref": TaskURL.taskAction(task.id, "record").path,
            "outcome": values["outcome"] ?? "", "nextStep": values["next_step"] ?? "", "nextDue": values["next_due_at"] ?? "",
            "lat": values["latitude"] ?? "", "lon": values["longitude"] ?? "", "acc": values["accuracy_m"] ?? "",
        ])
        return pages.page("task", model, title: task.title, visit: v, flash: flash, status: status)
    }

    func importPage(_ v: PageContext, report: LeadImportReport?, dryRun: Bool, flash: (kind: String, text: String)? = nil,
                    status: HTTPResponse.Status = .ok, fileError: String? = nil) -> Response {
        let t = { (k: String) in v.text(k) }
        var model: [String: Any] = ["csrf": v.csrf, "dryRun": dryRun]
        if let fileError { model["fileError"] = fileError }
        if let r = report {
            model["report"] = Pages.model([
                "dry": r.dryRun,
                "counts": [("rows_total", r.total), ("created_n", r.created), ("rejected_n", r.rejected), ("lead_import_duplicates", r.duplicates),
                           ("lead_import_assigned", r.assigned)].map { ["label": t($0.0), "value": String($0.1)] },
                "hasErrors": !r.errors.isEmpty,
                "errors": r.errors.map { e in Pages.model(["line": String(e.line), "column": e.column, "reason": v.localize(e.reason)]) },
            ])
        }
        return pages.page("lead_import", model, title: t("lead_import"), visit: v, flash: flash, status: status)
    }
}

/// The follow-up pages' templates; every word comes from the catalog.
enum TaskTemplates {
    static let today = """
    <section class="today">
      <div class="head"><h1>{{t.my_day}} <small>{{date}}</small></h1>{{#canCreate}}<a class="button primary" href="{{newHref}}">{{t.new_task}}</a>{{/canCreate}}</div>
      {{#sections}}
      <section class="card">
        <h2>{{title}} <small>{{count}}</small></h2>
        {{#hasRows}}<ul class="tasks">{{#rows}}<li class="task">
          <div class="what"><a href="{{href}}">{{title}}</a> <span class="tag">{{kind}}</span>{{#high}} <span class="tag bad">{{t.priority_high}}</span>{{/high}}
            <small><time datetime="{{iso}}">{{due}}</time>{{#subjectHref}} · <a href="{{subjectHref}}">{{subjectName}}</a>{{/subjectHref}}{{#remind}} · {{t.task_remind}} {{remind}}{{/remind}}</small></div>
          {{#completeHref}}<form method="post" action="{{completeHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="back" value="{{back}}"><button>{{t.task_complete}}</button></form>{{/completeHref}}
          {{#recordHref}}<a class="button" href="{{recordHref}}">{{t.visit_record}}</a>{{/recordHref}}
        </li>{{/rows}}</ul>{{/hasRows}}
        {{^hasRows}}<p class="empty">{{t.nothing_due}}</p>{{/hasRows}}
      </section>
      {{/sections}}
      <section class="card">
        <h2>{{t.leads_overdue}} <small>{{leadCount}}</small></h2>
        {{#hasLeads}}<ul class="tasks">{{#leads}}<li class="task"><div class="what"><a href="{{href}}">{{name}}</a> <span class="tag bad">{{t.lead_overdue}}</span>{{#due}}<small>{{t.lead_due}} {{due}}</small>{{/due}}</div></li>{{/leads}}</ul>{{/hasLeads}}
        {{^hasLeads}}<p class="empty">{{t.nothing_due}}</p>{{/hasLeads}}
      </section>
      <section class="card" id="visits">
        <div class="head"><h2>{{t.visit_summary}} <small>{{week}}</small></h2><span><a href="{{prevHref}}">{{t.week_previous}}</a> <a href="{{nextHref}}">{{t.week_next}}</a></span></div>
        <table class="list"><thead><tr><th scope="col">{{t.owner}}</th><th scope="col">{{t.visits_planned}}</th><th scope="col">{{t.visits_done}}</th></tr></thead>
        <tbody>{{#summary}}<tr><td>{{name}}</td><td>{{planned}}</td><td>{{done}}</td></tr>{{/summary}}</tbody></table>
        {{^summary}}<p class="empty">{{t.no_visits}}</p>{{/summary}}
      </section>
    </section>
    """

    static let taskForm = """
    <section class="card">
      <h1>{{t.new_task}}</h1>
      {{#subjectHref}}<p class="meta"><a href="{{subjectHref}}">{{subjectName}}</a></p>{{/subjectHref}}
      {{#subjectError}}<p class="error">{{subjectError}}</p>{{/subjectError}}
      <form method="post" action="{{action}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="subject_kind" value="{{subjectKind}}"><input type="hidden" name="subject_id" value="{{subjectID}}">
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input type="{{type}}" name="{{name}}" value="{{value}}"{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        <label>{{t.task_kind}}<select name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
        <label>{{t.task_priority}}<select name="priority">{{#priorities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/priorities}}</select></label>
        <label>{{t.task_notes}}<textarea name="notes" rows="3">{{notes}}</textarea></label>
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    static let task = """
    <article class="c360">
      <div class="head"><h1>{{title}}</h1><span class="tag{{#overdue}} bad{{/overdue}}">{{status}}</span></div>
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</dd></div>{{/facts}}</dl>
      {{#canRecord}}
      <form method="post" action="{{recordHref}}" class="card stack visit-record">
        <h2>{{t.visit_record}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        <label>{{t.visit_outcome}}<textarea name="outcome" rows="4">{{outcome}}</textarea></label>
        <label>{{t.visit_next_step}}<input name="next_step" value="{{nextStep}}" maxlength="200"></label>
        <label>{{t.visit_next_due}}<input type="datetime-local" name="next_due_at" value="{{nextDue}}"></label>
        <fieldset class="geo"><legend>{{t.visit_check_in}}</legend>
          <label>{{t.latitude}}<input name="latitude" inputmode="decimal" value="{{lat}}" data-geo-lat></label>
          <label>{{t.longitude}}<input name="longitude" inputmode="decimal" value="{{lon}}" data-geo-lon></label>
          <label>{{t.accuracy_m}}<input name="accuracy_m" inputmode="decimal" value="{{acc}}" data-geo-acc></label>
          <button type="button" data-geo hidden>{{t.use_my_location}}</button> <span data-geo-status role="status" data-fail="{{t.location_failed}}"></span>
        </fieldset>
        <button class="primary">{{t.visit_record}}</button>
      </form>
      {{/canRecord}}
      <div class="task-moves">{{#moves}}<form method="post" action="{{href}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button{{#primary}} class="primary"{{/primary}}>{{label}}</button></form>{{/moves}}</div>
    </article>
    """

    static let leadImport = """
    <section>
      <div class="head"><h1>{{t.lead_import}}</h1><a href="/leads">{{t.leads}}</a></div>
      <form method="post" action="/leads/import" enctype="multipart/form-data" class="card">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <p class="hint">{{t.lead_import_hint}}</p>
        <label class="{{#fileError}}invalid{{/fileError}}">{{t.upload_file}}<input type="file" name="file" accept=".csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required{{#fileError}} aria-invalid="true" aria-errormessage="e-file"{{/fileError}}>{{#fileError}}<small class="error" id="e-file">{{fileError}}</small>{{/fileError}}</label>
        <label class="choice"><input type="checkbox" name="dry_run" value="1"{{#dryRun}} checked{{/dryRun}}> {{t.dry_run}}</label>
        <div class="actions"><button class="primary">{{t.lead_import_now}}</button></div>
      </form>
      {{#report}}
      <section class="card" role="status">
        <h2>{{#dry}}{{t.dry_run_result}}{{/dry}}{{^dry}}{{t.lead_import_result}}{{/dry}}</h2>
        <dl class="facts">{{#counts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/counts}}</dl>
        {{#hasErrors}}<div class="scroll"><table class="list"><thead><tr><th scope="col">{{t.line}}</th><th scope="col">{{t.column}}</th><th scope="col">{{t.reason}}</th></tr></thead>
        <tbody>{{#errors}}<tr><td>{{line}}</td><td>{{column}}</td><td>{{reason}}</td></tr>{{/errors}}</tbody></table></div>{{/hasErrors}}
      </section>
      {{/report}}
    </section>
    """

    static let all: [String: String] = ["today": today, "task_form": taskForm, "task": task, "lead_import": leadImport]
}
