import Foundation
import Testing
import SQLKit
import HTTPTypes
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebPortal

/// A customer's portal session in a test: the cookie header and the CSRF token.
struct PortalSession: Sendable {
    var cookie: String
    var csrf: String
    var headers: [String: String] { ["Cookie": cookie] }
    var apiHeaders: [String: String] { ["Cookie": cookie, "X-CSRF-Token": csrf] }
}

/// One customer's records in a workspace: the customer, an order shipped with a tracking number,
/// a sent quote, a request with a file.
struct PortalRecords: Sendable {
    var customerID: String
    var email: String
    var orderID: String
    var orderNumber: String
    var quoteID: String
    var ticketID: String
    var attachmentID: String
}

enum PortalFixture {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])

    static func owner(_ ws: Workspace) -> Scope { Scope(workspaceID: ws.id, userID: nil, role: .owner) }

    static func customer(_ env: WebEnv, _ ws: Workspace, name: String, email: String, organizationID: String? = nil,
                         kind: CustomerKind = .person) async throws -> String {
        var c = CustomerDraft(); c.kind = kind; c.name = name; c.emails = [email]
        if let organizationID { c.organizationID = .some(organizationID) }
        return try await env.services.customers.create(owner(ws), c).id
    }

    /// A customer with an order (paid in part, shipped with a tracking number), a sent quote and a request with a photo.
    static func records(_ env: WebEnv, _ ws: Workspace, name: String, email: String, organizationID: String? = nil) async throws -> PortalRecords {
        let s = env.services, o = owner(ws)
        let id = try await customer(env, ws, name: name, email: email, organizationID: organizationID)
        var d = OrderDraft(); d.customerID = id; d.currency = "CNY"
        d.lines = [LineDraft(name: "龙井茶 🍵 250g", quantity: 2, unitPrice: 12_800)]
        let (order, _) = try await s.orders.create(o, d)
        // a collection plan: it ships before it is paid in full
        _ = try await s.orders.setPlan(o, id: order.id, [Instalment(dueDate: "2026-01-10", amount: 10_000), Instalment(dueDate: "2099-12-31", amount: 15_600)])
        _ = try await s.orders.pay(o, id: order.id, PaymentDraft(amount: 10_000, method: "alipay"))
        _ = try await s.orders.ship(o, id: order.id, ShipmentDraft(carrier: "顺丰", trackingNumber: "SF" + String(order.number.suffix(6)) + "TRK"))
        var q = QuoteDraft(); q.customerID = id; q.currency = "CNY"; q.title = "年度茶礼 " + name
        q.lines = [LineDraft(name: "礼盒", quantity: 10, unitPrice: 9_900)]
        let quote = try await s.quotes.create(o, q)
        _ = try await s.quotes.move(o, id: quote.id, to: .sent, reason: nil, ifVersion: nil)
        var t = TicketDraft(); t.customerID = id; t.subject = "罐子压扁了 " + name; t.body = "见照片"
        let ticket = try await s.tickets.create(o, t, attachments: [AttachmentUpload(name: "照片.png", data: png)])
        _ = try await s.tickets.addMessage(o, id: ticket.id, kind: .note, body: "内部备注：不要告诉客户", attachments: [AttachmentUpload(name: "内部.png", data: png)])
        let files = try await s.tickets.messages(o, id: ticket.id).flatMap(\.attachments)
        return PortalRecords(customerID: id, email: email, orderID: order.id, orderNumber: order.number, quoteID: quote.id, ticketID: ticket.id,
                             attachmentID: try #require(files.first { $0.name == "照片.png" }).id)
    }

    /// Signs in through the API with a code the store issues (the mail is read in the browser test).
    static func signIn(_ env: WebEnv, _ email: String, workspace: String? = nil) async throws -> PortalSession {
        let codes = try await env.services.portal.requestCode(email: email, address: "127.0.0.9", message: { _, _ in ("", "") }, linkBase: "")
        let code = try #require(codes.first).code
        var body: [String: JSONValue] = ["email": .string(email), "code": .string(code)]
        if let workspace { body["workspace"] = .string(workspace) }
        let r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(body))
        #expect(r.status == .ok, "\(r.text)")
        let cookie = try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        #expect(cookie.hasPrefix("gx_portal="))
        return PortalSession(cookie: cookie, csrf: try #require(r.json["csrf"].string))
    }
}

