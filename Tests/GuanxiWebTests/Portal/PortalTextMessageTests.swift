import Foundation
import Testing
import Logging
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebPortal
@testable import GuanxiWebCalls
import GuanxiWebIntegration

@Suite("Portal sign-in by a code sent as a text message through the telephony provider")
struct PortalTextMessageTests {
    /// A customer of `ws` holding `phone`.
    func customer(_ env: WebEnv, _ ws: Workspace, name: String, phone: String) async throws -> String {
        var c = CustomerDraft(); c.kind = .person; c.name = name; c.phones = [phone]
        return try await env.services.customers.create(PortalFixture.owner(ws), c).id
    }

    /// Runs the server's text-message service until `done` holds (at most 20 s).
    func sending(_ env: WebEnv, until done: @Sendable () async throws -> Bool) async throws {
        let watch = Task { try await TextMessageWatch.make(env.services, Logger(label: "test.sms")).run() }
        defer { watch.cancel() }
        for _ in 0..<400 { if try await done() { return }; try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test(arguments: Backend.all)
    func aTextedCodeSignsInTheCustomerHoldingTheNumberAndNobodyElse(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let receiver = try await WebhookReceiver.start { _, _ in .status(200) }
            defer { Task { await receiver.stop() } }
            let owner = PortalFixture.owner(env.workspaceA)
            let me = try await customer(env, env.workspaceA, name: "李雷 📱", phone: "138 1234 5678")
            _ = try await customer(env, env.workspaceA, name: "韩梅梅", phone: "13900001111")
            // no workspace sends texts yet: the sign-in page offers none, and a request queues nothing
            #expect(!(try await env.send(.get, "/portal/sign-in", as: .none).text.contains("name=\"phone\"")))
            let before = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"phone":"13812345678"}"#)
            #expect(before.status == .accepted)
            #expect(try await TextMessages(db: env.services.db, clock: env.services.clock).recent(owner).isEmpty)

            // given the provider's text-message address in the telephony settings
            let settings = try await env.services.calls.updateSettings(owner, dialURL: nil, smsURL: receiver.url, missedRule: .task,
                                                                       missedAssignee: .owner, slaMinutes: 60, extensions: [:])
            #expect(settings.smsURL == receiver.url)
            let page = try await env.send(.get, "/portal/sign-in", as: .none)
            #expect(page.text.contains("name=\"phone\"") && page.text.contains("type=\"tel\""))
            // when the customer asks for a code with their number as people type it, on the page
            let asked = try await env.send(.post, "/portal/sign-in/code", as: .none, body: Data("phone=%2B86%20138-1234-5678&workspace=".utf8),
                                           contentType: "application/x-www-form-urlencoded")
            #expect(asked.status == .ok && asked.text.contains("name=\"phone\" value=\"+86 138-1234-5678\""), "\(asked.text)")
            // then the provider receives one signed message with the code, and it is recorded as taken
            let messages = TextMessages(db: env.services.db, clock: env.services.clock)
            try await sending(env) {
                guard receiver.received.count >= 1 else { return false }
                return try await messages.recent(owner).first?.sent == true
            }
            let sms = try #require(receiver.received.first)
            #expect(sms.json["to"].string == "+8613812345678" && sms.json["purpose"].string == "portal_sign_in")
            let text = try #require(sms.json["text"].string)
            let code = try #require(text.firstMatch(of: /\d{6}/)).0
            let stamp = try #require(Int64(sms.headers["webhook-timestamp"] ?? ""))
            let signed = WebhookDispatcher.signatures(id: sms.id, timestamp: stamp, body: Array(sms.body), secrets: [settings.secret])
            #expect(sms.headers["webhook-signature"] == WebhookSignature.header(signed))
            #expect(try await TextMessages(db: env.services.db, clock: env.services.clock).recent(owner).map(\.sent) == [true])

            // a wrong code fails; the right one signs in as the customer holding the number
            let wrong = code == "000000" ? "111111" : "000000"
            #expect(try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["phone": str("13812345678"), "code": str(wrong)])).status == .unauthorized)
            let r = try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["phone": str("+86 138 1234 5678"), "code": str(String(code))]))
            #expect(r.status == .ok && r.json["customer_id"].string == me, "\(r.text)")
            let session = PortalSession(cookie: try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init)),
                                        csrf: try #require(r.json["csrf"].string))
            #expect(try await env.send(.get, "/portal/api/orders", as: .none, headers: session.headers).status == .ok)
            // the code was for that number only: the same digits do not open the other customer's number or an email
            #expect(try await env.send(.post, "/portal/api/sign-in", as: .none, json: json(["phone": str("13900001111"), "code": str(String(code))])).status == .unauthorized)

            // a malformed number is named; an unknown one is answered the same and texts nobody
            let bad = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"phone":"<script>alert(1)</script>"}"#)
            #expect(bad.status.code == 422 && bad.text.contains("phone") && !bad.text.contains("<script>"))
            let unknown = try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"phone":"13700000000"}"#)
            #expect(unknown.status == .accepted && unknown.body == before.body)
            #expect(try await TextMessages(db: env.services.db, clock: env.services.clock).recent(owner).count == 1)
            #expect(try await env.send(.post, "/portal/api/sign-in/code", as: .none, json: #"{"workspace":"x"}"#).status.code == 422)

            // the session holds while the customer holds the number, and ends when staff take it away
            var d = CustomerDraft(); d.phones = ["13612345678"]
            let current = try await env.services.customers.get(owner, id: me)
            _ = try await env.services.customers.update(owner, id: me, d, ifVersion: current.version)
            #expect(try await env.send(.get, "/portal/api/orders", as: .none, headers: session.headers).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func aProviderThatRefusesIsAskedAgainAndAMessageOfNoUseIsGivenUp(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            let receiver = try await WebhookReceiver.start { _, n in n == 0 ? .status(503) : .status(200) }
            defer { Task { await receiver.stop() } }
            let owner = PortalFixture.owner(env.workspaceA)
            _ = try await customer(env, env.workspaceA, name: "张伟", phone: "13512345678")
            _ = try await env.services.calls.updateSettings(owner, dialURL: nil, smsURL: receiver.url, missedRule: .task, missedAssignee: .owner,
                                                            slaMinutes: 60, extensions: [:])
            let messages = TextMessages(db: env.services.db, clock: clock)
            let transport = HTTPWebhookTransport()
            defer { Task { await transport.shutdown() } }
            func pass() async throws -> Int {
                let jobs = try await messages.claim()
                for job in jobs { try await messages.record(job, await transport.post(TextMessages.request(job, at: clock.now()))) }
                return jobs.count
            }
            _ = try await env.services.portal.requestCode(phone: "13512345678", address: "127.0.0.5") { "验证码 \($0)" }
            // the provider answers 503: the message waits and goes again
            #expect(try await pass() == 1)
            #expect(try await messages.recent(owner).first?.sent == false)
            #expect(try await pass() == 0, "sent again before its pause")
            clock.advance(seconds: 3)
            #expect(try await pass() == 1)
            #expect(try await messages.recent(owner).first?.sent == true && receiver.received.count == 2)
            // a message not taken within the code's ten minutes is given up, not sent late
            receiver.answer { _, _ in .status(500) }
            _ = try await env.services.portal.requestCode(phone: "13512345678", address: "127.0.0.5") { "验证码 \($0)" }
            #expect(try await pass() == 1)
            clock.advance(seconds: 11 * 60)
            #expect(try await pass() == 0)
            let last = try #require(try await messages.recent(owner).first)
            #expect(!last.sent && last.error != nil && last.attempts == 1)
            #expect(receiver.received.count == 3)
        }
    }
}
