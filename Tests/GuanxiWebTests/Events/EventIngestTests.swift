import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebEvents

@Suite("Behaviour events: sources and write keys, the tracking clients' intake, once per message, identity links, a customer's events")
struct EventIngestTests {
    /// A source made through the API by workspace A's administrator (or B's); its id and write key.
    func source(_ env: WebEnv, as auth: Auth = .admin, origins: [String] = []) async throws -> (id: String, key: String) {
        let r = try await env.send(.post, "/api/v1/event-sources", as: auth,
                                   json: json(["name": str("网店 🛒"), "allowed_origins": strs(origins)]))
        #expect(r.status == .created, "\(r.text)")
        return (r.json["source"]["id"].string ?? "missing", r.json["write_key"].string ?? "missing")
    }

    func basic(_ key: String) -> String { "Basic " + Data((key + ":").utf8).base64EncodedString() }

    /// Posts a body to an intake address with the key as Basic user (or no key).
    func post(_ env: WebEnv, _ path: String, key: String?, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await env.send(.post, path, as: key.map { .header(basic($0)) } ?? .none, body: Data(body.utf8), contentType: "text/plain", headers: headers)
    }

    func events(_ env: WebEnv, _ customer: String, as auth: Auth = .a) async throws -> Reply {
        try await env.get("/api/v1/customers/\(customer)/events", as: auth)
    }

