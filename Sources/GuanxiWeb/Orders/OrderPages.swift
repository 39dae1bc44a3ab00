import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Order, quote and product pages. Every action is a plain form post (works without JavaScript);
/// an order or quote page offers only the steps its state machine allows now.
struct OrderPages {
    let pages: Pages
    var services: AppServices { pages.services }
    /// Empty line rows a new document form offers (more rows: save, then edit).
    static let blankRows = 5

    var routes: [PageRoute] {
        [
            .get(OrderURL.orders) { p, scope in try await orderList(p.request, p.page, scope) },
            .get(OrderURL.newOrder) { p, scope in
                guard let id = p.query("customer_id"), !id.isEmpty else {
                    return try await pages.pickCustomer(p.page, scope, title: p.page.text("new_order"), target: OrderURL.newOrder.path, q: p.query("q"))
                }
                let c = try await services.customers.get(scope, id: id)
                return try await documentForm(p.page, scope, kind: .order, customer: c, values: [:], errors: [:], flash: nil)
            },
            .post(OrderURL.newOrder) { p, scope in
                let f = p.form
                let c = try await services.customers.get(scope, id: f["customer_id"] ?? "")
                do {
                    let lists = try await services.products.priceLists(scope)
                    var d = OrderDraft()
                    d.customerID = c.id; d.priceListID = Self.nonEmpty(f["price_list_id"]); d.note = Self.nonEmpty(f["note"])
                    d.shipTo = Self.shipTo(f)
                    d.lines = try Self.lines(f, currency: Self.currency(f, lists))
                    let (o, _) = try await services.orders.create(scope, d)
                    return Pages.redirect(OrderURL.order(o.id).path)
                } catch let e as DomainError {
                    return try await documentForm(p.page, scope, kind: .order, customer: c, values: f, errors: Self.errors(e),
                                                  flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
            .get(OrderURL.order(":id")) { p, scope in try await orderDetail(p.page, scope, p.parameter("id")) },
            .post(OrderURL.orderAction(":id", ":action")) { p, scope in
                let id = p.parameter("id")
                do {
                    try await orderStep(scope, id, p.parameter("action"), p.form)
                    return Pages.redirect(OrderURL.order(id).path)
                } catch let e as DomainError where e != .notFound("order") {
                    return try await orderDetail(p.page, scope, id, flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
        ] + quoteRoutes + productRoutes
    }

    // MARK: Form helpers

    static let shipToFields = ["name", "phone", "province", "city", "district", "address", "postcode"]

    /// The order form's ship-to fields (`ship_to.name`, …), nil when all are empty.
    static func shipTo(_ f: [String: String]) -> ShipTo? {
        let v = { (k: String) in nonEmpty(f["ship_to." + k]) }
        let x = ShipTo(name: v("name"), phone: v("phone"), province: v("province"), city: v("city"), district: v("district"),
                       address: v("address"), postcode: v("postcode"))
        return x == ShipTo() ? nil : x
    }

    static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }

    static func currency(_ f: [String: String], _ lists: [PriceList]) -> String {
        lists.first { $0.id == f["price_list_id"] }?.currency ?? lists.first(where: \.isDefault)?.currency ?? DealStore.defaultCurrency
    }

    /// The line rows of a document form (`lines[i].…`), skipping empty rows; typed amounts are read
    /// in the currency's units, percentages exactly. Problems are reported per field.
    static func lines(_ f: [String: String], currency: String) throws(DomainError) -> [LineDraft] {
        var out: [LineDraft] = []
        var e = FieldErrors()
        for i in 0..<200 {
            let k = { (n: String) in "lines[\(i)].\(n)" }
            let product = nonEmpty(f[k("product_id")]), name = nonEmpty(f[k("name")]), qty = nonEmpty(f[k("quantity")])
            guard f[k("quantity")] != nil || f[k("name")] != nil || f[k("product_id")] != nil else { break }
            if product == nil && name == nil && qty == nil { continue }
            let n = out.count
            var d = LineDraft(productID: product, name: name)
            if let q = qty {
                if let v = Int(Formats.halfWidth(q)), v > 0 { d.quantity = v } else { e.add("lines[\(n)].quantity", .lineQuantity) }
            } else { d.quantity = 1 }
            if let p = nonEmpty(f[k("unit_price")]) {
                do { d.unitPrice = try Formats.money(p, currency: currency).minor } catch { e.add("lines[\(n)].unit_price", .number) }
            }
            if let x = nonEmpty(f[k("discount")]) {
                if let pct = Percent.parse(x) { d.discount = pct } else { e.add("lines[\(n)].discount", .percent) }
            }
            out.append(d)
        }
        try e.throwIfAny()
        if out.isEmpty { throw DomainError.field("lines", .atLeastOneLine) }
        return out
    }

    /// Field errors keyed as the form names them (`lines[0].quantity`, `amount`).
    static func errors(_ e: DomainError) -> [String: DomainMessage] {
        switch e {
        case .validation(let f): return f
        case .duplicate(let field, _, let m): return [field: m]
        default: return [:]
        }
    }

    enum DocumentKind { case order, quote }

    /// The line rows and header fields for a new order or quote (or an inquiry/draft quote's edit).
    func documentForm(_ v: PageContext, _ scope: Scope, kind: DocumentKind, customer c: Customer, quote: Quote? = nil,
                      values: [String: String], errors: [String: DomainMessage], flash: (kind: String, text: String)?,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let products = try await services.products.list(scope)
        let lists = try await services.products.priceLists(scope).filter(\.active)
        let stock = (try? await services.stock.availability(scope)) ?? [:]
        var values = values
        if let q = quote, values.isEmpty {
            for (i, l) in q.lines.enumerated() {
                values["lines[\(i)].product_id"] = l.productID ?? ""; values["lines[\(i)].name"] = l.name
                values["lines[\(i)].quantity"] = String(l.quantity)
                values["lines[\(i)].unit_price"] = Formats.plain(Money(minor: l.unitPrice, currency: q.totals.currency))
                values["lines[\(i)].discount"] = l.discount.basisPoints == 0 ? "" : l.discount.text
            }
            values["title"] = q.title; values["valid_until"] = q.validUntil ?? ""; values["message"] = q.message ?? ""; values["terms"] = q.terms ?? ""
            values["price_list_id"] = q.priceListID ?? ""
        }
        let filled = (0..<200).filter { values["lines[\($0)].quantity"] != nil || values["lines[\($0)].name"] != nil }.count
        let rows = (0..<max(filled + 2, Self.blankRows)).map { i -> [String: Any] in
            let k = { (n: String) in "lines[\(i)].\(n)" }
            let picked = values[k("product_id")] ?? ""
            let available = stock[picked]?.available
            let wanted = Int64(Formats.halfWidth(values[k("quantity")] ?? "").trimmingCharacters(in: .whitespaces)) ?? 1
            return Pages.model([
                "available": available.map { v.fmt.number(Int($0)) }, "oversell": available.map { wanted > $0 } ?? false,
                "i": String(i), "n": String(i + 1), "name": values[k("name")] ?? "", "quantity": values[k("quantity")] ?? "",
                "price": values[k("unit_price")] ?? "", "discount": values[k("discount")] ?? "",
                "products": products.map { p in
                    ["value": p.id, "label": p.sku + " · " + p.name + (stock[p.id].map { " · " + t("stock_available") + " " + v.fmt.number(Int($0.available)) } ?? ""),
                     "selected": p.id == picked] as [String: Any]
                },
                "error": ["product_id", "name", "quantity", "unit_price", "discount"].compactMap { f in
                    errors["lines[\(i)].\(f)"].map { t("line_" + f) + "：" + v.localize($0) }
                }.joined(separator: "；").nilIfEmpty,
            ])
        }
        let isQuote = kind == .quote
        let model = Pages.model([
            "csrf": v.csrf, "customerID": c.id, "customerName": c.name, "customerHref": CustomerURL.customer(c.id).path,
            "heading": quote.map { $0.number + " · R" + String($0.revision) } ?? t(isQuote ? "new_quote" : "new_order"),
            "action": quote.map { OrderURL.quoteAction($0.id, "edit").path } ?? (isQuote ? OrderURL.newQuote.path : OrderURL.newOrder.path),
            "isQuote": isQuote, "isNew": quote == nil, "dealID": values["deal_id"], "version": quote.map { String($0.version) },
            "rows": rows, "linesError": errors["lines"].map { v.localize($0) },
            "lists": lists.map { ["value": $0.id, "label": v.name($0) + " (" + $0.currency + ")", "selected": $0.id == (values["price_list_id"] ?? "") || (values["price_list_id"] == nil && $0.isDefault)] as [String: Any] },
            "title": values["title"] ?? "", "validUntil": values["valid_until"] ?? "", "message": values["message"] ?? "", "terms": values["terms"] ?? "",
            "note": values["note"] ?? "", "inquiry": values["inquiry"] == "1",
            "validError": errors["valid_until"].map { v.localize($0) },
            "shipTo": isQuote ? [] : Self.shipToFields.map { k in
                Pages.model(["name": "ship_to." + k, "id": "ship-to-" + k, "label": t("ship_to_" + k), "value": values["ship_to." + k] ?? "",
                             "multiline": k == "address", "inputmode": k == "phone" ? "tel" : k == "postcode" ? "numeric" : nil,
                             "autocomplete": ["name": "name", "phone": "tel", "province": "address-level1", "city": "address-level2",
                                              "district": "address-level3", "address": "street-address", "postcode": "postal-code"][k],
                             "error": errors["ship_to." + k].map { v.localize($0) }])
            },
            "cancelHref": quote.map { OrderURL.quote($0.id).path } ?? CustomerURL.customer(c.id).path,
        ])
        return pages.page("document_form", model, title: model["heading"] as? String ?? "", visit: v, flash: flash, status: status)
    }

    /// The document's lines and totals as the page shows them.
    static func linesModel(_ lines: [LineItem], _ totals: DocumentTotals, _ v: PageContext, progress: [String: (Int, Int)] = [:]) -> [String: Any] {
        let m = { (x: Int64) in v.fmt.money(minor: x, currency: totals.currency) }
        return [
            "lines": lines.enumerated().map { n, l in
                Pages.model(["n": String(n + 1), "sku": l.sku, "name": l.name, "unit": l.unit, "quantity": v.fmt.number(l.quantity),
                             "price": m(l.unitPrice), "discount": l.discount.basisPoints == 0 ? nil : l.discount.text + "%",
                             "tax": l.taxRate.text + "%", "net": m(l.net), "total": m(l.total),
                             "progress": progress[l.id].map { "\(v.fmt.number($0.0)) / \(v.fmt.number($0.1))" }])
            },
            "gross": m(totals.gross), "discountTotal": totals.discount == 0 ? nil : m(totals.discount) as Any?, "net": m(totals.net),
            "taxTotal": m(totals.tax), "total": m(totals.total), "hasProgress": !progress.isEmpty,
        ].compactMapValues { $0 }
    }

    // MARK: Orders

    func orderList(_ req: Request, _ v: PageContext, _ scope: Scope) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let params = ListView.params(req)
        let status = ListView.param(params, "status").flatMap(OrderStatus.init(rawValue:))
        let mine = ListView.param(params, "mine") == "1"
        var filter = OrderFilter(); filter.status = status; filter.ownerID = mine ? scope.userID : nil
        // sorted on the indexed key, when the order was placed, either way; paged both ways
        let list = ListView(path: OrderURL.orders.path, params: params, filters: [("mine", mine ? "1" : nil), ("status", status?.rawValue)],
                            sorts: ["placed_at", "-placed_at"], defaultSort: "-placed_at")
        let page = try await services.orders.window(scope, filter: filter, oldestFirst: !list.descending, cursor: list.cursor, before: list.before, limit: 50)
        let (n, exact) = try await services.orders.count(scope, filter: filter)
        let board = try await services.orders.statusBoard(scope)
        let names = try await services.customers.names(scope, ids: Set(page.items.map(\.customerID)))
        let f = try await pages.formatter(v, scope)
        let base = OrderURL.orders.path + "?" + (mine ? "mine=1&" : "")
        let sortPlaced = list.header("placed_at", t("order_placed"), firstDescending: true)
        let model = Pages.model([
            "tabs": [["href": base, "label": t("all"), "current": status == nil, "count": nil] as [String: Any?]].map { $0.compactMapValues { $0 } }
                + board.map { s, n, totals in
                    Pages.model(["href": base + "status=" + s.rawValue, "label": t("order_status_" + s.rawValue), "current": s == status,
                                 "count": v.fmt.number(n), "sum": totals.map { v.fmt.money(minor: $0.minor, currency: $0.currency) }.joined(separator: " + ").nilIfEmpty])
                },
            "rows": page.items.map { o in
                Pages.model(["href": OrderURL.order(o.id).path, "number": o.number, "customer": names[o.customerID] ?? "",
                             "customerHref": CustomerURL.customer(o.customerID).path, "status": t("order_status_" + o.status.rawValue),
                             "total": v.fmt.money(minor: o.totals.total, currency: o.totals.currency),
                             "outstanding": o.outstanding > 0 && !o.status.isClosed ? v.fmt.money(minor: o.outstanding, currency: o.totals.currency) : nil,
                             "placed": f.string(from: o.placedAt), "source": o.source == "api" ? nil : o.source])
            },
            "hasRows": !page.items.isEmpty, "mine": mine,
            "count": ListView.count(v, "count_orders", n, exact: exact), "pager": list.pager(next: page.next, previous: page.previous),
            "sortPlaced": sortPlaced.merging(["wide": true]) { a, _ in a }, "sortChoices": list.choices([sortPlaced]),
            "newHref": scope.level(.orders, .create) != nil ? OrderURL.newOrder.path : nil,
            "mineHref": OrderURL.orders.path + (mine ? "" : "?mine=1") + (status.map { (mine ? "?" : "&") + "status=" + $0.rawValue } ?? ""),
            "quotesHref": OrderURL.quotes.path, "productsHref": OrderURL.products.path,
        ])
        return pages.page("orders", model, title: t("orders"), visit: v)
    }

    func orderStep(_ scope: Scope, _ id: String, _ action: String, _ f: [String: String]) async throws {
        let orders = services.orders
        let version = f["version"].flatMap { Int($0) }
        let o = try await orders.get(scope, id: id)
        let cur = o.totals.currency
        func amount() throws(DomainError) -> Int64 {
            do { return try Formats.money(f["amount"] ?? "", currency: cur).minor } catch { throw DomainError.field("amount", .number) }
        }
        func quantities() -> [Shipment.Line] {
            o.lines.compactMap { l in
                guard let q = Self.nonEmpty(f["qty_" + l.item.id]).flatMap({ Int(Formats.halfWidth($0)) }), q != 0 else { return nil }
                return Shipment.Line(lineID: l.item.id, quantity: q)
            }
        }
        switch action {
        case "pay":
            _ = try await orders.pay(scope, id: id, PaymentDraft(amount: try amount(), method: Self.nonEmpty(f["method"]), reference: Self.nonEmpty(f["reference"])),
                                     ifVersion: version)
        case "refund":
            _ = try await orders.refund(scope, id: id, PaymentDraft(amount: try amount(), note: Self.nonEmpty(f["note"])), ifVersion: version)
        case "plan":
            var plan: [Instalment] = []
            var e = FieldErrors()
            for i in 0..<12 {
                guard let due = Self.nonEmpty(f["due_\(i)"]) else { continue }
                do { plan.append(Instalment(dueDate: due, amount: try Formats.money(f["amount_\(i)"] ?? "", currency: cur).minor)) }
                catch { e.add("instalments[\(i)].amount", .number) }
            }
            try e.throwIfAny()
            _ = try await orders.setPlan(scope, id: id, plan, ifVersion: version)
        case "ship":
            let lines = quantities()
            _ = try await orders.ship(scope, id: id, ShipmentDraft(carrier: f["carrier"] ?? "", trackingNumber: Self.nonEmpty(f["tracking_number"]),
                                                                   lines: lines.isEmpty ? nil : lines), ifVersion: version)
        case "deliver": _ = try await orders.deliver(scope, id: id, shipmentID: Self.nonEmpty(f["shipment_id"]), ifVersion: version)
        case "confirm": _ = try await orders.confirm(scope, id: id, ifVersion: version)
        case "cancel": _ = try await orders.cancel(scope, id: id, reason: f["reason"], ifVersion: version)
        case "return": _ = try await orders.returnGoods(scope, id: id, lines: quantities(), reason: f["reason"], ifVersion: version)
        case "credit-release": _ = try await services.credit.release(scope, orderID: id, note: f["note"])
        default: throw DomainError.notFound("page")
        }
    }

    func orderDetail(_ v: PageContext, _ scope: Scope, _ id: String, flash: (kind: String, text: String)? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let o = try await services.orders.get(scope, id: id)
        let c = try? await services.customers.get(scope, id: o.customerID)
        let f = try await pages.formatter(v, scope)
        let m = { (x: Int64) in v.fmt.money(minor: x, currency: o.totals.currency) }
        let state = o.state(hasPlan: !(o.plan ?? []).isEmpty)
        let may = { (s: OrderStep) in scope.level(.orders, .update) != nil && (try? OrderRules.check(s, state)) != nil }
        var progress: [String: (Int, Int)] = [:]
        for l in o.lines { progress[l.item.id] = (l.shipped, l.item.quantity) }
        let facts: [(String, String?)] = [
            ("order_status", t("order_status_" + o.status.rawValue)), ("order_total", m(o.totals.total)), ("order_paid", m(o.netPaid)),
            ("order_outstanding", o.outstanding > 0 ? m(o.outstanding) : nil), ("order_refunded", o.refunded > 0 ? m(o.refunded) : nil),
            ("order_placed", f.string(from: o.placedAt)), ("owner", try await pages.userName(o.ownerID) ?? "—"),
            ("order_source", o.externalID.map { o.source + " · " + $0 }), ("order_cancel_reason", o.cancelReason),
            ("order_confirmed", o.confirmedAt.map(f.string(from:))), ("note", o.note),
            ("ship_to", o.shipTo.map(Self.shipToText)),
        ]
        let warnings = (try? await services.stock.warnings(scope, for: o)) ?? []
        let remaining = o.lines.filter { $0.shipped < $0.item.quantity }
        let returnable = o.lines.filter { $0.shipped > $0.returned }
        var model = Pages.model([
            "number": o.number, "status": t("order_status_" + o.status.rawValue), "closed": o.status.isClosed, "csrf": v.csrf, "version": String(o.version),
            "customerName": c?.name, "customerHref": c.map { CustomerURL.customer($0.id).path },
            "facts": facts.compactMap { k, val in val.flatMap { $0.isEmpty ? nil : ["label": t(k), "value": $0] } },
            "payments": (o.payments ?? []).map { p in
                Pages.model(["when": f.string(from: p.paidAt), "kind": t("payment_" + p.kind.rawValue), "amount": m(p.kind == .refund ? -p.amount : p.amount),
                             "method": p.method, "reference": p.reference ?? p.note])
            },
            "hasPayments": !(o.payments ?? []).isEmpty,
            "plan": (o.plan ?? []).map { i in
                Pages.model(["due": v.fmt.day(i.dueDate), "amount": m(i.amount), "covered": m(i.covered), "overdue": i.overdue, "done": i.covered >= i.amount])
            },
            "hasPlan": !(o.plan ?? []).isEmpty,
            "shipments": (o.shipments ?? []).map { s in
                Pages.model(["when": f.string(from: s.shippedAt), "carrier": s.carrier, "tracking": s.trackingNumber,
                             "delivered": s.deliveredAt.map(f.string(from:)), "id": s.id,
                             "items": s.lines.compactMap { x in o.lines.first { $0.item.id == x.lineID }.map { $0.item.name + " × " + v.fmt.number(x.quantity) } }
                                 .joined(separator: "，")])
            },
            "hasShipments": !(o.shipments ?? []).isEmpty,
            "canPay": may(.pay), "outstandingPlain": Formats.plain(Money(minor: o.outstanding, currency: o.totals.currency)),
            "canRefund": may(.refund), "canPlan": may(.plan), "canShip": may(.ship), "canDeliver": may(.deliver), "canConfirm": may(.confirm),
            "canCancel": may(.cancel), "canReturn": may(.returnGoods) && !returnable.isEmpty,
            "shipLines": remaining.map { ["id": $0.item.id, "name": $0.item.name, "left": String($0.item.quantity - $0.shipped)] },
            "returnLines": returnable.map { ["id": $0.item.id, "name": $0.item.name, "left": String($0.shipped - $0.returned)] },
            "planRows": (0..<3).map { ["i": String($0), "n": String($0 + 1)] },
            "methods": ["bank_transfer", "wechat_pay", "alipay", "cash", "other"].map { ["value": t("pay_method_" + $0)] },
            "listHref": OrderURL.orders.path,
            "creditHold": o.creditHold.map { v.localize($0) }, "canRelease": scope.level(.credit, .update) != nil,
            "releaseHref": OrderURL.orderAction(o.id, "credit-release").path,
            "hasWarnings": !warnings.isEmpty,
            "warnings": warnings.map { w in
                ["name": o.lines.first { $0.item.id == w.lineID }?.item.name ?? w.sku ?? "", "quantity": v.fmt.number(Int(w.quantity)),
                 "available": v.fmt.number(Int(w.available))]
            },
        ])
        for h in ["pay", "refund", "plan", "ship", "deliver", "confirm", "cancel", "return"] { model[h + "Href"] = OrderURL.orderAction(o.id, h).path }
        model.merge(Self.linesModel(o.lines.map(\.item), o.totals, v, progress: progress)) { a, _ in a }
        return pages.page("order", model, title: o.number, visit: v, flash: flash, status: status)
    }
}

extension OrderPages {
    /// 收货人 电话 · 省 市 区 · address · postcode, as a waybill reads.
    static func shipToText(_ s: ShipTo) -> String {
        [[s.name, s.phone].compactMap { $0 }.joined(separator: " "), [s.province, s.city, s.district].compactMap { $0 }.joined(separator: " "),
         (s.address ?? "").replacingOccurrences(of: "\n", with: " "), s.postcode ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension OrderPages {
    /// The customer's orders and quotes on the 360 page, and starting one.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        var part: [String: Any] = [:]
        if scope.level(.orders, .read) != nil {
            var of = OrderFilter(); of.customerID = customerID
            let orders = try await pages.services.orders.list(scope, filter: of, cursor: nil, limit: 10).items.map { o in
                ["href": OrderURL.order(o.id).path, "number": o.number, "status": v.text("order_status_" + o.status.rawValue),
                 "total": v.fmt.money(minor: o.totals.total, currency: o.totals.currency)]
            }
            var qf = QuoteFilter(); qf.customerID = customerID
            let quotes = try await pages.services.quotes.list(scope, filter: qf, cursor: nil, limit: 10).items.filter { $0.status != .superseded }.map { q in
                ["href": OrderURL.quote(q.id).path, "number": q.number + " · R" + String(q.revision), "status": v.text("quote_status_" + q.status.rawValue),
                 "total": v.fmt.money(minor: q.totals.total, currency: q.totals.currency)]
            }
            part["orders"] = orders; part["hasOrders"] = !orders.isEmpty
            part["quotes"] = quotes; part["hasQuotes"] = !quotes.isEmpty
        }
        if scope.level(.orders, .create) != nil {
            part["newQuoteHref"] = OrderURL.newQuote.path + "?customer_id=" + customerID
            part["newOrderHref"] = OrderURL.newOrder.path + "?customer_id=" + customerID
        }
        return part
    }

    /// Orders the search box finds by number.
    static func searchPart(_ pages: Pages, _ scope: Scope, _ query: String, _ v: PageContext) async throws -> [SearchHit] {
        guard scope.level(.orders, .read) != nil else { return [] }
        return try await pages.services.orders.find(scope, number: query).map { o in
            SearchHit(kind: v.text("orders"), title: o.number,
                      detail: v.text("order_status_" + o.status.rawValue) + " · " + v.fmt.money(minor: o.totals.total, currency: o.totals.currency),
                      href: OrderURL.order(o.id).path)
        }
    }
}
