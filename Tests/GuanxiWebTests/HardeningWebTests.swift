import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

/// Found by trying the server as an attacker would: where a browser may be sent, how long a
/// credential outlives its end, what a refused request tells the caller.
@Suite("Hardening: redirects, credential expiry, preconditions, refusals")
struct HardeningWebTests {
    static let form = "application/x-www-form-urlencoded"

    /// Where a `next` sends the browser: the default page for anything that could leave the site.
    static let leaving = [
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t/evil.example", "/customers\t", "/\u{0}x", "/\u{7F}x",
        "\\evil.example", "/\\evil.example", "\\\\evil.example", "//evil.example", "///evil.example", "/\\/evil.example",
        "/%2F/evil.example", "/%2f/evil.example", "/%252F/evil.example", "/%09/evil.example", "/%0A/evil.example", "/%0d/x",
        "/%5C/evil.example", "/%5cevil.example", "/customers?q=%5C", "/customers?q=%00",
        "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://x", "https://evil.example/",
        "http:/evil.example", "//user@evil.example", "evil.example", "customers", "", " /customers", "?x=1", "#top",
    ]

    /// Paths on this site, kept as they are (non-ASCII percent-encoded).
    static let staying: [(String, String)] = [
        ("/customers", "/customers"), ("/customers?stage=lead&tag=vip", "/customers?stage=lead&tag=vip"),
        ("/customers?q=王小明", "/customers?q=%E7%8E%8B%E5%B0%8F%E6%98%8E"),
        ("/customers?q=%E7%8E%8B", "/customers?q=%E7%8E%8B"), ("/deals/abc?back=%2Fdeals", "/deals/abc?back=%2Fdeals"),
        ("/today", "/today"), ("/a/b:c?x=http://y", "/a/b:c?x=http://y"),
    ]

