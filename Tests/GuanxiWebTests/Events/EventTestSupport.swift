import Foundation
import Testing
import GuanxiCore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

/// What the behaviour-event page tests share: a source made through the API, events posted with its
/// write key as the browser library sends them, and a signed-in session.
protocol EventPageTesting {}

extension EventPageTesting {
    /// A new source's write key.
    func source(_ env: WebEnv, as auth: Auth = .admin, name: String = "官网 🌐") async throws -> String {
        let r = try await env.send(.post, "/api/v1/event-sources", as: auth, json: #"{"name":\#(JSONCoding.encode(name))}"#)
        #expect(r.status == .created, "\(r.text)")
        return r.json["write_key"].string ?? "missing"
    }

    /// `body` posted to `path` with the write key as Basic user, as text/plain (what browsers send).
    func post(_ env: WebEnv, _ path: String, key: String, _ body: String) async throws -> Reply {
        try await env.send(.post, path, as: .header("Basic " + Data((key + ":").utf8).base64EncodedString()), body: Data(body.utf8), contentType: "text/plain")
    }

    /// The session cookie of a user signed in through the form.
    func signIn(_ env: WebEnv, _ email: String, _ password: String) async throws -> String {
        let r = try await env.send(.post, "/sign-in", as: .none, body: Data("email=\(q(email))&password=\(q(password))&next=%2Fcustomers".utf8),
                                   contentType: "application/x-www-form-urlencoded")
        return try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
    }
}
