import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` for ERP and logistics systems: stock levels per product and warehouse, and shipment
/// and delivery reports for an order named by the id the shop or ERP gave it.
extension OrderAPI {
    struct StockInput: Decodable { var items: [StockUpdate] }
    struct ExternalShipment: Decodable {
        var carrier: String; var trackingNumber: String?; var shippedAt: Date?; var lines: [ExternalLine]?
        enum CodingKeys: String, CodingKey { case carrier, lines, trackingNumber = "tracking_number", shippedAt = "shipped_at" }
    }
    /// A shipped line named by the order line's id, or by the product's SKU (what a warehouse knows).
    struct ExternalLine: Decodable {
        var lineID: String?; var sku: String?; var quantity: Int
        enum CodingKeys: String, CodingKey { case sku, quantity, lineID = "line_id" }
    }
    struct ExternalDelivery: Decodable {
        var deliveredAt: Date?; var trackingNumber: String?
        enum CodingKeys: String, CodingKey { case deliveredAt = "delivered_at", trackingNumber = "tracking_number" }
    }
    /// An order with the stock warnings its placement raised (`code: oversell`).
    struct PlacedOrder: Encodable, Sendable {
        var order: Order; var warnings: [StockWarning]
        enum Keys: String, CodingKey { case warnings }
        func encode(to encoder: any Encoder) throws {
            try order.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(warnings, forKey: .warnings)
        }
    }

    func registerStock(_ t: RouteTable) {
        let tag = "Stock"
        t.on(APIRoute(method: .put, path: "/stock", operationID: "putStock",
                      summary: "Report up to 1000 stock levels (product by sku or product_id, warehouse code, on_hand, reserved, as_of); an older as_of never replaces a newer level",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "StockInput", responseSchema: "StockResult")) { req, _, scope in
            let input = try APIBody.decode(StockInput.self, from: try await APIBody.bytes(req, limit: 4 << 20))
            return .json(Items(items: try await stock.put(scope, input.items)))
        }
        t.on(APIRoute(method: .get, path: "/stock", operationID: "getStock", summary: "A product's stock per warehouse and what is available to sell",
                      tag: tag, needs: .can(.read, .orders), query: ["product_id", "sku"], responseSchema: "ProductStock")) { req, _, scope in
            .json(try await stock.get(scope, productID: req.query("product_id"), sku: req.query("sku")))
        }
        let by = "/orders/by-external-id/{external_id}/"
        t.on(APIRoute(method: .post, path: by + "shipments", operationID: "shipOrderByExternalID",
                      summary: "A logistics system reports a parcel of the order it knows by external_id (?source= when several systems share ids); the same tracking number again changes nothing",
                      tag: "Orders", needs: .can(.update, .orders), query: ["source"], requestSchema: "ExternalShipmentInput", responseSchema: "Order",
                      status: 201, idempotent: true, alsoStatus: [200])) { req, ctx, scope in
            let i = try await APIBody.json(ExternalShipment.self, req)
            let (o, changed) = try await orders.shipByExternalID(scope, externalID: try Self.externalID(ctx), source: req.query("source"),
                                                                 ShipmentDraft(carrier: i.carrier, trackingNumber: i.trackingNumber, shippedAt: i.shippedAt),
                                                                 lines: i.lines.map { $0.map { OrderStore.ReportedLine(lineID: $0.lineID, sku: $0.sku, quantity: $0.quantity) } })
            return Self.replayable(o, changed: changed)
        }
        t.on(APIRoute(method: .post, path: by + "delivery", operationID: "deliverOrderByExternalID",
                      summary: "A logistics system reports the order's parcels (or the one with tracking_number) delivered; reported again, nothing changes",
                      tag: "Orders", needs: .can(.update, .orders), query: ["source"], requestSchema: "ExternalDeliveryInput", responseSchema: "Order",
                      idempotent: true)) { req, ctx, scope in
            let body = try await APIBody.bytes(req)
            let i = body.isEmpty ? ExternalDelivery() : try APIBody.decode(ExternalDelivery.self, from: body)
            let (o, changed) = try await orders.deliverByExternalID(scope, externalID: try Self.externalID(ctx), source: req.query("source"),
                                                                    trackingNumber: i.trackingNumber, deliveredAt: i.deliveredAt)
            var r = APIResponse.json(o, etag: o.version)
            if !changed { r.headers["Idempotent-Replayed"] = "true" }
            return r
        }
    }

    /// The path's external id, percent-decoded (shop ids hold Chinese and slashes-free punctuation).
    static func externalID(_ ctx: AppContext) throws -> String {
        let raw = try ctx.parameters.require("external_id")
        return raw.removingPercentEncoding ?? raw
    }

    static func replayable(_ o: Order, changed: Bool) -> APIResponse {
        var r = APIResponse.json(o, status: changed ? .created : .ok, etag: o.version)
        if !changed { r.headers["Idempotent-Replayed"] = "true" }
        return r
    }
}

