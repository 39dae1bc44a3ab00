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
    /// The application's words, to say things in `locale`.
    package let words: Words

    package init(locale: UILocale, next: String, words: Words) {
        self.locale = locale; self.next = next; self.words = words
    }

    package var signInHref: String { PlatformURL.signIn.path + "?next=" + next }
    package var fmt: Formats { Formats(locale: locale) }
    package func text(_ key: String) -> String { words.text(key, locale) }
    package func localize(_ message: DomainMessage) -> String { words.localize(message, locale) }
    package func message(_ error: any Error) -> String { words.message(error, locale) }
    package func stage(_ s: LifecycleStage) -> String { words.stage(s, locale) }
    package func name(_ p: Pipeline) -> String { words.named(p.name, key: p.nameKey, locale) }
    package func name(_ s: PipelineStage) -> String { words.named(s.name, key: s.nameKey, locale) }
    package func name(_ l: PriceList) -> String { words.named(l.name, key: l.nameKey, locale) }
}

/// Builds the `PageContext` for the page routes (never `/api/v1`, whose callers send tokens and
/// read JSON). An unknown or ended session leaves the visitor signed out: sign-in must still work
/// with a stale cookie, and pages that need a session send the visitor there.
package struct PageContextMiddleware: RouterMiddleware {
    package typealias Context = AppContext
    package let signIn: SignIn
    package let tasks: TaskStore
    package let words: Words

    package func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let locale = UILocale.pick(cookie: request.cookies[Pages.langCookie]?.value, acceptLanguage: request.headers[.acceptLanguage])
        var page = PageContext(locale: locale, next: Pages.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")), words: words)
        if let secret = request.cookies[AuthMiddleware.cookie]?.value, !secret.isEmpty, secret.count < 200,
           let (scope, csrf) = try await signIn.session(secret) {
            page.scope = scope; page.csrf = csrf
            context.note?.signedIn(scope)
            page.attention = try await tasks.attentionCount(scope)
        }
        var ctx = context
        ctx.page = page
        return try await next(request, ctx)
    }
}