@Suite("Customer portal: sign-in by a mailed one-time code, its own session, and only one's own records")
struct PortalWebTests {
    func form(_ env: WebEnv, _ path: String, _ body: String, _ s: PortalSession? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var h = s?.headers ?? [:]
        for (k, v) in headers { h[k] = v }
        return try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: h)
    }

    @Test(arguments: Backend.all)
    func aCodeSignsInOnceWithinTenMinutesAndTheAnswerIsTheSameForUnknownAddresses(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            _ = try await PortalFixture.customer(env, env.workspaceA, name: "王芳 🌸", email: "wang.fang@example.cn")
            // the same answer, byte for byte, for a customer's address and an unknown one
            let known = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"email":"Wang.Fang@Example.cn"}"#)
            let unknown = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"email":"nobody@example.cn"}"#)
            #expect(known.status == .accepted && unknown.status == .accepted && known.body == unknown.body)
            // a malformed address is named, an oversized or injected one refused without a 500
            #expect(try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"email":"' OR 1=1 --"}"#).status.code == 422)
            #expect(try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: json(["email": str(String(repeating: "长", count: 5000) + "@x.cn")])).status.code == 422)

            // the codes are kept only as hashes
            let issued = try await env.services.portal.requestCode(email: "wang.fang@example.cn", address: "127.0.0.2", message: { _, _ in ("", "") }, linkBase: "")
            let code = try #require(issued.first).code
            let rows = try await env.services.db.read { sql in try await sql.raw("SELECT code_hash, link_hash FROM portal_codes").all() }
            for r in rows {
                #expect(try r.decode(column: "code_hash", as: String.self) != code)
                #expect(try r.decode(column: "link_hash", as: String.self) != issued[0].linkToken)
            }
            // a wrong code fails; the right one, typed with full-width digits and spaces, signs in, once
            let wrong = code == "000000" ? "111111" : "000000"
            var r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(wrong)]))
            #expect(r.status == .unauthorized)
            let typed = String(code.prefix(3)) + " " + String(code.suffix(3)).map { String(UnicodeScalar($0.unicodeScalars.first!.value - 0x30 + 0xFF10)!) }.joined()
            r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(typed)]))
            #expect(r.status == .ok && r.json["name"].string == "王芳 🌸", "\(r.text)")
            let setCookie = try #require(r.header("Set-Cookie"))
            #expect(setCookie.contains("Path=/portal") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let session = PortalSession(cookie: String(setCookie.split(separator: ";")[0]), csrf: try #require(r.json["csrf"].string))
            r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(code)]))
            #expect(r.status == .unauthorized, "a used code signs in again")
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: session.headers).json["email"].string == "wang.fang@example.cn")

            // an expired code fails
            let late = try await env.services.portal.requestCode(email: "wang.fang@example.cn", address: "127.0.0.2", message: { _, _ in ("", "") }, linkBase: "")
            clock.advance(seconds: 10 * 60 + 1)
            r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(late[0].code)]))
            #expect(r.status == .unauthorized)

            // five wrong codes end the live one
            let guessed = try await env.services.portal.requestCode(email: "wang.fang@example.cn", address: "127.0.0.2", message: { _, _ in ("", "") }, linkBase: "")
            let bad = guessed[0].code == "000000" ? "111111" : "000000"
            for _ in 0..<5 {
                _ = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(bad)]))
            }
            r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["email": str("wang.fang@example.cn"), "code": str(guessed[0].code)]))
            #expect(r.status == .unauthorized, "the right code after five wrong ones")

            // sessions end after four idle hours, and at sign-out
            clock.advance(seconds: 4 * 3600 + 60)
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: session.headers).status == .unauthorized)
            let again = try await PortalFixture.signIn(env, "wang.fang@example.cn")
            #expect(try await env.send(.post, "/portal/api/sign-out", as: .none, headers: again.headers).status == .forbidden, "sign-out without the CSRF token")
            #expect(try await env.send(.post, "/portal/api/sign-out", as: .none, headers: again.apiHeaders).status == .noContent)
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: again.headers).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func codeRequestsAreLimitedPerAddressAndPerNetworkAddressKnownOrNot(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            _ = try await PortalFixture.customer(env, env.workspaceA, name: "李雷", email: "li.lei@example.cn")
            for email in ["li.lei@example.cn", "ghost@example.cn"] {
                for _ in 0..<5 { #expect(try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: json(["email": str(email)])).status == .accepted) }
                let sixth = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: json(["email": str(email)]))
                #expect(sixth.status == .tooManyRequests && sixth.header("Retry-After") != nil)
            }
            // and per network address, whatever the addresses asked for
            for i in 0..<10 { _ = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: json(["email": str("n\(i)@example.cn")])) }
            #expect(try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: json(["email": str("last@example.cn")])).status == .tooManyRequests)
            // the page says so in the visitor's language and keeps what was typed
            let page = try await form(env, "/portal/sign-in/code", "email=\(q("last2@example.cn"))", headers: ["Accept-Language": "zh-CN"])
            #expect(page.status == .tooManyRequests && page.text.contains("请一小时后再试") && page.text.contains("last2@example.cn"))
        }
    }

    @Test(arguments: Backend.all)
    func signInByPagesAndByTheMailedLinkWhichAScannerCannotUse(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let mine = try await PortalFixture.records(env, env.workspaceA, name: "陈静", email: "chen.jing@example.cn")
            // the sign-in page in three languages
            #expect(try await env.send(.get, "/portal/sign-in", as: .none, headers: ["Accept-Language": "zh-CN"]).text.contains("发送验证码"))
            #expect(try await env.send(.get, "/portal/sign-in", as: .none, headers: ["Accept-Language": "zh-TW"]).text.contains("寄送驗證碼"))
            #expect(try await env.send(.get, "/portal/sign-in", as: .none, headers: ["Accept-Language": "en"]).text.contains("Send me a code"))
            #expect(try await env.send(.get, "/portal/orders", as: .none).header("Location") == "/portal/sign-in")
            // the code form, whatever the address; a post from another site is refused
            let asked = try await form(env, "/portal/sign-in/code", "email=\(q("chen.jing@example.cn"))", headers: ["Accept-Language": "zh-CN"])
            #expect(asked.status == .ok && asked.text.contains("name=\"code\"") && asked.text.contains("chen.jing@example.cn"))
            #expect(try await form(env, "/portal/sign-in/code", "email=x%40example.cn", headers: ["Origin": "https://evil.example"]).status == .forbidden)
            let issued = try await env.services.portal.requestCode(email: "chen.jing@example.cn", address: "127.0.0.3", message: { _, _ in ("", "") }, linkBase: "")
            // a wrong code re-shows the form with the reason
            let wrong = try await form(env, "/portal/sign-in", "email=\(q("chen.jing@example.cn"))&code=12", headers: ["Accept-Language": "zh-CN"])
            #expect(wrong.status == .unauthorized && wrong.text.contains("验证码不对或已过期"))
            // opening the link signs nobody in (a mail scanner follows links); its button does
            let link = try await env.send(.get, "/portal/sign-in/link?token=\(q(issued[0].linkToken))", as: .none)
            #expect(link.status == .ok && link.header("Set-Cookie") == nil && link.text.contains(issued[0].linkToken))
            let confirmed = try await form(env, "/portal/sign-in/link", "token=\(q(issued[0].linkToken))")
            #expect(confirmed.status == .seeOther && confirmed.header("Location") == "/portal/orders")
            let cookie = try #require(confirmed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            // the link and its code are used up together
            #expect(try await form(env, "/portal/sign-in/link", "token=\(q(issued[0].linkToken))").status == .unauthorized)
            #expect(try await form(env, "/portal/sign-in", "email=\(q("chen.jing@example.cn"))&code=\(issued[0].code)").status == .unauthorized)
            // the orders page: the order, its status and what is left to pay, in Chinese at phone width (no staff navigation)
            let orders = try await env.send(.get, "/portal/orders", as: .none, headers: ["Cookie": cookie + "; gx_lang=zh-Hans"])
            #expect(orders.status == .ok && orders.text.contains(mine.orderNumber) && orders.text.contains("已发货") && orders.text.contains("待付"))
            #expect(!orders.text.contains("/customers") && orders.text.contains("width=device-width"))
            #expect(orders.header("Content-Security-Policy")?.contains("default-src 'self'") == true && !orders.text.contains("<script>") && !orders.text.contains("style="))
            let order = try await env.send(.get, "/portal/orders/\(mine.orderID)", as: .none, headers: ["Cookie": cookie + "; gx_lang=zh-Hant"])
            #expect(order.status == .ok && order.text.contains("TRK") && order.text.contains("顺丰") && order.text.contains("貨運單號"))
            #expect(order.text.contains("龙井茶 🍵 250g"))
            // signing out ends it
            let page = try await env.send(.get, "/portal/orders", as: .none, headers: ["Cookie": cookie])
            let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
            let out = try await form(env, "/portal/sign-out", "_csrf=\(q(csrf))", PortalSession(cookie: cookie, csrf: csrf))
            #expect(out.status == .seeOther && out.header("Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(try await env.send(.get, "/portal/orders", as: .none, headers: ["Cookie": cookie]).status == .seeOther)
        }
    }

    @Test(arguments: Backend.all)
    func staffAndPortalCookiesOpenOnlyTheirOwnSide(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            _ = try await PortalFixture.records(env, env.workspaceA, name: "赵敏", email: "zhao.min@example.cn")
            let portal = try await PortalFixture.signIn(env, "zhao.min@example.cn")
            let secret = String(portal.cookie.dropFirst("gx_portal=".count))
            let (staff, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let staffSecret = String(try #require(staff["Cookie"]).dropFirst("gx_session=".count))
            // a portal session is no staff session: not for the API, not for staff pages
            #expect(try await env.send(.get, "/api/v1/customers", as: .none, headers: ["Cookie": "gx_session=" + secret]).status == .unauthorized)
            #expect(try await env.send(.get, "/customers", as: .none, headers: ["Cookie": "gx_session=" + secret]).status == .seeOther)
            // a staff session is no portal session, by either cookie name
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: ["Cookie": "gx_portal=" + staffSecret]).status == .unauthorized)
            #expect(try await env.send(.get, "/portal/api/orders", as: .none, headers: staff).status == .unauthorized)
            #expect(try await env.send(.get, "/portal/orders", as: .none, headers: staff).header("Location") == "/portal/sign-in")
            // nor is an API token
            #expect(try await env.send(.get, "/portal/api/orders", as: .admin).status == .unauthorized)
            // both at once: each side sees its own
            let both = ["Cookie": portal.cookie + "; " + staff["Cookie"]!]
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: both).json["email"].string == "zhao.min@example.cn")
            #expect(try await env.send(.get, "/customers", as: .none, headers: both).status == .ok)
        }
    }

    /// Every portal route, with the ids of another customer of the workspace and of a customer of
    /// another workspace: not found, and nothing changes; with one's own ids: found.
    @Test(arguments: Backend.all)
    func everyPortalRouteAnswersNotFoundForAnotherCustomersRecords(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let mine = try await PortalFixture.records(env, env.workspaceA, name: "周杰", email: "zhou.jie@example.cn")
            let neighbour = try await PortalFixture.records(env, env.workspaceA, name: "吴倩", email: "wu.qian@example.cn")
            let stranger = try await PortalFixture.records(env, env.workspaceB, name: "郑爽", email: "zheng.shuang@example.cn")
            let me = try await PortalFixture.signIn(env, mine.email)
            let routes = PortalWeb.registered.withLock { $0 }
            #expect(routes.count >= 24, "\(routes.sorted())")
            for route in routes.sorted() where route.contains(":") {
                let parts = route.split(separator: " "), method = HTTPRequest.Method(rawValue: String(parts[0]))!
                for other in [neighbour, stranger] {
                    // the record named is another customer's; any other id in the address is one's own
                    var path = String(parts[1])
                    if path.contains("/attachments/") {
                        path = path.replacingOccurrences(of: ":id", with: mine.ticketID).replacingOccurrences(of: ":file", with: other.attachmentID)
                    } else {
                        let id = path.contains("/orders") ? other.orderID : path.contains("/quotes") ? other.quoteID : other.ticketID
                        path = path.replacingOccurrences(of: ":id", with: id)
                    }
                    let body = "_csrf=\(q(me.csrf))&body=\(q("问一下"))&rating=5&comment=x"
                    let r = method == .get ? try await env.send(.get, path, as: .none, headers: me.headers)
                        : try await env.send(method, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
                                             headers: me.apiHeaders)
                    #expect(r.status == .notFound, "\(route) with another's id answered \(r.status)")
                    #expect(!r.text.contains(other.orderNumber) && !r.text.contains("罐子压扁了 吴倩") && !r.text.contains("罐子压扁了 郑爽"))
                }
                // a well-formed id of nothing, and a malformed one with an injection attempt
                for bad in [ID.make(), "x' OR '1'='1", "%3Cscript%3E"] {
                    let path = String(parts[1]).replacingOccurrences(of: ":id", with: bad).replacingOccurrences(of: ":file", with: bad)
                    let r = method == .get ? try await env.send(.get, path, as: .none, headers: me.headers)
                        : try await env.send(method, path, as: .none, body: Data("_csrf=\(q(me.csrf))".utf8),
                                             contentType: "application/x-www-form-urlencoded", headers: me.apiHeaders)
                    #expect(r.status == .notFound, "\(route) with \(bad) answered \(r.status)")
                }
            }
            // nothing of theirs changed: their quote is still sent, their request has no new message
            #expect(try await env.services.quotes.get(PortalFixture.owner(env.workspaceA), id: neighbour.quoteID).status == .sent)
            #expect(try await env.services.tickets.messages(PortalFixture.owner(env.workspaceA), id: neighbour.ticketID).count == 2)
            // the lists hold one's own records only
            let orders = try await env.send(.get, "/portal/api/orders", as: .none, headers: me.headers)
            #expect(orders.json["items"].array.map { $0["id"].string } == [mine.orderID])
            let requests = try await env.send(.get, "/portal/api/requests", as: .none, headers: me.headers)
            #expect(requests.json["items"].array.map { $0["id"].string } == [mine.ticketID])
            #expect(try await env.send(.get, "/portal/api/quotes", as: .none, headers: me.headers).json["items"].array.map { $0["id"].string } == [mine.quoteID])
            // one's own: found, with shipments and tracking, and the conversation without internal notes or their files
            let order = try await env.send(.get, "/portal/api/orders/\(mine.orderID)", as: .none, headers: me.headers)
            #expect(order.status == .ok && order.json["shipments"][0]["tracking_number"].string?.hasSuffix("TRK") == true)
            #expect(order.json["payments"][0]["amount"].int == 10_000 && order.json["outstanding"].int == 15_600 && order.json.keys.contains("owner_id") == false)
            let request = try await env.send(.get, "/portal/api/requests/\(mine.ticketID)", as: .none, headers: me.headers)
            #expect(request.json["messages"].array.count == 1 && !request.text.contains("内部备注") && !request.text.contains("内部.png"))
            for get in ["/portal/orders/\(mine.orderID)", "/portal/quotes/\(mine.quoteID)", "/portal/requests/\(mine.ticketID)",
                        "/portal/requests/\(mine.ticketID)/attachments/\(mine.attachmentID)"] {
                #expect(try await env.send(.get, get, as: .none, headers: me.headers).status == .ok, "\(get)")
            }
            // the note's file, on one's own request, is not found either
            let noteFile = try await env.services.tickets.messages(PortalFixture.owner(env.workspaceA), id: mine.ticketID).flatMap(\.attachments).first { $0.name == "内部.png" }!
            #expect(try await env.send(.get, "/portal/requests/\(mine.ticketID)/attachments/\(noteFile.id)", as: .none, headers: me.headers).status == .notFound)
            // a customer of the other workspace with the same address signs in there only, and sees only that workspace's records
            _ = try await PortalFixture.customer(env, env.workspaceB, name: "周杰（另一家）", email: mine.email)
            let there = try await PortalFixture.signIn(env, mine.email, workspace: env.workspaceB.slug)
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: there.headers).json["name"].string == "周杰（另一家）")
            #expect(try await env.send(.get, "/portal/api/orders", as: .none, headers: there.headers).json["items"].array.isEmpty)
            #expect(try await env.send(.get, "/portal/api/orders/\(mine.orderID)", as: .none, headers: there.headers).status == .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func aCustomerSubmitsFollowsRepliesToAndRatesARequest(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let mine = try await PortalFixture.records(env, env.workspaceA, name: "孙丽", email: "sun.li@example.cn")
            let me = try await PortalFixture.signIn(env, mine.email)
            let zh = ["Cookie": me.cookie + "; gx_lang=zh-Hans"]
            let newForm = try await env.send(.get, "/portal/requests/new?order_id=\(mine.orderID)", as: .none, headers: zh)
            #expect(newForm.status == .ok && newForm.text.contains(mine.orderNumber) && newForm.text.contains("enctype=\"multipart/form-data\""))
            // an empty subject, an oversized file: every field named in Chinese, what was typed kept
            let boundary = "----portal\(UUID().uuidString.prefix(8))"
            func multipart(_ fields: [(String, String)], files: [(String, Data)]) -> Data {
                var d = Data()
                for (k, v) in fields { d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)) }
                for (name, data) in files {
                    d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"\(name)\"\r\nContent-Type: image/png\r\n\r\n".utf8))
                    d.append(data); d.append(Data("\r\n".utf8))
                }
                d.append(Data("--\(boundary)--\r\n".utf8))
                return d
            }
            let injected = "<script>alert('x')</script>' OR 1=1 -- 茶叶 😡"
            let bad = try await env.send(.post, "/portal/requests", as: .none,
                                         body: multipart([("_csrf", me.csrf), ("subject", ""), ("body", injected), ("type", "inquiry")],
                                                         files: [("big.png", PortalFixture.png + Data(count: 11 * 1024 * 1024))]),
                                         contentType: "multipart/form-data; boundary=\(boundary)", headers: zh)
            #expect(bad.status.code == 422 && bad.text.contains("big.png") && bad.text.contains("&lt;script&gt;") && !bad.text.contains("<script>alert"))
            // a request of a type only agents use is refused
            let defect = try await env.send(.post, "/portal/requests", as: .none,
                                            body: multipart([("_csrf", me.csrf), ("subject", "x"), ("body", "y"), ("type", "defect")], files: []),
                                            contentType: "multipart/form-data; boundary=\(boundary)", headers: zh)
            #expect(defect.status.code == 422)
            // without the form's token: refused
            let forged = try await env.send(.post, "/portal/requests", as: .none,
                                            body: multipart([("subject", "x"), ("body", "y")], files: []),
                                            contentType: "multipart/form-data; boundary=\(boundary)", headers: zh)
            #expect(forged.status == .forbidden)
            // submitted with a photo: a portal ticket of the customer, about the order, as typed
            let sent = try await env.send(.post, "/portal/requests", as: .none,
                                          body: multipart([("_csrf", me.csrf), ("subject", injected), ("body", "收到时盒子是湿的 💧"), ("type", "complaint"),
                                                           ("order_id", mine.orderID)], files: [("湿盒子.png", PortalFixture.png)]),
                                          contentType: "multipart/form-data; boundary=\(boundary)", headers: zh)
            #expect(sent.status == .seeOther, "\(sent.text)")
            let location = try #require(sent.header("Location"))
            let ticketID = String(try #require(location.split(separator: "/").last?.split(separator: "?").first))
            let owner = PortalFixture.owner(env.workspaceA)
            let ticket = try await env.services.tickets.get(owner, id: ticketID)
            #expect(ticket.customerID == mine.customerID && ticket.channel == .portal && ticket.subject == injected && ticket.orderID == mine.orderID && ticket.type == .complaint)
            let audit = try await env.services.audit.list(owner, object: "tickets", objectID: ticketID).items
            #expect(audit.contains { $0.action == "portal_request" && $0.detail?.objectValue?["by"] == "customer" })
            // the page shows it escaped, with the thank-you and the file
            let page = try await env.send(.get, location, as: .none, headers: zh)
            #expect(page.text.contains("已收到您的请求") && page.text.contains("&lt;script&gt;") && page.text.contains("湿盒子.png"))
            // the customer replies; an agent answers and resolves; the customer rates it once
            let replied = try await env.send(.post, "/portal/requests/\(ticketID)/reply", as: .none,
                                             body: multipart([("_csrf", me.csrf), ("body", "补充：有两盒")], files: []),
                                             contentType: "multipart/form-data; boundary=\(boundary)", headers: zh)
            #expect(replied.status == .seeOther)
            _ = try await env.services.tickets.addMessage(owner, id: ticketID, kind: .reply, body: "已安排补发。", status: .resolved)
            let resolved = try await env.send(.get, "/portal/requests/\(ticketID)", as: .none, headers: zh)
            #expect(resolved.text.contains("已安排补发。") && resolved.text.contains("name=\"rating\"") && resolved.text.contains("已解决"))
            let noStars = try await form(env, "/portal/requests/\(ticketID)/rate", "_csrf=\(q(me.csrf))&comment=\(q("还行"))", PortalSession(cookie: me.cookie + "; gx_lang=zh-Hans", csrf: me.csrf))
            #expect(noStars.status.code == 422 && noStars.text.contains("请选择 1 到 5 星") && noStars.text.contains("还行"))
            let rated = try await form(env, "/portal/requests/\(ticketID)/rate", "_csrf=\(q(me.csrf))&rating=4&comment=\(q("快 👍"))", me)
            #expect(rated.status == .seeOther)
            let survey = try #require(try await env.services.surveys.latest(owner, ticketID: ticketID))
            #expect(survey.rating == 4 && survey.comment == "快 👍")
            _ = try await form(env, "/portal/requests/\(ticketID)/rate", "_csrf=\(q(me.csrf))&rating=1", me)
            #expect(try await env.services.surveys.latest(owner, ticketID: ticketID)?.rating == 4)
            let messages = try await env.services.tickets.messages(owner, id: ticketID)
            #expect(messages.map(\.kind) == [.customer, .customer, .reply])
        }
    }

    @Test(arguments: Backend.all)
    func quotesAreAcceptedOrQuestionedAndOrganisationRolesDecideWhoMayAccept(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let owner = PortalFixture.owner(env.workspaceA)
            let org = try await PortalFixture.customer(env, env.workspaceA, name: "杭州茶庄有限公司", email: "office@chazhuang.cn", kind: .organization)
            let member = try await PortalFixture.records(env, env.workspaceA, name: "钱多", email: "qian.duo@chazhuang.cn", organizationID: org)
            let boss = try await PortalFixture.customer(env, env.workspaceA, name: "冯老板", email: "feng@chazhuang.cn", organizationID: org)
            // staff set a contact's role through the API: those who may change the customer, in its workspace
            #expect(try await env.send(.put, "/api/v1/customers/\(boss)/portal-role", as: .readOnly, json: #"{"role":"admin"}"#).status == .forbidden)
            #expect(try await env.send(.put, "/api/v1/customers/\(boss)/portal-role", as: .b, json: #"{"role":"admin"}"#).status == .notFound)
            #expect(try await env.send(.put, "/api/v1/customers/\(boss)/portal-role", as: .admin, json: #"{"role":"boss"}"#).status.code >= 400)
            let set = try await env.send(.put, "/api/v1/customers/\(boss)/portal-role", as: .admin, json: #"{"role":"admin"}"#)
            #expect(set.status == .ok && set.json["role"].string == "admin" && set.json["customer_id"].string == boss)
            // the organisation's quote
            var qd = QuoteDraft(); qd.customerID = org; qd.currency = "CNY"; qd.title = "公司采购"; qd.lines = [LineDraft(name: "大红袍", quantity: 1, unitPrice: 50_000)]
            let orgQuote = try await env.services.quotes.create(owner, qd)
            _ = try await env.services.quotes.move(owner, id: orgQuote.id, to: .sent, reason: nil, ifVersion: nil)
            // a draft quote is never shown
            var dq = QuoteDraft(); dq.customerID = member.customerID; dq.currency = "CNY"; dq.title = "草稿"; dq.lines = [LineDraft(name: "x", quantity: 1, unitPrice: 1)]
            let draft = try await env.services.quotes.create(owner, dq)

            let m = try await PortalFixture.signIn(env, member.email)
            let quotes = try await env.send(.get, "/portal/api/quotes", as: .none, headers: m.headers)
            #expect(Set(quotes.json["items"].array.compactMap { $0["id"].string }) == [member.quoteID, orgQuote.id])
            #expect(try await env.send(.get, "/portal/quotes/\(draft.id)", as: .none, headers: m.headers).status == .notFound)
            // a member may not accept the organisation's quote, and is not shown the button
            let orgPage = try await env.send(.get, "/portal/quotes/\(orgQuote.id)", as: .none, headers: m.headers)
            #expect(orgPage.status == .ok && !orgPage.text.contains("/accept"))
            #expect(try await form(env, "/portal/quotes/\(orgQuote.id)/accept", "_csrf=\(q(m.csrf))", m).status == .forbidden)
            // a member accepts their own: the order is placed, as when staff record it
            let accepted = try await form(env, "/portal/quotes/\(member.quoteID)/accept", "_csrf=\(q(m.csrf))", m)
            #expect(accepted.status == .seeOther && accepted.header("Location")?.hasPrefix("/portal/orders/") == true)
            #expect(try await env.services.quotes.get(owner, id: member.quoteID).status == .accepted)
            // and asks about the organisation's: a request naming the quote
            let asked = try await form(env, "/portal/quotes/\(orgQuote.id)/ask", "_csrf=\(q(m.csrf))&body=\(q("能否月结？"))", m)
            #expect(asked.status == .seeOther)
            let ticketID = String(try #require(asked.header("Location")?.split(separator: "/").last?.split(separator: "?").first))
            #expect(try await env.services.tickets.get(owner, id: ticketID).subject.hasPrefix(orgQuote.number))
            // the organisation's orders are the member's to see; its requests only its administrator's
            let b = try await PortalFixture.signIn(env, "feng@chazhuang.cn")
            #expect(try await env.send(.get, "/portal/api/me", as: .none, headers: b.headers).json["role"].string == "admin")
            #expect(try await env.send(.get, "/portal/api/requests/\(member.ticketID)", as: .none, headers: b.headers).status == .notFound)
            #expect(try await form(env, "/portal/quotes/\(orgQuote.id)/accept", "_csrf=\(q(b.csrf))", b).status == .seeOther)
            // setting a role takes a staff member who may change the customer
            await #expect(throws: DomainError.self) {
                try await env.services.portal.setRole(Scope(workspaceID: env.workspaceA.id, userID: nil, role: .readOnly), customerID: boss, role: .member)
            }
        }
    }

    @Test(arguments: Backend.all)
    func customersChangeTheirDetailsAndConsentThroughTheStaffRulesMarkedAsTheirs(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let owner = PortalFixture.owner(env.workspaceA)
            let id = try await PortalFixture.customer(env, env.workspaceA, name: "何静", email: "he.jing@example.cn")
            let me = try await PortalFixture.signIn(env, "he.jing@example.cn")
            let zh = PortalSession(cookie: me.cookie + "; gx_lang=zh-Hans", csrf: me.csrf)
            let page = try await env.send(.get, "/portal/details", as: .none, headers: zh.headers)
            #expect(page.status == .ok && page.text.contains("何静") && page.text.contains("consent_sms"))
            let version = try #require(page.text.firstMatch(of: /name="version" value="(\d+)"/).map { String($0.output.1) })
            // a bad phone number is named, what was typed is kept
            let bad = try await form(env, "/portal/details", "_csrf=\(q(me.csrf))&version=\(version)&name=\(q("何静 ✨"))&phones=\(q("abc<b>"))", zh)
            #expect(bad.status.code == 422 && bad.text.contains("abc&lt;b&gt;"))
            // saved: consent per channel and the phone, with a timeline entry and an audit entry by the customer
            let ok = try await form(env, "/portal/details", "_csrf=\(q(me.csrf))&version=\(version)&name=\(q("何静 ✨"))&phones=\(q("138 0013 8000"))&consent_email=granted&preferred_channel=email", zh)
            #expect(ok.status == .seeOther, "\(ok.text)")
            let c = try await env.services.customers.get(owner, id: id)
            #expect(c.name == "何静 ✨" && c.phones.count == 1 && c.consent["email"] == .granted && c.consent["sms"] == .denied && c.preferredChannel == .email)
            let timeline = try await env.services.timeline.list(owner, customerID: id, cursor: nil, limit: 20).items
            #expect(timeline.contains { $0.data?["by"] == "customer" && $0.data?["step"] == "details_changed" })
            // a stale form is refused
            let stale = try await form(env, "/portal/details", "_csrf=\(q(me.csrf))&version=\(version)&name=x", zh)
            #expect(stale.status.code == 412 || stale.status == .conflict)
        }
    }
}
