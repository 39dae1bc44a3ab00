import Foundation

/// Transactions in columnar form: one row per input line, customers interned to dense indices.
///
/// `customerIndex[i]` points into `customerIDs`; `day[i]` is a day number (see ``CivilDate``);
/// `amount[i]` is the transaction value (never negative).
package struct TransactionTable: Sendable {
    /// Distinct customer identifiers, in order of first appearance.
    package var customerIDs: [String]
    /// The customer of each transaction, an index into ``customerIDs``.
    package var customerIndex: [Int32]
    /// The day number of each transaction.
    package var day: [Int32]
    /// The value of each transaction.
    package var amount: [Double]

    /// Creates a table from its columns.
    package init(customerIDs: [String], customerIndex: [Int32], day: [Int32], amount: [Double]) {
        precondition(customerIndex.count == day.count && day.count == amount.count)
        self.customerIDs = customerIDs
        self.customerIndex = customerIndex
        self.day = day
        self.amount = amount
    }

    /// Builds a table from `(customer, day number, amount)` rows.
    package init(rows: [(customer: String, day: Int, amount: Double)]) {
        var ids: [String] = []
        var lookup: [String: Int32] = [:]
        var ci: [Int32] = []
        var days: [Int32] = []
        var amounts: [Double] = []
        ci.reserveCapacity(rows.count)
        days.reserveCapacity(rows.count)
        amounts.reserveCapacity(rows.count)
        for row in rows {
            let index: Int32
            if let known = lookup[row.customer] {
                index = known
            } else {
                index = Int32(ids.count)
                lookup[row.customer] = index
                ids.append(row.customer)
            }
            ci.append(index)
            days.append(Int32(row.day))
            amounts.append(row.amount)
        }
        self.init(customerIDs: ids, customerIndex: ci, day: days, amount: amounts)
    }

    /// Number of transactions.
    package var count: Int { day.count }

    /// Number of distinct customers.
    package var customerCount: Int { customerIDs.count }

    /// The last transaction day, or `nil` for an empty table.
    package var lastDay: Int? { day.max().map(Int.init) }

    /// The first transaction day, or `nil` for an empty table.
    package var firstDay: Int? { day.min().map(Int.init) }
}
