import Foundation
import Testing
@testable import GuanxiCore

@Suite("Product issues: grouping suggestion, figures, ranking, who is told of a fix")
struct ProductIssueRulesTests {
    static let issues: [(id: String, title: String, productID: String?)] = [
        (id: "01a", title: "茶叶罐密封圈漏气", productID: "p-can"),
        (id: "01b", title: "App 登录后闪退", productID: nil),
        (id: "01c", title: "礼盒包装破损", productID: "p-box"),
    ]

    @Test func aChineseTicketIsSuggestedTheIssueSharingItsBigramsAndProduct() {
        // given a defect worded differently from the issue's title but sharing 密封 / 封圈 / 漏气
        let id = ProductIssueRules.suggestion(subject: "罐子的密封圈好像漏气了", body: "买的龙井受潮 😢", productIDs: [], among: Self.issues)
        #expect(id == "01a")
        // and English words compare ignoring case and width
        #expect(ProductIssueRules.suggestion(subject: "ＡＰＰ crashes", body: "app闪退了", productIDs: [], among: Self.issues) == "01b")
        // the ticket's product breaks a tie of words: both titles share 破损, only one is the box's
        let tie: [(id: String, title: String, productID: String?)] = [(id: "02a", title: "罐身破损", productID: "p-can"),
                                                                      (id: "02b", title: "盒子破损", productID: "p-box")]
        #expect(ProductIssueRules.suggestion(subject: "收到时破损", body: "", productIDs: ["p-can"], among: tie) == "02a")
        #expect(ProductIssueRules.suggestion(subject: "收到时破损", body: "", productIDs: ["p-box"], among: tie) == "02b")
        // nothing shared: no suggestion, even for the same product; one character alone is no word
        #expect(ProductIssueRules.suggestion(subject: "请问发货时间", body: "", productIDs: ["p-can"], among: Self.issues) == nil)
        #expect(ProductIssueRules.suggestion(subject: "罐", body: "", productIDs: [], among: Self.issues) == nil)
        #expect(ProductIssueRules.suggestion(subject: "<script>'; DROP TABLE", body: "", productIDs: [], among: []) == nil)
        // feedback and defects are the types offered a suggestion
        #expect(ProductIssueRules.suggestedTypes == [.productFeedback, .defect])
    }

    @Test func figuresCountDistinctCustomersSumTheirRevenueOnceAndSpanFirstToLastReport() {
        let d = { (s: Double) in Date(timeIntervalSince1970: 1_790_000_000 + s) }
        let links = [ProductIssueLink(issueID: "i", ticketID: "t1", customerID: "c1", openedAt: d(100)),
                     ProductIssueLink(issueID: "i", ticketID: "t2", customerID: "c1", openedAt: d(50)),
                     ProductIssueLink(issueID: "i", ticketID: "t3", customerID: "c2", openedAt: d(300)),
                     ProductIssueLink(issueID: "j", ticketID: "t4", customerID: "c3", openedAt: d(10))]
        let revenue = ["c1": [Money(minor: 12_800, currency: "CNY"), Money(minor: 500, currency: "USD")], "c2": [Money(minor: 100, currency: "CNY")]]
        let f = ProductIssueRules.figures(links, revenue: revenue)
        #expect(f["i"]?.customers == 2 && f["i"]?.tickets == 3)
        // c1's revenue counts once though c1 has two tickets; currencies stay apart
        #expect(f["i"]?.revenue == [Money(minor: 12_900, currency: "CNY"), Money(minor: 500, currency: "USD")])
        #expect(f["i"]?.firstSeen == d(50) && f["i"]?.lastSeen == d(300))
        #expect(f["j"]?.revenue == [] && f["j"]?.customers == 1)
        // a viewer who does not see revenue gets none
        #expect(ProductIssueRules.figures(links, revenue: nil)["i"]?.revenue == nil)
    }

    @Test func theListRanksByCustomersOrByRevenueInTheRankingCurrency() {
        func issue(_ id: String, customers: Int, cny: Int64) -> ProductIssue {
            var i = ProductIssue(id: id, title: id, productID: nil, status: .open, externalRef: nil, externalURL: nil, pushedAt: nil, createdBy: nil,
                                 createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0), version: 1)
            i.figures.customers = customers; i.figures.revenue = [Money(minor: cny, currency: "CNY"), Money(minor: 9_999_999, currency: "USD")]
            return i
        }
        let all = [issue("a", customers: 10, cny: 100), issue("b", customers: 2, cny: 1_000_000), issue("c", customers: 10, cny: 200)]
        #expect(ProductIssueRules.ranked(all, by: .customers).map(\.id) == ["c", "a", "b"])
        #expect(ProductIssueRules.ranked(all, by: .revenue).map(\.id) == ["b", "c", "a"])
    }

    @Test func aFixNoticeGoesOncePerCustomerToTheirNewestTicketAndSkipsThoseWithoutEmail() {
        let d = { (s: Double) in Date(timeIntervalSince1970: s) }
        let (tickets, noEmail) = ProductIssueRules.recipients([
            (ticketID: "t1", customerID: "c1", openedAt: d(1), hasEmail: true), (ticketID: "t2", customerID: "c1", openedAt: d(5), hasEmail: true),
            (ticketID: "t3", customerID: "c2", openedAt: d(2), hasEmail: false), (ticketID: "t4", customerID: "c3", openedAt: d(3), hasEmail: true),
        ], alreadyTold: ["c3"])
        #expect(tickets == ["t2"] && noEmail == 1)
        // the standard words are Chinese with an English line; the agent's own words replace them
        let text = ProductIssueRules.fixNotice(number: 12, title: "密封圈漏气", custom: nil)
        #expect(text.contains("#12") && text.contains("「密封圈漏气」已经修复") && text.contains("has been fixed"))
        #expect(ProductIssueRules.fixNotice(number: 12, title: "x", custom: "已修复 ✅") == "已修复 ✅")
    }

    @Test func aChangeNamesEveryBadFieldAndCleansWhatItKeeps() throws {
        var c = ProductIssueChange()
        c.title = "  漏气\n问题 😢 "; c.externalRef = .some(" PROD-12 "); c.externalURL = .some("https://tracker.example.cn/PROD-12")
        let ok = try c.validated(creating: true)
        #expect(ok.title == "漏气 问题 😢" && ok.externalRef == .some("PROD-12"))
        var bad = ProductIssueChange()
        bad.title = String(repeating: "长", count: 201); bad.status = "done"; bad.productID = .some("x'; DROP")
        bad.externalURL = .some("javascript:alert(1)"); bad.externalRef = .some(String(repeating: "a", count: 101))
        #expect(throws: DomainError.self) { try bad.validated(creating: false) }
        do { _ = try bad.validated(creating: false) } catch {
            guard case .validation(let f) = error else { Issue.record("not a validation"); return }
            #expect(Set(f.keys) == ["title", "status", "product_id", "external_url", "external_ref"])
        }
        #expect(throws: DomainError.self) { try ProductIssueChange().validated(creating: true) }
        #expect(!ProductIssueRules.isWebAddress("https://user:pw@x.example/") && ProductIssueRules.isWebAddress("http://jira.local:8080/browse/A-1"))
    }
}
