import Foundation
import Testing
import GuanxiTestSupport
import SQLKit
import GuanxiCore
@testable import GuanxiStore

/// The command line imports a file read in chunks; it must come out as the same import as the
/// whole file in memory, and stay one all-or-nothing transaction.
@Suite("Customer import from a file, read in chunks")
struct CustomerFileImportTests {
    static func write(_ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func csv(rows: Int) -> String {
        var s = "姓名,邮箱,手机,公司,阶段,备注\r\n"
        for i in 0..<rows {
            let stage = i % 97 == 5 ? "未知阶段" : "线索"
            let note = i % 50 == 0 ? "\"多行\r\n备注 😀，含\"\"引号\"\"\"" : "=1+2"
            s += "客户\(i) 🌸,c\(i)@file.example,+86139\(String(format: "%08d", i)),华信\(i % 7)有限公司,\(stage),\(note)\r\n"
        }
        s += "\"坏引号,x@y.example,,,,\r\n"
        return s
    }

    @Test(arguments: Backend.all)
    func aFileImportsAsTheSameBytesInMemoryWould(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let text = Self.csv(rows: 4_500)
            let path = try Self.write(Data(text.utf8))
            // a dry run of the bytes in memory says what the file should do
            let importer = stores(db).customerImporter
            let expected = try await importer.run(owner, data: Data(text.utf8), dryRun: true)
            let got = try await importer.run(owner, file: path, batchSize: 1000)
            #expect(got.total == expected.total && got.created == expected.created && got.rejected == expected.rejected)
            #expect(got.errors == expected.errors)
            #expect(got.created == 4_500 - 47 && got.rejected == 48, "\(got.created) \(got.rejected)")
            let n = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM customers WHERE kind = 'person'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(n == got.created)
            // the run's audit entry names the file's hash, computed as it was read
            let sha = try await db.read { sql in
                try await sql.raw("SELECT detail_json FROM audit_log WHERE action = 'import' ORDER BY seq DESC").first()!.decode(column: "detail_json", as: String.self)
            }
            #expect(sha.contains(Secret.hash(text)))
        }
    }

    @Test(arguments: Backend.all)
    func aGB18030FileAndAFileWithoutNamesAreReadLikeUploads(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let importer = stores(db).customerImporter
            let gb = try #require(TextDecoding.encodeGB18030("姓名,手机,城市\r\n张伟,13900001111,上海\r\n陈静,13900004444,广州\r\n"))
            let r = try await importer.run(owner, file: try Self.write(gb))
            #expect(r.encoding == "gb18030" && r.created == 2 && r.errors.isEmpty)
            await #expect(throws: DomainError.self) { try await importer.run(owner, file: try Self.write(Data("foo,bar\n1,2\n".utf8))) }
            await #expect(throws: DomainError.self) { try await importer.run(owner, file: try Self.write(Data())) }
        }
    }
}
