import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the product, quote and order operations (see `MatrixSample`).
enum OrderMatrix {
    static let samples: [String: MatrixSample] = [
        "listProducts": MatrixSample("/api/v1/products?q=%E8%8C%B6"),
        "createProduct": MatrixSample("/api/v1/products", body: #"{"sku":"SKU-{n}","name":"绿茶 {n}","tax_rate":13}"#),
        "getProduct": MatrixSample("/api/v1/products/{product}"),
        "updateProduct": MatrixSample("/api/v1/products/{product}", body: #"{"name":"新名字"}"#),
        "listPriceLists": MatrixSample("/api/v1/price-lists"),
        "createPriceList": MatrixSample("/api/v1/price-lists", body: #"{"name":"经销价{n}","currency":"CNY"}"#),
        "updatePriceList": MatrixSample("/api/v1/price-lists/{priceList}", body: #"{"name":"改名{n}"}"#),
        "listQuotes": MatrixSample("/api/v1/quotes"),
        "createQuote": MatrixSample("/api/v1/quotes", body: #"{"customer_id":"{customer}","lines":[{"name":"报价行","quantity":2,"unit_price":5000}]}"#),
        "getQuote": MatrixSample("/api/v1/quotes/{quote}", record: .orders),
        "updateQuote": MatrixSample("/api/v1/quotes/{quote}", body: #"{"title":"改标题"}"#, record: .orders),
        "moveQuote": MatrixSample("/api/v1/quotes/{quote}/status", body: #"{"status":"sent"}"#, record: .orders),
        "reviseQuote": MatrixSample("/api/v1/quotes/{quote}/revise", record: .orders),
        "acceptQuote": MatrixSample("/api/v1/quotes/{quote}/accept", record: .orders, actions: [.update]),
        "listOrders": MatrixSample("/api/v1/orders"),
        "createOrder": MatrixSample("/api/v1/orders", body: #"{"customer_id":"{customer}","external_id":"M{n}","lines":[{"name":"货品","quantity":1,"unit_price":100}]}"#),
        "importOrders": MatrixSample("/api/v1/orders/batch", body: #"{"orders":[{"customer_id":"{customer}","external_id":"B{n}","lines":[{"name":"货品","quantity":1,"unit_price":100}]}]}"#),
        "orderBoard": MatrixSample("/api/v1/orders/board"),
        "getOrder": MatrixSample("/api/v1/orders/{order}", record: .orders),
        "payOrder": MatrixSample("/api/v1/orders/{order}/payments", body: #"{"amount":100,"method":"支付宝"}"#, record: .orders),
        "refundOrder": MatrixSample("/api/v1/orders/{order}/refunds", body: #"{"amount":100,"note":"退款"}"#, record: .orders),
        "planOrderCollection": MatrixSample("/api/v1/orders/{order}/collection-plan", body: #"{"instalments":[{"due_date":"2027-01-31","amount":6000},{"due_date":"2027-02-28","amount":4000}]}"#, record: .orders),
        "shipOrder": MatrixSample("/api/v1/orders/{order}/shipments", body: #"{"carrier":"顺丰速运","tracking_number":"SF{n}"}"#, record: .orders),
        "deliverOrder": MatrixSample("/api/v1/orders/{order}/deliver", record: .orders),
        "confirmOrder": MatrixSample("/api/v1/orders/{order}/confirm", record: .orders),
        "cancelOrder": MatrixSample("/api/v1/orders/{order}/cancel", body: #"{"reason":"客户取消"}"#, record: .orders),
        "putStock": MatrixSample("/api/v1/stock", body: #"{"items":[{"product_id":"{product}","warehouse":"上海仓","on_hand":12,"reserved":2,"as_of":"2026-12-06T08:00:00Z"}]}"#),
        "getStock": MatrixSample("/api/v1/stock?product_id={product}"),
        "shipOrderByExternalID": MatrixSample("/api/v1/orders/by-external-id/{orderExternal}/shipments",
                                              body: #"{"carrier":"顺丰速运","tracking_number":"SF{n}","shipped_at":"2026-12-06T08:00:00Z"}"#, record: .orders),
        "deliverOrderByExternalID": MatrixSample("/api/v1/orders/by-external-id/{orderExternal}/delivery", body: #"{"delivered_at":"2026-12-06T09:00:00Z"}"#,
                                                 record: .orders),
        "returnOrderGoods": MatrixSample("/api/v1/orders/{order}/returns", body: #"{"reason":"破损","lines":[{"line_id":"{orderLine}","quantity":1}]}"#, record: .orders),
        // credit: the customer's record decides what may be seen; the credit right what may be done
        "getCustomerCredit": MatrixSample("/api/v1/customers/{customer}/credit", record: .customers, actions: [.read]),
        "setCustomerCredit": MatrixSample("/api/v1/customers/{customer}/credit", body: #"{"limit":500000,"currency":"CNY","terms_days":30}"#,
                                          record: .customers, actions: [.read]),
        "releaseOrderCredit": MatrixSample("/api/v1/orders/{order}/credit-release", body: #"{"note":"老客户，同意赊销"}"#, record: .orders, actions: [.read]),
        "creditReport": MatrixSample("/api/v1/credit/report"),
        "exportOrdersCSV": MatrixSample("/api/v1/exports/orders.csv"),
        "exportOrdersNDJSON": MatrixSample("/api/v1/exports/orders.ndjson"),
    ]

    static let fixture: MatrixFixture = { s in
        let services = s.services
        var v: [String: String] = [:]
        if s.wants("product") {
            var p = ProductDraft(); p.sku = "P-\(s.n)"; p.name = "产品\(s.n)"
            v["product"] = try await services.products.save(s.admin, id: nil, p).id
        }
        if s.wants("priceList") {
            v["priceList"] = try await services.products.savePriceList(s.admin, id: nil, PriceListDraft(name: "价目\(s.n)", currency: "USD")).id
        }
        if s.wants("quote") {
            var q = QuoteDraft(); q.customerID = s.values["customer"]; q.ownerID = s.ownerID
            q.lines = [LineDraft(name: "报价", quantity: 1, unitPrice: 10_000, taxRate: Percent(basisPoints: 0))]
            let made = try await services.quotes.create(s.scope, q)
            if s.operationID == "acceptQuote" { _ = try await services.quotes.move(s.scope, id: made.id, to: .sent, reason: nil, ifVersion: nil) }
            v["quote"] = made.id
        }
        if s.wants("orderExternal") {
            // an order a logistics system knows by its ERP id, paid (and shipped, for a delivery)
            let orders = services.orders
            var d = OrderDraft(); d.customerID = s.values["customer"]; d.ownerID = s.ownerID; d.source = "erp"; d.externalID = "ERP-外部-\(s.n)"
            d.lines = [LineDraft(name: "货品", quantity: 2, unitPrice: 5_000, taxRate: Percent(basisPoints: 0))]
            let o = try await orders.create(s.scope, d).0
            _ = try await orders.pay(s.scope, id: o.id, PaymentDraft(amount: 10_000))
            if s.operationID == "deliverOrderByExternalID" { _ = try await orders.ship(s.scope, id: o.id, ShipmentDraft(carrier: "顺丰速运", trackingNumber: "SF\(s.n)")) }
            v["orderExternal"] = "ERP-%E5%A4%96%E9%83%A8-\(s.n)"
        }
        if s.wants("order") {
            // an order at the step its operation starts from
            let op = s.operationID, orders = services.orders
            if op == "releaseOrderCredit", let customer = s.values["customer"] {
                // no credit at all: the order is held for approval
                _ = try await services.credit.setTerms(s.scope, customerID: customer, CreditTerms(limit: 0, currency: "CNY", termsDays: 30), ifVersion: nil)
            }
            var d = OrderDraft(); d.customerID = s.values["customer"]; d.ownerID = s.ownerID
            d.lines = [LineDraft(name: "货品", quantity: 2, unitPrice: 5_000, taxRate: Percent(basisPoints: 0))]
            let o = try await orders.create(s.scope, d).0
            if ["refundOrder", "shipOrder", "deliverOrder", "confirmOrder", "returnOrderGoods"].contains(op) {
                _ = try await orders.pay(s.scope, id: o.id, PaymentDraft(amount: 10_000))
            }
            if ["deliverOrder", "confirmOrder", "returnOrderGoods"].contains(op) {
                _ = try await orders.ship(s.scope, id: o.id, ShipmentDraft(carrier: "顺丰速运"))
            }
            if op == "confirmOrder" { _ = try await orders.deliver(s.scope, id: o.id) }
            v["order"] = o.id; v["orderLine"] = o.lines[0].item.id
        }
        return v
    }
}
