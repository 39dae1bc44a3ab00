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

@Suite("OpenAPI document matches the router")
struct OpenAPIDriftTests {
    /// (METHOD, path) pairs documented in the OpenAPI document.
    static func documentedOperations(_ doc: Data) throws -> [(method: String, path: String, op: [String: Any])] {
        let root = try #require(try JSONSerialization.jsonObject(with: doc) as? [String: Any])
        let paths = try #require(root["paths"] as? [String: [String: Any]])
        var out: [(String, String, [String: Any])] = []
        for (path, methods) in paths {
            for (method, op) in methods { out.append((method.uppercased(), path, op as? [String: Any] ?? [:])) }
        }
        return out
    }

    @Test(arguments: Backend.all) func openAPIDocumentIsServedAsParseableOpenAPI31(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the application
            // when the document is requested without a token
            let r = try await env.get("/api/openapi.json", as: .none)
            // then it is public, JSON, and an OpenAPI 3.1 document
            #expect(r.status == .ok)
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            let root = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            #expect(root["openapi"] as? String == "3.1.0")
            #expect((root["paths"] as? [String: Any])?.isEmpty == false)
        }
    }

    @Test(arguments: Backend.all) func documentedOperationsEqualRegisteredRoutes(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the route table the router was built from
            let registered = Set(env.table.routes.map { "\($0.method.rawValue) \($0.fullPath)" })
            // when the OpenAPI document is read
            let r = try await env.get("/api/openapi.json", as: .none)
            let documented = Set(try Self.documentedOperations(r.body).map { "\($0.method) \($0.path)" })
            // then both name exactly the same operations
            #expect(documented == registered, "only documented: \(documented.subtracting(registered)); only routed: \(registered.subtracting(documented))")
            #expect(!registered.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func everyOperationHasASummaryAndAUniqueOperationID(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the OpenAPI document
            let r = try await env.get("/api/openapi.json", as: .none)
            let ops = try Self.documentedOperations(r.body)
            // when summaries and operation ids are collected
            let ids = ops.compactMap { $0.op["operationId"] as? String }
            // then every operation has both, and no id repeats
            for o in ops {
                #expect(!((o.op["summary"] as? String) ?? "").isEmpty, "\(o.method) \(o.path) has no summary")
                #expect(!((o.op["operationId"] as? String) ?? "").isEmpty, "\(o.method) \(o.path) has no operationId")
            }
            #expect(ids.count == ops.count)
            #expect(Set(ids).count == ids.count, "duplicate operationIds: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys)")
        }
    }

    @Test(arguments: Backend.all) func unknownEndpointAnswersRouteNotFound(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a valid token
            // when an endpoint that does not exist is requested
            let r = try await env.get("/api/v1/no-such-thing/\(UUID().uuidString.lowercased())")
            // then the router's own error code answers (what the drift test relies on)
            #expect(r.status == .notFound)
            #expect(r.errorCode == "route_not_found")
        }
    }

    @Test(arguments: Backend.all) func everyDocumentedOperationIsRouted(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given every documented operation, with placeholder ids
            let r = try await env.get("/api/openapi.json", as: .none)
            let ops = try Self.documentedOperations(r.body)
            for o in ops {
                let uri = o.path.replacingOccurrences(of: "\\{[^}]+\\}", with: UUID().uuidString.lowercased(), options: .regularExpression)
                // when it is requested with a valid token (and no body, so nothing is written)
                let reply = try await env.send(HTTPRequest.Method(o.method)!, uri)
                // then the router found it: neither route_not_found nor method_not_allowed, and never a 500
                #expect(reply.errorCode != "route_not_found", "\(o.method) \(o.path) is documented but not routed")
                #expect(reply.status != .methodNotAllowed, "\(o.method) \(o.path) answered 405")
                #expect(reply.status.code < 500, "\(o.method) \(uri) answered \(reply.status): \(reply.text)")
            }
        }
    }

    @Test(arguments: Backend.all) func everySchemaReferenceResolves(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the OpenAPI document
            let r = try await env.get("/api/openapi.json", as: .none)
            let root = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            let schemas = Set(((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?.keys.map { $0 } ?? [])
            // when every $ref in it is collected
            var refs: Set<String> = []
            func walk(_ v: Any) {
                if let o = v as? [String: Any] {
                    if let ref = o["$ref"] as? String { refs.insert(ref) }
                    o.values.forEach(walk)
                } else if let a = v as? [Any] { a.forEach(walk) }
            }
            walk(root)
            // then each names a component schema
            let prefix = "#/components/schemas/"
            let missing = refs.filter { !$0.hasPrefix(prefix) || !schemas.contains(String($0.dropFirst(prefix.count))) }
            #expect(missing.isEmpty, "unresolved: \(missing.sorted())")
            #expect(!refs.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func anUndocumentedMethodOnAKnownPathIs405WithAllow(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the documented methods of every path
            let r = try await env.get("/api/openapi.json", as: .none)
            let byPath = Dictionary(grouping: try Self.documentedOperations(r.body), by: \.path)
            for (path, ops) in byPath {
                let documented = Set(ops.map(\.method))
                let uri = path.replacingOccurrences(of: "\\{[^}]+\\}", with: UUID().uuidString.lowercased(), options: .regularExpression)
                for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY"] where !documented.contains(method) {
                    // when it is asked with another method
                    let reply = try await env.send(HTTPRequest.Method(method)!, uri)
                    // then 405 names the methods the path takes
                    #expect(reply.status == .methodNotAllowed, "\(method) \(path) answered \(reply.status)")
                    #expect(reply.errorCode == "method_not_allowed")
                    let allow = Set((reply.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(allow == documented, "\(method) \(path): Allow \(reply.header("Allow") ?? "none")")
                }
            }
            // and a path that does not exist is still 404
            #expect(try await env.send(.trace, "/api/v1/no-such-thing").errorCode == "route_not_found")
        }
    }

    @Test(arguments: Backend.all) func publicOperationsNeedNoTokenAndSearchNeedsQ(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the OpenAPI document and the route table
            let r = try await env.get("/api/openapi.json", as: .none)
            let ops = try Self.documentedOperations(r.body)
            let publicOps = Set(env.table.routes.filter { $0.needs == .anyone }.map { "\($0.method.rawValue) \($0.fullPath)" })
            // when each operation's security and parameters are read
            for o in ops {
                let security = try #require(o.op["security"] as? [[String: Any]], "\(o.method) \(o.path)")
                // then the public ones (sign-in, sign-out, password reset) declare none and the rest the bearer token
                #expect(security.isEmpty == publicOps.contains("\(o.method) \(o.path)"), "\(o.method) \(o.path): \(security)")
            }
            #expect(publicOps.contains("POST /api/v1/auth/sign-out"))
            let search = try #require(ops.first { $0.method == "GET" && $0.path == "/api/v1/search" })
            let q = try #require((search.op["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "q" })
            #expect(q["required"] as? Bool == true)
            #expect(try await env.get("/api/v1/search").status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all) func everyPatternCompilesAndMatchesWhatTheServerIssues(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given every pattern in the document
            let r = try await env.get("/api/openapi.json", as: .none)
            let root = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            var patterns: Set<String> = []
            func walk(_ v: Any) {
                if let o = v as? [String: Any] {
                    if let p = o["pattern"] as? String { patterns.insert(p) }
                    o.values.forEach(walk)
                } else if let a = v as? [Any] { a.forEach(walk) }
            }
            walk(root)
            // when they are compiled
            for p in patterns { #expect((try? NSRegularExpression(pattern: p)) != nil, "does not compile: \(p)") }
            // then the shared ones accept what the server itself writes and refuse the rest
            func matches(_ p: String, _ s: String) -> Bool {
                (try? NSRegularExpression(pattern: p))?.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            }
            typealias P = OpenAPIDocument.Pattern
            #expect(matches(P.id, ID.make()) && !matches(P.id, "not-an-id") && !matches(P.id, ""))
            #expect(matches(P.etag, "\"3\"") && matches(P.etag, "W/\"12\"") && matches(P.etag, "*") && !matches(P.etag, "3"))
            #expect(matches(P.dateTime, Timestamp.iso8601(Date())) && matches(P.dateTime, "2026-01-31T09:30:00+08:00") && !matches(P.dateTime, "2026-01-31"))
            #expect(matches(P.day, "2026-02-28") && matches(P.day, "2026-12-31") && !matches(P.day, "2026-04-31") && !matches(P.day, "2026-13-01") && !matches(P.day, "26-01-01"))
            #expect(matches(P.month, "2026-11") && !matches(P.month, "2026-00"))
            #expect(matches(P.words, "王") && !matches(P.words, "   "))
        }
    }
}
