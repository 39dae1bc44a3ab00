import Foundation

/// Reads transactions from CSV with a header naming `customer_id`, `date` and `amount`
/// (any order, extra columns ignored). Dates are `YYYY-MM-DD` or `YYYYMMDD`; amounts must be
/// finite and not negative. Blank lines are skipped. Fields may be wrapped in double quotes but
/// may not contain commas.
package enum TransactionCSV {
    /// Parses a CSV file.
    package static func read(contentsOf url: URL) throws -> TransactionTable {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return try parse(data)
    }

    /// Parses CSV text.
    package static func parse(_ text: String) throws -> TransactionTable {
        try parse(Data(text.utf8))
    }

    /// Parses CSV bytes. Errors carry the 1-based line number (the header is line 1).
    package static func parse(_ data: Data) throws -> TransactionTable {
        try data.withUnsafeBytes { raw -> TransactionTable in
            let bytes = raw.bindMemory(to: UInt8.self)
            return try parse(bytes)
        }
    }

    /// Inputs with at least this many bytes after the header are parsed in parallel chunks.
    static let parallelThreshold = 4 << 20

    /// Parses `bytes`. Large inputs are cut into `chunks` pieces (default: one per core) at line
    /// boundaries; each is parsed on its own core with its own interner, then the interners are
    /// merged in chunk order, so ids keep their order of first appearance and the table is exactly
    /// the one a serial parse gives. An error reports the first bad line of the file, numbered as in
    /// a serial parse (lines of earlier chunks counted).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, chunks requested: Int? = nil) throws -> TransactionTable {
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
        let layout = Layout(
            fieldCount: columns.count, customerColumn: customerColumn, dateColumn: dateColumn, amountColumn: amountColumn)
        let bodyStart = min(pos, n)
        let body = n - bodyStart
        let chunkCount = max(1, requested ?? (body >= parallelThreshold ? Parallel.cores : 1))
        // Cut points just after a newline, so every chunk holds whole lines.
        var cuts = [bodyStart]
        for c in 1..<chunkCount {
            var cut = max(cuts[c - 1], bodyStart + body * c / chunkCount)
            while cut < n, cut > bodyStart, bytes[cut - 1] != 0x0A { cut += 1 }
            cuts.append(cut)
        }
        cuts.append(n)
        // Lines per chunk bound its rows, so every chunk writes its rows straight into the final
        // columns from its own offset (no per-chunk arrays, no concatenation); gaps left by blank
        // or rejected lines are closed afterwards.
        var lineCounts = [Int](repeating: 0, count: chunkCount)
        lineCounts.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Parallel.forEach(chunks: chunkCount) { c in
                out[c] = countLines(bytes, cuts[c], cuts[c + 1])
            }
        }
        var rowOffsets = [0]
        for k in lineCounts { rowOffsets.append(rowOffsets.last! + k) }
        let capacity = rowOffsets.last!
        var customerIndex = [Int32](unsafeUninitializedCapacity: capacity) { $1 = capacity }
        var days = [Int32](unsafeUninitializedCapacity: capacity) { $1 = capacity }
        var amounts = [Double](unsafeUninitializedCapacity: capacity) { $1 = capacity }
        var results = [Chunk?](repeating: nil, count: chunkCount)
        customerIndex.withUnsafeMutableBufferPointer { ciOut in
            days.withUnsafeMutableBufferPointer { dOut in
                amounts.withUnsafeMutableBufferPointer { aOut in
                    results.withUnsafeMutableBufferPointer { buffer in
                        let (ci, d, a, out) = (ciOut, dOut, aOut, buffer)
                        Parallel.forEach(chunks: chunkCount) { c in
                            let base = rowOffsets[c]
                            out[c] = parseChunk(
                                bytes, cuts[c], cuts[c + 1], layout, customerIndex: ci.baseAddress! + base,
                                days: d.baseAddress! + base, amounts: a.baseAddress! + base)
                        }
                    }
                }
            }
        }
        var linesBefore = line
        for chunk in results {
            if let error = chunk!.error {
                throw AnalyticsInputError(line: linesBefore + error.line, message: error.message)
            }
            linesBefore += chunk!.lines
        }
        // Merge the interners in chunk order: chunk 0's becomes the global one, and the ids of
        // later chunks are mapped onto it (in their order of first appearance).
        var global = results[0]!.interner
        results[0]!.interner = ByteStringInterner(expected: 0)  // keep `global` uniquely referenced
        var maps: [[Int32]] = [[]]
        for c in 1..<chunkCount {
            let local = results[c]!.interner
            var map = [Int32](repeating: 0, count: local.count)
            withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 256) { keys in
                map.withUnsafeMutableBufferPointer { out in
                    var j = 0
                    while j < local.count {
                        let m = min(256, local.count - j)
                        for k in 0..<m {
                            let start = local.starts[j + k]
                            keys[k] = (start, start + Int(local.lengths[j + k]))
                        }
                        global.intern(bytes, keys: keys.baseAddress!, count: m, into: out.baseAddress! + j)
                        j += m
                    }
                }
            }
            maps.append(map)
        }
        let rows = results.map { $0!.rows }
        customerIndex.withUnsafeMutableBufferPointer { ciOut in
            let ci = ciOut
            Parallel.forEach(chunks: chunkCount) { c in
                guard c > 0 else { return }
                let base = rowOffsets[c]
                maps[c].withUnsafeBufferPointer { map in
                    for i in base..<(base + rows[c]) { ci[i] = map[Int(ci[i])] }
                }
            }
        }
        // Close the gaps (only where a chunk had blank lines), then drop the unused tail.
        var total = rows[0]
        for c in 1..<chunkCount where rows[c] > 0 {
            let from = rowOffsets[c]
            if from != total {
                customerIndex.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: total).update(from: $0.baseAddress!.advanced(by: from), count: rows[c]) }
                days.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: total).update(from: $0.baseAddress!.advanced(by: from), count: rows[c]) }
                amounts.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: total).update(from: $0.baseAddress!.advanced(by: from), count: rows[c]) }
            }
            total += rows[c]
        }
        customerIndex.removeLast(capacity - total)
        days.removeLast(capacity - total)
        amounts.removeLast(capacity - total)
        results = []
        return TransactionTable(
            customerIDs: global.strings(bytes), customerIndex: customerIndex, day: days, amount: amounts)
    }

    /// The number of lines starting in `bytes[lo..<hi]` (newlines, plus a last line without one).
    static func countLines(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        guard lo < hi else { return 0 }
        var count = 0
        for i in lo..<hi { count &+= bytes[i] == 0x0A ? 1 : 0 }
        return bytes[hi - 1] == 0x0A ? count : count + 1
    }

    /// Where the needed columns are.
    struct Layout {
        var fieldCount: Int
        var customerColumn: Int
        var dateColumn: Int
        var amountColumn: Int
    }

    /// One chunk's row count (its rows were written to the output; customers interned locally),
    /// its line count, and its first error with a chunk-relative line number (parsing stops there).
    struct Chunk {
        var rows = 0
        var interner: ByteStringInterner
        var lines = 0
        var error: AnalyticsInputError?
    }

    /// Parses the whole lines in `bytes[lo..<hi]`, writing row i to `customerIndex[i]` (chunk-local
    /// ids), `days[i]` and `amounts[i]`; there is room for one row per line.
    static func parseChunk(
        _ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ layout: Layout,
        customerIndex: UnsafeMutablePointer<Int32>, days: UnsafeMutablePointer<Int32>, amounts: UnsafeMutablePointer<Double>
    ) -> Chunk {
        let estimate = max(16, (hi - lo) / 24)
        var chunk = Chunk(interner: ByteStringInterner(expected: min(estimate / 8, 1 << 18)))
        var rows = 0
        let fieldCount = layout.fieldCount
        let fieldStart = UnsafeMutablePointer<Int>.allocate(capacity: fieldCount + 1)
        let fieldEnd = UnsafeMutablePointer<Int>.allocate(capacity: fieldCount + 1)
        // Customer ids are interned in batches (see ByteStringInterner.intern(_:keys:count:into:)).
        let batchSize = 64
        let pendingKeys = UnsafeMutablePointer<(Int, Int)>.allocate(capacity: batchSize)
        var pending = 0
        defer {
            fieldStart.deallocate()
            fieldEnd.deallocate()
            pendingKeys.deallocate()
        }
        func flush() {
            guard pending > 0 else { return }
            chunk.interner.intern(bytes, keys: pendingKeys, count: pending, into: customerIndex + rows - pending)
            pending = 0
        }
        let (customerColumn, dateColumn, amountColumn) = (layout.customerColumn, layout.dateColumn, layout.amountColumn)
        var dates = DateFieldCache()
        var pos = lo
        var line = 0
        while pos < hi {
            line += 1
            var end = pos
            var fields = 0
            fieldStart[0] = pos
            while end < hi {
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
                chunk.error = AnalyticsInputError(line: line, message: "expected \(fieldCount) fields, found \(fields)")
                break
            }
            let (ca, cb) = ByteParsing.trim(bytes, fieldStart[customerColumn], fieldEnd[customerColumn])
            guard ca < cb else {
                chunk.error = AnalyticsInputError(line: line, message: "empty customer_id")
                break
            }
            let ds = fieldStart[dateColumn], de = fieldEnd[dateColumn]
            guard let day = dates.day(bytes, ds, de) else {
                let text = ByteParsing.string(bytes, ds, de).trimmingCharacters(in: .whitespacesAndNewlines)
                chunk.error = AnalyticsInputError(
                    line: line, message: "unparseable date '\(text)' (expected YYYY-MM-DD or YYYYMMDD)")
                break
            }
            let as_ = fieldStart[amountColumn], ae = fieldEnd[amountColumn]
            guard let amount = ByteParsing.parseDouble(bytes, as_, ae) else {
                let text = ByteParsing.string(bytes, as_, ae).trimmingCharacters(in: .whitespacesAndNewlines)
                chunk.error = AnalyticsInputError(line: line, message: "unparseable amount '\(text)'")
                break
            }
            guard amount >= 0 else {
                chunk.error = AnalyticsInputError(line: line, message: "negative amount \(amount)")
                break
            }
            days[rows] = Int32(truncatingIfNeeded: day)
            amounts[rows] = amount
            rows += 1
            pendingKeys[pending] = (ca, cb)
            pending += 1
            if pending == batchSize { flush() }
        }
        flush()
        chunk.rows = rows
        chunk.lines = line
        return chunk
    }
}

