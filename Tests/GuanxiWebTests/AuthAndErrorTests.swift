import Foundation
import Testing
import GuanxiTestSupport
import HTTPTypes
import GuanxiCore
import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Authentication, error shapes and limits")
struct AuthAndErrorTests {
    static func expectErrorShape(_ r: Reply, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.json.keys == ["error"], "body: \(r.text)", sourceLocation: sourceLocation)
        #expect(r.json["error"]["code"].string == code, "body: \(r.text)", sourceLocation: sourceLocation)
        #expect(!(r.json["error"]["message"].string ?? "").isEmpty, "body: \(r.text)", sourceLocation: sourceLocation)
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    }

    @Test(arguments: Backend.all) func requestWithoutTokenIsUnauthorized(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given no Authorization header
            // when the customer list is requested
            let r = try await env.get("/api/v1/customers", as: .none)
            // then 401 with the error shape
            #expect(r.status == .unauthorized)
            Self.expectErrorShape(r, code: "unauthorized")
        }
    }

    @Test(arguments: Backend.all) func requestWithUnknownTokenIsUnauthorized(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a well-formed but unknown token
            // when the customer list is requested
            let r = try await env.get("/api/v1/customers", as: .bearer("gx_this-token-was-never-issued"))
            // then 401 with the error shape
            #expect(r.status == .unauthorized)
            Self.expectErrorShape(r, code: "unauthorized")
        }
    }

    @Test(arguments: Backend.all) func requestWithNonBearerAuthorizationIsUnauthorized(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given Basic credentials instead of a bearer token
            // when the customer list is requested
            let r = try await env.get("/api/v1/customers", as: .header("Basic cmVwOnBhc3N3b3Jk"))
            // then 401
            #expect(r.status == .unauthorized)
            Self.expectErrorShape(r, code: "unauthorized")
        }
    }

    @Test(arguments: Backend.all) func overlongTokenIsUnauthorizedNotAnError(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a 10 000 character token
            // when it is used
            let r = try await env.get("/api/v1/customers", as: .bearer(String(repeating: "x", count: 10_000)))
            // then 401, not 500
            #expect(r.status == .unauthorized)
        }
    }

    @Test(arguments: Backend.all) func malformedJSONIsBadRequest(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a body that is not JSON
            // when a customer is created with it
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name": "#)
            // then 400 malformed_json
            #expect(r.status == .badRequest)
            Self.expectErrorShape(r, code: "malformed_json")
        }
    }

    @Test(arguments: Backend.all) func emptyBodyIsBadRequest(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given no body at all
            // when a customer is created
            let r = try await env.send(.post, "/api/v1/customers", body: nil, contentType: "application/json")
            // then 400
            #expect(r.status == .badRequest)
            Self.expectErrorShape(r, code: "bad_request")
        }
    }

    @Test(arguments: Backend.all) func invalidFieldsAnswer422NamingEachField(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a whole-number custom field "level"
            let def = try await env.send(.post, "/api/v1/custom-fields", as: .admin, json: #"{"key":"level","label":"等级","type":"number"}"#)
            #expect(def.status == .created, "\(def.text)")
            // when a customer with an empty name, a bad email and a non-number level is created
            let r = try await env.send(.post, "/api/v1/customers",
                                       json: #"{"kind":"person","name":"  ","emails":["not-an-email"],"custom":{"level":"high"}}"#)
            // then 422 names every bad field
            #expect(r.status == .unprocessableContent)
            Self.expectErrorShape(r, code: "validation_failed")
            let fields = r.json["error"]["fields"]
            #expect(fields.keys.isSuperset(of: ["name", "emails[0]", "custom.level"]), "fields: \(fields)")
            #expect(fields["emails[0]"].string?.isEmpty == false)
        }
    }

    @Test(arguments: Backend.all) func wrongJSONTypeAnswers422NamingThePath(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a body whose second email is a number
            // when a customer is created
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"A","emails":["a@example.com", 5]}"#)
            // then 422 names emails[1]
            #expect(r.status == .unprocessableContent)
            #expect(r.json["error"]["fields"].keys == ["emails[1]"], "\(r.text)")
        }
    }

    @Test(arguments: Backend.all) func jsonBodyOverOneMebibyteIsTooLarge(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a JSON body of 1 MiB + 1 KiB
            let filler = String(repeating: "a", count: (1 << 20) + 1024)
            // when a customer is created with it
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"\#(filler)"}"#)
            // then 413
            #expect(r.status == .contentTooLarge)
            Self.expectErrorShape(r, code: "payload_too_large")
        }
    }

    @Test(arguments: Backend.all) func jsonBodyOverOneMebibyteWithIdempotencyKeyIsTooLarge(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a JSON body of 1 MiB + 1 KiB and an Idempotency-Key
            let filler = String(repeating: "a", count: (1 << 20) + 1024)
            // when a customer is created with it
            let r = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"\#(filler)"}"#,
                                       headers: ["Idempotency-Key": "big-1"])
            // then 413 as well
            #expect(r.status == .contentTooLarge)
        }
    }

    @Test(arguments: Backend.all) func readOnlyTokenCannotCreateCustomers(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a read_only user's token
            // when it creates a customer
            let r = try await env.send(.post, "/api/v1/customers", as: .readOnly, json: #"{"kind":"person","name":"王小明"}"#)
            // then 403, and it may still read
            #expect(r.status == .forbidden)
            Self.expectErrorShape(r, code: "forbidden")
            #expect(try await env.get("/api/v1/customers", as: .readOnly).status == .ok)
        }
    }

    @Test(arguments: Backend.all) func answersCarrySecurityHeaders(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the application
            // when a successful API call, an error and the home page are requested
            for r in [try await env.get("/api/v1/customers"), try await env.get("/api/v1/customers", as: .none),
                      try await env.get("/", as: .none), try await env.get("/api/v1/nope")] {
                // then each carries nosniff and a CSP forbidding framing
                #expect(r.header("X-Content-Type-Options") == "nosniff", "status \(r.status)")
                #expect(r.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "status \(r.status)")
            }
        }
    }

    @Test(arguments: Backend.all, ["[]", "\"a string\"", "null", "42"])
    func jsonBodyThatIsNotAnObjectIsBadRequest(_ backend: Backend, _ body: String) async throws {
        try await WebEnv.run(backend) { env in
            // given a JSON body that is not an object
            // when a customer is created with it
            let r = try await env.send(.post, "/api/v1/customers", json: body)
            // then 400, not a 422 naming an empty field
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.json["error"]["fields"].isNull)
        }
    }
}
