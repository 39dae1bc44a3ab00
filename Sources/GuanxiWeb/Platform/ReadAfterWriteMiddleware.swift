import Foundation
import Hummingbird
import HTTPTypes
import GuanxiStore

/// Reads from streaming replicas (`GUANXI_DATABASE_READ_URL`, docs/DEPLOY.md) without losing one's
/// own writes: a request that changes something (any method but GET and HEAD) reads from the
/// primary, and its answer carries the primary's log position after it — as a cookie for
/// browsers and as the `Guanxi-Read-After` header, which an API client sends back on its next
/// request. A later request reads from a replica only once that replica has replayed that far
/// (waiting a moment for it), else from the primary. Whatever server of several answers it.
package struct ReadAfterWriteMiddleware: RouterMiddleware {
    package typealias Context = AppContext
    let db: Database
    package init(db: Database) { self.db = db }

    package static let cookie = "guanxi_read_after"
    package static let header = HTTPField.Name("Guanxi-Read-After")!
    /// Long past the lag at which a replica is skipped anyway.
    static let cookieSeconds = 60

    package func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard db.replicated else { return try await next(request, context) }
        let writes = request.method != .get && request.method != .head
        let floor = max(Self.position(request.headers[Self.header]), Self.position(request.cookies[Self.cookie]?.value))
        let state = ReadAfterWrite(floor: floor, primaryOnly: writes)
        var response = try await ReadAfterWrite.$current.withValue(state) { try await next(request, context) }
        if writes, let lsn = try? await db.logPosition() {
            response.headers[Self.header] = String(lsn)
            response.headers.append(HTTPField(name: .setCookie, value: "\(Self.cookie)=\(lsn); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(Self.cookieSeconds)"
                                              + (AuthMiddleware.overTLS(request) ? "; Secure" : "")))
        }
        return response
    }

    /// A log position as sent back (a whole number; anything else counts as none).
    static func position(_ text: String?) -> Int64 {
        guard let text, text.count <= 20, let n = Int64(text), n > 0 else { return 0 }
        return n
    }
}
