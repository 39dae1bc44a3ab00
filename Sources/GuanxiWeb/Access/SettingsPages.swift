import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform
import GuanxiWebSales

/// Settings: members and roles, teams, custom fields, your API tokens, and the audit log.
/// Every section is one table plus (where there is one) a form; the stores decide who may do what.
struct SettingsPages {
    let pages: Pages
    var services: AppServices { pages.services }

    /// `status` is the platform's page (`PlatformURL.status`), listed here for its tab.
    static let sections = ["users", "teams", "roles", "fields", "tags", "lead_rules", "lead_sources", "tokens", "audit", "status"]

    var routes: [PageRoute] {
        [
            .plain(SettingsURL.home) { _, _ in Pages.redirect(SettingsURL.settings("users").path) },
            .get(SettingsURL.settings(":section")) { p, scope in
                try await section(p.parameter("section"), p.request, p.page, scope, secret: nil)
            },
            .post(SettingsURL.settingsAction(":section", ":action")) { p, scope in
                let section = p.parameter("section"), action = p.parameter("action")
                if let secret = try await perform(section, action, p.form, scope) {
                    return try await self.section(section, p.request, p.page, scope, secret: secret)
                }
                return Pages.redirect(SettingsURL.settings(section).path)
            },
        ]
    }

    /// Carries out a settings form; answers a token secret to show once, if one was made.
    func perform(_ section: String, _ action: String, _ f: [String: String], _ scope: Scope) async throws -> String? {
        switch (section, action) {
        case ("users", let userID):
            try await services.access.setRole(scope, userID: userID, roleKey: f["role"] ?? "")
        case ("teams", "create"):
            _ = try await services.access.saveTeam(scope, name: f["name"] ?? "", kind: f["kind"] ?? "other", parentID: nil,
                                                   managerID: (f["manager_id"] ?? "").isEmpty ? nil : f["manager_id"], memberIDs: [])
        case ("fields", "create"):
            let def = CustomFieldDefinition(key: f["key"] ?? "", label: f["label"] ?? "", type: CustomFieldType(rawValue: f["type"] ?? "") ?? .text,
                                            sensitive: f["sensitive"] == "1", appliesTo: CustomFieldTarget(rawValue: f["applies_to"] ?? "") ?? .customers)
            _ = try await services.customFields.create(scope, def)
        case ("fields", let key):
            try await services.customFields.delete(scope, key: key)
        case ("tokens", "create"):
            guard let me = scope.userID else { throw DomainError.forbidden("only users have tokens") }
            let days = Int(f["days"] ?? "")
            return try await services.access.createToken(userID: me, workspaceID: scope.workspaceID, name: f["name"] ?? "",
                                                         expiresAt: days.map { Date().addingTimeInterval(Double($0) * 86_400) },
                                                         permissions: scope.tokenID == nil ? nil : scope.permissions.items).secret
        case ("tokens", let id):
            try await services.access.revokeToken(scope, id: id)
        case ("lead_rules", "create"):
            let list = { (k: String) in Pages.list(f[k]) }
            let rule = AssignmentRule(id: ID.make(), name: f["name"] ?? "", position: Int(f["position"] ?? "") ?? 100,
                                      conditions: LeadConditions(sources: list("sources"), provinces: list("provinces"), cities: list("cities"),
                                                                 products: list("products"), tiers: list("tiers")),
                                      method: AssignmentMethod(rawValue: f["method"] ?? "") ?? .pool,
                                      teamID: (f["team_id"] ?? "").isEmpty ? nil : f["team_id"], userID: (f["user_id"] ?? "").isEmpty ? nil : f["user_id"],
                                      responseMinutes: Int(f["response_minutes"] ?? ""))
            _ = try await services.assignmentRules.save(scope, rule)
        case ("lead_rules", let id):
            try await services.assignmentRules.delete(scope, id: id)
        case ("lead_sources", "create"):
            let s = try await services.leadSources.create(scope, kind: LeadSourceKind(rawValue: f["kind"] ?? "") ?? .form, name: f["name"] ?? "",
                                                          sourceLabel: f["source_label"], campaign: f["campaign"], doubleOptIn: f["double_opt_in"] == "1")
            return s.secret
        case ("lead_sources", let id):
            try await services.leadSources.disable(scope, id: id)
        case ("roles", "save"):
            // the grid: one choice per object and action (nothing, own … all)
            var permissions: [String] = []
            for o in AccessObject.allCases {
                for a in AccessAction.allCases {
                    if let level = f["p_\(o.rawValue)_\(a.rawValue)"].flatMap(AccessLevel.init(rawValue:)) { permissions.append("\(o.rawValue).\(a.rawValue):\(level.rawValue)") }
                }
            }
            _ = try await services.access.saveRole(scope, key: f["key"] ?? "", name: f["name"] ?? "", permissions: permissions)
        case ("tags", "rename"):
            _ = try await services.customers.renameTag(scope, from: f["from"] ?? "", to: f["to"] ?? "")
        default:
            throw DomainError.notFound("settings page")
        }
        return nil
    }

