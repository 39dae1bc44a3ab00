import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The public pool (claim, release), handing a leaving member's work over, inviting a member by
/// email, and setting a password through a mailed link: pages over the access stores.
struct PoolPages {
    let pages: Pages
    var services: AppServices { pages.services }

    /// How long an invitation's set-password link stays valid.
    static let invitationLifetime: TimeInterval = 7 * 86_400

    var routes: [PageRoute] {
        [
            .get(AccessURL.pool, needs: .can(.read, .customers)) { p, scope in try await pool(p.request, p.page, scope, flash: nil) },
            .post(AccessURL.poolClaim, needs: .can(.update, .customers)) { p, scope in
                let id = p.form["customer_id"] ?? ""
                do {
                    try await services.pool.claim(scope, customerID: id)
                    return Pages.redirect(CustomerURL.customer(id.lowercased()).path)
                } catch let e as DomainError where e != .notFound("customer") {
                    return try await pool(p.request, p.page, scope, flash: ("bad", p.page.message(e)), status: Pages.status(e))
                }
            },
            .post(AccessURL.poolRelease, needs: .can(.update, .customers)) { p, scope in
                let id = p.form["customer_id"] ?? ""
                try await services.pool.release(scope, customerID: id)
                return Pages.redirect(CustomerURL.customer(id.lowercased()).path)
            },
            .get(AccessURL.handover(":id"), needs: .can(.update, .settings)) { p, scope in
                try await handover(p.page, scope, userID: p.parameter("id"), values: ["deactivate": "1"], errors: [:], flash: nil)
            },
            .post(AccessURL.handover(":id"), needs: .can(.update, .settings)) { p, scope in
                let v = p.page, id = p.parameter("id"), f = p.form
                do {
                    let to = (f["to_user_id"] ?? "").isEmpty ? [] : [f["to_user_id"]!]
                    let r = try await services.access.handover(scope, from: id.lowercased(), to: .users(to), deactivate: f["deactivate"] == "1")
                    let moved = Self.tables.compactMap { t, k in (r.moved[t] ?? 0) > 0 ? v.text(k) + " " + v.fmt.number(r.moved[t]!) : nil }
                    let text = v.text("handover_done") + " " + (moved.isEmpty ? "0" : moved.joined(separator: "、"))
                    return try await handover(v, scope, userID: id, values: [:], errors: [:], flash: ("ok", text))
                } catch let e as DomainError where e != .notFound("user") {
                    return try await handover(v, scope, userID: id, values: f, errors: Pages.fieldErrors(e), flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
            .get(AccessURL.invite, needs: .can(.update, .settings)) { p, scope in
                try await invite(p.page, scope, values: ["role": Role.salesRep.rawValue], errors: [:], flash: nil)
            },
            .post(AccessURL.invite, needs: .can(.update, .settings)) { p, scope in
                let v = p.page, f = p.form
                do {
                    let user = try await services.access.invite(scope, email: f["email"] ?? "", name: f["name"], role: f["role"] ?? "",
                                                                canMail: services.signIn.canMail)
                    let workspace = try await services.access.workspace(id: scope.workspaceID)?.name ?? ""
                    let inviter = try await pages.userName(scope.userID) ?? ""
                    try await services.signIn.mailResetLink(email: user.email, base: Self.base(p.request, services), lifetime: Self.invitationLifetime) { link in
                        (Self.fill(v.text("invite_mail_subject"), ["workspace": workspace]),
                         Self.fill(v.text("invite_mail_body"), ["workspace": workspace, "inviter": inviter, "link": link]))
                    }
                    return try await invite(v, scope, values: ["role": f["role"] ?? ""], errors: [:], flash: ("ok", v.text("invite_sent") + " " + user.email))
                } catch let e as DomainError {
                    return try await invite(v, scope, values: f, errors: Pages.fieldErrors(e), flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
            .open(AccessURL.passwordReset) { p in
                pages.page("password_reset", ["email": ""], title: p.page.text("reset_title"), visit: p.page)
            },
            .open(AccessURL.passwordReset, method: .post, body: .form, check: .sameOrigin) { p in
                let v = p.page, email = String((p.form["email"] ?? "").prefix(254)), base = Self.base(p.request, services)
                let subject = v.text("reset_mail_subject"), body = v.text("reset_mail_body"), signIn = services.signIn
                // the same answer whether or not the address is known, given before the mail goes out
                Task { _ = try? await signIn.mailResetLink(email: email, base: base) { link in (subject, Self.fill(body, ["link": link])) } }
                return pages.page("password_reset", ["sent": true], title: v.text("reset_title"), visit: v, flash: ("ok", v.text("reset_sent")))
            },
            .open(AccessURL.passwordResetConfirm) { p in
                pages.page("password_set", ["token": String((p.query("token") ?? "").prefix(200))], title: p.page.text("set_password_title"), visit: p.page)
            },
            .open(AccessURL.passwordResetConfirm, method: .post, body: .form, check: .sameOrigin) { p in
                let v = p.page, token = String((p.form["token"] ?? "").prefix(200))
                do {
                    try await services.signIn.resetPassword(token: token, new: p.form["password"] ?? "")
                    return pages.page("password_set", ["done": true], title: v.text("set_password_title"), visit: v, flash: ("ok", v.text("password_set")))
                } catch let e as DomainError {
                    let errors = Pages.fieldErrors(e)
                    return pages.page("password_set", Pages.model(["token": token, "error": errors["password"].map(v.localize)]),
                                      title: v.text("set_password_title"), visit: v, flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    /// Where links in mail point (`Pages.linkBase`).
    static func base(_ req: Request, _ services: AppServices) -> String {
        Pages.linkBase(req, publicURL: services.publicURL)
    }

    /// `text` with `{name}` replaced by each value.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        values.reduce(text) { out, kv in out.replacingOccurrences(of: "{" + kv.key + "}", with: kv.value) }
    }

    /// What handover moves, by table, with the word that names it.
    static let tables: [(String, String)] = [("customers", "customers"), ("leads", "leads"), ("deals", "deals"), ("quotes", "quotes"),
                                              ("orders", "orders"), ("tasks", "audit_tasks")]

    // MARK: Pages

    func pool(_ req: Request, _ v: PageContext, _ scope: Scope, flash: (kind: String, text: String)?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        var filter = CustomerFilter()
        filter.pool = true
        filter.stage = req.query("stage").flatMap(LifecycleStage.init(rawValue:))
        filter.tier = req.query("tier").flatMap { $0.isEmpty ? nil : String($0.prefix(50)) }
        filter.tag = req.query("tag").flatMap { $0.isEmpty ? nil : String($0.prefix(50)) }
        filter.source = req.query("source").flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        let cursor = req.query("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let page = try await services.customers.list(scope, filter: filter, sort: .updatedAt, cursor: cursor, limit: 50)
        let tiers = try await services.customers.rules(scope).tiers
        let f = try await pages.formatter(v, scope)
        let canClaim = scope.level(.customers, .update) != nil && scope.userID != nil
        var query = URLComponents()
        query.queryItems = [("stage", filter.stage?.rawValue), ("tier", filter.tier), ("tag", filter.tag), ("source", filter.source)]
            .compactMap { k, val in val.map { URLQueryItem(name: k, value: $0) } }
        let model = Pages.model([
            "csrf": v.csrf, "canClaim": canClaim, "claimHref": AccessURL.poolClaim.path, "tag": filter.tag ?? "", "source": filter.source ?? "",
            "stages": LifecycleStage.allCases.map { ["value": $0.rawValue, "label": v.stage($0), "selected": $0 == filter.stage] as [String: Any] },
            "tiers": tiers.map { ["value": $0, "selected": $0 == filter.tier] as [String: Any] },
            "hasRows": !page.items.isEmpty,
            "rows": page.items.map { c in
                Pages.model(["id": c.id, "name": c.name, "href": CustomerURL.customer(c.id).path, "organization": c.organizationName,
                             "stage": v.stage(c.stage), "tier": c.tier, "updated": f.string(from: c.updatedAt)])
            },
            "next": page.nextCursor.map { c in
                var q = query; q.queryItems = (q.queryItems ?? []) + [URLQueryItem(name: "cursor", value: c)]
                return AccessURL.pool.path + "?" + (q.percentEncodedQuery ?? "")
            },
        ])
        return pages.page("pool", model, title: t("pool"), visit: v, flash: flash, status: status)
    }

    func handover(_ v: PageContext, _ scope: Scope, userID: String, values: [String: String], errors: [String: DomainMessage],
                  flash: (kind: String, text: String)?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let members = try await services.access.members(scope)
        guard let leaver = members.first(where: { $0.id == userID.lowercased() }) else { throw DomainError.notFound("user") }
        let preview = leaver.active ? try await services.access.handoverPreview(scope, from: leaver.id) : [:]
        let counts = Self.tables.map { table, key in ["label": t(key), "count": v.fmt.number(preview[table] ?? 0)] }
        let model = Pages.model([
            "csrf": v.csrf, "heading": Self.fill(t("handover_title"), ["name": leaver.name]), "email": leaver.email, "active": leaver.active,
            "counts": counts, "nothing": preview.values.allSatisfy { $0 == 0 },
            "successors": members.filter { $0.active && $0.id != leaver.id }.map {
                ["value": $0.id, "label": $0.name + " · " + $0.email, "selected": $0.id == values["to_user_id"]] as [String: Any]
            },
            "deactivate": values["deactivate"] == "1", "error": errors["to_user_ids"].map(v.localize),
            "href": AccessURL.handover(leaver.id).path, "usersHref": SettingsURL.settings("users").path,
        ])
        return pages.page("handover", model, title: t("handover"), visit: v, flash: flash, status: status)
    }

    func invite(_ v: PageContext, _ scope: Scope, values: [String: String], errors: [String: DomainMessage],
                flash: (kind: String, text: String)?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let roles = try await services.access.roles(scope).filter { $0.builtIn && $0.key != Role.owner.rawValue }
        let fields = [("email", "email", "email"), ("name", "name", "text")].map { name, key, type in
            Pages.model(["name": name, "label": v.text(key), "type": type, "value": values[name] ?? "", "required": name == "email",
                         "error": errors[name].map(v.localize)])
        }
        let model = Pages.model([
            "csrf": v.csrf, "fields": fields, "href": AccessURL.invite.path, "usersHref": SettingsURL.settings("users").path,
            "roles": roles.map { ["value": $0.key, "label": $0.name, "selected": $0.key == values["role"]] as [String: Any] },
            "roleError": errors["role"].map(v.localize),
        ])
        return pages.page("invite", model, title: v.text("invite"), visit: v, flash: flash, status: status)
    }
}

extension PoolPages {
    /// On a customer's 360 page: release it to the pool (its owner, or whoever may assign it), or claim it from there.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard scope.level(.customers, .update) != nil, let me = scope.userID else { return [:] }
        let c = try await pages.services.customers.get(scope, id: customerID)
        guard let owner = c.ownerID else { return ["claimPoolHref": AccessURL.poolClaim.path, "poolCustomerID": c.id] }
        let mayRelease = owner == me || scope.level(.customers, .assign).map { scope.covers($0, RecordAccess(ownerID: owner)) } == true
        return mayRelease ? ["releaseHref": AccessURL.poolRelease.path, "poolCustomerID": c.id] : [:]
    }
}
