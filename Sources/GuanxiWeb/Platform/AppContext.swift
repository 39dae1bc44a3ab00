import Foundation
import Hummingbird
import GuanxiCore

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
