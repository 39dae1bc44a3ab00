import Foundation

/// Something the company sells: SKU (unique per workspace), unit, default tax rate, active flag,
/// and a price in each price list that carries it.
package struct Product: Codable, Sendable, Equatable {
    package var id: String
    package var sku: String
    package var name: String
    package var unit: String?
    package var taxRate: Percent
    package var active: Bool
    /// Unit prices by price list (minor units of that list's currency).
    package var prices: [ProductPrice]
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, sku: String, name: String, unit: String?, taxRate: Percent, active: Bool, prices: [ProductPrice],
                version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.sku = sku; self.name = name; self.unit = unit; self.taxRate = taxRate; self.active = active
        self.prices = prices; self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, name, unit, active, prices, version
        case taxRate = "tax_rate", createdAt = "created_at", updatedAt = "updated_at"
    }
}

package struct ProductPrice: Codable, Sendable, Equatable {
    package var priceListID: String
    package var unitPrice: Money
    package init(priceListID: String, unitPrice: Money) { self.priceListID = priceListID; self.unitPrice = unitPrice }
    enum CodingKeys: String, CodingKey { case priceListID = "price_list_id", unitPrice = "unit_price" }
}

/// A named list of prices in one currency (e.g. 标准价 CNY, 经销商价 CNY, Export USD).
package struct PriceList: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var currency: String
    package var isDefault: Bool
    package var active: Bool
    /// As `PipelineStage.nameKey`: set while the list keeps its seeded name (标准价).
    package var nameKey: String?
    package init(id: String, name: String, currency: String, isDefault: Bool, active: Bool, nameKey: String? = nil) {
        self.id = id; self.name = name; self.currency = currency; self.isDefault = isDefault; self.active = active; self.nameKey = nameKey
    }
    enum CodingKeys: String, CodingKey { case id, name, currency, active, isDefault = "is_default", nameKey = "name_key" }
}

package struct PriceListDraft: Codable, Sendable {
    package var name: String?
    package var currency: String?
    package var isDefault: Bool?
    package var active: Bool?
    package init(name: String? = nil, currency: String? = nil, isDefault: Bool? = nil, active: Bool? = nil) {
        self.name = name; self.currency = currency; self.isDefault = isDefault; self.active = active
    }
    enum CodingKeys: String, CodingKey { case name, currency, active, isDefault = "is_default" }

    package func validate(creating: Bool) throws(DomainError) {
        var e = FieldErrors()
        if let n = name.map(Text.clean) { if n.isEmpty || n.count > 100 { e.add("name", "is required (at most 100 characters)") } }
        else if creating { e.add("name", "is required") }
        if let c = currency { if Money.currencyCode(c) == nil { e.add("currency", "must be an ISO 4217 code such as CNY, TWD or USD") } }
        else if creating { e.add("currency", "is required") }
        try e.throwIfAny()
    }
}

/// What a client sends to add or change a product (absent fields stay as they are). `prices`
/// replaces the product's prices in the lists named; a null price removes it from that list.
package struct ProductDraft: Codable, Sendable {
    package struct Price: Codable, Sendable {
        package var priceListID: String
        package var unitPrice: Int64?
        package init(priceListID: String, unitPrice: Int64?) { self.priceListID = priceListID; self.unitPrice = unitPrice }
        enum CodingKeys: String, CodingKey { case priceListID = "price_list_id", unitPrice = "unit_price" }
    }
    package var sku: String?
    package var name: String?
    package var unit: String?
    package var taxRate: Percent?
    package var active: Bool?
    package var prices: [Price]?
    package init() {}
    enum CodingKeys: String, CodingKey { case sku, name, unit, active, prices, taxRate = "tax_rate" }

    package func validate(creating: Bool) throws(DomainError) {
        var e = FieldErrors()
        if let s = sku.map(Text.clean) {
            if s.isEmpty || s.count > 64 { e.add("sku", "is required (at most 64 characters)") }
            else if s.contains(where: { $0.isWhitespace || $0.isNewline }) { e.add("sku", "must not contain spaces") }
        } else if creating { e.add("sku", "is required") }
        if let n = name.map(Text.clean) { if n.isEmpty || n.count > 200 { e.add("name", "is required (at most 200 characters)") } }
        else if creating { e.add("name", "is required") }
        if let u = unit, u.count > 20 { e.add("unit", "is at most 20 characters") }
        if let t = taxRate, t.basisPoints > 10_000 { e.add("tax_rate", "must be between 0 and 100") }
        for (i, p) in (prices ?? []).enumerated() {
            if !ID.isValid(p.priceListID) { e.add("prices[\(i)].price_list_id", "is not a valid id") }
            if let v = p.unitPrice, v < 0 || v > 100_000_000_000_000 { e.add("prices[\(i)].unit_price", "must be between 0 and 100000000000000 minor units") }
        }
        try e.throwIfAny()
    }
}
