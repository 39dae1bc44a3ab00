import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The events capability's page addresses.
package enum EventURL: PageAddress, Equatable {
    case deleteCustomerEvents(String)

    package var path: String {
        switch self {
        case .deleteCustomerEvents(let id): "/customers/\(id)/events/delete"
        }
    }
}

/// The customer page's behaviour (the computed profile, what events did to the customer's fields,
/// the visits with their events) and the deletion of a person's events on request.
struct EventPages {
    let pages: Pages
    let events: EventStore

    var routes: [PageRoute] {
        [
            .post(EventURL.deleteCustomerEvents(":id"), needs: .can(.delete, .customers)) { p, scope in
                let id = p.parameter("id")
                guard p.form["confirm"] == "1" else {
                    return Pages.redirect(CustomerURL.customer(id).path + "?events=confirm#behaviour")
                }
                _ = try await events.deleteEvents(scope, customerID: id)
                return Pages.redirect(CustomerURL.customer(id).path + "?events=deleted#behaviour")
            },
        ]
    }

    /// Visits shown on the customer page, and the events read to find them.
    static let sessionsShown = 10
    static let eventsRead = 500

    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard scope.level(.customers, .read) != nil else { return [:] }
        let store = EventStore(db: pages.services.db, clock: pages.services.clock)
        let behaviour = try await store.behaviour(scope, customerID: customerID)
        // `?visits=` pages the visit list back in time (the cursor the older-visits link carries)
        let before = URLComponents(string: v.next)?.queryItems?.first { $0.name == "visits" }?.value
        let visits: BehaviourSessions
        do { visits = try await store.sessions(scope, customerID: customerID, limit: eventsRead, before: before, shown: sessionsShown) }
        catch is DomainError where before != nil {
            visits = try await store.sessions(scope, customerID: customerID, limit: eventsRead, shown: sessionsShown)
        }
        let links = try await store.linkDecisions(scope, customerID: customerID, limit: 10)
        guard behaviour != nil || !visits.events.isEmpty || !links.isEmpty || before != nil else { return [:] }
        let zone = TimeZone.current.identifier
        let t = { (k: String) in v.text(k) }
        func when(_ d: Date) -> String { v.fmt.dateTime(d, timeZone: zone) }
        var model: [String: Any] = ["csrf": v.csrf]
        if let b = behaviour {
            let p = b.profile, now = pages.services.clock.now()
            model["profile"] = Pages.model([
                "firstSeen": p.firstSeen.map(when), "lastSeen": p.lastSeen.map(when), "sessions": v.fmt.number(p.sessions),
                "views7": v.fmt.number(p.pageViews(days: 7, now: now)), "views30": v.fmt.number(p.pageViews(days: 30, now: now)),
                "products": p.products.isEmpty ? nil : p.products.prefix(8).joined(separator: "、"),
                "categories": p.categories.isEmpty ? nil : p.categories.prefix(8).joined(separator: "、"),
                "cart": p.cartValue.map { String(format: "%.2f", $0) }, "channel": p.lastChannel, "device": p.device,
                "traits": p.traits.sorted { $0.key < $1.key }.prefix(20).map { ["key": $0.key, "value": Self.text($0.value)] },
            ])
            // what events did to the customer's fields names emails, phones and birthdays: personal data
            if scope.level(.personalData, .read) != nil, !b.fields.isEmpty {
                model["fields"] = b.fields.map { f -> [String: Any] in
                    ["field": t("trait_field_" + f.field), "value": f.value, "action": t("trait_action_" + f.action), "actionKey": f.action,
                     "source": f.sourceName ?? "", "when": when(f.decidedAt), "at": Timestamp.iso8601(f.decidedAt)]
                }
                model["hasFields"] = true
            }
        }
        let shown = visits.sessions.prefix(sessionsShown).map { s -> [String: Any] in
            let minutes = Int((s.duration / 60).rounded(.up))
            return [
                "when": when(s.start), "at": Timestamp.iso8601(s.start),
                "duration": t("behaviour_minutes").replacingOccurrences(of: "{0}", with: v.fmt.number(max(minutes, 1))),
                "pages": t("behaviour_pages").replacingOccurrences(of: "{0}", with: v.fmt.number(s.pageViews)),
                "keyEvents": s.keyEvents,
                "events": s.items.reversed().prefix(50).map { i -> [String: Any] in
                    let e = visits.events[i]
                    return ["label": e.event ?? t("event_type_" + e.type), "type": t("event_type_" + e.type), "when": when(e.timestamp),
                            "at": Timestamp.iso8601(e.timestamp)]
                },
            ]
        }
        model["sessions"] = Array(shown)
        model["hasSessions"] = !shown.isEmpty
        if let older = visits.older {
            var c = URLComponents(); c.queryItems = [URLQueryItem(name: "visits", value: older)]
            model["olderHref"] = CustomerURL.customer(customerID).path + "?" + (c.percentEncodedQuery ?? "") + "#behaviour"
        }
        if before != nil { model["newestHref"] = CustomerURL.customer(customerID).path + "#behaviour" }
        model["hasVisitPages"] = model["olderHref"] != nil || model["newestHref"] != nil ? true : nil
        if !links.isEmpty {
            // the visitor ids are the person's own: shown to those who may read personal data
            let personal = scope.level(.personalData, .read) != nil
            let names = try await pages.services.customers.names(scope, ids: Set(links.flatMap { [$0.customerID, $0.otherCustomerID].compactMap { $0 } }))
            model["links"] = links.map { d -> [String: Any] in
                // the other side of the decision, as this customer's page sees it
                let other = d.customerID == customerID.lowercased() ? d.otherCustomerID : d.customerID
                return Pages.model(["reason": t("link_reason_" + d.reason), "reasonKey": d.reason, "ids": personal ? d.linked.prefix(5).joined(separator: ", ") : nil,
                                    "other": other.map { names[$0] ?? $0 }, "otherHref": other.map { CustomerURL.customer($0).path },
                                    "when": when(d.decidedAt), "at": Timestamp.iso8601(d.decidedAt)])
            }
            model["hasLinks"] = true
        }
        if scope.level(.customers, .delete) != nil {
            model["deleteHref"] = EventURL.deleteCustomerEvents(customerID).path
        }
        return ["behaviour": model]
    }

    /// A trait's value as text (objects and lists as JSON).
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        default: String(JSONCoding.encode(v).prefix(200))
        }
    }
}

