import Foundation
import Testing
@testable import GuanxiCore

@Suite("CSVFileReader: a file read and parsed in chunks reads like the whole document")
struct CSVFileReaderTests {
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "csv-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func all(_ path: String, chunk: Int) throws -> (records: [CSVRecord], issues: [CSVIssue], encoding: SourceEncoding, seen: Int) {
        var seen = 0
        var r = try CSVFileReader(path: path, chunkSize: chunk) { seen += $0.count }
        var records: [CSVRecord] = [], issues: [CSVIssue] = []
        while let o = try r.next() {
            switch o { case .success(let x): records.append(x); case .failure(let i): issues.append(i) }
        }
        return (records, issues, r.encoding, seen)
    }

    static let text = "姓名,备注,电话\r\n王小明,\"他说\"\"你好\"\"，\r\n第二行 😀\",13800000000\r\n\r\n李雷,\"a,b\",\n\"坏引号,x,y\n韩梅梅 🌸,=1+2,+8613900000000\r\n最后,\"没有结束"

    @Test(arguments: [64, 65, 67, 100, 1 << 20])
    func utf8InAnyChunkSizeMatchesTheWholeParse(chunk: Int) throws {
        let path = try Self.file(Array(Self.text.utf8))
        let whole = CSVReader.parse(Self.text)
        let got = try Self.all(path, chunk: chunk)
        #expect(got.records == whole.records)
        #expect(got.issues == whole.issues)
        #expect(got.encoding == .utf8)
        #expect(got.seen == Self.text.utf8.count)
    }

    @Test(arguments: [64, 97])
    func gb18030AndTheBOMAreFound(chunk: Int) throws {
        let whole = CSVReader.parse(Self.text)
        let gb = try #require(TextDecoding.encodeGB18030(Self.text.replacingOccurrences(of: " 😀", with: "").replacingOccurrences(of: " 🌸", with: "")))
        let gbWhole = CSVReader.parse(Self.text.replacingOccurrences(of: " 😀", with: "").replacingOccurrences(of: " 🌸", with: ""))
        let fromGB = try Self.all(try Self.file([UInt8](gb)), chunk: chunk)
        #expect(fromGB.encoding == .gb18030)
        #expect(fromGB.records == gbWhole.records && fromGB.issues == gbWhole.issues)
        let bom = try Self.all(try Self.file([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)), chunk: chunk)
        #expect(bom.encoding == .utf8BOM)
        #expect(bom.records == whole.records)
    }

    @Test(arguments: [64, 1 << 20])
    func big5IsFoundAndReadInChunks(chunk: Int) throws {
        let text = "姓名,電話,備註\n陳大文,0912345678,臺北市\n林美玲,0922333444,\"高雄，左營\"\n"
        let big5 = try #require(TextDecoding.encode(text, charset: "BIG5-HKSCS"))
        let got = try Self.all(try Self.file(big5), chunk: chunk)
        #expect(got.encoding == .big5)
        #expect(got.records == CSVReader.parse(text).records)
    }

    @Test func aSemicolonFileAndAnEmptyFile() throws {
        let semi = try Self.all(try Self.file(Array("name;phone\nA;1\n".utf8)), chunk: 64)
        #expect(semi.records.map(\.fields) == [["name", "phone"], ["A", "1"]])
        let empty = try Self.all(try Self.file([]), chunk: 64)
        #expect(empty.records.isEmpty && empty.issues.isEmpty)
        #expect(throws: CSVFileError.self) { _ = try CSVFileReader(path: "/nonexistent/x.csv") }
    }
}
