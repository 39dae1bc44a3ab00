import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The portal's pages: sign-in by a mailed code or link (the link opens a page with a button, so
/// a mail scanner that follows it signs nobody in), then the customer's orders (status, payments,
/// shipments with tracking numbers, the collection plan), quotes (accept, or ask a question that
/// becomes a service request), service requests (submit with files, follow, reply, rate) and
/// their own details and consent. Every page is the visitor's own: another customer's id is not found.
struct PortalPages: Sendable {
    let web: PortalWeb
    var portal: PortalStore { web.portal }

    func register(_ r: RouterGroup<AppContext>) {
        let w = web
        w.route(r, .get, .home, .anyone) { p in Pages.redirect(p.visitor == nil ? PortalURL.signIn.path : PortalURL.orders.path) }
        w.route(r, .get, .signIn, .anyone) { p in
            if p.visitor != nil { return Pages.redirect(PortalURL.orders.path) }
            return w.page("portal_sign_in", ["email": "", "phone": "", "workspace": p.request.uri.queryParameters.get("workspace").map { String($0) } ?? "",
                                             "texts": try await portal.textMessagesAvailable()],
                          title: p.v.text("portal_sign_in"), p)
        }
        // a code by mail, or (the phone field filled) by text message
        w.route(r, .post, .code, .anyone, body: .form) { p in
            let email = String((p.form["email"] ?? "").prefix(254)), phone = String((p.form["phone"] ?? "").prefix(40)).trimmed()
            let ws = String((p.form["workspace"] ?? "").prefix(60))
            do {
                if phone.isEmpty { try await requestCode(p, email: email) } else { try await requestCode(p, phone: phone) }
            } catch let e as DomainError {
                let fields = Pages.fieldErrors(e)
                return w.page("portal_sign_in", Pages.model(["email": email, "phone": phone, "workspace": ws, "texts": try await portal.textMessagesAvailable(),
                                                             "openPhone": !phone.isEmpty,
                                                             "emailError": fields["email"].map(p.v.localize), "phoneError": fields["phone"].map(p.v.localize)]),
                              title: p.v.text("portal_sign_in"), p, flash: fields.isEmpty ? (kind: "bad", text: p.v.message(e)) : nil, status: Pages.status(e))
            }
            return w.page("portal_code", codeModel(p, email: email, phone: phone, workspace: ws, code: ""), title: p.v.text("portal_enter_code"), p)
        }
        w.route(r, .post, .signIn, .anyone, body: .form) { p in
            let email = String((p.form["email"] ?? "").prefix(254)), phone = String((p.form["phone"] ?? "").prefix(40))
            let ws = String((p.form["workspace"] ?? "").prefix(60)), code = p.form["code"] ?? ""
            do {
                let s = phone.isEmpty
                    ? try await portal.signIn(email: email, code: code, workspaceSlug: ws.isEmpty ? nil : ws, address: p.context.address)
                    : try await portal.signIn(phone: phone, code: code, workspaceSlug: ws.isEmpty ? nil : ws, address: p.context.address)
                return Pages.redirect(PortalURL.orders.path, cookies: [PortalWeb.sessionCookie(s.secret, maxAge: Int(portal.policy.absolute), request: p.request)])
            } catch let e as DomainError {
                return w.page("portal_code", codeModel(p, email: email, phone: phone, workspace: ws, code: String(code.prefix(12))),
                              title: p.v.text("portal_enter_code"), p, flash: ("bad", p.v.message(e)),
                              status: { if case .unauthorized = e { return .unauthorized } else { return Pages.status(e) } }())
            }
        }
        w.route(r, .get, .link, .anyone) { p in
            w.page("portal_link", ["token": String((p.request.uri.queryParameters.get("token").map { String($0) } ?? "").prefix(100))],
                   title: p.v.text("portal_sign_in"), p)
        }
        w.route(r, .post, .link, .anyone, body: .form) { p in
            let s = try await portal.signIn(link: p.form["token"] ?? "", address: p.context.address)
            return Pages.redirect(PortalURL.orders.path, cookies: [PortalWeb.sessionCookie(s.secret, maxAge: Int(portal.policy.absolute), request: p.request)])
        }
        // Signing out ends the session and forgets the cookie, token or not (a sign-out that left the session alive would be a trap).
        PortalWeb.registered.withLock { _ = $0.insert("POST \(PortalURL.signOut.path)") }
        r.post(RouterPath(PortalURL.signOut.path)) { request, _ -> Response in
            if let secret = request.cookies[PortalWeb.cookie]?.value, !secret.isEmpty, secret.count < 200 { try await portal.signOut(secret) }
            return Pages.redirect(PortalURL.signIn.path, cookies: [PortalWeb.sessionCookie("", maxAge: 0, request: request)])
        }

        // Orders
        w.route(r, .get, .orders, .signedIn) { p in
            let v = p.v, f = try await w.formatter(p)
            let rows = try await portal.orders(p.me).map { o -> [String: Any] in
                Pages.model(["href": PortalURL.order(o.id).path, "number": o.number, "status": v.text("order_status_" + o.status.rawValue),
                             "placed": f.string(from: o.placedAt), "total": w.money(o.totals.total, o.totals.currency, v),
                             "due": o.outstanding > 0 && !o.status.isClosed ? w.money(o.outstanding, o.totals.currency, v) : nil])
            }
            return w.page("portal_orders", ["rows": rows], title: v.text("portal_orders"), p, flash: w.note(p))
        }
        w.route(r, .get, .order(":id"), .signedIn) { p in
            let v = p.v, f = try await w.formatter(p)
            let o = try await portal.order(p.me, id: p.parameter("id"))
            let c = o.totals.currency
            let model: [String: Any?] = [
                "id": o.id, "number": o.number, "status": v.text("order_status_" + o.status.rawValue), "placed": f.string(from: o.placedAt),
                "total": w.money(o.totals.total, c, v), "paid": w.money(o.netPaid, c, v), "outstanding": w.money(o.outstanding, c, v),
                "lines": o.lines.map { l in ["name": l.item.name, "quantity": String(l.item.quantity), "price": w.money(l.item.unitPrice, c, v),
                                             "total": w.money(l.item.total, c, v)] as [String: Any] },
                "shipments": (o.shipments ?? []).map { s in
                    Pages.model(["carrier": s.carrier, "tracking": s.trackingNumber, "shipped": f.string(from: s.shippedAt),
                                 "delivered": s.deliveredAt.map(f.string(from:))])
                },
                "payments": (o.payments ?? []).map { pay in
                    Pages.model(["kind": v.text(pay.kind == .refund ? "portal_refund" : "portal_payment"), "amount": w.money(pay.amount, c, v),
                                 "when": f.string(from: pay.paidAt), "method": pay.method])
                },
                "hasPlan": (o.plan ?? []).isEmpty ? nil : true,
                "plan": (o.plan ?? []).map { i -> [String: Any] in
                    let left = w.money(max(0, i.amount - i.covered), c, v)
                    let state = i.covered >= i.amount ? v.text("portal_plan_done")
                        : v.text(i.overdue ? "portal_plan_overdue" : "portal_plan_open").replacingOccurrences(of: "{a}", with: left)
                    return ["due": v.fmt.day(i.dueDate), "amount": w.money(i.amount, c, v), "state": state, "overdue": i.overdue && i.covered < i.amount]
                },
            ]
            return w.page("portal_order", Pages.model(model), title: v.text("portal_order") + " " + o.number, p)
        }

        // Quotes
        w.route(r, .get, .quotes, .signedIn) { p in
            let v = p.v
            let rows = try await portal.quotes(p.me).map { q -> [String: Any] in
                Pages.model(["href": PortalURL.quote(q.id).path, "number": q.number, "title": q.title, "status": v.text("quote_status_" + q.status.rawValue),
                             "total": w.money(q.totals.total, q.totals.currency, v), "valid": q.validUntil.map(v.fmt.day)])
            }
            return w.page("portal_quotes", ["rows": rows], title: v.text("portal_quotes"), p, flash: w.note(p))
        }
        w.route(r, .get, .quote(":id"), .signedIn) { p in try await quotePage(p) }
        w.route(r, .post, .quoteAction(":id", "accept"), .signedIn, body: .form) { p in
            let (_, order) = try await portal.accept(p.me, quoteID: p.parameter("id"))
            return PortalWeb.done(.order(order.id), note: "portal_accepted")
        }
        w.route(r, .post, .quoteAction(":id", "ask"), .signedIn, body: .form) { p in
            do {
                let t = try await portal.ask(p.me, quoteID: p.parameter("id"), subject: "", body: p.form["body"] ?? "")
                return PortalWeb.done(.request(t.id), note: "portal_question_sent")
            } catch let e as DomainError where Pages.fieldErrors(e)["body"] != nil {
                return try await quotePage(p, typed: p.form["body"] ?? "", error: e)
            }
        }

        // Service requests
        w.route(r, .get, .requests, .signedIn) { p in
            let v = p.v, f = try await w.formatter(p)
            let rows = try await portal.requests(p.me).map { t -> [String: Any] in
                ["href": PortalURL.request(t.id).path, "number": String(t.number), "subject": t.subject, "status": v.text("ticket_status_" + t.status.rawValue),
                 "type": v.text("ticket_type_" + t.type.rawValue), "created": f.string(from: t.createdAt)]
            }
            return w.page("portal_requests", ["rows": rows], title: v.text("portal_requests"), p, flash: w.note(p))
        }
        w.route(r, .get, .newRequest, .signedIn) { p in
            try await newRequestPage(p, typed: ["order_id": p.request.uri.queryParameters.get("order_id").map { String($0) } ?? ""])
        }
        w.route(r, .post, .requests, .signedIn, body: .multipart) { p in
            let f = p.form, files = PortalWeb.uploads(p.parts)
            do {
                let t = try await portal.submit(p.me, subject: f["subject"] ?? "", body: f["body"] ?? "", type: f["type"], orderID: f["order_id"],
                                                attachments: files)
                // the articles opened from suggestions in this session did not keep this request from coming
                if let secret = p.request.cookies[PortalWeb.cookie]?.value { try await web.pages.services.knowledge.requestSubmitted(session: Secret.hash(secret)) }
                return PortalWeb.done(.request(t.id), note: "portal_request_sent")
            } catch let e as DomainError where !Pages.fieldErrors(e).isEmpty {
                return try await newRequestPage(p, typed: f, error: e, files: files)
            }
        }
        w.route(r, .get, .request(":id"), .signedIn) { p in try await requestPage(p) }
        w.route(r, .post, .requestAction(":id", "reply"), .signedIn, body: .multipart) { p in
            let files = PortalWeb.uploads(p.parts)
            do {
                let t = try await portal.reply(p.me, id: p.parameter("id"), body: p.form["body"] ?? "", attachments: files)
                return PortalWeb.done(.request(t.id), note: "portal_replied")
            } catch let e as DomainError where !Pages.fieldErrors(e).isEmpty {
                return try await requestPage(p, typed: p.form, error: e, files: files)
            }
        }
        w.route(r, .post, .requestAction(":id", "rate"), .signedIn, body: .form) { p in
            do {
                switch try await portal.rate(p.me, id: p.parameter("id"), rating: p.form["rating"], nps: nil, comment: p.form["comment"]) {
                case .recorded, .alreadyAnswered: return PortalWeb.done(.request(p.parameter("id").lowercased()), note: "portal_rated")
                case .expired: return try await requestPage(p, flash: (kind: "bad", text: p.v.text("survey_expired")))
                }
            } catch let e as DomainError where !Pages.fieldErrors(e).isEmpty {
                return try await requestPage(p, typed: p.form, error: e)
            }
        }
        w.route(r, .get, .attachment(":id", ":file"), .signedIn) { p in
            let (a, data) = try await portal.attachment(p.me, ticketID: p.parameter("id"), id: p.parameter("file"))
            return PortalWeb.download(a, data)
        }

        // Details
        w.route(r, .get, .details, .signedIn) { p in try await detailsPage(p, flash: w.note(p)) }
        w.route(r, .post, .details, .signedIn, body: .form) { p in
            let f = p.form
            var consent: [String: ConsentStatus] = [:]
            for ch in ContactChannel.allCases { consent[ch.rawValue] = f["consent_" + ch.rawValue] == "granted" ? .granted : .denied }
            let preferred: ContactChannel?? = .some((f["preferred_channel"] ?? "").isEmpty ? nil : ContactChannel(rawValue: f["preferred_channel"] ?? ""))
            do {
                _ = try await portal.updateDetails(p.me, name: f["name"] ?? "", phones: Pages.list(f["phones"]), consent: consent,
                                                   preferredChannel: preferred, ifVersion: Int(f["version"] ?? ""))
                return PortalWeb.done(.details, note: "portal_saved")
            } catch let e as DomainError {
                return try await detailsPage(p, typed: f, error: e)
            }
        }
    }

