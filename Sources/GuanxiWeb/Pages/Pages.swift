import Foundation
import Hummingbird
import HTTPTypes
import Mustache
import GuanxiCore
import GuanxiStore

/// The server-rendered web application. Handlers read the form, call a store and render a page
/// model; every rule (access, masking, validation) stays in the stores.
package struct Pages {
    package let services: AppServices
    package let library: MustacheLibrary
    /// Every feature's stylesheet part, served as one `/assets/app.css`.
    package let stylesheet: String
    /// The platform's script and every feature's part, served as one `/assets/app.js`.
    package let script: String
    /// The main navigation, in the order the features list it.
    package let navigation: [NavItem]
    /// Every feature's words and messages.
    package let words: Words
    /// Every feature's part of the customer 360 page.
    package let customerParts: [CustomerPart]
    /// Every feature's blocks on the dashboard.
    package let dashboardParts: [DashboardPart]
    package let searchParts: [SearchPart]
    /// Every feature's record pages, by audit object name (`Feature.recordPages`).
    package let recordPages: [String: @Sendable (String) -> String]

    package init(services: AppServices, features: [Feature]) {
        self.services = services
        var lib = MustacheLibrary()
        for f in features {
            for (name, text) in f.templates { try! lib.register(Rendering.prepare(text), named: name) }   // the templates are part of the binary; a test renders each
        }
        self.library = lib
        self.stylesheet = features.map(\.stylesheet).filter { !$0.isEmpty }.joined(separator: "\n")
        self.script = ([Assets.js] + features.map(\.script).filter { !$0.isEmpty }).joined(separator: "\n")
        self.navigation = Self.navigation(features)
        self.words = Words(features: features)
        self.customerParts = features.compactMap(\.customerPart)
        self.dashboardParts = features.compactMap(\.dashboard)
        self.searchParts = features.compactMap(\.searchPart)
        self.recordPages = features.reduce(into: [:]) { all, f in all.merge(f.recordPages) { a, _ in a } }
    }

    /// The features' navigation links in the order of their positions.
    package static func navigation(_ features: [Feature]) -> [NavItem] { features.flatMap(\.navigation).sorted { $0.position < $1.position } }

    package static let langCookie = "gx_lang"

    // MARK: Request helpers

    /// What links in mail start with: `GUANXI_PUBLIC_URL`, else the address the request came to when
    /// that is this machine (a loopback host), else nothing — the link stays relative. Never a Host
    /// header a stranger chose: a password reset asked for with `Host: evil.example` would otherwise
    /// mail the victim a link that hands the token to that host.
    package static func linkBase(_ req: Request, publicURL: String?) -> String {
        linkBase(host: req.head.authority ?? req.headers[HTTPField.Name("Host")!], publicURL: publicURL)
    }

    package static func linkBase(host: String?, publicURL: String?) -> String {
        if let publicURL { return publicURL }
        let host = host ?? "127.0.0.1"
        // a name (or a bracketed IPv6 address), then at most ":port"
        let name = host.hasPrefix("[") ? String(host.dropFirst().prefix { $0 != "]" }) : String(host.prefix { $0 != ":" })
        let rest = host.dropFirst(host.hasPrefix("[") ? name.count + 2 : name.count)
        let port = rest.isEmpty || (rest.first == ":" && (2...6).contains(rest.count) && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        let loopback = name == "localhost" || name == "::1"
            || (name.hasPrefix("127.") && octets.count == 4 && octets.allSatisfy { $0.allSatisfy(\.isASCII) && UInt8($0) != nil })
        return loopback && port && (!host.hasPrefix("[") || host.dropFirst(name.count + 1).first == "]") ? "http://" + host : ""
    }

    /// True unless the browser says the form came from another site (`Origin`, else `Referer`).
    package static func sameOrigin(_ req: Request) -> Bool {
        guard let host = req.head.authority ?? req.headers[HTTPField.Name("Host")!] else { return true }
        let from = req.headers[HTTPField.Name("Origin")!] ?? req.headers[.referer]
        guard let from, from != "null", let h = URLComponents(string: from)?.host else { return from == nil }
        let port = URLComponents(string: from)?.port.map { ":\($0)" } ?? ""
        return h + port == host || h == host
    }

    /// The one rule for where a `next` or `back` address may send the browser: a path on this site,
    /// else the start page. The address is refused when any spelling of it — as given or
    /// percent-decoded, once or more — holds a control character (a tab or newline that a browser
    /// drops, turning `/\t/evil.example` into `//evil.example`) or a backslash (which browsers read
    /// as `/`), or does not start with exactly one `/`; then it must parse as a URL without scheme,
    /// user or host. What is kept is rebuilt from the parsed parts, non-ASCII percent-encoded.
    package static func safeNext(_ s: String?) -> String { localPath(s) ?? PlatformURL.start }

    /// `safeNext`'s rule: the address as a path on this site, or nil.
    package static func localPath(_ s: String?) -> String? {
        guard let s, !s.isEmpty, s.utf8.count <= 4096 else { return nil }
        var spelling = s
        for _ in 0..<4 {
            guard spelling.hasPrefix("/"), !spelling.hasPrefix("//"),
                  !spelling.unicodeScalars.contains(where: { $0 == "\\" || $0.properties.generalCategory == .control }) else { return nil }
            guard let decoded = spelling.removingPercentEncoding, decoded != spelling else { break }
            spelling = decoded
        }
        guard let encoded = s.addingPercentEncoding(withAllowedCharacters: Self.addressCharacters),
              let url = URLComponents(string: encoded), url.scheme == nil, url.host == nil, url.user == nil, url.password == nil, url.port == nil
        else { return nil }
        let path = url.percentEncodedPath
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return nil }
        return path + (url.percentEncodedQuery.map { "?" + $0 } ?? "") + (url.percentEncodedFragment.map { "#" + $0 } ?? "")
    }

    /// What an address may hold as it is: printable ASCII that needs no escaping in a URL (`%` stays: the address is already encoded).
    static let addressCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%#")

    /// Every name=value pair in order (check boxes repeat their name).
    package static func formPairs(_ req: Request) async throws -> [(String, String)] {
        var r = req
        let buffer = try await r.collectBody(upTo: APIBody.maxJSON)
        return String(decoding: Data(buffer: buffer), as: UTF8.self).split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (kv[0], kv.count > 1 ? kv[1] : "")
        }
    }

    /// A form field's list ("a, b；c" → ["a", "b", "c"]), split at ASCII and full-width separators.
    package static func list(_ s: String?) -> [String] {
        (s ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == ";" || $0 == "；" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A 303 to a page of this site: whatever the caller passes goes through `safeNext` once more.
    package static func redirect(_ to: String, cookies: [String] = []) -> Response {
        var h = HTTPFields()
        h[.location] = safeNext(to)
        for c in cookies { h.append(HTTPField(name: .setCookie, value: c)) }
        return Response(status: .seeOther, headers: h)
    }

    // MARK: Rendering

    package func page(_ template: String, _ model: [String: Any], title: String, visit v: PageContext, q: String = "",
              flash: (kind: String, text: String)? = nil, status: HTTPResponse.Status = .ok, bare: Bool = false) -> Response {
        var m = model
        let t = words.table(v.locale), node = words.node(v.locale)
        m["t"] = node
        let content = library.render(Rendering.wrap(m), withTemplate: template) ?? ""
        let languages: [[String: Any]] = [("zh-Hans", "简体"), ("zh-Hant", "繁體"), ("en", "EN")].map { code, label in
            ["code": code, "label": label, "current": code == v.locale.rawValue,
             "next": v.next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"]
        }
        let attention: String? = v.attention > 0 ? String(v.attention) : nil
        let path = String(v.next.prefix { $0 != "?" })
        let nav: [[String: Any]] = navigation.filter { item in item.reads.map { v.scope?.level($0, .read) != nil } ?? true }.map {
            Self.model(["label": t[$0.label] ?? $0.label, "href": $0.href, "attention": $0.badge ? attention : nil,
                        "current": Self.isCurrent($0.href, path) ? true : nil])
        }
        let layout = Self.model(["t": node, "lang": v.locale.htmlLang, "title": title, "content": content, "signedIn": v.scope != nil, "nav": nav,
                                 "settingsHome": v.scope?.level(.settings, .read) != nil ? "users" : "tokens",
                                 "settingsCurrent": Self.isCurrent("/settings", path) ? true : nil,
                                 "csrf": v.csrf, "q": q, "languages": languages,
                                 "flash": flash.map { ["kind": $0.kind, "text": $0.text] as [String: Any] }])
        let html = library.render(Rendering.wrap(layout), withTemplate: bare ? "bare_layout" : "layout") ?? ""
        var h = HTTPFields()
        h[.contentType] = "text/html; charset=utf-8"
        h[.cacheControl] = "no-store"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Whether a navigation link leads to the page at `path` (itself or a page under it).
    static func isCurrent(_ href: String, _ path: String) -> Bool { path == href || path.hasPrefix(href + "/") }

    /// The first step of making something for a customer (a deal, a quote, an order) when none was
    /// chosen yet: find the customer (recently changed ones first), then go on to `target` with it.
    package func pickCustomer(_ v: PageContext, _ scope: Scope, title: String, target: String, q: String?) async throws -> Response {
        let q = String((q ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let found = q.isEmpty ? try await services.customers.list(scope, filter: CustomerFilter(), sort: .updatedAt, limit: 20).items
                              : try await services.customers.search(scope, query: q, limit: 20)
        let model = Self.model([
            "heading": title, "target": target, "q": q,
            "rows": found.map { c in Self.model(["name": c.name, "organization": c.organizationName, "href": target + "?customer_id=" + c.id]) },
            "hasRows": !found.isEmpty,
        ])
        return page("customer_pick", model, title: title, visit: v)
    }

    /// Any error as a page in the user's language, with the status `ErrorMeaning` gives pages.
    package func failure(_ error: any Error, _ v: PageContext) -> Response {
        return page("customers", ["hasRows": false], title: v.text("customers"), visit: v,
                    flash: ("bad", v.message(error)), status: ErrorMeaning.of(error, on: .page).status)
    }

    /// The workspace's date formatter in the visitor's language.
    package func formatter(_ v: PageContext, _ workspace: Workspace?) -> DateFormatter { Formats.formatter(v.locale, workspace?.timeZone ?? "Asia/Shanghai") }

    /// A user's display name (owners on pages), nil for none.
    package func userName(_ id: String?) async throws -> String? {
        guard let id else { return nil }
        return try await services.access.user(id: id)?.name
    }

    /// The date formatter for the scope's workspace in the visitor's language.
    package func formatter(_ v: PageContext, _ scope: Scope) async throws -> DateFormatter {
        formatter(v, try await services.access.workspace(id: scope.workspaceID))
    }

    // MARK: Routes

    /// The pages every capability shares: assets, the home redirect, the language switch, sign-in and sign-out.
    package var platformRoutes: [PageRoute] {
        [
            .plain(PlatformURL.asset(":name")) { _, ctx in
                let name = ctx.parameters.get("name") ?? ""
                let (body, type): (String, String) = switch name {
                case "app.css": (stylesheet, "text/css; charset=utf-8")
                case "app.js": (script, "text/javascript; charset=utf-8")
                default: ("", "")
                }
                guard !body.isEmpty else { return Response(status: .notFound) }
                var h = HTTPFields(); h[.contentType] = type; h[.cacheControl] = "public, max-age=3600"
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: body)))
            },
            .get(PlatformURL.home) { p, scope in try await dashboardPage(p.page, scope) },
            .plain(PlatformURL.language) { req, _ in
                let lang = UILocale(rawValue: req.query("lang") ?? "") ?? .zhHans
                return Self.redirect(Self.safeNext(req.query("next")), cookies: ["\(Self.langCookie)=\(lang.rawValue); Path=/; Max-Age=31536000; SameSite=Lax"])
            },
            .open(PlatformURL.signIn) { p in
                var v = p.page
                v.next = Self.safeNext(p.query("next"))
                if v.scope != nil { return Self.redirect(v.next) }
                return page("sign_in", ["next": v.next, "email": ""], title: v.text("sign_in"), visit: v)
            },
            .open(PlatformURL.signIn, method: .post, body: .form, check: .sameOrigin) { p in
                var v = p.page
                v.next = Self.safeNext(p.form["next"])
                v.scope = nil
                do {
                    let s = try await services.signIn.signIn(email: p.form["email"] ?? "", password: p.form["password"] ?? "", code: p.form["code"], address: p.context.address)
                    return Self.redirect(v.next, cookies: [AuthMiddleware.sessionCookie(s.secret, maxAge: Int(services.signIn.policy.absolute), request: p.request)])
                } catch let e as DomainError {
                    let text: String = if case .tooManyAttempts(let m) = e { v.localize(m) } else { v.text("error_sign_in") }
                    return page("sign_in", ["next": v.next, "email": p.form["email"] ?? ""], title: v.text("sign_in"), visit: v,
                                flash: ("bad", text), status: .unauthorized)
                }
            },
            .plain(PlatformURL.metrics) { req, ctx in try await MetricsEndpoint.answer(req, ctx, services) },
            .get(PlatformURL.status, needs: .can(.read, .settings)) { p, scope in
                StatusPage.render(try await StatusReport.make(services, scope), pages: self, visit: p.page, formatter: try await formatter(p.page, scope))
            },
            // Signing out ends the session and forgets the cookie, with or without the form's CSRF token:
            // ending a session is safe, and a sign-out that left the session alive would be a trap.
            .open(PlatformURL.signOut, method: .post, body: .form) { p in
                if let secret = p.request.cookies[AuthMiddleware.cookie]?.value, !secret.isEmpty, secret.count < 200 {
                    try await services.signIn.signOut(secret)
                }
                return Self.redirect(PlatformURL.signIn.path, cookies: [AuthMiddleware.sessionCookie("", maxAge: 0, request: p.request)])
            },
        ]
    }

    /// A template model without the absent values (Mustache would take a wrapped nil for "present").
    package static func model(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }

    /// Field errors keyed by form field (`phones[1]` → `phones`).
    package static func fieldErrors(_ e: DomainError) -> [String: DomainMessage] {
        var out: [String: DomainMessage] = [:]
        switch e {
        case .validation(let f): for (k, m) in f { out[String(k.split(separator: "[").first ?? Substring(k)).split(separator: ".").first.map(String.init) ?? k] = m }
        case .duplicate(let field, _, let m): out[field] = m
        default: break
        }
        return out
    }

    /// The status a page answers with when it re-shows its form with a domain error.
    package static func status(_ e: DomainError) -> HTTPResponse.Status { ErrorMeaning.of(e, on: .form).status }
}
