import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The routing settings page (administrators): the rules in the order they are tried with a form
/// to add or change one, each department's members, and each agent's skills beside their open
/// tickets. A refused form comes back with what was typed and each bad field named.
struct RoutingPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(TicketURL.routing, needs: .can(.update, .settings)) { p, scope in
                let edit = p.query("edit")
                let editing = edit == nil ? nil : try await services.routing.rules(scope).first { $0.id == edit }
                return try await page(p.page, scope, form: editing.map(Self.form) ?? [:])
            },
            .post(TicketURL.routingAction(":action"), needs: .can(.update, .settings)) { p, scope in
                let f = p.form
                do {
                    switch p.parameter("action") {
                    case "save":
                        let id = TicketPages.nonEmpty(f["id"])
                        _ = try await services.routing.save(scope, try Self.draft(p.pairs).rule(), id: id, ifVersion: f["version"].flatMap { Int($0) })
                    case "delete":
                        try await services.routing.delete(scope, id: f["id"] ?? "")
                    case "skills":
                        _ = try await services.routing.saveSkills(scope, userID: f["user_id"] ?? "", skills: Pages.list(f["skills"]))
                    case "members":
                        let team = try await services.access.teams(scope).first { $0.id == f["team_id"] }
                        guard let team else { throw DomainError.notFound("team") }
                        _ = try await services.access.saveTeam(scope, id: team.id, name: team.name, kind: team.kind, parentID: team.parentID,
                                                               managerID: team.managerID, memberIDs: p.pairs.filter { $0.0 == "members" }.map(\.1))
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(TicketURL.routing.path)
                } catch let e as DomainError where e != .notFound("page") {
                    let action = p.parameter("action")
                    return try await page(p.page, scope, form: action == "save" ? Self.typed(p.pairs) : [:], error: e,
                                          skillsOf: action == "skills" ? f["user_id"] : nil, typedSkills: f["skills"])
                }
            },
        ]
    }

    /// A rule draft from the form's pairs (check boxes repeat their name; lists are comma separated).
    static func draft(_ pairs: [(String, String)]) -> RoutingRuleDraft {
        let f = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        var d = RoutingRuleDraft()
        d.name = f["name"] ?? ""; d.teamID = TicketPages.nonEmpty(f["team_id"]); d.strategy = f["strategy"]
        d.active = f["active"] == "1"
        if let raw = TicketPages.nonEmpty(f["position"]) { d.position = Int(raw) ?? -1 }
        d.conditions.types = pairs.filter { $0.0 == "types" }.map(\.1)
        d.conditions.channels = pairs.filter { $0.0 == "channels" }.map(\.1)
        d.conditions.tiers = Pages.list(f["tiers"]); d.conditions.keywords = Pages.list(f["keywords"])
        d.conditions.products = Pages.list(f["products"]); d.conditions.provinces = Pages.list(f["provinces"])
        return d
    }

    /// The form's values as typed, to show again.
    static func typed(_ pairs: [(String, String)]) -> [String: Any] {
        var out: [String: Any] = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        out["types"] = pairs.filter { $0.0 == "types" }.map(\.1)
        out["channels"] = pairs.filter { $0.0 == "channels" }.map(\.1)
        out["active"] = pairs.contains { $0 == ("active", "1") }
        return out
    }

    /// A saved rule's values for the form.
    static func form(_ r: RoutingRule) -> [String: Any] {
        let c = r.conditions
        return ["id": r.id, "version": String(r.version), "name": r.name, "position": String(r.position), "team_id": r.teamID,
                "strategy": r.strategy.rawValue, "active": r.active, "types": c.types.map(\.rawValue), "channels": c.channels.map(\.rawValue),
                "tiers": c.tiers.joined(separator: ", "), "keywords": c.keywords.joined(separator: ", "),
                "products": c.products.joined(separator: ", "), "provinces": c.provinces.joined(separator: ", ")]
    }

    func page(_ v: PageContext, _ scope: Scope, form: [String: Any], error: DomainError? = nil, skillsOf: String? = nil,
              typedSkills: String? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let rules = try await services.routing.rules(scope), teams = try await services.access.teams(scope)
        let agents = try await services.routing.agents(scope)
        let teamName = Dictionary(teams.map { ($0.id, $0.name) }) { a, _ in a }
        let errors = (error.map(Pages.fieldErrors) ?? [:]).mapValues { v.localize($0) }
        let list = { (k: String) in form[k] as? [String] ?? [] }
        let text = { (k: String) in form[k] as? String ?? "" }
        var values = form
        if values["active"] == nil { values["active"] = true }
        if values["position"] == nil { values["position"] = "100" }
        let model = Pages.model([
            "csrf": v.csrf, "listHref": TicketURL.tickets.path, "pageHref": TicketURL.routing.path,
            "saveHref": TicketURL.routingAction("save").path, "editing": !text("id").isEmpty, "form": values, "errors": errors,
            "hasRules": !rules.isEmpty,
            "rules": rules.map { r in
                let c = r.conditions
                let parts = [c.types.map { t("ticket_type_" + $0.rawValue) }, c.channels.map { t("ticket_channel_" + $0.rawValue) }, c.tiers,
                             c.keywords.map { "“\($0)”" }, c.products, c.provinces].flatMap { $0 }
                return ["id": r.id, "position": String(r.position), "name": r.name, "active": r.active,
                        "conditions": parts.isEmpty ? t("routing_any") : parts.joined(separator: "、"),
                        "department": teamName[r.teamID] ?? r.teamID, "strategy": t("routing_strategy_" + r.strategy.rawValue),
                        "editHref": TicketURL.routing.path + "?edit=" + r.id, "deleteHref": TicketURL.routingAction("delete").path, "csrf": v.csrf]
                    as [String: Any]
            },
            "teams": teams.map { ["value": $0.id, "label": $0.name, "selected": $0.id == text("team_id")] as [String: Any] },
            "strategies": RoutingStrategy.allCases.map { s in
                ["value": s.rawValue, "label": t("routing_strategy_" + s.rawValue),
                 "selected": s.rawValue == (text("strategy").isEmpty ? RoutingStrategy.leastLoaded.rawValue : text("strategy"))] as [String: Any]
            },
            "types": TicketType.allCases.map { ["value": $0.rawValue, "label": t("ticket_type_" + $0.rawValue), "selected": list("types").contains($0.rawValue)] },
            "channels": TicketChannel.allCases.map { ["value": $0.rawValue, "label": t("ticket_channel_" + $0.rawValue),
                                                      "selected": list("channels").contains($0.rawValue)] },
            "lists": ["tiers", "keywords", "products", "provinces"].map { k in
                Pages.model(["name": k, "label": t("routing_" + k), "value": text(k), "error": errors["conditions"]])
            },
            "departments": teams.map { team in
                ["id": team.id, "name": team.name, "csrf": v.csrf, "membersHref": TicketURL.routingAction("members").path,
                 "people": agents.map { ["value": $0.id, "label": $0.name, "selected": team.memberIDs.contains($0.id)] as [String: Any] }] as [String: Any]
            },
            "agents": agents.map { a in
                let mine = skillsOf == a.id
                return Pages.model(["id": a.id, "name": a.name, "open": String(a.openTickets), "csrf": v.csrf,
                                    "skills": mine ? typedSkills ?? "" : a.skills.joined(separator: ", "),
                                    "skillsHref": TicketURL.routingAction("skills").path, "error": mine ? errors["skills"] : nil])
            },
        ])
        let flash = error.map { (kind: "bad", text: v.message($0)) }
        return pages.page("routing", model, title: t("routing_title"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }
}
