import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The credit pages' addresses: the credit report and a customer's credit terms.
package enum CreditURL: PageAddress, Equatable {
    case report, customer(String)

    package var path: String {
        switch self {
        case .report: "/credit"
        case .customer(let id): "/customers/\(id)/credit"
        }
    }
}

/// Credit control on the pages: the credit report, a customer's terms and standing (with the form
/// to change them, for those with the right), and the summary on the customer's 360 page.
struct CreditPages {
    let pages: Pages
    var credit: CreditStore { pages.services.credit }

    var routes: [PageRoute] {
        [
            .get(CreditURL.report, needs: .can(.read, .credit)) { p, scope in try await report(p.page, scope) },
            .get(CreditURL.customer(":id"), needs: .can(.read, .credit)) { p, scope in
                try await customer(p.page, scope, p.parameter("id"), values: nil, errors: [:],
                               flash: p.query("saved") == "1" ? ("good", p.page.text("credit_saved")) : nil)
            },
            .post(CreditURL.customer(":id"), needs: .can(.update, .credit)) { p, scope in
                let id = p.parameter("id"), f = p.form, v = p.page
                do {
                    let terms = try Self.terms(f, currency: f["currency"] ?? "")
                    _ = try await credit.setTerms(scope, customerID: id, terms, ifVersion: f["version"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil })
                    return Pages.redirect(CreditURL.customer(id).path + "?saved=1")
                } catch DomainError.staleVersion {
                    return try await customer(v, scope, id, values: nil, errors: [:], flash: ("bad", v.text("error_conflict")), status: .conflict)
                } catch let e as DomainError where e != .notFound("customer") {
                    return try await customer(v, scope, id, values: f, errors: Pages.fieldErrors(e), flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    /// The form's terms: the limit in the currency's units (empty: no limit), the days.
    static func terms(_ f: [String: String], currency: String) throws(DomainError) -> CreditTerms {
        var e = FieldErrors()
        let code = Money.currencyCode(currency.trimmingCharacters(in: .whitespaces)) ?? currency
        var limit: Int64?
        let raw = (f["limit"] ?? "").trimmingCharacters(in: .whitespaces)
        if !raw.isEmpty {
            do { limit = try Formats.money(raw, currency: Money.currencyCode(code) ?? DealStore.defaultCurrency).minor } catch { e.add("limit", .number) }
        }
        let days = Int(Formats.halfWidth((f["terms_days"] ?? "").trimmingCharacters(in: .whitespaces)))
        if days == nil { e.add("terms_days", .wholeNumber) }
        try e.throwIfAny()
        return CreditTerms(limit: limit, currency: code, termsDays: days ?? 0)
    }

    /// A standing as the pages show it.
    static func standing(_ a: CreditAccount, _ v: PageContext) -> [String: Any] {
        let t = { (k: String) in v.text(k) }
        let m = { (x: Int64) in v.fmt.money(minor: x, currency: a.currency) }
        let s = a.standing
        return Pages.model([
            "limit": a.terms?.limit.map(m) ?? t("credit_no_limit"), "termsDays": v.fmt.number(a.terms?.termsDays ?? 0),
            "exposure": m(s.exposure), "available": a.terms?.limit.map { m(max(0, $0 - s.exposure)) } ?? "—",
            "over": a.terms?.limit.map { s.exposure > $0 } ?? false,
            "ageing": zip(Figures.ageingBuckets, s.ageing).map { ["bucket": $0 + " " + t("credit_days"), "amount": m($1)] },
            "dso": s.dso.map { v.fmt.decimal($0, digits: 1) } ?? "—", "score": s.paymentScore.map { String($0) } ?? "—",
            "held": a.held.count, "hasHeld": !a.held.isEmpty,
            "heldOrders": a.held.map { ["href": OrderURL.order($0).path] },
        ])
    }

    func customer(_ v: PageContext, _ scope: Scope, _ id: String, values: [String: String]?, errors: [String: DomainMessage],
                  flash: (String, String)? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let a = try await credit.account(scope, customerID: id)
        let c = try await pages.services.customers.get(scope, id: id)
        let plainLimit = a.terms?.limit.map { Formats.plain(Money(minor: $0, currency: a.currency)) } ?? ""
        var model = Self.standing(a, v)
        model.merge(Pages.model([
            "name": c.name, "customerHref": CustomerURL.customer(c.id).path, "csrf": v.csrf, "action": CreditURL.customer(c.id).path,
            "mayEdit": scope.level(.credit, .update) != nil, "version": String(a.terms?.version ?? 0),
            "limitValue": values?["limit"] ?? plainLimit, "currencyValue": values?["currency"] ?? a.currency,
            "daysValue": values?["terms_days"] ?? String(a.terms?.termsDays ?? 30),
            "limitError": errors["limit"].map { v.localize($0) }, "currencyError": errors["currency"].map { v.localize($0) },
            "daysError": errors["terms_days"].map { v.localize($0) },
        ])) { a, _ in a }
        return pages.page("credit_customer", model, title: v.text("credit") + " · " + c.name, visit: v, flash: flash, status: status)
    }

    func report(_ v: PageContext, _ scope: Scope) async throws -> Response {
        let rows = try await credit.report(scope)
        let model: [String: Any] = [
            "rows": rows.map { r -> [String: Any] in
                var m = Self.standing(r.account, v)
                m["name"] = r.name; m["href"] = CreditURL.customer(r.customerID).path
                return m
            },
            "hasRows": !rows.isEmpty, "buckets": Figures.ageingBuckets.map { $0 + " " + v.text("credit_days") },
        ]
        return pages.page("credit_report", model, title: v.text("credit_report"), visit: v)
    }

    /// The credit summary on a customer's 360 page, for those who may read credit.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard scope.level(.credit, .read) != nil else { return [:] }
        let a = try await pages.services.credit.account(scope, customerID: customerID)
        var m = standing(a, v)
        m["href"] = CreditURL.customer(customerID).path
        return ["credit": m]
    }

    static let templates: [String: String] = [
        "customer_credit": """
        <section class="credit"><h2><a href="{{href}}">{{t.credit}}</a></h2><dl class="facts">
          <div><dt>{{t.credit_limit}}</dt><dd>{{limit}}</dd></div><div><dt>{{t.credit_exposure}}</dt><dd>{{#over}}<span class="tag bad">{{exposure}}</span>{{/over}}{{^over}}{{exposure}}{{/over}}</dd></div>
          <div><dt>{{t.credit_available}}</dt><dd>{{available}}</dd></div><div><dt>{{t.credit_terms_days}}</dt><dd>{{termsDays}}</dd></div>
          <div><dt>{{t.credit_dso}}</dt><dd>{{dso}}</dd></div><div><dt>{{t.credit_score}}</dt><dd>{{score}}</dd></div>
          {{#hasHeld}}<div><dt>{{t.credit_held_orders}}</dt><dd>{{held}}</dd></div>{{/hasHeld}}
        </dl></section>
        """,
        "credit_customer": """
        <section>
          <div class="head"><h1>{{t.credit}} · <a href="{{customerHref}}">{{name}}</a></h1><a class="button" href="/credit">{{t.credit_report}}</a></div>
          <dl class="facts">
            <div><dt>{{t.credit_limit}}</dt><dd>{{limit}}</dd></div><div><dt>{{t.credit_exposure}}</dt><dd>{{#over}}<span class="tag bad">{{exposure}}</span>{{/over}}{{^over}}{{exposure}}{{/over}}</dd></div>
            <div><dt>{{t.credit_available}}</dt><dd>{{available}}</dd></div><div><dt>{{t.credit_terms_days}}</dt><dd>{{termsDays}}</dd></div>
            <div><dt>{{t.credit_dso}}</dt><dd>{{dso}}</dd></div><div><dt>{{t.credit_score}}</dt><dd>{{score}}</dd></div>
            {{#ageing}}<div><dt>{{bucket}}</dt><dd>{{amount}}</dd></div>{{/ageing}}
          </dl>
          {{#hasHeld}}<h2>{{t.credit_held_orders}}</h2><ul class="related">{{#heldOrders}}<li><a href="{{href}}">{{href}}</a></li>{{/heldOrders}}</ul>{{/hasHeld}}
          {{#mayEdit}}<form method="post" action="{{action}}" class="card stack"><h2>{{t.credit_edit}}</h2>
            <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
            <label>{{t.credit_limit}}<input name="limit" value="{{limitValue}}" inputmode="decimal" placeholder="{{t.credit_no_limit}}"{{#limitError}} aria-invalid="true"{{/limitError}}></label>{{#limitError}}<p class="error">{{limitError}}</p>{{/limitError}}
            <label>{{t.credit_currency}}<input name="currency" value="{{currencyValue}}" maxlength="3" required{{#currencyError}} aria-invalid="true"{{/currencyError}}></label>{{#currencyError}}<p class="error">{{currencyError}}</p>{{/currencyError}}
            <label>{{t.credit_terms_days}}<input name="terms_days" value="{{daysValue}}" inputmode="numeric" required{{#daysError}} aria-invalid="true"{{/daysError}}></label>{{#daysError}}<p class="error">{{daysError}}</p>{{/daysError}}
            <p class="hint">{{t.credit_hint}}</p>
            <button class="primary">{{t.save}}</button></form>{{/mayEdit}}
        </section>
        """,
        "credit_report": """
        <section>
          <h1>{{t.credit_report}}</h1><p class="meta">{{t.credit_intro}}</p>
          {{#hasRows}}<div class="scroll"><table class="list numbers"><thead><tr><th scope="col">{{t.credit_customer}}</th><th scope="col">{{t.credit_limit}}</th>
            <th scope="col">{{t.credit_exposure}}</th><th scope="col">{{t.credit_available}}</th>{{#buckets}}<th scope="col">{{.}}</th>{{/buckets}}
            <th scope="col">{{t.credit_dso}}</th><th scope="col">{{t.credit_score}}</th><th scope="col">{{t.credit_held_orders}}</th></tr></thead>
            <tbody>{{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{limit}}</td><td>{{#over}}<span class="tag bad">{{exposure}}</span>{{/over}}{{^over}}{{exposure}}{{/over}}</td><td>{{available}}</td>
              {{#ageing}}<td>{{amount}}</td>{{/ageing}}<td>{{dso}}</td><td>{{score}}</td><td>{{held}}</td></tr>{{/rows}}</tbody></table></div>{{/hasRows}}
          {{^hasRows}}<p class="empty">{{t.credit_none}}</p>{{/hasRows}}
        </section>
        """,
    ]

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "credit": "信用", "credit_report": "信用报告", "credit_limit": "信用额度", "credit_terms_days": "账期（天）", "credit_exposure": "占用额度",
            "credit_available": "可用额度", "credit_dso": "应收账款周转天数（DSO）", "credit_score": "付款表现（0–100）", "credit_held": "待信用审批：",
            "credit_held_orders": "待审批订单", "credit_release": "批准并放行", "credit_release_note": "审批说明", "credit_no_limit": "不限额",
            "credit_edit": "修改信用条件", "credit_currency": "币种", "credit_customer": "客户", "credit_saved": "信用条件已保存。",
            "credit_intro": "有信用条件或欠款的客户，按欠款从多到少。占用额度＝未结订单加未收款；超过额度的新订单会等待审批。",
            "credit_hint": "额度留空表示不限额。新订单会让占用额度超过信用额度时，订单会暂停，等待有权限的人批准后才能发货。",
            "credit_none": "还没有客户设置信用条件或欠款。", "credit_days": "天",
        ],
        .zhHant: [
            "credit": "信用", "credit_report": "信用報告", "credit_limit": "信用額度", "credit_terms_days": "帳期（天）", "credit_exposure": "占用額度",
            "credit_available": "可用額度", "credit_dso": "應收帳款週轉天數（DSO）", "credit_score": "付款表現（0–100）", "credit_held": "待信用審批：",
            "credit_held_orders": "待審批訂單", "credit_release": "批准並放行", "credit_release_note": "審批說明", "credit_no_limit": "不限額",
            "credit_edit": "修改信用條件", "credit_currency": "幣別", "credit_customer": "客戶", "credit_saved": "信用條件已儲存。",
            "credit_intro": "有信用條件或欠款的客戶，按欠款由多到少。占用額度＝未結訂單加未收款；超過額度的新訂單會等待審批。",
            "credit_hint": "額度留空表示不限額。新訂單會讓占用額度超過信用額度時，訂單會暫停，等待有權限的人批准後才能出貨。",
            "credit_none": "還沒有客戶設定信用條件或欠款。", "credit_days": "天",
        ],
        .en: [
            "credit": "Credit", "credit_report": "Credit report", "credit_limit": "Credit limit", "credit_terms_days": "Payment terms (days)", "credit_exposure": "Exposure",
            "credit_available": "Available", "credit_dso": "Days sales outstanding (DSO)", "credit_score": "Payment behaviour (0–100)", "credit_held": "Held for credit approval:",
            "credit_held_orders": "Orders held", "credit_release": "Approve and release", "credit_release_note": "Reason for approving", "credit_no_limit": "No limit",
            "credit_edit": "Change credit terms", "credit_currency": "Currency", "credit_customer": "Customer", "credit_saved": "Credit terms saved.",
            "credit_intro": "Customers with credit terms or money owed, most owed first. Exposure is open orders plus unpaid ones; a new order past the limit waits for approval.",
            "credit_hint": "Leave the limit empty for no limit. An order that would take the exposure past the limit is held until someone with the right approves it; it cannot ship before.",
            "credit_none": "No customer has credit terms or owes money yet.", "credit_days": "days",
        ],
    ]

    /// The domain messages credit control raises, as pages show them.
    static let translations: [MessageTranslation] = [
        ("exceeds the credit limit: {0} owed with this order, limit {1} {2}", "超出信用额度：加上这张订单共欠 {0}，额度 {1} {2}", "超出信用額度：加上這張訂單共欠 {0}，額度 {1} {2}"),
        ("the order is held for credit approval; it ships once released", "订单正等待信用审批，批准后才能发货", "訂單正等待信用審批，批准後才能出貨"),
        ("the order is not held for credit approval", "这张订单没有在等待信用审批", "這張訂單沒有在等待信用審批"),
        ("must not be negative", "不能为负数", "不能為負數"),
    ]
}
