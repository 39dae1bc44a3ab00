import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The portal's small JSON API under `/portal/api` (for a shop's own pages or an app; the
/// contract outside checks use): ask for a code, sign in with it (the portal cookie; its CSRF
/// token in the answer, sent back as `X-CSRF-Token` on posts), and read one's own orders, quotes
/// and requests. What a customer sees is a projection: never staff fields (owners, notes).
struct PortalAPI: Sendable {
    let web: PortalWeb
    var portal: PortalStore { web.portal }

    /// `email`, or `phone` for a code by text message.
    struct CodeBody: Decodable { var email: String?; var phone: String?; var workspace: String? }
    struct SignInBody: Decodable { var email: String?; var phone: String?; var code: String; var workspace: String? }

    func register(_ r: RouterGroup<AppContext>) {
        let w = web
        w.route(r, .post, .api("sign-in/code"), .anyone, api: true) { p in
            let b = try await APIBody.json(CodeBody.self, p.request)
            if let phone = b.phone, b.email == nil {
                try await PortalPages(web: w).requestCode(p, phone: String(phone.prefix(40)))
            } else {
                guard let email = b.email else { throw DomainError.field("email", "is required (or phone, for a code by text message)") }
                try await PortalPages(web: w).requestCode(p, email: String(email.prefix(254)))
            }
            // the same answer whether or not the address is a customer's
            return APIResponse.json(["status": "sent"], status: .accepted).response
        }
        w.route(r, .post, .api("sign-in"), .anyone, api: true) { p in
            let b = try await APIBody.json(SignInBody.self, p.request)
            let s: IssuedPortalSession
            if let phone = b.phone, b.email == nil {
                s = try await portal.signIn(phone: String(phone.prefix(40)), code: String(b.code.prefix(20)), workspaceSlug: b.workspace, address: p.context.address)
            } else {
                guard let email = b.email else { throw DomainError.field("email", "is required (or phone, for a code by text message)") }
                s = try await portal.signIn(email: String(email.prefix(254)), code: String(b.code.prefix(20)), workspaceSlug: b.workspace, address: p.context.address)
            }
            var res = APIResponse.json(Me(s.visitor, csrf: true)).response
            res.headers.append(HTTPField(name: .setCookie, value: PortalWeb.sessionCookie(s.secret, maxAge: Int(portal.policy.absolute), request: p.request)))
            return res
        }
        w.route(r, .post, .api("sign-out"), .signedIn, api: true) { p in
            if let secret = p.request.cookies[PortalWeb.cookie]?.value { try await portal.signOut(secret) }
            var res = APIResponse.noContent.response
            res.headers.append(HTTPField(name: .setCookie, value: PortalWeb.sessionCookie("", maxAge: 0, request: p.request)))
            return res
        }
        w.route(r, .get, .api("me"), .signedIn, api: true) { p in APIResponse.json(Me(p.me, csrf: true)).response }
        w.route(r, .get, .api("orders"), .signedIn, api: true) { p in
            APIResponse.json(Items(items: try await portal.orders(p.me).map { PortalOrder($0, full: false) })).response
        }
        w.route(r, .get, .api("orders/:id"), .signedIn, api: true) { p in
            APIResponse.json(PortalOrder(try await portal.order(p.me, id: p.parameter("id")), full: true)).response
        }
        w.route(r, .get, .api("quotes"), .signedIn, api: true) { p in
            APIResponse.json(Items(items: try await portal.quotes(p.me).map(PortalQuote.init))).response
        }
        w.route(r, .get, .api("quotes/:id"), .signedIn, api: true) { p in
            APIResponse.json(PortalQuote(try await portal.quote(p.me, id: p.parameter("id")))).response
        }
        w.route(r, .get, .api("requests"), .signedIn, api: true) { p in
            APIResponse.json(Items(items: try await portal.requests(p.me).map { PortalRequest($0, messages: nil) })).response
        }
        w.route(r, .get, .api("requests/:id"), .signedIn, api: true) { p in
            let (t, messages, _) = try await portal.request(p.me, id: p.parameter("id"))
            return APIResponse.json(PortalRequest(t, messages: messages)).response
        }
    }
}

/// The signed-in customer.
struct Me: Encodable, Sendable {
    var customerID: String, name: String, email: String, organizationID: String?, organizationName: String?, role: String, csrf: String?
    init(_ v: PortalVisitor, csrf: Bool) {
        customerID = v.customerID; name = v.name; email = v.email; organizationID = v.organizationID; organizationName = v.organizationName
        role = v.role.rawValue; self.csrf = csrf ? v.csrf : nil
    }
    enum CodingKeys: String, CodingKey {
        case name, email, role, csrf, customerID = "customer_id", organizationID = "organization_id", organizationName = "organization_name"
    }
}

