import Foundation
import Testing
import GuanxiTestSupport
import HTTPTypes
import GuanxiCore
import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Hostile and non-ASCII text is stored verbatim")
struct TextSafetyTests {
    static let sqlName = "Robert'); DROP TABLE customers;--"
    static let htmlName = "<img src=x onerror=alert(1)>"
    static let sqlTag = "'; DELETE FROM customer_tags;--"
    static let htmlTag = "<script>alert(1)</script>"

    @Test(arguments: Backend.all)
    func injectionStringsAreStoredVerbatimAndMatchedAsPlainText(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a text custom field and customers whose name, tags and custom value are attack strings
            #expect(try await env.send(.post, "/api/v1/custom-fields", as: .admin, json: #"{"key":"nickname","label":"昵称","type":"text"}"#).status == .created)
            let robert = try await env.createCustomer(["name": str(Self.sqlName), "tags": strs([Self.sqlTag]),
                                                       "custom": .object(["nickname": str("x' OR '1'='1")])])
            let img = try await env.createCustomer(["name": str(Self.htmlName), "tags": strs([Self.htmlTag])])
            let plain = try await env.createCustomer(["name": str("Plain Person"), "tags": strs(["normal"]),
                                                      "custom": .object(["nickname": str("plain")])])
            // when they are read back, and filtered and searched with the same strings
            let gotRobert = try await env.get("/api/v1/customers/\(try #require(robert["id"].string))").json
            let gotImg = try await env.get("/api/v1/customers/\(try #require(img["id"].string))").json
            let bySQLTag = try await env.get("/api/v1/customers?tag=\(q(Self.sqlTag))").json["items"].array
            let byHTMLTag = try await env.get("/api/v1/customers?tag=\(q(Self.htmlTag))").json["items"].array
            let byOrTrue = try await env.get("/api/v1/customers?tag=\(q("' OR '1'='1"))").json["items"].array
            let byCustom = try await env.get("/api/v1/customers?custom.nickname=\(q("x' OR '1'='1"))").json["items"].array
            let byCustomOr = try await env.get("/api/v1/customers?custom.nickname=\(q("' OR 1=1--"))").json["items"].array
            let searchSQL = try await env.get("/api/v1/search?q=\(q("Robert'); DROP"))")
            let searchHTML = try await env.get("/api/v1/search?q=\(q("onerror=alert"))")
            // then values come back byte for byte and only exact matches are found
            #expect(gotRobert["name"].string == Self.sqlName)
            #expect(gotRobert["tags"].array.map(\.string) == [Self.sqlTag])
            #expect(gotRobert["custom"]["nickname"].string == "x' OR '1'='1")
            #expect(gotImg["name"].string == Self.htmlName)
            #expect(gotImg["tags"].array.map(\.string) == [Self.htmlTag])
            #expect(bySQLTag.map { $0["id"].string } == [robert["id"].string])
            #expect(byHTMLTag.map { $0["id"].string } == [img["id"].string])
            #expect(byOrTrue.isEmpty)
            #expect(byCustom.map { $0["id"].string } == [robert["id"].string])
            #expect(byCustomOr.isEmpty)
            #expect(searchSQL.status == .ok)
            #expect(searchSQL.json["items"].array.map { $0["id"].string }.contains(robert["id"].string))
            #expect(!searchSQL.json["items"].array.map { $0["id"].string }.contains(plain["id"].string))
            #expect(searchHTML.json["items"].array.map { $0["id"].string } == [img["id"].string])
            // and the API still works: all three customers and their tags are there
            let all = try await env.get("/api/v1/customers")
            #expect(all.status == .ok)
            #expect(all.json["items"].array.count == 3)
            let tags = Set(try await env.get("/api/v1/tags").json["items"].array.compactMap { $0["tag"].string })
            #expect(tags == [Self.sqlTag, Self.htmlTag, "normal"])
        }
    }

    @Test(arguments: Backend.all) func searchOperatorCharactersAreNotInterpreted(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given one customer
            _ = try await env.createCustomer(name: "Plain Person")
            // when searching with full-text and LIKE operator characters
            for query in ["\"unbalanced", "NEAR(a b)", "a* OR b*", "%%%", "___", "x' OR '1'='1", "name:Plain -Person", "^Plain"] {
                let r = try await env.get("/api/v1/search?q=\(q(query))")
                // then the answer is a normal (possibly empty) result, never an error or a match-everything
                #expect(r.status == .ok, "\(query): \(r.text)")
                if ["%%%", "___", "x' OR '1'='1"].contains(query) {
                    #expect(r.json["items"].array.isEmpty, "\(query) matched: \(r.text)")
                }
            }
        }
    }