    @Test(arguments: Backend.all)
    func sourcesAreForAdministratorsOfTheirWorkspace(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (id, key) = try await source(env)
            #expect(key.hasPrefix("gxw_"))
            let list = try await env.get("/api/v1/event-sources", as: .admin)
            #expect(list.status == .ok && list.json["items"].array.count == 1 && list.json["items"][0]["key_prefix"].string == String(key.prefix(10)))
            #expect(!list.text.contains(key), "the key is shown only when made")
            // a sales rep may not; another workspace's administrator does not find it
            #expect(try await env.get("/api/v1/event-sources", as: .a).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/event-sources/\(id)/rotate-key", as: .b).status == .notFound)
            #expect(try await env.send(.post, "/api/v1/event-sources", as: .admin, json: #"{"name":"  "}"#).status == .unprocessableContent)
            #expect(try await env.send(.post, "/api/v1/event-sources", as: .admin,
                                       json: #"{"name":"x","allowed_origins":["javascript:alert(1)"]}"#).status == .unprocessableContent)

            let track = #"{"event":"Viewed","anonymousId":"v-1"}"#
            #expect(try await post(env, "/v1/track", key: key, track).status == .ok)
            // disabled: refused; enabled again: taken
            #expect(try await env.send(.post, "/api/v1/event-sources/\(id)/disable", as: .admin).json["enabled"].bool == false)
            let refused = try await post(env, "/v1/track", key: key, track)
            #expect(refused.status == .forbidden && refused.json["code"].string == "source_disabled")
            #expect(try await env.send(.post, "/api/v1/event-sources/\(id)/enable", as: .admin).status == .ok)
            #expect(try await post(env, "/v1/track", key: key, track).status == .ok)
            // a new key: the old one stops at once
            let rotated = try await env.send(.post, "/api/v1/event-sources/\(id)/rotate-key", as: .admin)
            let newKey = try #require(rotated.json["write_key"].string)
            #expect(try await post(env, "/v1/track", key: key, track).status == .unauthorized)
            #expect(try await post(env, "/v1/track", key: newKey, track).status == .ok)
            // wrong and missing keys
            #expect(try await post(env, "/v1/t", key: "gxw_nope", track).status == .unauthorized)
            #expect(try await post(env, "/v1/t", key: nil, track).status == .unauthorized)
            // the counters
            let s = try await env.get("/api/v1/event-sources", as: .admin).json["items"][0]
            #expect(s["received"].int == 3 && s["stored"].int == 3 && s["duplicates"].int == 0)
        }
    }

    @Test(arguments: Backend.all)
    func anIdentifyAttachesTheVisitorsHistoryAndRetriesAreStoredOnce(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            let customer = try await env.createCustomer(["name": str("王芳"), "emails": strs(["wang.fang@example.cn"])])["id"].string!
            let injection = #"'); DROP TABLE events; -- <script>alert(1)</script>"#
            let batch = json(["batch": .array([
                .object(["type": str("page"), "anonymousId": str("anon-7"), "messageId": str("m-1"), "name": str("首页"),
                         "timestamp": str("2026-12-01T08:00:00.000Z")]),
                .object(["type": str("track"), "anonymousId": str("anon-7"), "messageId": str("m-2"), "event": str("Product Viewed"),
                         "properties": .object(["名称": str("龙井 🍵"), "note": str(injection)]), "timestamp": str("2026-12-01T08:01:00+00:00")]),
            ])])
            #expect(try await post(env, "/v1/batch", key: key, batch).text == #"{"success":true}"#)
            // the same batch again, and one partly seen: only the new event is stored
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            let partly = json(["writeKey": str(key), "batch": .array([
                .object(["type": str("track"), "anonymousId": str("anon-7"), "messageId": str("m-2"), "event": str("Product Viewed")]),
                .object(["type": str("track"), "anonymousId": str("anon-7"), "messageId": str("m-3"), "event": str(injection),
                         "timestamp": str("2026-12-01T08:02:00Z")]),
            ])])
            #expect(try await post(env, "/v1/b", key: nil, partly).status == .ok)   // the key in the body
            #expect(try await events(env, customer).json["items"].array.isEmpty, "not yet known")
            // identify by the email the customer database holds, written otherwise
            let identify = #"{"userId":"user-42","anonymousId":"anon-7","messageId":"m-4","traits":{"email":" Wang.Fang@EXAMPLE.cn "},"timestamp":"2026-12-01T08:03:00Z"}"#
            #expect(try await post(env, "/v1/identify", key: key, identify).status == .ok)
            let items = try await events(env, customer).json["items"].array
            #expect(items.map { $0["type"].string ?? "" } == ["identify", "track", "track", "page"], "newest first: \(items)")
            #expect(items[1]["event"].string == injection && items[2]["properties"]["名称"].string == "龙井 🍵")
            #expect(items[3]["event"].string == "首页" && items[3]["timestamp"].string == "2026-12-01T08:00:00.000Z")
            #expect(items[0].keys.isSuperset(of: ["type", "event", "timestamp", "properties"]) && items[0]["event"].isNull)
            // later events of either id belong to the customer at once
            #expect(try await post(env, "/v1/track", key: key, #"{"userId":"user-42","event":"Checkout","messageId":"m-5"}"#).status == .ok)
            #expect(try await events(env, customer).json["items"][0]["event"].string == "Checkout")
            // keyset pages
            let first = try await env.get("/api/v1/customers/\(customer)/events?limit=2")
            let next = try #require(first.json["next_cursor"].string)
            #expect(try await env.get("/api/v1/customers/\(customer)/events?limit=2&cursor=\(next)").json["items"].array.count == 2)
            // the decision is explained; another workspace and a stranger see nothing
            let links = try await env.get("/api/v1/customers/\(customer)/event-links").json["items"].array
            #expect(links.count == 1 && links[0]["reason"].string == "email" && Set(links[0]["linked"].array.compactMap(\.string)) == ["user-42", "anon-7"])
            #expect(try await events(env, customer, as: .b).status == .notFound)
            #expect(try await events(env, "not-an-id").status == .notFound)
            let counters = try await env.get("/api/v1/event-sources", as: .admin).json["items"][0]
            #expect(counters["received"].int == 8 && counters["stored"].int == 5 && counters["duplicates"].int == 3)
        }
    }

    @Test(arguments: Backend.all)
    func junkIdsNeverLinkAndTwoKnownCustomersAreNotJoined(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            let a = try await env.createCustomer(["name": str("甲"), "emails": strs(["jia@example.cn"])])["id"].string!
            let b = try await env.createCustomer(["name": str("乙"), "phones": strs(["13800138000"])])["id"].string!
            for (i, junk) in ["null", "\"undefined\"", "0", "NaN", "  ", "anonymous", "'null'"].enumerated() {
                let body = json(["userId": str(junk), "anonymousId": str(junk == "  " ? "undefined" : junk), "messageId": str("j-\(i)"),
                                 "traits": .object(["email": str("jia@example.cn")])])
                #expect(try await post(env, "/v1/identify", key: key, body).status == .ok)
            }
            #expect(try await events(env, a).json["items"].array.isEmpty)
            // email of one, phone of the other: nothing joined, the conflict recorded on both profiles
            let both = #"{"anonymousId":"dev-9","messageId":"c-1","traits":{"email":"jia@example.cn","phone":"+86 138 0013 8000"}}"#
            #expect(try await post(env, "/v1/identify", key: key, both).status == .ok)
            let ea = try await events(env, a).json["items"].array, eb = try await events(env, b).json["items"].array
            #expect(ea.isEmpty && eb.isEmpty)
            let la = try await env.get("/api/v1/customers/\(a)/event-links").json["items"].array
            let lb = try await env.get("/api/v1/customers/\(b)/event-links").json["items"].array
            #expect(la.count == 1 && la[0]["reason"].string == "conflict" && la[0]["linked"].array.isEmpty && lb.count == 1)
        }
    }

    @Test(arguments: Backend.all)
    func anotherWorkspacesKeyStoresThereAndNeverLinksHere(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, keyB) = try await source(env, as: .b)
            let a = try await env.createCustomer(["name": str("丙"), "emails": strs(["bing@example.cn"])])["id"].string!
            #expect(try await post(env, "/v1/identify", key: keyB, #"{"userId":"u-b","traits":{"email":"bing@example.cn"}}"#).status == .ok)
            #expect(try await events(env, a).json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/event-sources", as: .admin).json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func bodiesLimitsAndCompression(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            // gzip by header, and by its bytes alone
            let gz = Data(base64Encoded: "H4sIAAAAAAACA6tWSkosSc5QsoquViqpLEhVslIqKUpMzlbSUUotS80rAfLdqzILClJTFJ72dT/fsxIokZiXn1eZm19a7JkClE6v0jUECuamFhcnpqfChHINlWp1CBppRKxpRkq1sbUAT3LlUawAAAA=")!
            let auth = Auth.header(basic(key))
            #expect(try await env.send(.post, "/v1/batch", as: auth, body: gz, contentType: "application/json", headers: ["Content-Encoding": "gzip"]).status == .ok)
            #expect(try await env.send(.post, "/v1/batch", as: auth, body: gz, contentType: "text/plain").status == .ok)
            let bad = try await env.send(.post, "/v1/batch", as: auth, body: gz.prefix(20), contentType: "text/plain", headers: ["Content-Encoding": "gzip"])
            #expect(bad.status == .badRequest && bad.json["code"].string == "invalid_gzip")
            #expect(try await env.send(.post, "/v1/batch", as: auth, body: Data("not json".utf8)).status == .badRequest)
            // the rules of events
            #expect(try await post(env, "/v1/track", key: key, #"{"anonymousId":"x"}"#).json["message"].string == "event is required")
            #expect(try await post(env, "/v1/track", key: key, #"{"event":"x"}"#).status == .badRequest)
            #expect(try await post(env, "/v1/batch", key: key, #"{"batch":[{"event":"x","anonymousId":"a"}]}"#).json["message"].string == "batch[0].type is required")
            // 32 KB an event, 500 KB a batch (4 MB from RudderStack's clients)
            let big = String(repeating: "茶", count: 11_000)
            let oversized = try await post(env, "/v1/track", key: key, json(["event": str("x"), "anonymousId": str("a"), "properties": .object(["p": str(big)])]))
            #expect(oversized.status == .badRequest && oversized.json["message"].string?.contains("at most 32768") == true)
            let event = JSONValue.object(["type": str("track"), "event": str("x"), "anonymousId": str("a"), "properties": .object(["p": str(String(repeating: "a", count: 20_000))])])
            let heavy = json(["batch": .array(Array(repeating: event, count: 30))])
            let tooLarge = try await post(env, "/v1/batch", key: key, heavy)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.json["code"].string == "payload_too_large")
            var rudder = event; if case .object(var o) = rudder { o["channel"] = str("server"); rudder = .object(o) }
            #expect(try await post(env, "/v1/batch", key: key, json(["batch": .array(Array(repeating: rudder, count: 30))])).status == .ok)
            // PostHog's batch
            let ph = json(["api_key": str(key), "batch": .array([.object(["event": str("$pageview"), "distinct_id": str("ph-1"), "properties": .object(["$current_url": str("https://shop.example.cn/")])])])])
            #expect(try await post(env, "/batch/", key: nil, ph).text == #"{"status":1}"#)
        }
    }

    @Test(arguments: Backend.all)
    func aFullQueueAnswers429WithRetryAfterAndLosesNothingItAccepted(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            // an intake that sheds load beyond one waiting event, in front of the same database
            let store = EventStore(db: env.services.db, clock: env.services.clock, maxPending: 1)
            let router = Router(context: AppContext.self)
            EventIngest(events: store, clock: env.services.clock).register(router.group())
            try await Application(router: router).test(.router) { client in
                func track(_ id: String) async throws -> (HTTPResponse.Status, String?, String) {
                    try await client.execute(uri: "/v1/track", method: .post, headers: [.authorization: basic(key), .contentType: "application/json"],
                                             body: ByteBuffer(string: #"{"event":"下单 🛒","anonymousId":"a-429","messageId":"\#(id)"}"#)) { r in
                        (r.status, r.headers[.retryAfter], String(buffer: r.body))
                    }
                }
                // given the writer held (a long write: SQLite's one writer, a lock on the events table on PostgreSQL)
                let held = AsyncStream<Void>.makeStream()
                let release = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try await env.services.db.write { sql in
                        if env.services.db.dialect == .postgres { try await sql.raw("LOCK TABLE events IN EXCLUSIVE MODE").run() }
                        held.continuation.yield()
                        for await _ in release.stream { break }
                    }
                }
                for await _ in held.stream { break }
                // when one request waits to be stored, the next is refused at once with when to retry
                let first = Task { try await track("m-1") }
                for _ in 0..<3000 where store.pending.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(store.pending.load(ordering: .relaxed) == 1)
                let r = try await track("m-2")
                #expect(r.0 == .tooManyRequests && r.1 == "1" && r.2.contains("too_many_requests"), "\(r)")
                // then, once the writer is free, the waiting request is stored and answered
                release.continuation.yield()
                try await holder.value
                let answered = try await first.value
                #expect(answered.0 == .ok, "\(answered)")
                // and the refused one, sent again, is stored too
                #expect(try await track("m-2").0 == .ok)
            }
            let stored = try await env.services.db.read { sql in
                try await sql.raw("SELECT message_id FROM events WHERE anonymous_id = 'a-429' ORDER BY message_id").all().map { try $0.decode(column: "message_id", as: String.self) }
            }
            #expect(stored == ["m-1", "m-2"])
        }
    }

    @Test(arguments: Backend.all)
    func theCustomerPageShowsRecentBehaviourEscaped(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            let customer = try await env.createCustomer(["name": str("周九"), "emails": strs(["zhou@example.cn"])])["id"].string!
            #expect(try await post(env, "/v1/track", key: key, #"{"event":"<img src=x onerror=alert(1)> 加入购物车 🛒","anonymousId":"p-1"}"#).status == .ok)
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"p-1","traits":{"email":"zhou@example.cn"}}"#).status == .ok)
            let r = try await env.send(.post, "/sign-in", as: .none, body: Data("email=rep-a%40example.com&password=password-sales_rep&next=%2Fcustomers".utf8),
                                       contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/customers/\(customer)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok)
            #expect(page.text.contains("最近行为") && page.text.contains("加入购物车 🛒") && page.text.contains("识别"))
            #expect(!page.text.contains("<img src=x"), "event names are escaped")
        }
    }

    @Test(arguments: Backend.all)
    func browsersSendFromTheSourcesOrigins(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env, origins: ["https://shop.example.cn"])
            let pre = try await env.send(.options, "/v1/t", as: .none, headers: ["Origin": "https://shop.example.cn", "Access-Control-Request-Method": "POST"])
            #expect(pre.header("Access-Control-Allow-Origin") == "https://shop.example.cn")
            let other = try await env.send(.options, "/v1/t", as: .none, headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "POST"])
            #expect(other.header("Access-Control-Allow-Origin") == nil)
            let body = #"{"event":"Viewed","anonymousId":"b-1"}"#
            let ok = try await post(env, "/v1/t", key: key, body, headers: ["Origin": "https://shop.example.cn"])
            #expect(ok.status == .ok && ok.header("Access-Control-Allow-Origin") == "https://shop.example.cn")
            #expect(try await post(env, "/v1/t", key: key, body, headers: ["Origin": "https://evil.example"]).status == .forbidden)
        }
    }
}
