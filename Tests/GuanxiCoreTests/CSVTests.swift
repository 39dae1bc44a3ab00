import Foundation
import Testing
@testable import GuanxiCore

@Suite("CSVReader")
struct CSVReaderTests {
    @Test func parsesQuotedFieldsWithCommasAndDoubledQuotes() {
        // given
        let text = "name,note\r\n\"Wang, Xiaoming\",\"He said \"\"hi\"\"\"\r\n"
        // when
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(issues.isEmpty)
        #expect(records.map(\.fields) == [["name", "note"], ["Wang, Xiaoming", "He said \"hi\""]])
    }

    @Test func acceptsLFAndCRLFLineEndingsAndMissingFinalNewline() {
        let (records, issues) = CSVReader.parse("a,b\nc,d\r\ne,f")
        #expect(issues.isEmpty)
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func keepsEmptyFields() {
        let (records, _) = CSVReader.parse("a,,c,\n")
        #expect(records.first?.fields == ["a", "", "c", ""])
    }

    @Test func embeddedNewlineKeepsFollowingLineNumbersRight() {
        // given: record 2 spans physical lines 2–4
        let text = "name,note\n王小明,\"第一行\n第二行\r\n第三行\"\n王芳,ok\n"
        // when
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(issues.isEmpty)
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields[1] == "第一行\n第二行\r\n第三行")
    }

    @Test func brokenQuotingOnLine3IsReportedAndOtherRowsSurvive() {
        // given: 6 lines, line 3 has a quote inside an unquoted field
        let text = """
            name,phone
            王小明,13812345678
            李"四,13912345678
            王芳,13712345678
            张伟,13612345678
            刘洋,13512345678

            """
        // when
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(issues.map(\.line) == [3])
        #expect(records.map(\.line) == [1, 2, 4, 5, 6])
        #expect(records.map { $0.fields[0] } == ["name", "王小明", "王芳", "张伟", "刘洋"])
    }

    @Test func junkAfterClosingQuoteIsReported() {
        let (records, issues) = CSVReader.parse("a,b\n\"x\"y,z\nc,d\n")
        #expect(issues.map(\.line) == [2])
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"]])
    }

    @Test func unterminatedQuoteDoesNotSwallowTheRestOfTheFile() {
        // given: line 2 opens a quote that never closes
        let text = "name,note\n王小明,\"oops\n王芳,fine\n张伟,also fine\n"
        // when
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(issues.map(\.line) == [2])
        #expect(records.map(\.line) == [1, 3, 4])
        #expect(records.map { $0.fields[0] } == ["name", "王芳", "张伟"])
    }

    @Test func unterminatedQuoteClosedByALaterQuotedFieldResyncsAfterItsStartLine() {
        // given: the stray quote on line 2 pairs with the first quote on line 4
        let text = "a,b\n1,\"stray\n2,x\n3,\"quoted\",y\n4,z\n"
        // when
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(issues.first?.line == 2)
        #expect(records.map(\.line) == [1, 3, 4, 5])
        #expect(records[2].fields == ["3", "quoted", "y"])
    }

    @Test func quotedFieldSpanningTooManyLinesIsReportedAtItsStart() {
        // given
        let text = "a\n\"x\n1\n2\n3\n4\nb\n"
        // when
        let (records, issues) = CSVReader.parse(text, delimiter: ",", maxLinesPerRecord: 3)
        // then
        #expect(issues.map(\.line) == [2])
        #expect(records.map(\.fields) == [["a"], ["1"], ["2"], ["3"], ["4"], ["b"]])
    }

    @Test func skipsBlankLinesAndLeadingBOM() {
        let (records, _) = CSVReader.parse("\u{FEFF}姓名\n\n王芳\n")
        #expect(records.map(\.fields) == [["姓名"], ["王芳"]])
        #expect(records.map(\.line) == [1, 3])
    }

    @Test func honoursSemicolonDelimiter() {
        let (records, _) = CSVReader.parse("a;\"b;c\"\n", delimiter: ";")
        #expect(records.first?.fields == ["a", "b;c"])
    }

    @Test(arguments: [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("\"x;y\",b,c", ","), ("single", ",")] as [(String, Character)])
    func sniffsDelimiterFromHeaderLine(_ header: String, _ expected: Character) {
        #expect(CSVReader.sniffDelimiter(header) == expected)
    }

    @Test func streamingReaderYieldsTheSameRecordsAndIssuesAsParse() {
        // given
        let text = "a,b\n1,\"2\n3\"\nbad\"quote\n4,5\n"
        // when
        let all = Array(CSVReader(text))
        // then
        let records = all.compactMap { try? $0.get() }
        let issues = all.compactMap { if case .failure(let issue) = $0 { issue } else { nil } }
        #expect(records == CSVReader.parse(text).records)
        #expect(issues == CSVReader.parse(text).issues)
    }

    @Test func readerFromDataDecodesGB18030AndSniffsSemicolon() throws {
        // given
        let data = try #require(TextDecoding.encodeGB18030("姓名;手机\n王小明;13812345678\n"))
        // when
        let records = CSVReader(data: data).compactMap { try? $0.get() }
        // then
        #expect(records.map(\.fields) == [["姓名", "手机"], ["王小明", "13812345678"]])
    }
}

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeededAndTerminatesWithCRLF() {
        let row = CSVWriter.row(["plain", "a,b", "say \"hi\"", "line\nbreak", ""])
        #expect(row == "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\r\n")
    }

    @Test func emojiAndChineseSurviveWriterReaderRoundTrip() {
        // given
        let rows = [["王小明", "喜欢🍵和☕️", "line1\r\nline2"], ["👨‍👩‍👧", "\"quoted\", 逗号", ""]]
        // when
        let data = CSVWriter.document(header: ["姓名", "备注", "地址"], rows: rows, bom: true)
        let (text, encoding) = TextDecoding.decode(data)
        let (records, issues) = CSVReader.parse(text)
        // then
        #expect(encoding == .utf8BOM)
        #expect(issues.isEmpty)
        #expect(records.map(\.fields) == [["姓名", "备注", "地址"]] + rows)
    }

    @Test func documentWithoutBOMStartsWithHeader() {
        let data = CSVWriter.document(header: ["name"], rows: [["x"]], bom: false)
        #expect(Array(data) == Array("name\r\nx\r\n".utf8))
    }
}
