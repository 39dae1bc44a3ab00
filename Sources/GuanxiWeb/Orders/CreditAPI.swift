import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` credit control: a customer's limit and payment terms and where they stand, releasing
/// an order held for credit approval, and the credit report.
struct CreditAPI {
    let credit: CreditStore

    struct TermsInput: Decodable {
        var limit: Int64?; var currency: String?; var termsDays: Int
        enum CodingKeys: String, CodingKey { case limit, currency, termsDays = "terms_days" }
    }
    struct ReleaseInput: Decodable { var note: String? }

    func register(_ t: RouteTable) {
        let tag = "Credit"
        t.on(APIRoute(method: .get, path: "/customers/{id}/credit", operationID: "getCustomerCredit",
                      summary: "A customer's credit limit and terms, what they owe (by age), DSO, payment score and held orders",
                      tag: tag, needs: .can(.read, .credit), responseSchema: "CreditAccount")) { _, ctx, scope in
            let a = try await credit.account(scope, customerID: try ctx.parameters.require("id"))
            return .json(CreditJSON.account(a), etag: a.terms?.version)
        }
        t.on(APIRoute(method: .put, path: "/customers/{id}/credit", operationID: "setCustomerCredit",
                      summary: "Set a customer's credit limit (null: none) and payment terms (If-Match once set)",
                      tag: tag, needs: .can(.update, .credit), requestSchema: "CreditTermsInput", responseSchema: "CreditAccount", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(TermsInput.self, req)
            let terms = CreditTerms(limit: i.limit, currency: i.currency ?? DealStore.defaultCurrency, termsDays: i.termsDays)
            let a = try await credit.setTerms(scope, customerID: try ctx.parameters.require("id"), terms, ifVersion: try req.ifMatchVersion())
            return .json(CreditJSON.account(a), etag: a.terms?.version)
        }
        t.on(APIRoute(method: .post, path: "/orders/{id}/credit-release", operationID: "releaseOrderCredit",
                      summary: "Approve an order held for credit (it took the customer past their limit), with a note; it may then ship",
                      tag: tag, needs: .can(.update, .credit), requestSchema: "CreditReleaseInput", responseSchema: "Order")) { req, ctx, scope in
            let body = try await APIBody.bytes(req)
            let note = body.isEmpty ? nil : try APIBody.decode(ReleaseInput.self, from: body).note
            let o = try await credit.release(scope, orderID: try ctx.parameters.require("id"), note: note)
            return .json(o, etag: o.version)
        }
        t.on(APIRoute(method: .get, path: "/credit/report", operationID: "creditReport",
                      summary: "Customers with credit terms or money owed, most owed first: limit, exposure, ageing, DSO, payment score",
                      tag: tag, needs: .can(.read, .credit), query: ["limit"], responseSchema: "CreditReport")) { req, _, scope in
            let rows = try await credit.report(scope, limit: try APIPaging.limit(req, default: 200))
            return .json(JSONValue.object(["items": .array(rows.map { r in
                var o = CreditJSON.account(r.account)
                if case .object(var x) = o { x["name"] = .string(r.name); o = .object(x) }
                return o
            })]))
        }
    }
}

/// How credit accounts are answered: money in minor units of `currency`.
enum CreditJSON {
    static func account(_ a: CreditAccount) -> JSONValue {
        let s = a.standing
        var ageing: [String: JSONValue] = [:]
        for (k, v) in zip(Figures.ageingBuckets, s.ageing) { ageing[k] = .number(Double(v)) }
        let available: JSONValue = a.terms?.limit.map { .number(Double(max(0, $0 - s.exposure))) } ?? .null
        return .object([
            "customer_id": .string(a.customerID), "limit": a.terms?.limit.map { .number(Double($0)) } ?? .null, "currency": .string(a.currency),
            "terms_days": .number(Double(a.terms?.termsDays ?? 0)), "version": .number(Double(a.terms?.version ?? 0)),
            "exposure": .number(Double(s.exposure)), "available": available, "ageing": .object(ageing),
            "dso": s.dso.map { .number(($0 * 10).rounded() / 10) } ?? .null, "payment_score": s.paymentScore.map { .number(Double($0)) } ?? .null,
            "held_orders": .array(a.held.map { .string($0) }),
        ])
    }
}

extension OpenAPIDocument {
    static func creditSchemas() -> [String: Any] {
        let int: [String: Any] = ["type": "integer"], nint: [String: Any] = ["type": ["integer", "null"]]
        let account: [String: Any] = [
            "customer_id": ["type": "string"], "limit": nint, "currency": ["type": "string"], "terms_days": int, "version": int, "exposure": int,
            "available": nint, "ageing": obj(Dictionary(uniqueKeysWithValues: Figures.ageingBuckets.map { ($0, int) })),
            "dso": ["type": ["number", "null"]], "payment_score": ["type": ["integer", "null"], "minimum": 0, "maximum": 100],
            "held_orders": arr(["type": "string"]),
        ]
        var s: [String: Any] = [:]
        s["CreditAccount"] = obj(account, required: ["customer_id", "currency", "terms_days", "exposure"])
        s["CreditTermsInput"] = obj(["limit": ["type": ["integer", "null"], "minimum": 0], "currency": ["type": "string", "pattern": "^[A-Za-z]{3}$"],
                                     "terms_days": ["type": "integer", "minimum": 0, "maximum": CreditRules.maxTermsDays]], required: ["terms_days"])
        s["CreditReleaseInput"] = obj(["note": ["type": ["string", "null"], "maxLength": 500]])
        s["CreditReport"] = obj(["items": arr(obj(account.merging(["name": ["type": "string"]]) { a, _ in a }))])
        return s
    }
}
