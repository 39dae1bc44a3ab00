import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore

/// Who is looking at a page, built once per page request by `PageContextMiddleware`: the language,
/// the session's scope and CSRF token, where to come back after signing in, and the header's badge.
package struct PageContext: Sendable {
    package var locale: UILocale
    package var scope: Scope?
    package var csrf: String = ""
    package var next: String
    /// The signed-in user's overdue tasks and due reminders (the header badge).
    package var attention = 0

    var signInHref: String { PlatformURL.signIn.path + "?next=" + next }
    var fmt: Formats { Formats(locale: locale) }
}

/// Builds the `PageContext` for the page routes (never `/api/v1`, whose callers send tokens and
/// read JSON). An unknown or ended session leaves the visitor signed out: sign-in must still work
/// with a stale cookie, and pages that need a session send the visitor there.
struct PageContextMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let signIn: SignIn
    let tasks: TaskStore

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let locale = UILocale.pick(cookie: request.cookies[Pages.langCookie]?.value, acceptLanguage: request.headers[.acceptLanguage])
        var page = PageContext(locale: locale, next: Pages.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")))
        if let secret = request.cookies[AuthMiddleware.cookie]?.value, !secret.isEmpty, secret.count < 200,
           let (scope, csrf) = try await signIn.session(secret) {
            page.scope = scope; page.csrf = csrf
            page.attention = try await tasks.attentionCount(scope)
        }
        var ctx = context
        ctx.page = page
        return try await next(request, ctx)
    }
}
