import Foundation
import Testing
@testable import GuanxiCore

@Suite("Knowledge-base articles: what they may hold, and the text their search reads")
struct ArticleRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aNewArticleIsADraftForStaffUntilSaidOtherwise() throws {
        let a = try ArticleRules.apply(ArticleDraft(category: " 售后\n服务 ", texts: ["zh-Hans": .init(title: " 如何退货 ", body: "七天内 😊")]),
                                       to: nil, id: "a1", now: now, by: "u1")
        #expect(a.category == "售后 服务" && a.status == "draft" && a.visibility == "internal" && a.publishedAt == nil && !a.isPublic)
        #expect(a.texts["zh-Hans"]?.title == "如何退货")
        let published = try ArticleRules.apply(ArticleDraft(status: "published", visibility: "public"), to: a, id: "a1", now: now, by: "u1")
        #expect(published.isPublic && published.publishedAt == now && published.texts == a.texts)
    }

    @Test func everyBadFieldIsNamedAtOnce() {
        do {
            _ = try ArticleRules.apply(ArticleDraft(category: "", status: "live", visibility: "everyone",
                                                    texts: ["fr": .init(title: "x", body: "y"), "en": .init(title: "", body: "no title"),
                                                            "zh-Hant": .init(title: String(repeating: "長", count: 201), body: "x")]),
                                       to: nil, id: "a", now: now, by: nil)
            Issue.record("accepted")
        } catch let DomainError.validation(f) {
            #expect(Set(f.keys) == ["category", "status", "visibility", "texts.fr", "texts.en.title", "texts.zh-Hant.title"])
        } catch { Issue.record("\(error)") }
        #expect(throws: DomainError.self) { try ArticleRules.apply(ArticleDraft(category: "x", texts: [:]), to: nil, id: "a", now: now, by: nil) }
    }

    @Test func theTextFallsBackThroughTheLanguagesAndTheIndexesReadEveryOne() throws {
        let a = try ArticleRules.apply(ArticleDraft(category: "ＡＢＣ 物流", texts: ["zh-Hant": .init(title: "運送時間", body: "Two DAYS"),
                                                                                 "en": .init(title: "Delivery", body: "x")]),
                                       to: nil, id: "a", now: now, by: nil)
        #expect(a.text(in: "zh-Hans").language == "zh-Hant" && a.text(in: "en").text.title == "Delivery")
        let doc = ArticleRules.searchDocument(a)
        #expect(doc.contains("abc 物流") && doc.contains("two days") && doc.contains("運送時間"))
        #expect(ArticleRules.bigramDocument(a).split(separator: " ").contains("運送"))
    }
}
