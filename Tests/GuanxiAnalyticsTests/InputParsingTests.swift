import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("CSV input")
struct InputParsingTests {
    @Test func negativeAmountIsRejectedWithItsLineNumber() {
        // given
        let csv = "customer_id,date,amount\na,2020-01-01,5\n\nb,2020-01-02,-1.5\n"
        // when / then
        #expect(throws: AnalyticsInputError(line: 4, message: "negative amount -1.5")) {
            try TransactionCSV.parse(csv)
        }
    }

    @Test func unparseableDateIsRejectedWithItsLineNumber() {
        // given
        let csv = "customer_id,date,amount\na,2020-01-01,5\nb,2020-02-30,1\n"
        // when
        let error = #expect(throws: AnalyticsInputError.self) { try TransactionCSV.parse(csv) }
        // then
        #expect(error?.line == 3)
        #expect(error?.message.contains("2020-02-30") == true)
    }

    @Test func bothDateFormatsParseToTheSameDay() throws {
        // given
        let csv = "customer_id,date,amount\na,20200102,5\na,2020-01-02,1\n"
        // when
        let t = try TransactionCSV.parse(csv)
        // then
        #expect(t.day[0] == t.day[1])
        #expect(CivilDate.string(ofDay: Int(t.day[0])) == "2020-01-02")
    }

    @Test func columnsMayComeInAnyOrderWithCRLF() throws {
        // given
        let csv = "amount,customer_id,date,note\r\n12.5,\"x\",2021-03-04,hi\r\n"
        // when
        let t = try TransactionCSV.parse(csv)
        // then
        #expect(t.customerIDs == ["x"])
        #expect(t.amount == [12.5])
    }

    @Test func missingColumnIsReported() {
        // given / when / then
        #expect(throws: AnalyticsInputError.self) { try TransactionCSV.parse("customer,date,amount\na,2020-01-01,1\n") }
    }

    @Test func unparseableAmountIsRejectedWithItsLineNumber() {
        // given
        let csv = "customer_id,date,amount\na,2020-01-01,abc\n"
        // when
        let error = #expect(throws: AnalyticsInputError.self) { try TransactionCSV.parse(csv) }
        // then
        #expect(error?.line == 2)
    }

    @Test func basketRowsGroupByBasketAndDeduplicateItems() throws {
        // given
        let csv = "basket_id,item\n1,a\n2,b\n1,b\n1,a\n"
        // when
        let t = try BasketCSV.parse(csv)
        // then
        #expect(t.baskets.count == 2)
        #expect(t.baskets[0].map { t.items[Int($0)] } == ["a", "b"])
    }

    @Test func civilDateRoundTripsAcrossCenturies() {
        // given
        let days = [-719_468, -1, 0, 10_000, 20_000, 2_932_896]
        // when / then
        for d in days {
            let c = CivilDate.components(ofDay: d)
            #expect(CivilDate.dayNumber(year: c.year, month: c.month, day: c.day) == d)
        }
    }
}
