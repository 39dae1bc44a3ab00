import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The service desk pages: the queue with its views, opening a ticket for a customer, and a
/// ticket's page with its SLA clock, conversation, reply form, status moves, assignment and steps
/// (hand-off chain, child tasks, approvals). Every
/// action is a plain form post carrying the ticket's version; an error re-shows the ticket with
/// what was typed.
struct TicketPages {
    let pages: Pages
    var services: AppServices { pages.services }
    /// Rows per queue page; the customer page shows fewer.
    static let pageSize = 50, onCustomerPage = 5

    var routes: [PageRoute] {
        [
            .get(TicketURL.tickets, needs: .can(.read, .tickets)) { p, scope in
                try await queue(p.page, scope, view: p.query("queue"), status: p.query("status"), search: p.query("q"), cursor: p.query("cursor"),
                                passed: p.query("passed").flatMap { Int($0) })
            },
            // one action on the tickets ticked in the queue; each ticket is checked as on its own page
            .post(TicketURL.bulk, needs: .can(.update, .tickets)) { p, scope in
                let f = p.form
                let ids = p.pairs.filter { $0.0 == "ids" }.map(\.1)
                var versions: [String: Int] = [:]
                for id in ids { if let v = f["v_" + id].flatMap({ Int($0) }) { versions[id] = v } }
                do {
                    let action = try TicketBulkAction.parse(type: f["type"], assigneeID: f["assignee_id"], teamID: f["team_id"], status: f["status_to"],
                                                            priority: f["priority"], tag: f["tag"])
                    let results = try await services.tickets.bulk(scope, ids: ids, action: action, versions: versions)
                    return try await queue(p.page, scope, view: f["queue"], status: f["status"], search: f["q"], cursor: nil, results: results)
                } catch let e as DomainError {
                    return try await queue(p.page, scope, view: f["queue"], status: f["status"], search: f["q"], cursor: nil, error: e, typedTag: f["tag"])
                }
            },
            .get(TicketURL.newTicket, needs: .can(.create, .tickets)) { p, scope in
                let c = try await services.customers.get(scope, id: p.query("customer_id") ?? "")
                return try await form(p.page, scope, customer: c, values: [:], error: nil)
            },
            .post(TicketURL.newTicket, needs: .can(.create, .tickets), body: .multipart) { p, scope in
                let f = p.form, files = AttachmentWeb.uploads(p.parts)
                let c = try await services.customers.get(scope, id: f["customer_id"] ?? "")
                var d = TicketDraft()
                d.customerID = c.id; d.subject = f["subject"] ?? ""; d.body = f["body"] ?? ""
                d.type = Self.nonEmpty(f["type"]); d.priority = Self.nonEmpty(f["priority"]); d.channel = Self.nonEmpty(f["channel"])
                d.productID = Self.nonEmpty(f["product_id"])
                d.custom = Self.customValues(f, try await services.tickets.customFields(scope))
                do {
                    let t = try await services.tickets.create(scope, d, attachments: files)
                    return Pages.redirect(TicketURL.ticket(t.id).path)
                } catch let e as DomainError {
                    return try await form(p.page, scope, customer: c, values: f, error: e, fileErrors: AttachmentWeb.errors(e, files, p.page))
                }
            },
            // `canned`: a canned reply picked in the reply form, inserted rendered (a round trip: no script needed);
            // `kb`: a knowledge-base article whose title and portal link go into the reply
            .get(TicketURL.ticket(":id"), needs: .can(.read, .tickets)) { p, scope in
                try await detail(p.page, scope, p.parameter("id"), canned: Self.nonEmpty(p.query("canned")), article: Self.nonEmpty(p.query("kb")))
            },
            // a download: saved, never shown in the page's origin (see `AttachmentWeb.download`)
            .get(TicketURL.attachment(":id", ":file"), needs: .can(.read, .tickets)) { p, scope in
                let (a, data) = try await services.tickets.attachment(scope, ticketID: p.parameter("id"), id: p.parameter("file"))
                return AttachmentWeb.download(a, data).response
            },
            // the reply form may carry files; the other forms are plain
            .post(TicketURL.ticketAction(":id", ":action"), needs: .can(.update, .tickets), body: .multipart) { p, scope in
                let id = p.parameter("id"), files = AttachmentWeb.uploads(p.parts)
                do {
                    return try await back(scope, try await act(scope, id, p.parameter("action"), p.form, files: files))
                } catch let e as DomainError where e != .notFound("ticket") && e != .notFound("page") {
                    // what was typed into the reply or assignment form comes back; a status button's value does not
                    return try await detail(p.page, scope, id, typed: p.parameter("action") == "status" ? [:] : p.form, error: e,
                                            fileErrors: AttachmentWeb.errors(e, files, p.page))
                }
            },
            // a step's completion needs the ticket's update (the store checks), a decision only its approver
            .post(TicketURL.stepAction(":id", ":step", ":action"), needs: .can(.read, .tickets)) { p, scope in
                let id = p.parameter("id"), step = p.parameter("step"), f = p.form
                let version = f["version"].flatMap { Int($0) }
                do {
                    let done: TicketWithSteps
                    switch p.parameter("action") {
                    case "complete":
                        done = try await services.ticketSteps.complete(scope, ticketID: id, stepID: step, note: f["note"],
                                                                       customerMessage: f["customer_message"], ifVersion: version)
                    case "decision":
                        guard let d = f["decision"], ["approve", "reject"].contains(d) else { throw DomainError.field("decision", RoutingWords.decision) }
                        done = try await services.ticketSteps.decide(scope, ticketID: id, stepID: step, approve: d == "approve", note: f["note"],
                                                                     ifVersion: version)
                    default: throw DomainError.notFound("page")
                    }
                    return try await back(scope, done.ticket)
                } catch let e as DomainError where e != .notFound("ticket") && e != .notFound("page") {
                    return try await detail(p.page, scope, id, typed: f.merging(["step_id": step]) { a, _ in a }, error: e)
                }
            },
        ]
    }