    /// The code form's model: where the code went, said so.
    func codeModel(_ p: PortalVisit, email: String, phone: String, workspace: String, code: String) -> [String: Any] {
        phone.isEmpty
            ? ["email": email, "phone": "", "workspace": workspace, "code": code, "sent": p.v.text("portal_code_sent").replacingOccurrences(of: "{e}", with: email)]
            : ["email": "", "phone": phone, "workspace": workspace, "code": code, "sent": p.v.text("portal_code_texted").replacingOccurrences(of: "{e}", with: phone)]
    }

    func requestCode(_ p: PortalVisit, phone: String) async throws {
        let v = p.v
        try await portal.requestCode(phone: phone, address: p.context.address) { code in v.text("portal_text_body").replacingOccurrences(of: "{c}", with: code) }
    }

    func requestCode(_ p: PortalVisit, email: String) async throws {
        let v = p.v
        try await portal.requestCode(email: email, address: p.context.address, message: { code, link in
            (v.text("portal_mail_subject").replacingOccurrences(of: "{c}", with: code),
             v.text("portal_mail_body").replacingOccurrences(of: "{c}", with: code).replacingOccurrences(of: "{l}", with: link))
        }, linkBase: web.linkBase(p.request))
    }

    func quotePage(_ p: PortalVisit, typed: String = "", error: DomainError? = nil) async throws -> Response {
        let v = p.v, w = web
        let q = try await portal.quote(p.me, id: p.parameter("id"))
        let c = q.totals.currency
        let open = q.status == .sent
        let model: [String: Any?] = [
            "number": q.number, "title": q.title, "status": v.text("quote_status_" + q.status.rawValue), "valid": q.validUntil.map(v.fmt.day),
            "message": q.message, "terms": q.terms, "total": w.money(q.totals.total, c, v),
            "lines": q.lines.map { l in ["name": l.name, "quantity": String(l.quantity), "price": w.money(l.unitPrice, c, v),
                                         "total": w.money(l.total, c, v)] as [String: Any] },
            "orderHref": q.orderID.map { PortalURL.order($0).path },
            "canAccept": open && p.me.mayAccept(quoteFor: q.customerID) ? true : nil, "open": open ? true : nil,
            "acceptHref": PortalURL.quoteAction(q.id, "accept").path, "askHref": PortalURL.quoteAction(q.id, "ask").path,
            "body": typed, "bodyError": error.flatMap { Pages.fieldErrors($0)["body"] }.map(v.localize),
        ]
        return w.page("portal_quote", Pages.model(model), title: q.number, p, flash: error.map { (kind: "bad", text: v.message($0)) },
                      status: error.map(Pages.status) ?? .ok)
    }

