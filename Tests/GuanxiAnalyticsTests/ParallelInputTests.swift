import Foundation
import Testing
@testable import GuanxiAnalytics

/// The chunked (parallel) CSV parse must give exactly the serial table and the serial errors.
@Suite("Parallel CSV parse")
struct ParallelInputTests {
    /// A CSV with blank lines, CRLF, quotes, ids longer than 16 bytes and ids sharing a 16-byte prefix.
    static func sampleCSV(rows: Int, seed: UInt64) -> String {
        sampleLines(rows: rows, seed: seed).joined(separator: "\n") + "\n"
    }

    /// The lines of ``sampleCSV(rows:seed:)`` (some end in CR), header first.
    static func sampleLines(rows: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        var lines = ["customer_id,date,amount"]
        for i in 0..<rows {
            let c = Int(rng.next() % 37)
            let id: String
            switch c % 4 {
            case 0: id = "c\(c)"
            case 1: id = "\"q\(c)\""
            case 2: id = "customer-with-a-long-id-\(c)"
            default: id = "0123456789abcdef\(c)"  // same first 16 bytes for all of these
            }
            let day = 1 + Int(rng.next() % 28)
            let date = c % 3 == 0 ? "2021-03-\(String(format: "%02d", day))" : "202103\(String(format: "%02d", day))"
            let amount = String(format: "%.2f", Double(rng.next() % 100_000) / 100)
            lines.append("\(id),\(date),\(amount)" + (i % 7 == 0 ? "\r" : ""))
            if i % 11 == 5 { lines.append("") }
        }
        return lines
    }

    static func parse(_ text: String, chunks: Int) throws -> TransactionTable {
        try Data(text.utf8).withUnsafeBytes { raw in
            try TransactionCSV.parse(raw.bindMemory(to: UInt8.self), chunks: chunks)
        }
    }

    static func error(_ text: String, chunks: Int) -> AnalyticsInputError? {
        do {
            _ = try parse(text, chunks: chunks)
            return nil
        } catch {
            return error as? AnalyticsInputError
        }
    }

    static func same(_ a: TransactionTable, _ b: TransactionTable) -> Bool {
        a.customerIDs == b.customerIDs && a.customerIndex == b.customerIndex && a.day == b.day
            && a.amount.map(\.bitPattern) == b.amount.map(\.bitPattern)
    }

    @Test func chunkedParseGivesTheSerialTable() throws {
        // given
        let csv = Self.sampleCSV(rows: 500, seed: 7)
        // when
        let serial = try Self.parse(csv, chunks: 1)
        // then every chunk count gives the same table, ids in order of first appearance
        #expect(serial.count == 500)
        #expect(serial.customerIDs.contains("q1"))
        #expect(serial.customerIDs.contains("customer-with-a-long-id-2"))
        for chunks in [2, 3, 5, 8, 64, 700] {
            #expect(Self.same(try Self.parse(csv, chunks: chunks), serial), "chunks \(chunks)")
        }
        #expect(Self.same(try TransactionCSV.parse(csv), serial))
    }

    @Test func idsSharingSixteenBytePrefixStayDistinct() throws {
        // given ids that differ only after the inline 16-byte key prefix, and one exactly 16 bytes
        let csv = "customer_id,date,amount\n0123456789abcdefX,2021-01-01,1\n0123456789abcdefY,2021-01-01,2\n"
            + "0123456789abcdef,2021-01-01,3\n0123456789abcdefX,2021-01-02,4\n"
        // when
        let t = try Self.parse(csv, chunks: 2)
        // then
        #expect(t.customerIDs == ["0123456789abcdefX", "0123456789abcdefY", "0123456789abcdef"])
        #expect(t.customerIndex == [0, 1, 2, 0])
    }

    @Test func internerKeepsEveryIdThroughGrowth() {
        // given more ids than the initial table holds
        let ids = (0..<5_000).map { $0 % 3 == 0 ? "id\($0)" : "a-rather-long-customer-id-\($0)" }
        let text = ids.joined(separator: "\n")
        // when
        var interner = ByteStringInterner(expected: 4)
        var got: [Int32] = []
        Data(text.utf8).withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for round in 0..<2 {
                start = 0
                for (i, id) in ids.enumerated() {
                    let end = start + id.utf8.count
                    let index = interner.intern(bytes, start, end)
                    if round == 1 { got.append(index) } else { #expect(index == Int32(i)) }
                    start = end + 1
                }
            }
            // then the strings come back in index order
            #expect(interner.strings(bytes) == ids)
        }
        #expect(got == (0..<Int32(5_000)).map { $0 })
    }

    @Test func badRowIsReportedWithItsSerialLineNumberWhereverChunksFall() {
        // given a bad value on every line in turn, and every chunk count up to 9
        let lines = Self.sampleLines(rows: 40, seed: 3) + [""]
        let bad = ["c1,2021-13-01,5", "c1,2021-01-01,-2", "c1,2021-01-01", "c1,2021-01-01,x", ",2021-01-01,1"]
        for (k, badLine) in bad.enumerated() {
            for position in 1..<(lines.count - 1) {
                var copy = lines
                copy[position] = badLine
                // a second bad line later must not win over the first
                if position + 3 < lines.count - 1 { copy[position + 3] = bad[(k + 1) % bad.count] }
                let csv = copy.joined(separator: "\n")
                let serial = Self.error(csv, chunks: 1)
                #expect(serial?.line == position + 1)
                for chunks in 2...9 {
                    #expect(Self.error(csv, chunks: chunks) == serial, "line \(position + 1), chunks \(chunks)")
                }
            }
        }
    }

    @Test func errorsAfterBlankLinesAndWithoutFinalNewlineKeepTheirNumbers() {
        // given blank lines in an early chunk and a bad last line without a newline
        let csv = "customer_id,date,amount\n\n\na,2021-01-01,1\n\r\nb,2021-01-02,2\nc,2021-01-03,oops"
        // when / then
        for chunks in 1...6 {
            #expect(Self.error(csv, chunks: chunks) == AnalyticsInputError(line: 7, message: "unparseable amount 'oops'"))
        }
    }

    @Test func headerOnlyAndEmptyBodyParse() throws {
        for chunks in 1...3 {
            #expect(try Self.parse("customer_id,date,amount", chunks: chunks).count == 0)
            #expect(try Self.parse("customer_id,date,amount\n\n", chunks: chunks).count == 0)
        }
    }

    @Test func largeInputTakesTheParallelPathAndMatchesSerial() throws {
        // given more bytes than the parallel threshold
        var rng = SplitMix64(seed: 11)
        var text = "customer_id,date,amount\n"
        text.reserveCapacity(TransactionCSV.parallelThreshold + 1_000_000)
        while text.utf8.count < TransactionCSV.parallelThreshold + 100_000 {
            text += "cust\(rng.next() % 50_000),2020-0\(1 + rng.next() % 9)-1\(rng.next() % 10),\(rng.next() % 10_000).\(rng.next() % 100)\n"
        }
        // when
        let parallel = try TransactionCSV.parse(text)
        let serial = try Self.parse(text, chunks: 1)
        // then
        #expect(Self.same(parallel, serial))
    }
}
