import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Lead pages, the public form and the webhook over HTTP")
struct LeadPageTests {
    func post(_ env: WebEnv, _ path: String, _ body: String, _ jar: [String: String], lang: String? = nil) async throws -> Reply {
        var h = jar
        if let lang { h["Accept-Language"] = lang }
        return try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: h)
    }

    @Test(arguments: Backend.all) func aRepCapturesFollowsUpAndConvertsALeadInThePages(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            // a bad phone is a field error in the user's language, and nothing is kept
            let bad = try await post(env, "/leads/new", "_csrf=\(csrf)&name=\(q("王小明"))&phone=12&company=\(q("小米"))", jar, lang: "zh-CN")
            #expect(bad.status == .unprocessableContent && bad.text.contains("「12」不是有效的手机号码") && bad.text.contains("value=\"小米\""))
            #expect(try await env.get("/api/v1/leads").json["items"].array.isEmpty)
            let ok = try await post(env, "/leads/new", "_csrf=\(csrf)&name=\(q("王小明"))&phone=13812345678&company=\(q("小米"))&source=\(q("展会"))", jar)
            #expect(ok.status == .seeOther)
            let leadPath = try #require(ok.header("Location"))
            let page = try await env.send(.get, leadPath, as: .none, headers: jar)
            #expect(page.status == .ok && page.text.contains("<h1>王小明</h1>") && page.text.contains("新线索"))
            // the list shows it under "mine"
            let mine = try await env.send(.get, "/leads?mine=1", as: .none, headers: jar)
            #expect(mine.text.contains("王小明") && mine.text.contains("aria-current=\"page\""))
            // logging a call makes it contacted
            let call = try await post(env, leadPath + "/activities", "_csrf=\(csrf)&kind=call&subject=\(q("首次电话"))", jar)
            #expect(call.status == .seeOther)
            #expect(try await env.send(.get, leadPath, as: .none, headers: jar).text.contains("已联系"))
            // disqualifying without a reason says why and stays
            let noReason = try await post(env, leadPath + "/status", "_csrf=\(csrf)&status=disqualified&reason=", jar)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("<h1>王小明</h1>"))
            // converting goes to the new customer, whose timeline has the call
            let conv = try await post(env, leadPath + "/convert", "_csrf=\(csrf)", jar)
            #expect(conv.status == .seeOther)
            let customer = try await env.send(.get, try #require(conv.header("Location")), as: .none, headers: jar)
            #expect(customer.text.contains("<h1>王小明</h1>") && customer.text.contains("首次电话") && customer.text.contains("由线索转化"))
            // a forged form without the CSRF token is refused
            let forged = try await post(env, leadPath + "/status", "status=qualified", jar)
            #expect(forged.status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func thePublicFormTakesLeadsCatchesBotsAndMayBeEmbedded(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let made = try await post(env, "/settings/lead_sources/create", "_csrf=\(csrf)&kind=form&name=\(q("官网咨询"))&source_label=\(q("官网"))", jar)
            #expect(made.status == .seeOther)
            let key = try #require(try await env.get("/api/v1/lead-sources", as: .admin).json["items"].array.first?["public_key"].string)
            // anyone can open it, in their language, and a site may frame it
            let form = try await env.send(.get, "/f/\(key)?utm_source=wechat", as: .none, headers: ["Accept-Language": "zh-TW"])
            #expect(form.status == .ok && form.text.contains("送出") && form.text.contains("name=\"utm_source\" value=\"wechat\""))
            #expect(form.header("Content-Security-Policy")?.contains("frame-ancestors *") == true)
            #expect(try await env.send(.get, "/customers", as: .none).header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            // a bot fills the hidden field: thanked, nothing kept
            let bot = try await post(env, "/f/\(key)", "name=bot&website=spam.example", [:])
            #expect(bot.status == .ok && bot.text.contains("已收到"))
            #expect(try await env.get("/api/v1/leads", as: .admin).json["items"].array.isEmpty)
            // a bad email is shown beside the field
            let badEmail = try await post(env, "/f/\(key)", "name=\(q("林"))&email=nope", [:])
            #expect(badEmail.status == .unprocessableContent && badEmail.text.contains("「nope」不是有效的邮箱地址"))
            // a person's post becomes a lead with the campaign parameters
            let ok = try await post(env, "/f/\(key)", "name=\(q("林志玲 <b>"))&phone=13600003333&utm_source=wechat", [:])
            #expect(ok.status == .ok && ok.text.contains("已收到"))
            let lead = try #require(try await env.get("/api/v1/leads", as: .admin).json["items"].array.first)
            #expect(lead["name"].string == "林志玲 <b>" && lead["source"].string == "官网" && lead["utm"]["utm_source"].string == "wechat" && lead["channel"].string == "form")
            // unknown keys are not found
            #expect(try await env.send(.get, "/f/nope", as: .none).status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func aSignedWebhookPostsALeadAndAReplayIsRefused(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let made = try await env.send(.post, "/api/v1/lead-sources", as: .admin,
                                          json: #"{"kind":"webhook","name":"巨量引擎","mapping":{"phone":"contact.mobile"},"source_label":"抖音"}"#)
            #expect(made.status == .created)
            let key = try #require(made.json["public_key"].string), secret = try #require(made.json["secret"].string)
            #expect(try await env.get("/api/v1/lead-sources", as: .admin).json["items"].array.first?["secret"].string == nil)
            let body = #"{"name":"赵敏","contact":{"mobile":"13900001234"}}"#
            let sig = LeadSourceStore.sign(body: Array(body.utf8), secret: secret, at: Date())
            let r = try await env.send(.post, "/api/v1/hooks/leads/\(key)", as: .none, body: Data(body.utf8), contentType: "application/json",
                                       headers: ["X-Guanxi-Signature": sig])
            #expect(r.status == .created, "\(r.text)")
            let lead = try await env.get("/api/v1/leads/\(try #require(r.json["id"].string))", as: .admin).json
            #expect(lead["phone"].string == "+8613900001234" && lead["source"].string == "抖音")
            let again = try await env.send(.post, "/api/v1/hooks/leads/\(key)", as: .none, body: Data(body.utf8), contentType: "application/json",
                                           headers: ["X-Guanxi-Signature": sig])
            #expect(again.status == .conflict)
            let unsigned = try await env.send(.post, "/api/v1/hooks/leads/\(key)", as: .none, body: Data(body.utf8), contentType: "application/json")
            #expect(unsigned.status == .unauthorized && unsigned.json["error"]["code"].string != nil)
        }
    }

    @Test(arguments: Backend.all) func adminsWriteAssignmentRulesInSettings(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let team = try await env.send(.post, "/settings/teams/create", as: .none, body: Data("_csrf=\(csrf)&name=\(q("华南电销"))&kind=sales".utf8),
                                          contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(team.status == .seeOther)
            let teamID = try #require(try await env.get("/api/v1/teams", as: .admin).json["items"].array.first?["id"].string)
            let r = try await post(env, "/settings/lead_rules/create",
                                   "_csrf=\(csrf)&name=\(q("广东轮流"))&position=1&method=round_robin&team_id=\(teamID)&provinces=\(q("广东，广西"))&response_minutes=30", jar)
            #expect(r.status == .seeOther)
            let page = try await env.send(.get, "/settings/lead_rules", as: .none, headers: jar)
            #expect(page.text.contains("广东轮流") && page.text.contains("省份：广东、广西") && page.text.contains("团队轮流"))
            // a round-robin rule without a team is a field error shown on the page
            let bad = try await post(env, "/settings/lead_rules/create", "_csrf=\(csrf)&name=x&method=round_robin", jar, lang: "en")
            #expect(bad.status == .badRequest && bad.text.contains("team_id"))
            // a sales rep sees no settings form
            let (repJar, _) = try await PageTests().signIn(env)
            #expect(try await env.send(.get, "/settings/lead_rules", as: .none, headers: repJar).status == .forbidden)
        }
    }
}
