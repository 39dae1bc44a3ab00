import Foundation

/// Customer lifetime value from a transaction model and a spend model.
package enum CustomerLifetimeValue {
    /// A transaction model's conditional expectation: purchases in the next `t` units given `(x, t_x, T)`.
    package typealias ExpectedPurchases = (_ t: Double, _ x: Double, _ tx: Double, _ T: Double) -> Double

    /// Discounted CLV over `months` months, following `lifetimes.customer_lifetime_value`: month `i`
    /// contributes `(E[Y(i·m)] − E[Y((i−1)·m)]) · spend / (1 + discountRate)^i`, where `m` is a month
    /// in the model's unit (30 days, or 4.345 weeks).
    ///
    /// - Parameters:
    ///   - expected: conditional expected purchases of the transaction model.
    ///   - spend: expected value per transaction.
    ///   - months: horizon in months.
    ///   - discountRate: discount rate per month.
    ///   - unit: the unit of the model's time axis.
    package static func value(
        x: Double, tx: Double, T: Double, spend: Double, months: Int, discountRate: Double, unit: TimeUnit,
        expected: ExpectedPurchases
    ) -> Double {
        let month = unit == .weeks ? 4.345 : 30.0
        var total = 0.0
        var previous = 0.0
        for i in stride(from: 1, through: months, by: 1) {
            let current = expected(Double(i) * month, x, tx, T)
            total += (current - previous) * spend / pow(1 + discountRate, Double(i))
            previous = current
        }
        return total
    }
}
