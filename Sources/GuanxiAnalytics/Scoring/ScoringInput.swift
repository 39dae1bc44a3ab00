import Foundation

/// Turns the CRM's order rows into the engine's input: each order's instant becomes the calendar
/// day it fell on in the workspace's time zone, its amount (minor units) a value in whole units.
package enum ScoringInput {
    package static func table(customers: [String], millis: [Int64], minor: [Int64], timeZone: TimeZone) -> TransactionTable {
        precondition(customers.count == millis.count && millis.count == minor.count)
        var offsets: [Int64: Int64] = [:]   // hour → offset in ms (time zones move on whole quarter hours)
        var rows: [(customer: String, day: Int, amount: Double)] = []
        rows.reserveCapacity(customers.count)
        for i in customers.indices {
            let hour = millis[i] >= 0 ? millis[i] / 3_600_000 : (millis[i] - 3_599_999) / 3_600_000
            let offset: Int64
            if let known = offsets[hour] { offset = known } else {
                offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3600))) * 1000
                offsets[hour] = offset
            }
            let local = millis[i] + offset
            let day = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
            rows.append((customers[i], Int(day), Double(minor[i]) / 100))
        }
        return TransactionTable(rows: rows)
    }
}
