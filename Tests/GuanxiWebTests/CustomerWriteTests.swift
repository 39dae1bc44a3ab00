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

@Suite("Customer writes: ETags, idempotency, duplicates")
struct CustomerWriteTests {
    @Test(arguments: Backend.all) func getAnswersETagOfTheVersion(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a new customer
            let id = try await env.createCustomer(name: "李雷")
            // when it is read
            let r = try await env.get("/api/v1/customers/\(id)")
            // then the ETag is its version, quoted
            #expect(r.status == .ok)
            #expect(r.header("ETag") == "\"1\"")
            #expect(r.json["version"].int == 1)
        }
    }

    @Test(arguments: Backend.all) func patchWithMatchingIfMatchSucceedsAndBumpsETag(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer at version 1
            let id = try await env.createCustomer(name: "李雷")
            // when it is changed with If-Match "1"
            let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#, headers: ["If-Match": "\"1\""])
            // then it succeeds with ETag "2"
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.header("ETag") == "\"2\"")
            #expect(r.json["stage"].string == "lead")
        }
    }

    @Test(arguments: Backend.all) func patchWithStaleIfMatchIsVersionConflict(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer changed once (now version 2)
            let id = try await env.createCustomer(name: "李雷")
            _ = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#)
            // when a change is sent with the stale If-Match "1"
            let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"name":"韩梅梅"}"#, headers: ["If-Match": "\"1\""])
            // then 412 version_conflict naming the current version, and nothing changed
            #expect(r.status == .preconditionFailed)
            #expect(r.errorCode == "version_conflict")
            #expect(r.json["error"]["current_version"].int == 2)
            #expect(try await env.get("/api/v1/customers/\(id)").json["name"].string == "李雷")
        }
    }

    @Test(arguments: Backend.all) func anIfMatchThatIsNotAnIssuedETagFailsThePrecondition(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let id = try await env.createCustomer(name: "李雷")
            // when a change is sent with an If-Match that is not an issued ETag
            let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#, headers: ["If-Match": "\"abc\""])
            // then the precondition is false (RFC 9110): 412 with the current version
            #expect(r.status == .preconditionFailed)
            #expect(r.errorCode == "version_conflict" && r.json["error"]["current_version"].int == 1)
        }
    }

    @Test(arguments: Backend.all) func deleteWithStaleIfMatchIsVersionConflict(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer changed once (now version 2)
            let id = try await env.createCustomer(name: "李雷")
            _ = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"stage":"lead"}"#)
            // when it is deleted with the stale If-Match "1"
            let r = try await env.send(.delete, "/api/v1/customers/\(id)", headers: ["If-Match": "\"1\""])
            // then 412 and it still exists
            #expect(r.status == .preconditionFailed)
            #expect(r.errorCode == "version_conflict")
            #expect(try await env.get("/api/v1/customers/\(id)").status == .ok)
        }
    }

    @Test(arguments: Backend.all) func deleteWithCurrentIfMatchRemovesTheCustomer(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer at version 1
            let id = try await env.createCustomer(name: "李雷")
            // when it is deleted with If-Match "1"
            let r = try await env.send(.delete, "/api/v1/customers/\(id)", headers: ["If-Match": "\"1\""])
            // then 204 and it is gone
            #expect(r.status == .noContent)
            #expect(try await env.get("/api/v1/customers/\(id)").status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func sameIdempotencyKeyAndBodyReplaysTheFirstAnswer(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a create sent with an Idempotency-Key
            let body = #"{"kind":"person","name":"张伟","emails":["zhang.wei@example.com"]}"#
            let first = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-123"])
            #expect(first.status == .created)
            #expect(first.header("Idempotent-Replayed") == nil)
            // when exactly the same request is sent again
            let second = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-123"])
            // then the first answer is replayed and only one customer exists
            #expect(second.status == .created)
            #expect(second.header("Idempotent-Replayed") == "true")
            #expect(second.json["id"].string == first.json["id"].string)
            #expect(second.header("Location") == first.header("Location"))
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 1)
        }
    }

    @Test(arguments: Backend.all) func sameIdempotencyKeyWithDifferentBodyIsConflict(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a create sent with an Idempotency-Key
            let first = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"张伟"}"#,
                                           headers: ["Idempotency-Key": "k-456"])
            #expect(first.status == .created)
            // when the key is reused for a different body
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"王芳"}"#,
                                       headers: ["Idempotency-Key": "k-456"])
            // then 409 and still one customer
            #expect(r.status == .conflict)
            #expect(r.errorCode == "conflict")
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 1)
        }
    }

    @Test(arguments: Backend.all) func idempotencyKeysAreSeparatePerWorkspace(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given workspace A used key "shared"
            let a = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"张伟"}"#, headers: ["Idempotency-Key": "shared"])
            // when workspace B sends the same key and body
            let b = try await env.send(.post, "/api/v1/customers", as: .b, json: #"{"kind":"person","name":"张伟"}"#,
                                       headers: ["Idempotency-Key": "shared"])
            // then B gets its own new customer, not A's replayed answer
            #expect(b.status == .created)
            #expect(b.header("Idempotent-Replayed") == nil)
            #expect(b.json["id"].string != a.json["id"].string)
        }
    }

    @Test(arguments: Backend.all) func secondCustomerWithSameEmailIsDuplicateNamingTheFirst(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer with an email
            let first = try await env.createCustomer(["name": str("张伟"), "emails": strs(["Zhang.Wei@Example.com"])])
            // when another customer is created with the same email (other case)
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"张 伟","emails":["zhang.wei@example.com"]}"#)
            // then 409 duplicate with existing_id
            #expect(r.status == .conflict)
            #expect(r.errorCode == "duplicate")
            #expect(r.json["error"]["existing_id"].string == first["id"].string)
            #expect(r.json["error"]["fields"].keys == ["emails"])
        }
    }

    @Test(arguments: Backend.all) func readOnlyTokenCannotPatchOrDelete(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer and a read_only token
            let id = try await env.createCustomer(name: "李雷")
            // when the read_only user changes and deletes it
            let patch = try await env.send(.patch, "/api/v1/customers/\(id)", as: .readOnly, json: #"{"stage":"lead"}"#)
            let delete = try await env.send(.delete, "/api/v1/customers/\(id)", as: .readOnly)
            // then both are forbidden
            #expect(patch.status == .forbidden)
            #expect(delete.status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func concurrentRequestsWithTheSameIdempotencyKeyCreateOneCustomer(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given four identical creates with one Idempotency-Key, sent at the same time
            let body = #"{"kind":"person","name":"并发测试"}"#
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let r = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "race-1"])
                        #expect(r.status == .created)
                        return r.json["id"].string
                    }
                }
                var out: [String?] = []
                for try await id in group { out.append(id) }
                return out
            }
            // then all four answers name the same customer, and only one exists
            #expect(Set(ids).count == 1, "\(ids)")
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 1)
        }
    }
}
