import Foundation

/// What a scoring run shows beside its scores: how well the transaction model predicts (the
/// calibration chart of the BG/NBD papers) and how monthly cohorts keep buying. Pure: fed the run's
/// transactions, answering small tables the Insights page draws.
package enum ModelCheck {
    /// One row of the calibration chart: the customers with `frequency` repeat purchases in the
    /// calibration period (the last row: that many or more), and their mean repeat purchases in
    /// the hold-out period, actual and as the model fitted on the calibration period expects.
    package struct CalibrationRow: Sendable, Equatable {
        package var frequency: Int
        package var customers: Int
        package var actual: Double
        package var expected: Double
    }

    package struct Calibration: Sendable, Equatable {
        /// The last calibration day and the last hold-out day (day numbers).
        package var calibrationEnd: Int
        package var holdoutEnd: Int
        package var rows: [CalibrationRow]
    }

    /// Splits the history up to `asOf` in two halves, fits BG/NBD on the first and compares, by
    /// calibration frequency 0…`maxFrequency` (the last bucket takes the rest), the repeat purchases
    /// customers made in the second half with what the model expected. Nil with fewer than 28 days
    /// of history or no customer in the first half.
    package static func calibration(_ table: TransactionTable, asOf: Int, unit: TimeUnit, maxFrequency: Int = 7) -> Calibration? {
        guard let first = table.firstDay, asOf - first >= 28 else { return nil }
        let split = first + (asOf - first) / 2
        let summary = CustomerSummary.from(table, calibrationEnd: split, observationEnd: asOf, unit: unit)
        guard summary.count > 0 else { return nil }
        let fit = BGNBD.fit(summary)
        var n = [Int](repeating: 0, count: maxFrequency + 1)
        var actual = [Double](repeating: 0, count: maxFrequency + 1), expected = actual
        for i in 0..<summary.count {
            let b = min(Int(summary.frequency[i]), maxFrequency)
            n[b] += 1
            actual[b] += summary.frequencyHoldout[i]
            let e = BGNBD.conditionalExpectedPurchases(fit.parameters, t: summary.durationHoldout, x: summary.frequency[i],
                                                      tx: summary.recency[i], T: summary.T[i])
            expected[b] += e.isFinite ? e : 0
        }
        let rows = (0...maxFrequency).filter { n[$0] > 0 }.map {
            CalibrationRow(frequency: $0, customers: n[$0], actual: actual[$0] / Double(n[$0]), expected: expected[$0] / Double(n[$0]))
        }
        return Calibration(calibrationEnd: split, holdoutEnd: asOf, rows: rows)
    }

    /// Monthly acquisition cohorts of the purchases up to `asOf`, the latest `cohorts` of them, each
    /// with the share of its customers buying in each of its first `months` months (month 0 is 1).
    package static func cohorts(_ table: TransactionTable, asOf: Int, cohorts: Int = 12, months: Int = 12) -> [CohortAnalysis.Cohort] {
        // the purchases up to asOf, their customers numbered afresh (every customer has a purchase)
        var ids: [String] = [], index: [Int32] = [], day: [Int32] = [], amount: [Double] = []
        var renumbered = [Int32](repeating: -1, count: table.customerIDs.count)
        for i in 0..<table.count where Int(table.day[i]) <= asOf {
            let c = Int(table.customerIndex[i])
            if renumbered[c] < 0 { renumbered[c] = Int32(ids.count); ids.append(table.customerIDs[c]) }
            index.append(renumbered[c]); day.append(table.day[i]); amount.append(table.amount[i])
        }
        let upTo = TransactionTable(customerIDs: ids, customerIndex: index, day: day, amount: amount)
        return CohortAnalysis.analyze(upTo).cohorts.suffix(cohorts).map { c in
            var c = c
            c.retention = Array(c.retention.prefix(months))
            c.revenue = Array(c.revenue.prefix(months))
            return c
        }
    }
}
