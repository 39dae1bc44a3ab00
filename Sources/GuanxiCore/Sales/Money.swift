/// An exact amount: integer minor units (分, cents) and an ISO 4217 currency. Amounts of different
/// currencies are never added; sums are kept per currency.
package struct Money: Codable, Sendable, Equatable, Hashable {
    package var minor: Int64
    package var currency: String
    package init(minor: Int64, currency: String) { self.minor = minor; self.currency = currency }

    /// `CNY`, `usd` → `USD`; nil unless three ASCII letters.
    package static func currencyCode(_ s: String) -> String? {
        let u = s.trimmingCharacters(in: .whitespaces).uppercased()
        return u.count == 3 && u.allSatisfy({ $0.isASCII && $0.isLetter }) ? u : nil
    }

    /// Adds, refusing to mix currencies or to overflow.
    package func adding(_ other: Money) throws(DomainError) -> Money {
        guard currency == other.currency else { throw DomainError.badRequest("cannot add \(other.currency) to \(currency)") }
        let (sum, overflow) = minor.addingReportingOverflow(other.minor)
        guard !overflow else { throw DomainError.badRequest("the amount is too large") }
        return Money(minor: sum, currency: currency)
    }

    /// `minor × percent / 100`, rounded half away from zero, in integers.
    package func weighted(percent: Int) -> Money {
        let p = Int64(max(0, min(100, percent)))
        let (product, overflow) = minor.multipliedReportingOverflow(by: p)
        let value = overflow ? minor / 100 * p : Self.hundredths(product)
        return Money(minor: value, currency: currency)
    }

    /// `a + b`, held at `Int64.min`/`Int64.max` instead of overflowing (totals of totals on reports).
    package static func saturating(_ a: Int64, plus b: Int64) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? (b < 0 ? .min : .max) : s
    }

    /// `n / 100` rounded half away from zero, for any `n` (adding 50 first overflowed at the bounds).
    package static func hundredths(_ n: Int64) -> Int64 {
        n / 100 + (n % 100 >= 50 ? 1 : n % 100 <= -50 ? -1 : 0)
    }
}

/// Per-currency totals (a dictionary that refuses nothing: each currency sums on its own).
package struct MoneyTotals: Codable, Sendable, Equatable {
    package private(set) var byCurrency: [String: Int64] = [:]
    package init() {}
    package mutating func add(_ m: Money) {
        byCurrency[m.currency] = Money.saturating(byCurrency[m.currency, default: 0], plus: m.minor)
    }
    package var items: [Money] { byCurrency.sorted { $0.key < $1.key }.map { Money(minor: $0.value, currency: $0.key) } }
}
