import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The knowledge base in the portal: published public articles, searched as customers are
/// searched (Chinese-aware), readable without signing in (the visitor's workspace, else the one
/// named by `?workspace=slug`, else the default one); while a customer types a request's subject,
/// matching articles are suggested (`/portal/api/kb/suggest`, called by `/portal/assets/portal.js`;
/// the form works without it). An article opened from a suggestion is remembered for the session:
/// if no request follows, the suggestion deflected it.
struct PortalKnowledge: Sendable {
    let web: PortalWeb
    var kb: KnowledgeStore { web.pages.services.knowledge }

    static let suggestions = 5
    /// Articles on a page of the portal's list (a phone's few screens; the next page is a link away).
    static let pageSize = 20

    func workspaceID(_ p: PortalVisit) async throws -> String {
        if let me = p.visitor { return me.workspaceID }
        let slug = p.request.uri.queryParameters.get("workspace").map { String($0) } ?? AccessStore.defaultWorkspaceSlug
        guard let ws = try await web.pages.services.access.workspace(slug: String(slug.prefix(60))) else { throw DomainError.notFound("article") }
        return ws.id
    }

    func register(_ r: RouterGroup<AppContext>) {
        let w = web
        w.route(r, .get, .kb, .anyone) { p in
            let v = p.v, q = String((p.request.uri.queryParameters.get("q").map { String($0) } ?? "").prefix(100))
            let page = try await kb.published(workspaceID: try await workspaceID(p), query: q.isEmpty ? nil : q, cursor: p.request.uri.queryParameters.get("cursor").map { String($0) },
                                              limit: Self.pageSize)
            let rows = page.items.map { a -> [String: Any] in
                let (lang, text) = a.text(in: v.locale.rawValue)
                return ["href": PortalURL.article(a.id).path, "title": text.title, "category": a.category, "lang": lang,
                        "excerpt": String(text.body.prefix(120))]
            }
            let next = page.nextCursor.map { c in
                PortalURL.kb.path + "?" + [("q", q), ("workspace", p.request.uri.queryParameters.get("workspace").map { String($0) } ?? ""), ("cursor", c)]
                    .filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            }
            return w.page("portal_kb", Pages.model(["q": q, "rows": rows, "nextHref": next]), title: v.text("portal_kb"), p)
        }
        w.route(r, .get, .article(":id"), .anyone) { p in
            let v = p.v
            let a = try await kb.publishedArticle(workspaceID: try await workspaceID(p), id: p.parameter("id"))
            if p.request.uri.queryParameters.get("from") == "suggest", let me = p.visitor, let secret = p.request.cookies[PortalWeb.cookie]?.value {
                try await kb.suggestionOpened(workspaceID: me.workspaceID, session: Secret.hash(secret), customerID: me.customerID, articleID: a.id)
            }
            let (lang, text) = a.text(in: v.locale.rawValue)
            return w.page("portal_article", ["title": text.title, "body": text.body, "lang": lang, "category": a.category], title: text.title, p)
        }
        w.route(r, .get, .api("kb/suggest"), .signedIn, api: true) { p in
            let q = String((p.request.uri.queryParameters.get("q").map { String($0) } ?? "").prefix(100))
            var found: [Article] = []
            if q.trimmingCharacters(in: .whitespaces).count >= 2 { found = try await kb.published(workspaceID: p.me.workspaceID, query: q, limit: Self.suggestions).items }
            return APIResponse.json(Items(items: found.map { Suggestion($0, p.v) })).response
        }
        PortalWeb.registered.withLock { _ = $0.insert("GET " + PortalURL.script.path) }
        r.get(RouterPath(PortalURL.script.path)) { _, _ -> Response in
            var h = HTTPFields(); h[.contentType] = "text/javascript; charset=utf-8"; h[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: Self.script)))
        }
    }

    /// Articles matching what was typed, for the request form (no script: shown when the form comes back).
    func suggested(_ p: PortalVisit, subject: String) async throws -> [[String: Any]] {
        let q = subject.trimmingCharacters(in: .whitespaces)
        guard q.count >= 2, let me = p.visitor else { return [] }
        return try await kb.published(workspaceID: me.workspaceID, query: String(q.prefix(100)), limit: Self.suggestions).items.map { a in
            let s = Suggestion(a, p.v)
            return ["title": s.title, "href": s.href]
        }
    }

    struct Suggestion: Encodable, Sendable {
        var id: String, title: String, href: String
        init(_ a: Article, _ v: PageContext) {
            id = a.id; title = a.text(in: v.locale.rawValue).text.title; href = PortalURL.article(a.id).path + "?from=suggest"
        }
    }

    /// Suggestions while the subject is typed: asks the server a moment after typing stops and
    /// lists the articles (opening in a new tab, so the form keeps what was typed).
    static let script = """
    (() => {
      const input = document.querySelector('[data-kb-subject]'), box = document.querySelector('[data-kb-suggest]');
      if (!input || !box) return;
      const list = box.querySelector('ul');
      let timer = null, last = '';
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const q = input.value.trim();
          if (q === last) return;
          last = q;
          if (q.length < 2) { box.hidden = true; return; }
          try {
            const r = await fetch('/portal/api/kb/suggest?q=' + encodeURIComponent(q), {credentials: 'same-origin'});
            if (!r.ok) return;
            const items = (await r.json()).items || [];
            list.replaceChildren(...items.map(a => {
              const li = document.createElement('li'), link = document.createElement('a');
              link.href = a.href; link.textContent = a.title; link.target = '_blank'; link.rel = 'noopener';
              li.append(link);
              return li;
            }));
            box.hidden = items.length === 0;
          } catch (e) { /* the form works without suggestions */ }
        }, 300);
      });
    })();
    """
}
