import Foundation
import Testing
import SQLKit
import HTTPTypes
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebPortal

@Suite("Knowledge base: articles in three languages, found as customers are, suggested in the portal, counted when they deflect a request")
struct KnowledgeWebTests {
    static func article(_ env: WebEnv, _ texts: [String: (String, String)], category: String = "售后", status: String = "published",
                        visibility: String = "public", as auth: Auth = .admin) async throws -> J {
        var t: [String: JSONValue] = [:]
        for (l, (title, body)) in texts { t[l] = .object(["title": .string(title), "body": .string(body)]) }
        let r = try await env.send(.post, "/api/v1/kb/articles", as: auth, json: json(["category": str(category), "status": str(status),
                                                                                       "visibility": str(visibility), "texts": .object(t)]))
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }

    @Test(arguments: Backend.all)
    func theListPagesWithACursorAndFiltersByStateBeforePaging(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given five published articles about returns, then three drafts (the newest changes)
            for i in 0..<5 { _ = try await Self.article(env, ["zh-Hans": ("退货说明 \(i)", "七天无理由退货 \(i)")]) }
            for i in 0..<3 { _ = try await Self.article(env, ["zh-Hans": ("草稿 \(i) 😀", "退货运费")], status: "draft") }
            func walk(_ query: String) async throws -> (titles: [String], pages: Int) {
                var titles: [String] = [], pages = 0, cursor: String? = nil
                repeat {
                    let r = try await env.get("/api/v1/kb/articles?limit=2&" + query + (cursor.map { "&cursor=" + $0 } ?? ""), as: .a)
                    #expect(r.status == .ok, "\(r.text)")
                    titles += r.json["items"].array.compactMap { $0["texts"]["zh-Hans"]["title"].string }
                    cursor = r.json["next_cursor"].string
                    pages += 1
                } while cursor != nil && pages < 10
                return (titles, pages)
            }
            // when walking the published ones two at a time: every one once, though the drafts are newer
            // (articles written in one millisecond are equally new: only the set is certain)
            let published = try await walk("status=published")
            #expect(published.titles.count == 5 && Set(published.titles) == Set((0..<5).map { "退货说明 \($0)" }))
            #expect(published.pages == 3)
            // and a search pages the same way: a two-character word in the titles, a longer one in the bodies
            let found = try await walk("q=" + q("退货")).titles
            #expect(found.count == 5 && Set(found) == Set(published.titles), "\(found)")
            #expect(try await walk("q=" + q("运费")).titles.isEmpty)
            let drafts = try await walk("q=" + q("退货运费") + "&status=draft").titles
            #expect(drafts.count == 3 && Set(drafts) == ["草稿 2 😀", "草稿 1 😀", "草稿 0 😀"], "\(drafts)")
            // and the default page is 50, with no cursor when everything fits
            let all = try await env.get("/api/v1/kb/articles", as: .a).json
            #expect(all["items"].array.count == 8 && all["next_cursor"].string == nil)
            // and a bad cursor or limit is a field error
            for bad in ["cursor=nonsense", "limit=0", "limit=201", "limit=x"] {
                let r = try await env.get("/api/v1/kb/articles?" + bad, as: .a)
                #expect(r.status.code == 422 || r.status.code == 400, "\(bad): \(r.status)")
                #expect(r.text.contains(bad.hasPrefix("cursor") ? "cursor" : "limit"), "\(bad): \(r.text)")
            }
        }
    }

    @Test(arguments: Backend.all)
    func theAPIWritesReadsSearchesAndGuardsArticles(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let a = try await Self.article(env, ["zh-Hans": ("如何申请退货退款", "七天无理由退货：在订单页点「申请售后」。"),
                                                 "zh-Hant": ("如何申請退貨退款", "七天無理由退貨。"), "en": ("How to return an order", "Within 7 days.")])
            let id = try #require(a["id"].string)
            _ = try await Self.article(env, ["zh-Hans": ("发票怎么开", "在订单页申请电子发票。")], category: "发票")
            _ = try await Self.article(env, ["zh-Hans": ("内部：退货审批流程", "仅员工可见")], visibility: "internal")
            // Chinese-aware search: two characters (bigrams), a longer term (trigrams), English, in any language of the article
            func titles(_ query: String) async throws -> Set<String> {
                Set(try await env.get("/api/v1/kb/articles?q=\(q(query))", as: .a).json["items"].array.compactMap { $0["texts"]["zh-Hans"]["title"].string })
            }
            #expect(try await titles("退货") == ["如何申请退货退款", "内部：退货审批流程"])
            #expect(try await titles("电子发票") == ["发票怎么开"])
            #expect(try await titles("RETURN") == ["如何申请退货退款"])
            #expect(try await titles("退貨") == ["如何申请退货退款"])
            #expect(try await titles("' OR 1=1 --").isEmpty)
            #expect(try await titles("%").isEmpty)
            // If-Match: a stale version is refused; the current one changes it
            var r = try await env.send(.patch, "/api/v1/kb/articles/\(id)", as: .admin, json: #"{"category":"退换货"}"#, headers: ["If-Match": "\"7\""])
            #expect(r.status.code == 412)
            r = try await env.send(.patch, "/api/v1/kb/articles/\(id)", as: .admin, json: #"{"category":"退换货 🔁"}"#, headers: ["If-Match": "\"1\""])
            #expect(r.status == .ok && r.json["version"].int == 2 && r.header("ETag") == "\"2\"")
            // bad fields are named, oversized ones too
            r = try await env.send(.post, "/api/v1/kb/articles", as: .admin, json: json(["category": str(""), "texts": .object(["fr": .object(["title": str("x"), "body": str("y")]),
                "zh-Hans": .object(["title": str(String(repeating: "长", count: 201)), "body": str("y")])])]))
            #expect(r.status.code == 422 && r.json["error"]["fields"].keys.isSuperset(of: ["category", "texts.zh-Hans.title"]))
            // an Idempotency-Key replays the same article
            let body = json(["category": str("物流"), "texts": .object(["en": .object(["title": str("Tracking"), "body": str("See your order.")])])])
            let first = try await env.send(.post, "/api/v1/kb/articles", as: .admin, json: body, headers: ["Idempotency-Key": "kb-1"])
            let again = try await env.send(.post, "/api/v1/kb/articles", as: .admin, json: body, headers: ["Idempotency-Key": "kb-1"])
            #expect(first.json["id"].string == again.json["id"].string && first.json["status"].string == "draft")
            // the other workspace sees none of it; a read-only user reads but does not write
            #expect(try await env.get("/api/v1/kb/articles/\(id)", as: .b).status == .notFound)
            #expect(try await env.get("/api/v1/kb/articles", as: .b).json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/kb/articles/\(id)", as: .readOnly).status == .ok)
            #expect(try await env.send(.post, "/api/v1/kb/articles", as: .readOnly, json: body).status == .forbidden)
            // deleted: gone from reads and searches
            #expect(try await env.send(.delete, "/api/v1/kb/articles/\(id)", as: .admin, headers: ["If-Match": "\"2\""]).status == .noContent)
            #expect(try await env.get("/api/v1/kb/articles/\(id)", as: .admin).status == .notFound)
            #expect(try await titles("退货") == ["内部：退货审批流程"])
        }
    }

    @Test(arguments: Backend.all)
    func thePortalShowsPublishedPublicArticlesSuggestsThemAndCountsDeflection(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            let pub = try #require(try await Self.article(env, ["zh-Hans": ("快递多久能到", "一般 2–3 天。"), "en": ("How long does delivery take", "2–3 days.")],
                                                          category: "物流")["id"].string)
            let draft = try #require(try await Self.article(env, ["zh-Hans": ("快递草稿", "未发布")], status: "draft")["id"].string)
            let staff = try #require(try await Self.article(env, ["zh-Hans": ("快递内部说明", "员工")], visibility: "internal")["id"].string)
            let theirs = try #require(try await Self.article(env, ["zh-Hans": ("快递（另一家）", "x")], as: .b)["id"].string)
            // readable without signing in; drafts, staff-only and other workspaces' articles are not found
            let list = try await env.send(.get, "/portal/kb?q=\(q("快递"))", as: .none, headers: ["Accept-Language": "zh-CN"])
            #expect(list.status == .ok && list.text.contains("快递多久能到") && !list.text.contains("快递草稿") && !list.text.contains("快递内部说明"))
            #expect(try await env.send(.get, "/portal/kb/\(pub)", as: .none, headers: ["Accept-Language": "en"]).text.contains("How long does delivery take"))
            for hidden in [draft, staff, theirs] { #expect(try await env.send(.get, "/portal/kb/\(hidden)", as: .none).status == .notFound) }

            _ = try await PortalFixture.customer(env, env.workspaceA, name: "马云飞", email: "ma.yunfei@example.cn")
            let me = try await PortalFixture.signIn(env, "ma.yunfei@example.cn")
            // suggestions for what is typed, as JSON for the script; the form without script shows them when it comes back
            let s = try await env.send(.get, "/portal/api/kb/suggest?q=\(q("快递 到"))", as: .none, headers: me.headers)
            #expect(s.json["items"].array.map { $0["id"].string } == [pub] && s.json["items"][0]["href"].string == "/portal/kb/\(pub)?from=suggest")
            #expect(try await env.send(.get, "/portal/api/kb/suggest?q=\(q("快递"))", as: .none).status == .unauthorized)
            let script = try await env.send(.get, "/portal/assets/portal.js", as: .none)
            #expect(script.status == .ok && script.text.contains("/portal/api/kb/suggest"))
            // a customer opens a suggestion and sends nothing: after the hour, one deflected
            _ = try await env.send(.get, "/portal/kb/\(pub)?from=suggest", as: .none, headers: me.headers)
            clock.advance(seconds: 3601)
            var figure = try await env.services.knowledge.deflection(PortalFixture.owner(env.workspaceA))
            #expect(figure.opened == 1 && figure.deflected == 1)
            // another opens one and sends the request all the same: not deflected
            _ = try await PortalFixture.customer(env, env.workspaceA, name: "牛娟", email: "niu.juan@example.cn")
            let other = try await PortalFixture.signIn(env, "niu.juan@example.cn")
            _ = try await env.send(.get, "/portal/kb/\(pub)?from=suggest", as: .none, headers: other.headers)
            let boundary = "----kb"
            var d = Data()
            for (k, v) in [("_csrf", other.csrf), ("subject", "快递没到"), ("body", "五天了"), ("type", "inquiry")] {
                d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
            }
            d.append(Data("--\(boundary)--\r\n".utf8))
            #expect(try await env.send(.post, "/portal/requests", as: .none, body: d, contentType: "multipart/form-data; boundary=\(boundary)",
                                       headers: other.headers).status == .seeOther)
            clock.advance(seconds: 3601)
            figure = try await env.services.knowledge.deflection(PortalFixture.owner(env.workspaceA))
            #expect(figure.opened == 2 && figure.deflected == 1)
            // the staff list shows the figure
            let (jar, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let kbPage = try await env.send(.get, "/kb", as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=zh-Hans"])
            #expect(kbPage.status == .ok && kbPage.text.contains("其中 1 位没有再提交"))
        }
    }

    @Test(arguments: Backend.all)
    func thePortalsSearchPagesTwentyAtATimeNewestChangeFirst(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given 23 public articles about delivery, and the oldest changed last
            var ids: [String] = []
            for i in 0..<23 { ids.append(try #require(try await Self.article(env, ["zh-Hans": ("快递时效 \(i)", "顺丰 \(i) 天 📦")])["id"].string)) }
            let changed = try await env.send(.patch, "/api/v1/kb/articles/\(ids[0])", as: .admin,
                                             json: #"{"category":"售后","status":"published","visibility":"public","texts":{"zh-Hans":{"title":"快递时效 已更新","body":"顺丰"}}}"#,
                                             headers: ["If-Match": "\"1\""])
            #expect(changed.status == .ok, "\(changed.text)")
            // the first page: the changed one first, then the newest, twenty in all, and a link to the next
            let first = try await env.send(.get, "/portal/kb?q=\(q("快递"))", as: .none, headers: ["Accept-Language": "zh-CN"])
            #expect(first.status == .ok && first.text.components(separatedBy: "class=\"portal-item\"").count - 1 == 20)
            #expect(try #require(first.text.range(of: "快递时效 已更新")).lowerBound < (try #require(first.text.range(of: "快递时效 22"))).lowerBound)
            #expect(!first.text.contains("快递时效 2<") && first.text.contains("下一页"))
            let href = try #require(first.text.range(of: #"href="(/portal/kb\?q=[^"]*cursor=[^"]*)""#, options: .regularExpression)
                .map { String(first.text[$0].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&") })
            // the next page: the three oldest, no further link
            let second = try await env.send(.get, href, as: .none, headers: ["Accept-Language": "zh-CN"])
            #expect(second.status == .ok && second.text.components(separatedBy: "class=\"portal-item\"").count - 1 == 3)
            #expect(second.text.contains("快递时效 1<") && second.text.contains("快递时效 3<") && !second.text.contains("下一页"))
            // a cursor this server did not issue is refused in words, not a crash
            let bad = try await env.send(.get, "/portal/kb?q=\(q("快递"))&cursor=\(q("'; DROP TABLE kb_articles; --"))", as: .none, headers: ["Accept-Language": "zh-CN"])
            #expect(bad.status.code == 400 || bad.status.code == 422, "\(bad.status)")
            #expect(try await env.send(.get, "/portal/kb?q=\(q("快递"))", as: .none).status == .ok)
        }
    }

    @Test(arguments: Backend.all)
    func staffWriteArticlesOnAFormAndAgentsPutTheirLinksInReplies(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let cookie = ["Cookie": jar["Cookie"]! + "; gx_lang=zh-Hans"]
            #expect(try await env.send(.get, "/kb/new", as: .none, headers: cookie).text.contains("name=\"title_zh-Hant\""))
            // a form without any language is refused and keeps what was typed
            let bad = try await env.send(.post, "/kb/save", as: .none, body: Data("_csrf=\(q(csrf))&category=\(q("售后 <b>"))&status=published&visibility=public".utf8),
                                         contentType: "application/x-www-form-urlencoded", headers: cookie)
            #expect(bad.status.code == 422 && bad.text.contains("请至少用一种语言写文章") && bad.text.contains("售后 &lt;b&gt;"))
            let ok = try await env.send(.post, "/kb/save", as: .none, body: Data(("_csrf=\(q(csrf))&category=\(q("售后"))&status=published&visibility=public"
                                                                                  + "&title_zh-Hans=\(q("保修政策 🛠"))&body_zh-Hans=\(q("一年保修。"))").utf8),
                                        contentType: "application/x-www-form-urlencoded", headers: cookie)
            #expect(ok.status == .seeOther)
            let articleID = String(try #require(ok.header("Location")?.split(separator: "/").last))
            // on a ticket, the picker puts the article's title and portal link into the reply
            let customer = try await env.createCustomer(name: "客户甲")
            let t = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(customer), "subject": str("保修"), "body": str("坏了")]))
            let ticketID = try #require(t.json["id"].string)
            let page = try await env.send(.get, "/tickets/\(ticketID)", as: .none, headers: cookie)
            #expect(page.text.contains("name=\"kb\"") && page.text.contains("保修政策 🛠"))
            let picked = try await env.send(.get, "/tickets/\(ticketID)?kb=\(articleID)", as: .none, headers: cookie)
            #expect(picked.text.contains("/portal/kb/\(articleID)</textarea>") || picked.text.contains("/portal/kb/\(articleID)"))
        }
    }
}
