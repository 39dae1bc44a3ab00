import Foundation
import Hummingbird
import GuanxiCore

/// Per-request context: who is acting (set by `BearerAuthMiddleware`).
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var scope: Scope?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// JSON bodies above this answer 413; CSV uploads use `APIBody.maxUpload`.
    public var maxUploadSize: Int { APIBody.maxJSON }

    /// The acting scope, or 401 when the request is not authenticated.
    public func requireScope() throws -> Scope {
        guard let scope else { throw DomainError.unauthorized("send an API token as 'Authorization: Bearer …'") }
        return scope
    }
}
