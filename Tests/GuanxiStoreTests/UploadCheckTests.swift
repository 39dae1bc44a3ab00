import Foundation
import Testing
import GuanxiCore
import GuanxiTestSupport
@testable import GuanxiStore

/// Files checked as they arrive for an import: pictures, PDFs and archives refused with what to do,
/// workbooks read, every encoding Excel saves "CSV" in decoded, an unreadable first row refused.
@Suite("Import uploads: file kinds, encodings, workbooks")
struct UploadCheckTests {
    static var workbook: Data { Fixtures.workbook }

    func field(_ error: any Error) -> String? {
        if case DomainError.validation(let fields) = error { return fields["file"]?.text }
        return nil
    }

    @Test func aWorkbooksFirstSheetReadsAsTheCSVExcelWouldSave() throws {
        let rows = try XLSXReader.rows(Self.workbook)
        #expect(rows.count == 5)
        #expect(rows[0] == ["姓名", "手机", "邮箱", "生日", "备注"])
        #expect(rows[1] == ["王小明", "13812345678", "wang@example.com", "2025-01-21", "A & B <VIP>, \"引号\""])
        #expect(rows[2] == [])
        #expect(rows[3] == ["李雷", "1.5", "li@example.com", "2025-01-21 12:00", "", "=1+1"])
        #expect(rows[4] == ["😀 Emoji", "-3", "", "", "第二行\n换行"])
        // as CSV: quoted where needed, the formula neutralised as exports are, line N is row N
        let csv = try XLSXReader.csv(Self.workbook)
        let parsed = CSVReader.parse(csv).records
        #expect(parsed.map(\.fields) == rows.filter { !$0.isEmpty })
        #expect(parsed.map(\.line).prefix(3) == [1, 2, 4])
        // the upload check passes it through as UTF-8 CSV
        let prepared = try ImportUpload.prepare(Self.workbook)
        #expect(String(decoding: prepared, as: UTF8.self) == csv)
    }

    @Test func numbersDatesAndColumnsReadAsExcelShowsThem() {
        #expect(XLSXReader.number("1.3812345678E10") == "13812345678")
        #expect(XLSXReader.number("0.1") == "0.1")
        #expect(XLSXReader.number("42") == "42")
        #expect(XLSXReader.excelDate("0", date1904: true) == "1904-01-01")
        #expect(XLSXReader.excelDate("25569.25", date1904: false) == "1970-01-01 06:00")
        #expect(XLSXReader.excelDate("-1", date1904: false) == nil)
        #expect(XLSXReader.columnIndex("A1") == 0 && XLSXReader.columnIndex("AB12") == 27 && XLSXReader.columnIndex("12") == nil)
        #expect(XLSXReader.isDateFormat("yyyy\"年\"m\"月\"d\"日\"") && !XLSXReader.isDateFormat("#,##0.00 \"dm\"") && !XLSXReader.isDateFormat("[Red]0.00"))
        #expect(XMLScan.unescape(ArraySlice("a &amp; &lt;b&gt; &#x4E2D;&#25991; &bogus; &".utf8)) == "a & <b> 中文 &bogus; &")
    }

