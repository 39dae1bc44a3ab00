import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Locale formats, list filters and tag renaming in the pages")
struct LocalePageTests {
    @Test func moneyIsExactIntegerMinorUnitsInEachLanguagesSigns() {
        let hans = Formats(locale: .zhHans), hant = Formats(locale: .zhHant), en = Formats(locale: .en)
        #expect(hans.money(minor: 123_450, currency: "CNY") == "¥1,234.50")
        #expect(en.money(minor: 123_450, currency: "CNY") == "CN¥1,234.50")
        #expect(hant.money(minor: 99_900, currency: "TWD") == "NT$999.00")
        #expect(en.money(minor: -500, currency: "USD") == "-$5.00")
        #expect(hans.money(minor: 7, currency: "USD") == "US$0.07")
        #expect(en.money(minor: 1_000_000, currency: "JPY") == "¥1,000,000")
        #expect(hans.money(minor: 0, currency: "XYZ") == "XYZ 0.00")
        #expect(en.money(minor: Int64.min + 1, currency: "CNY").hasPrefix("-CN¥92,233,720,368,547,758.07"))
    }

    @Test func numbersGroupByThousands() {
        let f = Formats(locale: .zhHans)
        #expect(f.number(0) == "0" && f.number(999) == "999" && f.number(1000) == "1,000" && f.number(-1_234_567) == "-1,234,567")
        #expect(f.decimal(1234.5) == "1,234.5" && f.decimal(2) == "2" && f.decimal(-0.004) == "0" && f.decimal(0.125, digits: 6) == "0.125")
        #expect(f.decimal(.nan) == "nan")
    }

    @Test func datesFollowTheLanguage() {
        let d = Date(timeIntervalSince1970: 1_764_500_000)   // 2025-11-30 10:53 UTC
        #expect(Formats(locale: .zhHans).dateTime(d, timeZone: "Asia/Shanghai").contains("2025年11月30日"))
        #expect(Formats(locale: .en).dateTime(d, timeZone: "Asia/Shanghai").contains("Nov 30, 2025"))
    }

