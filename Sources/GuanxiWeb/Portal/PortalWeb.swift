import Foundation
import Synchronization
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// One portal request as its handler sees it: the visitor's language, the signed-in customer (if
/// any), and the form (checked for the session's CSRF token on every signed-in post).
struct PortalVisit: Sendable {
    let request: Request
    let context: AppContext
    var v: PageContext
    var visitor: PortalVisitor?
    var form: [String: String] = [:]
    var pairs: [(String, String)] = []
    var parts: [Multipart.Part] = []
    func parameter(_ name: String) -> String { context.parameters.get(name) ?? "" }
    /// The signed-in customer (routes that need one only run with one).
    var me: PortalVisitor { visitor! }
}

/// What every portal route shares: its own session cookie (`gx_portal`, path `/portal`, apart
/// from the staff's `gx_session`: neither opens the other's side), the visitor's language, the
/// form and its CSRF token, and its own layout. The routes sit outside the staff pages' table
/// (no staff session is looked up for them) and outside `/api/v1`.
struct PortalWeb: Sendable {
    let pages: Pages
    var portal: PortalStore { pages.services.portal }

    static let cookie = "gx_portal"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The session cookie's header value; `Secure` over TLS.
    static func sessionCookie(_ value: String, maxAge: Int, request: Request) -> String {
        "\(cookie)=\(value); Path=/portal; HttpOnly; SameSite=Lax; Max-Age=\(maxAge)" + (AuthMiddleware.overTLS(request) ? "; Secure" : "")
    }

    /// Where the links in code mails point: `GUANXI_PORTAL_URL` (the portal's own host name, which a
    /// proxy sends to `/portal`), else the server's public address, else the request's loopback host.
    static let portalURL: String? = ProcessInfo.processInfo.environment["GUANXI_PORTAL_URL"].flatMap {
        let s = $0.trimmingCharacters(in: .whitespaces)
        guard let u = URLComponents(string: s), u.scheme == "https" || u.scheme == "http", u.host != nil else { return nil }
        return s.hasSuffix("/portal") ? String(s.dropLast(7)) : (s.hasSuffix("/") ? String(s.dropLast()) : s)
    }

    func linkBase(_ request: Request) -> String {
        Self.portalURL ?? Pages.linkBase(request, publicURL: pages.services.publicURL)
    }

    enum Access { case anyone, signedIn }

    /// Every route the portal registers ("GET /portal/orders/:id"): the isolation test walks them all.
    static let registered = Mutex<Set<String>>([])

