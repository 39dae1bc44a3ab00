import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The event sources' settings pages' addresses.
package enum EventSourceURL: PageAddress, Equatable {
    case sources, newSource, source(String), sourceAction(String, String)

    package var path: String {
        switch self {
        case .sources: "/event-sources"
        case .newSource: "/event-sources/new"
        case .source(let id): "/event-sources/\(id)"
        case .sourceAction(let id, let action): "/event-sources/\(id)/\(action)"
        }
    }
}

/// Event sources for owners and administrators: the list with each source's counters and the form
/// to add one (its write key shown once), and a source's page with its key's actions and the live
/// debugger — the last events that arrived and the last refusals with their reasons.
struct EventSourcePages {
    let pages: Pages
    let events: EventStore

    var routes: [PageRoute] {
        [
            .get(EventSourceURL.sources, needs: .can(.update, .settings)) { p, scope in try await list(p.page, scope) },
            .post(EventSourceURL.newSource, needs: .can(.update, .settings)) { p, scope in
                let f = p.form
                do {
                    let issued = try await events.createSource(scope, name: f["name"] ?? "", allowedOrigins: Pages.list(f["allowed_origins"]))
                    return try await source(p.page, scope, issued.source.id, key: issued.writeKey)
                } catch let e as DomainError {
                    return try await list(p.page, scope, typed: f, error: e)
                }
            },
            .get(EventSourceURL.source(":id"), needs: .can(.update, .settings)) { p, scope in try await source(p.page, scope, p.parameter("id")) },
            .post(EventSourceURL.sourceAction(":id", ":action"), needs: .can(.update, .settings)) { p, scope in
                let id = p.parameter("id")
                switch p.parameter("action") {
                case "rotate":
                    let issued = try await events.rotateKey(scope, id: id)
                    return try await source(p.page, scope, id, key: issued.writeKey)
                case "enable", "disable":
                    _ = try await events.setEnabled(scope, id: id, p.parameter("action") == "enable")
                    return Pages.redirect(EventSourceURL.source(id).path)
                default: throw DomainError.notFound("page")
                }
            },
        ]
    }

    func zone() -> String { TimeZone.current.identifier }

