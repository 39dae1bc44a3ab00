import Foundation
import Testing
import GuanxiCore
import GuanxiStore
import GuanxiTestSupport
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebIntegration

@Suite("Outgoing webhooks for behaviour events: what ingest stores reaches subscribers as the API shows it")
struct EventWebhookTests: EventPageTesting {
    @Test(arguments: Backend.all)
    func storedEventsReachTheReceiverAsTheEventsAPIShowsThemOncePerPersonInOrder(_ backend: Backend) async throws {
        try await WebhookBench.run(backend) { b in
            let env = b.env
            let (hook, secret) = try await b.subscribe(["event.*"])
            let key = try await source(env)
            let c = try await env.createCustomer(["name": str("王芳"), "emails": strs(["wang.fang@example.cn"])])
            let customerID = try #require(c["id"].string)
            // a visitor's page view, then the visitor signs up (identify links her to 王芳), then buys, in one batch
            let injection = #"'); DROP TABLE events; -- <script>alert(1)</script>"#
            let batch = """
                {"batch":[
                 {"type":"page","name":"首页 🏠","anonymousId":"anon-1","messageId":"m-1","properties":{"path":"/"}},
                 {"type":"identify","anonymousId":"anon-1","userId":"u-42","messageId":"m-2","traits":{"email":"wang.fang@example.cn"}},
                 {"type":"track","event":"Order Completed","userId":"u-42","messageId":"m-3","properties":{"total":128,"item":"龙井茶 🍵","note":\(JSONCoding.encode(injection))}},
                 {"type":"track","event":"Order Completed","userId":"u-42","messageId":"m-3","properties":{"total":128}}
                ]}
                """
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            // the same batch again (a client's retry) stores nothing and sends nothing more
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            var sent: [WebhookVerdict.Next] = []
            for _ in 0..<4 { sent += try await b.sender.runOnce() }   // one person's events go one after another
            #expect(sent == [.delivered, .delivered, .delivered])
            let got = b.receiver.received
            #expect(got.map(\.type) == ["event.received", "event.received", "event.received"])
            #expect(got.allSatisfy { Verify.isSigned($0, with: secret) })
            // in the order stored, each event once, as GET /api/v1/events answers it (the page's customer is the one identify found)
            #expect(got.map { $0.json["data"]["message_id"].string } == ["m-1", "m-2", "m-3"])
            let listed = try await env.get("/api/v1/events?limit=10", as: .admin).json["items"].array
            for r in got {
                let api = try #require(listed.first { $0["message_id"].string == r.json["data"]["message_id"].string })
                #expect(r.json["data"].value == api.value, "\(r.json["data"]) ≠ \(api)")
                #expect(r.json["data"]["customer_id"].string == customerID)
            }
            #expect(got[2].json["data"]["properties"]["item"].string == "龙井茶 🍵" && got[2].json["data"]["properties"]["note"].string == injection)
            #expect(got[0].json["data"]["event"].string == "首页 🏠" && got[0].json["data"]["anonymous_id"].string == "anon-1")
            // the record, for ordering, is the person
            #expect(try await b.deliveries(hook).allSatisfy { $0.recordID == customerID && $0.eventType == "event.received" })
        }
    }

    @Test(arguments: Backend.all)
    func filtersPickEventsByNameAndOtherWorkspacesAndUnsubscribedTypesGetNothing(_ backend: Backend) async throws {
        try await WebhookBench.run(backend) { b in
            let env = b.env
            let (orders, _) = try await b.subscribe(["event.received"], filters: #","filters":{"event":["Order Completed"]}"#)
            let (customers, _) = try await b.subscribe(["customer.*"])
            // workspace B's administrator subscribes too: A's events are not B's
            let other = try await env.send(.post, "/api/v1/webhooks", as: .b, json: #"{"url":"\#(b.receiver.url)","events":["*"]}"#)
            #expect(other.status == .created, "\(other.text)")
            let otherHook = try #require(other.json["id"].string)
            let key = try await source(env)
            let batch = """
                {"batch":[
                 {"type":"track","event":"Product Viewed","anonymousId":"v-1","messageId":"a-1"},
                 {"type":"track","event":"Order Completed","anonymousId":"v-1","messageId":"a-2","properties":{"total":88}},
                 {"type":"page","name":"Order Completed","anonymousId":"v-2","messageId":"a-3"}
                ]}
                """
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            for _ in 0..<3 { _ = try await b.sender.runOnce() }
            // the filter passes the two events named so (a page may carry the name too), from nobody known: the record is the anonymous id
            #expect(Set(b.receiver.received.compactMap { $0.json["data"]["message_id"].string }) == ["a-2", "a-3"])
            #expect(Set(try await b.deliveries(orders).map(\.recordID)) == ["v-1", "v-2"])
            #expect(try await b.deliveries(customers).isEmpty)
            let bScope = Scope(workspaceID: env.workspaceB.id, userID: nil, role: .owner)
            #expect(try await b.store.deliveries(bScope, subscriptionID: otherHook, state: nil, cursor: nil, limit: 10).items.isEmpty)
        }
    }
}
