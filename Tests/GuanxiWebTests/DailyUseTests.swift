import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Daily use: the public pool, handover, invitations and set-password links in the pages")
struct DailyUseTests {
    func post(_ env: WebEnv, _ path: String, _ body: String, _ jar: [String: String], lang: String? = nil) async throws -> Reply {
        var h = jar
        if let lang { h["Accept-Language"] = lang }
        return try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: h)
    }

    func get(_ env: WebEnv, _ path: String, _ jar: [String: String], lang: String? = nil) async throws -> Reply {
        var h = jar
        if let lang { h["Accept-Language"] = lang }
        return try await env.send(.get, path, as: .none, headers: h)
    }

    @Test(arguments: Backend.all) func aCustomerIsReleasedFromThe360PageAndClaimedFromThePoolOnce(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let id = try await env.createCustomer(name: "公海客户 🐳 <i>x</i>")
            // the owner releases it from the 360 page
            let page360 = try await get(env, "/customers/\(id)", jar)
            #expect(page360.text.contains("action=\"/pool/release\"") && page360.text.contains("name=\"customer_id\" value=\"\(id)\"")
                    && !page360.text.contains("action=\"/pool/claim\""))
            #expect(try await post(env, "/pool/release", "customer_id=\(id)", jar).status == .forbidden)   // no CSRF token
            let released = try await post(env, "/pool/release", "_csrf=\(csrf)&customer_id=\(id)", jar)
            #expect(released.status == .seeOther && released.header("Location") == "/customers/\(id)")
            #expect(try await env.get("/api/v1/customers/\(id)").json["owner_id"].isNull)
            #expect(try await get(env, "/customers/\(id)", jar).text.contains("action=\"/pool/claim\""))
            // the pool lists it, escaped, with a claim button; filters narrow it
            let pool = try await get(env, "/pool", jar, lang: "zh-CN")
            #expect(pool.status == .ok && pool.text.contains("公海客户 🐳 &lt;i&gt;x&lt;/i&gt;") && pool.text.contains(">领取</button>"))
            #expect(try await get(env, "/pool?tier=VIP", jar).text.contains("公海客户") == false)
            #expect(try await get(env, "/pool?tag=%27%20OR%201%3D1--", jar).text.contains("公海客户") == false)
            // a second rep claims it; the first one's claim is then refused, in the user's language
            _ = try await env.services.access.createUser(email: "rep-y@example.com", password: "password-repy", name: "小叶", role: .salesRep,
                                                         workspaceID: env.workspaceA.id)
            let (other, otherCSRF) = try await PageTests().signIn(env, email: "rep-y@example.com", password: "password-repy")
            let claimed = try await post(env, "/pool/claim", "_csrf=\(otherCSRF)&customer_id=\(id)", other)
            #expect(claimed.status == .seeOther && claimed.header("Location") == "/customers/\(id)")
            for (lang, words) in [("zh-CN", "这位客户已经有负责人了"), ("zh-TW", "這位客戶已經有負責人了"), ("en", "this customer already has an owner")] {
                let again = try await post(env, "/pool/claim", "_csrf=\(csrf)&customer_id=\(id)", jar, lang: lang)
                #expect(again.status == .conflict && again.text.contains(words))
            }
            let twice = try await post(env, "/pool/claim", "_csrf=\(otherCSRF)&customer_id=\(id)", other, lang: "en")
            #expect(twice.status == .conflict && twice.text.contains("you already own this customer"))
            // the timeline says who held it
            let timeline = try await env.get("/api/v1/customers/\(id)/timeline", as: .admin).json["items"].array
            #expect(timeline.filter { $0["kind"].string == "owner_changed" }.count >= 2)
            // another workspace cannot claim it, nor can a malformed id
            let _ = try await env.services.access.createUser(email: "rep-b@example.com", password: "password-repb", name: nil, role: .salesRep,
                                                             workspaceID: env.workspaceB.id)
            let (jarB, csrfB) = try await PageTests().signIn(env, email: "rep-b@example.com", password: "password-repb")
            #expect(try await post(env, "/pool/claim", "_csrf=\(csrfB)&customer_id=\(id)", jarB).status == .notFound)
            #expect(try await post(env, "/pool/claim", "_csrf=\(csrf)&customer_id=\(q("' OR 1=1 --"))", jar).status == .notFound)
            // a read-only user sees the pool but has no claim button and may not claim
            let (viewer, viewerCSRF) = try await PageTests().signIn(env, email: "viewer-a@example.com", password: "password-read_only")
            #expect(try await get(env, "/pool", viewer).status == .ok)
            #expect(try await post(env, "/pool/claim", "_csrf=\(viewerCSRF)&customer_id=\(id)", viewer).status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func aLeaversWorkIsHandedOverThroughThePage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let rep = try #require(try await env.services.access.user(email: "rep-a@example.com"))
            let customer = try await env.createCustomer(name: "交接客户")
            _ = try await env.send(.post, "/api/v1/leads", json: #"{"name":"交接线索","phone":"13900001111"}"#)
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let users = try await get(env, "/settings/users", admin)
            #expect(users.text.contains("/settings/handover/\(rep.id)") && users.text.contains("/settings/invite"))
            let preview = try await get(env, "/settings/handover/\(rep.id)", admin, lang: "en")
            #expect(preview.status == .ok && preview.text.contains("Will move") && preview.text.contains("<th scope=\"row\">Customers</th><td>1</td>"))
            // no successor: the form comes back with the field's error in each language
            for (lang, words) in [("zh-CN", "至少选择一位用户"), ("zh-TW", "至少選擇一位使用者"), ("en", "name at least one user")] {
                let bad = try await post(env, "/settings/handover/\(rep.id)", "_csrf=\(csrf)&to_user_id=&deactivate=1", admin, lang: lang)
                #expect(bad.status == .unprocessableContent && bad.text.contains(words) && bad.text.contains("aria-invalid=\"true\""))
            }
            #expect(try await post(env, "/settings/handover/\(rep.id)", "to_user_id=x", admin).status == .forbidden)   // no CSRF token
            let adminUser = try #require(try await env.services.access.user(email: "admin-a@example.com"))
            let done = try await post(env, "/settings/handover/\(rep.id)", "_csrf=\(csrf)&to_user_id=\(adminUser.id)&deactivate=1", admin, lang: "en")
            #expect(done.status == .ok && done.text.contains("Handed over:") && done.text.contains("Customers 1"))
            #expect(try await env.get("/api/v1/customers/\(customer)", as: .admin).json["owner_id"].string == adminUser.id)
            let timeline = try await env.get("/api/v1/customers/\(customer)/timeline", as: .admin).json["items"].array
            #expect(timeline.contains { $0["kind"].string == "owner_changed" && $0["data"]["reason"].string == "handover" })
            // a rep may not open it; another workspace's admin finds no such user
            let (repJar, _) = try await PageTests().signIn(env, email: "viewer-a@example.com", password: "password-read_only")
            #expect(try await get(env, "/settings/handover/\(adminUser.id)", repJar).status == .forbidden)
            let (adminB, _) = try await PageTests().signIn(env, email: "admin-b@example.com", password: "password-admin")
            #expect(try await get(env, "/settings/handover/\(adminUser.id)", adminB).status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func anInvitationNeedsMailAndValidFieldsAndASetPasswordLinkWorksOnce(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let form = try await get(env, "/settings/invite", admin, lang: "zh-TW")
            #expect(form.status == .ok && form.text.contains("邀請成員") && !form.text.contains("value=\"owner\""))
            for (lang, words) in [("zh-CN", "不是有效的邮箱地址"), ("zh-TW", "不是有效的電子郵件地址"), ("en", "is not a valid email address")] {
                let bad = try await post(env, "/settings/invite", "_csrf=\(csrf)&email=\(q("不是邮箱<script>"))&name=\(q("新人"))&role=sales_rep", admin, lang: lang)
                #expect(bad.status == .unprocessableContent && bad.text.contains(words) && bad.text.contains("value=\"新人\"") && !bad.text.contains("<script>"))
            }
            // a well-formed invitation without outgoing mail says so instead of making a user nobody can reach
            let noMail = try await post(env, "/settings/invite", "_csrf=\(csrf)&email=new%40example.com&role=sales_rep", admin, lang: "zh-CN")
            #expect(noMail.status == .unprocessableContent && noMail.text.contains("尚未设置发信服务器"))
            #expect(try await env.services.access.user(email: "new@example.com") == nil)
            let member = try await env.services.access.invite(env.scopeAdminA(), email: "later@example.com", name: nil, role: "sales_rep")
            await #expect(throws: DomainError.field("email", "is already a member of this workspace")) {
                _ = try await env.services.access.invite(env.scopeAdminA(), email: "LATER@example.com", name: nil, role: "sales_rep")
            }
            await #expect(throws: DomainError.field("role", "no such role")) {
                _ = try await env.services.access.invite(env.scopeAdminA(), email: "boss@example.com", name: nil, role: "owner")
            }
            let (viewer, viewerCSRF) = try await PageTests().signIn(env, email: "viewer-a@example.com", password: "password-read_only")
            #expect(try await post(env, "/settings/invite", "_csrf=\(viewerCSRF)&email=x%40example.com&role=sales_rep", viewer).status == .forbidden)
            // the set-password link: a short password is refused in the user's language, a good one is kept once
            let token = try #require(try await env.services.signIn.resetToken(email: member.email))
            let page = try await get(env, "/password-reset/confirm?token=\(token)", [:], lang: "en")
            #expect(page.status == .ok && page.text.contains("Set your password") && page.text.contains("value=\"\(token)\""))
            let short = try await post(env, "/password-reset/confirm", "token=\(token)&password=short", [:], lang: "zh-TW")
            #expect(short.status == .unprocessableContent && short.text.contains("至少 8 個字元"))
            let ok = try await post(env, "/password-reset/confirm", "token=\(token)&password=\(q("新密码-long-enough 🔑"))", [:], lang: "en")
            #expect(ok.status == .ok && ok.text.contains("Your password is set."))
            let reused = try await post(env, "/password-reset/confirm", "token=\(token)&password=another-password", [:], lang: "zh-CN")
            #expect(reused.status == .unprocessableContent && reused.text.contains("重置链接无效、已使用或已过期"))
            _ = try await PageTests().signIn(env, email: "later@example.com", password: "新密码-long-enough 🔑")
            // asking for a reset answers alike for known and unknown addresses
            let known = try await post(env, "/password-reset", "email=later%40example.com", [:], lang: "en")
            let unknown = try await post(env, "/password-reset", "email=nobody%40example.com", [:], lang: "en")
            #expect(known.status == .ok && unknown.status == .ok && known.text == unknown.text && known.text.contains("is on its way"))
            #expect(try await get(env, "/sign-in", [:], lang: "zh-CN").text.contains("href=\"/password-reset\""))
        }
    }

    @Test(arguments: Backend.all) func aLeadEnteredByHandBelongsToWhoEnteredItUnlessARulePlacesIt(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = try #require(try await env.services.access.user(email: "admin-a@example.com"))
            let mine = try await env.send(.post, "/api/v1/leads", as: .admin, json: #"{"name":"手工线索","phone":"13700001111"}"#)
            #expect(mine.status == .created && mine.json["owner_id"].string == admin.id)
            _ = try await env.send(.post, "/api/v1/assignment-rules", as: .admin, json: #"{"name":"展会进公海","method":"pool","conditions":{"sources":["展会"]}}"#)
            let pooled = try await env.send(.post, "/api/v1/leads", as: .admin, json: #"{"name":"展会线索","phone":"13700002222","source":"展会"}"#)
            #expect(pooled.status == .created && pooled.json["owner_id"].isNull)
            let rep = try await env.send(.post, "/api/v1/leads", json: #"{"name":"展会线索二","phone":"13700003333","source":"展会"}"#)
            #expect(rep.status == .created && rep.json["owner_id"].isNull)
        }
    }
}

@Suite("Daily use: create where you look, and the navigation says where you are")
struct CreateWhereYouLookTests {
    @Test(arguments: Backend.all) func listsOfferNewButtonsThatStartByChoosingTheCustomer(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let id = try await env.createCustomer(name: "选客户测试 🍵")
            let (jar, _) = try await PageTests().signIn(env)
            for (list, new, word) in [("/deals", "/deals/new", "新建商机"), ("/orders", "/orders/new", "新建订单"), ("/quotes", "/quotes/new", "新建报价")] {
                let page = try await DailyUseTests().get(env, list, jar, lang: "zh-CN")
                #expect(page.text.contains("<a class=\"button primary\" href=\"\(new)\">\(word)</a>"), "\(list)")
                #expect(page.text.contains("<a href=\"\(list)\" aria-current=\"page\">"), "\(list)")
                // without a customer the form starts by finding one, recent ones first
                let pick = try await DailyUseTests().get(env, new, jar, lang: "en")
                #expect(pick.status == .ok && pick.text.contains("First choose the customer") && pick.text.contains("\(new)?customer_id=\(id)"))
                let searched = try await DailyUseTests().get(env, new + "?q=" + q("选客户"), jar)
                #expect(searched.text.contains("\(new)?customer_id=\(id)"))
                let evil = try await DailyUseTests().get(env, new + "?q=" + q("<script>alert(1)</script>' OR 1=1"), jar)
                #expect(evil.status == .ok && !evil.text.contains("<script>alert") && !evil.text.contains("customer_id=\(id)"))
            }
            // quotes are in the main navigation; the settings link is marked on settings pages
            let quotes = try await DailyUseTests().get(env, "/customers", jar, lang: "en")
            #expect(quotes.text.contains("<a href=\"/quotes\">Quotes</a>") && quotes.text.contains("<a href=\"/customers\" aria-current=\"page\">"))
            #expect(try await DailyUseTests().get(env, "/settings/tokens", jar).text.contains("href=\"/settings/tokens\" aria-current=\"page\""))
            // someone who may not create sees no button; another workspace's customer cannot be chosen
            let (viewer, _) = try await PageTests().signIn(env, email: "viewer-a@example.com", password: "password-read_only")
            #expect(!(try await DailyUseTests().get(env, "/deals", viewer).text.contains("href=\"/deals/new\"")))
            let (adminB, _) = try await PageTests().signIn(env, email: "admin-b@example.com", password: "password-admin")
            #expect(try await DailyUseTests().get(env, "/deals/new?customer_id=\(id)", adminB).status == .notFound)
        }
    }
}

extension WebEnv {
    /// Workspace A's administrator, as a store call sees them.
    func scopeAdminA() async throws -> Scope {
        let u = try #require(try await services.access.user(email: "admin-a@example.com"))
        return Scope(workspaceID: workspaceA.id, userID: u.id, role: .admin)
    }
}
