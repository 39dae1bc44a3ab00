import Testing
import Foundation
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiTestSupport
@testable import GuanxiWeb

/// Idempotency keys belong to the credential that used them, and a replay is answered only to
/// someone who may still have the original answer.
@Suite("Idempotency keys: scoped to the credential, rechecked on replay")
struct IdempotencyScopeTests {
    static func privateCustomer(owner: String) -> String {
        #"{"kind":"person","name":"机密客户 🔒","emails":["secret@example.com"],"owner_id":"\#(owner)"}"#
    }

    @Test(arguments: Backend.all) func anotherMembersKeyDoesNotReplayTheirRecord(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the admin created a customer owned by themselves with key K
            let admin = try #require(try await env.services.access.user(email: "admin-a@example.com"))
            let body = Self.privateCustomer(owner: admin.id)
            let first = try await env.send(.post, "/api/v1/customers", as: .admin, json: body, headers: ["Idempotency-Key": "K-私密"])
            #expect(first.status == .created)
            let id = try #require(first.json["id"].string)
            // and the sales rep can neither read it nor make it
            #expect(try await env.get("/api/v1/customers/\(id)").status == .notFound)
            #expect(try await env.send(.post, "/api/v1/customers", json: body).status == .forbidden)
            // when the rep sends the same body with the admin's key
            let replay = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "K-私密"])
            // then it is the rep's own key: their own answer (403), no replay, no record
            #expect(replay.status == .forbidden)
            #expect(replay.header("Idempotent-Replayed") == nil)
            #expect(!String(decoding: replay.body, as: UTF8.self).contains(id))
            // and the rep cannot burn the admin's key: a different body under K is theirs alone
            let other = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"王芳"}"#, headers: ["Idempotency-Key": "K-私密"])
            #expect(other.status == .created)
            let again = try await env.send(.post, "/api/v1/customers", as: .admin, json: body, headers: ["Idempotency-Key": "K-私密"])
            #expect(again.status == .created && again.header("Idempotent-Replayed") == "true" && again.json["id"].string == id)
        }
    }

    @Test(arguments: Backend.all) func theSameCredentialReplaysAndAnotherTokenOfTheSameUserIsSeparate(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let body = #"{"kind":"person","name":"张伟"}"#
            let first = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-1"])
            let second = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == .created && second.header("Idempotent-Replayed") == "true")
            #expect(second.json["id"].string == first.json["id"].string)
            // a second token of the same user is a credential of its own
            let rep = try #require(try await env.services.access.user(email: "rep-a@example.com"))
            let other = try await env.services.access.createToken(userID: rep.id, workspaceID: env.workspaceA.id, name: "second").secret
            let third = try await env.send(.post, "/api/v1/customers", as: .bearer(other), json: #"{"kind":"person","name":"李雷"}"#,
                                           headers: ["Idempotency-Key": "k-1"])
            #expect(third.status == .created && third.header("Idempotent-Replayed") == nil)
            #expect(third.json["id"].string != first.json["id"].string)
        }
    }

    @Test(arguments: Backend.all) func aReplayIsRefusedWhenTheCallerNoLongerReachesTheRecord(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the rep created a customer with key K, and it was then handed to the admin
            let body = #"{"kind":"person","name":"转手客户"}"#
            let first = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-moved"])
            #expect(first.status == .created)
            let id = try #require(first.json["id"].string)
            let admin = try #require(try await env.services.access.user(email: "admin-a@example.com"))
            let moved = try await env.send(.patch, "/api/v1/customers/\(id)", as: .admin, json: #"{"owner_id":"\#(admin.id)"}"#,
                                           headers: ["If-Match": "\"1\""])
            #expect(moved.status == .ok)
            #expect(try await env.get("/api/v1/customers/\(id)").status == .notFound)
            // when the rep replays K, the stored answer is not shown
            let replay = try await env.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": "k-moved"])
            #expect(replay.status == .notFound)
            #expect(!String(decoding: replay.body, as: UTF8.self).contains("转手客户"))
        }
    }

    @Test(arguments: Backend.all) func aReplayOfACreateWhoseRecordWasDeletedSinceAnswers404(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // settings records made and then deleted: replaying the create must not claim "201 created"
            let cases: [(create: String, body: String, field: String, delete: (String) -> String)] = [
                ("/api/v1/custom-fields", #"{"key":"gift_wrap","label":"礼品包装 🎁","type":"boolean"}"#, "key", { "/api/v1/custom-fields/\($0)" }),
                ("/api/v1/webhooks", #"{"url":"http://127.0.0.1:9/hook","events":["order.*"]}"#, "id", { "/api/v1/webhooks/\($0)" }),
                ("/api/v1/service/canned-replies", #"{"title":"致歉","bodies":{"zh-Hans":"抱歉让您久等了"}}"#, "id", { "/api/v1/service/canned-replies/\($0)" }),
            ]
            for c in cases {
                let first = try await env.send(.post, c.create, as: .admin, json: c.body, headers: ["Idempotency-Key": "again \(c.create)"])
                #expect(first.status == .created, "\(c.create): \(first.text)")
                let key = try #require(first.json[c.field].string)
                let again = try await env.send(.post, c.create, as: .admin, json: c.body, headers: ["Idempotency-Key": "again \(c.create)"])
                #expect(again.status == .created && again.header("Idempotent-Replayed") == "true", "\(c.create)")
                #expect(try await env.send(.delete, c.delete(key), as: .admin).status == .noContent, "\(c.create)")
                let afterDelete = try await env.send(.post, c.create, as: .admin, json: c.body, headers: ["Idempotency-Key": "again \(c.create)"])
                #expect(afterDelete.status == .notFound, "\(c.create): \(afterDelete.text)")
            }
        }
    }
}
