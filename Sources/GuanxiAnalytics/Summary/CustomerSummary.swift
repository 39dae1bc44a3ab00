import Foundation

/// The per-customer summary used by the buy-till-you-die models, in columnar form, following the
/// conventions of the Python `lifetimes` package:
///
/// - same-day purchases collapse into one (amounts summed per day);
/// - `frequency` = number of repeat purchase days (distinct purchase days − 1);
/// - `recency` = time from the first to the last purchase;
/// - `T` = time from the first purchase to the end of the calibration period;
/// - `monetaryValue` = mean value of the repeat purchase days (0 when `frequency` is 0).
///
/// Times are in ``unit``.
package struct CustomerSummary: Sendable {
    /// Customer identifiers.
    package var ids: [String]
    /// Number of repeat purchases `x`.
    package var frequency: [Double]
    /// Recency `t_x`.
    package var recency: [Double]
    /// Age `T`.
    package var T: [Double]
    /// Average repeat purchase value.
    package var monetaryValue: [Double]
    /// Repeat purchase days in the holdout period (all zero when no calibration end was given).
    package var frequencyHoldout: [Double]
    /// Length of the holdout period in ``unit`` (0 without a calibration end).
    package var durationHoldout: Double
    /// The time unit.
    package var unit: TimeUnit

    /// Creates a summary from its columns (monetary values default to 0).
    package init(ids: [String]? = nil, frequency: [Double], recency: [Double], T: [Double],
                monetaryValue: [Double]? = nil, unit: TimeUnit = .weeks) {
        precondition(frequency.count == recency.count && recency.count == T.count)
        self.ids = ids ?? (0..<frequency.count).map { String($0 + 1) }
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.monetaryValue = monetaryValue ?? [Double](repeating: 0, count: frequency.count)
        self.frequencyHoldout = [Double](repeating: 0, count: frequency.count)
        self.durationHoldout = 0
        self.unit = unit
    }

    /// Number of customers.
    package var count: Int { frequency.count }

    /// Indices of the customers with at least one repeat purchase.
    package var repeatBuyers: [Int] { (0..<count).filter { frequency[$0] > 0 } }
}

extension CustomerSummary {
    /// Summarises transactions.
    ///
    /// - Parameters:
    ///   - table: transactions.
    ///   - calibrationEnd: last day (inclusive) of the calibration period; later transactions form the
    ///     holdout. Defaults to the last transaction day (no holdout).
    ///   - observationEnd: last day of the holdout period (defaults to the last transaction day).
    ///   - unit: time unit of recency and age.
    package static func from(_ table: TransactionTable, calibrationEnd: Int? = nil, observationEnd: Int? = nil,
                            unit: TimeUnit = .days) -> CustomerSummary {
        let lastDay = table.lastDay ?? 0
        let obsEnd = observationEnd ?? lastDay
        let calEnd = calibrationEnd ?? obsEnd
        let activity = CustomerActivity.build(
            from: table, cutoff: calibrationEnd ?? observationEnd, observationEnd: obsEnd)
        return from(activity, calibrationEnd: calEnd, holdoutEnd: calibrationEnd == nil ? nil : obsEnd, unit: unit)
    }

    /// Summarises per-customer activity aggregated up to `calibrationEnd`.
    package static func from(_ activity: CustomerActivity, calibrationEnd: Int, holdoutEnd: Int? = nil,
                            unit: TimeUnit = .days) -> CustomerSummary {
        let n = activity.count
        let scale = 1.0 / unit.lengthInDays
        var frequency = [Double](repeating: 0, count: n)
        var recency = [Double](repeating: 0, count: n)
        var age = [Double](repeating: 0, count: n)
        var monetary = [Double](repeating: 0, count: n)
        var holdout = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let x = Double(activity.purchaseDays[i] - 1)
            frequency[i] = x
            recency[i] = Double(activity.lastDay[i] - activity.firstDay[i]) * scale
            age[i] = Double(calibrationEnd - Int(activity.firstDay[i])) * scale
            monetary[i] = x > 0 ? activity.repeatAmount[i] / x : 0
            holdout[i] = Double(activity.holdoutPurchaseDays[i])
        }
        var summary = CustomerSummary(
            ids: activity.ids, frequency: frequency, recency: recency, T: age, monetaryValue: monetary, unit: unit)
        summary.frequencyHoldout = holdout
        summary.durationHoldout = holdoutEnd.map { Double($0 - calibrationEnd) * scale } ?? 0
        return summary
    }
}
