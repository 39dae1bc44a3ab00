import Foundation
import Hummingbird
import GuanxiCore

/// Per-request context: who is acting (set by `AuthMiddleware`).
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var scope: Scope?
    /// The session cookie's value when the request was signed in by cookie rather than token.
    public var sessionSecret: String?
    /// The page visitor, built by `PageContextMiddleware` on page routes only.
    package var page: PageContext?
    /// The peer's IP address (for sign-in rate limits and the audit log).
    public let address: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.address = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// JSON bodies above this answer 413; CSV uploads use `APIBody.maxUpload`.
    public var maxUploadSize: Int { APIBody.maxJSON }

    /// The acting scope, or 401 when the request is not authenticated.
    public func requireScope() throws -> Scope {
        guard let scope else { throw DomainError.unauthorized("sign in, or send an API token as 'Authorization: Bearer …' (create one with `guanxi token create`)") }
        return scope
    }
}
