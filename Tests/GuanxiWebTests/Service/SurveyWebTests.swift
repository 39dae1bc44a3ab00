import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("Satisfaction survey pages and API: the link shows, only the post records, once; the desk sees the answer")
struct SurveyWebTests {
    /// Resolves a new ticket of a new customer and gives its survey a token the test knows (the real one is only in the mail).
    static func resolvedTicket(_ env: WebEnv, token: String) async throws -> String {
        let customer = try await env.createCustomer(name: "杭州茶庄")
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
            "customer_id": str(customer), "subject": str("茶叶罐破损 <b>"), "body": str("罐子压扁了。"), "type": str("complaint")]))
        let id = try #require(r.json["id"].string)
        let resolved = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin,
                                          json: json(["kind": str("reply"), "body": str("已补发。"), "status": str("resolved")]))
        #expect(resolved.status == .created, "\(resolved.text)")
        try await env.services.db.write { sql in
            try await sql.raw("UPDATE ticket_surveys SET token_hash = \(bind: Secret.hash(token)) WHERE ticket_id = \(bind: id)").run()
        }
        return id
    }

    func form(_ env: WebEnv, _ path: String, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: headers)
    }

    @Test(arguments: Backend.all)
    func theLinkShowsTheQuestionAndOnlyTheConfirmedPostRecordsOnce(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let token = "tok-" + UUID().uuidString
            let id = try await Self.resolvedTicket(env, token: token)
            // given the API shows the unanswered survey
            var api = try await env.get("/api/v1/tickets/\(id)/survey", as: .admin)
            #expect(api.status == .ok && api.json["survey"]["ticket_id"].string == id && api.json["survey"]["answered_at"].isNull)

            // when the link is opened (a mail scanner: twice, no cookies) it shows the question in Chinese, escaped, and records nothing
            var page = try await env.send(.get, "/s/\(token)", as: .none)
            page = try await env.send(.get, "/s/\(token)", as: .none)
            #expect(page.status == .ok && page.text.contains("您对这次服务满意吗？") && page.text.contains("name=\"rating\" value=\"5\""))
            #expect(page.text.contains("茶叶罐破损 &lt;b&gt;") && !page.text.contains("茶叶罐破损 <b>"))
            #expect(page.header("Cache-Control") == "no-store")
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .admin).json["survey"]["answered_at"].isNull)
            let nonce = try #require(page.text.firstMatch(of: /name="nonce" value="([^"]+)"/).map { String($0.output.1) })
            // and in English and traditional Chinese when the visitor's browser asks
            #expect(try await env.send(.get, "/s/\(token)", as: .none, headers: ["Accept-Language": "en"]).text.contains("How satisfied are you"))
            #expect(try await env.send(.get, "/s/\(token)", as: .none, headers: ["Accept-Language": "zh-TW"]).text.contains("您對這次服務滿意嗎？"))

            // when the form comes without stars: the field's error in the visitor's language, nothing recorded
            let empty = try await form(env, "/s/\(token)", "nonce=\(q(nonce))&comment=\(q("没选星"))")
            #expect(empty.status.code == 422 && empty.text.contains("请选择 1 到 5 星") && empty.text.contains("没选星"))
            // when it comes from another site, or without the survey's nonce: refused
            let cross = try await form(env, "/s/\(token)", "nonce=\(q(nonce))&rating=1", headers: ["Origin": "https://evil.example"])
            #expect(cross.status == .forbidden)
            #expect(try await form(env, "/s/\(token)", "nonce=forged&rating=1").status == .forbidden)
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .admin).json["survey"]["answered_at"].isNull)

            // when the customer rates 1 star, NPS 2, with a Chinese and emoji comment carrying markup
            let comment = "<script>alert('x')</script>茶叶碎了 😡 & \"失望\""
            let done = try await form(env, "/s/\(token)", "nonce=\(q(nonce))&rating=1&nps=2&comment=\(q(comment))")
            #expect(done.status == .ok && done.text.contains("感谢您的评价"))
            // then the API has the answer as typed, negative, its reply due
            api = try await env.get("/api/v1/tickets/\(id)/survey", as: .admin)
            #expect(api.json["survey"]["rating"].int == 1 && api.json["survey"]["nps"].int == 2 && api.json["survey"]["comment"].string == comment)
            #expect(api.json["survey"]["negative"].bool == true && api.json["survey"]["reply_state"].string == "due")
            // and a second post changes nothing and says so
            let again = try await form(env, "/s/\(token)", "nonce=\(q(nonce))&rating=5&nps=10")
            #expect(again.status == .ok && again.text.contains("已经回答过了"))
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .admin).json["survey"]["rating"].int == 1)
            #expect(try await env.send(.get, "/s/\(token)", as: .none).text.contains("已经回答过了"))

            // and the ticket page shows the rating, the escaped comment and the reply due
            let (jar, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let ticketPage = try await env.send(.get, "/tickets/\(id)", as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=zh-Hans"])
            #expect(ticketPage.text.contains("满意度评价") && ticketPage.text.contains("1 / 5 星") && ticketPage.text.contains("差评须在"))
            #expect(ticketPage.text.contains("&lt;script&gt;alert") && !ticketPage.text.contains("<script>alert"))

            // when an agent replies: the negative feedback's reply is met
            _ = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin, json: json(["kind": str("reply"), "body": str("非常抱歉。")]))
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .admin).json["survey"]["reply_state"].string == "met")

            // and the month's report counts it: 1 star, none satisfied, NPS −100
            let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
            let report = try await env.get("/api/v1/service/reports?month=\(month)", as: .admin)
            #expect(report.json["total"]["surveys_answered"].int == 1 && report.json["total"]["csat_average"].double == 1)
            #expect(report.json["total"]["satisfied_rate"].double == 0 && report.json["total"]["nps"].double == -100)
        }
    }

    @Test(arguments: Backend.all)
    func unknownAndExpiredLinksSaySoAndAnotherWorkspaceCannotReadTheSurvey(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let token = "tok-" + UUID().uuidString
            let id = try await Self.resolvedTicket(env, token: token)
            // an unknown token: a clear page, 404, in the visitor's language
            let unknown = try await env.send(.get, "/s/nope-\(UUID().uuidString)", as: .none, headers: ["Accept-Language": "en"])
            #expect(unknown.status == .notFound && unknown.text.contains("We cannot find this survey"))
            #expect(try await form(env, "/s/nope", "nonce=x&rating=5").status == .notFound)
            // another workspace cannot read the survey through the API; a ticket without one answers null
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .b).status == .notFound)
            // an expired survey: its page says so and a post records nothing
            try await env.services.db.write { sql in
                try await sql.raw("UPDATE ticket_surveys SET expires_at = 1000 WHERE ticket_id = \(bind: id)").run()
            }
            let expired = try await env.send(.get, "/s/\(token)", as: .none)
            #expect(expired.status == .gone && expired.text.contains("已过期"))
            #expect(try await form(env, "/s/\(token)", "nonce=x&rating=5").status == .gone)
            #expect(try await env.get("/api/v1/tickets/\(id)/survey", as: .admin).json["survey"]["answered_at"].isNull)
        }
    }

    @Test(arguments: Backend.all)
    func theContractDescribesTheSurveyAndTheSatisfactionFigures(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let doc = try await env.send(.get, "/api/openapi.json", as: .none).json
            let schemas = doc["components"]["schemas"]
            #expect(schemas["TicketSurvey"]["properties"].keys.isSuperset(of: ["rating", "nps", "comment", "negative", "reply_due_at", "reply_state"]))
            #expect(schemas["TicketSurveyAnswer"]["properties"].keys == ["survey"])
            #expect(schemas["ServiceKPIs"]["properties"].keys.isSuperset(of: ["csat_average", "satisfied_rate", "nps", "surveys_answered"]))
            #expect(doc["paths"]["/api/v1/tickets/{id}/survey"]["get"]["operationId"].string == "getTicketSurvey")
        }
    }
}

extension J {
    var double: Double? { if case .number(let n)? = value { return n }; return nil }
}
