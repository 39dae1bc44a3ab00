import Foundation

/// What a customer came for. Workspaces start with these; each decides its SLA and routing.
package enum TicketType: String, Codable, Sendable, CaseIterable {
    case inquiry, complaint, repair
    case returnRefund = "return_refund"
    case productFeedback = "product_feedback"
    case defect
}

package enum TicketPriority: String, Codable, Sendable, CaseIterable, Comparable {
    case low, normal, high, urgent
    package static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

package enum TicketChannel: String, Codable, Sendable, CaseIterable {
    case web, email, phone, portal, api, wechat
}

/// Where a ticket stands. The SLA clock stops while it waits on the customer or a third party,
/// and once it is resolved; a customer's reply to a resolved or closed ticket reopens it.
package enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case new, open
    case waitingCustomer = "waiting_customer"
    case waitingThirdParty = "waiting_third_party"
    case resolved, closed, reopened

    /// The SLA clock does not run in these states.
    package var pausesClock: Bool { self == .waitingCustomer || self == .waitingThirdParty }
    /// Work on it is finished (for now).
    package var isDone: Bool { self == .resolved || self == .closed }

    /// The states an agent may move a ticket to from this one.
    package var next: Set<TicketStatus> {
        switch self {
        case .new, .open, .reopened: [.open, .waitingCustomer, .waitingThirdParty, .resolved, .closed]
        case .waitingCustomer, .waitingThirdParty: [.open, .waitingCustomer, .waitingThirdParty, .resolved, .closed]
        case .resolved: [.closed, .reopened]
        case .closed: [.reopened]
        }
    }
}

/// A service ticket as stored and shown: the case, who works on it, and its SLA clock.
package struct Ticket: Sendable, Encodable, Equatable {
    package var id: String
    /// The workspace's running number, for people and mail subjects ("#1024").
    package var number: Int
    package var customerID: String
    package var subject: String
    package var type: TicketType
    package var priority: TicketPriority
    package var status: TicketStatus
    package var channel: TicketChannel
    /// The department (a team) that has it.
    package var teamID: String?
    package var assigneeID: String?
    package var orderID: String?
    /// The product the case is about (the Orders capability's product), besides or without its order.
    package var productID: String?
    package var tags: [String]
    /// Values of the workspace's custom fields that apply to tickets, by key.
    package var custom: [String: JSONValue]
    package var sla: TicketSLA
    package var createdBy: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var version: Int

    package init(id: String, number: Int, customerID: String, subject: String, type: TicketType, priority: TicketPriority,
                 status: TicketStatus, channel: TicketChannel, teamID: String?, assigneeID: String?, orderID: String?, tags: [String],
                 sla: TicketSLA, createdBy: String?, createdAt: Date, updatedAt: Date, version: Int,
                 productID: String? = nil, custom: [String: JSONValue] = [:]) {
        self.id = id; self.number = number; self.customerID = customerID; self.subject = subject; self.type = type
        self.priority = priority; self.status = status; self.channel = channel; self.teamID = teamID; self.assigneeID = assigneeID
        self.orderID = orderID; self.tags = tags; self.sla = sla; self.createdBy = createdBy; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.version = version; self.productID = productID; self.custom = custom
    }
}

extension Ticket: JSONWritable {
    /// One flat object, keys in order: the SLA clock's instants sit beside the ticket's fields, null when unset.
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            Self.put(&w, "assignee_id", assigneeID); w.member("channel", channel.rawValue); w.member("created_at", createdAt)
            Self.put(&w, "created_by", createdBy); w.key("custom"); w.value(.object(custom)); w.member("customer_id", customerID)
            Self.put(&w, "first_responded_at", sla.firstRespondedAt); Self.put(&w, "first_response_due_at", sla.firstResponseDueAt)
            w.member("id", id); Self.put(&w, "next_response_due_at", sla.nextResponseDueAt); w.member("number", number)
            Self.put(&w, "order_id", orderID); w.member("priority", priority.rawValue); Self.put(&w, "product_id", productID)
            Self.put(&w, "resolution_due_at", sla.resolutionDueAt)
            Self.put(&w, "resolved_at", sla.resolvedAt); Self.put(&w, "sla_paused_since", sla.pausedSince); Self.put(&w, "sla_policy_id", sla.policyID)
            w.member("status", status.rawValue); w.member("subject", subject); w.member("tags", tags); Self.put(&w, "team_id", teamID)
            w.member("type", type.rawValue); w.member("updated_at", updatedAt); w.member("version", version)
        }
    }

    /// The same object for Codable callers (audit details): written once, above.
    package func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(String(decoding: jsonBytes(), as: UTF8.self)).encode(to: encoder)
    }

    private static func put(_ w: inout JSONWriter, _ k: StaticString, _ v: String?) { w.key(k); if let v { w.string(v) } else { w.null() } }
    private static func put(_ w: inout JSONWriter, _ k: StaticString, _ v: Date?) { w.key(k); if let v { w.date(v) } else { w.null() } }
}

