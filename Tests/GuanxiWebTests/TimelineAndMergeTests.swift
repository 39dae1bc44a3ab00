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

@Suite("Notes, interactions, timeline, merges")
struct TimelineAndMergeTests {
    @Test(arguments: Backend.all) func newNoteIsFirstOnTheTimeline(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer (whose timeline starts with "created")
            let id = try await env.createCustomer(name: "王小明")
            try await Task.sleep(for: .milliseconds(5)) // a later millisecond than "created"
            // when a note is added
            let note = try await env.send(.post, "/api/v1/customers/\(id)/notes", json: #"{"body":"电话回访：想要报价 📞"}"#)
            #expect(note.status == .created, "\(note.text)")
            // then the timeline shows it first, with the text as sent
            let items = try await env.get("/api/v1/customers/\(id)/timeline").json["items"].array
            #expect(items.first?["id"].string == note.json["id"].string)
            #expect(items.first?["kind"].string == "note")
            #expect(items.first?["body"].string == "电话回访：想要报价 📞")
            #expect(items.map(\.["kind"].string).contains("created"))
        }
    }

    @Test(arguments: Backend.all) func interactionWithoutKindIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let id = try await env.createCustomer(name: "王小明")
            // when an interaction without a kind is logged
            let r = try await env.send(.post, "/api/v1/customers/\(id)/interactions", json: #"{"subject":"拜访"}"#)
            // then 422 naming kind
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys.contains("kind"), "\(r.text)")
        }
    }

    @Test(arguments: Backend.all) func interactionWithUnknownKindIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let id = try await env.createCustomer(name: "王小明")
            // when an interaction with an unknown kind is logged
            let r = try await env.send(.post, "/api/v1/customers/\(id)/interactions", json: #"{"kind":"telepathy","subject":"?"}"#)
            // then 422 naming kind
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["kind"], "\(r.text)")
        }
    }

    @Test(arguments: Backend.all) func loggedInteractionIsListedUnderInteractionsNotNotes(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let id = try await env.createCustomer(name: "王小明")
            // when a WeChat interaction is logged
            let r = try await env.send(.post, "/api/v1/customers/\(id)/interactions",
                                       json: #"{"kind":"wechat","direction":"inbound","subject":"询价","duration_seconds":60}"#)
            // then it is an interaction, and the notes list stays empty
            #expect(r.status == .created, "\(r.text)")
            let interactions = try await env.get("/api/v1/customers/\(id)/interactions").json["items"].array
            #expect(interactions.map(\.["id"].string) == [r.json["id"].string])
            #expect(interactions.first?["channel"].string == "wechat")
            #expect(try await env.get("/api/v1/customers/\(id)/notes").json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func timelineWithUnknownKindFilterIs422(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let id = try await env.createCustomer(name: "王小明")
            // when the timeline is filtered by an unknown kind
            let r = try await env.get("/api/v1/customers/\(id)/timeline?kinds=note,bogus")
            // then 422 naming kinds
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["kinds"])
        }
    }

    @Test(arguments: Backend.all) func mergeThenUndoRestoresBothCustomersExactly(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given two customers that look like the same person, with a note each
            let s = try await env.createCustomer(["name": str("王小明"), "emails": strs(["xm@example.com"]), "tags": strs(["vip"]),
                                                  "stage": str("lead")])["id"].string ?? "missing"
            let m = try await env.createCustomer(["name": str("王 小明"), "phones": strs(["13812345678"]), "tags": strs(["wechat"]),
                                                  "title": str("经理")])["id"].string ?? "missing"
            _ = try await env.send(.post, "/api/v1/customers/\(m)/notes", json: #"{"body":"merged side note"}"#)
            let beforeS = try await env.get("/api/v1/customers/\(s)")
            let beforeM = try await env.get("/api/v1/customers/\(m)")
            // when they are merged, then the merge is undone
            let merge = try await env.send(.post, "/api/v1/merges", json: json(["survivor_id": str(s), "merged_id": str(m)]))
            #expect(merge.status == .created, "\(merge.text)")
            let mergeID = try #require(merge.json["merge"]["id"].string)
            #expect(Set(merge.json["customer"]["phones"].array.compactMap(\.string)).contains("13812345678") ||
                    !merge.json["customer"]["phones"].array.isEmpty)
            #expect(try await env.get("/api/v1/customers/\(m)").status == .notFound)
            let undo = try await env.send(.post, "/api/v1/merges/\(mergeID)/undo")
            #expect(undo.status == .ok, "\(undo.text)")
            // then both read back exactly as before
            let afterS = try await env.get("/api/v1/customers/\(s)")
            let afterM = try await env.get("/api/v1/customers/\(m)")
            #expect(afterS.status == .ok)
            #expect(afterM.status == .ok)
            #expect(afterS.json.value == beforeS.json.value, "survivor before: \(beforeS.text)\nafter: \(afterS.text)")
            #expect(afterM.json.value == beforeM.json.value, "merged before: \(beforeM.text)\nafter: \(afterM.text)")
            // and the merged customer's note is back on its own timeline
            let notes = try await env.get("/api/v1/customers/\(m)/notes").json["items"].array
            #expect(notes.map(\.["body"].string) == ["merged side note"])
        }
    }

    @Test(arguments: Backend.all) func undoingAMergeTwiceIsConflict(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a merge that was undone
            let s = try await env.createCustomer(name: "王小明")
            let m = try await env.createCustomer(name: "王小明")
            let merge = try await env.send(.post, "/api/v1/merges", json: json(["survivor_id": str(s), "merged_id": str(m)]))
            let mergeID = try #require(merge.json["merge"]["id"].string)
            #expect(try await env.send(.post, "/api/v1/merges/\(mergeID)/undo").status == .ok)
            // when it is undone again
            let again = try await env.send(.post, "/api/v1/merges/\(mergeID)/undo")
            // then 409
            #expect(again.status == .conflict)
            #expect(again.errorCode == "conflict")
        }
    }

    @Test(arguments: Backend.all) func anotherWorkspaceCannotMergeOrUndo(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given two customers of A merged by A
            let s = try await env.createCustomer(name: "王小明")
            let m = try await env.createCustomer(name: "王小明")
            let body = json(["survivor_id": str(s), "merged_id": str(m)])
            // when B tries to merge them, and later to undo A's merge
            let bMerge = try await env.send(.post, "/api/v1/merges", as: .b, json: body)
            let merge = try await env.send(.post, "/api/v1/merges", json: body)
            let mergeID = try #require(merge.json["merge"]["id"].string)
            let bUndo = try await env.send(.post, "/api/v1/merges/\(mergeID)/undo", as: .b)
            // then both are 404
            #expect(bMerge.status == .notFound)
            #expect(bUndo.status == .notFound)
        }
    }
}
