import Foundation
import GuanxiAnalytics

/// Loads committed fixtures.
enum Fixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    static func url(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// The CDNOW 1/10th sample as transactions: whitespace-separated
    /// `master_id sample_id yyyymmdd cds amount`; the sample id (1…2357) is the customer.
    static func cdnowTransactions() throws -> TransactionTable {
        var rows: [(customer: String, day: Int, amount: Double)] = []
        for line in try text("CDNOW_sample.txt").split(whereSeparator: \.isNewline) {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count == 5, let day = CivilDate.parse(String(f[2])), let amount = Double(f[4]) else { continue }
            rows.append((String(f[1]), day, amount))
        }
        return TransactionTable(rows: rows)
    }

    /// CDNOW calibration summary in weeks, calibration 1997-01-01 … 1997-09-30.
    static func cdnowSummary() throws -> CustomerSummary {
        CustomerSummary.from(
            try cdnowTransactions(), calibrationEnd: CivilDate.parse("1997-09-30"), unit: .weeks)
    }
}

/// `value` rounded to `places` decimals.
func rounded(_ value: Double, _ places: Int) -> Double {
    let f = pow(10.0, Double(places))
    return (value * f).rounded() / f
}
