import Foundation

/// Where an order goes: the consignee and their address as a courier's waybill needs them
/// (收货人, 电话, 省/市/区, 详细地址, 邮编).
package struct ShipTo: Codable, Sendable, Equatable {
    package var name: String?
    package var phone: String?
    package var province: String?
    package var city: String?
    package var district: String?
    /// Street, building and room; up to three lines.
    package var address: String?
    package var postcode: String?
    package init(name: String? = nil, phone: String? = nil, province: String? = nil, city: String? = nil, district: String? = nil,
                 address: String? = nil, postcode: String? = nil) {
        self.name = name; self.phone = phone; self.province = province; self.city = city; self.district = district
        self.address = address; self.postcode = postcode
    }

    /// The cleaned ship-to (nil when every field is empty), or field errors under `ship_to.…`.
    /// Name, phone and address are needed; the phone must be one a courier can call.
    package func validated() throws(DomainError) -> ShipTo? {
        func clean(_ s: String?, lines: Bool = false) -> String? {
            guard let s else { return nil }
            let t = lines ? s.split(whereSeparator: \.isNewline).map { Text.clean(String($0)) }.filter { !$0.isEmpty }.joined(separator: "\n")
                          : Text.clean(s)
            return t.isEmpty ? nil : t
        }
        let x = ShipTo(name: clean(name), phone: clean(phone), province: clean(province), city: clean(city), district: clean(district),
                       address: clean(address, lines: true), postcode: clean(postcode))
        if x == ShipTo() { return nil }
        var e = FieldErrors()
        if let n = x.name { if n.count > 100 { e.add("ship_to.name", .longerThan(100)) } } else { e.add("ship_to.name", .required) }
        if let p = x.phone { if p.count > 40 || IdentityNormalizer.phone(p) == nil { e.add("ship_to.phone", "is not a phone number") } }
        else { e.add("ship_to.phone", "is required for the courier") }
        for (k, v) in [("province", x.province), ("city", x.city), ("district", x.district)] where (v?.count ?? 0) > 40 {
            e.add("ship_to." + k, .longerThan(40))
        }
        if let a = x.address {
            if a.count > 300 || a.split(separator: "\n").count > 3 { e.add("ship_to.address", "is at most 3 lines and 300 characters") }
        } else { e.add("ship_to.address", .required) }
        if let p = x.postcode, !(3...10).contains(p.count) || !p.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) || $0 == "-" }) {
            e.add("ship_to.postcode", "is 3 to 10 digits or capital letters")
        }
        try e.throwIfAny()
        return x
    }

    enum CodingKeys: String, CodingKey { case name, phone, province, city, district, address, postcode }
}

/// One stock level an ERP or warehouse system reports: how much of a product a warehouse holds
/// (`on_hand`) and how much of that is promised elsewhere (`reserved`), as of a moment.
package struct StockUpdate: Codable, Sendable, Equatable {
    package var productID: String?
    package var sku: String?
    package var warehouse: String?
    package var onHand: Int64?
    package var reserved: Int64?
    package var asOf: Date?
    package init(productID: String? = nil, sku: String? = nil, warehouse: String? = nil, onHand: Int64? = nil, reserved: Int64? = nil, asOf: Date? = nil) {
        self.productID = productID; self.sku = sku; self.warehouse = warehouse; self.onHand = onHand; self.reserved = reserved; self.asOf = asOf
    }
    enum CodingKeys: String, CodingKey { case sku, warehouse, reserved, productID = "product_id", onHand = "on_hand", asOf = "as_of" }
}

/// A warehouse's level of one product, as stored.
package struct StockLevel: Codable, Sendable, Equatable {
    package var warehouse: String
    package var onHand: Int64
    package var reserved: Int64
    package var asOf: Date
    package init(warehouse: String, onHand: Int64, reserved: Int64, asOf: Date) {
        self.warehouse = warehouse; self.onHand = onHand; self.reserved = reserved; self.asOf = asOf
    }
    enum CodingKeys: String, CodingKey { case warehouse, reserved, onHand = "on_hand", asOf = "as_of" }
}

