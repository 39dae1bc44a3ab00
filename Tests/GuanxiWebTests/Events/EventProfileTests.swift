import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebEvents

@Suite("Behaviour events: traits into the customer, profiles kept current, visits on the 360 page, deletion on request")
struct EventProfileTests: EventPageTesting {
    @Test(arguments: Backend.all)
    func identifyTraitsFillTheCustomerAndNeverOverwriteStaffEdits(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let c = try await env.createCustomer(["name": str("王芳"), "emails": strs(["wang.fang@example.cn"])])
            let id = try #require(c["id"].string)
            let other = try await env.createCustomer(["name": str("李四"), "phones": strs(["13900139000"])])["id"].string!
            let injection = #"'); DROP TABLE customers; -- <script>alert(1)</script>"#
            let identify = json(["userId": str("u-42"), "anonymousId": str("anon-1"), "messageId": str("i-1"), "traits": .object([
                "email": str("wang.fang@example.cn"), "name": str("王小芳"), "phone": str("138 0013 8000"), "birthday": str("1990-05-04"),
                "address": .object(["city": str("杭州"), "state": str("浙江")]), "gender": str("female"), "plan": str(injection),
                "company": .object(["name": str("龙井茶行 🍵")]),
            ])])
            #expect(try await post(env, "/v1/identify", key: key, identify).status == .ok)
            var got = try await env.get("/api/v1/customers/\(id)").json
            // the name staff typed stays; empty fields are filled; the phone is added
            #expect(got["name"].string == "王芳" && got["phones"].array.compactMap(\.string) == ["+8613800138000"])
            #expect(got["birthday"].string == "1990-05-04" && got["addresses"][0]["city"].string == "杭州" && got["addresses"][0]["province"].string == "浙江")
            let profile = got["profile"]
            #expect(profile["traits"]["gender"].string == "female" && profile["traits"]["plan"].string == injection && profile["traits"]["company"].string == "龙井茶行 🍵")
            let fields = Dictionary(uniqueKeysWithValues: profile["fields"].array.map { ($0["field"].string ?? "", $0["action"].string ?? "") })
            #expect(fields == ["name": "kept", "email": "same", "phone": "added", "birthday": "set", "city": "set", "province": "set"], "\(profile)")
            // staff move the city; events' next city does not overwrite it, the province (still events') follows
            let version = try #require(got["version"].int)
            let edit = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"addresses":[{"city":"北京","province":"浙江"}]}"#, headers: ["If-Match": "\"\(version)\""])
            #expect(edit.status == .ok, "\(edit.text)")
            let again = #"{"userId":"u-42","messageId":"i-2","traits":{"address":{"city":"上海","state":"上海"},"phone":"13900139000"}}"#
            #expect(try await post(env, "/v1/identify", key: key, again).status == .ok)
            got = try await env.get("/api/v1/customers/\(id)").json
            #expect(got["addresses"][0]["city"].string == "北京" && got["addresses"][0]["province"].string == "上海")
            #expect(got["phones"].array.count == 1, "another customer's phone is not taken: \(got)")
            let later = Dictionary(uniqueKeysWithValues: got["profile"]["fields"].array.map { ($0["field"].string ?? "", $0["action"].string ?? "") })
            #expect(later["city"] == "kept" && later["province"] == "set" && later["phone"] == "taken")
            #expect(try await env.get("/api/v1/customers/\(other)").json["profile"].value == nil, "no events: no profile")
            // a viewer without personal data sees the profile but not the field decisions
            #expect(try await env.get("/api/v1/customers/\(id)", as: .admin).json["profile"]["fields"].array.count == 6)
            // the change is audited as made by events
            let audit = try await env.get("/api/v1/audit?object=customers&object_id=\(id)", as: .admin)
            #expect(audit.text.contains("\"events\""), "\(audit.text.prefix(400))")
        }
    }

    @Test(arguments: Backend.all)
    func aVisitorsProfileIsCurrentAndBecomesTheCustomersWhenIdentified(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let id = try await env.createCustomer(["name": str("周九"), "emails": strs(["zhou@example.cn"])])["id"].string!
            let now = Timestamp.iso8601(Date())
            let batch = json(["batch": .array([
                .object(["type": str("page"), "anonymousId": str("v-9"), "messageId": str("p-1"), "timestamp": str(now), "name": str("首页"),
                         "context": .object(["campaign": .object(["source": str("wechat")]), "userAgent": str("Mozilla/5.0 (Windows NT 10.0) Chrome/120")])]),
                .object(["type": str("track"), "anonymousId": str("v-9"), "messageId": str("t-1"), "timestamp": str(now), "event": str("Product Viewed"),
                         "properties": .object(["name": str("龙井 🍵"), "category": str("绿茶"), "price": .number(88)])]),
                .object(["type": str("track"), "anonymousId": str("v-9"), "messageId": str("t-2"), "timestamp": str(now), "event": str("Product Added"),
                         "properties": .object(["price": .number(88), "quantity": .number(2)])]),
                // junk ids make no profile of their own
                .object(["type": str("page"), "anonymousId": str("null"), "messageId": str("p-2")]),
            ])])
            #expect(try await post(env, "/v1/batch", key: key, batch).status == .ok)
            let profiles = try await env.services.db.read { sql in
                try await sql.raw("SELECT person, data_json FROM event_profiles").all().map { try $0.decode(column: "person", as: String.self) }
            }
            #expect(profiles == ["a:v-9"], "\(profiles)")
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"v-9","messageId":"i-9","traits":{"email":"ZHOU@example.cn"}}"#).status == .ok)
            let p = try await env.get("/api/v1/customers/\(id)").json["profile"]
            #expect(p["events"].int == 4 && p["sessions"].int == 1 && p["page_views"].int == 1 && p["page_views_7d"].int == 1 && p["page_views_30d"].int == 1)
            #expect(p["products_viewed"].array.compactMap(\.string) == ["龙井 🍵"] && p["categories_viewed"].array.compactMap(\.string) == ["绿茶"])
            #expect(p["cart_value"].double == 176 && p["last_channel"].string == "wechat" && p["device"].string == "desktop · Windows · Chrome")
            #expect(p["first_seen"].string != nil && p["last_seen"].string != nil)
            let after = try await env.services.db.read { sql in
                try await sql.raw("SELECT person FROM event_profiles ORDER BY person").all().map { try $0.decode(column: "person", as: String.self) }
            }
            #expect(after == [id], "the visitor's profile joined the customer's: \(after)")
            // later events of the linked id count at once
            #expect(try await post(env, "/v1/track", key: key, #"{"anonymousId":"v-9","event":"Order Completed","messageId":"o-1"}"#).status == .ok)
            let q = try await env.get("/api/v1/customers/\(id)").json["profile"]
            #expect(q["cart_value"].double == 0 && q["events"].int == 5)
            // another workspace sees none of it
            #expect(try await env.get("/api/v1/customers/\(id)", as: .b).status == .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func theCustomerPageGroupsBehaviourByVisit(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let id = try await env.createCustomer(["name": str("陈七"), "emails": strs(["chen@example.cn"])])["id"].string!
            var items: [JSONValue] = []
            // two visits a day apart; the second has three pages and a checkout
            for (i, minutes) in [0, 2, 1440, 1441, 1443].enumerated() {
                let at = Timestamp.iso8601(Date().addingTimeInterval(Double(minutes - 1500) * 60))
                items.append(.object(["type": str("page"), "anonymousId": str("c-7"), "messageId": str("v-\(i)"), "timestamp": str(at), "name": str("页面 \(i)")]))
            }
            items.append(.object(["type": str("track"), "anonymousId": str("c-7"), "messageId": str("k-1"), "event": str("<b>Checkout</b> 🛒"),
                                  "timestamp": str(Timestamp.iso8601(Date().addingTimeInterval(-56 * 60)))]))
            #expect(try await post(env, "/v1/batch", key: key, json(["batch": .array(items)])).status == .ok)
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"c-7","traits":{"email":"chen@example.cn","gender":"male"}}"#).status == .ok)
            let cookie = try await signIn(env, "rep-a@example.com", "password-sales_rep")
            let page = try await env.send(.get, "/customers/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok)
            // two visits a day apart, and the identify's own an hour later
            #expect(page.text.components(separatedBy: "<details class=\"session\">").count == 4, "three visits")
            #expect(page.text.contains("按访问分组") && page.text.contains("3 个页面") && page.text.contains("&lt;b&gt;Checkout&lt;/b&gt; 🛒"))
            #expect(page.text.contains("访问次数") && page.text.contains("male") && !page.text.contains("<b>Checkout"))
            #expect(page.text.contains(EventURL.deleteCustomerEvents(id).path), "the owner may delete")
            let en = try await env.send(.get, "/customers/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(en.text.contains("By visit") && en.text.contains("Page views 7 / 30 days"))
            let viewer = try await signIn(env, "viewer-a@example.com", "password-read_only")
            let read = try await env.send(.get, "/customers/\(id)", as: .none, headers: ["Cookie": viewer])
            #expect(read.status == .ok && read.text.contains("By visit") || read.text.contains("按访问分组"))
            #expect(!read.text.contains(EventURL.deleteCustomerEvents(id).path), "a read-only user may not delete")
        }
    }

    @Test(arguments: Backend.all)
    func deletionOnRequestRemovesThePersonsEventsAndRefusesTheirIds(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let id = try await env.createCustomer(["name": str("赵六"), "emails": strs(["zhao@example.cn"])])["id"].string!
            let other = try await env.createCustomer(["name": str("钱八"), "emails": strs(["qian@example.cn"])])["id"].string!
            for (anon, email) in [("z-1", "zhao@example.cn"), ("q-1", "qian@example.cn")] {
                #expect(try await post(env, "/v1/track", key: key, #"{"anonymousId":"\#(anon)","event":"Viewed 浏览"}"#).status == .ok)
                #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"\#(anon)","userId":"u-\#(anon)","traits":{"email":"\#(email)","gender":"x"}}"#).status == .ok)
            }
            // wrong workspace, wrong role, not an id
            #expect(try await env.send(.delete, "/api/v1/customers/\(id)/events", as: .b).status == .notFound)
            #expect(try await env.send(.delete, "/api/v1/customers/\(id)/events", as: .readOnly).status == .forbidden)
            #expect(try await env.send(.delete, "/api/v1/customers/'%20OR%201=1/events").status == .notFound)
            let r = try await env.send(.delete, "/api/v1/customers/\(id)/events")
            #expect(r.status == .ok && r.json["deleted_events"].int == 2 && r.json["refused_ids"].int == 3, "\(r.text)")
            #expect(try await env.get("/api/v1/customers/\(id)/events").json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/customers/\(id)/event-links").json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/customers/\(id)").json["profile"].value == nil)
            #expect(try await env.get("/api/v1/customers/\(other)/events").json["items"].array.count == 2, "someone else's stay")
            // their ids' future events are answered 200 and never stored, nor linked again by their email
            #expect(try await post(env, "/v1/track", key: key, #"{"anonymousId":"z-1","event":"Back"}"#).status == .ok)
            #expect(try await post(env, "/v1/track", key: key, #"{"userId":"u-z-1","event":"Back"}"#).status == .ok)
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"z-2","traits":{"email":"zhao@example.cn"}}"#).status == .ok)
            #expect(try await env.get("/api/v1/customers/\(id)/events").json["items"].array.isEmpty)
            let counters = try await env.get("/api/v1/event-sources", as: .admin).json["items"][0]
            #expect(counters["refused"].int == 2, "\(counters)")
            // the customer record stays; the deletion is audited
            #expect(try await env.get("/api/v1/customers/\(id)").status == .ok)
            #expect(try await env.get("/api/v1/audit?object=customers&object_id=\(id)", as: .admin).text.contains("delete_events"))
        }
    }
}
