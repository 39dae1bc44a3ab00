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

@Suite("Tags, identities, restore")
struct CustomerSubresourceTests {
    @Test(arguments: Backend.all) func tagsWithChineseAndPercentSignsAreRemovedByTheirEncodedName(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer tagged 贵宾, 50%off and keep
            let id = try await env.createCustomer(["name": str("王小明"), "tags": strs(["贵宾", "50%off", "keep"])])["id"].string ?? "?"
            // when the first two are removed using percent-encoded path segments
            let a = try await env.send(.delete, "/api/v1/customers/\(id)/tags/\(q("贵宾"))")
            let b = try await env.send(.delete, "/api/v1/customers/\(id)/tags/\(q("50%off"))")
            // then only "keep" is left
            #expect(a.status == .ok, "\(a.text)")
            #expect(b.status == .ok, "\(b.text)")
            #expect(try await env.get("/api/v1/customers/\(id)").json["tags"].array.map(\.string) == ["keep"])
        }
    }

    @Test(arguments: Backend.all) func addingTagsKeepsExistingOnesWithoutDuplicates(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer tagged vip
            let id = try await env.createCustomer(["name": str("王小明"), "tags": strs(["vip"])])["id"].string ?? "?"
            // when vip and 新客 are added
            let r = try await env.send(.post, "/api/v1/customers/\(id)/tags", json: #"{"tags":["vip","新客"]}"#)
            // then the tags are vip, 新客
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["tags"].array.map(\.string) == ["vip", "新客"])
            #expect(r.header("ETag") == "\"2\"")
        }
    }

    @Test(arguments: Backend.all) func emailIdentityCanBeAddedAndRemoved(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer with no email
            let id = try await env.createCustomer(name: "王小明")
            // when an email identity is added, then removed by its encoded value
            let add = try await env.send(.post, "/api/v1/customers/\(id)/identities", json: #"{"kind":"email","value":"Wang+Test@Example.com"}"#)
            let list = try await env.get("/api/v1/customers/\(id)/identities")
            let remove = try await env.send(.delete, "/api/v1/customers/\(id)/identities/email/\(q("wang+test@example.com"))")
            // then it was stored normalised and is gone afterwards
            #expect(add.status == .ok, "\(add.text)")
            #expect(list.json["items"].array.map(\.["value"].string).contains("wang+test@example.com"))
            #expect(remove.status == .ok, "\(remove.text)")
            #expect(remove.json["emails"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func weakETagInIfMatchIsAccepted(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer at version 1
            let id = try await env.createCustomer(name: "王小明")
            // when it is changed with If-Match W/"1"
            let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#, headers: ["If-Match": "W/\"1\""])
            // then it succeeds
            #expect(r.status == .ok, "\(r.text)")
        }
    }

    @Test(arguments: Backend.all) func deletedCustomerCanBeRestored(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a deleted customer
            let id = try await env.createCustomer(name: "王小明")
            #expect(try await env.send(.delete, "/api/v1/customers/\(id)").status == .noContent)
            // when it is restored
            let r = try await env.send(.post, "/api/v1/customers/\(id)/restore")
            // then it is readable and listed again
            #expect(r.status == .ok, "\(r.text)")
            #expect(try await env.get("/api/v1/customers/\(id)").status == .ok)
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 1)
            #expect(try await env.get("/api/v1/customers?deleted=true").json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func patchWithNullClearsAField(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer with a title
            let id = try await env.createCustomer(["name": str("王小明"), "title": str("经理")])["id"].string ?? "?"
            // when title is sent as null
            let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"title":null}"#)
            // then the title is cleared
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["title"].isNull)
        }
    }
}