/// What opening a ticket takes. `body` is the customer's first message.
package struct TicketDraft: Sendable {
    package var customerID: String = ""
    package var subject: String = ""
    package var body: String = ""
    package var type: String?
    package var priority: String?
    package var channel: String?
    package var teamID: String?
    package var assigneeID: String?
    package var orderID: String?
    package var productID: String?
    /// Custom field values (`null` leaves a field empty); checked against the ticket fields' definitions when opened.
    package var custom: [String: JSONValue]?
    /// Whether required custom fields must be given: yes for people (API, page), not for mail read into tickets.
    package var requireCustom = true
    package var tags: [String] = []
    package init() {}

    /// A draft's fields as `validated()` answers them.
    package typealias Valid = (subject: String, body: String, type: TicketType, priority: TicketPriority, channel: TicketChannel, tags: [String])

    /// The cleaned ticket fields (defaults: inquiry, normal, web), or every bad field at once.
    package func validated() throws(DomainError) -> Valid {
        var e = FieldErrors()
        let subject = Text.clean(subject).replacingOccurrences(of: "\n", with: " "), body = Text.clean(body)
        if subject.isEmpty { e.add("subject", "is required") } else if subject.count > 200 { e.add("subject", "must be at most 200 characters") }
        if body.isEmpty { e.add("body", "is required") } else if body.count > 50_000 { e.add("body", "must be at most 50000 characters") }
        if !ID.isValid(customerID) { e.add("customer_id", "must be a customer id") }
        func pick<T: RawRepresentable & CaseIterable>(_ raw: String?, _ field: String, _ fallback: T) -> T where T.RawValue == String {
            guard let raw else { return fallback }
            guard let v = T(rawValue: raw.lowercased()) else {
                e.add(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"); return fallback
            }
            return v
        }
        let type = pick(type, "type", TicketType.inquiry)
        let priority = pick(priority, "priority", TicketPriority.normal)
        let channel = pick(channel, "channel", TicketChannel.web)
        for (field, id) in [("team_id", teamID), ("assignee_id", assigneeID), ("order_id", orderID), ("product_id", productID)] {
            if let id, !ID.isValid(id) { e.add(field, "must be an id") }
        }
        let tags = Array(Set(tags.map(Text.clean).filter { !$0.isEmpty })).sorted()
        if tags.count > 20 || tags.contains(where: { $0.count > 40 }) { e.add("tags", "at most 20 tags of up to 40 characters") }
        try e.throwIfAny()
        return (subject, body, type, priority, channel, tags)
    }
}

/// Who may see and work a ticket. Its people are the assignee, the department (a team) that has
/// it, whoever opened it and the owner of its customer: a grant at `own` reaches tickets assigned
/// to the user, opened by them, or of customers they own (so a sales rep follows their customers'
/// cases), `team` adds tickets of the user's departments and of teammates, `all` every ticket.
/// A ticket's active hand-offs and child tasks add their people (`reaching(_:)`).
package struct TicketAccess: Sendable, Equatable {
    package var assigneeID: String?
    package var teamID: String?
    package var createdBy: String?
    package var customerOwnerID: String?
    /// The people of its active hand-offs and child tasks (`reaching(_:)`): a step's department at
    /// `team` level and wider, its assignee at any level.
    package var stepTeamIDs: Set<String> = []
    package var stepUserIDs: Set<String> = []
    package init(assigneeID: String?, teamID: String?, createdBy: String?, customerOwnerID: String?) {
        self.assigneeID = assigneeID; self.teamID = teamID; self.createdBy = createdBy; self.customerOwnerID = customerOwnerID
    }

    package func reached(by scope: Scope, at level: AccessLevel) -> Bool {
        if level == .all { return true }
        guard let me = scope.userID else { return false }
        if assigneeID == me || createdBy == me || customerOwnerID == me || stepUserIDs.contains(me) { return true }
        guard level != .own else { return false }
        if let t = teamID, scope.teamIDs.contains(t) { return true }
        if !stepTeamIDs.isDisjoint(with: scope.teamIDs) { return true }
        return assigneeID.map { scope.covers(level, RecordAccess(ownerID: $0)) } ?? false
    }

    /// `.notFound` when the scope may not read the ticket, `.forbidden` when it may read but not `action` it.
    package func authorize(_ scope: Scope, _ action: AccessAction) throws(DomainError) {
        guard let read = scope.level(.tickets, .read), reached(by: scope, at: read) else { throw DomainError.notFound("ticket") }
        guard action != .read else { return }
        guard let level = scope.level(.tickets, action) else {
            throw DomainError.forbidden("your role may not \(action.rawValue) tickets")
        }
        guard reached(by: scope, at: level) else { throw DomainError.forbidden("this ticket belongs to another department") }
    }
}
