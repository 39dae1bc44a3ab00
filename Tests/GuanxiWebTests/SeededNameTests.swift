import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Seeded names: said in the reader's language until someone renames them")
struct SeededNameTests {
    func page(_ env: WebEnv, _ path: String, _ jar: [String: String], lang: String) async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    @Test(arguments: Backend.all) func theBoardSpeaksTheReadersLanguageAndTheAPIKeepsTheStoredName(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, _) = try await PageTests().signIn(env)
            let api = try await env.get("/api/v1/pipelines").json["items"].array[0]
            #expect(api["name"].string == "销售管道" && api["name_key"].string == "pipeline")
            #expect(api["stages"].array.map { $0["name"].string ?? "" } == ["初步接触", "需求确认", "方案报价", "商务谈判", "赢单", "输单"])
            #expect(api["stages"].array.map { $0["name_key"].string ?? "" } == SeededName.stages)
            let en = try await page(env, "/deals", jar, lang: "en").text
            #expect(en.contains("First contact") && en.contains("Negotiation") && en.contains("Sales pipeline") && !en.contains("初步接触"))
            let hant = try await page(env, "/deals", jar, lang: "zh-Hant").text
            #expect(hant.contains("初步接觸") && hant.contains("商務談判") && !hant.contains("初步接触"))
            let hans = try await page(env, "/deals", jar, lang: "zh-Hans").text
            #expect(hans.contains("初步接触") && hans.contains("商务谈判"))
            let report = try await env.send(.get, "/reports", as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=en"])
            #expect(report.status == .ok && (report.text.contains("First contact") || !report.text.contains("初步接触")))
        }
    }

    @Test(arguments: Backend.all) func aPipelineSomeoneTypedStaysAsTyped(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let made = try await env.send(.post, "/api/v1/pipelines", as: .admin, json: #"""
                {"name":"渠道 🚀","stages":[{"name":"赢单","probability":100,"kind":"won"},{"name":"初步接触","probability":10},{"name":"<b>输</b>","probability":0,"kind":"lost"}]}
                """#)
            #expect(made.status == .created)
            #expect(made.json["name_key"].isNull && made.json["stages"].array.allSatisfy { $0["name_key"].isNull })
            let (jar, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let en = try await page(env, "/deals?pipeline_id=" + made.json["id"].string!, jar, lang: "en").text
            #expect(en.contains("渠道 🚀") && en.contains("赢单") && en.contains("&lt;b&gt;输&lt;/b&gt;") && !en.contains("<b>输</b>"))
        }
    }

    @Test(arguments: Backend.all) func renamingThePriceListDropsItsKeyAndTheMigrationMarksOldRows(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let lists = try await env.get("/api/v1/price-lists").json["items"].array
            #expect(lists.count == 1 && lists[0]["name"].string == "标准价" && lists[0]["name_key"].string == "price_list_standard")
            let (jar, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            #expect(try await page(env, "/products", jar, lang: "en").text.contains("Standard price"))
            #expect(try await page(env, "/products", jar, lang: "zh-Hant").text.contains("標準價"))
            // a workspace made before keys: its rows hold the seeded text and no key; the migration marks them
            _ = try await env.get("/api/v1/pipelines")
            _ = try await env.get("/api/v1/pipelines", as: .b)
            _ = try await env.send(.post, "/api/v1/pipelines", as: .admin, json: #"{"name":"渠道","stages":[{"name":"初步接触","probability":10},{"name":"赢单","probability":100,"kind":"won"},{"name":"输单","probability":0,"kind":"lost"}]}"#)
            try await env.services.db.write { sql in
                for t in ["pipelines", "pipeline_stages", "price_lists"] { try await sql.raw("UPDATE \(unsafeRaw: t) SET name_key = NULL").run() }
                for s in M027_SeededNames.migration.statements(.sqlite) where s.hasPrefix("UPDATE") { try await sql.raw("\(unsafeRaw: s)").run() }
            }
            for (auth, isA) in [(Auth.a, true), (.b, false)] {
                let p = try await env.get("/api/v1/pipelines", as: auth).json["items"].array
                #expect(p[0]["name_key"].string == "pipeline" && p[0]["stages"].array.map { $0["name_key"].string ?? "" } == SeededName.stages)
                if isA { #expect(p[1]["name_key"].isNull && p[1]["stages"].array.allSatisfy { $0["name_key"].isNull }) }
            }
            let id = lists[0]["id"].string!
            #expect(try await env.get("/api/v1/price-lists").json["items"].array[0]["name_key"].string == "price_list_standard")
            // only an administrator renames; another workspace cannot
            #expect(try await env.send(.patch, "/api/v1/price-lists/" + id, json: #"{"name":"零售价"}"#).status == .forbidden)
            #expect(try await env.send(.patch, "/api/v1/price-lists/" + id, as: .b, json: #"{"name":"零售价"}"#).status == .notFound)
            let same = try await env.send(.patch, "/api/v1/price-lists/" + id, as: .admin, json: #"{"is_default":true}"#)
            #expect(same.json["name_key"].string == "price_list_standard")
            let renamed = try await env.send(.patch, "/api/v1/price-lists/" + id, as: .admin, json: #"{"name":"零售价"}"#)
            #expect(renamed.status == .ok && renamed.json["name"].string == "零售价" && renamed.json["name_key"].isNull)
            #expect(try await page(env, "/products", jar, lang: "en").text.contains("零售价"))
        }
    }
}
