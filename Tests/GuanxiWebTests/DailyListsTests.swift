import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales

/// Daily use, the lists and imports people work with: files checked as they arrive, in the reader's language.
@Suite("Daily lists: imports that fail early, lists, settings and reports in words")
struct DailyListsTests {
    func upload(_ env: WebEnv, _ path: String, _ jar: [String: String], csrf: String, lang: String, filename: String, _ data: Data,
                extra: [(String, String)] = []) async throws -> Reply {
        var h = jar
        h["Accept-Language"] = lang
        let (body, type) = FollowUpPageTests().multipart([("_csrf", nil, Data(csrf.utf8))] + extra.map { ($0.0, nil, Data($0.1.utf8)) } + [("file", filename, data)])
        return try await env.send(.post, path, as: .none, body: body, contentType: type, headers: h)
    }

    @Test(arguments: Backend.all) func aPictureIsRefusedAtUploadInTheReadersLanguageAndAnotherFileCanBePicked(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            for (lang, words) in [("zh-CN", "这是一张图片，不是表格：在 Excel 中选择「文件 › 另存为 › CSV UTF-8（逗号分隔）」"),
                                  ("zh-TW", "這是一張圖片，不是表格：在 Excel 中選擇「檔案 › 另存新檔 › CSV UTF-8（逗號分隔）」"),
                                  ("en", "this file is a picture, not a table: in Excel choose File › Save As › CSV UTF-8")] {
                // the customer import: refused at once, the form again with the message by the file field
                let r = try await upload(env, "/imports/new", jar, csrf: csrf, lang: lang, filename: "客户.csv", Fixtures.png)
                #expect(r.status == .unprocessableContent, "\(r.status)")
                #expect(r.text.contains(words) && r.text.contains("type=\"file\"") && r.text.contains("aria-invalid=\"true\""), "\(lang)")
                // the lead import says the same
                let l = try await upload(env, "/leads/import", jar, csrf: csrf, lang: lang, filename: "leads.png", Fixtures.png)
                #expect(l.status == .unprocessableContent && l.text.contains(words), "\(lang): \(l.text.prefix(200))")
            }
            // a PDF and an old workbook say what they are
            let pdf = try await upload(env, "/imports/new", jar, csrf: csrf, lang: "zh-TW", filename: "x.pdf", Data("%PDF-1.4\n".utf8))
            #expect(pdf.text.contains("這是 PDF 檔案"))
            let xls = try await upload(env, "/imports/new", jar, csrf: csrf, lang: "en", filename: "x.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            #expect(xls.text.contains("older Excel workbook (.xls)"))
            // no file chosen
            let none = try await upload(env, "/imports/new", jar, csrf: csrf, lang: "zh-CN", filename: "", Data())
            #expect(none.status == .unprocessableContent && none.text.contains("请选择 CSV 文件"))
            // the refused upload was not kept, and nothing was imported
            #expect(try await env.get("/api/v1/customers?limit=200").json["items"].array.count == 0)
            // without the CSRF field nothing is checked or kept
            let (b, t) = FollowUpPageTests().multipart([("file", "x.png", Fixtures.png)])
            #expect(try await env.send(.post, "/imports/new", as: .none, body: b, contentType: t, headers: jar).status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func aWorkbookAndTraditionalChineseCSVAreReadAtUpload(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            // a workbook: its first sheet's columns are recognised, samples as Excel shows them
            let r = try await upload(env, "/imports/new", jar, csrf: csrf, lang: "zh-CN", filename: "客户.xlsx", Fixtures.workbook)
            #expect(r.status == .seeOther)
            let map = try await env.send(.get, try #require(r.header("Location")), as: .none, headers: jar)
            #expect(map.status == .ok && map.text.contains("13812345678") && map.text.contains("2025-01-21") && map.text.contains("A &amp; B &lt;VIP&gt;"))
            #expect(map.text.contains("<option value=\"name\" selected>") && map.text.contains("<option value=\"phone\" selected>"))
            // imported: the good row lands (the others' phones, 1.5 and -3, are refused by line)
            let uploadPath = try #require(r.header("Location"))
            let body = "_csrf=\(q(csrf))&mode=import&col_0=name&col_1=phone&col_2=email&col_3=birthday"
            let started = try await env.send(.post, uploadPath, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(started.status == .seeOther)
            var names: [String] = []
            for _ in 0..<100 {
                names = try await env.get("/api/v1/customers?limit=200").json["items"].array.compactMap { $0["name"].string }
                if !names.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(names == ["王小明"], "\(names)")
            // Big5, as Traditional Chinese Excel saves "CSV"
            let big5 = try #require(TextDecoding.encode("姓名,電話,電子郵件\n陳大文,0912345678,chen@example.tw\n", charset: "BIG5-HKSCS"))
            let b = try await upload(env, "/imports/new", jar, csrf: csrf, lang: "zh-TW", filename: "客戶.csv", Data(big5))
            let bmap = try await env.send(.get, try #require(b.header("Location")), as: .none, headers: jar.merging(["Accept-Language": "zh-TW"]) { a, _ in a })
            #expect(bmap.text.contains("陳大文") && bmap.text.contains("電話") && bmap.text.contains("big5"))
            // another workspace cannot open the upload
            let other = try await env.send(.get, uploadPath, as: .b)
            #expect(other.status != .ok)
        }
    }

    func page(_ env: WebEnv, _ path: String, _ jar: [String: String], lang: String = "zh-CN") async throws -> Reply {
        var h = jar
        h["Accept-Language"] = lang
        return try await env.send(.get, path, as: .none, headers: h)
    }

    /// The names in a customer list page, in order.
    func names(_ r: Reply) -> [String] {
        r.text.matches(of: /<td><a href="\/customers\/[0-9a-f-]+">([^<]+)<\/a>/).map { String($0.output.1) }
    }

    func link(_ r: Reply, rel: String) -> String? {
        r.text.firstMatch(of: try! Regex<(Substring, Substring)>("href=\"([^\"]+)\" rel=\"\(rel)\"")).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    @Test(arguments: Backend.all) func theCustomerListCountsSortsAndPagesBothWays(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            for i in 0..<110 {
                let n = String(i + 1000).dropFirst()
                try await env.createCustomer(["name": str("列表客户\(n)"), "phones": strs(["13800130\(n)"])])
            }
            let (jar, _) = try await PageTests().signIn(env)
            // newest first, with the count, and only a next page
            let first = try await page(env, "/customers", jar)
            #expect(first.text.contains("共 110 位客户"))
            #expect(names(first).count == 50 && link(first, rel: "prev") == nil)
            let second = try await page(env, try #require(link(first, rel: "next")), jar)
            #expect(names(second).count == 50 && link(second, rel: "prev") != nil)
            let third = try await page(env, try #require(link(second, rel: "next")), jar)
            #expect(names(third).count == 10 && link(third, rel: "next") == nil)
            #expect(Set(names(first) + names(second) + names(third)).count == 110)
            // back from the last page: the same second page, then the first, which has no previous
            let back = try await page(env, try #require(link(third, rel: "prev")), jar)
            #expect(names(back) == names(second))
            let backAgain = try await page(env, try #require(link(back, rel: "prev")), jar)
            #expect(names(backAgain) == names(first) && link(backAgain, rel: "prev") == nil)
            // sorting by name, both ways, said with aria-sort; paging keeps the order
            let byName = try await page(env, "/customers?sort=name", jar)
            #expect(names(byName).first == "列表客户000" && byName.text.contains("aria-sort=\"ascending\""))
            let next = try await page(env, try #require(link(byName, rel: "next")), jar)
            #expect(names(next).first == "列表客户050")
            let desc = try await page(env, "/customers?sort=-name", jar)
            #expect(names(desc).first == "列表客户109" && desc.text.contains("aria-sort=\"descending\""))
            // phones read in groups
            #expect(desc.text.contains("138 0013 0109"))
            // an unknown sort is the default; an injected one is ignored
            #expect(names(try await page(env, "/customers?sort=name%3BDROP%20TABLE%20customers", jar)).count == 50)
            // English and Traditional Chinese say the count and the phone their way
            let en = try await page(env, "/customers?sort=-name", jar, lang: "en")
            #expect(en.text.contains("110 customers") && en.text.contains("+86 138 0013 0109"))
            let hant = try await page(env, "/customers?tag=nothing", jar, lang: "zh-TW")
            #expect(hant.text.contains("共 0 位客戶"))
            // past the cap the count says "more than": the walk stops there
            let owner = Scope(workspaceID: env.seed.workspaceA.id, userID: nil, role: .owner)
            let capped = try await env.services.customers.count(owner, filter: CustomerFilter(), cap: 100)
            #expect(capped.count == 100 && capped.exact == false)
            let all = try await env.services.customers.count(owner, filter: CustomerFilter(), cap: 110)
            #expect(all.count == 110 && all.exact)
            // another workspace counts none of them
            let ownerB = Scope(workspaceID: env.seed.workspaceB.id, userID: nil, role: .owner)
            #expect(try await env.services.customers.count(ownerB, filter: CustomerFilter()).count == 0)
            // a broken cursor is refused in words, not a crash
            let broken = try await page(env, "/customers?before=%7B%7D", jar)
            #expect(broken.status.code >= 400 && broken.status.code < 500)
        }
    }

    /// The first column's link texts of a lead, deal or order list page, in order.
    func firsts(_ r: Reply, _ path: String) -> [String] {
        r.text.matches(of: try! Regex<(Substring, Substring)>("<td data-label=\"[^\"]+\"><a href=\"/\(path)/[0-9a-f-]+\">([^<]+)</a>")).map { String($0.output.1) }
    }

    @Test(arguments: Backend.all) func leadDealAndOrderListsCountSortAndPageBothWays(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try #require(try await env.createCustomer(["name": str("列表的客户")])["id"].string)
            let pipeline = try await env.send(.get, "/api/v1/pipelines").json["items"][0]
            let pipelineID = try #require(pipeline["id"].string), stageID = try #require(pipeline["stages"][1]["id"].string)
            for i in 0..<60 {
                let n = String(i + 100).dropFirst()
                #expect(try await env.send(.post, "/api/v1/leads", json: #"{"name":"线索\#(n) 😀","phone":"137000010\#(n)"}"#).status == .created)
                #expect(try await env.send(.post, "/api/v1/deals", json: #"{"name":"商机\#(n)","customer_id":"\#(customer)","pipeline_id":"\#(pipelineID)","stage_id":"\#(stageID)","expected_close":"2026-12-31"}"#).status == .created)
                #expect(try await env.send(.post, "/api/v1/orders", json: #"{"customer_id":"\#(customer)","lines":[{"name":"茶","quantity":1,"unit_price":100}]}"#).status == .created)
            }
            // another workspace's records are neither listed nor counted
            _ = try await env.send(.post, "/api/v1/leads", as: .b, json: #"{"name":"别家的线索","phone":"13900009999"}"#)
            let (jar, _) = try await PageTests().signIn(env)
            let leadNames = (0..<60).map { "线索" + String($0 + 100).dropFirst() + " 😀" }
            // leads: newest first, counted, a next page only; oldest first by the header's link; back again
            let leads = try await page(env, "/leads", jar)
            #expect(leads.text.contains("共 60 条线索") && leads.text.contains("aria-sort=\"descending\""))
            #expect(firsts(leads, "leads") == Array(leadNames.reversed().prefix(50)) && link(leads, rel: "prev") == nil)
            #expect(leads.text.contains("137 0000 1059"))
            let oldest = try await page(env, "/leads?sort=created_at", jar)
            #expect(firsts(oldest, "leads") == Array(leadNames.prefix(50)) && oldest.text.contains("aria-sort=\"ascending\""))
            let rest = try await page(env, try #require(link(oldest, rel: "next")), jar)
            #expect(firsts(rest, "leads") == Array(leadNames.suffix(10)) && link(rest, rel: "next") == nil)
            let back = try await page(env, try #require(link(rest, rel: "prev")), jar)
            #expect(firsts(back, "leads") == firsts(oldest, "leads") && link(back, rel: "prev") == nil)
            // the tab's filter is kept by the links: mine, new
            let mine = try await page(env, "/leads?mine=1&sort=created_at", jar, lang: "en")
            #expect(mine.text.contains("60 leads") && mine.text.contains("+86 137 0000 1000"))
            #expect(try #require(link(mine, rel: "next")).contains("mine=1"))
            #expect(try await page(env, "/leads?status=converted", jar, lang: "zh-TW").text.contains("共 0 筆潛在客戶"))
            // deals: the list of one pipeline, its stage from the board's "and more"
            let board = try await page(env, "/deals", jar)
            #expect(board.text.contains("/deals?view=list&amp;pipeline_id=\(pipelineID)&amp;stage_id=\(stageID)"))
            let deals = try await page(env, "/deals?view=list&pipeline_id=\(pipelineID)&stage_id=\(stageID)", jar, lang: "en")
            #expect(deals.text.contains("60 deals") && deals.text.contains("Dec 31, 2026") && !deals.text.contains("2026-12-31"))
            #expect(firsts(deals, "deals").count == 50)
            let dealsNext = try await page(env, try #require(link(deals, rel: "next")), jar, lang: "en")
            let dealsBack = try await page(env, try #require(link(dealsNext, rel: "prev")), jar, lang: "en")
            #expect(firsts(dealsBack, "deals") == firsts(deals, "deals"))
            #expect(try await page(env, "/deals?view=list&pipeline_id=\(pipelineID)", jar).text.contains("2026年12月31日"))
            // orders: by when they were placed, either way
            let orders = try await page(env, "/orders?sort=placed_at", jar)
            let numbers = firsts(orders, "orders")
            #expect(orders.text.contains("共 60 个订单") && numbers.count == 50 && numbers == numbers.sorted())
            let ordersDesc = try await page(env, "/orders", jar, lang: "zh-TW")
            #expect(ordersDesc.text.contains("共 60 筆訂單"))
            #expect(try #require(firsts(ordersDesc, "orders").first) > (numbers.last ?? ""))
            // the store's counts: capped, within the reader's reach and workspace
            let owner = Scope(workspaceID: env.seed.workspaceA.id, userID: nil, role: .owner)
            let leadCount = try await env.services.leads.count(owner, filter: LeadFilter())
            #expect(leadCount.count == 60 && leadCount.exact)
            let ownerB = Scope(workspaceID: env.seed.workspaceB.id, userID: nil, role: .owner)
            #expect(try await env.services.orders.count(ownerB, filter: OrderFilter()).count == 0)
            #expect(try await env.services.leads.count(ownerB, filter: LeadFilter()).count == 1)
            // a broken cursor is refused in words, not a crash; an injected sort is the default; a bad stage is not echoed
            let broken = try await page(env, "/leads?cursor=%27%3B--", jar)
            #expect(broken.status.code >= 400 && broken.status.code < 500)
            #expect(firsts(try await page(env, "/orders?sort=placed_at%3BDROP%20TABLE%20orders", jar), "orders").count == 50)
            #expect(try await page(env, "/deals?view=list&stage_id=%3Cscript%3E", jar).text.contains("<script>") == false)
        }
    }

    @Test(arguments: Backend.all) func searchAlsoFindsLeadsAndOrderNumbers(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "搜索客户")
            let lead = try await env.send(.post, "/api/v1/leads", json: #"{"name":"展会线索 😀","phone":"13911112222","company":"远山茶业"}"#)
            #expect(lead.status == .created)
            let order = try await env.send(.post, "/api/v1/orders", json: #"{"customer_id":"\#(customer)","lines":[{"name":"龙井","quantity":1,"unit_price":100}]}"#)
            let number = try #require(order.json["number"].string, "\(order.text)")
            let (jar, _) = try await PageTests().signIn(env)
            // by company, by phone (any way it is written), by part of the order number
            for (q, expected) in [("远山", "展会线索 😀"), ("139-1111-2222", "展会线索 😀"), (String(number.suffix(4)), number)] {
                let r = try await page(env, "/customers?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, jar)
                #expect(r.text.contains("同时找到") && r.text.contains(expected), "\(q)")
            }
            // LIKE's own characters are plain text
            let percent = try await page(env, "/customers?q=%25%25", jar)
            #expect(!percent.text.contains("展会线索"))
            // another workspace finds none of it
            let (jarB, _) = try await PageTests().signIn(env, email: "admin-b@example.com", password: "password-admin")
            let other = try await page(env, "/customers?q=" + "远山".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, jarB)
            #expect(!other.text.contains("展会线索"))
        }
    }

    @Test(arguments: Backend.all) func settingsSpeakInWordsAndRolesAreEditedInAGrid(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            for (lang, words) in [("zh-CN", ["销售代表", "本团队", "查看完整信息"]), ("zh-TW", ["業務代表", "本團隊", "檢視完整資料"]), ("en", ["Sales rep", "Team and below", "Reveal"])] {
                let roles = try await page(env, "/settings/roles", admin, lang: lang)
                #expect(roles.status == .ok && words.allSatisfy(roles.text.contains), "\(lang)")
                #expect(!roles.text.contains("customers.read:"))
            }
            let users = try await page(env, "/settings/users", admin, lang: "en")
            #expect(users.text.contains("Active") && users.text.contains("Sales rep"))
            let fields = try await page(env, "/settings/fields", admin, lang: "zh-TW")
            #expect(fields.text.contains("整數") && fields.text.contains("多選"))
            // a custom role from the grid
            let form = "_csrf=\(q(csrf))&key=regional_lead&name=\(q("区域主管 <b>"))&p_customers_read=team&p_leads_read=all&p_deals_update=own&p_orders_read="
            let saved = try await env.send(.post, "/settings/roles/save", as: .none, body: Data(form.utf8), contentType: "application/x-www-form-urlencoded", headers: admin)
            #expect(saved.status == .seeOther)
            let api = try await env.get("/api/v1/roles", as: .admin)
            let role = try #require(api.json["items"].array.first { $0["key"].string == "regional_lead" })
            #expect(role["permissions"].array.compactMap(\.string) == ["customers.read:team", "deals.update:own", "leads.read:all"])
            let shown = try await page(env, "/settings/roles", admin)
            #expect(shown.text.contains("区域主管 &lt;b&gt;") && shown.text.contains("name=\"p_customers_read\""))
            // a bad key is refused with its sentence; a sales rep may not save roles
            let bad = try await env.send(.post, "/settings/roles/save", as: .none, body: Data("_csrf=\(q(csrf))&key=Bad%20Key&name=x".utf8),
                                         contentType: "application/x-www-form-urlencoded", headers: admin)
            #expect(bad.status == .badRequest && bad.text.contains("a-z"))
            let (rep, repCSRF) = try await PageTests().signIn(env)
            let refused = try await env.send(.post, "/settings/roles/save", as: .none, body: Data("_csrf=\(q(repCSRF))&key=mine&name=x".utf8),
                                             contentType: "application/x-www-form-urlencoded", headers: rep)
            #expect(refused.status == .forbidden)
            // the audit log links to what an entry is about, and its filter offers what it accepts
            let c = try await env.createCustomer(name: "审计客户", as: .admin)
            let audit = try await page(env, "/settings/audit", admin)
            #expect(audit.text.contains("href=\"/customers/\(c)\""))
            #expect(audit.text.contains("<option value=\"customers\">客户</option>") && audit.text.contains("<select name=\"actor_id\">"))
            let filtered = try await page(env, "/settings/audit?object=roles", admin)
            #expect(filtered.text.contains("regional_lead") && !filtered.text.contains("href=\"/customers/"))
            // an entry about a role, a team or a member leads to its row (or grid) in the settings
            #expect(filtered.text.contains("href=\"/settings/roles#role-regional_lead\""))
            #expect(try await page(env, "/settings/roles", admin).text.contains("id=\"role-regional_lead\""))
            let members = try await page(env, "/settings/audit?object=users", admin)
            let link = try #require(members.text.firstMatch(of: /href="\/settings\/users#(user-[0-9A-Za-z_-]+)">([^<]*)</), "\(members.text)")
            #expect(try await page(env, "/settings/users", admin).text.contains("id=\"\(link.1)\""))
            // and names the member rather than their id
            #expect(!link.2.isEmpty && link.2 != link.1.dropFirst("user-".count))
        }
    }

    @Test(arguments: Backend.all) func everyReportBlockSaysItsPeriodAndOrdersFollowTheMonth(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "报表客户", as: .admin)
            let order = try await env.send(.post, "/api/v1/orders", as: .admin, json: #"{"customer_id":"\#(customer)","lines":[{"name":"茶","quantity":1,"unit_price":100}]}"#)
            #expect(order.status == .created || order.status == .ok, "\(order.text)")
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let tz = TimeZone(identifier: "Asia/Shanghai")!
            var cal = Calendar(identifier: .gregorian); cal.timeZone = tz
            let now = cal.dateComponents([.year, .month], from: Date())
            let thisMonth = "\(now.year!)年\(now.month!)月"
            let r = try await page(env, "/reports", admin)
            #expect(r.text.contains("<small>\(thisMonth)</small>") && r.text.contains("截至现在") && r.text.contains("当月下的订单"))
            #expect(r.text.contains("<small class=\"period\">\(thisMonth)</small>"))
            // a month with no orders shows no order block: it follows the switch now
            let old = try await page(env, "/reports?month=2020-01", admin, lang: "en")
            #expect(old.text.contains("January 2020") && !old.text.contains("Orders placed in the month"))
            let hant = try await page(env, "/reports?month=2020-02", admin, lang: "zh-TW")
            #expect(hant.text.contains("2020年2月") && hant.text.contains("截至目前"))
        }
    }
}
