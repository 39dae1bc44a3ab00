import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` service desk: tickets with their conversation and statuses, and the business
/// calendars and SLA policies their due times are planned with.
struct TicketAPI {
    let tickets: TicketStore
    let settings: ServiceSettingsStore
    let surveys: SurveyStore

    struct TicketInput: Decodable {
        var customerID: String; var subject: String; var body: String
        var type: String?; var priority: String?; var channel: String?
        var teamID: String?; var assigneeID: String?; var orderID: String?; var productID: String?; var tags: [String]?
        var custom: [String: JSONValue]?
        enum CodingKeys: String, CodingKey {
            case subject, body, type, priority, channel, tags, custom
            case customerID = "customer_id", teamID = "team_id", assigneeID = "assignee_id", orderID = "order_id", productID = "product_id"
        }
        var draft: TicketDraft {
            var d = TicketDraft()
            d.customerID = customerID; d.subject = subject; d.body = body; d.type = type; d.priority = priority; d.channel = channel
            d.teamID = teamID; d.assigneeID = assigneeID; d.orderID = orderID; d.productID = productID; d.tags = tags ?? []; d.custom = custom
            return d
        }
    }
    struct PatchInput: Decodable {
        var change = TicketChange()
        enum CodingKeys: String, CodingKey { case type, priority, tags, custom, teamID = "team_id", assigneeID = "assignee_id", productID = "product_id" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            change.type = try c.decodeIfPresent(String.self, forKey: .type)
            change.priority = try c.decodeIfPresent(String.self, forKey: .priority)
            change.tags = try c.decodeIfPresent([String].self, forKey: .tags)
            change.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
            // present and null clears; absent leaves as is
            if c.contains(.teamID) { change.teamID = .some(try c.decodeIfPresent(String.self, forKey: .teamID)) }
            if c.contains(.assigneeID) { change.assigneeID = .some(try c.decodeIfPresent(String.self, forKey: .assigneeID)) }
            if c.contains(.productID) { change.productID = .some(try c.decodeIfPresent(String.self, forKey: .productID)) }
        }
    }
    struct MessageInput: Decodable { var kind: TicketMessage.Kind?; var body: String; var status: TicketStatus? }
    struct StatusInput: Decodable { var status: TicketStatus }
    struct MessageAnswer: Encodable, Sendable { var ticket: Ticket; var message: TicketMessage }
    /// The ticket's latest survey, `null` before its first resolution.
    struct SurveyAnswer: Encodable, Sendable {
        var survey: TicketSurvey?
        enum CodingKeys: String, CodingKey { case survey }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(survey, forKey: .survey)
        }
    }
    struct PolicyInput: Decodable {
        var name: String; var position: Int?; var types: [TicketType]?; var channels: [TicketChannel]?; var tiers: [String]?
        var targets: [String: SLATargets]; var calendar: String?; var active: Bool?
    }

    /// A message as JSON, or as multipart/form-data: the fields `kind`, `body`, `status` and the files in `attachments` parts.
    static func messageInput(_ req: Request) async throws -> (MessageInput, [AttachmentUpload]) {
        guard let boundary = Multipart.boundary(req.headers[.contentType]) else { return (try await APIBody.json(MessageInput.self, req), []) }
        let parts = Multipart.parse(try await APIBody.bytes(req, limit: APIBody.maxAttachments), boundary: boundary)
        let field = { (n: String) in parts.last { $0.name == n && $0.filename == nil }?.text }
        var e = FieldErrors()
        let kind = field("kind").flatMap { k in TicketMessage.Kind(rawValue: k) ?? { e.add("kind", .oneOf(TicketMessage.Kind.self)); return nil }() }
        let status = field("status").flatMap { s in
            s.isEmpty ? nil : TicketStatus(rawValue: s) ?? { e.add("status", .oneOf(TicketStatus.self)); return nil }()
        }
        if field("body") == nil { e.add("body", .required) }
        try e.throwIfAny()
        return (MessageInput(kind: kind, body: field("body") ?? "", status: status), AttachmentWeb.uploads(parts))
    }

    func register(_ t: RouteTable) {
        let tag = "Service"
        t.on(APIRoute(method: .post, path: "/tickets", operationID: "createTicket",
                      summary: "Open a ticket for a customer with their first message; answers its SLA due times", tag: tag,
                      needs: .can(.create, .tickets), requestSchema: "TicketInput", responseSchema: "Ticket", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await tickets.get(scope, id: id) }) { req, _, scope in
            let ticket = try await tickets.create(scope, try await APIBody.json(TicketInput.self, req).draft)
            return .json(ticket, status: .created, etag: ticket.version)
        }
        t.on(APIRoute(method: .get, path: "/tickets", operationID: "listTickets", summary: "Tickets the caller may see, newest first; queue: mine, departments, unassigned, waiting, breached or all; q: words of the subject or conversation", tag: tag,
                      needs: .can(.read, .tickets), query: ["queue", "status", "assignee_id", "team_id", "customer_id", "q", "cursor", "limit"],
                      responseSchema: "TicketPage", queryValues: ["status": .cases(TicketStatus.self), "queue": .cases(TicketQueue.self)])) { req, _, scope in
            var e = FieldErrors()
            for k in ["assignee_id", "team_id", "customer_id"] { if let v = req.query(k), !ID.isValid(v) { e.add(k, "is not a valid id") } }
            try e.throwIfAny()
            return .json(try await tickets.list(scope, queue: req.query("queue"), status: req.query("status"), assigneeID: req.query("assignee_id"), teamID: req.query("team_id"),
                                                customerID: req.query("customer_id"), search: req.query("q"), cursor: req.query("cursor"),
                                                limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}", operationID: "getTicket", summary: "Read a ticket", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "Ticket")) { _, ctx, scope in
            let ticket = try await tickets.get(scope, id: try ctx.parameters.require("id"))
            return .json(ticket, etag: ticket.version)
        }
        t.on(APIRoute(method: .patch, path: "/tickets/{id}", operationID: "updateTicket",
                      summary: "Change type, priority, department, assignee, tags, product or custom fields (If-Match); due times are planned again", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "TicketPatch", responseSchema: "Ticket")) { req, ctx, scope in
            let ticket = try await tickets.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(PatchInput.self, req).change,
                                                  ifVersion: try req.ifMatchVersion())
            return .json(ticket, etag: ticket.version)
        }
        t.on(APIRoute(method: .post, path: "/tickets/{id}/status", operationID: "setTicketStatus",
                      summary: "Move a ticket to another status (waiting and finished states stop the SLA clock)", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "TicketStatusInput", responseSchema: "Ticket", ifMatch: true)) { req, ctx, scope in
            let ticket = try await tickets.setStatus(scope, id: try ctx.parameters.require("id"), to: try await APIBody.json(StatusInput.self, req).status,
                                                     ifVersion: try req.ifMatchVersion())
            return .json(ticket, etag: ticket.version)
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/messages", operationID: "listTicketMessages",
                      summary: "The conversation, oldest first (internal notes for those who may work the ticket)", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "TicketMessageList")) { _, ctx, scope in
            .json(Items(items: try await tickets.messages(scope, id: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .post, path: "/tickets/{id}/messages", operationID: "addTicketMessage",
                      summary: "Reply to the customer, add an internal note, or record the customer's words (kind: reply, note, customer); as multipart/form-data with files in `attachments` parts (at most 10, 10 MB each, 25 MB together)",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "TicketMessageInput", multipartSchema: "TicketMessageUpload",
                      responseSchema: "TicketMessageAnswer", status: 201, idempotent: true, ifMatch: true)) { req, ctx, scope in
            let (i, files) = try await Self.messageInput(req)
            let (ticket, message) = try await tickets.addMessage(scope, id: try ctx.parameters.require("id"), kind: i.kind ?? .reply, body: i.body,
                                                                 status: i.status, ifVersion: try req.ifMatchVersion(), attachments: files)
            return .json(MessageAnswer(ticket: ticket, message: message), status: .created, etag: ticket.version)
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/attachments/{attachment}", operationID: "downloadTicketAttachment",
                      summary: "Download a message's file (always as an attachment; images and PDF with their type, anything else as application/octet-stream)",
                      tag: tag, needs: .can(.read, .tickets))) { _, ctx, scope in
            let (a, data) = try await tickets.attachment(scope, ticketID: try ctx.parameters.require("id"), id: try ctx.parameters.require("attachment"))
            return AttachmentWeb.download(a, data)
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/survey", operationID: "getTicketSurvey",
                      summary: "The ticket's latest satisfaction survey and its answer (stars, NPS, comment; negative feedback's reply due, overdue or met); null before the ticket is first resolved",
                      tag: tag, needs: .can(.read, .tickets), responseSchema: "TicketSurveyAnswer")) { _, ctx, scope in
            .json(SurveyAnswer(survey: try await surveys.latest(scope, ticketID: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .get, path: "/service/calendars", operationID: "listBusinessCalendars",
                      summary: "Business calendars (working hours with breaks, holidays, make-up working days)", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "BusinessCalendarList")) { _, _, scope in
            .json(Items(items: try await settings.calendars(scope)))
        }
        t.on(APIRoute(method: .put, path: "/service/calendars/{name}", operationID: "saveBusinessCalendar",
                      summary: "Create or replace a calendar (the JSON `guanxi sla due --calendar` reads); open tickets' dues are planned again",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "BusinessCalendar", responseSchema: "NamedBusinessCalendar")) { req, ctx, scope in
            let text = String(decoding: try await APIBody.bytes(req), as: UTF8.self)
            return .json(try await settings.saveCalendar(scope, name: try ctx.parameters.require("name"), json: text))
        }
        t.on(APIRoute(method: .get, path: "/service/sla-policies", operationID: "listSLAPolicies",
                      summary: "SLA policies in the order they are tried (the first that matches a ticket is its policy)", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "SLAPolicyList")) { _, _, scope in
            .json(Items(items: try await settings.policies(scope).map(PolicyView.init)))
        }
        t.on(APIRoute(method: .put, path: "/service/sla-policies/{id}", operationID: "saveSLAPolicy",
                      summary: "Create or replace a policy; open tickets' dues are planned again", tag: tag, needs: .can(.update, .settings),
                      requestSchema: "SLAPolicyInput", responseSchema: "SLAPolicy")) { req, ctx, scope in
            let i = try await APIBody.json(PolicyInput.self, req)
            var targets: [TicketPriority: SLATargets] = [:]
            var e = FieldErrors()
            for (k, v) in i.targets { if let p = TicketPriority(rawValue: k) { targets[p] = v } else { e.add("targets.\(k)", "is not a priority") } }
            try e.throwIfAny()
            let p = SLAPolicy(id: try ctx.parameters.require("id"), name: i.name, position: i.position ?? 10, types: i.types ?? [],
                              channels: i.channels ?? [], tiers: i.tiers ?? [], targets: targets, calendarID: i.calendar, active: i.active ?? true)
            return .json(PolicyView(try await settings.savePolicy(scope, p)))
        }
        t.on(APIRoute(method: .delete, path: "/service/sla-policies/{id}", operationID: "deleteSLAPolicy", summary: "Remove a policy",
                      tag: tag, needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await settings.deletePolicy(scope, id: try ctx.parameters.require("id"))
            return .noContent
        }
    }

    /// A policy as the API writes it.
    struct PolicyView: Encodable, Sendable {
        var id: String; var name: String; var position: Int; var types: [TicketType]; var channels: [TicketChannel]; var tiers: [String]
        var targets: [String: SLATargets]; var calendar: String?; var active: Bool
        init(_ p: SLAPolicy) {
            id = p.id; name = p.name; position = p.position; types = p.types; channels = p.channels; tiers = p.tiers
            targets = Dictionary(uniqueKeysWithValues: p.targets.map { ($0.key.rawValue, $0.value) }); calendar = p.calendarID; active = p.active
        }
    }
}
