import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore

/// Resolves the caller: `Authorization: Bearer …` (API tokens) or the `gx_session` cookie (browsers).
/// Without credentials the request goes on unauthenticated (routes that need a scope answer 401);
/// wrong credentials answer 401 here. Cookie-authenticated requests that change state must echo
/// the session's CSRF token in `X-CSRF-Token` (pages: the `_csrf` form field, checked by `PageTable`).
package struct AuthMiddleware: RouterMiddleware {
    package typealias Context = AppContext
    package let access: AccessStore
    package let signIn: SignIn
    package init(access: AccessStore, signIn: SignIn) { self.access = access; self.signIn = signIn }

    package static let cookie = "gx_session"

    /// The session cookie's header value; `Secure` when the request reached us over TLS.
    package static func sessionCookie(_ value: String, maxAge: Int, request: Request) -> String {
        "\(cookie)=\(value); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(maxAge)" + (overTLS(request) ? "; Secure" : "")
    }

    /// Whether the request reached us over TLS, directly or via a proxy that says so
    /// (`X-Forwarded-Proto: https`): what makes the cookie Secure and asks browsers for HTTPS only.
    package static func overTLS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
    package static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    package func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var ctx = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw DomainError.unauthorized("send an API token as 'Authorization: Bearer …' (create one with `guanxi token create`)")
            }
            let token = String(header.dropFirst(7)).trimmed()
            guard token.count < 200, let scope = try await access.authenticate(token: token) else {
                throw DomainError.unauthorized("the API token is invalid, expired or revoked")
            }
            ctx.scope = scope
            ctx.note?.signedIn(scope)
        } else if let secret = request.cookies[Self.cookie]?.value, !secret.isEmpty, secret.count < 200,
                  let (scope, csrf) = try await signIn.session(secret) {
            // An unknown or ended session is ignored (sign-in must still work with a stale cookie);
            // routes that need a scope then answer 401.
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[Self.csrfHeader], Secret.equal(sent, csrf) else {
                    throw DomainError.forbidden("missing or wrong CSRF token (send it as X-CSRF-Token)")
                }
            }
            ctx.scope = scope
            ctx.note?.signedIn(scope)
            ctx.sessionSecret = secret
        }
        return try await next(request, ctx)
    }
}