    @Test(arguments: Backend.all) func theLanguageSwitchAndSignInOnlySendTheBrowserToPathsOnThisSite(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            for (i, bad) in Self.leaving.enumerated() {
                let lang = try await env.send(.get, "/language?lang=en&next=\(enc(bad))", as: .none)
                #expect(lang.status == .seeOther && lang.header("Location") == "/customers", "language next=\(bad.debugDescription)")
                guard i % 4 == 0 else { continue }   // sign-in: a sample (one address may try 30 times a quarter hour)
                let signIn = try await env.send(.post, "/sign-in", as: .none,
                                                body: Data("email=rep-a%40example.com&password=password-sales_rep&next=\(enc(bad))".utf8), contentType: Self.form)
                #expect(signIn.status == .seeOther && signIn.header("Location") == "/customers", "sign-in next=\(bad.debugDescription)")
            }
            for (good, location) in Self.staying {
                let lang = try await env.send(.get, "/language?lang=en&next=\(enc(good))", as: .none)
                #expect(lang.status == .seeOther && lang.header("Location") == location, "language next=\(good)")
            }
            // the issue's exact request
            let issue = try await env.send(.get, "/language?lang=en&next=/%09/evil.example", as: .none)
            #expect(issue.header("Location") == "/customers")
        }
    }

    @Test func oneRuleDecidesEveryReturnAddress() {
        for bad in Self.leaving { #expect(Pages.safeNext(bad) == PlatformURL.start, "\(bad.debugDescription)") }
        // links in mail: the configured address, else this machine's, never a stranger's Host
        #expect(Pages.linkBase(host: "evil.example", publicURL: "https://crm.example.cn") == "https://crm.example.cn")
        for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "localhost", "127.3.4.5"] {
            #expect(Pages.linkBase(host: host, publicURL: nil) == "http://" + host, "\(host)")
        }
        for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", "127.0.0.1@evil.example",
                     "[::1].evil.example", "127.0.0.1:80/x", "192.168.1.10:8080", "１２７.0.0.1", "127.0.0.1 evil"] {
            #expect(Pages.linkBase(host: host, publicURL: nil) == "", "\(host)")
        }
        for (good, location) in Self.staying { #expect(Pages.safeNext(good) == location) }
        #expect(Pages.safeNext(nil) == PlatformURL.start)
    }

    @Test(arguments: Backend.all) func aTokenStopsWorkingTheMomentItExpiresEvenWhenJustUsed(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            // given a token that expires in a minute
            let made = try await env.send(.post, "/api/v1/tokens", json: json(["name": str("短期 ⏱"), "expires_at": str(Timestamp.iso8601(clock.now().addingTimeInterval(60)))]))
            let token = try #require(made.json["token"].string)
            // when it is used ten seconds before its end
            clock.advance(seconds: 50)
            #expect(try await env.get("/api/v1/me", as: .bearer(token)).status == .ok)
            // then one second after its end it is refused, although the look-up was cached a moment ago
            clock.advance(seconds: 11)
            #expect(try await env.get("/api/v1/me", as: .bearer(token)).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func aSessionStopsWorkingAtItsAbsoluteEndEvenWhenJustUsed(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: SignInTests.rep)
            let jar = ["Cookie": "gx_session=\(try #require(SignInTests.session(r)))"]
            // used every 11 hours (never idle too long) until ten seconds before its seventh day ends
            for _ in 0..<15 {
                clock.advance(seconds: 11 * 3600)
                #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .ok)
            }
            clock.advance(seconds: 3 * 3600 - 10)
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .ok)
            clock.advance(seconds: 20)
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func anIfMatchThatNamesNoVersionFailsThePrecondition(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let id = try await env.createCustomer(name: "前提 🔒")
            for tag in ["\"stale-0\"", "stale-0", "\"\"", "W/\"x\"", "\"1\"x", "\"99999999999999999999999\"", "\"0\"", "\"2\""] {
                let r = try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"name":"改"}"#, headers: ["If-Match": tag])
                #expect(r.status == .preconditionFailed && r.errorCode == "version_conflict", "If-Match: \(tag)")
                #expect(r.json["error"]["current_version"].int == 1, "If-Match: \(tag)")
            }
            // the tag the server issued still works, and so does *
            #expect(try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"name":"改"}"#, headers: ["If-Match": "\"1\""]).status == .ok)
            #expect(try await env.send(.patch, "/api/v1/customers/\(id)", json: #"{"name":"再改"}"#, headers: ["If-Match": "*"]).status == .ok)
        }
    }

    @Test(arguments: Backend.all) func aNumberTooLargeForItsFieldNamesTheField(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            for n in ["99999999999999999999", "1e400", "-1e400", "9223372036854775808"] {
                let body = #"{"name":"大数","stages":[{"name":"开","probability":\#(n)},{"name":"赢","probability":100,"kind":"won"},{"name":"输","probability":0,"kind":"lost"}]}"#
                let r = try await env.send(.post, "/api/v1/pipelines", as: .admin, json: body)
                #expect(r.status == .unprocessableContent, "probability \(n): \(r.text)")
                #expect(r.json["error"]["fields"].keys == ["stages[0].probability"], "probability \(n): \(r.text)")
            }
            // JSON that is not JSON is still 400
            let broken = try await env.send(.post, "/api/v1/pipelines", as: .admin, json: #"{"name":"#)
            #expect(broken.status == .badRequest && broken.errorCode == "malformed_json")
        }
    }

    @Test(arguments: Backend.all) func everyTooManyRequestsAnswerSaysWhenToRetry(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            var last: Reply?
            for i in 0..<31 {
                last = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"guess\#(i)@example.com","password":"password-x"}"#)
            }
            let r = try #require(last)
            #expect(r.status == .tooManyRequests)
            let seconds = try #require(r.header("Retry-After").flatMap { Int($0) })
            #expect(seconds > 0 && seconds <= 15 * 60)
        }
    }

    @Test(arguments: Backend.all) func answersOverHTTPSAskBrowsersToKeepUsingIt(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let tls = try await env.send(.get, "/sign-in", as: .none, headers: ["X-Forwarded-Proto": "https"])
            #expect(tls.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
            let api = try await env.send(.get, "/api/v1/me", headers: ["X-Forwarded-Proto": "https"])
            #expect(api.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
            // plain HTTP never says so (a browser would ignore it, and the site may not have TLS)
            #expect(try await env.send(.get, "/sign-in", as: .none).header("Strict-Transport-Security") == nil)
        }
    }

    @Test(arguments: Backend.all) func signingOutEndsTheSessionWithOrWithoutTheFormsToken(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // a sign-out form without its CSRF field (an old tab, a stripped field)
            let (jar, _) = try await PageTests().signIn(env)
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .ok)
            let out = try await env.send(.post, "/sign-out", as: .none, body: Data(), contentType: Self.form, headers: jar)
            #expect(out.status == .seeOther && out.header("Location") == "/sign-in" && out.header("Set-Cookie")?.contains("Max-Age=0") == true)
            // the session is over, not merely forgotten by this browser
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .unauthorized)
            #expect(try await env.send(.get, "/customers", as: .none, headers: jar).status == .seeOther)
            // with the token, as before
            let (jar2, csrf2) = try await PageTests().signIn(env)
            let out2 = try await env.send(.post, "/sign-out", as: .none, body: Data("_csrf=\(csrf2)".utf8), contentType: Self.form, headers: jar2)
            #expect(out2.status == .seeOther && out2.header("Location") == "/sign-in")
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar2).status == .unauthorized)
        }
    }
}
