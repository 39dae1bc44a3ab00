import Foundation
import Testing
import Synchronization
import GuanxiCore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// A clock that starts at one fixed instant and moves a millisecond each time it is read: records
/// made one after another keep the same order (ids and timestamps are both taken from it) on every run.
final class TickingClock: GuanxiCore.Clock {
    private let t: Mutex<Date>
    init(_ start: Date) { t = Mutex(start) }
    func now() -> Date { t.withLock { d in defer { d.addTimeInterval(0.001) }; return d } }
}

/// Reviewed pages stored under Snapshots/, compared byte for byte after what changes from run to run
/// (ids, versions, CSRF tokens, times) is replaced by placeholders.
enum PageSnapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// Ids become `{id1}`, `{id2}`… in order of first appearance, so links to the same record still match.
    static func normalize(_ html: String, tokens: [String]) -> String {
        var s = html
        // the main navigation is the features' links (checked on its own), not each page's content
        s = s.replacing(/<nav class="main-nav"([^>]*)>.*?<\/nav>/) { m in "<nav class=\"main-nav\"\(m.output.1)>{navigation}</nav>" }
        for token in tokens where !token.isEmpty { s = s.replacingOccurrences(of: token, with: "{csrf}") }
        var ids: [String: Int] = [:]
        // (also percent-encoded, as in the language links' `next`)
        s = s.replacing(/[0-9a-f]{8}(?:-|%2D)[0-9a-f]{4}(?:-|%2D)[0-9a-f]{4}(?:-|%2D)[0-9a-f]{4}(?:-|%2D)[0-9a-f]{12}/) { m in
            let id = m.output.replacingOccurrences(of: "%2D", with: "-")
            if ids[id] == nil { ids[id] = ids.count + 1 }
            return "{id\(ids[id]!)}"
        }
        s = s.replacing(/name="version" value="\d+"/, with: "name=\"version\" value=\"{version}\"")
        s = s.replacing(/name="opened" value="\d+"/, with: "name=\"opened\" value=\"{opened}\"")
        s = s.replacing(/name="v_\{id(\d+)\}" value="\d+"/) { m in "name=\"v_{id\(m.output.1)}\" value=\"{version}\"" }
        s = s.replacing(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/, with: "{time}")
        // times as zh-Hans pages write them ("2026年3月2日 10:00"); typed dates such as an expected close stay
        s = s.replacing(/\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}/, with: "{time}")
        return s
    }

    /// Records an issue unless the page equals its stored snapshot; a missing snapshot is written
    /// (and fails, to be reviewed); `GUANXI_UPDATE_SNAPSHOTS=1` rewrites them all.
    static func check(_ name: String, _ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name + ".html")
        let update = ProcessInfo.processInfo.environment["GUANXI_UPDATE_SNAPSHOTS"] == "1"
        let bytes = Data(html.utf8)
        guard !update, let stored = try? Data(contentsOf: file) else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try bytes.write(to: file)
            if !update { Issue.record("wrote the new snapshot \(file.path): review it, then run the tests again", sourceLocation: sourceLocation) }
            return
        }
        guard stored != bytes else { return }
        let old = String(decoding: stored, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let new = html.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        Issue.record("""
            \(name) differs from \(file.path) at line \(line + 1):
              stored: \(line < old.count ? old[line] : "<end>")
              now:    \(line < new.count ? new[line] : "<end>")
            If the change is intended, run with GUANXI_UPDATE_SNAPSHOTS=1 and review the diff.
            """, sourceLocation: sourceLocation)
    }
}

