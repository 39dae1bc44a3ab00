import Foundation
import GuanxiCore
import GuanxiWebPlatform

extension OpenAPIDocument {
    /// Products, price lists, quotes and orders. Money is integer minor units; percentages are
    /// numbers or strings with at most two decimals (13, "12.5").
    static func orderSchemas() -> [String: Any] {
        let pct: [String: Any] = ["type": ["number", "string"], "description": "percent, at most two decimals"]
        let nint: [String: Any] = ["type": ["integer", "null"]]
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let lineInput = obj(["product_id": nstr, "sku": nstr, "name": nstr, "unit": nstr, "quantity": int, "unit_price": nint,
                             "discount": pct, "tax_rate": pct], required: ["quantity"])
        let line = obj(["id": str, "product_id": nstr, "sku": nstr, "name": str, "unit": nstr, "quantity": int, "unit_price": int, "discount": pct,
                        "tax_rate": pct, "gross": int, "discount_amount": int, "net": int, "tax": int, "total": int])
        var orderLineProps: [String: Any] = (line["properties"] as? [String: Any]) ?? [:]
        orderLineProps["shipped"] = int; orderLineProps["returned"] = int
        let totals = obj(["currency": str, "gross": int, "discount": int, "net": int, "tax": int, "total": int])
        let quoteInput: [String: Any] = ["customer_id": str, "deal_id": nstr, "owner_id": nstr, "price_list_id": nstr, "currency": nstr, "title": nstr,
                                         "valid_until": ["type": ["string", "null"], "format": "date"], "lines": arr(lineInput), "message": nstr,
                                         "terms": nstr, "inquiry": ["type": "boolean"]]
        let shipLine = obj(["line_id": str, "quantity": int], required: ["line_id", "quantity"])
        let payment = obj(["id": str, "kind": enumOf(["payment", "refund"]), "amount": int, "method": nstr, "reference": nstr, "note": nstr,
                           "paid_at": time, "created_by": nstr])
        let orderInput: [String: Any] = ["external_id": nstr, "source": nstr, "customer_id": nstr, "customer": ref("Buyer"), "owner_id": nstr,
                                         "deal_id": nstr, "price_list_id": nstr, "currency": nstr, "lines": arr(lineInput), "note": nstr, "placed_at": ntime,
                                         "ship_to": ref("ShipTo")]
        var s: [String: Any] = [:]
        s["PriceListInput"] = obj(["name": str, "currency": str, "is_default": ["type": "boolean"], "active": ["type": "boolean"]])
        s["PriceList"] = obj(["id": str, "name": str, "name_key": nstr, "currency": str, "is_default": ["type": "boolean"], "active": ["type": "boolean"]])
        s["PriceListList"] = obj(["items": arr(ref("PriceList"))])
        s["ProductInput"] = obj(["sku": str, "name": str, "unit": nstr, "tax_rate": pct, "active": ["type": "boolean"],
                                 "prices": arr(obj(["price_list_id": str, "unit_price": nint], required: ["price_list_id"]))])
        s["Product"] = obj(["id": str, "sku": str, "name": str, "unit": nstr, "tax_rate": pct, "active": ["type": "boolean"],
                            "prices": arr(obj(["price_list_id": str, "unit_price": ref("Money")])), "version": int, "created_at": time, "updated_at": time])
        s["ProductList"] = obj(["items": arr(ref("Product"))])
        s["QuoteInput"] = obj(quoteInput)
        s["Quote"] = obj(["id": str, "number": str, "revision": int, "previous_id": nstr, "status": enumOf(QuoteStatus.allCases.map(\.rawValue)),
                          "customer_id": str, "deal_id": nstr, "owner_id": nstr, "price_list_id": nstr, "title": str,
                          "valid_until": ["type": ["string", "null"], "format": "date"], "lines": arr(line), "totals": totals, "message": nstr,
                          "terms": nstr, "reason": nstr, "order_id": nstr, "sent_at": ntime, "version": int, "created_at": time, "updated_at": time])
        s["QuotePage"] = obj(["items": arr(ref("Quote")), "next_cursor": nstr])
        s["QuoteStatusInput"] = obj(["status": enumOf([QuoteStatus.draft, .sent, .rejected].map(\.rawValue)), "reason": nstr], required: ["status"])
        s["QuoteAccepted"] = obj(["quote": ref("Quote"), "order": ref("Order")])
        s["Buyer"] = obj(["external_id": nstr, "name": nstr, "phone": nstr, "email": nstr])
        s["OrderInput"] = obj(orderInput, required: ["lines"])
        s["OrderBatchInput"] = obj(["orders": arr(ref("OrderInput"))], required: ["orders"])
        s["OrderBatchResult"] = obj(["items": arr(obj(["index": int, "result": enumOf(["created", "existing", "failed"]), "id": nstr, "number": nstr,
                                                       "status": nstr, "error": nstr, "fields": ["type": ["object", "null"], "additionalProperties": str]]))])
        s["Order"] = obj(["id": str, "number": str, "source": str, "external_id": nstr, "status": enumOf(OrderStatus.allCases.map(\.rawValue)),
                          "customer_id": str, "owner_id": nstr, "quote_id": nstr, "deal_id": nstr, "lines": arr(obj(orderLineProps)), "totals": totals,
                          "paid": int, "refunded": int, "outstanding": int, "note": nstr, "ship_to": ref("ShipTo"), "cancel_reason": nstr, "credit_hold": nstr, "placed_at": time, "confirmed_at": ntime,
                          "version": int, "created_at": time, "updated_at": time, "payments": arr(payment),
                          "warnings": arr(ref("StockWarning")),
                          "plan": arr(obj(["due_date": str, "amount": int, "covered": int, "overdue": ["type": "boolean"]])),
                          "shipments": arr(obj(["id": str, "carrier": str, "tracking_number": nstr, "lines": arr(shipLine), "shipped_at": time,
                                                "delivered_at": ntime]))])
        s["OrderPage"] = obj(["items": arr(ref("Order")), "next_cursor": nstr])
        s["OrderBoard"] = obj(["items": arr(obj(["status": enumOf(OrderStatus.allCases.map(\.rawValue)), "count": int, "totals": arr(ref("Money"))]))])
        s["PaymentInput"] = obj(["amount": ["type": "integer", "minimum": 1], "method": nstr, "reference": nstr, "note": nstr, "paid_at": ntime], required: ["amount"])
        var instalments = arr(obj(["due_date": ["type": "string", "format": "date"], "amount": ["type": "integer", "minimum": 1]], required: ["due_date", "amount"]))
        instalments["minItems"] = 1; instalments["maxItems"] = 60
        s["CollectionPlanInput"] = obj(["instalments": instalments], required: ["instalments"])
        s["ShipmentInput"] = obj(["carrier": str, "tracking_number": nstr, "lines": arr(shipLine)], required: ["carrier"])
        s["DeliverInput"] = obj(["shipment_id": nstr])
        s["ReasonInput"] = obj(["reason": str], required: ["reason"])
        var returned = arr(shipLine)
        returned["minItems"] = 1
        s["ReturnInput"] = obj(["lines": returned, "reason": str], required: ["lines", "reason"])
        s["ShipTo"] = ["type": ["object", "null"], "description": "收货人 and address; name, phone and address are needed when any field is given",
                       "properties": ["name": str, "phone": str, "province": nstr, "city": nstr, "district": nstr,
                                      "address": ["type": "string", "description": "street, building, room; up to 3 lines"], "postcode": nstr]]
        s["StockWarning"] = obj(["code": enumOf(["oversell"]), "line_id": str, "product_id": str, "sku": nstr, "quantity": int, "available": int])
        let level = obj(["warehouse": str, "on_hand": int, "reserved": int, "as_of": time])
        var levels = arr(obj(["product_id": nstr, "sku": nstr, "warehouse": str, "on_hand": int, "reserved": nint, "as_of": time],
                                                required: ["warehouse", "on_hand", "as_of"]))
        levels["minItems"] = 1; levels["maxItems"] = 1_000
        s["StockInput"] = obj(["items": levels], required: ["items"])
        s["StockResult"] = obj(["items": arr(obj(["index": int, "result": enumOf(["updated", "unchanged", "stale", "failed"]), "product_id": nstr,
                                                  "sku": nstr, "warehouse": nstr,
                                                  "fields": ["type": ["object", "null"], "additionalProperties": str]]))])
        s["ProductStock"] = obj(["product_id": str, "sku": str, "name": str, "on_hand": int, "reserved": int, "open_orders": int, "available": int,
                                 "levels": arr(level)])
        s["ExternalShipmentInput"] = obj(["carrier": str, "tracking_number": nstr, "shipped_at": ntime,
                                          "lines": arr(obj(["line_id": nstr, "sku": nstr, "quantity": int], required: ["quantity"]))], required: ["carrier"])
        s["ExternalDeliveryInput"] = obj(["delivered_at": ntime, "tracking_number": nstr])
        return s
    }
}
