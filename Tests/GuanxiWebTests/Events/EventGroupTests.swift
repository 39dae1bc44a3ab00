import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebEvents

@Suite("Behaviour events: group calls as organisations, and the visit list beyond the last events read")
struct EventGroupTests: EventPageTesting {
    /// The workspace's organisations holding the group id.
    func organisations(_ env: WebEnv, group: String) async throws -> [String] {
        try await env.services.db.read { sql in
            try await sql.raw("""
                SELECT i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.kind = 'external' AND i.value = \(bind: "group:" + group) AND c.kind = 'organization' ORDER BY c.workspace_id
                """).all().map { try $0.decode(column: "customer_id", as: String.self) }
        }
    }

    @Test(arguments: Backend.all)
    func aGroupCallPutsThePersonAtTheOrganisationFoundOrMade(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let wang = try await env.createCustomer(["name": str("王芳"), "emails": strs(["wang@example.cn"])])["id"].string!
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"g-1","userId":"u-1","traits":{"email":"wang@example.cn"}}"#).status == .ok)
            // a group id nobody holds: the organisation is made, with the traits' name and email, and the person put at it
            let group = #"{"userId":"u-1","groupId":" acme-42 ","traits":{"name":"杭州茶叶 🍵 有限公司","email":"INFO@tea.example.cn","employees":12}}"#
            #expect(try await post(env, "/v1/group", key: key, group).status == .ok)
            let orgs = try await organisations(env, group: "acme-42")
            #expect(orgs.count == 1, "the group id is normalised like an identity: \(orgs)")
            let org = try #require(orgs.first)
            let o = try await env.get("/api/v1/customers/\(org)", as: .admin).json
            #expect(o["kind"].string == "organization" && o["name"].string == "杭州茶叶 🍵 有限公司" && o["emails"].array.compactMap(\.string) == ["info@tea.example.cn"])
            let w = try await env.get("/api/v1/customers/\(wang)").json
            #expect(w["organization_id"].string == org && w["organization_name"].string == "杭州茶叶 🍵 有限公司", "\(w)")
            // the same call again (a new message) finds the organisation and changes nothing
            #expect(try await post(env, "/v1/g", key: key, group).status == .ok)
            #expect(try await organisations(env, group: "acme-42") == [org])
            let links = try await env.get("/api/v1/customers/\(org)/event-links", as: .admin).json["items"].array
            #expect(links.count == 1 && links[0]["reason"].string == "group" && links[0]["customer_id"].string == wang
                    && links[0]["linked"].array.compactMap(\.string) == ["acme-42"], "\(links)")
            // placeholder group ids make nothing
            let before = try await env.services.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM customers").first()!.decode(column: "n", as: Int.self) }
            for junk in ["null", "\\\"undefined\\\"", "", "  "] {
                #expect(try await post(env, "/v1/group", key: key, #"{"userId":"u-1","groupId":"\#(junk)","traits":{"name":"x"}}"#).status == .ok)
            }
            let after = try await env.services.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM customers").first()!.decode(column: "n", as: Int.self) }
            #expect(before == after)
            // another group for a person already at an organisation: made, but the person stays (recorded as kept)
            #expect(try await post(env, "/v1/group", key: key, #"{"userId":"u-1","groupId":"other-7","traits":{"name":"'; DROP TABLE customers; --"}}"#).status == .ok)
            let other = try #require(try await organisations(env, group: "other-7").first)
            #expect(try await env.get("/api/v1/customers/\(wang)").json["organization_id"].string == org)
            let kept = try await env.get("/api/v1/customers/\(wang)/event-links").json["items"].array
            #expect(kept.contains { $0["reason"].string == "group_kept" && $0["other_customer_id"].string == other }, "\(kept)")
            // an organisation staff made with this email is found by it, and takes the group id
            let corp = try await env.createCustomer(["name": str("长城贸易"), "kind": str("organization"), "emails": strs(["sales@corp.example.cn"])])["id"].string!
            #expect(try await post(env, "/v1/group", key: key, #"{"anonymousId":"g-9","groupId":"corp-1","traits":{"email":"Sales@Corp.example.cn"}}"#).status == .ok)
            #expect(try await organisations(env, group: "corp-1") == [corp])
            // an email a person holds stays theirs: the organisation is made without it
            #expect(try await post(env, "/v1/group", key: key, #"{"anonymousId":"g-8","groupId":"p-1","traits":{"email":"wang@example.cn"}}"#).status == .ok)
            let p1 = try #require(try await organisations(env, group: "p-1").first)
            let p1Emails = try await env.get("/api/v1/customers/\(p1)", as: .admin).json["emails"].array
            #expect(p1 != wang && p1Emails.isEmpty)
            // a visitor's group call counts once an identify says who they are
            let li = try await env.createCustomer(["name": str("李四"), "phones": strs(["13800138000"])])["id"].string!
            #expect(try await post(env, "/v1/group", key: key, #"{"anonymousId":"g-li","groupId":"acme-42"}"#).status == .ok)
            #expect(try await env.get("/api/v1/customers/\(li)").json["organization_id"].isNull)
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"g-li","traits":{"phone":"138 0013 8000"}}"#).status == .ok)
            #expect(try await env.get("/api/v1/customers/\(li)").json["organization_id"].string == org)
            // a person staff put at an organisation stays there
            let zhao = try await env.createCustomer(["name": str("赵六"), "emails": strs(["zhao@example.cn"]), "organization_id": str(corp)])["id"].string!
            #expect(try await post(env, "/v1/batch", key: key, json(["batch": .array([
                .object(["type": str("identify"), "userId": str("u-zhao"), "traits": .object(["email": str("zhao@example.cn")])]),
                .object(["type": str("group"), "userId": str("u-zhao"), "groupId": str("acme-42")]),
            ])])).status == .ok)
            #expect(try await env.get("/api/v1/customers/\(zhao)").json["organization_id"].string == corp)
            // the change is audited as made by events
            #expect(try await env.get("/api/v1/audit?object=customers&object_id=\(wang)", as: .admin).text.contains("\"events\""))
            // another workspace's group id of the same spelling is its own organisation
            let keyB = try await source(env, as: .b)
            #expect(try await post(env, "/v1/group", key: keyB, #"{"anonymousId":"b-1","groupId":"acme-42","traits":{"name":"B 公司"}}"#).status == .ok)
            let both = try await organisations(env, group: "acme-42")
            #expect(both.count == 2 && both.contains(org))
            #expect(try await env.get("/api/v1/customers/\(org)", as: .b).status == .notFound)
            // both 360 pages say so: the person's names the organisation, the organisation's names its people
            let cookie = try await signIn(env, "admin-a@example.com", "password-admin")
            let personPage = try await env.send(.get, "/customers/\(wang)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(personPage.status == .ok && personPage.text.contains("所属组织") && personPage.text.contains("/customers/\(org)"))
            let orgPage = try await env.send(.get, "/customers/\(org)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(orgPage.status == .ok && orgPage.text.contains("Why these events are theirs") && orgPage.text.contains("王芳")
                    && orgPage.text.contains("/customers/\(wang)"), "\(orgPage.text.count)")
        }
    }

    @Test(arguments: Backend.all)
    func theVisitListPagesBackBeyondTheLastEventsRead(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let key = try await source(env)
            let id = try await env.createCustomer(["name": str("孙七"), "emails": strs(["sun@example.cn"])])["id"].string!
            var items: [JSONValue] = []
            // twelve one-page visits a day apart, then one long visit of 510 events (more than the page reads at once)
            let start = Date().addingTimeInterval(-20 * 86_400)
            for d in 0..<12 {
                items.append(.object(["type": str("page"), "anonymousId": str("s-7"), "messageId": str("d-\(d)"), "name": str("第 \(d) 天"),
                                      "timestamp": str(Timestamp.iso8601(start.addingTimeInterval(Double(d) * 86_400)))]))
            }
            for i in 0..<510 {
                items.append(.object(["type": str("page"), "anonymousId": str("s-7"), "messageId": str("l-\(i)"),
                                      "timestamp": str(Timestamp.iso8601(Date().addingTimeInterval(Double(i - 600) * 5)))]))
            }
            #expect(try await post(env, "/v1/batch", key: key, json(["batch": .array(items)])).status == .ok)
            #expect(try await post(env, "/v1/identify", key: key, #"{"anonymousId":"s-7","traits":{"email":"sun@example.cn"}}"#).status == .ok)
            let cookie = try await signIn(env, "rep-a@example.com", "password-sales_rep")
            var href: String? = "/customers/\(id)"
            var visits = 0, pagesRead = 0
            while let h = href, pagesRead < 6 {
                let page = try await env.send(.get, h, as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-TW"])
                #expect(page.status == .ok)
                visits += page.text.components(separatedBy: "<details class=\"session\">").count - 1
                pagesRead += 1
                href = page.text.firstMatch(of: /href="([^"]*visits=[^"#]*)#behaviour" rel="next"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
                if pagesRead > 1 { #expect(page.text.contains("最近的造訪")) }
            }
            // the long visit (with the identify) read in two parts, and the twelve days: every visit reached
            #expect(pagesRead == 3 && visits == 14, "pages \(pagesRead), visits \(visits)")
            // a cursor this server did not issue shows the latest visits
            let bad = try await env.send(.get, "/customers/\(id)?visits=%27%20OR%201%3D1", as: .none, headers: ["Cookie": cookie])
            #expect(bad.status == .ok && bad.text.contains("<details class=\"session\">"))
        }
    }
}