@Suite("Page snapshots (zh-Hans)")
struct PageSnapshotTests {
    /// 2026-03-02 10:00 in Shanghai: long past, so "overdue" and "idle" read the same on every run.
    static let start = Date(timeIntervalSince1970: 1_772_416_800)

    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        let r = try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
        #expect(r.status == .seeOther, "\(path) answered \(r.status): \(r.text.prefix(300))", sourceLocation: sourceLocation)
        return r
    }

    // HTML must not depend on the database; SQLite keeps the run short.
    @Test func theMainPagesRenderAsReviewed() async throws {
        try await WebEnv.run(.sqlite, clock: TickingClock(Self.start)) { env in
            let zh = ["Accept-Language": "zh-CN"]
            let (rep, csrf) = try await PageTests().signIn(env)
            let (admin, adminCsrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let repJar = rep.merging(zh) { a, _ in a }, adminJar = admin.merging(zh) { a, _ in a }

            // customers: an organisation and two people, one working there, with a note and a call
            let org = try await env.createCustomer(["kind": str("organization"), "name": str("星辰科技有限公司"), "tags": strs(["制造业"])])["id"].string ?? ""
            let wang = try await env.createCustomer(["name": str("王小明"), "title": str("采购经理"), "organization_id": str(org),
                                                     "phones": strs(["13800138000"]), "emails": strs(["xiaoming@example.com"]),
                                                     "tags": strs(["VIP", "华东"]), "source": str("展会")])["id"].string ?? ""
            _ = try await env.createCustomer(["name": str("李雷"), "phones": strs(["13900139000"]), "tags": strs(["老客户"])])
            _ = try await post(env, repJar, "/customers/\(wang)/activities", "_csrf=\(csrf)&kind=note&body=\(q("对春季新品感兴趣，下周寄样品。"))")
            _ = try await post(env, repJar, "/customers/\(wang)/activities", "_csrf=\(csrf)&kind=call&subject=\(q("确认样品收货"))&body=\(q("已收到，反馈良好。"))")

            // deals: two on the board, one moved a stage on
            let big = try await post(env, repJar, "/deals/new", "_csrf=\(csrf)&customer_id=\(wang)&name=\(q("年度采购框架"))&amount=\(q("120,000.00"))&currency=CNY&expected_close=2026-04-30")
            _ = try await post(env, repJar, "/deals/new", "_csrf=\(csrf)&customer_id=\(org)&name=\(q("产线扩容"))&amount=8800&currency=CNY")
            let stages = try await env.get("/api/v1/pipelines").json["items"].array[0]["stages"].array
            _ = try await post(env, repJar, (big.header("Location") ?? "") + "/move", "_csrf=\(csrf)&stage_id=\(stages[1]["id"].string ?? "")&version=1&back=%2Fdeals")

            // a lead captured by the admin naming its owner, contacted, with a call: one entered by hand without
            // an owner gets its capture and its assignment to whoever entered it in one instant, which sort either way
            let adminUser = try #require(try await env.services.access.user(email: "admin-a@example.com"))
            let lead = try await env.send(.post, "/api/v1/leads", as: .admin, json: json([
                "name": str("张伟"), "company": str("华南贸易"), "phone": str("13700137000"), "province": str("广东"), "city": str("广州"),
                "source": str("官网"), "message": str("想了解批发价格"), "owner_id": str(adminUser.id)]))
            let leadPath = "/leads/" + (lead.json["id"].string ?? "")
            _ = try await post(env, adminJar, leadPath + "/status", "_csrf=\(adminCsrf)&status=contacted&version=1")
            _ = try await post(env, adminJar, leadPath + "/activities", "_csrf=\(adminCsrf)&kind=call&subject=\(q("首次联系"))")

            // an order of a catalogue product and a freight line, partly paid
            let std = try #require(try await env.get("/api/v1/price-lists").json["items"].array.first?["id"].string)
            _ = try await post(env, adminJar, "/products/save", "_csrf=\(adminCsrf)&sku=TEA-1&name=\(q("龙井茶"))&unit=\(q("罐"))&tax_rate=13&price_\(std)=\(q("588.00"))&active=1")
            let product = try #require(try await env.get("/api/v1/products").json["items"].array.first?["id"].string)
            let order = try await post(env, repJar, "/orders/new", "_csrf=\(csrf)&customer_id=\(wang)&lines%5B0%5D.product_id=\(product)&lines%5B0%5D.quantity=10&lines%5B1%5D.name=\(q("运费"))&lines%5B1%5D.quantity=1&lines%5B1%5D.unit_price=20&note=\(q("春节前发货"))")
            let orderPath = order.header("Location") ?? ""
            _ = try await post(env, repJar, orderPath + "/pay", "_csrf=\(csrf)&amount=\(q("1,000.00"))&method=\(q("银行转账"))&reference=B-1")

            // a ticket with a canned reply offered and a note mentioning a colleague; the queue with its bulk actions
            _ = try await post(env, adminJar, "/service/canned-replies/save",
                               "_csrf=\(adminCsrf)&title=\(q("破损致歉"))&body_zh-Hans=\(q("{{customer.name}}您好"))&active=1")
            let ticket = try await post(env, repJar, "/tickets/new", "_csrf=\(csrf)&customer_id=\(org)&subject=\(q("茶叶罐破损"))&type=complaint&priority=high&channel=phone&body=\(q("收到的罐子压扁了"))")
            let ticketPath = ticket.header("Location") ?? ""
            _ = try await post(env, adminJar, ticketPath + "/reply", "_csrf=\(adminCsrf)&version=1&kind=note&body=\(q("@rep-a 请联系客户 <b>补发</b>"))")
            // a ticket of 李雷's about the tea, with a ticket field, answered; found by a word of the reply
            let li = try #require(try await env.get("/api/v1/customers?limit=10").json["items"].array.first { $0["name"].string == "李雷" }?["id"].string)
            _ = try await env.send(.post, "/api/v1/custom-fields", as: .admin, json: #"{"key":"batch","label":"批次号","type":"text","applies_to":"tickets"}"#)
            let searched = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
                "customer_id": str(li), "subject": str("茶叶受潮"), "body": str("打开罐子发现茶叶结块了。"), "type": str("complaint"),
                "product_id": str(product), "custom": .object(["batch": str("LJ-2026-03")])]))
            let ticketID = try #require(searched.json["id"].string, "\(searched.text)")
            _ = try await post(env, adminJar, "/tickets/\(ticketID)/reply", "_csrf=\(adminCsrf)&version=1&kind=reply&body=\(q("抱歉，已为您补寄一罐。"))")
            try await env.services.tickets.indexSearch()   // as the server's search service does after the writes

            let pages: [(String, String, [String: String])] = [
                ("customers", "/customers", repJar), ("customer", "/customers/\(wang)", repJar), ("lead", leadPath, adminJar),
                ("deals", "/deals", repJar), ("order", orderPath, repJar), ("settings_users", "/settings/users", adminJar),
                ("tickets", "/tickets", adminJar), ("ticket", ticketPath, adminJar), ("canned_replies", "/service/canned-replies", adminJar),
                ("tickets_search", "/tickets?q=\(q("补寄"))", adminJar), ("ticket_fields", "/tickets/\(ticketID)", adminJar),
            ]
            for (name, path, jar) in pages {
                let r = try await env.send(.get, path, as: .none, headers: jar)
                #expect(r.status == .ok, "\(path): \(r.status)")
                try PageSnapshot.check(name, PageSnapshot.normalize(r.text, tokens: [csrf, adminCsrf]))
            }
        }
    }
}
