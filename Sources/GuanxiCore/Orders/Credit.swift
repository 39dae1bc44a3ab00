import Foundation

/// A customer's credit terms: how much they may owe at once (nil: no limit) in a currency, and
/// how many days after an order they have to pay it.
package struct CreditTerms: Codable, Sendable, Equatable {
    package var limit: Int64?
    package var currency: String
    package var termsDays: Int
    package var version: Int
    package init(limit: Int64?, currency: String, termsDays: Int, version: Int = 1) {
        self.limit = limit; self.currency = currency; self.termsDays = termsDays; self.version = version
    }
    enum CodingKeys: String, CodingKey { case limit, currency, version, termsDays = "terms_days" }
}

/// Where a customer stands: what they owe and how they pay (docs/SALES.md, credit control).
package struct CreditStanding: Sendable, Equatable {
    /// Open orders and unpaid ones: what is still to be paid on every order not cancelled or returned.
    package var exposure: Int64
    /// That money by days since the order: `Figures.ageingBuckets`.
    package var ageing: [Int64]
    /// Days sales outstanding over the last 90 days; nil without sales then.
    package var dso: Double?
    /// 0–100 from the payment history (100: always on time); nil without any history.
    package var paymentScore: Int?
    package init(exposure: Int64, ageing: [Int64], dso: Double?, paymentScore: Int?) {
        self.exposure = exposure; self.ageing = ageing; self.dso = dso; self.paymentScore = paymentScore
    }
}

/// The credit rules, pure: fed what a read found, deciding what the write does.
package enum CreditRules {
    package static let maxTermsDays = 365
    /// The period DSO is measured over.
    package static let dsoDays = 90

    /// Checks terms as entered (a limit is never negative; the currency is a code; terms 0–365 days).
    package static func validate(_ t: CreditTerms) throws(DomainError) {
        var e = FieldErrors()
        if let l = t.limit, l < 0 { e.add("limit", "must not be negative") }
        if Money.currencyCode(t.currency) == nil { e.add("currency", "'\(t.currency)' is not a currency code") }
        if !(0...maxTermsDays).contains(t.termsDays) { e.add("terms_days", "must be a whole number from 0 to \(maxTermsDays)") }
        try e.throwIfAny()
    }

    /// Why an order of `amount` must wait for approval: it takes what the customer owes past their
    /// limit. Nil when there is no limit, the order is in another currency, or it fits.
    package static func hold(_ terms: CreditTerms?, exposure: Int64, amount: Int64, currency: String) -> DomainMessage? {
        guard let terms, let limit = terms.limit, terms.currency == currency else { return nil }
        let after = Money.saturating(exposure, plus: amount)
        guard after > limit else { return nil }
        return "exceeds the credit limit: \(Money.format(minor: after)) owed with this order, limit \(Money.format(minor: limit)) \(currency)"
    }

    /// Days sales outstanding: what is owed now over the sales of the last `days`, times the days.
    package static func dso(receivable: Int64, sales: Int64, days: Int = dsoDays) -> Double? {
        sales > 0 ? Double(receivable) / Double(sales) * Double(days) : nil
    }

    /// A payment-behaviour score from 0 to 100: every order paid in full within its terms counts
    /// 100, each day later 2 less (at least 0); an order still unpaid past its terms counts as late
    /// by the days it is overdue. The mean over the orders, nil without any.
    package static func paymentScore(daysLate paid: [Int], overdue open: [Int]) -> Int? {
        let all = paid + open
        guard !all.isEmpty else { return nil }
        let points = all.map { max(0, 100 - 2 * max(0, $0)) }
        return Int((Double(points.reduce(0, +)) / Double(all.count)).rounded())
    }
}

extension Money {
    /// Minor units as plain decimal text with two places ("1234.50"), for messages.
    package static func format(minor: Int64) -> String {
        let sign = minor < 0 ? "-" : "", m = minor.magnitude
        let cents = m % 100
        return sign + String(m / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
    }
}