    @Test(arguments: Backend.all) func searchWithControlCharactersFindsTheRestOfTheQuery(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given one customer
            let c = try await env.createCustomer(name: "王小明 Plain")
            // when the query carries NUL and other control characters (NUL ended the full-text query: 500)
            for query in ["\u{0}", "Plain\u{0}", "\u{0}王小明", "Pl\u{7}ain\u{1B}", "\u{0}\u{0}\u{0}"] {
                let r = try await env.get("/api/v1/search?q=\(q(query))")
                // then they count as spaces: a normal answer, never a server error
                #expect(r.status == .ok, "\(query.debugDescription): \(r.text)")
                if query.contains("王小明") || query == "Plain\u{0}" {
                    #expect(r.json["items"].array.map { $0["id"].string }.contains(c), "\(query.debugDescription): \(r.text)")
                }
            }
        }
    }

    @Test(arguments: Backend.all) func unknownCustomFieldFilterKeyIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given no custom field definitions
            // when the list is filtered by an injected custom field key
            let r = try await env.get("/api/v1/customers?custom.a')--OR--1=1")
            // then 422 naming that filter
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["custom.a')--OR--1"], "\(r.text)")
        }
    }

    @Test(arguments: Backend.all) func htmlIsReturnedAsJSONNotMarkup(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer named with HTML
            let id = try await env.createCustomer(name: Self.htmlName)
            // when it is read
            let r = try await env.get("/api/v1/customers/\(id)")
            // then it is JSON (nosniff) with the text as a string value
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(r.header("X-Content-Type-Options") == "nosniff")
            #expect(r.json["name"].string == Self.htmlName)
        }
    }

    @Test(arguments: Backend.all) func chineseAndEmojiRoundTripThroughCreateAndRead(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer with Chinese and emoji in name, tags, title and address
            let created = try await env.createCustomer([
                "name": str("王小明 😀"), "title": str("总经理👔"), "tags": strs(["贵宾", "🎉 party"]),
                "addresses": .array([.object(["province": str("广东省"), "city": str("深圳市"), "street": str("南山区科技园 1号 🏢")])]),
            ])
            // when it is read back
            let got = try await env.get("/api/v1/customers/\(try #require(created["id"].string))").json
            // then every string is exactly as sent
            #expect(got["name"].string == "王小明 😀")
            #expect(got["title"].string == "总经理👔")
            #expect(got["tags"].array.map(\.string) == ["贵宾", "🎉 party"])
            #expect(got["addresses"][0]["city"].string == "深圳市")
            #expect(got["addresses"][0]["street"].string == "南山区科技园 1号 🏢")
            // and a Chinese tag filter finds it
            let byTag = try await env.get("/api/v1/customers?tag=\(q("贵宾"))").json["items"].array
            #expect(byTag.map { $0["id"].string } == [created["id"].string])
        }
    }

    @Test(arguments: Backend.all) func csvExportIsUTF8WithBOMAndKeepsChineseAndEmoji(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer with Chinese and emoji
            let id = try await env.createCustomer(["name": str("王小明 😀"), "tags": strs(["贵宾", "🎉"]),
                                                   "emails": strs(["xm@example.com"])])["id"].string ?? "?"
            // when an admin exports customers
            let r = try await env.get("/api/v1/exports/customers.csv", as: .admin)
            // then the CSV starts with a UTF-8 BOM and carries the text unchanged
            #expect(r.status == .ok)
            #expect(r.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(Array(r.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = try #require(String(data: r.body.dropFirst(3), encoding: .utf8))
            let lines = text.split(whereSeparator: \.isNewline)
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("id,") == true)
            #expect(text.contains(id))
            #expect(text.contains("王小明 😀"))
            #expect(text.contains("贵宾;🎉"))
        }
    }

    @Test(arguments: Backend.all) func csvExportOfAWorkspaceExcludesOtherWorkspaces(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer in A
            _ = try await env.createCustomer(name: "只在A")
            // when B exports
            let r = try await env.get("/api/v1/exports/customers.csv", as: .b)
            // then B's file has only the header
            #expect(r.status == .ok)
            #expect(!r.text.contains("只在A"))
            #expect(String(decoding: r.body.dropFirst(3), as: UTF8.self).split(whereSeparator: \.isNewline).count == 1)
        }
    }
}