    func newRequestPage(_ p: PortalVisit, typed: [String: String], error: DomainError? = nil, files: [AttachmentUpload] = []) async throws -> Response {
        let v = p.v
        let fields = error.map(Pages.fieldErrors) ?? [:]
        var orderNumber: String?
        let orderID = typed["order_id"] ?? ""
        if !orderID.isEmpty { orderNumber = try? await portal.order(p.me, id: orderID).number }
        let suggestions = try await PortalKnowledge(web: web).suggested(p, subject: typed["subject"] ?? "")
        let model: [String: Any?] = [
            "subject": typed["subject"] ?? "", "body": typed["body"] ?? "", "orderID": orderNumber == nil ? "" : orderID, "orderNumber": orderNumber,
            "types": PortalRules.requestTypes.map { t in
                ["value": t.rawValue, "label": v.text("ticket_type_" + t.rawValue), "selected": typed["type"] == t.rawValue] as [String: Any]
            },
            "subjectError": fields["subject"].map(v.localize), "bodyError": fields["body"].map(v.localize), "typeError": fields["type"].map(v.localize),
            "fileErrors": error.map { PortalWeb.fileErrors($0, files, v) },
            "suggestions": suggestions,
        ]
        return web.page("portal_new_request", Pages.model(model), title: v.text("portal_new_request"), p,
                        flash: error.map { (kind: "bad", text: v.message($0)) }, status: error.map(Pages.status) ?? .ok)
    }

