import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import SQLKit
import GuanxiCore
import GuanxiStore
import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess
import GuanxiTestSupport

// The real application, built in-process over a fresh database (`TestDatabase`: SQLite, and
// PostgreSQL when the environment names a server), with two workspaces that must never see each other.

/// Who sends a request: workspace A's sales rep (default), admin or read-only user, workspace B's admin,
/// nobody, or any Authorization value.
enum Auth: Sendable {
    case a, admin, readOnly, b, none
    case bearer(String)
    case header(String)
}

/// What the application answered.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    var json: J { J(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    var errorCode: String? { json["error"]["code"].string }
}

/// A read-only view of a JSON document.
struct J: Sendable, CustomStringConvertible {
    let value: JSONValue?
    init(_ value: JSONValue?) { self.value = value }
    init(_ data: Data) { value = try? JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(_ key: String) -> J {
        if case .object(let o)? = value { return J(o[key]) }
        return J(nil)
    }
    subscript(_ index: Int) -> J {
        if case .array(let a)? = value, a.indices.contains(index) { return J(a[index]) }
        return J(nil)
    }
    var string: String? { if case .string(let s)? = value { return s }; return nil }
    var int: Int? { if case .number(let n)? = value { return Int(n) }; return nil }
    var bool: Bool? { if case .bool(let b)? = value { return b }; return nil }
    var isNull: Bool { value == nil || value == .null }
    var array: [J] { if case .array(let a)? = value { return a.map(J.init) }; return [] }
    var keys: Set<String> { if case .object(let o)? = value { return Set(o.keys) }; return [] }
    var description: String { value.map { JSONCoding.encode($0) } ?? "<missing>" }
}

/// The people every test starts with: workspace A (sales rep, admin, read-only user) and workspace B (admin: even an admin of B sees nothing of A).
struct Seed: Sendable {
    var workspaceA: Workspace
    var workspaceB: Workspace
    var tokenA: String
    var adminA: String
    var readOnlyA: String
    var tokenB: String

    static func create(_ access: AccessStore) async throws -> Seed {
        let wsA = try await access.ensureDefaultWorkspace()
        let wsB = try await access.createWorkspace(name: "Other 其他", slug: "other")
        func token(_ email: String, _ role: Role, _ ws: Workspace) async throws -> String {
            let u = try await access.createUser(email: email, password: "password-\(role.rawValue)", name: nil, role: role, workspaceID: ws.id)
            return try await access.createToken(userID: u.id, workspaceID: ws.id, name: "test \(role.rawValue)").secret
        }
        return Seed(workspaceA: wsA, workspaceB: wsB,
                    tokenA: try await token("rep-a@example.com", .salesRep, wsA),
                    adminA: try await token("admin-a@example.com", .admin, wsA),
                    readOnlyA: try await token("viewer-a@example.com", .readOnly, wsA),
                    tokenB: try await token("admin-b@example.com", .admin, wsB))
    }

    /// Every web test's database starts as a copy of one seeded with these people.
    static let web = TestSeed("web") { db in try await create(Stores(db: db, clock: SystemClock()).access) }
}

/// One running application over a fresh database seeded with two workspaces.
struct WebEnv: Sendable {
    let client: any TestClientProtocol
    let services: AppServices
    let table: RouteTable
    let pageTable: PageTable
    let seed: Seed
    var workspaceA: Workspace { seed.workspaceA }
    var workspaceB: Workspace { seed.workspaceB }

    static func run(_ backend: Backend, clock: any GuanxiCore.Clock = SystemClock(),
                    _ body: @Sendable @escaping (WebEnv) async throws -> Void) async throws {
        try await TestDatabase.with(backend, seed: Seed.web) { db, seed in
            let services = AppServices(db: db, clock: clock)
            let (router, table, pageTable) = buildRouterAndPages(services)
            let app = Application(router: router)
            try await app.test(.router) { client in
                try await body(WebEnv(client: client, services: services, table: table, pageTable: pageTable, seed: seed))
            }
        }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, as auth: Auth = .a, body: Data? = nil,
              contentType: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var fields = HTTPFields()
        switch auth {
        case .a: fields[.authorization] = "Bearer \(seed.tokenA)"
        case .admin: fields[.authorization] = "Bearer \(seed.adminA)"
        case .readOnly: fields[.authorization] = "Bearer \(seed.readOnlyA)"
        case .b: fields[.authorization] = "Bearer \(seed.tokenB)"
        case .none: break
        case .bearer(let t): fields[.authorization] = "Bearer \(t)"
        case .header(let h): fields[.authorization] = h
        }
        if let contentType { fields[.contentType] = contentType }
        for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
        return try await client.execute(uri: uri, method: method, headers: fields,
                                        body: body.map { ByteBuffer(bytes: $0) }) { r in
            Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
        }
    }

    /// Sends a JSON text body.
    func send(_ method: HTTPRequest.Method, _ uri: String, as auth: Auth = .a, json: String,
              headers: [String: String] = [:]) async throws -> Reply {
        try await send(method, uri, as: auth, body: Data(json.utf8), contentType: "application/json", headers: headers)
    }

    func get(_ uri: String, as auth: Auth = .a) async throws -> Reply { try await send(.get, uri, as: auth) }

    /// Creates a customer and returns its JSON, failing the test unless the answer is 201.
    @discardableResult
    func createCustomer(_ fields: [String: JSONValue], as auth: Auth = .a,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> J {
        var f = fields
        if f["kind"] == nil { f["kind"] = .string("person") }
        let r = try await send(.post, "/api/v1/customers", as: auth, json: JSONCoding.encode(JSONValue.object(f)))
        #expect(r.status == .created, "create answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
        return r.json
    }

    func createCustomer(name: String, as auth: Auth = .a, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await createCustomer(["name": .string(name)], as: auth, sourceLocation: sourceLocation)["id"].string ?? "missing-id"
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
func q(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? s
}

/// A JSON object literal from a dictionary of JSON values.
func json(_ fields: [String: JSONValue]) -> String { JSONCoding.encode(JSONValue.object(fields)) }

func str(_ s: String) -> JSONValue { .string(s) }
func strs(_ a: [String]) -> JSONValue { .array(a.map(JSONValue.string)) }

extension Words {
    /// The application's words, as the server builds them from every feature.
    static let all = Words(features: Features.all)
}
