import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` products and price lists, quotes (inquiries, revisions, acceptance) and orders
/// (idempotent placement by external id, single or in batches; payments, collection plans,
/// shipments, delivery, confirmation, cancellation, returns and refunds).
struct OrderAPI {
    let products: ProductStore
    let quotes: QuoteStore
    let orders: OrderStore
    let stock: StockStore

    struct MoveInput: Decodable { var status: QuoteStatus; var reason: String? }
    struct BatchInput: Decodable { var orders: [OrderDraft] }
    struct BatchResult: Encodable, Sendable {
        var index: Int; var result: String; var id: String?; var number: String?; var status: String?
        var error: String?; var fields: [String: String]?
    }
    struct Accepted: Encodable, Sendable { var quote: Quote; var order: Order }
    struct PlanInput: Decodable {
        struct Item: Decodable { var dueDate: String; var amount: Int64; enum CodingKeys: String, CodingKey { case amount, dueDate = "due_date" } }
        var instalments: [Item]
    }
    struct DeliverInput: Decodable { var shipmentID: String?; enum CodingKeys: String, CodingKey { case shipmentID = "shipment_id" } }
    struct ReasonInput: Decodable { var reason: String? }
    struct ReturnInput: Decodable { var lines: [Shipment.Line]; var reason: String? }
    struct StatusCount: Encodable, Sendable { var status: OrderStatus; var count: Int; var totals: [Money] }

    static func batchResult(_ i: Int, _ p: OrderPlacement) -> BatchResult {
        switch p {
        case .created(let o): BatchResult(index: i, result: "created", id: o.id, number: o.number, status: o.status.rawValue)
        case .existing(let o): BatchResult(index: i, result: "existing", id: o.id, number: o.number, status: o.status.rawValue)
        case .failed(let e):
            if case .validation(let f) = e { BatchResult(index: i, result: "failed", error: "validation", fields: f.mapValues(\.text)) }
            else { BatchResult(index: i, result: "failed", error: "\(e)") }
        }
    }

    func register(_ t: RouteTable) {
        registerCatalogue(t)
        registerQuotes(t)
        registerOrders(t)
        registerStock(t)
    }

    func registerCatalogue(_ t: RouteTable) {
        let tag = "Products"
        t.on(APIRoute(method: .get, path: "/products", operationID: "listProducts", summary: "Products by SKU (q matches SKU or name)", tag: tag,
                      needs: .can(.read, .orders), query: ["q", "include_inactive"], responseSchema: "ProductList")) { req, _, scope in
            .json(Items(items: try await products.list(scope, query: req.query("q"), includeInactive: req.query("include_inactive") == "true")))
        }
        t.on(APIRoute(method: .post, path: "/products", operationID: "createProduct", summary: "Add a product with its prices", tag: tag,
                      needs: .can(.update, .settings), requestSchema: "ProductInput", responseSchema: "Product", status: 201, idempotent: true)) { req, _, scope in
            let p = try await products.save(scope, id: nil, try await APIBody.json(ProductDraft.self, req))
            return .json(p, status: .created, etag: p.version)
        }
        t.on(APIRoute(method: .get, path: "/products/{id}", operationID: "getProduct", summary: "Read a product", tag: tag, needs: .can(.read, .orders),
                      responseSchema: "Product")) { _, ctx, scope in
            let p = try await products.get(scope, id: try ctx.parameters.require("id"))
            return .json(p, etag: p.version)
        }
        t.on(APIRoute(method: .patch, path: "/products/{id}", operationID: "updateProduct", summary: "Change a product or its prices (If-Match)",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "ProductInput", responseSchema: "Product")) { req, ctx, scope in
            let p = try await products.save(scope, id: try ctx.parameters.require("id"), try await APIBody.json(ProductDraft.self, req),
                                            ifVersion: try req.ifMatchVersion())
            return .json(p, etag: p.version)
        }
        t.on(APIRoute(method: .get, path: "/price-lists", operationID: "listPriceLists", summary: "Price lists (标准价 CNY is made on first use)", tag: tag,
                      needs: .can(.read, .orders), responseSchema: "PriceListList")) { _, _, scope in
            .json(Items(items: try await products.priceLists(scope)))
        }
        t.on(APIRoute(method: .post, path: "/price-lists", operationID: "createPriceList", summary: "Add a price list in one currency", tag: tag,
                      needs: .can(.update, .settings), requestSchema: "PriceListInput", responseSchema: "PriceList", status: 201, idempotent: true)) { req, _, scope in
            .json(try await products.savePriceList(scope, id: nil, try await APIBody.json(PriceListDraft.self, req)), status: .created)
        }
        t.on(APIRoute(method: .patch, path: "/price-lists/{id}", operationID: "updatePriceList", summary: "Rename, (de)activate or make a price list the default",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "PriceListInput", responseSchema: "PriceList", ifMatch: false)) { req, ctx, scope in
            .json(try await products.savePriceList(scope, id: try ctx.parameters.require("id"), try await APIBody.json(PriceListDraft.self, req)))
        }
    }

    func registerQuotes(_ t: RouteTable) {
        let tag = "Quotes"
        t.on(APIRoute(method: .get, path: "/quotes", operationID: "listQuotes", summary: "Inquiries and quotes, newest first", tag: tag,
                      needs: .can(.read, .orders), query: ["status", "customer_id", "deal_id", "cursor", "limit"], responseSchema: "QuotePage", queryValues: ["status": .cases(QuoteStatus.self)])) { req, _, scope in
            var f = QuoteFilter()
            var e = FieldErrors()
            if let s = req.query("status") { if let v = QuoteStatus(rawValue: s) { f.status = v } else { e.add("status", .oneOf(QuoteStatus.self)) } }
            for (k, apply) in [("customer_id", { (v: String) in f.customerID = v }), ("deal_id", { f.dealID = $0 })] {
                if let v = req.query(k) { if ID.isValid(v) { apply(v.lowercased()) } else { e.add(k, "is not a valid id") } }
            }
            try e.throwIfAny()
            return .json(try await quotes.list(scope, filter: f, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/quotes", operationID: "createQuote", summary: "Open an inquiry (inquiry: true) or a priced draft quote",
                      tag: tag, needs: .can(.create, .orders), requestSchema: "QuoteInput", responseSchema: "Quote", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await quotes.get(scope, id: id) }) { req, _, scope in
            let q = try await quotes.create(scope, try await APIBody.json(QuoteDraft.self, req))
            return .json(q, status: .created, etag: q.version)
        }
        t.on(APIRoute(method: .get, path: "/quotes/{id}", operationID: "getQuote", summary: "Read a quote", tag: tag, needs: .can(.read, .orders),
                      responseSchema: "Quote")) { _, ctx, scope in
            let q = try await quotes.get(scope, id: try ctx.parameters.require("id"))
            return .json(q, etag: q.version)
        }
        t.on(APIRoute(method: .patch, path: "/quotes/{id}", operationID: "updateQuote", summary: "Change an inquiry or draft (If-Match); sent quotes are revised",
                      tag: tag, needs: .can(.update, .orders), requestSchema: "QuoteInput", responseSchema: "Quote")) { req, ctx, scope in
            let q = try await quotes.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(QuoteDraft.self, req), ifVersion: try req.ifMatchVersion())
            return .json(q, etag: q.version)
        }
        t.on(APIRoute(method: .post, path: "/quotes/{id}/status", operationID: "moveQuote",
                      summary: "Price an inquiry (draft), send a draft, or reject (with a reason)", tag: tag, needs: .can(.update, .orders),
                      requestSchema: "QuoteStatusInput", responseSchema: "Quote", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(MoveInput.self, req)
            let q = try await quotes.move(scope, id: try ctx.parameters.require("id"), to: i.status, reason: i.reason, ifVersion: try req.ifMatchVersion())
            return .json(q, etag: q.version)
        }
        t.on(APIRoute(method: .post, path: "/quotes/{id}/revise", operationID: "reviseQuote",
                      summary: "Make the next revision (a draft under the same number); the old one is superseded", tag: tag,
                      needs: .can(.update, .orders), responseSchema: "Quote", status: 201, ifMatch: true)) { req, ctx, scope in
            let q = try await quotes.revise(scope, id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .json(q, status: .created, etag: q.version)
        }
        t.on(APIRoute(method: .post, path: "/quotes/{id}/accept", operationID: "acceptQuote",
                      summary: "The customer accepted: the order is placed from the quote's lines", tag: tag, needs: .can(.create, .orders),
                      responseSchema: "QuoteAccepted", status: 201, ifMatch: true)) { req, ctx, scope in
            let (q, o) = try await quotes.accept(scope, id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .json(Accepted(quote: q, order: o), status: .created)
        }
    }

    func registerOrders(_ t: RouteTable) {
        let tag = "Orders"
        t.on(APIRoute(method: .get, path: "/orders", operationID: "listOrders", summary: "Orders, newest placed first", tag: tag,
                      needs: .can(.read, .orders), query: ["status", "customer_id", "owner_id", "cursor", "limit"], responseSchema: "OrderPage", queryValues: ["status": .cases(OrderStatus.self)])) { req, _, scope in
            var f = OrderFilter()
            var e = FieldErrors()
            if let s = req.query("status") { if let v = OrderStatus(rawValue: s) { f.status = v } else { e.add("status", .oneOf(OrderStatus.self)) } }
            for (k, apply) in [("customer_id", { (v: String) in f.customerID = v }), ("owner_id", { f.ownerID = $0 })] {
                if let v = req.query(k) { if ID.isValid(v) { apply(v.lowercased()) } else { e.add(k, "is not a valid id") } }
            }
            try e.throwIfAny()
            return .json(try await orders.list(scope, filter: f, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/orders", operationID: "createOrder",
                      summary: "Place an order; the same source + external_id again answers 200 with the existing order", tag: tag,
                      needs: .can(.create, .orders), requestSchema: "OrderInput", responseSchema: "Order", status: 201, idempotent: true, alsoStatus: [200]),
             replay: Replay.readBack { scope, id in _ = try await orders.get(scope, id: id) }) { req, _, scope in
            let (o, created) = try await orders.create(scope, try await APIBody.json(OrderDraft.self, req))
            var r = APIResponse.json(PlacedOrder(order: o, warnings: try await stock.warnings(scope, for: o)), status: created ? .created : .ok, etag: o.version)
            if !created { r.headers["Idempotent-Replayed"] = "true" }
            return r
        }
        t.on(APIRoute(method: .post, path: "/orders/batch", operationID: "importOrders",
                      summary: "Place up to 1000 orders in one transaction; each is created, existing (same source + external_id) or failed with its reasons",
                      tag: tag, needs: .can(.create, .orders), requestSchema: "OrderBatchInput", responseSchema: "OrderBatchResult")) { req, _, scope in
            let input = try APIBody.decode(BatchInput.self, from: try await APIBody.bytes(req, limit: 8 << 20))
            let placed = try await orders.place(scope, input.orders)
            return .json(Items(items: placed.enumerated().map { Self.batchResult($0.offset, $0.element) }))
        }
        t.on(APIRoute(method: .get, path: "/orders/board", operationID: "orderBoard", summary: "How many orders (and how much per currency) stand at each status",
                      tag: tag, needs: .can(.read, .orders), responseSchema: "OrderBoard")) { _, _, scope in
            .json(Items(items: try await orders.statusBoard(scope).map { StatusCount(status: $0.0, count: $0.1, totals: $0.2) }))
        }
        t.on(APIRoute(method: .get, path: "/orders/{id}", operationID: "getOrder", summary: "Read an order with its payments, collection plan and shipments",
                      tag: tag, needs: .can(.read, .orders), responseSchema: "Order")) { _, ctx, scope in
            let o = try await orders.get(scope, id: try ctx.parameters.require("id"))
            return .json(o, etag: o.version)
        }
        func step(_ path: String, _ op: String, _ summary: String, _ schema: String?,
                  _ run: @escaping @Sendable (Request, Scope, String, Int?) async throws -> Order) {
            t.on(APIRoute(method: path.hasSuffix("collection-plan") ? .put : .post, path: "/orders/{id}/" + path, operationID: op, summary: summary,
                          tag: tag, needs: .can(.update, .orders), requestSchema: schema, responseSchema: "Order")) { req, ctx, scope in
                let o = try await run(req, scope, try ctx.parameters.require("id"), try req.ifMatchVersion())
                return .json(o, etag: o.version)
            }
        }
        step("payments", "payOrder", "Record money received (minor units; never more than is owed)", "PaymentInput") { req, scope, id, v in
            try await orders.pay(scope, id: id, try await APIBody.json(PaymentDraft.self, req), ifVersion: v)
        }
        step("refunds", "refundOrder", "Give money back (never more than was received)", "PaymentInput") { req, scope, id, v in
            try await orders.refund(scope, id: id, try await APIBody.json(PaymentDraft.self, req), ifVersion: v)
        }
        step("collection-plan", "planOrderCollection", "Agree the collection plan (回款计划): instalments summing to the total; lets the order ship on credit",
             "CollectionPlanInput") { req, scope, id, v in
            let i = try await APIBody.json(PlanInput.self, req)
            return try await orders.setPlan(scope, id: id, i.instalments.map { Instalment(dueDate: $0.dueDate, amount: $0.amount) }, ifVersion: v)
        }
        step("shipments", "shipOrder", "Ship some or all of what is not shipped yet (carrier, tracking number)", "ShipmentInput") { req, scope, id, v in
            try await orders.ship(scope, id: id, try await APIBody.json(ShipmentDraft.self, req), ifVersion: v)
        }
        step("deliver", "deliverOrder", "Mark a shipment (or every one in transit) delivered", "DeliverInput") { req, scope, id, v in
            let body = try await APIBody.bytes(req)
            let shipment = body.isEmpty ? nil : try APIBody.decode(DeliverInput.self, from: body).shipmentID
            return try await orders.deliver(scope, id: id, shipmentID: shipment, ifVersion: v)
        }
        step("confirm", "confirmOrder", "The customer confirmed receipt (确认收货)", nil) { _, scope, id, v in
            try await orders.confirm(scope, id: id, ifVersion: v)
        }
        step("cancel", "cancelOrder", "Cancel an order nothing was shipped or paid for (a reason is needed)", "ReasonInput") { req, scope, id, v in
            try await orders.cancel(scope, id: id, reason: try await APIBody.json(ReasonInput.self, req).reason, ifVersion: v)
        }
        step("returns", "returnOrderGoods", "Record goods coming back (lines and quantities, with a reason)", "ReturnInput") { req, scope, id, v in
            let i = try await APIBody.json(ReturnInput.self, req)
            return try await orders.returnGoods(scope, id: id, lines: i.lines, reason: i.reason, ifVersion: v)
        }
    }
}
