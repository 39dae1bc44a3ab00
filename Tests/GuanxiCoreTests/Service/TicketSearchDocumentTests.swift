import Testing
@testable import GuanxiCore

@Suite("Ticket search documents and queries")
struct TicketSearchDocumentTests {
    @Test func notesAreKeptApartAndEveryCharacterOfARunIsATokenStart() {
        let d = TicketSearchDocument(subject: "退款申请 ＡＣＭＥ", messages: [(false, "王小明 called"), (true, "内部备注"), (false, "好的")])
        #expect(d.words == "退款申请 acme\n王小明 called\n好的")
        #expect(d.notes == "内部备注")
        // each pair, and each run's last character, so "明" and "请" are found by a one-character prefix
        #expect(d.wordBigrams == "退款 款申 申请 请 王小 小明 明 好的 的")
        #expect(d.noteBigrams == "内部 部备 备注 注")
        // customers' documents are as before
        #expect(SearchText.bigramDocument("王小明") == "王小 小明")
    }

    @Test func queriesKeepOnlyWhatAnIndexCanFind() {
        let t = TicketSearchTerms("  退款 a* ＳＦ123 王 NEAR( ab ")
        #expect(t?.long == ["near(", "sf123"])
        #expect(t?.cjkShort == ["王", "退款"])
        #expect(TicketSearchTerms("ab c") == nil && TicketSearchTerms("   ") == nil)
        #expect(TicketSearchTerms(String(repeating: "长", count: 5_000))?.long.first?.count == SearchText.maxQueryLength)
    }
}