/// A product's stock over every warehouse, and what is left to sell.
package struct Availability: Codable, Sendable, Equatable {
    package var onHand: Int64
    package var reserved: Int64
    /// Ordered and not shipped yet (open orders).
    package var openOrders: Int64
    package var available: Int64
    package init(onHand: Int64, reserved: Int64, openOrders: Int64) {
        self.onHand = onHand; self.reserved = reserved; self.openOrders = openOrders
        available = Stock.available(onHand: onHand, reserved: reserved, openOrders: openOrders)
    }
    enum CodingKeys: String, CodingKey { case reserved, available, onHand = "on_hand", openOrders = "open_orders" }
}

/// An order or quote line asking for more than is available (a warning, never a refusal).
package struct StockWarning: Encodable, Sendable, Equatable {
    package var lineID: String
    package var productID: String
    package var sku: String?
    package var quantity: Int64
    package var available: Int64
    package init(lineID: String, productID: String, sku: String?, quantity: Int64, available: Int64) {
        self.lineID = lineID; self.productID = productID; self.sku = sku; self.quantity = quantity; self.available = available
    }
    enum CodingKeys: String, CodingKey { case sku, quantity, available, code, lineID = "line_id", productID = "product_id" }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("oversell", forKey: .code); try c.encode(lineID, forKey: .lineID); try c.encode(productID, forKey: .productID)
        try c.encodeIfPresent(sku, forKey: .sku); try c.encode(quantity, forKey: .quantity); try c.encode(available, forKey: .available)
    }
}

/// Stock rules: what is available, whether a reported level replaces the stored one, and which
/// lines ask for more than there is.
package enum Stock {
    package static let maxBatch = 1_000
    package static let maxQuantity: Int64 = 1_000_000_000_000

    /// Available to sell: on hand, less what is reserved, less what open orders still wait for.
    package static func available(onHand: Int64, reserved: Int64, openOrders: Int64) -> Int64 {
        onHand - reserved - openOrders
    }

    package enum Outcome: String, Sendable { case updated, unchanged, stale }

    /// A newer report replaces the level; an older one never does (reports arrive out of order);
    /// the same report again changes nothing.
    package static func outcome(stored: StockLevel?, incoming: StockLevel) -> Outcome {
        guard let s = stored else { return .updated }
        if incoming.asOf < s.asOf { return .stale }
        if incoming.asOf == s.asOf && incoming.onHand == s.onHand && incoming.reserved == s.reserved { return .unchanged }
        return .updated
    }

    /// Field errors of one reported level under `items[i].…`; the level when there are none.
    package static func check(_ u: StockUpdate, _ i: Int, into e: inout FieldErrors) -> StockLevel? {
        let f = "items[\(i)]."
        var ok = true
        func bad(_ k: String, _ m: DomainMessage) { e.add(f + k, m); ok = false }
        if u.productID == nil && (u.sku ?? "").isEmpty { bad("sku", "give sku or product_id") }
        if let p = u.productID, !ID.isValid(p) { bad("product_id", "is not a valid id") }
        let code = u.warehouse.map(Text.clean) ?? ""
        if code.isEmpty || code.count > 40 || code.contains(where: \.isWhitespace) { bad("warehouse", "is a code of 1 to 40 characters without spaces") }
        if let n = u.onHand { if n < 0 || n > maxQuantity { bad("on_hand", "must be a whole number from 0 to \(maxQuantity)") } }
        else { bad("on_hand", "is required") }
        if let r = u.reserved, r < 0 || r > maxQuantity { bad("reserved", "must be a whole number from 0 to \(maxQuantity)") }
        if u.asOf == nil { bad("as_of", "is required (when the warehouse counted, ISO 8601)") }
        guard ok, let n = u.onHand, let at = u.asOf else { return nil }
        return StockLevel(warehouse: code, onHand: n, reserved: u.reserved ?? 0, asOf: at)
    }

    /// The lines that ask for more than is available. `available` holds only products whose stock
    /// is known; a product with several lines counts them together.
    package static func oversold(_ lines: [LineItem], available: [String: Int64]) -> [StockWarning] {
        var asked: [String: Int64] = [:]
        for l in lines { if let p = l.productID { asked[p, default: 0] += Int64(l.quantity) } }
        var seen: Set<String> = []
        return lines.compactMap { l in
            guard let p = l.productID, let a = available[p], let q = asked[p], q > a, seen.insert(p).inserted else { return nil }
            return StockWarning(lineID: l.id, productID: p, sku: l.sku, quantity: q, available: a)
        }
    }
}