    func section(_ name: String, _ req: Request, _ v: PageContext, _ scope: Scope, secret: String?) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        let when = { (d: Date?) in d.map(f.string(from:)) ?? "" }
        func action(_ href: String, _ label: String, select: [String: Any]? = nil) -> [String: Any] {
            Pages.model(["href": href, "label": label, "csrf": v.csrf, "select": select])
        }
        var model: [String: Any] = ["csrf": v.csrf]
        var headers: [String] = []
        var rows: [[String: Any]] = []
        switch name {
        case "users":
            let roles = try await services.access.roles(scope)
            let canHandOver = scope.level(.settings, .update) != nil
            headers = [t("name"), t("email"), t("active"), t("role")]
            rows = try await services.access.members(scope).map { m in
                let options = roles.map { ["value": $0.key, "label": Self.roleName($0, v), "selected": $0.key == m.role] as [String: Any] }
                var change = action(SettingsURL.settingsAction("users", m.id).path, t("change_role"),
                                    select: ["name": "role", "label": t("role"), "options": options])
                if m.active && canHandOver { change["link"] = ["href": AccessURL.handover(m.id).path, "label": t("handover")] }
                return ["cells": [m.name, m.email, m.active ? t("member_active") : t("member_inactive")], "action": change, "anchor": "user-" + m.id]
            }
            if canHandOver { model["inviteHref"] = AccessURL.invite.path }
        case "teams":
            let members = try await services.access.members(scope)
            let byID = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let teams = try await services.access.teams(scope)
            let teamNames = Dictionary(teams.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            headers = [t("name"), t("type"), t("manager"), t("members")]
            rows = teams.map { team in
                ["cells": [team.name + (team.parentID.flatMap { teamNames[$0] }.map { " ← " + $0 } ?? ""), team.kind,
                           team.managerID.flatMap { byID[$0] } ?? "", team.memberIDs.compactMap { byID[$0] }.joined(separator: "、")],
                 "anchor": "team-" + team.id]
            }
            if scope.level(.settings, .update) != nil {
                model["form"] = form(SettingsURL.settingsAction("teams", "create").path, t("new_team"), t("create"), v, [
                    ["name": "name", "label": t("name"), "isText": true, "required": true],
                    ["name": "kind", "label": t("type"), "isSelect": true,
                     "choices": ["sales", "service", "marketing", "logistics", "product", "other"].map { ["value": $0, "label": $0] }],
                    ["name": "manager_id", "label": t("manager"), "isSelect": true,
                     "choices": [["value": "", "label": t("none")]] + members.map { ["value": $0.id, "label": $0.name] }],
                ])
            }
        case "roles":
            // each role as a grid: objects down, actions across, how far it reaches in each cell;
            // custom roles' cells are choices an administrator can change, and a new role starts empty
            let canEdit = scope.level(.settings, .update) != nil
            let roles = try await services.access.roles(scope)
            model["hint"] = t("perm_grid_hint")
            model["actionsHead"] = AccessAction.allCases.map { t("perm_act_" + $0.rawValue) }
            func cell(_ o: AccessObject, _ a: AccessAction, _ level: AccessLevel?, editable: Bool) -> [String: Any] {
                var c: [String: Any] = ["text": level.map { t("perm_level_" + $0.rawValue) } ?? "—", "granted": level != nil]
                if editable {
                    var options: [[String: Any]] = [["value": "", "label": "—", "selected": level == nil]]
                    for l in AccessLevel.allCases { options.append(["value": l.rawValue, "label": t("perm_level_" + l.rawValue), "selected": l == level]) }
                    let label = t("perm_obj_" + o.rawValue) + " · " + t("perm_act_" + a.rawValue)
                    c["select"] = ["name": "p_\(o.rawValue)_\(a.rawValue)", "label": label, "options": options] as [String: Any]
                }
                return c
            }
            func grid(_ granted: PermissionSet, editable: Bool) -> [[String: Any]] {
                AccessObject.allCases.map { o in
                    let cells: [[String: Any]] = AccessAction.allCases.map { a in cell(o, a, granted.level(o, a), editable: editable) }
                    return ["object": t("perm_obj_" + o.rawValue), "cells": cells]
                }
            }
            var grids: [[String: Any]] = []
            for r in roles {
                let set = (try? PermissionSet.parse(r.permissions)) ?? PermissionSet()
                let editable = canEdit && !r.builtIn
                grids.append(Pages.model(["anchor": "role-" + r.key, "name": Self.roleName(r, v), "kind": t(r.builtIn ? "role_builtin" : "role_custom"), "rows": grid(set, editable: editable),
                                          "form": editable ? Pages.model(["href": SettingsURL.settingsAction("roles", "save").path, "csrf": v.csrf, "key": r.key, "name": r.name]) : nil]))
            }
            if canEdit {
                grids.append(Pages.model(["name": t("new_role"), "isNew": true, "rows": grid(PermissionSet(), editable: true),
                                          "form": Pages.model(["href": SettingsURL.settingsAction("roles", "save").path, "csrf": v.csrf, "key": "", "name": "", "isNew": true])]))
            }
            model["roleGrids"] = grids
        case "fields":
            headers = [t("key"), t("label"), t("type"), t("field_applies_to"), t("sensitive")]
            let canEdit = scope.level(.settings, .update) != nil
            rows = try await services.customFields.list(scope).map { d in
                Pages.model(["cells": [d.key, d.label, t("field_type_" + d.type.rawValue), t("field_for_" + d.appliesTo.rawValue), d.sensitive ? t("yes") : t("no")],
                             "action": canEdit ? action(SettingsURL.settingsAction("fields", d.key).path, t("delete")) : nil])
            }
            if canEdit {
                model["form"] = form(SettingsURL.settingsAction("fields", "create").path, t("new_field"), t("create"), v, [
                    ["name": "key", "label": t("key"), "isText": true, "required": true],
                    ["name": "label", "label": t("label"), "isText": true, "required": true],
                    ["name": "type", "label": t("type"), "isSelect": true, "choices": CustomFieldType.allCases.map { ["value": $0.rawValue, "label": t("field_type_" + $0.rawValue)] }],
                    ["name": "applies_to", "label": t("field_applies_to"), "isSelect": true,
                     "choices": CustomFieldTarget.allCases.map { ["value": $0.rawValue, "label": t("field_for_" + $0.rawValue)] }],
                    ["name": "sensitive", "label": t("sensitive"), "isCheckbox": true],
                ])
            }
        case "tags":
            headers = [t("tags"), t("customers_count")]
            let canEdit = scope.level(.settings, .update) != nil
            rows = try await services.customers.tags(scope).map { tag in
                Pages.model(["cells": [tag.tag, v.fmt.number(tag.count)],
                             "action": canEdit ? Pages.model(["href": SettingsURL.settingsAction("tags", "rename").path, "label": t("rename_tag"), "csrf": v.csrf,
                                                              "hidden": ["name": "from", "value": tag.tag],
                                                              "input": ["name": "to", "label": t("rename_to") + " " + tag.tag, "value": tag.tag]]) : nil])
            }
            if canEdit { model["hint"] = t("rename_tag_hint") }
        case "lead_rules":
            let canEdit = scope.level(.settings, .update) != nil
            let members = try await services.access.members(scope)
            let teams = try await services.access.teams(scope)
            let userNames = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let teamNames = Dictionary(teams.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            headers = ["#", t("name"), t("rule_conditions"), t("rule_method"), t("rule_to"), t("rule_response_minutes")]
            rows = try await services.assignmentRules.list(scope).map { r in
                let c = r.conditions
                let conditions = [(t("lead_source"), c.sources), (t("lead_province"), c.provinces), (t("lead_city"), c.cities),
                                  (t("lead_product_interest"), c.products), (t("tier"), c.tiers)]
                    .filter { !$0.1.isEmpty }.map { "\($0.0)：\($0.1.joined(separator: "、"))" }.joined(separator: "；")
                let to = r.teamID.flatMap { teamNames[$0] } ?? r.userID.flatMap { userNames[$0] } ?? (r.method == .pool ? t("pool") : "")
                return Pages.model(["cells": [String(r.position), r.name + (r.active ? "" : " (" + t("no") + ")"), conditions.isEmpty ? t("rule_any") : conditions,
                                              t("rule_method_" + r.method.rawValue), to, r.responseMinutes.map { v.fmt.number($0) } ?? "—"],
                                    "action": canEdit ? action(SettingsURL.settingsAction("lead_rules", r.id).path, t("delete")) : nil])
            }
            if canEdit {
                model["hint"] = t("rules_hint")
                model["form"] = form(SettingsURL.settingsAction("lead_rules", "create").path, t("new_rule"), t("create"), v, [
                    ["name": "name", "label": t("name"), "isText": true, "required": true],
                    ["name": "position", "label": t("rule_position"), "isText": true],
                    ["name": "method", "label": t("rule_method"), "isSelect": true,
                     "choices": AssignmentMethod.allCases.map { ["value": $0.rawValue, "label": t("rule_method_" + $0.rawValue)] }],
                    ["name": "team_id", "label": t("rule_team"), "isSelect": true,
                     "choices": [["value": "", "label": t("none")]] + teams.map { ["value": $0.id, "label": $0.name] }],
                    ["name": "user_id", "label": t("rule_user"), "isSelect": true,
                     "choices": [["value": "", "label": t("none")]] + members.filter(\.active).map { ["value": $0.id, "label": $0.name] }],
                    ["name": "sources", "label": t("lead_source"), "isText": true],
                    ["name": "provinces", "label": t("lead_province"), "isText": true],
                    ["name": "cities", "label": t("lead_city"), "isText": true],
                    ["name": "products", "label": t("lead_product_interest"), "isText": true],
                    ["name": "tiers", "label": t("tier"), "isText": true],
                    ["name": "response_minutes", "label": t("rule_response_minutes"), "isText": true],
                ])
            }
        case "lead_sources":
            let canEdit = scope.level(.settings, .update) != nil
            headers = [t("name"), t("type"), t("source_address"), t("lead_source"), t("active")]
            rows = try await services.leadSources.list(scope).map { s in
                let address = s.kind == .form ? LeadURL.publicForm(s.publicKey).path : "/api/v1/hooks/leads/" + s.publicKey
                return Pages.model(["cells": [s.name, t("source_kind_" + s.kind.rawValue), address, s.sourceLabel ?? "", s.disabled ? t("no") : t("yes")],
                                    "action": canEdit && !s.disabled ? action(SettingsURL.settingsAction("lead_sources", s.id).path, t("disable")) : nil])
            }
            if canEdit {
                model["hint"] = t("sources_hint")
                model["form"] = form(SettingsURL.settingsAction("lead_sources", "create").path, t("new_source"), t("create"), v, [
                    ["name": "kind", "label": t("type"), "isSelect": true,
                     "choices": LeadSourceKind.allCases.map { ["value": $0.rawValue, "label": t("source_kind_" + $0.rawValue)] }],
                    ["name": "name", "label": t("name"), "isText": true, "required": true],
                    ["name": "source_label", "label": t("lead_source"), "isText": true],
                    ["name": "campaign", "label": t("lead_campaign"), "isText": true],
                    ["name": "double_opt_in", "label": t("double_opt_in"), "isSelect": true,
                     "choices": [["value": "0", "label": t("no")], ["value": "1", "label": t("double_opt_in_yes")]]],
                ])
            }
            if let secret { model["secret"] = secret }
        case "tokens":
            headers = [t("token_name"), t("prefix"), t("created"), t("last_used"), t("expires")]
            rows = try await services.access.tokens(scope).filter { $0.userID == scope.userID }.map { tk in
                Pages.model(["cells": [tk.name, tk.prefix + "…", when(tk.createdAt), when(tk.lastUsedAt), tk.revokedAt != nil ? t("revoked") : when(tk.expiresAt)],
                             "action": tk.revokedAt == nil ? action(SettingsURL.settingsAction("tokens", tk.id).path, t("revoke")) : nil])
            }
            model["form"] = form(SettingsURL.settingsAction("tokens", "create").path, t("new_token"), t("create"), v, [
                ["name": "name", "label": t("token_name"), "isText": true, "required": true],
                ["name": "days", "label": t("days"), "isText": true],
            ])
            if let secret { model["secret"] = secret }
        case "audit":
            let before = req.query("cursor").flatMap { Int64($0) }
            let page = try await services.audit.list(scope, actorUserID: req.query("actor_id"), object: req.query("object"), before: before, limit: 100)
            let names = Dictionary(try await services.access.members(scope).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            headers = ["#", t("time"), t("actor"), t("action"), t("object"), t("record")]
            let term = { (code: String) in v.words.strings[v.locale]?["audit_" + code] ?? code }
            rows = page.items.map { e in
                // the record the entry is about, linked to its page when its kind has one
                let link = e.objectID.flatMap { id in pages.recordPages[e.object].map { ["href": $0(id), "text": (e.object == "users" ? names[id] : nil) ?? id] } }
                return Pages.model(["cells": [String(e.seq), when(e.at), e.actorUserID.map { names[$0] ?? $0 } ?? "—", term(e.action), term(e.object)],
                                    "recordCell": Pages.model(["link": link, "plain": link == nil ? (e.objectID ?? "") : nil])])
            }
            // the filter offers what it accepts: the kinds of record the log names, and the members
            let object = req.query("object") ?? "", actor = req.query("actor_id") ?? ""
            let objects = Self.auditObjects.filter { v.words.strings[v.locale]?["audit_" + $0] != nil }.map { ($0, term($0)) }.sorted { $0.1 < $1.1 }
            model["filters"] = [
                "objects": [["value": "", "label": t("all"), "selected": object.isEmpty] as [String: Any]]
                    + objects.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == object] as [String: Any] },
                "actors": [["value": "", "label": t("all"), "selected": actor.isEmpty] as [String: Any]]
                    + names.sorted { $0.value < $1.value }.map { ["value": $0.key, "label": $0.value, "selected": $0.key == actor] as [String: Any] },
                "hint": t("audit_filter_hint"),
            ] as [String: Any]
            if let c = page.nextCursor { model["older"] = SettingsURL.settings("audit").path + "?cursor=" + c }
            model["verifyHref"] = SettingsURL.settings("audit").path + "?verify=1"
            // Verifying reads the whole chain, so it runs when asked.
            if req.query("verify") == "1", let check = try await services.audit.verify(workspaceID: scope.workspaceID).first {
                model["verify"] = check.ok ? ["kind": "ok", "text": "\(t("audit_ok")) \(check.entries) \(t("entries"))"]
                                           : ["kind": "bad", "text": "\(t("audit_broken")) \(check.problem ?? "")"]
            }
        default:
            throw DomainError.notFound("settings page")
        }
        let labels = ["users": "users", "teams": "teams", "roles": "roles", "fields": "fields_tab", "tags": "tags", "lead_rules": "lead_rules",
                      "lead_sources": "lead_sources", "tokens": "tokens", "audit": "audit", "status": "ops_status"]
        let visible = Self.sections.filter { s in
            switch s {
            case "tokens": true
            case "tags": scope.level(.customers, .read) != nil
            case "audit": scope.level(.audit, .read) != nil
            default: scope.level(.settings, .read) != nil
            }
        }
        model["tabs"] = visible.map { ["href": SettingsURL.settings($0).path, "label": t(labels[$0]!), "current": $0 == name] as [String: Any] }
        model["headers"] = rows.contains { $0["action"] != nil } ? headers + [t("actions")] : headers
        model["rows"] = rows
        return pages.page("settings", model, title: t("settings"), visit: v)
    }

    /// The kinds of record the audit log names (its `object`), offered by the filter when they have a word.
    static let auditObjects = ["customers", "leads", "deals", "orders", "quotes", "tasks", "tickets", "users", "roles", "teams", "memberships",
                               "api_tokens", "custom_fields", "pipelines", "price_lists", "products", "assignment_rules", "lead_sources",
                               "pool_rules", "sales_targets", "notes", "interactions", "relationships", "shares", "workspaces"]

    /// A role as people read it: a built-in role's name in the reader's language, a custom one as named.
    static func roleName(_ r: RoleDefinition, _ v: PageContext) -> String {
        r.builtIn ? v.text("role_" + r.key) : r.name
    }

    func form(_ href: String, _ title: String, _ button: String, _ v: PageContext, _ inputs: [[String: Any]]) -> [String: Any] {
        ["href": href, "title": title, "button": button, "csrf": v.csrf, "inputs": inputs]
    }
}