/// Remembers the day of recently seen date fields (direct-mapped on the field's raw bytes):
/// transaction files repeat few distinct days, so most rows skip the digit parsing, validation and
/// calendar arithmetic. Only valid dates are remembered.
struct DateFieldCache {
    struct Entry {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var length: Int32 = -1
        var day: Int32 = 0
    }

    private var entries = [Entry](repeating: Entry(), count: 4096)

    @inline(__always)
    mutating func day(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        let length = hi - lo
        guard length > 0, length <= 16 else { return CivilDate.parse(UnsafeBufferPointer(rebasing: bytes[lo..<hi])) }
        let (w0, w1) = ByteStringInterner.prefixWords(bytes, lo, hi)
        let m = (w0 ^ 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: w1 ^ UInt64(length) ^ 0xD6E8_FEB8_6659_FD93)
        let slot = Int(truncatingIfNeeded: (m.high ^ m.low) >> 20) & 4095
        return entries.withUnsafeMutableBufferPointer { table -> Int? in
            let e = table[slot]
            if e.length == Int32(length), e.w0 == w0, e.w1 == w1 { return Int(e.day) }
            guard let day = CivilDate.parse(UnsafeBufferPointer(rebasing: bytes[lo..<hi])) else { return nil }
            if let d32 = Int32(exactly: day) { table[slot] = Entry(w0: w0, w1: w1, length: Int32(length), day: d32) }
            return day
        }
    }
}
