import GuanxiCore
import SQLKit

/// Sums of integer minor units that never fail: SQLite's `SUM` raises "integer overflow" past
/// 2⁶³ and PostgreSQL's `bigint * int` does too, so a stage holding a few deals of the largest amount
/// the API takes answered 500. Each sum is read in two parts that cannot overflow for any realistic
/// row count (the billions and the rest) and joined here, saturating at the bounds as `MoneyTotals` does.
package enum MoneySum {
    static let split: Int64 = 1_000_000_000

    /// `SUM(expr)` (times `percent` when given) as the columns `<name>_hi` and `<name>_lo`.
    package static func select(_ expr: String, times percent: String? = nil, as name: String) -> SQLQueryString {
        let by = percent.map { " * \($0)" } ?? ""
        return "CAST(SUM((\(unsafeRaw: expr)) / \(literal: Int(split))\(unsafeRaw: by)) AS BIGINT) AS \(unsafeRaw: name)_hi, CAST(SUM((\(unsafeRaw: expr)) % \(literal: Int(split))\(unsafeRaw: by)) AS BIGINT) AS \(unsafeRaw: name)_lo"
    }

    /// The sum `select` asked for, saturated at `Int64.min`/`Int64.max`.
    package static func decode(_ row: any SQLRow, _ name: String) throws -> Int64 {
        join(hi: try row.decode(column: name + "_hi", as: Int64?.self) ?? 0, lo: try row.decode(column: name + "_lo", as: Int64?.self) ?? 0)
    }

    package static func join(hi: Int64, lo: Int64) -> Int64 {
        let (h, o1) = hi.multipliedReportingOverflow(by: split)
        if o1 { return hi < 0 ? .min : .max }
        return Money.saturating(h, plus: lo)
    }
}
