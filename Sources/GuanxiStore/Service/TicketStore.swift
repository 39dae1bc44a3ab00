import Foundation
import SQLKit
import GuanxiCore

/// One message of a ticket's conversation: the customer's words, an agent's reply to the
/// customer, or an internal note only agents see.
package struct TicketMessage: Sendable, Encodable, Equatable {
    package enum Kind: String, Sendable, Codable, CaseIterable { case customer, reply, note }
    package var id: String
    package var ticketID: String
    package var kind: Kind
    package var authorID: String?
    package var body: String
    package var createdAt: Date
    /// Its files (`TicketAttachment`), oldest first.
    package var attachments: [TicketAttachment]
    enum CodingKeys: String, CodingKey { case id, kind, body, attachments, ticketID = "ticket_id", authorID = "author_id", createdAt = "created_at" }
    package init(id: String, ticketID: String, kind: Kind, authorID: String?, body: String, createdAt: Date, attachments: [TicketAttachment] = []) {
        self.id = id; self.ticketID = ticketID; self.kind = kind; self.authorID = authorID; self.body = body; self.createdAt = createdAt
        self.attachments = attachments
    }
}

extension TicketMessage: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.key("attachments"); w.write(attachments)
            w.key("author_id"); if let authorID { w.string(authorID) } else { w.null() }
            w.member("body", body); w.member("created_at", createdAt); w.member("id", id); w.member("kind", kind.rawValue)
            w.member("ticket_id", ticketID)
        }
    }
}

/// What may change on a ticket besides its status (nil: unchanged; `.some(nil)` clears).
package struct TicketChange: Sendable {
    package var type: String?
    package var priority: String?
    package var teamID: String??
    package var assigneeID: String??
    package var tags: [String]?
    /// Tags added to those it has (a bulk change from the queue).
    package var addTags: [String]?
    /// The product (`.some(nil)` clears).
    package var productID: String??
    /// Custom field values to set (a key to `null` clears that field).
    package var custom: [String: JSONValue]?
    package init() {}
}

