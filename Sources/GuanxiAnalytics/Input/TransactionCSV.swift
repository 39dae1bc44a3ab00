import Foundation

/// Reads transactions from CSV with a header naming `customer_id`, `date` and `amount`
/// (any order, extra columns ignored). Dates are `YYYY-MM-DD` or `YYYYMMDD`; amounts must be
/// finite and not negative. Blank lines are skipped. Fields may be wrapped in double quotes but
/// may not contain commas.
public enum TransactionCSV {
    /// Parses a CSV file.
    public static func read(contentsOf url: URL) throws -> TransactionTable {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return try parse(data)
    }

    /// Parses CSV text.
    public static func parse(_ text: String) throws -> TransactionTable {
        try parse(Data(text.utf8))
    }

    /// Parses CSV bytes. Errors carry the 1-based line number (the header is line 1).
    public static func parse(_ data: Data) throws -> TransactionTable {
        try data.withUnsafeBytes { raw -> TransactionTable in
            let bytes = raw.bindMemory(to: UInt8.self)
            return try parse(bytes)
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> TransactionTable {
        let n = bytes.count
        var pos = 0
        var line = 0
        // Header.
        var columns: [String] = []
        while pos < n {
            var end = pos
            while end < n, bytes[end] != 0x0A { end += 1 }
            line += 1
            let (a, b) = ByteParsing.trim(bytes, pos, end)
            pos = end + 1
            if a < b {
                columns = ByteParsing.headerColumns(bytes, a, b)
                break
            }
        }
        guard !columns.isEmpty else {
            throw AnalyticsInputError(line: 0, message: "empty input: expected a header customer_id,date,amount")
        }
        guard let customerColumn = columns.firstIndex(of: "customer_id"),
              let dateColumn = columns.firstIndex(of: "date"),
              let amountColumn = columns.firstIndex(of: "amount")
        else {
            throw AnalyticsInputError(
                line: line, message: "header must name customer_id, date and amount (got \(columns.joined(separator: ",")))")
        }
        let fieldCount = columns.count
        let estimate = max(16, (n - pos) / 24)
        var interner = ByteStringInterner(expected: min(estimate / 4, 1 << 22))
        var customerIndex: [Int32] = []
        var days: [Int32] = []
        var amounts: [Double] = []
        customerIndex.reserveCapacity(estimate)
        days.reserveCapacity(estimate)
        amounts.reserveCapacity(estimate)
        var fieldStart = [Int](repeating: 0, count: fieldCount + 1)
        var fieldEnd = [Int](repeating: 0, count: fieldCount + 1)
        while pos < n {
            line += 1
            var end = pos
            var fields = 0
            fieldStart[0] = pos
            while end < n {
                let c = bytes[end]
                if c == 0x0A { break }
                if c == 0x2C {
                    if fields < fieldCount { fieldEnd[fields] = end }
                    fields += 1
                    if fields < fieldCount { fieldStart[fields] = end + 1 }
                }
                end += 1
            }
            if fields < fieldCount { fieldEnd[fields] = end }
            fields += 1
            let lineStart = pos
            pos = end + 1
            if fields == 1 {
                let (a, b) = ByteParsing.trim(bytes, lineStart, end)
                if a == b { continue }  // blank line
            }
            guard fields == fieldCount else {
                throw AnalyticsInputError(line: line, message: "expected \(fieldCount) fields, found \(fields)")
            }
            let (ca, cb) = ByteParsing.trim(bytes, fieldStart[customerColumn], fieldEnd[customerColumn])
            guard ca < cb else { throw AnalyticsInputError(line: line, message: "empty customer_id") }
            let ds = fieldStart[dateColumn], de = fieldEnd[dateColumn]
            guard let day = CivilDate.parse(UnsafeBufferPointer(rebasing: bytes[ds..<de])) else {
                let text = ByteParsing.string(bytes, ds, de).trimmingCharacters(in: .whitespacesAndNewlines)
                throw AnalyticsInputError(line: line, message: "unparseable date '\(text)' (expected YYYY-MM-DD or YYYYMMDD)")
            }
            let as_ = fieldStart[amountColumn], ae = fieldEnd[amountColumn]
            guard let amount = ByteParsing.parseDouble(bytes, as_, ae) else {
                let text = ByteParsing.string(bytes, as_, ae).trimmingCharacters(in: .whitespacesAndNewlines)
                throw AnalyticsInputError(line: line, message: "unparseable amount '\(text)'")
            }
            guard amount >= 0 else {
                throw AnalyticsInputError(line: line, message: "negative amount \(amount)")
            }
            customerIndex.append(interner.intern(bytes, ca, cb))
            days.append(Int32(truncatingIfNeeded: day))
            amounts.append(amount)
        }
        return TransactionTable(
            customerIDs: interner.strings(bytes), customerIndex: customerIndex, day: days, amount: amounts)
    }
}