    func requestPage(_ p: PortalVisit, typed: [String: String] = [:], error: DomainError? = nil, files: [AttachmentUpload] = [],
                     flash: (kind: String, text: String)? = nil) async throws -> Response {
        let v = p.v, w = web, f = try await w.formatter(p)
        let (t, messages, survey) = try await portal.request(p.me, id: p.parameter("id"))
        let fields = error.map(Pages.fieldErrors) ?? [:]
        let now = Date()
        let canRate = survey.map { SurveyRules.state($0, at: now) == .open } ?? false
        let model: [String: Any?] = [
            "number": String(t.number), "subject": t.subject, "status": v.text("ticket_status_" + t.status.rawValue),
            "type": v.text("ticket_type_" + t.type.rawValue), "created": f.string(from: t.createdAt),
            "messages": messages.map { m -> [String: Any] in
                ["side": m.kind == .customer ? "mine" : "theirs", "who": v.text(m.kind == .customer ? "portal_you" : "portal_staff"),
                 "when": f.string(from: m.createdAt), "body": m.body,
                 "files": m.attachments.map { a in ["name": a.name, "size": AttachmentRules.size(a.size), "href": PortalURL.attachment(t.id, a.id).path] }]
            },
            "replyHref": PortalURL.requestAction(t.id, "reply").path, "rateHref": PortalURL.requestAction(t.id, "rate").path,
            "rate": canRate ? true : nil,
            "stars": (1...5).map { n in ["value": String(n), "label": v.text("survey_star_\(n)"), "checked": typed["rating"] == String(n)] as [String: Any] },
            "comment": typed["comment"] ?? "",
            "rated": survey?.rating.map { v.text("survey_star_\($0)") },   // the flash thanks; this says what was given
            "ratingError": fields["rating"].map(v.localize),
            "body": typed["body"] ?? "", "bodyError": fields["body"].map(v.localize),
            "fileErrors": error.map { PortalWeb.fileErrors($0, files, v) },
        ]
        return w.page("portal_request", Pages.model(model), title: "#\(t.number)", p,
                      flash: flash ?? error.map { (kind: "bad", text: v.message($0)) } ?? w.note(p), status: error.map(Pages.status) ?? .ok)
    }