/// Tickets: opened for a customer, worked through their conversation and statuses, their SLA
/// clock kept in the row (`TicketFlow` decides; this store reads, applies and writes).
package struct TicketStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Replies to customers go out by mail through it (nil: no outgoing mailer).
    let outbox: MailOutbox?
    /// Where attachments' bytes are kept (nil: this store takes none).
    let files: AttachmentFiles?
    /// Group commit for new tickets: tickets opened while a write runs share the next transaction.
    let opening: GroupCommit<Opening, Ticket>
    /// Group commit for replies, notes and status changes.
    let changes: GroupedWrites

    package init(db: Database, clock: any GuanxiCore.Clock, outbox: MailOutbox? = nil, files: AttachmentFiles? = nil) {
        self.db = db; self.clock = clock; self.outbox = outbox; self.files = files
        changes = GroupedWrites(db: db)
        opening = GroupCommit(stats: db.stats, write: { items in
            let now = clock.now()
            return try await db.write { sql in
                var out: [Ticket] = []
                for o in items {
                    let tx = Tx(sql: sql, scope: o.scope, now: now, db: db)
                    let (t, m) = try await Self.open(o.draft, o.valid, tx: tx)
                    try await TicketAttachments.attach(o.files, to: m, of: t, tx: tx)
                    out.append(t)
                }
                return out
            }
        })
    }

    /// A ticket to open, checked and validated, with its first message's files on disk, waiting for its group's transaction.
    struct Opening: Sendable { let scope: Scope; let draft: TicketDraft; let valid: TicketDraft.Valid; var files: [StoredFile] = [] }

    /// The ticket's own columns (`t`); `columns` adds its customer's owner and tier (`c`), which `decode` reads.
    static let ownColumns = """
        t.id, t.number, t.customer_id, t.subject, t.type, t.priority, t.status, t.channel, t.team_id, t.assignee_id, t.order_id, t.tags,
        t.policy_id, t.first_response_due_at, t.first_responded_at, t.awaiting_reply_since, t.next_response_due_at, t.resolution_due_at,
        t.resolved_at, t.paused_since, t.pauses_json, t.created_by, t.created_at, t.updated_at, t.version, t.product_id, t.custom_json
        """
    static let columns = ownColumns + ", c.owner_id AS customer_owner_id, c.tier AS customer_tier"
    static let from = "FROM tickets t JOIN customers c ON c.id = t.customer_id"

    // MARK: Open

    /// Opens a ticket for a customer the scope may read, with the customer's first message and its files.
    package func create(_ scope: Scope, _ draft: TicketDraft, attachments: [AttachmentUpload] = []) async throws -> Ticket {
        try scope.require(.tickets, .create)
        var e = FieldErrors()
        let checked = AttachmentRules.checked(attachments, into: &e)
        // the draft's fields and the files' are named together
        let valid: TicketDraft.Valid
        switch Result(catching: { () throws(DomainError) in try draft.validated() }) {
        case .success(let v): valid = v
        case .failure(.validation(var f)):
            for (k, m) in e.messages where f[k] == nil { f[k] = m }
            throw DomainError.validation(f)
        case .failure(let other): throw other
        }
        try e.throwIfAny()
        let stored = try TicketAttachments.store(checked, in: files)
        return try await opening.submit(Opening(scope: scope, draft: draft, valid: valid, files: stored))
    }

    /// Opens a ticket inside the caller's transaction; answers it with the customer's first message.
    static func open(_ draft: TicketDraft, _ v: TicketDraft.Valid, tx: Tx) async throws -> (ticket: Ticket, message: TicketMessage) {
        let (scope, now) = (tx.scope, tx.now)
        let customer = try await CustomerStore.load(scope, draft.customerID.lowercased(), for: .read, sql: tx.sql)
        let (custom, productID) = try await Self.checkFields(draft.custom, productID: draft.productID, base: [:], requireAll: draft.requireCustom,
                                                             scope.workspaceID, sql: tx.sql)
        let rules = try await ServiceRules.load(scope.workspaceID, sql: tx.sql)
        let (policy, targets, calendar) = rules.plan(type: v.type, channel: v.channel, priority: v.priority, tier: customer.tier)
        let number = try await Self.nextNumber(scope.workspaceID, sql: tx.sql)
        var sla = TicketSLA(policyID: policy?.id, awaitingReplySince: now)
        sla = sla.planned(createdAt: now, targets: targets, calendar: calendar)
        // the department and assignee: as given; else the first routing rule that matches; else the
        // opener's department when they belong to exactly one
        var team = draft.teamID?.lowercased(), assignee = draft.assigneeID?.lowercased()
        if let given = team { try await Self.requireTeam(given, scope.workspaceID, sql: tx.sql) }
        if let a = assignee, !(try await AccessStore.activeMember(a, scope.workspaceID, sql: tx.sql)) {
            throw DomainError.field("assignee_id", "\(a) is not an active user of this workspace")
        }
        var routed: RoutingRule?
        if team == nil, assignee == nil {
            let facts = RoutingFacts(type: v.type, channel: v.channel, tier: customer.tier, province: customer.addresses.first?.province,
                                     subject: v.subject, body: v.body,
                                     products: try await RoutingStore.products(orderID: draft.orderID, productID: productID, scope.workspaceID, sql: tx.sql))
            if let (rule, agent) = try await RoutingStore.route(facts, workspaceID: scope.workspaceID, sql: tx.sql) {
                routed = rule; team = rule.teamID; assignee = agent
            }
        }
        if team == nil, scope.teamIDs.count == 1 { team = scope.teamIDs.first }
        let t = Ticket(id: ID.make(at: now), number: number, customerID: customer.id, subject: v.subject, type: v.type, priority: v.priority,
                       status: .new, channel: v.channel, teamID: team, assigneeID: assignee,
                       orderID: draft.orderID?.lowercased(), tags: v.tags, sla: sla, createdBy: scope.userID, createdAt: now, updatedAt: now, version: 1,
                       productID: productID, custom: custom)
        try await Self.insert(t, workspaceID: scope.workspaceID, sql: tx.sql)
        let m = TicketMessage(id: ID.make(at: now), ticketID: t.id, kind: .customer, authorID: nil, body: v.body, createdAt: now)
        try await TicketSearchIndex.queue(t.id, messageID: nil, tx: tx)
        try await Self.append(m, tx: tx)
        try await tx.timeline(customer.id, .ticket, data: ["step": "opened", "ticket_id": .string(t.id), "number": .number(Double(number)),
                                                         "subject": .string(t.subject), "type": .string(t.type.rawValue)])
        try await tx.audit("create", "tickets", t.id)
        if let routed {
            try await tx.audit("route", "tickets", t.id, detail: ["rule_id": .string(routed.id), "strategy": .string(routed.strategy.rawValue),
                                                                 "team_id": .string(routed.teamID), "assignee_id": assignee.map(JSONValue.string) ?? .null])
        }
        try await tx.publish(.ticketCreated, t.id, t)
        return (t, m)
    }

    /// Custom field values applied to `base` by the workspace's ticket fields (`CustomFieldDefinition.apply`) and the product
    /// checked to be the workspace's, every bad field named at once.
    static func checkFields(_ custom: [String: JSONValue]?, productID: String?, base: [String: JSONValue], requireAll: Bool,
                            _ workspaceID: String, sql: any SQLDatabase) async throws -> (custom: [String: JSONValue], productID: String?) {
        var e = FieldErrors()
        let defs = custom == nil && !requireAll ? [] : try await CustomFieldStore.definitions(workspaceID, for: .tickets, sql: sql)
        let values = CustomFieldDefinition.apply(custom, to: base, definitions: defs, requireAll: requireAll, errors: &e)
        let product = productID?.lowercased()
        if let product {
            if !ID.isValid(product) { e.add("product_id", "must be an id") }
            else if try await sql.raw("SELECT 1 AS x FROM products WHERE id = \(bind: product) AND workspace_id = \(bind: workspaceID)").first() == nil {
                e.add("product_id", "no such product")
            }
        }
        try e.throwIfAny()
        return (values, product)
    }

    /// Active products of the workspace by SKU (and `including`, active or not) as "SKU 名称": what a ticket
    /// may name. Product names are not guarded by the orders permission: a service agent picks one.
    package func productChoices(_ scope: Scope, including: String? = nil) async throws -> [(id: String, label: String)] {
        try await db.read { sql in
            var q = SQLQueryString("SELECT id, sku, name FROM products WHERE workspace_id = \(bind: scope.workspaceID) AND (active = 1")
            if let including, ID.isValid(including) { q += " OR id = \(bind: including.lowercased())" }
            q += ") ORDER BY sku LIMIT 500"
            return try await sql.raw(q).all().map {
                (try $0.decode(column: "id", as: String.self), try $0.decode(column: "sku", as: String.self) + " " + (try $0.decode(column: "name", as: String.self)))
            }
        }
    }

    /// The definitions of the workspace's custom fields that apply to tickets.
    package func customFields(_ scope: Scope) async throws -> [CustomFieldDefinition] {
        try await db.read { try await CustomFieldStore.definitions(scope.workspaceID, for: .tickets, sql: $0) }
    }

    /// The workspace's next ticket number, advanced in the writer's transaction.
    static func nextNumber(_ workspaceID: String, sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            INSERT INTO doc_counters (workspace_id, kind, year, next) VALUES (\(bind: workspaceID), 'ticket', 0, 1)
            ON CONFLICT (workspace_id, kind, year) DO NOTHING
            """).run()
        let row = try await sql.raw("""
            UPDATE doc_counters SET next = next + 1 WHERE workspace_id = \(bind: workspaceID) AND kind = 'ticket' AND year = 0 RETURNING next
            """).first()!
        return try row.decode(column: "next", as: Int.self) - 1
    }

    // MARK: Read

    package func get(_ scope: Scope, id: String) async throws -> Ticket {
        try await db.read { sql in try await Self.load(scope, id, for: .read, sql: sql).ticket }
    }

    /// The conversation, oldest first; internal notes only for those who may update the ticket.
    package func messages(_ scope: Scope, id: String) async throws -> [TicketMessage] {
        try await db.read { sql in
            let (t, access, _) = try await Self.load(scope, id, for: .read, sql: sql)
            let notes = scope.level(.tickets, .update).map { access.reached(by: scope, at: $0) } ?? false
            let files = Dictionary(grouping: try await TicketAttachments.of(ticket: t.id, sql: sql), by: \.messageID)
            return try await sql.raw("""
                SELECT id, ticket_id, kind, author_id, body, created_at FROM ticket_messages WHERE ticket_id = \(bind: t.id)
                ORDER BY created_at, id
                """).all().map(Self.decodeMessage).filter { notes || $0.kind != .note }.map { m in
                var m = m
                m.attachments = files[m.id] ?? []
                return m
            }
        }
    }

    /// One attachment of a ticket the scope may read, with its bytes; the download is in the audit
    /// log. A note's file only for those who see notes; another ticket's, workspace's or an
    /// unreachable ticket's is not found.
    package func attachment(_ scope: Scope, ticketID: String, id: String) async throws -> (TicketAttachment, Data) {
        guard ID.isValid(id) else { throw DomainError.notFound("attachment") }
        let a = try await db.write(scope, at: clock.now()) { tx -> TicketAttachment in
            let (t, access, _) = try await Self.load(tx.scope, ticketID, for: .read, sql: tx.sql)
            guard let row = try await tx.sql.raw("""
                SELECT a.id, a.ticket_id, a.message_id, a.name, a.content_type, a.size, a.sha256, a.uploaded_by, a.created_at, m.kind
                FROM ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id
                WHERE a.id = \(bind: id.lowercased()) AND a.ticket_id = \(bind: t.id) AND a.workspace_id = \(bind: scope.workspaceID)
                """).first() else { throw DomainError.notFound("attachment") }
            let notes = scope.level(.tickets, .update).map { access.reached(by: scope, at: $0) } ?? false
            let kind = try row.decode(column: "kind", as: String.self)
            guard notes || kind != TicketMessage.Kind.note.rawValue else {
                throw DomainError.notFound("attachment")
            }
            let a = try TicketAttachments.decode(row)
            try await tx.audit("attachment_download", "tickets", t.id, detail: ["attachment_id": .string(a.id), "name": .string(a.name),
                                                                               "sha256": .string(a.sha256)])
            return a
        }
        guard let files else { throw DomainError.notFound("attachment") }
        return (a, try files.read(a.sha256))
    }

    /// Removes attachment files that no row refers to a day after they were last written (a
    /// message whose transaction failed after its files were kept), and leftovers of cut writes.
    package func sweepFiles(olderThan age: TimeInterval = 86_400) async throws -> Int {
        guard let files else { return 0 }
        let referenced = try await db.read { sql in
            Set(try await sql.raw("SELECT DISTINCT sha256 FROM ticket_attachments").all().map { try $0.decode(column: "sha256", as: String.self) })
        }
        return try files.sweep(referenced: referenced, olderThan: age, now: clock.now())
    }

    /// One page of the tickets the scope may see, newest first, filtered by queue (`TicketQueue`),
    /// status, assignee, team or customer, and by `search`: words of the subject or conversation
    /// (`TicketSearchIndex`; internal notes only where the scope sees them).
    package func list(_ scope: Scope, queue: String? = nil, status: String? = nil, assigneeID: String? = nil, teamID: String? = nil,
                      customerID: String? = nil, search: String? = nil, cursor: String? = nil, limit: Int = 50) async throws -> Page<Ticket> {
        guard let level = scope.level(.tickets, .read) else { throw DomainError.forbidden("your role may not read tickets") }
        var e = FieldErrors()
        if let status, TicketStatus(rawValue: status) == nil {
            e.add("status", "must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let view = queue.flatMap(TicketQueue.init(rawValue:))
        if queue != nil, view == nil { e.add("queue", "must be one of \(TicketQueue.allCases.map(\.rawValue).joined(separator: ", "))") }
        try e.throwIfAny()
        let limit = min(max(limit, 1), 200)
        var filters = Self.readLimit(scope, level)
        if let view { filters += Self.queueLimit(scope, view, now: clock.now()) }
        if let status { filters += " AND t.status = \(bind: status)" }
        if let assigneeID { filters += " AND t.assignee_id = \(bind: assigneeID.lowercased())" }
        if let teamID { filters += " AND t.team_id = \(bind: teamID.lowercased())" }
        if let customerID { filters += " AND t.customer_id = \(bind: customerID.lowercased())" }
        var terms: TicketSearchTerms?
        if let search, !search.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            // a query of nothing either index can look for finds nothing
            guard let t = TicketSearchTerms(search) else { return Page(items: [], nextCursor: nil) }
            terms = t
        }
        if let terms, db.dialect == .sqlite {
            // in the order tickets entered the index, newest first: a common word stops after a page
            let after: Int64? = try cursor.map { cursor in
                guard let v = try Cursor.decode(cursor).first, case .number(let d) = v, let n = Int64(exactly: d) else {
                    throw DomainError.field("cursor", "is invalid")
                }
                return n
            }
            let filters = filters
            let rows = try await db.read { sql in
                try await TicketSearchIndex.sqliteSearch(scope, terms, read: level, filters: filters, after: after, limit: limit + 1, sql: sql).map {
                    (try Self.decode($0).ticket, try $0.decode(column: "search_seq", as: Int64.self))
                }
            }
            return Page(items: rows.prefix(limit).map(\.0), nextCursor: rows.count > limit ? Cursor.encode([.number(Double(rows[limit - 1].1)), .string(rows[limit - 1].0.id)]) : nil)
        }
        var q = SQLQueryString("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE t.workspace_id = \(bind: scope.workspaceID)")
        q += filters
        if let terms { q += TicketSearchIndex.condition(scope, terms, read: level) }
        if let cursor {
            let (t, id) = try Cursor.timeAndID(cursor)
            q += " AND (t.created_at, t.id) < (\(bind: t), \(bind: id))"
        }
        q += " ORDER BY t.created_at DESC, t.id DESC LIMIT \(literal: limit + 1)"
        let query = q
        let rows = try await db.read { sql in try await sql.raw(query).all().map { try Self.decode($0).ticket } }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { Cursor.timeAndID($0.createdAt, $0.id) } : nil)
    }

    /// The SQL form of a queue. `breached` is `SLACountdown.isOverdue` for some target: still
    /// waiting (`TicketSLA.pending`), past its due, the clock running.
    static func queueLimit(_ scope: Scope, _ queue: TicketQueue, now: Date) -> SQLQueryString {
        var q: SQLQueryString = ""
        if let statuses = queue.statuses { q += " AND t.status IN (\(binds: statuses.map(\.rawValue)))" }
        switch queue {
        case .mine:
            if let me = scope.userID { q += " AND t.assignee_id = \(bind: me)" } else { q += " AND 1 = 0" }
        case .departments:
            if scope.teamIDs.isEmpty { q += " AND 1 = 0" } else { q += " AND t.team_id IN (\(binds: scope.teamIDs.sorted()))" }
        case .unassigned: q += " AND t.assignee_id IS NULL"
        case .breached:
            let at = now.millis
            q += """
                 AND t.paused_since IS NULL AND t.resolved_at IS NULL AND (
                  (t.first_responded_at IS NULL AND t.first_response_due_at < \(bind: at))
                  OR (t.first_responded_at IS NOT NULL AND t.awaiting_reply_since IS NOT NULL AND t.next_response_due_at < \(bind: at))
                  OR t.resolution_due_at < \(bind: at))
                """
        case .waiting, .all: break
        }
        return q
    }

    /// The SQL form of `TicketAccess.reached` for lists.
    static func readLimit(_ scope: Scope, _ level: AccessLevel) -> SQLQueryString {
        guard level != .all, let me = scope.userID else { return level == .all ? "" : " AND 1 = 0" }
        var q = SQLQueryString(" AND (t.assignee_id IN (\(binds: (scope.ownerLimit(level) ?? [me]).sorted())) OR t.created_by = \(bind: me) OR c.owner_id = \(bind: me)")
        if level != .own, !scope.teamIDs.isEmpty { q += " OR t.team_id IN (\(binds: scope.teamIDs.sorted()))" }
        // what the ticket's active steps give (`TicketAccess.reaching`)
        q += " OR EXISTS (SELECT 1 FROM ticket_steps s WHERE s.ticket_id = t.id AND s.state = 'active' AND s.kind <> 'approval' AND (s.assignee_id = \(bind: me)"
        if level != .own, !scope.teamIDs.isEmpty { q += " OR s.team_id IN (\(binds: scope.teamIDs.sorted()))" }
        q += ")))"
        return q
    }

    // MARK: Work

    /// Adds a message: an agent's reply (first response, next response) or internal note, or the
    /// customer's words taken down by an agent (a call). A reply may move the status at once.
    /// Its files (`attachments`) are checked by `AttachmentRules` and recorded with it.
    package func addMessage(_ scope: Scope, id: String, kind: TicketMessage.Kind, body raw: String, status: TicketStatus? = nil,
                            ifVersion: Int? = nil, attachments: [AttachmentUpload] = []) async throws -> (Ticket, TicketMessage) {
        let body = Text.clean(raw)
        var e = FieldErrors()
        if body.isEmpty || body.count > 50_000 { e.add("body", "must be 1 to 50000 characters") }
        let checked = AttachmentRules.checked(attachments, into: &e)
        try e.throwIfAny()
        let stored = try TicketAttachments.store(checked, in: files)
        let outbox = outbox
        let (t, m, mailed) = try await changes.write(scope, at: clock.now()) { tx in
            let (loaded, access, tier) = try await Self.load(tx.scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            let (t, added) = try await Self.record(loaded, tier: tier, kind: kind, body: body, status: status, tx: tx)
            var m = added
            m.attachments = try await TicketAttachments.attach(stored, to: m, of: t, tx: tx)
            let reply = kind == .reply ? try await outbox?.queue(m, of: t, tx: tx) ?? false : false
            // resolved with this message: the survey's mail goes out too
            let survey = status == .resolved ? try await SurveyStore.resolved(t, outbox: outbox, tx: tx) : false
            // an internal note's @mentions are told (and mailed)
            let mentioned = try await ConversationStore.notifyMentions(m, of: t, access: access, tx: tx)
            return (t, m, reply || survey || mentioned)
        }
        if mailed { await outbox?.ring() }
        return (t, m)
    }

    /// Adds a message inside the caller's transaction (a cleaned, non-empty body).
    static func add(id: String, kind: TicketMessage.Kind, body: String, status: TicketStatus?, ifVersion: Int?,
                    tx: Tx) async throws -> (Ticket, TicketMessage) {
        let (t, _, tier) = try await Self.load(tx.scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
        return try await record(t, tier: tier, kind: kind, body: body, status: status, tx: tx)
    }

    /// Adds a message to a ticket the caller has loaded (and checked) in the transaction, with
    /// whatever else it changed on it, and saves both.
    static func record(_ ticket: Ticket, tier: String?, kind: TicketMessage.Kind, body: String, status: TicketStatus?,
                       tx: Tx) async throws -> (Ticket, TicketMessage) {
        let (scope, now) = (tx.scope, tx.now)
        var t = ticket
        let from = t.status
        let (_, targets, calendar) = try await ServiceRules.plan(t, tier: tier, workspaceID: scope.workspaceID, sql: tx.sql)
        switch kind {
        case .reply: t = try TicketFlow.apply(t, .agentReply, at: now, targets: targets, calendar: calendar)
        case .customer: t = try TicketFlow.apply(t, .customerMessage, at: now, targets: targets, calendar: calendar)
        case .note: break
        }
        if let status {
            t = try TicketFlow.apply(t, .status(status), at: now, targets: targets, calendar: calendar,
                                     openSteps: status.isDone ? try await TicketStepStore.steps(t.id, sql: tx.sql) : [])
        }
        let m = TicketMessage(id: ID.make(at: now), ticketID: t.id, kind: kind, authorID: kind == .customer ? nil : scope.userID,
                              body: body, createdAt: now)
        try await Self.append(m, tx: tx)
        t = try await Self.save(t, now: now, sql: tx.sql)
        try await tx.audit(kind == .note ? "note" : "message", "tickets", t.id, detail: ["kind": .string(kind.rawValue)])
        // the first reply after negative feedback meets its target
        if kind == .reply { try await SurveyStore.replied(ticketID: t.id, tx: tx) }
        if t.status != from { try await tx.publish(.ticketStatusChanged, t.id, t, changes: ["from": .string(from.rawValue), "to": .string(t.status.rawValue)]) }
        return (t, m)
    }

    /// Moves a ticket to another status (the SLA clock stops in waiting and finished states).
    package func setStatus(_ scope: Scope, id: String, to status: TicketStatus, ifVersion: Int?) async throws -> Ticket {
        let now = clock.now()
        let outbox = outbox
        let (ticket, mailed) = try await changes.write(scope, at: now) { tx -> (Ticket, Bool) in
            var (t, _, tier) = try await Self.load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            let from = t.status
            let (_, targets, calendar) = try await ServiceRules.plan(t, tier: tier, workspaceID: scope.workspaceID, sql: tx.sql)
            t = try TicketFlow.apply(t, .status(status), at: now, targets: targets, calendar: calendar,
                                     openSteps: status.isDone ? try await TicketStepStore.steps(t.id, sql: tx.sql) : [])
            guard t.status != from else { return (t, false) }
            t = try await Self.save(t, now: now, sql: tx.sql)
            try await tx.timeline(t.customerID, .ticket, data: ["step": .string(status.rawValue), "ticket_id": .string(t.id),
                                                              "number": .number(Double(t.number)), "from": .string(from.rawValue)])
            try await tx.audit("status", "tickets", t.id, detail: ["from": .string(from.rawValue), "to": .string(status.rawValue)])
            try await tx.publish(.ticketStatusChanged, t.id, t, changes: ["from": .string(from.rawValue), "to": .string(t.status.rawValue)])
            return (t, try await SurveyStore.resolved(t, outbox: outbox, tx: tx))
        }
        if mailed { await outbox?.ring() }
        return ticket
    }

    /// Changes type, priority, department, assignee, tags, product or custom fields; the SLA is planned again.
    package func update(_ scope: Scope, id: String, _ change: TicketChange, ifVersion: Int?) async throws -> Ticket {
        var e = FieldErrors()
        let type = change.type.flatMap { raw in TicketType(rawValue: raw) ?? { e.add("type", "is not a ticket type"); return nil }() }
        let priority = change.priority.flatMap { raw in TicketPriority(rawValue: raw) ?? { e.add("priority", "is not a priority"); return nil }() }
        for (field, v) in [("team_id", change.teamID), ("assignee_id", change.assigneeID)] {
            if case .some(.some(let id)) = v, !ID.isValid(id) { e.add(field, "must be an id") }
        }
        try e.throwIfAny()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            var (t, _, tier) = try await Self.load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            let before = t
            if change.assigneeID != nil || change.teamID != nil { try scope.require(.tickets, .assign) }
            if let type { t.type = type }
            if let priority { t.priority = priority }
            if let team = change.teamID {
                if let team { try await Self.requireTeam(team.lowercased(), scope.workspaceID, sql: tx.sql) }
                t.teamID = team?.lowercased()
            }
            if let assignee = change.assigneeID {
                if let a = assignee, !(try await AccessStore.activeMember(a.lowercased(), scope.workspaceID, sql: tx.sql)) {
                    throw DomainError.field("assignee_id", "\(a) is not an active user of this workspace")
                }
                t.assigneeID = assignee?.lowercased()
            }
            if let tags = change.tags { t.tags = Array(Set(tags.map(Text.clean).filter { !$0.isEmpty })).sorted() }
            if let more = change.addTags {
                t.tags = Array(Set(t.tags + more.map(Text.clean).filter { !$0.isEmpty })).sorted()
                if t.tags.count > 20 { throw DomainError.field("tags", "at most 20 tags of up to 40 characters") }
            }
            if change.custom != nil || change.productID != nil {
                let (custom, product) = try await Self.checkFields(change.custom, productID: change.productID ?? nil, base: t.custom,
                                                                   requireAll: change.custom != nil, scope.workspaceID, sql: tx.sql)
                t.custom = custom
                if let p = change.productID { t.productID = p == nil ? nil : product }
            }
            guard t != before else { return t }
            let (policy, targets, calendar) = try await ServiceRules.plan(t, tier: tier, workspaceID: scope.workspaceID, sql: tx.sql)
            t.sla.policyID = policy?.id
            t.sla = t.sla.planned(createdAt: t.createdAt, targets: targets, calendar: calendar)
            t = try await Self.save(t, now: now, sql: tx.sql)
            try await tx.audit("update", "tickets", t.id, detail: AuditDetail.encoded(t))
            try await tx.publish(.ticketUpdated, t.id, t)
            return t
        }
    }

    /// Plans the dues of every open ticket of the workspace again (after a policy or calendar change).
    static func replanOpen(_ workspaceID: String, now: Date, sql: any SQLDatabase) async throws -> Int {
        let rules = try await ServiceRules.load(workspaceID, sql: sql)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE t.workspace_id = \(bind: workspaceID) AND t.status NOT IN ('resolved', 'closed')
            """).all()
        var n = 0
        for r in rows {
            var (t, _, tier) = try decode(r)
            let (policy, targets, calendar) = rules.plan(type: t.type, channel: t.channel, priority: t.priority, tier: tier)
            let before = t.sla
            t.sla.policyID = policy?.id
            t.sla = t.sla.planned(createdAt: t.createdAt, targets: targets, calendar: calendar)
            guard t.sla != before else { continue }
            try await writeSLA(t, sql: sql)
            n += 1
        }
        return n
    }

    // MARK: Rows

    /// The ticket, who it reaches (its active steps' people too) and its customer's tier, if the scope may `action` it: 404 when it
    /// may not read it, 403 when it may read but not act; with `ifVersion` (If-Match) a changed ticket is a 412.
    static func load(_ scope: Scope, _ id: String, for action: AccessAction, ifVersion: Int? = nil,
                     sql: any SQLDatabase) async throws -> (ticket: Ticket, access: TicketAccess, tier: String?) {
        guard ID.isValid(id), let row = try await sql.raw("""
            SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE t.id = \(bind: id.lowercased()) AND t.workspace_id = \(bind: scope.workspaceID)
            """).first() else { throw DomainError.notFound("ticket") }
        var loaded = try decode(row)
        loaded.access = loaded.access.reaching(try await TicketStepStore.steps(loaded.ticket.id, active: true, sql: sql))
        try loaded.access.authorize(scope, action)
        if let v = ifVersion, v != loaded.ticket.version { throw DomainError.staleVersion(current: loaded.ticket.version) }
        return loaded
    }

    static func requireTeam(_ teamID: String, _ workspaceID: String, sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT 1 AS x FROM teams WHERE id = \(bind: teamID) AND workspace_id = \(bind: workspaceID)").first() != nil else {
            throw DomainError.field("team_id", "no such team")
        }
    }

    static func decode(_ r: any SQLRow) throws -> (ticket: Ticket, access: TicketAccess, tier: String?) {
        func time(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        let pauses: [JSONValue]
        if case .array(let a)? = try? JSONParser.parse(try r.decode(column: "pauses_json", as: String.self)) { pauses = a } else { pauses = [] }
        let sla = TicketSLA(
            policyID: try r.decode(column: "policy_id", as: String?.self), firstResponseDueAt: try time("first_response_due_at"),
            firstRespondedAt: try time("first_responded_at"), awaitingReplySince: try time("awaiting_reply_since"),
            nextResponseDueAt: try time("next_response_due_at"), resolutionDueAt: try time("resolution_due_at"),
            resolvedAt: try time("resolved_at"), pausedSince: try time("paused_since"),
            pauses: pauses.compactMap { p in
                guard case .array(let a) = p, a.count == 2, case .number(let x) = a[0], case .number(let y) = a[1], y > x else { return nil }
                return Date(millis: Int64(x))..<Date(millis: Int64(y))
            })
        let tags = try r.decode(column: "tags", as: String.self)
        let t = Ticket(
            id: try r.decode(column: "id", as: String.self), number: try r.decode(column: "number", as: Int.self),
            customerID: try r.decode(column: "customer_id", as: String.self), subject: try r.decode(column: "subject", as: String.self),
            type: TicketType(rawValue: try r.decode(column: "type", as: String.self)) ?? .inquiry,
            priority: TicketPriority(rawValue: try r.decode(column: "priority", as: String.self)) ?? .normal,
            status: TicketStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
            channel: TicketChannel(rawValue: try r.decode(column: "channel", as: String.self)) ?? .web,
            teamID: try r.decode(column: "team_id", as: String?.self), assigneeID: try r.decode(column: "assignee_id", as: String?.self),
            orderID: try r.decode(column: "order_id", as: String?.self),
            tags: tags.isEmpty ? [] : tags.split(separator: "\n").map(String.init), sla: sla,
            createdBy: try r.decode(column: "created_by", as: String?.self), createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(millis: try r.decode(column: "updated_at", as: Int64.self)), version: try r.decode(column: "version", as: Int.self),
            productID: try r.decode(column: "product_id", as: String?.self),
            custom: { if case .object(let o)? = try? JSONParser.parse(try r.decode(column: "custom_json", as: String.self)) { o } else { [:] } }())
        return (t, TicketAccess(assigneeID: t.assigneeID, teamID: t.teamID, createdBy: t.createdBy,
                                customerOwnerID: try r.decode(column: "customer_owner_id", as: String?.self)),
                try r.decode(column: "customer_tier", as: String?.self))
    }

    static func decodeMessage(_ r: any SQLRow) throws -> TicketMessage {
        TicketMessage(id: try r.decode(column: "id", as: String.self), ticketID: try r.decode(column: "ticket_id", as: String.self),
                      kind: TicketMessage.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .note,
                      authorID: try r.decode(column: "author_id", as: String?.self), body: try r.decode(column: "body", as: String.self),
                      createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
    }

    static func pausesJSON(_ sla: TicketSLA) -> String {
        JSONCoding.encode(JSONValue.array(sla.pauses.map { .array([.number(Double($0.lowerBound.millis)), .number(Double($0.upperBound.millis))]) }))
    }

    static func insert(_ t: Ticket, workspaceID: String, sql: any SQLDatabase) async throws {
        let s = t.sla
        try await sql.raw("""
            INSERT INTO tickets (id, workspace_id, number, customer_id, subject, type, priority, status, channel, team_id, assignee_id, order_id,
              tags, policy_id, first_response_due_at, first_responded_at, awaiting_reply_since, next_response_due_at, resolution_due_at,
              resolved_at, paused_since, pauses_json, created_by, created_at, updated_at, version, product_id, custom_json)
            VALUES (\(bind: t.id), \(bind: workspaceID), \(bind: t.number), \(bind: t.customerID), \(bind: t.subject), \(bind: t.type.rawValue),
              \(bind: t.priority.rawValue), \(bind: t.status.rawValue), \(bind: t.channel.rawValue), \(bind: t.teamID), \(bind: t.assigneeID),
              \(bind: t.orderID), \(bind: t.tags.joined(separator: "\n")), \(bind: s.policyID), \(bind: s.firstResponseDueAt?.millis),
              \(bind: s.firstRespondedAt?.millis), \(bind: s.awaitingReplySince?.millis), \(bind: s.nextResponseDueAt?.millis),
              \(bind: s.resolutionDueAt?.millis), \(bind: s.resolvedAt?.millis), \(bind: s.pausedSince?.millis), \(bind: pausesJSON(s)),
              \(bind: t.createdBy), \(bind: t.createdAt.millis), \(bind: t.updatedAt.millis), \(bind: t.version), \(bind: t.productID),
              \(bind: JSONCoding.encode(JSONValue.object(t.custom))))
            """).run()
    }

    /// Writes every changed field under the next version.
    static func save(_ ticket: Ticket, now: Date, sql: any SQLDatabase) async throws -> Ticket {
        var t = ticket
        t.version += 1; t.updatedAt = now
        try await sql.raw("""
            UPDATE tickets SET type = \(bind: t.type.rawValue), priority = \(bind: t.priority.rawValue), status = \(bind: t.status.rawValue),
              team_id = \(bind: t.teamID), assignee_id = \(bind: t.assigneeID), tags = \(bind: t.tags.joined(separator: "\n")),
              product_id = \(bind: t.productID), custom_json = \(bind: JSONCoding.encode(JSONValue.object(t.custom))),
              updated_at = \(bind: now.millis), version = \(bind: t.version)
            WHERE id = \(bind: t.id)
            """).run()
        try await writeSLA(t, sql: sql)
        return t
    }

    static func writeSLA(_ t: Ticket, sql: any SQLDatabase) async throws {
        let s = t.sla
        try await sql.raw("""
            UPDATE tickets SET policy_id = \(bind: s.policyID), first_response_due_at = \(bind: s.firstResponseDueAt?.millis),
              first_responded_at = \(bind: s.firstRespondedAt?.millis), awaiting_reply_since = \(bind: s.awaitingReplySince?.millis),
              next_response_due_at = \(bind: s.nextResponseDueAt?.millis), resolution_due_at = \(bind: s.resolutionDueAt?.millis),
              resolved_at = \(bind: s.resolvedAt?.millis), paused_since = \(bind: s.pausedSince?.millis), pauses_json = \(bind: pausesJSON(s))
            WHERE id = \(bind: t.id)
            """).run()
    }

    /// Adds a message to a ticket's conversation, and the ticket to the search index's queue.
    static func append(_ m: TicketMessage, tx: Tx) async throws {
        try await tx.sql.raw("""
            INSERT INTO ticket_messages (id, workspace_id, ticket_id, kind, author_id, body, created_at)
            VALUES (\(bind: m.id), \(bind: tx.scope.workspaceID), \(bind: m.ticketID), \(bind: m.kind.rawValue), \(bind: m.authorID), \(bind: m.body),
              \(bind: m.createdAt.millis))
            """).run()
        try await TicketSearchIndex.queue(m.ticketID, messageID: m.id, tx: tx)
    }
}
