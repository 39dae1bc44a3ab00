import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore

/// What a page handler is given: the request, the visitor's `PageContext`, and the form the table
/// has already read (and, on routes that change state, checked for the session's CSRF token).
package struct PageRequest: Sendable {
    package let request: Request
    package let context: AppContext
    package var page: PageContext
    /// Every name=value pair in order (check boxes repeat their name).
    package var pairs: [(String, String)] = []
    /// The last value of each name.
    package var form: [String: String] = [:]
    /// A multipart body's parts (file uploads); its fields are in `pairs` and `form` too.
    package var parts: [Multipart.Part] = []
    /// The form carried the session's CSRF token.
    package var signedForm = false

    /// A path parameter (`:id`), empty when absent.
    package func parameter(_ name: String) -> String { context.parameters.get(name) ?? "" }
    package func query(_ name: String) -> String? { request.query(name) }
}

/// A page for a signed-in visitor, with their scope.
package typealias PageHandler = @Sendable (PageRequest, Scope) async throws -> Response
/// A page anyone may open (sign-in, public web forms).
package typealias OpenPageHandler = @Sendable (PageRequest) async throws -> Response
/// An answer that needs nothing of the visitor (assets, redirects).
package typealias PlainPageHandler = @Sendable (Request, AppContext) async throws -> Response

/// What a page route's post carries.
package enum PageBody: Sendable, Equatable {
    case none
    /// `application/x-www-form-urlencoded`, every form but uploads.
    case form
    /// `multipart/form-data` (file uploads), up to `APIBody.maxUpload`; a plain form too, when it
    /// carries no file (its fields in `form` either way).
    case multipart
}

/// How a post proves it came from this site's own page.
package enum FormCheck: Sendable, Equatable {
    case none
    /// The session's CSRF token in the `_csrf` field: every post that changes state.
    case csrf
    /// The browser's `Origin`/`Referer`: sign-in, where no session exists yet to carry a token (login CSRF).
    case sameOrigin
}

/// One page operation as a value: method, address pattern, what the visitor needs, what the post
/// carries, and the handler. `PageTable` registers it and runs everything before the handler.
package struct PageRoute: Sendable {
    package var method: HTTPRequest.Method
    /// The router pattern (`/customers/:id`).
    package var path: String
    /// Who reaches the handler: `.anyone` (open and plain routes), `.member`, or a permission.
    package var needs: AccessNeed
    package var body: PageBody
    package var check: FormCheck
    package let handler: Handler

    package enum Handler: Sendable {
        case plain(PlainPageHandler)
        case open(OpenPageHandler)
        case member(PageHandler)
    }

    /// A page for signed-in visitors (holding `needs`); others are sent to sign in and brought back.
    package static func get(_ address: some PageAddress, needs: AccessNeed = .member, _ handler: @escaping PageHandler) -> PageRoute {
        PageRoute(method: .get, path: address.path, needs: needs, body: .none, check: .none, handler: .member(handler))
    }

    /// A form post that changes something: signed in, carrying the session's CSRF token, holding `needs`.
    package static func post(_ address: some PageAddress, needs: AccessNeed = .member, body: PageBody = .form,
                             _ handler: @escaping PageHandler) -> PageRoute {
        PageRoute(method: .post, path: address.path, needs: needs, body: body, check: .csrf, handler: .member(handler))
    }

    /// A page anyone may open, signed in or not; the handler sees the session if there is one.
    package static func open(_ address: some PageAddress, method: HTTPRequest.Method = .get, body: PageBody = .none, check: FormCheck = .none,
                             _ handler: @escaping OpenPageHandler) -> PageRoute {
        PageRoute(method: method, path: address.path, needs: .anyone, body: body, check: check, handler: .open(handler))
    }

    /// An answer that needs nothing of the visitor: no page context is built for it.
    package static func plain(_ address: some PageAddress, _ handler: @escaping PlainPageHandler) -> PageRoute {
        PageRoute(method: .get, path: address.path, needs: .anyone, body: .none, check: .none, handler: .plain(handler))
    }
}

