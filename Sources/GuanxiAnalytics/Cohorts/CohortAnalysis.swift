import Foundation

/// Monthly acquisition cohorts and purchase-behaviour metrics.
///
/// A customer's cohort is the calendar month of their first purchase. `retention[i]` is the share of
/// the cohort that bought in calendar month `cohort + i` (so `retention[0]` is 1); a cohort's row runs
/// up to the month of the last transaction in the data.
package enum CohortAnalysis {
    /// One acquisition cohort.
    package struct Cohort: Sendable, Equatable {
        /// The cohort's month, `YYYY-MM`.
        package var month: String
        /// Customers acquired in that month.
        package var size: Int
        /// Share of the cohort buying in each month since acquisition.
        package var retention: [Double]
        /// Revenue of the cohort in each month since acquisition.
        package var revenue: [Double]
    }

    /// Cohorts plus overall metrics.
    package struct Report: Sendable {
        /// Cohorts, oldest first.
        package var cohorts: [Cohort]
        /// Share of customers with at least two purchase days.
        package var repurchaseRate: Double
        /// Month-over-month churn: of the customers active in a month, the share not active the next
        /// month, pooled over all consecutive month pairs in the data.
        package var churnRate: Double
        /// Total amount / number of orders (an order = a customer's purchase day).
        package var averageOrderValue: Double
        /// Orders per customer.
        package var ordersPerCustomer: Double
    }

    /// Builds the cohort report.
    package static func analyze(_ table: TransactionTable) -> Report {
        let activity = CustomerActivity.build(from: table)
        let customers = activity.count
        guard customers > 0, let lastDay = table.lastDay, let firstDay = table.firstDay else {
            return Report(cohorts: [], repurchaseRate: 0, churnRate: 0, averageOrderValue: 0, ordersPerCustomer: 0)
        }
        let firstMonth = CivilDate.monthIndex(ofDay: firstDay)
        let span = CivilDate.monthIndex(ofDay: lastDay) - firstMonth + 1
        let cohortOf = activity.firstDay.map { CivilDate.monthIndex(ofDay: Int($0)) - firstMonth }
        var active = [UInt8](repeating: 0, count: customers * span)
        var revenue = [Double](repeating: 0, count: span * span)
        // Month index cache per day number.
        var monthCache: [Int32: Int] = [:]
        for i in 0..<table.count {
            let c = Int(table.customerIndex[i])
            let d = table.day[i]
            let m: Int
            if let cached = monthCache[d] { m = cached } else {
                m = CivilDate.monthIndex(ofDay: Int(d)) - firstMonth
                monthCache[d] = m
            }
            active[c * span + m] = 1
            revenue[cohortOf[c] * span + (m - cohortOf[c])] += table.amount[i]
        }
        var sizes = [Int](repeating: 0, count: span)
        var buyers = [Int](repeating: 0, count: span * span)
        var activePairs = 0, lostPairs = 0
        for c in 0..<customers {
            let k = cohortOf[c]
            sizes[k] += 1
            for m in k..<span where active[c * span + m] != 0 {
                buyers[k * span + (m - k)] += 1
                if m + 1 < span {
                    activePairs += 1
                    if active[c * span + m + 1] == 0 { lostPairs += 1 }
                }
            }
        }
        var cohorts: [Cohort] = []
        for k in 0..<span where sizes[k] > 0 {
            let months = span - k
            cohorts.append(Cohort(
                month: CivilDate.monthString(firstMonth + k), size: sizes[k],
                retention: (0..<months).map { Double(buyers[k * span + $0]) / Double(sizes[k]) },
                revenue: (0..<months).map { revenue[k * span + $0] }))
        }
        let orders = activity.purchaseDays.reduce(0) { $0 + Int($1) }
        let total = activity.totalAmount.reduce(0, +)
        let repeaters = activity.purchaseDays.filter { $0 >= 2 }.count
        return Report(
            cohorts: cohorts, repurchaseRate: Double(repeaters) / Double(customers),
            churnRate: activePairs > 0 ? Double(lostPairs) / Double(activePairs) : 0,
            averageOrderValue: orders > 0 ? total / Double(orders) : 0,
            ordersPerCustomer: Double(orders) / Double(customers))
    }
}
