import Foundation
import Testing
import GuanxiTestSupport
import Synchronization
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Sign-in: sessions, CSRF, lockout, reset links, two-factor")
struct SignInTests {
    static let rep = #"{"email":"rep-a@example.com","password":"password-sales_rep"}"#

    /// The `gx_session` value a Set-Cookie header carries.
    static func session(_ r: Reply) -> String? {
        guard let c = r.header("Set-Cookie"), let v = c.split(separator: ";").first, v.hasPrefix("gx_session=") else { return nil }
        return String(v.dropFirst("gx_session=".count))
    }

    @Test(arguments: Backend.all) func aSessionCookieIsHttpOnlyAndStateChangesNeedTheCSRFToken(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // when the rep signs in
            let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep)
            // then a fresh HttpOnly, SameSite cookie and a CSRF token come back
            #expect(r.status == .ok)
            let cookie = try #require(Self.session(r))
            let set = r.header("Set-Cookie") ?? ""
            #expect(set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"))
            let csrf = try #require(r.json["csrf_token"].string)
            let jar = ["Cookie": "gx_session=\(cookie)"]
            // and the cookie reads, but a write without the token is refused
            #expect(try await env.send(.get, "/api/v1/customers", as: .none, headers: jar).status == .ok)
            let forged = try await env.send(.post, "/api/v1/customers", as: .none, json: #"{"kind":"person","name":"甲"}"#, headers: jar)
            #expect(forged.status == .forbidden)
            let wrong = try await env.send(.post, "/api/v1/customers", as: .none, json: #"{"kind":"person","name":"甲"}"#,
                                           headers: jar.merging(["X-CSRF-Token": "nope"]) { a, _ in a })
            #expect(wrong.status == .forbidden)
            let ok = try await env.send(.post, "/api/v1/customers", as: .none, json: #"{"kind":"person","name":"甲"}"#,
                                        headers: jar.merging(["X-CSRF-Token": csrf]) { a, _ in a })
            #expect(ok.status == .created)
            // and behind TLS the cookie is Secure
            let tls = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep, headers: ["X-Forwarded-Proto": "https"])
            #expect(tls.header("Set-Cookie")?.contains("; Secure") == true)
            // when signing out, the cookie stops working
            let out = try await env.send(.post, "/api/v1/auth/sign-out", as: .none, headers: jar.merging(["X-CSRF-Token": csrf]) { a, _ in a })
            #expect(out.status == .noContent && out.header("Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(try await env.send(.get, "/api/v1/customers", as: .none, headers: jar).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func aPlantedSessionIdIsNeverPromoted(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an attacker who set a cookie in the victim's browser
            let planted = "gxs_attacker-chosen-value"
            // when the victim signs in with it present
            let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep, headers: ["Cookie": "gx_session=\(planted)"])
            // then sign-in works and issues a different id; the planted value never works
            #expect(r.status == .ok)
            #expect(Self.session(r) != nil && Self.session(r) != planted)
            #expect(try await env.send(.get, "/api/v1/customers", as: .none, headers: ["Cookie": "gx_session=\(planted)"]).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func wrongPasswordsLockTheAccountAndAResetLinkLiftsItOnce(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // wrong password and unknown email answer the same
            let bad = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"wrong-password"}"#)
            let unknown = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"nobody@example.com","password":"wrong-password"}"#)
            #expect(bad.status == .unauthorized && unknown.status == .unauthorized)
            #expect(bad.json["error"]["message"].string == unknown.json["error"]["message"].string)
            // after five failures even the right password is refused
            for _ in 0..<4 { _ = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"wrong-password"}"#) }
            let locked = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep)
            #expect(locked.status == .tooManyRequests)
            // failures are audited
            let audit = try await env.get("/api/v1/audit?object=users", as: .admin).json["items"].array.compactMap { $0["action"].string }
            #expect(audit.filter { $0 == "sign_in_failed" }.count >= 5)
            // a reset link sets a new password, lifts the lock, and works once
            let token = try #require(try await env.services.signIn.resetToken(email: "rep-a@example.com"))
            let reset = #"{"token":"\#(token)","new_password":"a-new-password"}"#
            #expect(try await env.send(.post, "/api/v1/auth/password-reset/confirm", as: .none, json: reset).status == .noContent)
            #expect(try await env.send(.post, "/api/v1/auth/password-reset/confirm", as: .none, json: reset).status == .unprocessableContent)
            let fresh = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"a-new-password"}"#)
            #expect(fresh.status == .ok)
            // asking for a link answers alike for known and unknown addresses
            let known = try await env.send(.post, "/api/v1/auth/password-reset", as: .none, json: #"{"email":"rep-a@example.com"}"#)
            let other = try await env.send(.post, "/api/v1/auth/password-reset", as: .none, json: #"{"email":"nobody@example.com"}"#)
            #expect(known.status == .accepted && other.status == .accepted && known.body == other.body)
        }
    }

    @Test(arguments: Backend.all) func failuresFromOneAddressDoNotLockTheAccountEverywhere(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an attacker fails five times, each time claiming another address in a forwarding header
            func attacker(_ password: String, _ i: Int) async throws -> Reply {
                try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"\#(password)"}"#,
                                   headers: ["X-Forwarded-For": "198.51.100.\(i)", "X-Real-IP": "198.51.100.\(i)"])
            }
            for i in 0..<5 { #expect(try await attacker("wrong-password", i).status == .unauthorized) }
            // then the attacker is locked out, even with the right password and yet another claimed address
            #expect(try await attacker("password-sales_rep", 99).status == .tooManyRequests)
            // and the owner of the account, from their own address, signs in as usual
            let owner = try await env.services.signIn.signIn(email: "rep-a@example.com", password: "password-sales_rep", address: "203.0.113.20")
            #expect(!owner.secret.isEmpty)
            // while the attacker's address stays locked
            #expect(try await attacker("password-sales_rep", 100).status == .tooManyRequests)
        }
    }

    @Test(arguments: Backend.all) func oneAddressIsRateLimited(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            var last = 0
            for i in 0..<31 {
                let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"guess\#(i)@example.com","password":"password-x"}"#)
                last = Int(r.status.code)
            }
            #expect(last == 429)
        }
    }

    @Test(arguments: Backend.all) func sessionsEndAfterIdleTime(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await WebEnv.run(backend, clock: clock) { env in
            let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep)
            let cookie = try #require(Self.session(r))
            let jar = ["Cookie": "gx_session=\(cookie)"]
            clock.advance(seconds: 11 * 3600)
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .ok)
            clock.advance(seconds: 13 * 3600)
            #expect(try await env.send(.get, "/api/v1/me", as: .none, headers: jar).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func twoFactorSignInNeedsTheCodeOrARecoveryCode(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the rep turns on two-factor
            let enrol = try await env.send(.post, "/api/v1/auth/totp")
            let encoded = try #require(enrol.json["secret"].string)
            let secret = try #require(Base32.decode(encoded))
            #expect(enrol.json["uri"].string?.hasPrefix("otpauth://totp/") == true)
            #expect(try await env.send(.post, "/api/v1/auth/totp/confirm", json: #"{"code":"000000"}"#).status == .unprocessableContent)
            let confirm = try await env.send(.post, "/api/v1/auth/totp/confirm", json: #"{"code":"\#(TOTP.code(secret: secret, at: Date()))"}"#)
            let recovery = try #require(confirm.json["recovery_codes"][0].string)
            #expect(confirm.json["recovery_codes"].array.count == 10)
            // then the password alone no longer signs in, a wrong code fails, the right one works
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: Self.rep).status == .unauthorized)
            let withCode = { (c: String) in #"{"email":"rep-a@example.com","password":"password-sales_rep","code":"\#(c)"}"# }
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: withCode("123456")).status == .unauthorized)
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: withCode(TOTP.code(secret: secret, at: Date()))).status == .ok)
            // and a recovery code works exactly once
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: withCode(recovery)).status == .ok)
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: withCode(recovery)).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func changingThePasswordNeedsTheCurrentOne(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let wrong = try await env.send(.post, "/api/v1/auth/password", json: #"{"current_password":"nope-nope","new_password":"another-password"}"#)
            #expect(wrong.status == .unprocessableContent && wrong.json["error"]["fields"]["current_password"].string != nil)
            let short = try await env.send(.post, "/api/v1/auth/password", json: #"{"current_password":"password-sales_rep","new_password":"short"}"#)
            #expect(short.status == .unprocessableContent)
            #expect(try await env.send(.post, "/api/v1/auth/password", json: #"{"current_password":"password-sales_rep","new_password":"another-password"}"#).status == .noContent)
            #expect(try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"another-password"}"#).status == .ok)
        }
    }
}