/// An order as its customer sees it: status, money, lines, payments, the collection plan and shipments with tracking numbers.
struct PortalOrder: Encodable, Sendable {
    struct Line: Encodable, Sendable { var name: String; var quantity: Int; var unitPrice: Int64; var total: Int64
        enum CodingKeys: String, CodingKey { case name, quantity, total, unitPrice = "unit_price" } }
    struct Pay: Encodable, Sendable { var kind: String; var amount: Int64; var method: String?; var paidAt: Date
        enum CodingKeys: String, CodingKey { case kind, amount, method, paidAt = "paid_at" } }
    struct Due: Encodable, Sendable { var dueDate: String; var amount: Int64; var covered: Int64; var overdue: Bool
        enum CodingKeys: String, CodingKey { case amount, covered, overdue, dueDate = "due_date" } }
    struct Ship: Encodable, Sendable { var carrier: String; var trackingNumber: String?; var shippedAt: Date; var deliveredAt: Date?
        enum CodingKeys: String, CodingKey { case carrier, trackingNumber = "tracking_number", shippedAt = "shipped_at", deliveredAt = "delivered_at" } }
    var id: String, number: String, status: String, currency: String, total: Int64, paid: Int64, outstanding: Int64, placedAt: Date
    var lines: [Line]?, payments: [Pay]?, plan: [Due]?, shipments: [Ship]?
    init(_ o: Order, full: Bool) {
        id = o.id; number = o.number; status = o.status.rawValue; currency = o.totals.currency; total = o.totals.total; paid = o.netPaid
        outstanding = o.outstanding; placedAt = o.placedAt
        guard full else { return }
        lines = o.lines.map { Line(name: $0.item.name, quantity: $0.item.quantity, unitPrice: $0.item.unitPrice, total: $0.item.total) }
        payments = (o.payments ?? []).map { Pay(kind: $0.kind.rawValue, amount: $0.amount, method: $0.method, paidAt: $0.paidAt) }
        plan = (o.plan ?? []).map { Due(dueDate: $0.dueDate, amount: $0.amount, covered: $0.covered, overdue: $0.overdue) }
        shipments = (o.shipments ?? []).map { Ship(carrier: $0.carrier, trackingNumber: $0.trackingNumber, shippedAt: $0.shippedAt, deliveredAt: $0.deliveredAt) }
    }
    enum CodingKeys: String, CodingKey {
        case id, number, status, currency, total, paid, outstanding, lines, payments, plan, shipments, placedAt = "placed_at"
    }
}

struct PortalQuote: Encodable, Sendable {
    var id: String, number: String, title: String, status: String, currency: String, total: Int64, validUntil: String?, orderID: String?
    init(_ q: Quote) {
        id = q.id; number = q.number; title = q.title; status = q.status.rawValue; currency = q.totals.currency; total = q.totals.total
        validUntil = q.validUntil; orderID = q.orderID
    }
    enum CodingKeys: String, CodingKey { case id, number, title, status, currency, total, validUntil = "valid_until", orderID = "order_id" }
}

/// A request as its customer sees it: the conversation without internal notes, files without who uploaded them.
struct PortalRequest: Encodable, Sendable {
    struct File: Encodable, Sendable { var id: String; var name: String; var size: Int }
    struct Message: Encodable, Sendable { var kind: String; var body: String; var createdAt: Date; var attachments: [File]
        enum CodingKeys: String, CodingKey { case kind, body, attachments, createdAt = "created_at" } }
    var id: String, number: Int, subject: String, type: String, status: String, createdAt: Date, messages: [Message]?
    init(_ t: Ticket, messages: [TicketMessage]?) {
        id = t.id; number = t.number; subject = t.subject; type = t.type.rawValue; status = t.status.rawValue; createdAt = t.createdAt
        self.messages = messages?.filter { $0.kind != .note }.map { m in
            Message(kind: m.kind == .customer ? "customer" : "staff", body: m.body, createdAt: m.createdAt,
                    attachments: m.attachments.map { File(id: $0.id, name: $0.name, size: $0.size) })
        }
    }
    enum CodingKeys: String, CodingKey { case id, number, subject, type, status, messages, createdAt = "created_at" }
}
