import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore

/// One API operation: the single source for registering the route and for documenting it in
/// OpenAPI, so the two cannot drift.
package struct APIRoute: Sendable {
    package var method: HTTPRequest.Method
    /// OpenAPI-style path under /api/v1, e.g. "/customers/{id}".
    package var path: String
    package var operationID: String
    package var summary: String
    package var tag: String
    /// What the caller must hold to reach the handler at all (records are checked again in the stores).
    package var needs: AccessNeed
    package var query: [String] = []
    package var requestSchema: String? = nil
    package var requestContentType = "application/json"
    /// The schema of a `multipart/form-data` body the operation takes as well (files with their fields).
    package var multipartSchema: String? = nil
    package var responseSchema: String? = nil
    package var status = 200
    package var idempotent = false
    /// What a query parameter accepts when its name alone does not say (`QueryValue.named`).
    package var queryValues: [String: QueryValue] = [:]
    /// Query parameters the operation cannot do without (`q` on search).
    package var requiredQuery: [String] = []
    /// Whether the handler reads If-Match (nil: PATCH and DELETE do).
    package var ifMatch: Bool? = nil
    /// Other success statuses with the same body (an order pushed again by its external id: 200).
    package var alsoStatus: [Int] = []
    /// Other content types a success may answer in, as text (an export chosen by a query parameter).
    package var alsoResponds: [String] = []

    package init(method: HTTPRequest.Method, path: String, operationID: String, summary: String, tag: String, needs: AccessNeed,
                 query: [String] = [], requestSchema: String? = nil, requestContentType: String = "application/json",
                 multipartSchema: String? = nil, responseSchema: String? = nil, status: Int = 200, idempotent: Bool = false,
                 queryValues: [String: QueryValue] = [:], requiredQuery: [String] = [], ifMatch: Bool? = nil, alsoStatus: [Int] = []) {
        self.method = method; self.path = path; self.operationID = operationID; self.summary = summary; self.tag = tag
        self.needs = needs; self.query = query; self.requestSchema = requestSchema; self.requestContentType = requestContentType
        self.multipartSchema = multipartSchema
        self.responseSchema = responseSchema; self.status = status; self.idempotent = idempotent
        self.queryValues = queryValues; self.requiredQuery = requiredQuery; self.ifMatch = ifMatch; self.alsoStatus = alsoStatus
    }

    package var fullPath: String { "/api/v1" + path }
    package var readsIfMatch: Bool { ifMatch ?? (method == .patch || method == .delete) }
    /// Hummingbird's form (`:id`).
    package var routerPath: String {
        path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
    }
    package var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// The values a query parameter accepts, as the OpenAPI document declares them.
package enum QueryValue: Sendable, Equatable {
    case text
    /// Text of at least one non-space character, at most `max` characters.
    case words(max: Int)
    case id
    case whole(ClosedRange<Int>)
    case oneOf([String])
    /// `YYYY-MM-DD`, `YYYY-MM`, `2026-W48`, an RFC 3339 date-time.
    case day, month, week, dateTime
    /// `true` or `false`.
    case flag
    /// A day or a date-time (filters that take either).
    case dayOrDateTime
    /// Text matching a regular expression (`^…$`).
    case matching(String)

    /// One of an enumeration's raw values.
    package static func cases<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> QueryValue where E.RawValue == String {
        .oneOf(E.allCases.map(\.rawValue))
    }

    /// What a parameter's name says it takes, when the route does not say otherwise.
    package static func named(_ name: String) -> QueryValue {
        switch name {
        case "limit": .whole(1...200)
        case "month": .month
        case "week": .week
        case _ where name.hasSuffix("_id"): .id
        default: .text
        }
    }
}

/// The permission a route requires before its handler runs.
package enum AccessNeed: Sendable, Equatable {
    /// Anyone, signed in or not (sign-in itself, password reset).
    case anyone
    /// Any signed-in member (the handler limits what they see, e.g. their own tokens).
    case member
    case permission(AccessObject, AccessAction)

    package static func can(_ a: AccessAction, _ o: AccessObject) -> AccessNeed { .permission(o, a) }
}

/// What a stored answer may still be replayed as: itself, or nothing (the key is free again and the
/// request runs anew, as after an import that failed). Throwing refuses the replay (404, 403).
package enum ReplayDecision: Sendable { case replay, retry }
/// Checked before an answer stored under an Idempotency-Key is replayed: the caller must still
/// reach what it shows (the record it created).
package typealias ReplayCheck = @Sendable (Scope, StoredResponse) async throws -> ReplayDecision

package typealias APIHandler = @Sendable (Request, AppContext, Scope) async throws -> APIResponse
package typealias PublicHandler = @Sendable (Request, AppContext) async throws -> APIResponse

/// Collects operations as they are registered (the OpenAPI document reads it).
package final class RouteTable: @unchecked Sendable {
    // Written only while the application is being built, before it serves; read afterwards.
    package private(set) var routes: [APIRoute] = []
    package let group: RouterGroup<AppContext>
    package let idempotency: IdempotencyStore
    package let inFlight = KeyedLocks()

    package init(group: RouterGroup<AppContext>, idempotency: IdempotencyStore) { self.group = group; self.idempotency = idempotency }

    /// Registers an operation open to anyone (`needs: .anyone`).
    package func onPublic(_ route: APIRoute, _ handler: @escaping PublicHandler) {
        precondition(route.needs == .anyone, "\(route.operationID) is public but needs \(route.needs)")
        routes.append(route)
        group.on(RouterPath(route.routerPath), method: route.method) { request, context -> Response in
            try await handler(request, context).response
        }
    }

    /// Registers an operation for members; `replay` re-checks a stored answer before it is replayed.
    package func on(_ route: APIRoute, replay recheck: ReplayCheck? = nil, _ handler: @escaping APIHandler) {
        precondition(route.needs != .anyone, "\(route.operationID) needs a scope; register it with onPublic")
        routes.append(route)
        let store = idempotency
        let locks = inFlight
        let idempotent = route.idempotent
        @Sendable func answer(_ req: Request, _ context: AppContext, _ scope: Scope, key: String, fingerprint fp: String) async throws -> Response {
            if let stored = try await store.lookup(scope, key: key, fingerprint: fp) {
                switch try await recheck?(scope, stored) ?? .replay {
                case .replay:
                    var r = APIResponse(status: .init(code: stored.status), body: stored.body, headers: stored.headers)
                    r.headers["Idempotent-Replayed"] = "true"
                    return r.response
                case .retry:
                    try await store.forget(scope, key: key)
                }
            }
            let answer = try await handler(req, context, scope)
            if answer.status.code < 500 {
                try await store.save(scope, key: key, fingerprint: fp,
                                     response: StoredResponse(status: Int(answer.status.code), body: answer.body, headers: answer.headers))
            }
            return answer.response
        }
        let needs = route.needs
        group.on(RouterPath(route.routerPath), method: route.method) { request, context -> Response in
            let scope = try context.requireScope()
            if case .permission(let o, let a) = needs { try scope.require(o, a) }
            guard idempotent, let key = request.headers[HTTPField.Name("Idempotency-Key")!] else {
                return try await handler(request, context, scope).response
            }
            // Replays need the body twice: once for the fingerprint, once for the handler.
            var req = request
            let limit = route.requestContentType == "text/csv" ? APIBody.maxUpload : route.multipartSchema != nil ? APIBody.maxAttachments : APIBody.maxJSON
            let body = try await req.collectBody(upTo: limit)
            let fp = IdempotencyStore.fingerprint(method: request.method.rawValue, path: request.uri.description, body: Data(buffer: body))
            // A concurrent twin (same credential and key) waits for the first answer, then replays it:
            // in this process behind a lock in memory, across servers behind a claim in the database.
            let lockKey = scope.workspaceID + "\u{0}" + IdempotencyStore.credential(scope) + "\u{0}" + key
            await locks.lock(lockKey)
            do {
                let request = req
                let response = try await store.exclusively(scope, key: key, fingerprint: fp) { try await answer(request, context, scope, key: key, fingerprint: fp) }
                await locks.unlock(lockKey)
                return response
            } catch {
                await locks.unlock(lockKey)
                throw error
            }
        }
    }
}

extension RouteTable {
    /// Answers 405 with `Allow` for a method an API path does not take (after every feature registered
    /// its operations), rather than the 404 of a path that does not exist.
    package func refuseOtherMethods() {
        let byPath = Dictionary(grouping: routes, by: \.routerPath)
        for (path, rs) in byPath {
            let taken = Set(rs.map(\.method))
            let allow = rs.map(\.method.rawValue).sorted().joined(separator: ", ")
            for m in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!] where !taken.contains(m) {
                if m == .head && taken.contains(.get) { continue }
                group.on(RouterPath(path), method: m) { _, context -> Response in
                    var (status, body) = ErrorMiddleware<AppContext>.map(HTTPError(.methodNotAllowed))
                    body.error.requestID = context.note?.requestID
                    return APIResponse(status: status, body: APIJSON.encode(body), headers: ["Allow": allow]).response
                }
            }
        }
    }
}

