import Foundation
import Hummingbird
import GuanxiCore
import Synchronization

/// Per-request context: who is acting (set by `AuthMiddleware`).
package struct AppContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var scope: Scope?
    /// The session cookie's value when the request was signed in by cookie rather than token.
    package var sessionSecret: String?
    /// The page visitor, built by `PageContextMiddleware` on page routes only.
    package var page: PageContext?
    /// The peer's IP address (for sign-in rate limits and the audit log).
    package let address: String
    /// Who the request turned out to be, for its log line (set by `RequestObserver`, filled in when
    /// a token or session is recognised).
    package var note: RequestNote?

    package init(source: Source) {
        self.coreContext = .init(source: source)
        self.address = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// JSON bodies above this answer 413; CSV uploads use `APIBody.maxUpload`.
    package var maxUploadSize: Int { APIBody.maxJSON }

    /// The acting scope, or 401 when the request is not authenticated.
    package func requireScope() throws -> Scope {
        guard let scope else { throw DomainError.unauthorized("sign in, or send an API token as 'Authorization: Bearer …' (create one with `guanxi token create`)") }
        return scope
    }
}

/// What the request log learns about a request on its way in (contexts are values, so the outer
/// middleware sees it only through this reference).
package final class RequestNote: Sendable {
    package let requestID: String
    private let who = Mutex<(workspaceID: String?, userID: String?)>((nil, nil))
    package init(requestID: String) { self.requestID = requestID }
    package func signedIn(_ scope: Scope) { who.withLock { $0 = (scope.workspaceID, scope.userID) } }
    package var workspaceID: String? { who.withLock { $0.workspaceID } }
    package var ids: (workspaceID: String?, userID: String?) { who.withLock { $0 } }
}