    @Test func damagedOrHostileArchivesAreRefusedWithASentence() throws {
        // a ZIP that is not a workbook
        var zip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(field(try #require(throws: DomainError.self) { try ImportUpload.prepare(Data(zip)) })?.contains("compressed archive") == true)
        // a workbook cut short
        #expect(field(try #require(throws: DomainError.self) { try ImportUpload.prepare(Self.workbook.prefix(1500)) })?.contains("could not be read") == true)
        // a part that inflates past the limit stops there
        #expect(throws: XLSXReader.Failure.tooLarge) { try XLSXReader.rows(Self.workbook, limit: 100) }
        // bytes flipped inside the sheet's deflated member: refused or read as whatever it now says, never a crash
        var broken = [UInt8](Self.workbook)
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        let at = try #require((0..<(broken.count - name.count)).first { Array(broken[$0..<($0 + name.count)]) == name })
        for i in (at + name.count + 10)..<(at + name.count + 40) { broken[i] ^= 0x5A }
        _ = try? ImportUpload.prepare(Data(broken))
        zip = [0x50, 0x4B, 0x03, 0x04] + Array("xl/workbook.xml".utf8)
        #expect(throws: DomainError.self) { try ImportUpload.prepare(Data(zip)) }
    }

    @Test func picturesPDFsAndOldWorkbooksAreRefusedAtOnceWithWhatToDo() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + Array("IHDR".utf8)
        let cases: [([UInt8], String)] = [
            (png, "picture"), ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "picture"), (Array("GIF89a".utf8), "picture"),
            (Array("%PDF-1.7\n".utf8), "PDF"), ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], ".xls"),
            ([0x00, 0x01, 0x02, 0x03, 0x41, 0x00, 0x00, 0x00, 0x42], "not text"),
        ]
        for (bytes, word) in cases {
            let e = try #require(throws: DomainError.self) { try ImportUpload.prepare(Data(bytes)) }
            let text = try #require(field(e))
            #expect(text.contains(word) && text.contains("CSV UTF-8"), "\(text)")
        }
        #expect(field(try #require(throws: DomainError.self) { try ImportUpload.prepare(Data()) }) == "the upload is empty")
    }

    @Test func everyEncodingExcelSavesReadsAndAnUnreadableHeaderIsRefused() throws {
        let text = "姓名,電話,備註\n陳大文,0912345678,臺北 😀\n"
        // Big5 (Traditional Chinese Excel's "CSV"): read as Big5, not as GB18030 mojibake
        let big5 = try #require(TextDecoding.encode("姓名,電話,備註\n陳大文,0912345678,臺北\n", charset: "BIG5-HKSCS"))
        let b = try UploadCheck.text(Data(big5))
        #expect(b.encoding == .big5 && b.header == ["姓名", "電話", "備註"])
        // GBK text stays GB18030
        let gb = try #require(TextDecoding.encodeGB18030("姓名,电话,备注\n王小明,13812345678,上海\n"))
        #expect(try UploadCheck.text(gb).encoding == .gb18030)
        #expect(TextDecoding.looksLikeBig5([UInt8](gb)) == false)
        // UTF-16 with and without a byte-order mark, both byte orders
        for bigEndian in [false, true] {
            var bytes: [UInt8] = []
            for u in text.utf16 { bytes += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)] }
            let r = try UploadCheck.text(Data(bytes))
            #expect(r.text == text && r.encoding == (bigEndian ? .utf16BE : .utf16LE))
            #expect(try UploadCheck.text(Data((bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) + bytes)).header == ["姓名", "電話", "備註"])
        }
        // UTF-8 with a BOM, tab-separated
        #expect(try UploadCheck.text(Data([0xEF, 0xBB, 0xBF] + Array("name\tphone\n".utf8))).header == ["name", "phone"])
        // an empty first row, control characters, or undecodable bytes in it are refused
        for bad in [",,\nx,y\n", "\u{01}\u{02},a\n", "a\u{7F}b\n"] {
            let e = try #require(throws: DomainError.self) { try UploadCheck.text(Data(bad.utf8)) }
            #expect(field(e)?.hasPrefix("the first row should name the columns") == true)
        }
        // bytes no encoding reads: mostly replacement characters
        let noise = Data((0..<400).map { UInt8(0x80 + ($0 % 2 == 0 ? 0x7F : 0x00)) } + [0x0A])
        #expect(throws: DomainError.self) { try UploadCheck.text(noise) }
        // an injection string in the header is just text
        #expect(try UploadCheck.text(Data("<script>alert(1)</script>,' OR 1=1 --\n".utf8)).header == ["<script>alert(1)</script>", "' OR 1=1 --"])
    }
}
