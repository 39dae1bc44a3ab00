import Foundation
import SQLKit
import GuanxiCore

/// The orders' figures on the dashboard, over the orders the viewer may read, in their main
/// currency (the one most of the last twelve months' orders are in).
package struct OrderDashboard: Sendable, Equatable {
    package var currency: String
    /// This month and last month, `YYYY-MM` in the workspace's time zone.
    package var month: String, previousMonth: String
    /// Order totals net of refunds, and orders placed, this month and last (not cancelled or returned).
    package var revenue: Int64, previousRevenue: Int64, orders: Int
    /// The last twelve months: orders, the customers who placed them, and those who placed two or more.
    package var yearOrders: Int, yearCustomers: Int, yearRepeaters: Int
    /// Money owed (total less paid) by days since the order: `Figures.ageingBuckets`.
    package var owed: [Int64]
}

extension OrderStore {
    package func dashboard(_ scope: Scope) async throws -> OrderDashboard {
        let reach = try Self.records.readLimit(scope)
        let now = clock.now()
        let zone = try await db.read { sql in
            try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: scope.workspaceID)").first()?.decode(column: "time_zone", as: String?.self) ?? nil
        } ?? "Asia/Shanghai"
        let month = String(Dates.day(now, timeZone: zone).prefix(7)), previous = Dates.shiftMonth(month, -1)
        guard let (monthStart, monthEnd) = Dates.monthRange(month, timeZone: zone), let (previousStart, _) = Dates.monthRange(previous, timeZone: zone),
              let (yearStart, _) = Dates.monthRange(Dates.shiftMonth(month, -11), timeZone: zone) else { throw DomainError.field("month", "must be a month (YYYY-MM)") }
        let counted = OrderStatus.countingAsRevenue.map(\.rawValue)
        let ws = scope.workspaceID
        return try await db.read { sql in
            var top = SQLQueryString("SELECT o.currency, COUNT(*) AS n FROM orders o WHERE o.workspace_id = \(bind: ws) AND o.placed_at >= \(bind: yearStart.millis)")
            top += reach
            top += " GROUP BY o.currency ORDER BY n DESC, o.currency LIMIT 1"
            let currency = try await sql.raw(top).first()?.decode(column: "currency", as: String.self) ?? DealStore.defaultCurrency
            let base: SQLQueryString = "FROM orders o WHERE o.workspace_id = \(bind: ws) AND o.currency = \(bind: currency) AND o.status IN (\(binds: counted))"
            var d = OrderDashboard(currency: currency, month: month, previousMonth: previous, revenue: 0, previousRevenue: 0, orders: 0,
                                   yearOrders: 0, yearCustomers: 0, yearRepeaters: 0, owed: Array(repeating: 0, count: Figures.ageingBuckets.count))
            // this month and last
            var q: SQLQueryString = "SELECT CASE WHEN o.placed_at >= \(bind: monthStart.millis) THEN 1 ELSE 0 END AS this, COUNT(*) AS n, \(MoneySum.select("o.total - o.refunded", as: "v")) "
            q += base
            q += " AND o.placed_at >= \(bind: previousStart.millis) AND o.placed_at < \(bind: monthEnd.millis)"
            q += reach
            q += " GROUP BY 1"
            for r in try await sql.raw(q).all() {
                if try r.decode(column: "this", as: Int.self) == 1 {
                    d.revenue = try MoneySum.decode(r, "v"); d.orders = try r.decode(column: "n", as: Int.self)
                } else {
                    d.previousRevenue = try MoneySum.decode(r, "v")
                }
            }
            // the last twelve months, per customer
            var inner: SQLQueryString = "SELECT o.customer_id, COUNT(*) AS n "
            inner += base
            inner += " AND o.placed_at >= \(bind: yearStart.millis)"
            inner += reach
            inner += " GROUP BY o.customer_id"
            if let r = try await sql.raw("SELECT COUNT(*) AS customers, CAST(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS repeaters, CAST(SUM(n) AS BIGINT) AS orders FROM (" + inner + ") t").first() {
                d.yearCustomers = try r.decode(column: "customers", as: Int.self)
                d.yearRepeaters = try r.decode(column: "repeaters", as: Int?.self) ?? 0
                d.yearOrders = try r.decode(column: "orders", as: Int?.self) ?? 0
            }
            // what is owed, by age
            let day: Int64 = 86_400_000
            var owed: SQLQueryString = "SELECT CASE"
            for (i, days) in Figures.ageingLimits.enumerated() { owed += " WHEN o.placed_at >= \(bind: now.millis - Int64(days) * day) THEN \(literal: i)" }
            owed += " ELSE \(literal: Figures.ageingLimits.count) END AS b, \(MoneySum.select("o.total - o.paid", as: "v")) "
            owed += base
            owed += " AND o.total > o.paid"
            owed += reach
            owed += " GROUP BY 1"
            for r in try await sql.raw(owed).all() {
                let b = try r.decode(column: "b", as: Int.self)
                if d.owed.indices.contains(b) { d.owed[b] = try MoneySum.decode(r, "v") }
            }
            return d
        }
    }
}