/// Per-key FIFO async locks (for requests that share an Idempotency-Key in this process).
package final class KeyedLocks: Sendable {
    private let state = KeyedLockState()
    package func lock(_ key: String) async { await state.lock(key) }
    package func unlock(_ key: String) async { await state.unlock(key) }
}

private actor KeyedLockState {
    /// Held keys and who waits for them; unlock hands the lock to the next waiter.
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    package func lock(_ key: String) async {
        if waiters[key] == nil { waiters[key] = []; return }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }
    package func unlock(_ key: String) {
        guard var queue = waiters[key] else { return }
        if queue.isEmpty { waiters[key] = nil; return }
        let next = queue.removeFirst()
        waiters[key] = queue
        next.resume()
    }
}

/// The `limit` query parameter every list operation takes.
package enum APIPaging {
    package static func limit(_ req: Request, default d: Int) throws -> Int {
        guard let raw = req.query("limit") else { return d }
        guard let n = Int(raw), n >= 1, n <= 200 else { throw DomainError.field("limit", "must be a whole number from 1 to 200") }
        return n
    }
}

/// Replay checks the operations share.
package enum Replay {
    /// The `id` (or other identifying field) of the record a stored 2xx answer shows, if any.
    package static func recordID(_ stored: StoredResponse, field: String = "id") -> String? {
        guard (200..<300).contains(stored.status),
              let object = try? JSONSerialization.jsonObject(with: stored.body) as? [String: Any] else { return nil }
        return object[field] as? String
    }

    /// For creates: the record the stored answer shows must still be readable by the caller
    /// (`read` throws 404 when it is not, deleted since included), or the replay is refused as
    /// reading it would be.
    package static func readBack(field: String = "id", _ read: @escaping @Sendable (Scope, String) async throws -> Void) -> ReplayCheck {
        { scope, stored in
            if let id = recordID(stored, field: field) { try await read(scope, id) }
            return .replay
        }
    }
}
