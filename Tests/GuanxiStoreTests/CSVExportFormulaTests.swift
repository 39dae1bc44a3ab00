import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

/// The customer export never hands a spreadsheet a formula, and the import reads the export back unchanged.
@Suite("Customer CSV export: formulas neutralised, import round trip")
struct CSVExportFormulaTests {
    static let names = ["=1+2+cmd|' /C calc'!A0", "'quoted", "-5", "@x", "+86 客户", "'=1+2", "王小明", "😀 笑脸"]

    @Test(arguments: Backend.all)
    func anExportIsInertInASpreadsheetAndImportsBackUnchanged(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            // given customers whose names and tags start like formulas, or with an apostrophe
            var ids: [String: String] = [:]
            for (i, name) in Self.names.enumerated() {
                var d = CustomerDraft(); d.kind = .person; d.name = name; d.emails = ["f\(i)@example.com"]; d.tags = ["=SUM(A1)", "普通"]
                ids[name] = try await s.customers.create(owner, d).id
            }
            // when they are exported
            var data = Data()
            _ = try await CustomerExporter(store: s.customers).export(owner) { data += $0 }
            let text = String(decoding: data, as: UTF8.self)
            // then no cell starts like a formula: each such cell carries one apostrophe more
            #expect(text.contains(",'=1+2+cmd|' /C calc'!A0,") && text.contains(",'-5,") && text.contains(",'@x,") && text.contains(",'+86 客户,"))
            #expect(text.contains(",''=1+2,") && text.contains(",'quoted,") && text.contains(",'=SUM(A1);普通"))
            for t in ["=", "+", "-", "@"] { #expect(!text.contains("," + t) && !text.contains("\n" + t), "\(t)") }
            // and importing the file changes nobody: every name and tag reads back as it was
            let report = try await s.customerImporter.run(owner, data: data)
            #expect(report.created == 0 && report.rejected == 0, "\(report.errors)")
            for name in Self.names {
                let c = try await s.customers.get(owner, id: try #require(ids[name]))
                #expect(c.name == name)
                #expect(c.tags == ["=SUM(A1)", "普通"])
            }
        }
    }
}
