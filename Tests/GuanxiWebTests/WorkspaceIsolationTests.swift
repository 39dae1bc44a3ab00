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

@Suite("Two workspaces never see each other")
struct WorkspaceIsolationTests {
    @Test(arguments: Backend.all)
    func unknownCustomerIDIsNotFound(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an id nobody has
            let id = UUID().uuidString.lowercased()
            // when it is read, changed, deleted, and its timeline and notes are used
            let replies = [
                try await env.get("/api/v1/customers/\(id)"),
                try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#),
                try await env.send(.delete, "/api/v1/customers/\(id)"),
                try await env.get("/api/v1/customers/\(id)/timeline"),
                try await env.get("/api/v1/customers/\(id)/notes"),
                try await env.send(.post, "/api/v1/customers/\(id)/notes", json: #"{"body":"hello"}"#),
            ]
            // then each answers 404 not_found
            for r in replies {
                #expect(r.status == .notFound, "\(r.text)")
                #expect(r.errorCode == "not_found")
            }
        }
    }

    @Test(arguments: Backend.all) func malformedCustomerIDIsNotFound(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an id that is not a UUID
            // when it is read
            let r = try await env.get("/api/v1/customers/\(q("'; DROP TABLE customers;--"))")
            // then 404, not 400 or 500
            #expect(r.status == .notFound)
            #expect(r.errorCode == "not_found")
        }
    }

    @Test(arguments: Backend.all)
    func anotherWorkspacesCustomerIsNotFoundForEveryOperation(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer of workspace A with a note
            let id = try await env.createCustomer(name: "王小明")
            #expect(try await env.send(.post, "/api/v1/customers/\(id)/notes", json: #"{"body":"A 的备注"}"#).status == .created)
            // when workspace B reads, changes, deletes it, and reads and writes its timeline and notes
            let replies = [
                try await env.get("/api/v1/customers/\(id)", as: .b),
                try await env.send(.patch, "/api/v1/customers/\(id)", as: .b, json: #"{"name":"stolen"}"#),
                try await env.send(.delete, "/api/v1/customers/\(id)", as: .b),
                try await env.get("/api/v1/customers/\(id)/timeline", as: .b),
                try await env.get("/api/v1/customers/\(id)/notes", as: .b),
                try await env.send(.post, "/api/v1/customers/\(id)/notes", as: .b, json: #"{"body":"B was here"}"#),
            ]
            // then each answers 404, exactly as for an id that does not exist, and A's customer is untouched
            for r in replies {
                #expect(r.status == .notFound, "\(r.text)")
                #expect(r.errorCode == "not_found")
            }
            let mine = try await env.get("/api/v1/customers/\(id)")
            #expect(mine.json["name"].string == "王小明")
            #expect(mine.json["version"].int == 1)
            let notes = try await env.get("/api/v1/customers/\(id)/notes").json["items"].array
            #expect(notes.map { $0["body"].string } == ["A 的备注"])
        }
    }

    @Test(arguments: Backend.all)
    func listAndSearchShowOnlyTheCallersWorkspace(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the same-looking customer in both workspaces, and one only in A
            let a = try await env.createCustomer(["name": str("王小明"), "emails": strs(["xiaoming@example.com"]), "tags": strs(["vip"])])
            let b = try await env.createCustomer(["name": str("王小明"), "emails": strs(["xiaoming@example.com"]), "tags": strs(["vip"])], as: .b)
            _ = try await env.createCustomer(name: "Acme Trading", as: .a)
            // when B lists, filters by tag, and searches
            let list = try await env.get("/api/v1/customers", as: .b).json["items"].array
            let tagged = try await env.get("/api/v1/customers?tag=vip", as: .b).json["items"].array
            let byName = try await env.get("/api/v1/search?q=\(q("王小明"))", as: .b).json["items"].array
            let byEmail = try await env.get("/api/v1/search?q=\(q("xiaoming@example.com"))", as: .b).json["items"].array
            let byOther = try await env.get("/api/v1/search?q=Acme", as: .b).json["items"].array
            let tags = try await env.get("/api/v1/tags", as: .b).json["items"].array
            // then only B's own customer appears
            #expect(a["id"].string != b["id"].string)
            #expect(list.map { $0["id"].string } == [b["id"].string])
            #expect(tagged.map { $0["id"].string } == [b["id"].string])
            #expect(byName.map { $0["id"].string } == [b["id"].string])
            #expect(byEmail.map { $0["id"].string } == [b["id"].string])
            #expect(byOther.isEmpty)
            #expect(tags.map { $0["count"].int } == [1])
        }
    }

    @Test(arguments: Backend.all)
    func searchFindsChineseLatinEmailAndPhone(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given three customers
            let wang = try await env.createCustomer(["name": str("王小明"), "phones": strs(["13812345678"])])["id"].string
            let acme = try await env.createCustomer(["name": str("Acme Trading"), "emails": strs(["sales@acme.example"])])["id"].string
            _ = try await env.createCustomer(name: "李雷")
            // when searching by full Chinese name, two characters, a Latin word, an email and a phone
            func ids(_ query: String) async throws -> [String?] {
                let r = try await env.get("/api/v1/search?q=\(q(query))")
                #expect(r.status == .ok, "\(query): \(r.text)")
                return r.json["items"].array.map { $0["id"].string }
            }
            // then each finds the right customer first
            #expect(try await ids("王小明").first == wang)
            #expect(try await ids("小明").first == wang)
            #expect(try await ids("acme").first == acme)
            #expect(try await ids("sales@acme.example").first == acme)
            #expect(try await ids("13812345678").first == wang)
        }
    }

    @Test(arguments: Backend.all) func searchWithoutQueryIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given nothing
            // when searching with no q
            let r = try await env.get("/api/v1/search")
            // then 422 naming q
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["q"])
        }
    }
}