    /// Back to the ticket after a post, or to the queue saying so when the post took the ticket out
    /// of the user's reach (handed to another department, given to someone else).
    func back(_ scope: Scope, _ tk: Ticket) async throws -> Response {
        do {
            _ = try await services.tickets.get(scope, id: tk.id)
            return Pages.redirect(TicketURL.ticket(tk.id).path)
        } catch DomainError.notFound("ticket") {
            return Pages.redirect(TicketURL.tickets.path + "?passed=" + String(tk.number))
        }
    }

    static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }

    /// One form post on a ticket: `reply` (a reply or internal note, then maybe a status),
    /// `status`, `assign` (department and assignee; empty clears), `fields`, `step`, or the product-issue
    /// panel's `issue_link` and `issue_new`; the reply's files come in `files`. Answers the ticket as it is after.
    func act(_ scope: Scope, _ id: String, _ action: String, _ f: [String: String], files: [AttachmentUpload] = []) async throws -> Ticket {
        let version = f["version"].flatMap { Int($0) }
        func status(_ raw: String?) throws(DomainError) -> TicketStatus? {
            guard let raw = Self.nonEmpty(raw) else { return nil }
            guard let s = TicketStatus(rawValue: raw) else {
                throw DomainError.field("status", "must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return s
        }
        switch action {
        case "reply":
            let kind = TicketMessage.Kind(rawValue: f["kind"] ?? "") ?? .reply
            return try await services.tickets.addMessage(scope, id: id, kind: kind, body: f["body"] ?? "", status: try status(f["status"]), ifVersion: version,
                                                         attachments: files).0
        case "status":
            guard let to = try status(f["status"]) else { throw DomainError.field("status", .required) }
            return try await services.tickets.setStatus(scope, id: id, to: to, ifVersion: version)
        case "fields":
            var change = TicketChange()
            change.productID = .some(Self.nonEmpty(f["product_id"]))
            change.custom = Self.customValues(f, try await services.tickets.customFields(scope))
            return try await services.tickets.update(scope, id: id, change, ifVersion: version)
        case "assign":
            var change = TicketChange()
            change.teamID = .some(Self.nonEmpty(f["team_id"])); change.assigneeID = .some(Self.nonEmpty(f["assignee_id"]))
            return try await services.tickets.update(scope, id: id, change, ifVersion: version)
        case "step":
            var d = TicketStepDraft()
            d.kind = Self.nonEmpty(f["kind"]); d.teamID = Self.nonEmpty(f["step_team_id"]); d.title = f["title"] ?? ""
            d.assigneeID = Self.nonEmpty(f["step_assignee_id"]); d.approverID = Self.nonEmpty(f["approver_id"])
            d.approverRole = Self.nonEmpty(f["approver_role"])
            if let m = Self.nonEmpty(f["minutes"]) {
                guard let n = Int(m) else { throw DomainError.field("minutes", RoutingWords.minutes) }
                d.minutes = n
            }
            return try await services.ticketSteps.add(scope, ticketID: id, d, ifVersion: version).ticket
        default:
            guard try await ProductIssuePages.act(services, scope, ticketID: id, action, f) else { throw DomainError.notFound("page") }
            return try await services.tickets.get(scope, id: id)
        }
    }

    // MARK: Words

    /// "剩余 1小时20分", "逾期 15分钟", "已暂停", and the class that marks it beside the words.
    static func wording(_ c: SLACountdown, _ v: PageContext) -> (text: String, cls: String) {
        let t = { (k: String) in v.text(k) }
        return switch c.state {
        case .left(let s): (t("sla_left").replacingOccurrences(of: "{d}", with: v.fmt.duration(seconds: s)), "left")
        case .overdue(let s): (t("sla_overdue").replacingOccurrences(of: "{d}", with: v.fmt.duration(seconds: s)), "overdue")
        case .paused: (t("sla_paused"), "paused")
        }
    }

    /// Select options of an enum's values with their words (`prefix` + raw value).
    static func options<T: RawRepresentable>(_ values: [T], _ prefix: String, selected: String?, _ v: PageContext) -> [[String: Any]]
    where T.RawValue == String {
        values.map { ["value": $0.rawValue, "label": v.text(prefix + $0.rawValue), "selected": $0.rawValue == selected] }
    }

    /// Display names of users, for assignees and message authors.
    func names(_ ids: Set<String>) async throws -> [String: String] {
        var out: [String: String] = [:]
        for id in ids { out[id] = try await pages.userName(id) }
        return out
    }

    // MARK: Queue

    /// The queue; after a bulk change, with its summary ("12 张已更新，2 张跳过") and each skipped
    /// ticket's reason, or the error that stopped it; `passed`: the number of a ticket the user just passed out of their reach.
    func queue(_ v: PageContext, _ scope: Scope, view rawView: String?, status rawStatus: String?, search rawSearch: String?, cursor: String?,
               results: [TicketBulkResult]? = nil, error: DomainError? = nil, typedTag: String? = nil, passed: Int? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let view = rawView.flatMap(TicketQueue.init(rawValue:)) ?? .all
        let status = rawStatus.flatMap(TicketStatus.init(rawValue:))
        let search = Self.nonEmpty(rawSearch)
        let page = try await services.tickets.list(scope, queue: view.rawValue, status: status?.rawValue, search: search, cursor: cursor,
                                                   limit: Self.pageSize)
        let customers = try await services.customers.names(scope, ids: Set(page.items.map(\.customerID)))
        let people = try await names(Set(page.items.compactMap(\.assigneeID)))
        let f = try await pages.formatter(v, scope)
        let now = services.clock.now()
        let q = search.map { "&q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        let base = TicketURL.tickets.path + "?queue=" + view.rawValue + q
        let rows: [TicketTemplates.QueueRow] = page.items.map { tk in
            let next = tk.sla.next(at: now)
            let words = next.map { Self.wording($0, v) }
            return TicketTemplates.QueueRow(
                id: tk.id, version: String(tk.version), href: TicketURL.ticket(tk.id).path, number: "#" + String(tk.number), subject: tk.subject,
                selectLabel: t("ticket_bulk_select").replacingOccurrences(of: "{n}", with: "#" + String(tk.number)),
                customer: customers[tk.customerID], customerHref: CustomerURL.customer(tk.customerID).path,
                type: t("ticket_type_" + tk.type.rawValue), priority: t("ticket_priority_" + tk.priority.rawValue), priorityKey: tk.priority.rawValue,
                status: t("ticket_status_" + tk.status.rawValue), assignee: tk.assigneeID.flatMap { people[$0] } ?? t("ticket_unassigned"),
                due: next.map { f.string(from: $0.due) }, dueTarget: next.map { t("sla_" + $0.target.rawValue) },
                dueText: words?.text, dueClass: words?.cls ?? "none", overdue: next?.isOverdue == true)
        }
        let canBulk = scope.level(.tickets, .update) != nil, canAssign = canBulk && scope.level(.tickets, .assign) != nil
        var bulk: [String: Any]?
        if canBulk && !rows.isEmpty {
            var b: [String: Any] = ["href": TicketURL.bulk.path, "csrf": v.csrf, "tag": typedTag ?? "",
                                    "statuses": Self.options(TicketStatus.allCases, "ticket_status_", selected: nil, v),
                                    "priorities": Self.options(TicketPriority.allCases, "ticket_priority_", selected: nil, v)]
            if canAssign {
                b["canAssign"] = true
                let teams = try await services.access.teams(scope)
                b["teams"] = teams.map { ["value": $0.id, "label": $0.name] }
                b["assignees"] = try await assignees(scope, teams: teams, keep: nil).map { ["value": $0.id, "label": $0.name] }
            }
            bulk = b
        }
        var flash: (kind: String, text: String)?
        var skipped: [String] = []
        if let results {
            let count = { (o: TicketBulkResult.Outcome) in String(results.count { $0.outcome == o }) }
            var summary = t("ticket_bulk_summary").replacingOccurrences(of: "{u}", with: count(.updated)).replacingOccurrences(of: "{s}", with: count(.skipped))
            if results.contains(where: { $0.outcome == .unchanged }) {
                summary += t("ticket_bulk_unchanged").replacingOccurrences(of: "{n}", with: count(.unchanged))
            }
            // a skipped ticket's reason in the user's language, without a form's "fix the fields" lead
            func reason(_ e: DomainError) -> String {
                if case .validation(let fields) = e { return fields.sorted { $0.key < $1.key }.map { v.localize($0.value) }.joined(separator: "；") }
                return v.message(e)
            }
            skipped = results.compactMap { r in r.error.map { (r.number.map { "#" + String($0) } ?? r.id) + " " + reason($0) } }
            flash = (kind: skipped.isEmpty ? "ok" : "bad", text: summary + (skipped.isEmpty ? "" : t("ticket_bulk_skipped_lead")))
        }
        if let error { flash = (kind: "bad", text: v.message(error)) }
        let model = Pages.model([
            "queue": view.rawValue, "q": search, "hasRows": !rows.isEmpty, "reportsHref": TicketURL.reports.path,
            "rowsHTML": TicketTemplates.queueRows(rows, bulk: bulk != nil, assigneeLabel: t("ticket_assignee")),
            "issuesHref": TicketURL.productIssues.path,
            "routingHref": scope.level(.settings, .update) == nil ? nil : TicketURL.routing.path,
            "cannedHref": scope.level(.settings, .update) == nil ? nil : TicketURL.cannedReplies.path,
            "bulk": bulk, "skipped": skipped, "hasSkipped": !skipped.isEmpty, "statusFilter": status?.rawValue ?? "",
            "tabs": TicketQueue.allCases.map { queue in
                ["href": TicketURL.tickets.path + "?queue=" + queue.rawValue + q, "label": t("ticket_queue_" + queue.rawValue), "current": queue == view] as [String: Any]
            },
            "statuses": Self.options(TicketStatus.allCases, "ticket_status_", selected: status?.rawValue, v),
            "nextHref": page.nextCursor.map { base + (status.map { "&status=" + $0.rawValue } ?? "") + "&cursor="
                + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") },
        ])
        // a ticket the user just passed on, out of their reach
        if flash == nil, let passed {
            flash = (kind: "ok", text: t("ticket_passed_on").replacingOccurrences(of: "{n}", with: "#" + String(passed)))
        }
        return pages.page("tickets", model, title: t("tickets"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }

    // MARK: New ticket

    /// `fileErrors`: the refused files, each with its reason.
    func form(_ v: PageContext, _ scope: Scope, customer c: Customer, values: [String: String], error failure: DomainError?,
              fileErrors: [String] = []) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let errors = failure.map(Pages.fieldErrors) ?? [:]
        let error = { (k: String) in errors[k].map { v.localize($0) } }
        let selects: [(String, String, [[String: Any]])] = [
            ("type", "ticket_type", Self.options(TicketType.allCases, "ticket_type_", selected: values["type"] ?? TicketType.inquiry.rawValue, v)),
            ("priority", "ticket_priority", Self.options(TicketPriority.allCases, "ticket_priority_", selected: values["priority"] ?? TicketPriority.normal.rawValue, v)),
            // opened here by hand, most often while on the phone
            ("channel", "ticket_channel", Self.options(TicketChannel.allCases, "ticket_channel_", selected: values["channel"] ?? TicketChannel.phone.rawValue, v)),
        ]
        let model = Pages.model([
            "csrf": v.csrf, "customerID": c.id, "customerName": c.name, "customerHref": CustomerURL.customer(c.id).path,
            "subject": values["subject"] ?? "", "body": values["body"] ?? "", "subjectError": error("subject"), "bodyError": error("body"),
            "selects": selects.map { name, label, options in Pages.model(["name": name, "label": t(label), "options": options, "error": error(name)]) },
            "fileErrors": fileErrors, "hasFileErrors": !fileErrors.isEmpty,
            "products": try await productOptions(scope, selected: values["product_id"]), "productError": error("product_id"),
            "customFields": fieldInputs(try await services.tickets.customFields(scope), typed: values, stored: [:], failure, v),
        ])
        return pages.page("ticket_form", model, title: t("new_ticket"), visit: v, flash: failure.map { (kind: "bad", text: v.message($0)) },
                          status: failure.map(Pages.status) ?? .ok)
    }

    // MARK: Product and custom fields

    /// The product choices ("SKU name"), `selected` marked and kept even when no longer active.
    func productOptions(_ scope: Scope, selected: String?) async throws -> [[String: Any]] {
        try await services.tickets.productChoices(scope, including: selected).map {
            ["value": $0.id, "label": $0.label, "selected": $0.id == selected?.lowercased()] as [String: Any]
        }
    }

    /// One input per ticket field (`custom.<key>`), holding what was typed, else what is stored, with its own error.
    func fieldInputs(_ defs: [CustomFieldDefinition], typed: [String: String], stored: [String: JSONValue], _ failure: DomainError?,
                     _ v: PageContext) -> [[String: Any]] {
        var errors: [String: DomainMessage] = [:]
        if case .validation(let f)? = failure { errors = f }
        return defs.map { d in
            let name = "custom." + d.key
            let current = typed[name] ?? stored[d.key].map(Self.formText) ?? ""
            var m: [String: Any?] = ["name": name, "label": d.label, "required": d.required, "error": errors[name].map { v.localize($0) }]
            switch d.type {
            case .select:
                m["isSelect"] = true
                m["options"] = d.options.map { ["value": $0, "label": $0, "selected": $0 == current] as [String: Any] }
            case .boolean:
                m["isSelect"] = true
                m["options"] = [("true", "yes"), ("false", "no")].map { ["value": $0.0, "label": v.text($0.1), "selected": $0.0 == current] as [String: Any] }
            default:
                m["value"] = current
                m["inputType"] = d.type == .date ? "date" : d.type == .url ? "url" : "text"
                if d.type == .number { m["inputMode"] = "numeric" }
                if d.type == .decimal { m["inputMode"] = "decimal" }
                if d.type == .multiSelect { m["hint"] = d.options.joined(separator: "; ") }
            }
            return Pages.model(m)
        }
    }

    /// What a form sends for the ticket fields: each field's text (empty: no value), for the store to check by its definition.
    static func customValues(_ f: [String: String], _ defs: [CustomFieldDefinition]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for d in defs {
            guard let raw = f["custom." + d.key] else { continue }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            out[d.key] = text.isEmpty ? .null : .string(text)
        }
        return out
    }

    /// A stored value as a form holds it.
    static func formText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        case .array(let a): a.compactMap(\.stringValue).joined(separator: "; ")
        default: ""
        }
    }

    // MARK: Ticket

    /// The ticket's page; after a failed post, with the error and what was typed in the reply form.
    /// `fileErrors`: the refused files of the reply form, each with its reason.
    func detail(_ v: PageContext, _ scope: Scope, _ id: String, typed: [String: String] = [:], error: DomainError? = nil,
                canned: String? = nil, article: String? = nil, fileErrors: [String] = []) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let tk = try await services.tickets.get(scope, id: id)
        let conversation = try await services.tickets.messages(scope, id: id)
        let steps = try await services.ticketSteps.list(scope, ticketID: id)
        let customer = try? await services.customers.get(scope, id: tk.customerID)
        let f = try await pages.formatter(v, scope)
        let now = services.clock.now()
        // who may work it: the same rule the store applies (the customer's owner is one of its people)
        let access = TicketAccess(assigneeID: tk.assigneeID, teamID: tk.teamID, createdBy: tk.createdBy, customerOwnerID: customer?.ownerID)
            .reaching(steps)
        let canUpdate = (try? access.authorize(scope, .update)) != nil
        let canAssign = canUpdate && scope.level(.tickets, .assign) != nil
        // the page open is presence: others see this user, this user sees them (a form being written is "replying")
        let others = try await services.conversation.touch(scope, ticketID: tk.id, replying: canned != nil || !(typed["body"] ?? "").isEmpty)
        // "14:02" on the workspace's clock (a formatter of its own: `f` is shared)
        let clockTime = DateFormatter()
        clockTime.timeZone = f.timeZone; clockTime.locale = Locale(identifier: "en_US_POSIX"); clockTime.dateFormat = "HH:mm"
        let members = conversation.contains { $0.kind == .note && $0.body.contains("@") } ? try await services.conversation.mentionCandidates(scope) : []
        let teams = try await services.access.teams(scope)
        let people = try await names(Set(conversation.compactMap(\.authorID) + [tk.assigneeID].compactMap { $0 }
                                         + steps.flatMap { [$0.assigneeID, $0.approverID, $0.completedBy].compactMap { $0 } }))

        let facts: [(String, String?)] = [
            ("ticket_type", t("ticket_type_" + tk.type.rawValue)), ("ticket_channel", t("ticket_channel_" + tk.channel.rawValue)),
            ("ticket_department", tk.teamID.map { id in teams.first { $0.id == id }?.name ?? id } ?? t("ticket_no_department")),
            ("ticket_assignee", tk.assigneeID.map { people[$0] ?? $0 } ?? t("ticket_unassigned")),
            ("ticket_created", f.string(from: tk.createdAt)), ("tags", tk.tags.isEmpty ? nil : tk.tags.joined(separator: "、")),
        ]
        let fieldErrors = error.map(Pages.fieldErrors) ?? [:]
        let defs = try await services.tickets.customFields(scope)
        let products = try await productOptions(scope, selected: typed["product_id"] ?? tk.productID)
        let product = tk.productID.flatMap { id in products.first { $0["value"] as? String == id }?["label"] as? String }
        let customFacts: [[String: Any]] = defs.compactMap { d in
            guard let value = tk.custom[d.key] else { return nil }
            let text = switch value { case .bool(let b): t(b ? "yes" : "no"); default: Self.formText(value) }
            return ["label": d.label, "value": text]
        }
        var model = Pages.model([
            "number": "#" + String(tk.number), "subject": tk.subject, "status": t("ticket_status_" + tk.status.rawValue),
            "priority": t("ticket_priority_" + tk.priority.rawValue), "priorityKey": tk.priority.rawValue,
            "customerName": customer?.name, "customerHref": customer.map { CustomerURL.customer($0.id).path },
            "facts": facts.compactMap { k, val in val.map { ["label": t(k), "value": $0] } }
                + (product.map { [["label": t("ticket_product"), "value": $0]] } ?? []) + customFacts,
            "sla": slaRows(tk, now: now, f, v), "listHref": TicketURL.tickets.path,
            "messages": conversation.map { m in
                Pages.model(["kind": m.kind.rawValue, "kindLabel": t("ticket_message_" + m.kind.rawValue),
                             "author": m.kind == .customer ? customer?.name : m.authorID.flatMap { people[$0] },
                             "when": f.string(from: m.createdAt), "iso": Timestamp.iso8601(m.createdAt),
                             // an internal note's @mentions are marked; everything stays escaped text
                             "segments": (m.kind == .note ? Mentions.segments(m.body, members) : [Mentions.Segment(m.body)])
                                .map { ["text": $0.text, "mention": $0.userID != nil] as [String: Any] },
                             "files": AttachmentWeb.rows(m), "hasFiles": !m.attachments.isEmpty])
            },
            "hasViewers": !others.isEmpty,
            "viewers": others.map { o in
                t(o.replying ? "presence_replying" : "presence_viewing").replacingOccurrences(of: "{name}", with: o.name)
                    .replacingOccurrences(of: "{t}", with: clockTime.string(from: o.since))
            },
            "canUpdate": canUpdate, "canAssign": canAssign, "csrf": v.csrf, "version": String(tk.version),
            "steps": stepRows(tk, steps, scope, canUpdate: canUpdate, teams: teams, people: people, now: now, f, v, typed: typed, error: error),
            "hasSteps": !steps.isEmpty,
        ])
        model["survey"] = SurveyPages.panel(try await services.surveys.latest(scope, ticketID: id), f, v, now: now)
        model["productIssues"] = try await ProductIssuePages.ticketPanel(services, scope, tk, canUpdate: canUpdate, v,
                                                                         typed: typed["issue_form"] == nil ? [:] : typed, error: typed["issue_form"] == nil ? nil : error)
        if canUpdate {
            let moves = TicketStatus.allCases.filter { tk.status.next.contains($0) && $0 != tk.status }
            model["replyHref"] = TicketURL.ticketAction(tk.id, "reply").path
            model["statusHref"] = TicketURL.ticketAction(tk.id, "status").path
            model["body"] = typed["body"] ?? ""
            model["opened"] = String(now.millis)
            model["cannedHref"] = TicketURL.ticket(tk.id).path
            let replies = try await services.conversation.cannedReplies(scope, activeOnly: true, type: tk.type)
            model["hasCanned"] = !replies.isEmpty
            model["canned"] = replies.map { ["value": $0.id, "label": $0.title, "selected": $0.id == canned] as [String: Any] }
            if let canned, typed["body"] == nil {
                do {
                    model["body"] = try await services.conversation.render(scope, ticketID: tk.id, replyID: canned, language: nil,
                                                                           agentLanguage: v.locale.rawValue).text
                } catch let e as DomainError { model["replyError"] = v.message(e) }
            }
            // the knowledge base's published public articles: one's title and link (where customers read it) into the reply
            let articles = try await services.knowledge.published(workspaceID: scope.workspaceID, limit: 200).items
            model["hasArticles"] = !articles.isEmpty
            model["articles"] = articles.map { a in
                ["value": a.id, "label": a.category + " · " + a.text(in: v.locale.rawValue).text.title, "selected": a.id == article] as [String: Any]
            }
            if let article, typed["body"] == nil, let a = articles.first(where: { $0.id == article }) {
                let before = (model["body"] as? String).map { $0.isEmpty ? "" : $0 + "\n\n" } ?? ""
                model["body"] = before + a.text(in: v.locale.rawValue).text.title + "\n" + (services.publicURL ?? "") + "/portal/kb/" + a.id
            }
            // a reply refused on a changed version says what changed since the page was opened
            if case .staleVersion? = error, let opened = typed["opened"].flatMap({ Int64($0) }) {
                let changes = try await services.conversation.changes(scope, ticketID: tk.id, since: Date(millis: opened))
                let who = try await names(Set(changes.compactMap(\.actorID)))
                model["hasChanges"] = !changes.isEmpty
                model["changes"] = changes.map { c in
                    var what = t("ticket_change_" + c.kind.rawValue)
                    if let status = c.status { what = what.replacingOccurrences(of: "{s}", with: t("ticket_status_" + status)) }
                    return [(c.actorID.flatMap { who[$0] } ?? t("ticket_change_someone")), clockTime.string(from: c.at), what].joined(separator: " · ")
                }
            }
            model["isNote"] = typed["kind"] == TicketMessage.Kind.note.rawValue
            model["bodyError"] = fieldErrors["body"].map { v.localize($0) }
            model["fileErrors"] = fileErrors
            model["hasFileErrors"] = !fileErrors.isEmpty
            // a refused reply says why beside the words it kept too (on a phone the banner is a long way up)
            if let error, typed["body"] != nil, fieldErrors.isEmpty { model["replyError"] = v.message(error) }
            model["thenStatuses"] = Self.options(moves, "ticket_status_", selected: typed["status"], v)
            model["moves"] = moves.map { ["value": $0.rawValue, "label": t("ticket_to_" + $0.rawValue)] }
        }
        if canUpdate {
            // the product and fields form, when the workspace has products or ticket fields
            if !products.isEmpty || !defs.isEmpty { model["fieldsHref"] = TicketURL.ticketAction(tk.id, "fields").path }
            model["products"] = products
            model["productError"] = fieldErrors["product_id"].map { v.localize($0) }
            model["customFields"] = fieldInputs(defs, typed: typed, stored: tk.custom, error, v)
        }
        if canUpdate {
            let kind = typed["kind"].flatMap(TicketStepKind.init(rawValue:))
            model["stepHref"] = TicketURL.ticketAction(tk.id, "step").path
            model["stepKinds"] = Self.options(TicketStepKind.allCases, "step_kind_", selected: kind?.rawValue, v)
            model["stepTeams"] = teams.map { ["value": $0.id, "label": $0.name, "selected": $0.id == typed["step_team_id"]] as [String: Any] }
            let people = try await assignees(scope, teams: teams, keep: nil)
            model["stepAssignees"] = people.map { ["value": $0.id, "label": $0.name, "selected": $0.id == typed["step_assignee_id"]] as [String: Any] }
            model["stepApprovers"] = people.map { ["value": $0.id, "label": $0.name, "selected": $0.id == typed["approver_id"]] as [String: Any] }
            model["stepRoles"] = Role.allCases.map { ["value": $0.rawValue, "label": v.text("step_role_" + $0.rawValue),
                                                      "selected": $0.rawValue == typed["approver_role"]] as [String: Any] }
            model["stepTitle"] = typed["step_id"] == nil ? typed["title"] ?? "" : ""
            model["stepMinutes"] = typed["step_id"] == nil ? typed["minutes"] ?? "" : ""
            for k in ["title", "minutes", "kind", "approver_id", "approver_role"] where typed["step_id"] == nil {
                model["step_" + k + "_error"] = fieldErrors[k].map { v.localize($0) }
            }
            model["stepTeamError"] = typed["step_id"] == nil ? fieldErrors["team_id"].map { v.localize($0) } : nil
        }
        if canAssign {
            let assignee = typed["assignee_id"] ?? tk.assigneeID, team = typed["team_id"] ?? tk.teamID
            model["assignHref"] = TicketURL.ticketAction(tk.id, "assign").path
            model["teams"] = teams.map { ["value": $0.id, "label": $0.name, "selected": $0.id == team] as [String: Any] }
            model["assignees"] = try await assignees(scope, teams: teams, keep: tk.assigneeID)
                .map { ["value": $0.id, "label": $0.name, "selected": $0.id == assignee] as [String: Any] }
        }
        let flash = error.map { (kind: "bad", text: v.message($0)) }
        return pages.page("ticket", model, title: "#" + String(tk.number) + " " + tk.subject, visit: v, flash: flash,
                          status: error.map(Pages.status) ?? .ok)
    }

    /// Whom a ticket may be given to: the workspace's active members for those who see the member
    /// list, else the people of the user's own departments (and the user, and whoever has it now).
    func assignees(_ scope: Scope, teams: [Team], keep: String?) async throws -> [(id: String, name: String)] {
        if scope.level(.settings, .read) != nil {
            return try await services.access.members(scope).filter(\.active).map { (id: $0.id, name: $0.name) }
        }
        let ids = Set(teams.filter { scope.teamIDs.contains($0.id) }.flatMap(\.memberIDs) + [scope.userID, keep].compactMap { $0 })
        return try await names(ids).map { (id: $0.key, name: $0.value) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The steps box: each step's kind, department, deadline (time left or overdue), state and who
    /// completed it when, with its note; a complete form on an active hand-off or task for those who
    /// may work the ticket, approve and reject for an approval's approver.
    func stepRows(_ tk: Ticket, _ steps: [TicketStep], _ scope: Scope, canUpdate: Bool, teams: [Team], people: [String: String], now: Date,
                  _ f: DateFormatter, _ v: PageContext, typed: [String: String], error: DomainError?) -> [[String: Any]] {
        let t = { (k: String) in v.text(k) }
        return steps.map { s in
            // time left or overdue while it runs (a closed step shows its deadline alone)
            let due: (text: String, cls: String)? = s.dueAt.flatMap { d in
                guard s.state == .active else { return nil }
                let left = Int(d.timeIntervalSince(now))
                return left >= 0 ? (t("sla_left").replacingOccurrences(of: "{d}", with: v.fmt.duration(seconds: left)), "left")
                                 : (t("sla_overdue").replacingOccurrences(of: "{d}", with: v.fmt.duration(seconds: -left)), "overdue")
            }
            let mine = typed["step_id"] == s.id
            var row = Pages.model([
                "id": s.id, "kind": s.kind.rawValue, "kindLabel": t("step_kind_" + s.kind.rawValue), "title": s.title,
                "state": s.state.rawValue, "stateLabel": t("step_state_" + s.state.rawValue),
                "department": s.teamID.map { id in teams.first { $0.id == id }?.name ?? id },
                "who": (s.approverID ?? s.assigneeID).map { people[$0] ?? $0 } ?? s.approverRole.map { t("step_role_" + $0) },
                "due": s.dueAt.map(f.string(from:)), "dueText": due?.text, "dueClass": due?.cls ?? "",
                "completedBy": s.completedBy.map { people[$0] ?? $0 }, "completedAt": s.completedAt.map(f.string(from:)), "note": s.note,
                "overdue": s.isOverdue(at: now), "csrf": v.csrf, "version": String(tk.version),
                "stepError": mine ? error.map { v.message($0) } : nil,
                "typedNote": mine ? typed["note"] ?? "" : "", "typedMessage": mine ? typed["customer_message"] ?? "" : "",
            ])
            if s.state == .active, s.kind != .approval, canUpdate {
                row["completeHref"] = TicketURL.stepAction(tk.id, s.id, "complete").path
                row["tellsCustomer"] = s.kind == .handoff
            }
            if s.state == .active, s.kind == .approval,
               (s.approverID != nil && s.approverID == scope.userID) || (s.approverRole != nil && s.approverRole == scope.roleKey) {
                row["decideHref"] = TicketURL.stepAction(tk.id, s.id, "decision").path
            }
            return row
        }
    }

    /// The SLA box: each target's due time with what is left, how late it is, or when it was met.
    func slaRows(_ tk: Ticket, now: Date, _ f: DateFormatter, _ v: PageContext) -> [[String: Any]] {
        let t = { (k: String) in v.text(k) }
        var rows: [[String: Any]] = SLATarget.allCases.compactMap { target in
            let due = tk.sla.due(target)
            // the next response is only timed while a customer's message waits for its answer
            if target == .nextResponse && due == nil { return nil }
            var note: String?, cls: String?
            if let c = tk.sla.countdown(target, at: now) {
                let w = Self.wording(c, v)
                note = w.text; cls = w.cls
            } else if let done = target == .firstResponse ? tk.sla.firstRespondedAt : target == .resolution ? tk.sla.resolvedAt : nil {
                let late = due.map { done > $0 } ?? false
                note = t(late ? "sla_met_late" : "sla_met").replacingOccurrences(of: "{t}", with: f.string(from: done))
                cls = late ? "late" : "met"
            }
            return Pages.model(["label": t("sla_" + target.rawValue), "due": due.map(f.string(from:)), "note": note, "cls": cls])
        }
        if let since = tk.sla.pausedSince, !tk.status.isDone {
            rows.append(["label": t("sla_paused_since"), "due": f.string(from: since), "cls": "paused"])
        }
        return rows
    }

    // MARK: On the customer's page

    /// Opening a ticket for the customer and their latest tickets, for the customer 360 page.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        var part: [String: Any] = [:]
        if scope.level(.tickets, .create) != nil { part["newTicketHref"] = TicketURL.newTicket.path + "?customer_id=" + customerID }
        guard scope.level(.tickets, .read) != nil else { return part }
        let recent = try await pages.services.tickets.list(scope, customerID: customerID, limit: onCustomerPage).items
        part["hasTickets"] = !recent.isEmpty
        part["tickets"] = recent.map { tk in
            ["href": TicketURL.ticket(tk.id).path, "number": "#" + String(tk.number), "subject": tk.subject,
             "status": v.text("ticket_status_" + tk.status.rawValue)]
        }
        return part
    }
}
