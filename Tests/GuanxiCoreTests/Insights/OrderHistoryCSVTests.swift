import Foundation
import Testing
@testable import GuanxiCore

@Suite("Order history rows: columns, amounts, days, stable keys")
struct OrderHistoryCSVTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func amountsAreExactMinorUnits() {
        #expect(OrderHistoryCSV.minorUnits("29.33") == 2_933 && OrderHistoryCSV.minorUnits("1,299.5") == 129_950)
        #expect(OrderHistoryCSV.minorUnits("0") == 0 && OrderHistoryCSV.minorUnits("100") == 10_000)
        for bad in ["-5", "1.234", "abc", "", ".5", "1e3", "１２", "99999999999999"] { #expect(OrderHistoryCSV.minorUnits(bad) == nil, "\(bad)") }
    }

    @Test func aDayStartsInTheWorkspacesTimeZoneAndATimeIsTakenAsWritten() {
        let d = OrderHistoryCSV.instant("19970101", timeZone: shanghai)
        #expect(d?.millis == Date(timeIntervalSince1970: 852_076_800 - 8 * 3600).millis)   // 1997-01-01 00:00 +08:00
        #expect(OrderHistoryCSV.instant("1997-01-01", timeZone: shanghai) == d && OrderHistoryCSV.instant("1997/1/1", timeZone: shanghai) == d)
        #expect(OrderHistoryCSV.instant("2026-03-02T10:00:00Z", timeZone: shanghai)?.millis == 1_772_445_600_000)
        #expect(OrderHistoryCSV.instant("2026-02-30", timeZone: shanghai) == nil)
    }

    @Test func rowsSayWhichColumnIsWrong() throws {
        let cols = try OrderHistoryCSV.columns(["Customer_External_ID", " placed_at ", "amount", "product"])
        let ok = try OrderHistoryCSV.row(["陈大文 😀", "2026-01-05", "88.80", "乌龙茶"], line: 2, columns: cols, timeZone: shanghai)
        #expect(ok.customerExternalID == "陈大文 😀" && ok.amount == 8_880 && ok.product == "乌龙茶" && ok.quantity == 1 && ok.externalID.isEmpty)
        #expect(throws: DomainError.field("amount", "'x' is not an amount (at most two decimals, not negative)")) {
            try OrderHistoryCSV.row(["a", "2026-01-05", "x"], line: 3, columns: cols, timeZone: shanghai)
        }
        #expect(throws: DomainError.field("customer_external_id", .required)) {
            try OrderHistoryCSV.row(["", "2026-01-05", "1"], line: 4, columns: cols, timeZone: shanghai)
        }
        #expect(throws: DomainError.self) { try OrderHistoryCSV.columns(["customer", "amount"]) }
    }

    @Test func theKeyOfARowIsStableAndTellsTwinsApart() throws {
        let cols = try OrderHistoryCSV.columns(["customer_external_id", "placed_at", "amount"])
        let r = try OrderHistoryCSV.row(["c1", "2026-01-05", "10"], line: 2, columns: cols, timeZone: shanghai)
        var moved = r
        moved.line = 99
        #expect(OrderHistoryCSV.key(r, occurrence: 0) == OrderHistoryCSV.key(moved, occurrence: 0))
        #expect(OrderHistoryCSV.key(r, occurrence: 0) != OrderHistoryCSV.key(r, occurrence: 1))
        var other = r
        other.amount += 1
        #expect(OrderHistoryCSV.key(r, occurrence: 0) != OrderHistoryCSV.key(other, occurrence: 0))
    }
}
