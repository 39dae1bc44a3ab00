import Foundation

/// Whole hundredths of a percent (basis points): 13 % is 1300, 12.5 % is 1250. Read from JSON as a
/// number or a string in percent (`13`, `"12.5"`), never kept as a float.
package struct Percent: Codable, Sendable, Equatable, Hashable {
    package var basisPoints: Int
    package init(basisPoints: Int) { self.basisPoints = basisPoints }

    /// `"12.5"`, `"13%"`, `" 6 "` → basis points; nil unless a number with at most two decimals.
    package static func parse(_ text: String) -> Percent? {
        var s = WidthFolding.fold(text).trimmingCharacters(in: .whitespaces)
        if s.hasSuffix("%") { s.removeLast() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole <= 100_000 else { return nil }
        var frac = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy(\.isASCII), let v = Int(f) else { return nil }
            frac = f.count == 1 ? v * 10 : v
        }
        return Percent(basisPoints: whole * 100 + frac)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self), let p = Percent.parse(s) { self = p; return }
        if let d = try? c.decode(Double.self), d >= 0, d <= 100_000 {
            let bp = (d * 100).rounded()
            if abs(d * 100 - bp) < 1e-6 { self.init(basisPoints: Int(bp)); return }
        }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a percentage with at most two decimals, e.g. 13 or 12.5")
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// `13`, `12.5`, `0.05`.
    package var text: String {
        let whole = basisPoints / 100, frac = basisPoints % 100
        if frac == 0 { return String(whole) }
        return frac % 10 == 0 ? "\(whole).\(frac / 10)" : "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// `amount × self`, rounded half away from zero, overflow-checked.
    package func of(_ minor: Int64) throws(DomainError) -> Int64 {
        let (p, o) = minor.multipliedReportingOverflow(by: Int64(basisPoints))
        guard !o else { throw DomainError.badRequest("the amount is too large") }
        return (p + (p >= 0 ? 5_000 : -5_000)) / 10_000
    }
}

/// One line of a quote or an order. Prices are before tax; the discount comes off the line, then
/// tax is charged on what is left. Every figure is integer minor units of the document's currency.
package struct LineItem: Codable, Sendable, Equatable {
    package var id: String
    package var productID: String?
    package var sku: String?
    package var name: String
    package var unit: String?
    package var quantity: Int
    package var unitPrice: Int64
    package var discount: Percent
    package var taxRate: Percent
    /// quantity × unit price
    package var gross: Int64
    package var discountAmount: Int64
    /// gross − discount
    package var net: Int64
    package var tax: Int64
    /// net + tax
    package var total: Int64

    package init(id: String, productID: String?, sku: String?, name: String, unit: String?, quantity: Int, unitPrice: Int64,
                discount: Percent, taxRate: Percent) throws(DomainError) {
        self.id = id; self.productID = productID; self.sku = sku; self.name = name; self.unit = unit; self.quantity = quantity
        self.unitPrice = unitPrice; self.discount = discount; self.taxRate = taxRate
        let (g, o) = unitPrice.multipliedReportingOverflow(by: Int64(quantity))
        guard !o, g < 1_000_000_000_000_000 else { throw DomainError.field("lines", "the amount of \(name) is too large") }
        gross = g
        discountAmount = try discount.of(g)
        net = g - discountAmount
        tax = try taxRate.of(net)
        total = net + tax
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, name, unit, quantity, discount, tax, net, total, gross
        case productID = "product_id", unitPrice = "unit_price", taxRate = "tax_rate", discountAmount = "discount_amount"
    }
}

/// A document's sums: each equals the sum of its lines' figures, and total = net + tax.
package struct DocumentTotals: Codable, Sendable, Equatable {
    package var currency: String
    package var gross: Int64 = 0
    package var discount: Int64 = 0
    package var net: Int64 = 0
    package var tax: Int64 = 0
    package var total: Int64 = 0

    package init(currency: String, lines: [LineItem]) throws(DomainError) {
        self.currency = currency
        for l in lines {
            for (kp, v) in [(\DocumentTotals.gross, l.gross), (\.discount, l.discountAmount), (\.net, l.net), (\.tax, l.tax), (\.total, l.total)] {
                let (s, o) = self[keyPath: kp].addingReportingOverflow(v)
                guard !o, s < 1_000_000_000_000_000 else { throw DomainError.field("lines", "the total is too large") }
                self[keyPath: kp] = s
            }
        }
    }
}

/// What a client sends for one line. With a product, name, SKU, unit, tax rate and (from the
/// document's price list) the unit price are filled in unless given.
package struct LineDraft: Codable, Sendable, Equatable {
    package var productID: String?
    package var sku: String?
    package var name: String?
    package var unit: String?
    package var quantity: Int?
    package var unitPrice: Int64?
    package var discount: Percent?
    package var taxRate: Percent?
    package init(productID: String? = nil, sku: String? = nil, name: String? = nil, unit: String? = nil, quantity: Int? = nil,
                unitPrice: Int64? = nil, discount: Percent? = nil, taxRate: Percent? = nil) {
        self.productID = productID; self.sku = sku; self.name = name; self.unit = unit; self.quantity = quantity
        self.unitPrice = unitPrice; self.discount = discount; self.taxRate = taxRate
    }
    enum CodingKeys: String, CodingKey {
        case sku, name, unit, quantity, discount
        case productID = "product_id", unitPrice = "unit_price", taxRate = "tax_rate"
    }

    /// Resolves the line against its product (if any), collecting errors under `lines[i].…`.
    package func line(_ i: Int, id: String, product: Product?, listPrice: Int64?, errors e: inout FieldErrors) -> LineItem? {
        let f = "lines[\(i)]."
        if let p = product, !p.active { e.add(f + "product_id", "\(p.name) is no longer sold") }
        let name = Text.clean(self.name ?? product?.name ?? "")
        if name.isEmpty || name.count > 200 { e.add(f + "name", "is required (at most 200 characters)") }
        let q = quantity ?? 0
        if !(1...1_000_000).contains(q) { e.add(f + "quantity", "must be a whole number from 1 to 1000000") }
        let price = unitPrice ?? listPrice
        if price == nil { e.add(f + "unit_price", product == nil ? "is required" : "\(product!.sku) has no price in this price list; give unit_price") }
        if let p = price, p < 0 || p > 100_000_000_000_000 { e.add(f + "unit_price", "must be between 0 and 100000000000000 minor units") }
        if let d = discount, d.basisPoints > 10_000 { e.add(f + "discount", "must be between 0 and 100") }
        let tax = taxRate ?? product?.taxRate ?? Percent(basisPoints: 0)
        if tax.basisPoints > 10_000 { e.add(f + "tax_rate", "must be between 0 and 100") }
        guard e.isEmpty, let price else { return nil }
        do {
            return try LineItem(id: id, productID: product?.id, sku: (sku ?? product?.sku).map(Text.clean), name: name,
                                unit: (unit ?? product?.unit).map(Text.clean), quantity: q, unitPrice: price,
                                discount: discount ?? Percent(basisPoints: 0), taxRate: tax)
        } catch {
            if case .validation(let m) = error { for (k, v) in m { e.add(f + (k == "lines" ? "quantity" : k), v) } }
            return nil
        }
    }
}
