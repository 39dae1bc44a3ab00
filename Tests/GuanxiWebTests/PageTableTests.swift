import Foundation
import Testing
import GuanxiTestSupport
import HTTPTypes
import GuanxiCore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// The page table runs the checks every page needs; these tests are generated from it, so a new
/// page is covered the moment it is registered.
@Suite("Page table: sign-in, CSRF and the page context in one place")
struct PageTableTests {
    /// The routes anyone may reach, and why each may: everything else needs a session.
    static let open: Set<String> = [
        "GET /language", "GET /assets/:name", "GET /settings",   // redirects and assets (/ is the dashboard: signed in)
        "GET /sign-in", "POST /sign-in", "POST /sign-out",                 // no session yet, or ending one
        "GET /f/:key", "POST /f/:key", "GET /f/:key/confirm/:token", "POST /f/:key/confirm/:token",   // public web forms
        "GET /s/:token", "POST /s/:token",                                 // satisfaction surveys (the survey's own nonce)
        "GET /password-reset", "POST /password-reset",                     // asking for a reset link (no session)
        "GET /password-reset/confirm", "POST /password-reset/confirm",     // the link's own token sets the password
        "GET /metrics",                                                    // loopback, or an API token that may read settings (its own check)
    ]

    /// A route's address with every `:name` filled in.
    static func sample(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "0190f0f0-0000-7000-8000-000000000000" : String($0) }.joined(separator: "/")
    }

    @Test(arguments: Backend.all) func onlyTheListedPagesAreOpenAndEveryOtherPostCarriesTheSessionsToken(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let routes = env.pageTable.routes
            #expect(routes.count > 60)
            let keys = routes.map { "\($0.method.rawValue) \($0.path)" }
            #expect(Set(keys).count == keys.count, "a page is registered twice: \(keys)")
            #expect(Set(routes.filter { $0.needs == .anyone }.map { "\($0.method.rawValue) \($0.path)" }) == Self.open)
            for r in routes where r.method == .post && r.needs != .anyone { #expect(r.check == .csrf, "\(r.path)") }
            #expect(routes.first { $0.method == .post && $0.path == "/sign-in" }?.check == .sameOrigin)
            #expect(routes.first { $0.method == .post && $0.path == "/s/:token" }?.check == .sameOrigin)
            // no page shares an address with the API
            #expect(routes.allSatisfy { !$0.path.hasPrefix("/api/") })
        }
    }

    @Test(arguments: Backend.all) func everyMemberPageSendsStrangersToSignInAndRefusesPostsWithoutTheToken(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, _) = try await PageTests().signIn(env)
            for r in env.pageTable.routes where r.needs != .anyone {
                let uri = Self.sample(r.path)
                let (body, type): (Data, String) = r.body == .multipart
                    ? (Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nname\r\n--b--\r\n".utf8), "multipart/form-data; boundary=b")
                    : (Data("name=x".utf8), "application/x-www-form-urlencoded")
                // signed out: to sign-in, and back here afterwards
                let stranger = try await env.send(r.method, uri, as: .none, body: r.method == .post ? body : nil, contentType: r.method == .post ? type : nil)
                #expect(stranger.status == .seeOther && stranger.header("Location") == "/sign-in?next=" + uri, "\(r.method) \(r.path): \(stranger.status)")
                // signed in, a post without the session's token changes nothing and says the form expired
                guard r.method == .post else { continue }
                let forged = try await env.send(.post, uri, as: .none, body: body, contentType: type, headers: jar.merging(["Accept-Language": "en"]) { a, _ in a })
                #expect(forged.status == .forbidden && forged.text.contains("the form expired"), "\(r.path): \(forged.status)")
            }
        }
    }
}
