import Foundation

/// One historical order read from a CSV file (`guanxi import orders`): a paid and confirmed
/// purchase of a customer known by their external id.
package struct OrderHistoryRow: Sendable, Equatable {
    /// The file's line the row starts on.
    package var line: Int
    package var customerExternalID: String
    package var placedAt: Date
    /// In minor units (分, cents), never negative.
    package var amount: Int64
    package var product: String?
    package var quantity: Int64
    package var currency: String?
    /// The order's own id in the source, or a stable key made from the row (same row, same key).
    package var externalID: String
}

/// Reading order history: which columns a file has and what each row says. The store does the
/// writing; everything here is pure.
package enum OrderHistoryCSV {
    package static let required = ["customer_external_id", "placed_at", "amount"]
    package static let optional = ["product", "quantity", "currency", "external_id"]

    /// Where each known column is (header names are matched case-insensitively, spaces trimmed).
    package struct Columns: Sendable, Equatable {
        package var index: [String: Int]
        package var width: Int
    }

    /// The columns of a header row, or what is missing.
    package static func columns(_ header: [String]) throws(DomainError) -> Columns {
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            let name = h.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\u{FEFF}", with: "")
            if (required + optional).contains(name), index[name] == nil { index[name] = i }
        }
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError.field("file", "the header needs the columns \(missing.joined(separator: ", "))")
        }
        return Columns(index: index, width: header.count)
    }

    /// One row, its external id left empty when the file has none (`key` makes one). Throws the
    /// column and the reason of the first problem.
    package static func row(_ fields: [String], line: Int, columns: Columns, timeZone: TimeZone) throws(DomainError) -> OrderHistoryRow {
        func value(_ name: String) -> String? {
            guard let i = columns.index[name], i < fields.count else { return nil }
            let v = fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            return v.isEmpty ? nil : v
        }
        guard let customer = value("customer_external_id").map(Text.clean), !customer.isEmpty else {
            throw DomainError.field("customer_external_id", .required)
        }
        guard customer.count <= 100 else { throw DomainError.field("customer_external_id", .longerThan(100)) }
        guard let placedRaw = value("placed_at") else { throw DomainError.field("placed_at", .required) }
        guard let placedAt = instant(placedRaw, timeZone: timeZone) else {
            throw DomainError.field("placed_at", "'\(placedRaw)' is not a date (YYYY-MM-DD or an ISO 8601 time)")
        }
        guard let amountRaw = value("amount") else { throw DomainError.field("amount", .required) }
        guard let amount = minorUnits(amountRaw) else {
            throw DomainError.field("amount", "'\(amountRaw)' is not an amount (at most two decimals, not negative)")
        }
        var quantity: Int64 = 1
        if let q = value("quantity") {
            guard let n = Int64(q), (1...1_000_000).contains(n) else { throw DomainError.field("quantity", .lineQuantity) }
            quantity = n
        }
        var currency: String?
        if let c = value("currency") {
            guard let code = Money.currencyCode(c) else { throw DomainError.field("currency", "'\(c)' is not a currency code") }
            currency = code
        }
        let product = value("product").map(Text.clean)
        if let p = product, p.count > 200 { throw DomainError.field("product", .longerThan(200)) }
        let external = value("external_id").map(Text.clean) ?? ""
        if external.count > 100 { throw DomainError.field("external_id", .longerThan(100)) }
        return OrderHistoryRow(line: line, customerExternalID: customer, placedAt: placedAt, amount: amount,
                               product: product?.isEmpty == true ? nil : product, quantity: quantity, currency: currency,
                               externalID: external)
    }

    /// A stable key for a row without an external id: the same row (customer, time, amount,
    /// product, quantity, currency) and its occurrence among identical rows of the file give the
    /// same key on every import, so importing the file again adds nothing.
    package static func key(_ r: OrderHistoryRow, occurrence: Int) -> String {
        let text = [r.customerExternalID, String(r.placedAt.millis), String(r.amount), r.product ?? "", String(r.quantity),
                    r.currency ?? "", String(occurrence)].joined(separator: "\u{1F}")
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325, h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for b in text.utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x0000_0100_0000_01B3
            h2 = (h2 &+ UInt64(b)) &* 0x9E37_79B9_7F4A_7C15
            h2 ^= h2 >> 29
        }
        return "row-" + String(h1, radix: 16) + String(h2, radix: 16)
    }

    /// `29.33`, `1,299.5`, `100` → minor units; nil when negative, not a number, or with more than two decimals.
    package static func minorUnits(_ text: String) -> Int64? {
        let s = text.replacingOccurrences(of: ",", with: "")
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 13,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let w = Int64(whole) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(f) else { return nil }
            cents = f.count == 1 ? v * 10 : v
        }
        return w * 100 + cents
    }

    /// A day (`YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`: its start in `timeZone`) or an ISO 8601 time.
    package static func instant(_ text: String, timeZone: TimeZone) -> Date? {
        if let t = Timestamp.parse(text) { return t }
        guard let day = Dates.parseDay(text) else { return nil }
        let p = day.split(separator: "-").compactMap { Int($0) }
        let utc = Timestamp.days(fromCivil: Int64(p[0]), Int64(p[1]), Int64(p[2])) * 86_400_000
        let guess = Date(millis: utc)
        let offset = Int64(timeZone.secondsFromGMT(for: guess)) * 1000
        return Date(millis: utc - offset)
    }
}