/// The page routes, registered in one place that runs what every page needs before its handler:
/// the visitor's context (`PageContextMiddleware`, on these routes only), the form, sign-in, the
/// CSRF token, the permission; and one error page for whatever the handler throws.
package final class PageTable: @unchecked Sendable {
    // Written only while the application is being built, before it serves; read afterwards.
    package private(set) var routes: [PageRoute] = []
    package let pages: Pages
    /// Routes that build the page context.
    package let visitors: RouterGroup<AppContext>
    /// Routes that need nothing of the visitor (assets, redirects), spared the session look-up.
    package let plain: RouterGroup<AppContext>

    package init(router: Router<AppContext>, pages: Pages) {
        self.pages = pages
        plain = router.group()
        visitors = router.group().add(middleware: PageContextMiddleware(signIn: pages.services.signIn, tasks: pages.services.tasks, words: pages.words))
    }

    package func add(_ routes: [PageRoute]) { for r in routes { add(r) } }

    package func add(_ route: PageRoute) {
        precondition(!route.path.contains("//") && (route.path == "/" || !route.path.hasSuffix("/")),
                     "\(route.path): register a page with `:name` placeholders for the parts of its address")
        routes.append(route)
        let path = RouterPath(route.path)
        let pages = self.pages
        switch route.handler {
        case .plain(let handler):
            plain.on(path, method: route.method, use: handler)
        case .open(let handler):
            visitors.on(path, method: route.method) { request, context -> Response in
                try await Self.run(route, request, context, pages) { p, _ in try await handler(p) }
            }
        case .member(let handler):
            visitors.on(path, method: route.method) { request, context -> Response in
                try await Self.run(route, request, context, pages) { p, scope in try await handler(p, scope!) }
            }
        }
    }

    /// The shared prelude, in the order pages have always run it: origin, form, sign-in, token,
    /// permission; then the handler. Errors become `Pages.failure`'s page.
    private static func run(_ route: PageRoute, _ request: Request, _ context: AppContext, _ pages: Pages,
                            _ handler: @Sendable (PageRequest, Scope?) async throws -> Response) async throws -> Response {
        guard let page = context.page else { preconditionFailure("\(route.path) is a page route without PageContextMiddleware") }
        var p = PageRequest(request: request, context: context, page: page)
        do {
            if route.check == .sameOrigin, !Pages.sameOrigin(request) {
                throw DomainError.forbidden("sign in from this site's own page")
            }
            if route.body == .form {
                p.pairs = try await Pages.formPairs(request)
                p.form = Dictionary(p.pairs, uniquingKeysWith: { _, last in last })
            }
            var scope: Scope?
            if route.needs != .anyone {
                guard let s = page.scope else { return Pages.redirect(page.signInHref) }
                scope = s
            }
            if route.body == .multipart {
                if let boundary = Multipart.boundary(request.headers[.contentType]) {
                    var r = request
                    p.parts = Multipart.parse(Data(buffer: try await r.collectBody(upTo: APIBody.maxUpload)), boundary: boundary)
                    // the form's other fields read as a plain form's do
                    p.pairs = p.parts.filter { $0.filename == nil }.map { ($0.name, $0.text) }
                } else if request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
                    // a form that may carry files may come without any, as a plain form
                    p.pairs = try await Pages.formPairs(request)
                } else {
                    throw DomainError.badRequest("send the file as multipart/form-data")
                }
                p.form = Dictionary(p.pairs, uniquingKeysWith: { _, last in last })
            }
            p.signedForm = page.scope != nil && p.form["_csrf"].map { Secret.equal($0, page.csrf) } == true
            if route.check == .csrf, !p.signedForm {
                throw DomainError.forbidden("the form expired; reload the page and try again")
            }
            if case .permission(let o, let a) = route.needs { try scope?.require(o, a) }
            return try await handler(p, scope)
        } catch {
            if ErrorMeaning.of(error).status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return pages.failure(error, p.page)
        }
    }
}
