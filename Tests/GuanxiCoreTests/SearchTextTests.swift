import Testing
@testable import GuanxiCore

@Suite("SearchText")
struct SearchTextTests {
    @Test func bigramDocumentEmitsPairsPerCJKRunAndDropsLatin() {
        #expect(SearchText.bigramDocument("王小明 Acme 上海华为") == "王小 小明 上海 海华 华为")
    }

    @Test func bigramDocumentRemovesDuplicates() {
        #expect(SearchText.bigramDocument("王芳芳") == "王芳 芳芳")
        #expect(SearchText.bigramDocument("王芳 王芳") == "王芳")
    }

    @Test func bigramDocumentEmitsSingleCharacterRuns() {
        #expect(SearchText.bigramDocument("王 A 李四") == "王 李四")
    }

    @Test func bigramDocumentOfLatinOnlyTextIsEmpty() {
        #expect(SearchText.bigramDocument("Acme Trading 123") == "")
    }

    @Test func bigramDocumentHandlesKanaHangulAndExtensionB() {
        #expect(SearchText.bigramDocument("すし 김치 𠀀𠀁") == "すし 김치 𠀀𠀁")
    }

    @Test(arguments: [("王芳", ["王芳"]), ("王", ["王"]), (" 王 ", ["王"])])
    func bigramQueryAcceptsOneOrTwoCJKCharacters(_ query: String, _ expected: [String]) {
        #expect(SearchText.bigramQuery(query) == expected)
    }

    @Test(arguments: ["王小明", "王a", "ab", "", "王 芳", "138"])
    func bigramQueryRejectsOtherQueries(_ query: String) {
        #expect(SearchText.bigramQuery(query) == nil)
    }

    @Test func isCJKClassifiesScalars() {
        #expect(SearchText.isCJK("王"))
        #expect(SearchText.isCJK("㐀"))
        #expect(SearchText.isCJK("カ"))
        #expect(SearchText.isCJK("한"))
        #expect(!SearchText.isCJK("A"))
        #expect(!SearchText.isCJK("，"))
    }

    @Test func normalizeQueryFoldsWidthCaseAndWhitespace() {
        #expect(SearchText.normalizeQuery("  ＡＣＭＥ\u{3000}\u{3000}Trading\t１３８  ") == "acme trading 138")
    }

    @Test func normalizeQueryCapsLengthAt100Characters() {
        let query = SearchText.normalizeQuery(String(repeating: "王", count: 150))
        #expect(query.count == 100)
    }

    @Test func foldForIndexLowercasesAndFoldsFullWidth() {
        #expect(SearchText.foldForIndex("Ｗang XiaoMing ＠ＡＣＭＥ") == "wang xiaoming @acme")
    }
}