    func detailsPage(_ p: PortalVisit, typed: [String: String]? = nil, error: DomainError? = nil, flash: (kind: String, text: String)? = nil) async throws -> Response {
        let v = p.v
        let c = try await portal.details(p.me)
        let fields = error.map(Pages.fieldErrors) ?? [:]
        let preferred = typed.map { $0["preferred_channel"] ?? "" } ?? c.preferredChannel?.rawValue ?? ""
        let model: [String: Any?] = [
            "version": String(c.version), "name": typed?["name"] ?? c.name, "emails": c.emails.joined(separator: ", "),
            "phones": typed?["phones"] ?? c.phones.joined(separator: ", "),
            "consent": ContactChannel.allCases.map { ch in
                ["channel": ch.rawValue, "label": v.text("portal_consent_" + ch.rawValue),
                 "granted": typed.map { $0["consent_" + ch.rawValue] == "granted" } ?? (c.consent[ch.rawValue] == .granted)] as [String: Any]
            },
            "channels": ContactChannel.allCases.map { ch in
                ["value": ch.rawValue, "label": v.text("portal_consent_" + ch.rawValue), "selected": preferred == ch.rawValue] as [String: Any]
            },
            "nameError": fields["name"].map(v.localize), "phonesError": fields["phones"].map(v.localize),
        ]
        return web.page("portal_details", Pages.model(model), title: v.text("portal_details"), p,
                        flash: flash ?? error.map { (kind: "bad", text: v.message($0)) }, status: error.map(Pages.status) ?? .ok)
    }
}
