import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebEvents

@Suite("Behaviour events: the workspace's stream and exports, retention, the sources' pages and live debugger")
struct EventStreamTests {
    func source(_ env: WebEnv, as auth: Auth = .admin, origins: [String] = []) async throws -> (id: String, key: String) {
        let r = try await env.send(.post, "/api/v1/event-sources", as: auth, json: json(["name": str("网店 🛒"), "allowed_origins": strs(origins)]))
        #expect(r.status == .created, "\(r.text)")
        return (r.json["source"]["id"].string ?? "missing", r.json["write_key"].string ?? "missing")
    }

    func post(_ env: WebEnv, _ path: String, key: String, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await env.send(.post, path, as: .header("Basic " + Data((key + ":").utf8).base64EncodedString()), body: Data(body.utf8),
                           contentType: "text/plain", headers: headers)
    }

    @Test(arguments: Backend.all)
    func theStreamFiltersByNameTimeAndPropertyAndExportsEveryMatch(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            let injection = #"'); DELETE FROM events; --"#
            var items: [JSONValue] = []
            for i in 0..<25 {
                items.append(.object(["type": str("track"), "anonymousId": str("s-\(i % 3)"), "messageId": str("e-\(i)"),
                                      "event": str(i % 2 == 0 ? "Product Viewed" : "=HYPERLINK(\"x\")"),
                                      "timestamp": str("2026-12-0\(1 + i % 5)T08:00:\(String(format: "%02d", i))Z"),
                                      "properties": .object(["名称": str(i % 5 == 0 ? "龙井 🍵" : "普洱"), "price": .number(Double(i)),
                                                             "vip": .bool(i == 4), "note": str(injection)])]))
            }
            #expect(try await post(env, "/v1/batch", key: key, json(["batch": .array(items)])).status == .ok)
            // the analyst's view: every event, newest first, keyset-paged
            var all: [J] = [], cursor: String? = nil
            repeat {
                let r = try await env.get("/api/v1/events?limit=10" + (cursor.map { "&cursor=" + q($0) } ?? ""), as: .admin)
                #expect(r.status == .ok, "\(r.text)")
                all += r.json["items"].array
                cursor = r.json["next_cursor"].string
            } while cursor != nil
            #expect(all.count == 25 && all.compactMap { $0["timestamp"].string } == all.compactMap { $0["timestamp"].string }.sorted(by: >))
            #expect(all[0].keys.contains("customer_id"))
            func count(_ query: String) async throws -> Int {
                let r = try await env.get("/api/v1/events?limit=100&" + query, as: .admin)
                #expect(r.status == .ok, "\(query): \(r.text)")
                return r.json["items"].array.count
            }
            #expect(try await count("event=" + q("Product Viewed")) == 13)
            #expect(try await count("property." + q("名称") + "=" + q("龙井 🍵")) == 5)
            #expect(try await count("property.price=4") == 1)
            #expect(try await count("property.vip=true") == 1)
            #expect(try await count("event=" + q("Product Viewed") + "&from=2026-12-02&to=2026-12-03") == 2)
            #expect(try await count("property.note=" + q(injection)) == 25)
            #expect(try await count("property." + q("nope") + "=1") == 0)
            // malformed conditions are refused with the field named
            let yesterday = try await env.get("/api/v1/events?from=yesterday", as: .admin).status
            #expect(yesterday == .badRequest || yesterday == .unprocessableContent)
            #expect(try await env.get("/api/v1/events?from=2026-12-03&to=2026-12-02", as: .admin).status == .unprocessableContent)
            let many = (0..<6).map { "property.p\($0)=1" }.joined(separator: "&")
            #expect(try await env.get("/api/v1/events?" + many, as: .admin).status == .unprocessableContent)
            #expect(try await env.get("/api/v1/events?property.%22x=1", as: .admin).status == .unprocessableContent)
            // who may: analytics readers; exports need the export right; another workspace sees its own (none)
            #expect(try await env.get("/api/v1/events", as: .a).status == .forbidden)
            #expect(try await env.get("/api/v1/events", as: .b).json["items"].array.isEmpty)
            // NDJSON and CSV exports stream every match
            let nd = try await env.get("/api/v1/events?format=ndjson&event=" + q("Product Viewed"), as: .admin)
            #expect(nd.status == .ok && nd.header("Content-Type") == "application/x-ndjson")
            let lines = nd.text.split(separator: "\n")
            #expect(lines.count == 13 && lines.allSatisfy { (try? JSONParser.parse(String($0)))?.objectValue?["event"] == .string("Product Viewed") })
            let csv = try await env.get("/api/v1/events?format=csv", as: .admin)
            #expect(csv.status == .ok && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            let rows = csv.text.split(separator: "\r\n")
            #expect(rows.count == 26 && rows[0].hasPrefix("timestamp,type,event"))
            #expect(csv.text.contains("'=HYPERLINK") && !csv.text.contains(",=HYPERLINK"), "formulas are neutralised")
            let xml = try await env.get("/api/v1/events?format=xml", as: .admin).status
            #expect(xml == .badRequest || xml == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all)
    func retentionIsAWorkspaceSettingAndThePurgeDeletesInBatches(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (_, key) = try await source(env)
            let old = Timestamp.iso8601(Date().addingTimeInterval(-40 * 86_400)), recent = Timestamp.iso8601(Date().addingTimeInterval(-86_400))
            let batch = json(["batch": .array((0..<30).map { i in
                .object(["type": str("track"), "event": str("x"), "anonymousId": str("r"), "messageId": str("r-\(i)"), "timestamp": str(i < 23 ? old : recent)])
            })])
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            let settings = try await env.get("/api/v1/event-settings", as: .admin)
            #expect(settings.json["retention_days"].isNull && settings.json["overwrite"].array.isEmpty)
            #expect(try await env.get("/api/v1/event-settings", as: .a).status == .forbidden)
            #expect(try await env.send(.put, "/api/v1/event-settings", as: .admin, json: #"{"retention_days":0}"#).status == .unprocessableContent)
            #expect(try await env.send(.put, "/api/v1/event-settings", as: .admin, json: #"{"overwrite":["owner_id"]}"#).status == .unprocessableContent)
            let v = try #require(settings.json["version"].int)
            let put = try await env.send(.put, "/api/v1/event-settings", as: .admin, json: #"{"retention_days":30,"overwrite":["city","city"]}"#,
                                         headers: ["If-Match": "\"\(v)\""])
            #expect(put.status == .ok && put.json["retention_days"].int == 30 && put.json["overwrite"].array.compactMap(\.string) == ["city"])
            #expect(try await env.send(.put, "/api/v1/event-settings", as: .admin, json: #"{"retention_days":30}"#,
                                       headers: ["If-Match": "\"\(v)\""]).status == .preconditionFailed)
            // workspace B keeps its events for ever: the purge leaves them
            let (_, keyB) = try await source(env, as: .b)
            #expect(try await post(env, "/v1/track", key: keyB, #"{"event":"x","anonymousId":"b","timestamp":"\#(old)"}"#).status == .ok)
            let store = EventStore(db: env.services.db, clock: env.services.clock)
            #expect(try await store.purge(batch: 10) == 23)
            #expect(try await env.get("/api/v1/events?limit=100", as: .admin).json["items"].array.count == 7)
            #expect(try await env.get("/api/v1/events", as: .b).json["items"].array.count == 1)
        }
    }

    @Test(arguments: Backend.all)
    func theSourcesPagesShowCountersKeysOnceAndTheLiveDebugger(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (id, key) = try await source(env, origins: ["https://shop.example.cn"])
            #expect(try await post(env, "/v1/track", key: key, #"{"event":"<i>Viewed</i> 浏览","anonymousId":"d-1"}"#).status == .ok)
            #expect(try await post(env, "/v1/track", key: key, #"{"anonymousId":"d-1"}"#).status == .badRequest)
            #expect(try await post(env, "/v1/batch", key: key, #"{"batch":[{"type":"fly","anonymousId":"a"}],"note":"<script>x</script>"}"#).status == .badRequest)
            #expect(try await post(env, "/v1/t", key: key, #"{"event":"x","anonymousId":"d"}"#, headers: ["Origin": "https://evil.example"]).status == .forbidden)
            #expect(try await post(env, "/v1/t", key: "gxw_nope", #"{"anonymousId":"x"}"#).status == .badRequest)
            let s = try await env.get("/api/v1/event-sources", as: .admin).json["items"][0]
            #expect(s["refused"].int == 3 && s["stored"].int == 1, "\(s)")
            let r = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2F".utf8),
                                       contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let list = try await env.send(.get, "/event-sources", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(list.status == .ok && list.text.contains("事件来源") && list.text.contains("网店 🛒") && !list.text.contains(key))
            let page = try await env.send(.get, "/event-sources/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(page.status == .ok && page.text.contains("Live debugger"))
            #expect(page.text.contains("&lt;i&gt;Viewed&lt;/i&gt; 浏览") && !page.text.contains("<i>Viewed"))
            #expect(page.text.contains("invalid_event") && page.text.contains("event is required") && page.text.contains("origin_not_allowed"))
            #expect(page.text.contains("&lt;script&gt;x&lt;/script&gt;") && !page.text.contains("<script>x"))
            #expect(!page.text.contains(key), "the key is shown only when made or replaced")
            // a sales rep may not open them; another workspace's source is not found
            let rep = try await env.send(.post, "/sign-in", as: .none, body: Data("email=rep-a%40example.com&password=password-sales_rep&next=%2F".utf8),
                                         contentType: "application/x-www-form-urlencoded")
            let repCookie = try #require(rep.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            #expect(try await env.send(.get, "/event-sources", as: .none, headers: ["Cookie": repCookie]).status == .forbidden)
            let (otherID, _) = try await source(env, as: .b)
            #expect(try await env.send(.get, "/event-sources/\(otherID)", as: .none, headers: ["Cookie": cookie]).status == .notFound)
        }
    }
}
