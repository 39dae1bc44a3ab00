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

@Suite("Customer list filters, cursors and CSV import")
struct ListAndImportTests {
    @Test(arguments: Backend.all) func stageFilterPagesThroughWithNextCursor(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given five leads and two prospects
            var leads: [String] = []
            for i in 1...5 { leads.append(try await env.createCustomer(["name": str("线索 \(i)"), "stage": str("lead")])["id"].string ?? "missing") }
            for i in 1...2 { _ = try await env.createCustomer(["name": str("潜客 \(i)")]) }
            // when leads are listed two at a time, following next_cursor
            var seen: [String] = []
            var pageSizes: [Int] = []
            var uri = "/api/v1/customers?stage=lead&limit=2"
            for _ in 0..<10 {
                let r = try await env.get(uri)
                #expect(r.status == .ok, "\(r.text)")
                let items = r.json["items"].array
                pageSizes.append(items.count)
                seen += items.compactMap { $0["id"].string }
                #expect(items.allSatisfy { $0["stage"].string == "lead" })
                guard let next = r.json["next_cursor"].string else { break }
                uri = "/api/v1/customers?stage=lead&limit=2&cursor=\(q(next))"
            }
            // then pages are 2, 2, 1, newest first, each lead exactly once
            #expect(pageSizes == [2, 2, 1])
            #expect(seen == Array(leads.reversed()))
        }
    }

    @Test(arguments: Backend.all) func nameSortPagesThroughChineseNamesWithoutRepeats(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given customers with Chinese, Latin and emoji names
            let names = ["张三", "Alice", "李四", "😀 Smile", "Bob", "王五"]
            for n in names { _ = try await env.createCustomer(name: n) }
            // when listed by name two at a time
            var seen: [String] = []
            var uri = "/api/v1/customers?sort=name&limit=2"
            for _ in 0..<10 {
                let r = try await env.get(uri)
                seen += r.json["items"].array.compactMap { $0["name"].string }
                guard let next = r.json["next_cursor"].string else { break }
                uri = "/api/v1/customers?sort=name&limit=2&cursor=\(q(next))"
            }
            // then every customer appears once
            #expect(seen.count == names.count)
            #expect(Set(seen) == Set(names))
        }
    }

    @Test(arguments: Backend.all) func limitZeroIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given nothing
            // when listing with limit=0
            let r = try await env.get("/api/v1/customers?limit=0")
            // then 422 naming limit
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["limit"])
        }
    }

    @Test(arguments: Backend.all) func limitAboveMaximumIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when listing with limit=201 and with a non-number
            let big = try await env.get("/api/v1/customers?limit=201")
            let word = try await env.get("/api/v1/customers?limit=ten")
            // then both 422
            #expect(big.status == .unprocessableContent)
            #expect(word.status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all) func unknownStageIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when listing with stage=foo
            let r = try await env.get("/api/v1/customers?stage=foo")
            // then 422 naming stage
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["stage"])
        }
    }

    @Test(arguments: Backend.all) func unknownSortIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when listing with sort=password_hash
            let r = try await env.get("/api/v1/customers?sort=password_hash")
            // then 422 naming sort
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["sort"])
        }
    }

    @Test(arguments: Backend.all, ["garbage!!", "bm90LWpzb24", "W10", "WyJ4Iiw1XQ", "W3RydWUsImEiXQ"])
    func invalidCursorIs422(_ backend: Backend, _ cursor: String) async throws {
        // "bm90LWpzb24" = not-json, "W10" = [], "WyJ4Iiw1XQ" = ["x",5], "W3RydWUsImEiXQ" = [true,"a"]
        try await WebEnv.run(backend) { env in
            // when listing with a cursor the server never issued
            let r = try await env.get("/api/v1/customers?cursor=\(cursor)")
            // then 422 naming cursor
            #expect(r.status == .unprocessableContent, "\(r.text)")
            #expect(r.json["error"]["fields"].keys == ["cursor"])
        }
    }

    @Test(arguments: Backend.all)
    func cursorWithHugeNumberIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a cursor holding [1e300, "a"] (base64url)
            let cursor = Data(#"[1e300,"a"]"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            // when listing with it
            let r = try await env.get("/api/v1/customers?cursor=\(q(cursor))")
            // then 422, not a crash
            #expect(r.status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all) func invalidDateFilterIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when listing with created_from=yesterday
            let r = try await env.get("/api/v1/customers?created_from=yesterday")
            // then 422 naming created_from
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["created_from"])
        }
    }

    static func pollImport(_ env: WebEnv, _ id: String) async throws -> J {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let r = try await env.get("/api/v1/imports/\(id)")
            #expect(r.status == .ok, "\(r.text)")
            if r.json["status"].string != "running" { return r.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("import \(id) did not finish within 10 s")
        return J(nil)
    }

    @Test(arguments: Backend.all) func csvImportWithChineseHeadersReportsCreatedAndRejectedRows(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a CSV with Chinese headers and one row with an unknown stage (line 3)
            let csv = """
            姓名,邮箱,手机,阶段,标签
            王小明,xm@example.com,13812345678,线索,贵宾
            李雷,lilei@example.com,,未知阶段,
            韩梅梅,hmm@example.com,,客户,😀

            """
            // when it is uploaded
            let r = try await env.send(.post, "/api/v1/imports?filename=\(q("客户.csv"))", body: Data(csv.utf8), contentType: "text/csv")
            // then 202 with a job that finishes with 2 created, 1 rejected naming line 3
            #expect(r.status == .accepted, "\(r.text)")
            let jobID = try #require(r.json["id"].string)
            #expect(r.header("Location") == "/api/v1/imports/\(jobID)")
            let job = try await Self.pollImport(env, jobID)
            #expect(job["status"].string == "finished", "\(job)")
            #expect(job["filename"].string == "客户.csv")
            #expect(job["report"]["created"].int == 2)
            #expect(job["report"]["rejected"].int == 1)
            let errors = job["report"]["errors"].array
            #expect(errors.map(\.["line"].int) == [3], "\(job)")
            #expect(errors.first?["column"].string == "阶段")
            // and the imported customers are there, text intact
            let hits = try await env.get("/api/v1/customers?tag=\(q("贵宾"))").json["items"].array
            #expect(hits.map(\.["name"].string) == ["王小明"])
            #expect(hits.first?["stage"].string == "lead")
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 2)
        }
    }

    @Test(arguments: Backend.all) func emptyImportUploadIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when an empty CSV is uploaded
            let r = try await env.send(.post, "/api/v1/imports", body: Data(), contentType: "text/csv")
            // then 422 naming the file
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["file"])
        }
    }

    @Test(arguments: Backend.all) func anotherWorkspacesImportJobIsNotFound(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an import by A
            let r = try await env.send(.post, "/api/v1/imports", body: Data("name\nAlice\n".utf8), contentType: "text/csv")
            let jobID = try #require(r.json["id"].string)
            _ = try await Self.pollImport(env, jobID)
            // when B reads it
            let b = try await env.get("/api/v1/imports/\(jobID)", as: .b)
            // then 404
            #expect(b.status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func readOnlyTokenCannotImport(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a read_only token
            // when it uploads a CSV
            let r = try await env.send(.post, "/api/v1/imports", as: .readOnly, body: Data("name\nAlice\n".utf8), contentType: "text/csv")
            // then 403
            #expect(r.status == .forbidden)
        }
    }
}
