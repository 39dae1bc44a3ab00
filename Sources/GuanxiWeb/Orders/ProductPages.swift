import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The catalogue page: products with their price in every list, and the lists themselves.
/// Everyone who works with orders reads it; settings.update changes it.
extension OrderPages {
    var productRoutes: [PageRoute] {
        [
            .get(OrderURL.products) { p, scope in
                var values: [String: String] = [:]
                if let id = p.query("edit"), ID.isValid(id) { values = Self.values(try await services.products.get(scope, id: id)) }
                return try await productsPage(p.page, scope, values: values, errors: [:], flash: nil)
            },
            .post(OrderURL.productAction(":action")) { p, scope in
                let f = p.form
                do {
                    switch p.parameter("action") {
                    case "save":
                        let lists = try await services.products.priceLists(scope)
                        var d = ProductDraft()
                        d.sku = f["sku"] ?? ""; d.name = f["name"] ?? ""; d.unit = f["unit"] ?? ""; d.active = f["active"] == "1"
                        var e = FieldErrors()
                        if let x = Self.nonEmpty(f["tax_rate"]) { if let p = Percent.parse(x) { d.taxRate = p } else { e.add("tax_rate", .percent) } }
                        d.prices = lists.compactMap { l in
                            let text = f["price_" + l.id] ?? ""
                            if text.trimmingCharacters(in: .whitespaces).isEmpty { return .init(priceListID: l.id, unitPrice: nil) }
                            do { return .init(priceListID: l.id, unitPrice: try Formats.money(text, currency: l.currency).minor) }
                            catch { e.add("price_" + l.id, .number); return nil }
                        }
                        try e.throwIfAny()
                        let id = Self.nonEmpty(f["id"])
                        _ = try await services.products.save(scope, id: id, d, ifVersion: f["version"].flatMap { Int($0) })
                    case "list":
                        _ = try await services.products.savePriceList(scope, id: nil, PriceListDraft(name: f["list_name"] ?? "", currency: f["list_currency"] ?? ""))
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(OrderURL.products.path)
                } catch let e as DomainError {
                    return try await productsPage(p.page, scope, values: f, errors: Self.errors(e), flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    static func values(_ p: Product) -> [String: String] {
        var out = ["id": p.id, "version": String(p.version), "sku": p.sku, "name": p.name, "unit": p.unit ?? "", "tax_rate": p.taxRate.text,
                   "active": p.active ? "1" : ""]
        for x in p.prices { out["price_" + x.priceListID] = Formats.plain(x.unitPrice) }
        return out
    }

    func productsPage(_ v: PageContext, _ scope: Scope, values: [String: String], errors: [String: DomainMessage],
                      flash: (kind: String, text: String)?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let lists = try await services.products.priceLists(scope)
        let products = try await services.products.list(scope, includeInactive: true, limit: 500)
        let stock = (try? await services.stock.availability(scope)) ?? [:]
        let canEdit = scope.level(.settings, .update) != nil
        let editing = values["id"] != nil
        let fields: [(String, String, String)] = [("sku", "product_sku", "text"), ("name", "product_name", "text"), ("unit", "product_unit", "text"),
                                                   ("tax_rate", "product_tax_rate", "text")]
        let model = Pages.model([
            "csrf": v.csrf, "canEdit": canEdit, "editing": editing, "id": values["id"], "version": values["version"],
            "lists": lists.map { ["name": v.name($0), "currency": $0.currency, "default": $0.isDefault] as [String: Any] },
            "rows": products.map { p in
                Pages.model(["sku": p.sku, "name": p.name, "unit": p.unit, "tax": p.taxRate.text + "%", "inactive": !p.active,
                             "available": stock[p.id].map { v.fmt.number(Int($0.available)) } ?? "—", "short": (stock[p.id]?.available ?? 1) <= 0,
                             "stockTitle": stock[p.id].map { t("stock_on_hand") + " " + v.fmt.number(Int($0.onHand)) + " · " + t("stock_reserved") + " "
                                 + v.fmt.number(Int($0.reserved)) + " · " + t("stock_open_orders") + " " + v.fmt.number(Int($0.openOrders)) },
                             "editHref": OrderURL.products.path + "?edit=" + p.id,
                             "prices": lists.map { l in ["value": p.prices.first { $0.priceListID == l.id }.map { v.fmt.money(minor: $0.unitPrice.minor, currency: $0.unitPrice.currency) } ?? "—"] }])
            },
            "hasRows": !products.isEmpty,
            "fields": fields.map { name, key, type in
                Pages.model(["name": name, "label": t(key), "type": type, "value": values[name] ?? (name == "tax_rate" ? "13" : ""),
                             "required": name == "sku" || name == "name", "inputmode": name == "tax_rate" ? "decimal" : nil,
                             "error": errors[name].map { v.localize($0) }])
            },
            "priceFields": lists.map { l in
                Pages.model(["name": "price_" + l.id, "label": t("product_price") + " · " + v.name(l) + " (" + l.currency + ")", "value": values["price_" + l.id] ?? "",
                             "error": errors["price_" + l.id].map { v.localize($0) }])
            },
            "active": values.isEmpty || values["active"] == "1",
            "saveHref": OrderURL.productAction("save").path, "listHref": OrderURL.productAction("list").path,
            "listError": (errors["name"] ?? errors["currency"]).flatMap { values["list_name"] != nil ? v.localize($0) : nil },
            "currencies": ["CNY", "TWD", "HKD", "USD", "EUR"].map { ["value": $0] },
            "ordersHref": OrderURL.orders.path,
        ])
        return pages.page("products", model, title: t("products"), visit: v, flash: flash, status: status)
    }
}