/// The customer page's behaviour part and the stylesheet it needs.
enum EventTemplates {
    static let behaviour = """
    <section class="behaviour" id="behaviour"><h2>{{t.events_recent}}</h2>
      {{#profile}}<dl class="facts">
        {{#firstSeen}}<div><dt>{{t.behaviour_first_seen}}</dt><dd>{{firstSeen}}</dd></div>{{/firstSeen}}
        {{#lastSeen}}<div><dt>{{t.behaviour_last_seen}}</dt><dd>{{lastSeen}}</dd></div>{{/lastSeen}}
        <div><dt>{{t.behaviour_sessions}}</dt><dd>{{sessions}}</dd></div>
        <div><dt>{{t.behaviour_page_views}}</dt><dd>{{views7}} / {{views30}}</dd></div>
        {{#products}}<div><dt>{{t.behaviour_products}}</dt><dd>{{products}}</dd></div>{{/products}}
        {{#categories}}<div><dt>{{t.behaviour_categories}}</dt><dd>{{categories}}</dd></div>{{/categories}}
        {{#cart}}<div><dt>{{t.behaviour_cart}}</dt><dd>{{cart}}</dd></div>{{/cart}}
        {{#channel}}<div><dt>{{t.behaviour_channel}}</dt><dd>{{channel}}</dd></div>{{/channel}}
        {{#device}}<div><dt>{{t.behaviour_device}}</dt><dd>{{device}}</dd></div>{{/device}}
        {{#traits}}<div><dt>{{key}}</dt><dd>{{value}}</dd></div>{{/traits}}
      </dl>{{/profile}}
      {{#hasFields}}<h3>{{t.behaviour_fields}}</h3><ul class="related">{{#fields}}<li>{{field}}: {{value}} <span class="tag trait-{{actionKey}}">{{action}}</span> {{source}} <time datetime="{{at}}">{{when}}</time></li>{{/fields}}</ul>{{/hasFields}}
      {{#hasSessions}}<h3>{{t.behaviour_visits}}</h3>{{#sessions}}<details class="session"><summary><time datetime="{{at}}">{{when}}</time> · {{duration}} · {{pages}}{{#keyEvents}} <span class="tag">{{.}}</span>{{/keyEvents}}</summary><ul class="related">{{#events}}<li>{{label}} <span class="tag">{{type}}</span> <time datetime="{{at}}">{{when}}</time></li>{{/events}}</ul></details>{{/sessions}}{{/hasSessions}}
      {{#hasVisitPages}}<p class="meta visit-pages">{{#newestHref}}<a href="{{newestHref}}">{{t.behaviour_visits_newest}}</a> {{/newestHref}}{{#olderHref}}<a href="{{olderHref}}" rel="next">{{t.behaviour_visits_older}}</a>{{/olderHref}}</p>{{/hasVisitPages}}
      {{#hasLinks}}<h3>{{t.behaviour_links}}</h3><ul class="related">{{#links}}<li><span class="tag link-{{reasonKey}}">{{reason}}</span> {{#otherHref}}<a href="{{otherHref}}">{{other}}</a> {{/otherHref}}{{#ids}}<code>{{ids}}</code> {{/ids}}<time datetime="{{at}}">{{when}}</time></li>{{/links}}</ul>{{/hasLinks}}
      {{#deleteHref}}<form method="post" action="{{deleteHref}}" class="events-delete"><input type="hidden" name="_csrf" value="{{csrf}}"><label><input type="checkbox" name="confirm" value="1" required> {{t.behaviour_delete_confirm}}</label> <button class="danger">{{t.behaviour_delete}}</button></form>{{/deleteHref}}
    </section>
    """

    static let all: [String: String] = ["customer_behaviour": behaviour]

    static let css = """
    .behaviour details.session { border-top: 1px solid var(--line, #ddd); padding: .4rem 0; }
    .behaviour details.session summary { cursor: pointer; overflow-wrap: anywhere; }
    .behaviour .visit-pages { display: flex; flex-wrap: wrap; gap: 1rem; }
    .behaviour code { overflow-wrap: anywhere; }
    .behaviour .events-delete { margin-top: .8rem; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
    .tag.trait-kept, .tag.trait-taken, .tag.trait-invalid { opacity: .75; }
    """
}
