import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The canned replies settings page (administrators): the workspace's replies by title with a form
/// to add or change one — a title, words in 简体, 繁體 and English, the ticket type it is for and
/// whether agents are offered it. A refused form comes back with what was typed and each bad field
/// named (an unknown placeholder names its language).
struct CannedReplyPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(TicketURL.cannedReplies, needs: .can(.update, .settings)) { p, scope in
                let edit = p.query("edit")
                let editing = edit == nil ? nil : try await services.conversation.cannedReplies(scope).first { $0.id == edit }
                return try await page(p.page, scope, form: editing.map(Self.form) ?? [:])
            },
            .post(TicketURL.cannedAction(":action"), needs: .can(.update, .settings)) { p, scope in
                let f = p.form
                do {
                    switch p.parameter("action") {
                    case "save":
                        _ = try await services.conversation.saveCannedReply(scope, Self.reply(f), id: TicketPages.nonEmpty(f["id"]),
                                                                           ifVersion: f["version"].flatMap { Int($0) })
                    case "delete":
                        try await services.conversation.deleteCannedReply(scope, id: f["id"] ?? "")
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(TicketURL.cannedReplies.path)
                } catch let e as DomainError where e != .notFound("page") {
                    return try await page(p.page, scope, form: p.parameter("action") == "save" ? f : [:], error: e)
                }
            },
        ]
    }

    /// The form field of a language's body (`body_zh-Hans`).
    static func field(_ language: String) -> String { "body_" + language }

    static func reply(_ f: [String: String]) -> CannedReply {
        CannedReply(title: f["title"] ?? "", bodies: Dictionary(uniqueKeysWithValues: CannedReply.languages.map { ($0, f[field($0)] ?? "") }),
                    ticketType: TicketPages.nonEmpty(f["ticket_type"]).flatMap(TicketType.init(rawValue:)), active: f["active"] == "1")
    }

    /// A saved reply's values for the form.
    static func form(_ r: CannedReply) -> [String: String] {
        var f = ["id": r.id, "version": String(r.version), "title": r.title, "ticket_type": r.ticketType?.rawValue ?? "", "active": r.active ? "1" : ""]
        for l in CannedReply.languages { f[field(l)] = r.bodies[l] ?? "" }
        return f
    }

    func page(_ v: PageContext, _ scope: Scope, form: [String: String], error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let replies = try await services.conversation.cannedReplies(scope)
        let errors = (error.map(Pages.fieldErrors) ?? [:]).mapValues { v.localize($0) }
        let editing = !(form["id"] ?? "").isEmpty
        let model = Pages.model([
            "csrf": v.csrf, "listHref": TicketURL.tickets.path, "pageHref": TicketURL.cannedReplies.path,
            "saveHref": TicketURL.cannedAction("save").path, "deleteHref": TicketURL.cannedAction("delete").path,
            "editing": editing, "id": form["id"] ?? "", "version": form["version"] ?? "", "title": form["title"] ?? "",
            "titleError": errors["title"], "bodiesError": errors["bodies"],
            // a new reply starts active; a refused one keeps its box as sent
            "active": form.isEmpty || form["active"] == "1",
            "placeholders": CannedReplyText.placeholders.map { "{{" + $0 + "}}" }.joined(separator: " "),
            "languages": CannedReply.languages.map { l in
                Pages.model(["name": Self.field(l), "label": t("canned_body_" + l.replacingOccurrences(of: "-", with: "_").lowercased()),
                             "value": form[Self.field(l)] ?? "", "error": errors["bodies." + l], "lang": l])
            },
            "types": TicketType.allCases.map { ["value": $0.rawValue, "label": t("ticket_type_" + $0.rawValue), "selected": $0.rawValue == form["ticket_type"]] as [String: Any] },
            "hasReplies": !replies.isEmpty,
            "replies": replies.map { r in
                Pages.model(["id": r.id, "title": r.title, "active": r.active,
                             "type": r.ticketType.map { t("ticket_type_" + $0.rawValue) } ?? t("canned_type_any"),
                             "languages": CannedReply.languages.filter { !(r.bodies[$0] ?? "").isEmpty }
                                .map { t("canned_lang_" + $0.replacingOccurrences(of: "-", with: "_").lowercased()) }.joined(separator: " · "),
                             "editHref": TicketURL.cannedReplies.path + "?edit=" + r.id, "csrf": v.csrf,
                             "deleteHref": TicketURL.cannedAction("delete").path])
            },
        ])
        let flash = error.map { (kind: "bad", text: v.message($0)) }
        return pages.page("canned_replies", model, title: t("canned_replies"), visit: v, flash: flash, status: error.map(Pages.status) ?? .ok)
    }
}