    @Test(arguments: Backend.all) func theListFiltersByOwnerAndSource(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let admin = try await env.services.access.user(email: "admin-a@example.com")!.id
            _ = try await env.createCustomer(["name": str("展会客户 甲"), "source": str("展会"), "owner_id": str(admin)], as: .admin)
            _ = try await env.createCustomer(["name": str("官网客户 乙"), "source": str("官网")], as: .admin)
            _ = try await env.createCustomer(["name": str("代表的客户 丙"), "source": str("展会")])
            let bySource = try await env.send(.get, "/customers?source=\(q("展会"))", as: .none, headers: jar)
            #expect(bySource.text.contains("展会客户 甲") && bySource.text.contains("代表的客户 丙") && !bySource.text.contains("官网客户 乙"))
            let mine = try await env.send(.get, "/customers?source=\(q("展会"))&owner_id=\(admin)", as: .none, headers: jar)
            #expect(mine.text.contains("展会客户 甲") && !mine.text.contains("代表的客户 丙"))
            // the owner choice shows "mine" selected, and the export link keeps both filters
            #expect(mine.text.contains("<option value=\"\(admin)\" selected>我的</option>"))
            #expect(mine.text.contains("owner_id=\(admin)") && mine.text.contains("/api/v1/exports/customers.csv?source="))
            // a made-up owner id is ignored rather than an error
            let junk = try await env.send(.get, "/customers?owner_id=%27%20OR%201%3D1", as: .none, headers: jar)
            #expect(junk.status == .ok && junk.text.contains("官网客户 乙"))
        }
    }

    @Test(arguments: Backend.all) func anAdminRenamesAndMergesTagsAndEachCustomerIsAudited(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let a = try await env.createCustomer(["name": str("王小明"), "tags": strs(["VIP客户", "华东"])], as: .admin)["id"].string!
            let b = try await env.createCustomer(["name": str("李雷"), "tags": strs(["vip"])], as: .admin)["id"].string!
            let c = try await env.createCustomer(["name": str("韩梅梅"), "tags": strs(["vip", "VIP客户"])], as: .admin)["id"].string!
            // a sales rep may not rename
            let denied = try await env.send(.post, "/api/v1/tags/rename", json: #"{"from":"vip","to":"VIP客户"}"#)
            #expect(denied.status == .forbidden)
            // an empty new name is a field error and changes nothing
            let empty = try await env.send(.post, "/api/v1/tags/rename", as: .admin, json: #"{"from":"vip","to":"  "}"#)
            #expect(empty.status == .unprocessableContent && empty.text.contains("\"to\""))
            // through the settings page: vip → VIP客户 merges into the existing tag
            let (jar, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let page = try await env.send(.get, "/settings/tags", as: .none, headers: jar)
            #expect(page.text.contains("name=\"from\" value=\"vip\""))
            let post = try await env.send(.post, "/settings/tags/rename", as: .none, body: Data("_csrf=\(csrf)&from=vip&to=\(q("VIP客户"))".utf8),
                                          contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(post.status == .seeOther)
            let tags = try await env.get("/api/v1/tags", as: .admin).json["items"].array.map { ($0["tag"].string ?? "", $0["count"].int ?? 0) }
            #expect(tags.contains { $0 == ("VIP客户", 3) } && !tags.contains { $0.0 == "vip" })
            #expect(try await env.get("/api/v1/customers/\(c)", as: .admin).json["tags"].array.compactMap(\.string) == ["VIP客户"])
            #expect(try await env.get("/api/v1/customers/\(a)", as: .admin).json["version"].int == 1)   // already had it: untouched
            // each changed customer is in the audit log
            let audit = try await env.services.audit.list(Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner),
                                                          actorUserID: nil, object: "customers", before: nil, limit: 100)
            #expect(Set(audit.items.filter { $0.action == "update" }.compactMap(\.objectID)).isSuperset(of: [b, c]))
        }
    }
}

@Suite("Names in their own order")
struct NameOrderTests {
    @Test func familyAndGivenNamesJoinInTheNamesOwnOrder() {
        #expect(PersonName.compose(family: "王", given: "小明") == "王小明")
        #expect(PersonName.compose(family: "歐陽", given: "娜娜") == "歐陽娜娜")
        #expect(PersonName.compose(family: "Lovelace", given: "Ada") == "Ada Lovelace")
        #expect(PersonName.compose(family: "山田", given: "太郎") == "山田太郎")
        #expect(PersonName.compose(family: " ", given: "小明") == "小明")
        #expect(PersonName.compose(family: nil, given: nil) == nil)
    }

    @Test(arguments: Backend.all) func aSpreadsheetWithSurnameAndGivenNameColumnsImportsChineseNamesFamilyFirst(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let csv = "姓,名,手机\n王,小明,13812345678\nSmith,Anna,13912345678\n"
            let r = try await env.send(.post, "/api/v1/imports?filename=n.csv", body: Data(csv.utf8), contentType: "text/csv")
            #expect(r.status == .accepted, "\(r.text)")
            let job = try await ListAndImportTests.pollImport(env, try #require(r.json["id"].string))
            #expect(job["report"]["created"].int == 2, "\(job)")
            let names = Set(try await env.get("/api/v1/customers").json["items"].array.compactMap(\.["name"].string))
            #expect(names == ["王小明", "Anna Smith"])
            // and an English page shows the Chinese name unchanged
            let (jar, _) = try await PageTests().signIn(env)
            let page = try await env.send(.get, "/customers", as: .none, headers: jar.merging(["Cookie": jar["Cookie"]! + "; gx_lang=en"]) { _, b in b })
            #expect(page.text.contains(">王小明</a>"))
        }
    }
}

@Suite("Error sentences on pages")
struct PageMessageTests {
    struct Internal: Error { var secret = "SELECT * FROM users" }

    @Test func errorsReadAsSentencesInTheUsersLanguageAndNameTheirFields() {
        let v = DomainError.validation(["name": .longerThan(200), "emails[0]": "'\("x")' is not a valid email address"])
        #expect(Words.all.message(v, .zhHant) == "請修正標紅的欄位。 電子郵件：「x」不是有效的電子郵件地址；名稱：超過 200 字")
        #expect(Words.all.message(DomainError.field("file", "the file is empty"), .zhHans) == "文件是空的")
        #expect(Words.all.message(DomainError.forbidden("renaming tags needs the settings permission"), .zhHans).hasSuffix("修改标签名需要设置权限"))
        #expect(Words.all.message(DomainError.staleVersion(current: 3), .en).contains("changed"))
        // anything that is not a domain error says so without showing its insides
        let internalError = Words.all.message(Internal(), .en)
        #expect(!internalError.contains("SELECT") && internalError.hasPrefix("Something went wrong"))
    }
}