    func list(_ v: PageContext, _ scope: Scope, typed: [String: String] = [:], error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let rows = try await events.sources(scope).map { s -> [String: Any] in
            Pages.model([
                "href": EventSourceURL.source(s.id).path, "name": s.name, "prefix": s.keyPrefix, "enabled": s.enabled,
                "state": t(s.enabled ? "event_source_enabled" : "event_source_disabled"),
                "received": v.fmt.number(s.received), "stored": v.fmt.number(s.stored), "duplicates": v.fmt.number(s.duplicates),
                "refused": v.fmt.number(s.refused), "last": s.lastEventAt.map { v.fmt.dateTime($0, timeZone: zone()) } ?? "—",
            ])
        }
        let errors = error.map(Pages.fieldErrors) ?? [:]
        let model = Pages.model([
            "csrf": v.csrf, "rows": rows, "hasRows": !rows.isEmpty, "name": typed["name"], "origins": typed["allowed_origins"],
            "nameError": errors["name"].map { v.localize($0) }, "originsError": errors["allowed_origins"].map { v.localize($0) },
        ])
        let flash: (String, String)? = error.flatMap { errors.isEmpty ? ("bad", v.message($0)) : nil }
        return pages.page("event_sources", model, title: t("event_sources"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }

    func source(_ v: PageContext, _ scope: Scope, _ id: String, key: String? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let a = try await events.activity(scope, sourceID: id)
        let s = a.source
        func when(_ d: Date) -> String { v.fmt.dateTime(d, timeZone: zone()) }
        let model = Pages.model([
            "csrf": v.csrf, "base": EventSourceURL.source(s.id).path, "name": s.name, "prefix": s.keyPrefix, "enabled": s.enabled,
            "state": t(s.enabled ? "event_source_enabled" : "event_source_disabled"), "key": key,
            "origins": s.allowedOrigins.isEmpty ? "—" : s.allowedOrigins.joined(separator: ", "),
            "received": v.fmt.number(s.received), "stored": v.fmt.number(s.stored), "duplicates": v.fmt.number(s.duplicates),
            "refused": v.fmt.number(s.refused), "last": s.lastEventAt.map(when) ?? "—",
            "events": a.events.map { e -> [String: Any] in
                ["label": e.event ?? t("event_type_" + e.type), "type": t("event_type_" + e.type), "who": e.userID ?? e.anonymousID ?? "",
                 "when": when(e.receivedAt), "at": Timestamp.iso8601(e.receivedAt),
                 "properties": String(JSONCoding.encode(e.properties).prefix(300))]
            },
            "hasEvents": !a.events.isEmpty,
            "refusals": a.refusals.map { r -> [String: Any] in
                Pages.model(["code": r.code, "message": r.message, "sample": r.sample, "when": when(r.at), "at": Timestamp.iso8601(r.at)])
            },
            "hasRefusals": !a.refusals.isEmpty,
        ])
        return pages.page("event_source", model, title: s.name, visit: v)
    }
}

/// Templates of the event sources' pages.
enum EventSourceTemplates {
    static let keyBox = """
    {{#key}}<div class="card event-key" role="status"><p>{{t.event_source_key_once}}</p><p><code>{{key}}</code></p></div>{{/key}}
    """

    static let list = """
    <section>
      <div class="head"><h1>{{t.event_sources}}</h1></div>
      <p class="meta">{{t.event_sources_intro}}</p>
      {{#hasRows}}<div class="scroll"><table class="list event-sources">
        <thead><tr><th scope="col">{{t.event_source_name}}</th><th scope="col">{{t.event_source_state}}</th><th scope="col">{{t.event_received}}</th><th scope="col">{{t.event_stored}}</th><th scope="col">{{t.event_duplicates}}</th><th scope="col">{{t.event_refused}}</th><th scope="col">{{t.event_last}}</th></tr></thead>
        <tbody>{{#rows}}<tr><td><a href="{{href}}">{{name}}</a> <code>{{prefix}}…</code></td><td><span class="tag{{^enabled}} off{{/enabled}}">{{state}}</span></td>
          <td>{{received}}</td><td>{{stored}}</td><td>{{duplicates}}</td><td>{{refused}}</td><td>{{last}}</td></tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.event_sources_none}}</p>{{/hasRows}}
      <form class="card" method="post" action="/event-sources/new" novalidate>
        <h2>{{t.event_source_new}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label class="{{#nameError}}invalid{{/nameError}}">{{t.event_source_name}} <span aria-hidden="true">*</span><input name="name" value="{{name}}" maxlength="100" required aria-invalid="{{#nameError}}true{{/nameError}}{{^nameError}}false{{/nameError}}"{{#nameError}} aria-errormessage="e-name"{{/nameError}}>{{#nameError}}<small class="error" id="e-name">{{nameError}}</small>{{/nameError}}</label>
        <label class="{{#originsError}}invalid{{/originsError}}">{{t.field_allowed_origins}}<textarea name="allowed_origins" rows="2" aria-invalid="{{#originsError}}true{{/originsError}}{{^originsError}}false{{/originsError}}"{{#originsError}} aria-errormessage="e-origins"{{/originsError}}>{{origins}}</textarea><small class="meta">{{t.event_source_origins_help}}</small>{{#originsError}}<small class="error" id="e-origins">{{originsError}}</small>{{/originsError}}</label>
        <div class="actions"><button class="primary">{{t.create}}</button></div>
      </form>
    </section>
    """

    static let source = """
    <section>
      <p><a href="/event-sources">{{t.event_sources}}</a></p>
      <div class="head"><h1>{{name}}</h1><span class="tag{{^enabled}} off{{/enabled}}">{{state}}</span></div>
      \(keyBox)
      <dl class="facts">
        <dt>{{t.event_source_key}}</dt><dd><code>{{prefix}}…</code></dd>
        <dt>{{t.field_allowed_origins}}</dt><dd>{{origins}}</dd>
        <dt>{{t.event_received}}</dt><dd>{{received}}</dd><dt>{{t.event_stored}}</dt><dd>{{stored}}</dd>
        <dt>{{t.event_duplicates}}</dt><dd>{{duplicates}}</dd><dt>{{t.event_refused}}</dt><dd>{{refused}}</dd>
        <dt>{{t.event_last}}</dt><dd>{{last}}</dd>
      </dl>
      <div class="actions event-source-actions">
        <form method="post" action="{{base}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{#enabled}}{{t.event_source_disable}}{{/enabled}}{{^enabled}}{{t.event_source_enable}}{{/enabled}}</button></form>
        <form method="post" action="{{base}}/rotate"><input type="hidden" name="_csrf" value="{{csrf}}"><button class="danger">{{t.event_source_rotate}}</button></form>
      </div>
      <h2>{{t.event_debugger}}</h2>
      <p class="meta">{{t.event_debugger_intro}}</p>
      <h3>{{t.event_refusals}}</h3>
      {{#hasRefusals}}<ul class="related event-refusals">{{#refusals}}<li><span class="tag">{{code}}</span> {{message}} <time datetime="{{at}}">{{when}}</time>{{#sample}}<pre>{{sample}}</pre>{{/sample}}</li>{{/refusals}}</ul>{{/hasRefusals}}
      {{^hasRefusals}}<p class="empty">{{t.event_refusals_none}}</p>{{/hasRefusals}}
      <h3>{{t.event_arrivals}}</h3>
      {{#hasEvents}}<ul class="related event-arrivals">{{#events}}<li>{{label}} <span class="tag">{{type}}</span> <code>{{who}}</code> <time datetime="{{at}}">{{when}}</time><pre>{{properties}}</pre></li>{{/events}}</ul>{{/hasEvents}}
      {{^hasEvents}}<p class="empty">{{t.event_arrivals_none}}</p>{{/hasEvents}}
    </section>
    """

    static let all: [String: String] = ["event_sources": list, "event_source": source]

    static let css = """
    .event-key code{word-break:break-all;font-size:1.05em}
    .scroll{overflow-x:auto}
    .event-source-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
    .event-source-actions form{display:inline}
    .event-refusals pre,.event-arrivals pre{white-space:pre-wrap;word-break:break-all;max-height:8rem;overflow:auto;margin:.25rem 0 0}
    """
}
