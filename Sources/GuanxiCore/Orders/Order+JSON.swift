import Foundation

// MARK: Fast JSON (an order event's body is written for every order an import places while a
// webhook listens; Foundation's encoder was most of that cost). `FastJSONTests` holds it to the
// Codable encoding, which stays the shape's definition.

extension Order: JSONWritable {
    package var jsonSizeHint: Int { 640 + lines.count * 360 }

    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("cancel_reason", cancelReason); w.member("confirmed_at", confirmedAt); w.member("created_at", createdAt)
            w.member("credit_hold", creditHold?.text); w.member("customer_id", customerID); w.member("deal_id", dealID)
            w.member("external_id", externalID); w.member("id", id)
            w.key("lines"); w.array { w in for l in lines { w.write(l) } }
            w.member("note", note); w.member("number", number); w.member("outstanding", outstanding); w.member("owner_id", ownerID)
            w.member("paid", paid)
            if let payments { w.key("payments"); w.array { w in for p in payments { w.write(p) } } }
            w.member("placed_at", placedAt)
            if let plan { w.key("plan"); w.array { w in for i in plan { w.write(i) } } }
            w.member("quote_id", quoteID); w.member("refunded", refunded)
            if let shipTo { w.key("ship_to"); w.write(shipTo) }
            if let shipments { w.key("shipments"); w.array { w in for s in shipments { w.write(s) } } }
            w.member("source", source); w.member("status", status.rawValue)
            w.key("totals"); w.write(totals)
            w.member("updated_at", updatedAt); w.member("version", version)
        }
    }
}

extension OrderLine: JSONWritable {
    /// The line's own members with its delivery progress among them, in one sorted object.
    package func writeJSON(to w: inout JSONWriter) {
        let i = item
        w.object { w in
            w.member("discount", i.discount.text); w.member("discount_amount", i.discountAmount); w.member("gross", i.gross)
            w.member("id", i.id); w.member("name", i.name); w.member("net", i.net); w.member("product_id", i.productID)
            w.member("quantity", i.quantity); w.member("returned", returned); w.member("shipped", shipped); w.member("sku", i.sku)
            w.member("tax", i.tax); w.member("tax_rate", i.taxRate.text); w.member("total", i.total); w.member("unit", i.unit)
            w.member("unit_price", i.unitPrice)
        }
    }
}

extension DocumentTotals: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("currency", currency); w.member("discount", discount); w.member("gross", gross); w.member("net", net)
            w.member("tax", tax); w.member("total", total)
        }
    }
}

extension ShipTo: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("address", address); w.member("city", city); w.member("district", district); w.member("name", name)
            w.member("phone", phone); w.member("postcode", postcode); w.member("province", province)
        }
    }
}

extension Payment: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("amount", amount); w.member("created_by", createdBy); w.member("id", id); w.member("kind", kind.rawValue)
            w.member("method", method); w.member("note", note); w.member("paid_at", paidAt); w.member("reference", reference)
        }
    }
}

extension Instalment: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("amount", amount); w.member("covered", covered); w.member("due_date", dueDate); w.member("overdue", overdue)
        }
    }
}

extension Shipment: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("carrier", carrier); w.member("delivered_at", deliveredAt); w.member("id", id)
            w.key("lines"); w.array { w in for l in lines { w.object { w in w.member("line_id", l.lineID); w.member("quantity", l.quantity) } } }
            w.member("shipped_at", shippedAt); w.member("tracking_number", trackingNumber)
        }
    }
}
