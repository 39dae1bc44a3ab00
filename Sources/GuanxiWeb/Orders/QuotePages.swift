import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Quotes (inquiries, drafts, sent, accepted…) with a printable page, and the product catalogue.
extension OrderPages {
    var quoteRoutes: [PageRoute] {
        [
            .get(OrderURL.quotes) { p, scope in try await quoteList(p.request, p.page, scope) },
            .get(OrderURL.newQuote) { p, scope in
                guard let id = p.query("customer_id"), !id.isEmpty else {
                    return try await pages.pickCustomer(p.page, scope, title: p.page.text("new_quote"), target: OrderURL.newQuote.path, q: p.query("q"))
                }
                let c = try await services.customers.get(scope, id: id)
                var values: [String: String] = [:]
                if let d = p.query("deal_id"), ID.isValid(d) { values["deal_id"] = d }
                return try await documentForm(p.page, scope, kind: .quote, customer: c, values: values, errors: [:], flash: nil)
            },
            .post(OrderURL.newQuote) { p, scope in
                let f = p.form
                let c = try await services.customers.get(scope, id: f["customer_id"] ?? "")
                do {
                    let q = try await services.quotes.create(scope, try await quoteDraft(scope, f, customerID: c.id))
                    return Pages.redirect(OrderURL.quote(q.id).path)
                } catch let e as DomainError {
                    return try await documentForm(p.page, scope, kind: .quote, customer: c, values: f, errors: Self.errors(e),
                                                  flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
            .get(OrderURL.quote(":id")) { p, scope in try await quoteDetail(p.page, scope, p.parameter("id")) },
            .get(OrderURL.quoteAction(":id", ":action")) { p, scope in
                let q = try await services.quotes.get(scope, id: p.parameter("id"))
                switch p.parameter("action") {
                case "print": return try await quotePrint(p.page, scope, q)
                case "edit":
                    let c = try await services.customers.get(scope, id: q.customerID)
                    return try await documentForm(p.page, scope, kind: .quote, customer: c, quote: q, values: [:], errors: [:], flash: nil)
                default: throw DomainError.notFound("page")
                }
            },
            .post(OrderURL.quoteAction(":id", ":action")) { p, scope in
                let v = p.page, id = p.parameter("id"), f = p.form
                let quotes = services.quotes
                let version = f["version"].flatMap { Int($0) }
                do {
                    switch p.parameter("action") {
                    case "edit":
                        let q = try await quotes.get(scope, id: id)
                        do {
                            var d = try await quoteDraft(scope, f, customerID: q.customerID)
                            d.customerID = nil; d.inquiry = nil
                            _ = try await quotes.update(scope, id: id, d, ifVersion: version)
                        } catch let e as DomainError where e != .notFound("quote") {
                            let c = try await services.customers.get(scope, id: q.customerID)
                            return try await documentForm(v, scope, kind: .quote, customer: c, quote: q, values: f, errors: Self.errors(e),
                                                          flash: ("bad", v.message(e)), status: Pages.status(e))
                        }
                    case "status":
                        _ = try await quotes.move(scope, id: id, to: QuoteStatus(rawValue: f["status"] ?? "") ?? .accepted, reason: f["reason"], ifVersion: version)
                    case "revise":
                        let next = try await quotes.revise(scope, id: id, ifVersion: version)
                        return Pages.redirect(OrderURL.quoteAction(next.id, "edit").path)
                    case "accept":
                        let (_, order) = try await quotes.accept(scope, id: id, ifVersion: version)
                        return Pages.redirect(OrderURL.order(order.id).path)
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(OrderURL.quote(id).path)
                } catch let e as DomainError where e != .notFound("quote") {
                    return try await quoteDetail(v, scope, id, flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    func quoteDraft(_ scope: Scope, _ f: [String: String], customerID: String) async throws -> QuoteDraft {
        let lists = try await services.products.priceLists(scope)
        var d = QuoteDraft()
        d.customerID = customerID; d.dealID = Self.nonEmpty(f["deal_id"]); d.priceListID = Self.nonEmpty(f["price_list_id"])
        d.title = f["title"]; d.validUntil = Self.nonEmpty(f["valid_until"]); d.message = f["message"]; d.terms = f["terms"]
        d.inquiry = f["inquiry"] == "1"
        d.lines = try Self.lines(f, currency: Self.currency(f, lists))
        return d
    }

    func quoteList(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let status = req.query("status").flatMap(QuoteStatus.init(rawValue:))
        var filter = QuoteFilter(); filter.status = status
        let page = try await services.quotes.list(scope, filter: filter, cursor: req.query("cursor"))
        let names = try await services.customers.names(scope, ids: Set(page.items.map(\.customerID)))
        let today = Dates.day(Date(), timeZone: try await services.access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai")
        let model = Pages.model([
            "tabs": [Pages.model(["href": OrderURL.quotes.path, "label": t("all"), "current": status == nil])]
                + QuoteStatus.allCases.map { s in
                    Pages.model(["href": OrderURL.quotes.path + "?status=" + s.rawValue, "label": t("quote_status_" + s.rawValue), "current": s == status])
                },
            "rows": page.items.map { q in
                Pages.model(["href": OrderURL.quote(q.id).path, "number": q.number + " · R" + String(q.revision), "title": q.title,
                             "customer": names[q.customerID] ?? "", "customerHref": CustomerURL.customer(q.customerID).path,
                             "status": t("quote_status_" + q.status.rawValue), "expired": q.isExpired(today: today),
                             "total": v.fmt.money(minor: q.totals.total, currency: q.totals.currency), "valid": q.validUntil.map(v.fmt.day)])
            },
            "hasRows": !page.items.isEmpty, "ordersHref": OrderURL.orders.path,
            "newHref": scope.level(.orders, .create) != nil ? OrderURL.newQuote.path : nil,
            "nextHref": page.nextCursor.map { OrderURL.quotes.path + "?" + (status.map { "status=\($0.rawValue)&" } ?? "") + "cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") },
        ])
        return pages.page("quotes", model, title: t("quotes"), visit: v)
    }

    func quoteDetail(_ v: PageContext, _ scope: Scope, _ id: String, flash: (kind: String, text: String)? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let q = try await services.quotes.get(scope, id: id)
        let c = try? await services.customers.get(scope, id: q.customerID)
        let f = try await pages.formatter(v, scope)
        let today = Dates.day(Date(), timeZone: try await services.access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai")
        let canUpdate = scope.level(.orders, .update) != nil
        let moves = (QuoteStatus.moves[q.status] ?? []).filter { $0 != .accepted && $0 != .rejected }.sorted { $0.rawValue < $1.rawValue }
        let facts: [(String, String?)] = [
            ("quote_status", t("quote_status_" + q.status.rawValue) + (q.isExpired(today: today) ? " · " + t("quote_expired") : "")),
            ("quote_valid_until", q.validUntil.map(v.fmt.day)), ("order_total", v.fmt.money(minor: q.totals.total, currency: q.totals.currency)),
            ("owner", try await pages.userName(q.ownerID) ?? "—"), ("quote_sent", q.sentAt.map(f.string(from:))),
            ("lead_reason", q.reason), ("lead_created", f.string(from: q.createdAt)),
        ]
        let revisions = try await services.quotes.revisions(scope, of: q)
        var model = Pages.model([
            "heading": q.number + " · R" + String(q.revision), "title": q.title, "csrf": v.csrf, "version": String(q.version),
            "customerName": c?.name, "customerHref": c.map { CustomerURL.customer($0.id).path },
            "facts": facts.compactMap { k, val in val.flatMap { $0.isEmpty ? nil : ["label": t(k), "value": $0] } },
            "message": q.message, "terms": q.terms,
            "canEdit": canUpdate && q.status.editable, "editHref": OrderURL.quoteAction(q.id, "edit").path,
            "moves": canUpdate ? moves.map { ["value": $0.rawValue, "label": t("quote_to_" + $0.rawValue)] } : [],
            "canReject": canUpdate && QuoteStatus.moves[q.status]?.contains(.rejected) == true,
            "canRevise": canUpdate && q.status.revisable, "canAccept": canUpdate && scope.level(.orders, .create) != nil && q.status == .sent && !q.isExpired(today: today),
            "statusHref": OrderURL.quoteAction(q.id, "status").path, "reviseHref": OrderURL.quoteAction(q.id, "revise").path,
            "acceptHref": OrderURL.quoteAction(q.id, "accept").path, "printHref": OrderURL.quoteAction(q.id, "print").path,
            "orderHref": q.orderID.map { OrderURL.order($0).path },
            "revisions": revisions.count > 1 ? revisions.map { r in
                ["href": OrderURL.quote(r.id).path, "label": "R" + String(r.revision) + " · " + t("quote_status_" + r.status.rawValue), "current": r.id == q.id] as [String: Any]
            } : nil,
            "listHref": OrderURL.quotes.path, "hasRevisions": revisions.count > 1,
        ])
        model.merge(Self.linesModel(q.lines, q.totals, v)) { a, _ in a }
        return pages.page("quote", model, title: q.number, visit: v, flash: flash, status: status)
    }

    /// The quote as the customer receives it: a clean page that prints on A4.
    func quotePrint(_ v: PageContext, _ scope: Scope, _ q: Quote) async throws -> Response {
        let c = try? await services.customers.get(scope, id: q.customerID)
        let ws = try await services.access.workspace(id: scope.workspaceID)
        var owner: User?
        if let id = q.ownerID { owner = try await services.access.user(id: id) }
        var model = Pages.model([
            "company": ws?.name, "number": q.number, "revision": "R" + String(q.revision), "title": q.title, "customer": c?.name,
            "customerOrg": c?.organizationName, "date": v.fmt.day(Dates.day(q.sentAt ?? q.createdAt, timeZone: ws?.timeZone ?? "Asia/Shanghai")),
            "valid": q.validUntil.map(v.fmt.day), "message": q.message, "terms": q.terms, "owner": owner?.name, "ownerEmail": owner?.email,
            "backHref": OrderURL.quote(q.id).path,
        ])
        model.merge(Self.linesModel(q.lines, q.totals, v)) { a, _ in a }
        return pages.page("quote_print", model, title: q.number, visit: v, bare: true)
    }
}