    /// Registers one route: `body` says what the post carries; `.signedIn` routes send visitors
    /// without a session to sign in (pages) or answer 401 (the API), and take posts only with the
    /// session's CSRF token (the `_csrf` field, or the `X-CSRF-Token` header for the API); open
    /// posts (sign-in) must come from this site's own pages.
    func route(_ router: RouterGroup<AppContext>, _ method: HTTPRequest.Method, _ address: PortalURL, _ access: Access,
               body: PageBody = .none, api: Bool = false, _ handler: @escaping @Sendable (PortalVisit) async throws -> Response) {
        Self.registered.withLock { _ = $0.insert("\(method.rawValue) \(address.path)") }
        router.on(RouterPath(address.path), method: method) { request, context -> Response in
            let locale = UILocale.pick(cookie: request.cookies[Pages.langCookie]?.value, acceptLanguage: request.headers[.acceptLanguage])
            let v = PageContext(locale: locale, next: Pages.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")), words: pages.words)
            var p = PortalVisit(request: request, context: context, v: v)
            do {
                if let secret = request.cookies[Self.cookie]?.value, !secret.isEmpty {
                    p.visitor = try await portal.visitor(secret)
                }
                if access == .signedIn, p.visitor == nil {
                    if api { throw DomainError.unauthorized("sign in to the customer portal first") }
                    return Pages.redirect(PortalURL.signIn.path)
                }
                switch body {
                case .none: break
                case .form:
                    p.pairs = try await Pages.formPairs(request)
                case .multipart:
                    if let boundary = Multipart.boundary(request.headers[.contentType]) {
                        var r = request
                        p.parts = Multipart.parse(Data(buffer: try await r.collectBody(upTo: APIBody.maxUpload)), boundary: boundary)
                        p.pairs = p.parts.filter { $0.filename == nil }.map { ($0.name, $0.text) }
                    } else {
                        p.pairs = try await Pages.formPairs(request)
                    }
                }
                p.form = Dictionary(p.pairs, uniquingKeysWith: { _, last in last })
                if method == .post {
                    if access == .signedIn {
                        let sent = api ? request.headers[Self.csrfHeader] : p.form["_csrf"]
                        guard let sent, Secret.equal(sent, p.me.csrf) else {
                            throw DomainError.forbidden("the form expired; reload the page and try again")
                        }
                    } else if !Pages.sameOrigin(request) {
                        throw DomainError.forbidden("sign in from this site's own page")
                    }
                }
                return try await handler(p)
            } catch {
                if api { throw error }
                if ErrorMeaning.of(error).status == .internalServerError {
                    context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
                }
                return failure(error, p)
            }
        }
    }

    // MARK: Rendering

    /// A page inside the portal's layout: the customer's links when signed in, the language switch, no staff links.
    func page(_ template: String, _ model: [String: Any], title: String, _ p: PortalVisit, flash: (kind: String, text: String)? = nil,
              status: HTTPResponse.Status = .ok) -> Response {
        let v = p.v
        var m = model
        // the language's words as the node every page shares (wrapping thousands of them per page was half its time)
        let t = pages.words.table(v.locale), words = pages.words.node(v.locale)
        m["t"] = words
        if let me = p.visitor { m["csrf"] = me.csrf }
        let content = pages.library.render(Rendering.wrap(m), withTemplate: template) ?? ""
        let path = String(v.next.prefix { $0 != "?" })
        let languages: [[String: Any]] = [("zh-Hans", "简体"), ("zh-Hant", "繁體"), ("en", "EN")].map { code, label in
            ["code": code, "label": label, "current": code == v.locale.rawValue,
             "next": v.next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/portal"]
        }
        let nav: [[String: Any]] = [(PortalURL.orders, "portal_orders"), (PortalURL.quotes, "portal_quotes"), (PortalURL.requests, "portal_requests"),
                                    (PortalURL.details, "portal_details"), (PortalURL.kb, "portal_kb")].map { address, key in
            Pages.model(["href": address.path, "label": t[key] ?? key,
                         "current": path == address.path || path.hasPrefix(address.path + "/") ? true : nil])
        }
        let who: String? = p.visitor.map { me in
            me.organizationName.map { v.text("portal_signed_in_for").replacingOccurrences(of: "{n}", with: me.name).replacingOccurrences(of: "{o}", with: $0) }
                ?? v.text("portal_signed_in_as").replacingOccurrences(of: "{n}", with: me.name)
        }
        let layout = Pages.model(["t": words, "lang": v.locale.htmlLang, "title": title, "content": content, "signedIn": p.visitor != nil ? true : nil,
                                  "nav": nav, "csrf": p.visitor?.csrf, "languages": languages, "who": who,
                                  "flash": flash.map { ["kind": $0.kind, "text": $0.text] as [String: Any] }])
        let html = pages.library.render(Rendering.wrap(layout), withTemplate: "portal_layout") ?? ""
        var h = HTTPFields()
        h[.contentType] = "text/html; charset=utf-8"
        h[.cacheControl] = "no-store"
        h[HTTPField.Name("X-Robots-Tag")!] = "noindex"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Any error as a portal page in the visitor's language: a record of someone else's is simply not found.
    func failure(_ error: any Error, _ p: PortalVisit) -> Response {
        var meaning = ErrorMeaning.of(error, on: .page)
        // sign-in's failures say what they are, as the staff sign-in's do
        if let d = error as? DomainError {
            if case .unauthorized = d { meaning.status = .unauthorized }
            if case .tooManyAttempts = d { meaning.status = .tooManyRequests }
        }
        let text: String
        if let d = error as? DomainError, case .notFound = d { text = p.v.text("portal_not_found") } else { text = p.v.message(error) }
        return page("portal_notice", ["text": text, "back": p.visitor == nil ? PortalURL.signIn.path : PortalURL.orders.path],
                    title: p.v.text("portal_title"), p, flash: nil, status: meaning.status)
    }

    /// A post's answer: back to a page (303), with a note for the next page in the flash cookie.
    static func done(_ to: PortalURL, note: String? = nil) -> Response {
        Pages.redirect(to.path + (note.map { "?note=" + $0 } ?? ""))
    }

    /// The note a redirect carried, as the flash of the page it landed on (only known notes: a
    /// link cannot make the page say anything else).
    static let notes: Set<String> = ["portal_saved", "portal_request_sent", "portal_accepted", "portal_rated", "portal_replied", "portal_question_sent"]
    func note(_ p: PortalVisit) -> (kind: String, text: String)? {
        guard let n = p.request.uri.queryParameters.get("note").map { String($0) }, Self.notes.contains(n) else { return nil }
        return ("ok", p.v.text(n))
    }

    // MARK: Formats

    func money(_ minor: Int64, _ currency: String, _ v: PageContext) -> String { v.fmt.money(minor: minor, currency: currency) }

    func formatter(_ p: PortalVisit) async throws -> DateFormatter {
        Formats.formatter(p.v.locale, try await pages.services.access.workspace(id: p.me.workspaceID)?.timeZone ?? "Asia/Shanghai")
    }

    /// The files of a multipart body: every part named `attachments` that carries a file name.
    static func uploads(_ parts: [Multipart.Part]) -> [AttachmentUpload] {
        parts.filter { $0.name == "attachments" && $0.filename != nil && !($0.filename!.isEmpty && $0.data.isEmpty) }
            .map { AttachmentUpload(name: $0.filename ?? "", declaredType: $0.contentType, data: $0.data) }
    }

    /// The refusals of a form's files, each naming its file.
    static func fileErrors(_ e: DomainError, _ uploads: [AttachmentUpload], _ v: PageContext) -> [String] {
        guard case .validation(let fields) = e else { return [] }
        return uploads.indices.compactMap { i in fields["attachments[\(i)]"].map { AttachmentRules.cleanName(uploads[i].name) + ": " + v.localize($0) } }
    }

    /// A download: saved rather than shown, never sniffed, sandboxed.
    static func download(_ a: TicketAttachment, _ data: Data) -> Response {
        APIResponse(status: .ok, body: data, headers: [
            "Content-Disposition": AttachmentRules.contentDisposition(a.name), "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'", "Cache-Control": "private, no-store",
        ], contentType: AttachmentRules.servedType(a.contentType)).response
    }
}
