import Foundation
import Testing
@testable import GuanxiCore

/// Spreadsheet formulas in exported cells (CSV injection): a cell Excel or WPS would run is written
/// as text, and the reader takes it back exactly as it was.
@Suite("CSV: formulas are neutralised on export and restored on import")
struct CSVFormulaTests {
    /// Values a user may type, and values crafted to confuse the rule.
    static let values = ["=1+2", "=1+2+cmd|' /C calc'!A0", "+86 138 0000 0000", "-5", "-", "@x", "@SUM(A1)", "\t=1", "\r=1", "'quoted",
                         "'=1+2", "''@x", "'", "''", "'-'", "王小明", "😀 笑", "=王", "a=b", "", " =1", "\"=1\"", "=1,2", "=\"x\"\r\n"]

    @Test func aCellThatStartsLikeAFormulaIsWrittenAsText() {
        let row = CSVWriter.row(["=1+2+cmd|' /C calc'!A0", "+1", "-x", "@x", "\tx", "'quoted", "王小明", "a=b", "'=1"])
        #expect(row == "'=1+2+cmd|' /C calc'!A0,'+1,'-x,'@x,'\tx,'quoted,王小明,a=b,''=1\r\n")
        // a carriage return also makes the cell quoted
        #expect(CSVWriter.row(["\r=1"]) == "\"'\r=1\"\r\n")
    }

    @Test func everyValueSurvivesAnExportAndAnImport() {
        let data = CSVWriter.document(header: ["名称", "备注"], rows: Self.values.map { [$0, "备注 " + $0] }, bom: true)
        let (text, _) = TextDecoding.decode(data)
        let (records, issues) = CSVReader.parse(text)
        #expect(issues.isEmpty)
        #expect(records.dropFirst().map(\.fields) == Self.values.map { [$0, "备注 " + $0] })
        // no written cell starts like a formula
        for t in ["=", "+", "-", "@", "\t"] {
            #expect(!text.contains("\r\n" + t) && !text.contains("," + t) && !text.contains(",\"" + t), "\(t)")
        }
    }

    @Test func aNumberTheExporterWroteStaysANumberAndOnlyThat() {
        // a negative amount stays readable as a number; text in a number column is still neutralised
        #expect(CSVWriter.row(cells: [.number("-5"), .number("-12.50"), .number("3"), .number(""), .text("-5")]) == "-5,-12.50,3,,'-5\r\n")
        #expect(CSVWriter.row(cells: [.number("-1+2"), .number("=1"), .number("-"), .number("-inf"), .number("1e5")]) == "'-1+2,'=1,'-,'-inf,1e5\r\n")
    }

    @Test func restoreUndoesNeutraliseForEveryValueAndLeavesOtherCellsAlone() {
        for v in Self.values { #expect(CSVWriter.restore(CSVWriter.neutralise(v)) == v, "\(v.debugDescription)") }
        // a cell someone else wrote with an apostrophe before a formula reads as Excel shows it
        #expect(CSVWriter.restore("'=1") == "=1" && CSVWriter.restore("'quoted") == "'quoted" && CSVWriter.restore("'") == "'")
    }
}

/// A custom field's number that no field holds is refused by name, never stored (infinity would not even be JSON).
@Suite("Custom fields: numbers too large")
struct CustomFieldRangeTests {
    @Test func anInfiniteOrHugeNumberIsTooLargeAndAnOrdinaryOneIsKept() {
        let whole = CustomFieldDefinition(key: "count", label: "数量", type: .number)
        let decimal = CustomFieldDefinition(key: "spend", label: "消费", type: .decimal)
        #expect(whole.normalize(.number(.infinity)).message == .tooLarge && whole.normalize(.number(1e20)).message == .tooLarge)
        #expect(decimal.normalize(.number(-.infinity)).message == .tooLarge)
        #expect(whole.normalize(.number(42)).0 == .number(42) && decimal.normalize(.number(-12.5)).0 == .number(-12.5))
    }
}
