import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The product issues' pages: the list ranked by customers hit or their revenue (the 80/20 view),
/// an issue's page (figures, linked tickets, changing it, pushing it to the tracker, telling its
/// customers of the fix), and the panel on a ticket's page that links the ticket or makes an issue
/// of it. Every form re-shows its page with the reason and what was typed.
struct ProductIssuePages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(TicketURL.productIssues, needs: .can(.read, .tickets)) { p, scope in try await list(p, scope) },
            .get(TicketURL.productIssue(":id"), needs: .can(.read, .tickets)) { p, scope in try await detail(p.page, scope, p.parameter("id")) },
            .post(TicketURL.productIssueAction(":id", ":action"), needs: .can(.update, .tickets)) { p, scope in
                let id = p.parameter("id"), f = p.form, v = p.page
                do {
                    switch p.parameter("action") {
                    case "save":
                        var c = ProductIssueChange()
                        c.title = f["title"] ?? ""; c.status = f["status"]
                        if f["product_id"] != nil { c.productID = .some(TicketPages.nonEmpty(f["product_id"])) }
                        c.externalRef = .some(f["external_ref"]); c.externalURL = .some(f["external_url"])
                        _ = try await services.productIssues.update(scope, id: id, c, ifVersion: f["version"].flatMap { Int($0) })
                    case "push":
                        _ = try await services.productIssues.push(scope, id: id)
                        return try await detail(v, scope, id, flash: ("ok", v.text("pi_pushed")))
                    case "notify":
                        let n = try await services.productIssues.notify(scope, id: id, message: f["message"])
                        let text = v.text("pi_notified").replacingOccurrences(of: "{n}", with: String(n.notified))
                            .replacingOccurrences(of: "{skipped}", with: String(n.skippedNoEmail))
                            .replacingOccurrences(of: "{reach}", with: String(n.outOfReach))
                        return try await detail(v, scope, id, flash: ("ok", text))
                    case "unlink":
                        try await services.productIssues.unlink(scope, id: id, ticketID: f["ticket_id"] ?? "")
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(TicketURL.productIssue(id).path)
                } catch let e as DomainError where e != .notFound("product_issue") && e != .notFound("page") {
                    return try await detail(v, scope, id, typed: f, error: e)
                }
            },
        ]
    }

    // MARK: List

    func list(_ p: PageRequest, _ scope: Scope) async throws -> Response {
        let v = p.page
        let t = { (k: String) in v.text(k) }
        let sort = p.query("sort").flatMap(ProductIssueSort.init(rawValue:)) ?? .customers
        let status = p.query("status").flatMap(ProductIssueStatus.init(rawValue:))
        let issues = try await services.productIssues.list(scope, sort: sort.rawValue, status: status?.rawValue)
        let f = try await pages.formatter(v, scope)
        let products = try await productNames(scope)
        let rows: [[String: Any]] = issues.map { i in
            Pages.model([
                "href": TicketURL.productIssue(i.id).path, "title": i.title, "product": i.productID.flatMap { products[$0] },
                "status": t("pi_status_" + i.status.rawValue), "statusKey": i.status.rawValue,
                "customers": String(i.figures.customers), "tickets": String(i.figures.tickets),
                "revenue": Self.money(i.figures.revenue, v), "lastSeen": i.figures.lastSeen.map(f.string(from:)),
                "externalRef": i.externalRef,
            ])
        }
        let base = TicketURL.productIssues.path
        let model = Pages.model([
            "rows": rows, "hasRows": !rows.isEmpty, "showsRevenue": scope.level(.orders, .read) == .all, "listHref": TicketURL.tickets.path,
            "sorts": ProductIssueSort.allCases.map { s in
                ["href": base + "?sort=" + s.rawValue + (status.map { "&status=" + $0.rawValue } ?? ""), "label": t("pi_sort_" + s.rawValue),
                 "current": s == sort] as [String: Any]
            },
            "sort": sort.rawValue,
            "statuses": TicketPages.options(ProductIssueStatus.allCases, "pi_status_", selected: status?.rawValue, v),
        ])
        return pages.page("product_issues", model, title: t("pi_title"), visit: v)
    }

    /// "¥1,280.00 · US$20.00", or nil when the viewer does not see revenue.
    static func money(_ revenue: [Money]?, _ v: PageContext) -> String? {
        guard let revenue else { return nil }
        return revenue.isEmpty ? v.fmt.money(minor: 0, currency: ProductIssueRules.rankingCurrency)
            : revenue.map { v.fmt.money(minor: $0.minor, currency: $0.currency) }.joined(separator: " · ")
    }

    /// The workspace's product names by id, for those who read products (orders).
    func productNames(_ scope: Scope) async throws -> [String: String] {
        guard scope.level(.orders, .read) != nil else { return [:] }
        return Dictionary(try await services.products.list(scope, includeInactive: true, limit: 500).map { ($0.id, $0.sku + " " + $0.name) }) { a, _ in a }
    }

    // MARK: An issue

    func detail(_ v: PageContext, _ scope: Scope, _ id: String, typed: [String: String] = [:], error: DomainError? = nil,
                flash: (kind: String, text: String)? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let issue = try await services.productIssues.get(scope, id: id)
        let tickets = try await services.productIssues.tickets(scope, id: id)
        let told = try await services.productIssues.notifiedCustomers(scope, id: id)
        let customers = try await services.customers.names(scope, ids: Set(tickets.map(\.customerID)))
        let products = try await productNames(scope)
        let f = try await pages.formatter(v, scope)
        let canUpdate = scope.level(.tickets, .update) != nil
        let errors = error.map(Pages.fieldErrors) ?? [:]
        let err = { (k: String) in errors[k].map { v.localize($0) } }
        let figures = issue.figures
        var tiles: [(String, String?)] = [
            ("pi_customers", String(figures.customers)), ("pi_tickets", String(figures.tickets)),
            ("pi_revenue", Self.money(figures.revenue, v)),
            ("pi_first_seen", figures.firstSeen.map(f.string(from:))), ("pi_last_seen", figures.lastSeen.map(f.string(from:))),
        ]
        if let pushed = issue.pushedAt { tiles.append(("pi_pushed_at", f.string(from: pushed))) }
        var model = Pages.model([
            "title": issue.title, "status": t("pi_status_" + issue.status.rawValue), "statusKey": issue.status.rawValue,
            "product": issue.productID.map { products[$0] ?? $0 }, "externalRef": issue.externalRef, "externalURL": issue.externalURL,
            "tiles": tiles.compactMap { k, val in val.map { ["label": t(k), "value": $0] } },
            "listHref": TicketURL.productIssues.path, "csrf": v.csrf, "version": String(issue.version),
            "tickets": tickets.map { tk in
                Pages.model(["href": TicketURL.ticket(tk.id).path, "number": "#" + String(tk.number), "subject": tk.subject,
                             "customer": customers[tk.customerID], "customerHref": CustomerURL.customer(tk.customerID).path,
                             "type": t("ticket_type_" + tk.type.rawValue), "ticketStatus": t("ticket_status_" + tk.status.rawValue),
                             "opened": f.string(from: tk.createdAt), "id": tk.id, "told": told.contains(tk.customerID),
                             "unlinkHref": canUpdate ? TicketURL.productIssueAction(issue.id, "unlink").path : nil, "csrf": v.csrf])
            },
            "hasTickets": !tickets.isEmpty,
        ])
        if canUpdate {
            model["saveHref"] = TicketURL.productIssueAction(issue.id, "save").path
            model["pushHref"] = TicketURL.productIssueAction(issue.id, "push").path
            model["form"] = [
                "title": typed["title"] ?? issue.title, "external_ref": typed["external_ref"] ?? issue.externalRef ?? "",
                "external_url": typed["external_url"] ?? issue.externalURL ?? "",
            ]
            model["errors"] = Pages.model(["title": err("title"), "status": err("status"), "product_id": err("product_id"),
                                           "external_ref": err("external_ref"), "external_url": err("external_url"), "message": err("message")])
            model["statuses"] = TicketPages.options(ProductIssueStatus.allCases, "pi_status_", selected: typed["status"] ?? issue.status.rawValue, v)
            if !products.isEmpty {
                let chosen = typed["product_id"] ?? issue.productID
                model["hasProducts"] = true
                model["products"] = products.sorted { $0.value < $1.value }
                    .map { ["value": $0.key, "label": $0.value, "selected": $0.key == chosen] as [String: Any] }
            }
            if issue.status == .fixed {
                let waiting = Set(tickets.map(\.customerID)).subtracting(told).count
                model["notifyHref"] = TicketURL.productIssueAction(issue.id, "notify").path
                model["notifyLabel"] = t("pi_notify_n").replacingOccurrences(of: "{n}", with: String(waiting))
                model["notifyMessage"] = typed["message"] ?? ""
                model["notifyDefault"] = ProductIssueRules.fixNotice(number: tickets.first?.number ?? 0, title: issue.title, custom: nil)
                model["canNotify"] = waiting > 0
            }
        }
        let shown = error.map { (kind: "bad", text: v.message($0)) } ?? flash
        return pages.page("product_issue", model, title: issue.title, visit: v, flash: shown, status: error.map(Pages.status) ?? .ok)
    }

    // MARK: On a ticket's page

    /// The ticket's product issues for its page: shown on feedback and defect tickets and on any
    /// ticket already linked; with the right to work it, forms to link it (the suggestion chosen
    /// first and marked) and to make a new issue of it.
    static func ticketPanel(_ services: AppServices, _ scope: Scope, _ tk: Ticket, canUpdate: Bool, _ v: PageContext,
                            typed: [String: String], error: DomainError?) async throws -> [String: Any]? {
        let t = { (k: String) in v.text(k) }
        let mine = try await services.productIssues.forTicket(scope, ticketID: tk.id)
        guard !mine.linked.isEmpty || ProductIssueRules.suggestedTypes.contains(tk.type) else { return nil }
        var panel = Pages.model([
            "linked": mine.linked.map { ["href": TicketURL.productIssue($0.id).path, "title": $0.title, "status": t("pi_status_" + $0.status.rawValue)] },
            "hasLinked": !mine.linked.isEmpty,
        ])
        guard canUpdate else { return panel }
        let errors = error.map(Pages.fieldErrors) ?? [:]
        let chosen = typed["issue_id"] ?? mine.suggestion?.id
        panel["csrf"] = v.csrf
        panel["version"] = String(tk.version)
        if let s = mine.suggestion { panel["suggestion"] = ["title": s.title, "href": TicketURL.productIssue(s.id).path] }
        if !mine.others.isEmpty {
            panel["linkHref"] = TicketURL.ticketAction(tk.id, "issue_link").path
            panel["choices"] = ([mine.suggestion].compactMap { $0 } + mine.others.filter { $0.id != mine.suggestion?.id }).map { i in
                ["value": i.id, "label": i.id == mine.suggestion?.id ? t("pi_suggested") + " " + i.title : i.title, "selected": i.id == chosen] as [String: Any]
            }
        }
        panel["newHref"] = TicketURL.ticketAction(tk.id, "issue_new").path
        panel["newTitle"] = typed["issue_title"] ?? tk.subject
        panel["titleError"] = errors["title"].map { v.localize($0) }
        panel["issueError"] = errors["ticket_id"].map { v.localize($0) } ?? errors["issue_id"].map { v.localize($0) }
        return panel
    }

    /// The panel's two forms, from the ticket page's action route: link to an issue, or make one of the ticket.
    static func act(_ services: AppServices, _ scope: Scope, ticketID: String, _ action: String, _ f: [String: String]) async throws -> Bool {
        switch action {
        case "issue_link":
            guard let issue = TicketPages.nonEmpty(f["issue_id"]) else { throw DomainError.field("issue_id", .required) }
            _ = try await services.productIssues.link(scope, id: issue, ticketID: ticketID)
        case "issue_new":
            var c = ProductIssueChange(); c.title = f["issue_title"] ?? ""
            _ = try await services.productIssues.create(scope, c, ticketID: ticketID)
        default: return false
        }
        return true
    }
}
