import Foundation
import SQLKit
import GuanxiCore

/// What telling an issue's customers of its fix did: customers told now, those left out for having
/// no email address, those told before, and those whose tickets the agent may not work.
package struct FixNotices: Sendable, Equatable, Encodable {
    package var notified = 0
    package var skippedNoEmail = 0
    package var alreadyNotified = 0
    package var outOfReach = 0
    enum CodingKeys: String, CodingKey {
        case notified, skippedNoEmail = "skipped_no_email", alreadyNotified = "already_notified", outOfReach = "out_of_reach"
    }
}

/// A ticket's side of product issues, for its page: the issues it is linked to, the one suggested
/// for it (feedback and defects only), and every other issue it could join.
package struct TicketProductIssues: Sendable {
    package var linked: [ProductIssue]
    package var suggestion: ProductIssue?
    package var others: [ProductIssue]
}

/// Product issues: tickets of feedback and defects grouped for product. Figures come from one read
/// of the linked tickets the viewer may read (`ProductIssueRules.figures`); pushing publishes a
/// signed webhook event; a tracker sets the status back; a fixed issue's customers are told once
/// each through the ticket mail outbox.
package struct ProductIssueStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let outbox: MailOutbox?
    /// The most issues a list reads (newest first) before ranking them.
    package static let listLimit = 500

    package init(db: Database, clock: any GuanxiCore.Clock, outbox: MailOutbox? = nil) { self.db = db; self.clock = clock; self.outbox = outbox }

    static let columns = "p.id, p.title, p.product_id, p.status, p.external_ref, p.external_url, p.pushed_at, p.created_by, p.created_at, p.updated_at, p.version"

    // MARK: Read

    /// The workspace's issues (the newest `listLimit`), each with its figures over the tickets the
    /// scope may read, ranked as `sort` says; `status` filters.
    package func list(_ scope: Scope, sort: String? = nil, status: String? = nil) async throws -> [ProductIssue] {
        let level = try scope.require(.tickets, .read)
        var e = FieldErrors()
        let order = sort.map { ProductIssueSort(rawValue: $0) ?? { e.add("sort", "must be one of \(ProductIssueSort.allCases.map(\.rawValue).joined(separator: ", "))"); return .customers }() } ?? .customers
        if let status, ProductIssueStatus(rawValue: status) == nil {
            e.add("status", "must be one of \(ProductIssueStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try e.throwIfAny()
        return try await db.read { sql in
            var q = SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM product_issues p WHERE p.workspace_id = \(bind: scope.workspaceID)")
            if let status { q += " AND p.status = \(bind: status)" }
            q += " ORDER BY p.created_at DESC, p.id DESC LIMIT \(literal: Self.listLimit)"
            var issues = try await sql.raw(q).all().map(Self.decode)
            let figures = try await Self.figures(scope, level: level, revenue: Self.seesRevenue(scope), issueID: nil, sql: sql)
            for i in issues.indices { issues[i].figures = figures[issues[i].id] ?? ProductIssueFigures() }
            return ProductIssueRules.ranked(issues, by: order)
        }
    }

    package func get(_ scope: Scope, id: String) async throws -> ProductIssue {
        let level = try scope.require(.tickets, .read)
        return try await db.read { sql in
            try await Self.withFigures(try await Self.load(scope, id, sql: sql), scope, level: level, revenue: Self.seesRevenue(scope), sql: sql)
        }
    }

    /// The issue's linked tickets the scope may read, newest first.
    package func tickets(_ scope: Scope, id: String) async throws -> [Ticket] {
        let level = try scope.require(.tickets, .read)
        return try await db.read { sql in
            let issue = try await Self.load(scope, id, sql: sql)
            var q = SQLQueryString("""
                SELECT \(unsafeRaw: TicketStore.columns) \(unsafeRaw: TicketStore.from) JOIN product_issue_tickets l ON l.ticket_id = t.id
                WHERE l.issue_id = \(bind: issue.id) AND t.workspace_id = \(bind: scope.workspaceID)
                """)
            q += TicketStore.readLimit(scope, level)
            q += " ORDER BY t.created_at DESC, t.id DESC"
            return try await sql.raw(q).all().map { try TicketStore.decode($0).ticket }
        }
    }

    /// The customers already told of the issue's fix.
    package func notifiedCustomers(_ scope: Scope, id: String) async throws -> Set<String> {
        _ = try scope.require(.tickets, .read)
        return try await db.read { sql in
            let issue = try await Self.load(scope, id, sql: sql)
            return Set(try await Self.told(issue.id, sql: sql))
        }
    }

    /// A ticket's issues, the suggested one (for feedback and defects: the best match of its words
    /// and products, `ProductIssueRules.suggestion`) and the others it could be linked to.
    package func forTicket(_ scope: Scope, ticketID: String) async throws -> TicketProductIssues {
        try await db.read { sql in
            let t = try await TicketStore.load(scope, ticketID, for: .read, sql: sql).ticket
            let all = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM product_issues p WHERE p.workspace_id = \(bind: scope.workspaceID)
                ORDER BY p.created_at DESC, p.id DESC LIMIT \(literal: Self.listLimit)
                """).all().map(Self.decode)
            let linkedIDs = Set(try await sql.raw("""
                SELECT issue_id FROM product_issue_tickets WHERE workspace_id = \(bind: scope.workspaceID) AND ticket_id = \(bind: t.id)
                """).all().map { try $0.decode(column: "issue_id", as: String.self) })
            let others = all.filter { !linkedIDs.contains($0.id) }
            var suggestion: ProductIssue?
            if ProductIssueRules.suggestedTypes.contains(t.type), !others.isEmpty {
                let body = try await sql.raw("""
                    SELECT body FROM ticket_messages WHERE ticket_id = \(bind: t.id) AND kind = 'customer' ORDER BY created_at, id LIMIT 1
                    """).first()?.decode(column: "body", as: String.self) ?? ""
                var products: Set<String> = []
                if let order = t.orderID {
                    products = Set(try await sql.raw("""
                        SELECT product_id FROM order_lines WHERE workspace_id = \(bind: scope.workspaceID) AND order_id = \(bind: order) AND product_id IS NOT NULL
                        """).all().map { try $0.decode(column: "product_id", as: String.self) })
                }
                let id = ProductIssueRules.suggestion(subject: t.subject, body: body, productIDs: products,
                                                      among: others.map { (id: $0.id, title: $0.title, productID: $0.productID) })
                suggestion = others.first { $0.id == id }
            }
            return TicketProductIssues(linked: all.filter { linkedIDs.contains($0.id) }, suggestion: suggestion, others: others)
        }
    }

    // MARK: Write

    /// Creates an issue; with `ticketID`, from that ticket (linked at once; the scope must be able to work it).
    package func create(_ scope: Scope, _ change: ProductIssueChange, ticketID: String? = nil) async throws -> ProductIssue {
        _ = try scope.require(.tickets, .update)
        let c = try change.validated(creating: true)
        return try await db.write(scope, at: clock.now()) { tx in
            var ticket: Ticket?
            if let ticketID { ticket = try await TicketStore.load(scope, ticketID, for: .update, sql: tx.sql).ticket }
            if let p = c.productID ?? nil { try await Self.requireProduct(p, scope.workspaceID, sql: tx.sql) }
            let issue = ProductIssue(id: ID.make(at: tx.now), title: c.title ?? "", productID: c.productID ?? nil,
                                     status: c.status.flatMap(ProductIssueStatus.init(rawValue:)) ?? .open,
                                     externalRef: c.externalRef ?? nil, externalURL: c.externalURL ?? nil, pushedAt: nil,
                                     createdBy: scope.userID, createdAt: tx.now, updatedAt: tx.now, version: 1)
            try await tx.sql.raw("""
                INSERT INTO product_issues (id, workspace_id, title, product_id, status, external_ref, external_url, created_by, created_at, updated_at, version)
                VALUES (\(bind: issue.id), \(bind: scope.workspaceID), \(bind: issue.title), \(bind: issue.productID), \(bind: issue.status.rawValue),
                  \(bind: issue.externalRef), \(bind: issue.externalURL), \(bind: issue.createdBy), \(bind: tx.now.millis), \(bind: tx.now.millis), 1)
                """).run()
            try await tx.audit("create", "product_issues", issue.id, detail: AuditDetail.encoded(issue))
            if let ticket { try await Self.link(issue, ticket, tx: tx) }
            return try await Self.shown(issue, scope, sql: tx.sql)
        }
    }

    /// Changes title, product, status or the tracker's reference (If-Match: `ifVersion`).
    package func update(_ scope: Scope, id: String, _ change: ProductIssueChange, ifVersion: Int?) async throws -> ProductIssue {
        _ = try scope.require(.tickets, .update)
        let c = try change.validated(creating: false)
        return try await db.write(scope, at: clock.now()) { tx in
            let before = try await Self.load(scope, id, ifVersion: ifVersion, sql: tx.sql)
            if case .some(.some(let p)) = c.productID, p != before.productID { try await Self.requireProduct(p, scope.workspaceID, sql: tx.sql) }
            return try await Self.apply(c, to: before, action: "update", tx: tx)
        }
    }

    /// The tracker's word on the issue: its status and reference. Sending the same again changes
    /// nothing (no version, no audit entry, no event).
    package func trackerStatus(_ scope: Scope, id: String, status: String, externalRef: String?, externalURL: String?) async throws -> ProductIssue {
        _ = try scope.require(.tickets, .update)
        var change = ProductIssueChange()
        change.status = status
        if let externalRef { change.externalRef = .some(externalRef) }
        if let externalURL { change.externalURL = .some(externalURL) }
        let c = try change.validated(creating: false)
        return try await db.write(scope, at: clock.now()) { tx in
            try await Self.apply(c, to: try await Self.load(scope, id, sql: tx.sql), action: "tracker_status", tx: tx)
        }
    }

    /// Publishes `product_issue.pushed` with the issue and its figures over the whole workspace
    /// (revenue included: endpoints are set up by those who see everything), and stamps the push.
    package func push(_ scope: Scope, id: String) async throws -> ProductIssue {
        _ = try scope.require(.tickets, .update)
        return try await db.write(scope, at: clock.now()) { tx in
            var issue = try await Self.load(scope, id, sql: tx.sql)
            issue.pushedAt = tx.now
            issue = try await Self.save(issue, tx: tx)
            try await tx.audit("push", "product_issues", issue.id)
            let whole = try await Self.withFigures(issue, scope, level: .all, revenue: true, sql: tx.sql)
            try await tx.publish(.productIssuePushed, issue.id, whole)
            return try await Self.shown(issue, scope, sql: tx.sql)
        }
    }

    /// Links a ticket (of any type) the scope may work to the issue; linking it again changes nothing.
    package func link(_ scope: Scope, id: String, ticketID: String) async throws -> ProductIssue {
        _ = try scope.require(.tickets, .update)
        return try await db.write(scope, at: clock.now()) { tx in
            let issue = try await Self.load(scope, id, sql: tx.sql)
            let ticket = try await TicketStore.load(scope, ticketID, for: .update, sql: tx.sql).ticket
            try await Self.link(issue, ticket, tx: tx)
            return try await Self.shown(issue, scope, sql: tx.sql)
        }
    }

    /// Removes a ticket from the issue (404 when it was not linked).
    package func unlink(_ scope: Scope, id: String, ticketID: String) async throws {
        _ = try scope.require(.tickets, .update)
        try await db.write(scope, at: clock.now()) { tx in
            let issue = try await Self.load(scope, id, sql: tx.sql)
            let ticket = try await TicketStore.load(scope, ticketID, for: .update, sql: tx.sql).ticket
            guard try await tx.sql.raw("""
                DELETE FROM product_issue_tickets WHERE issue_id = \(bind: issue.id) AND ticket_id = \(bind: ticket.id) RETURNING ticket_id
                """).first() != nil else { throw DomainError.notFound("product_issue_link") }
            try await tx.audit("unlink", "product_issues", issue.id, detail: ["ticket_id": .string(ticket.id)])
        }
    }

    /// Tells a fixed issue's customers, once each: a reply on each customer's newest linked ticket
    /// (among those the scope may work), in `message` or else the standard notice, mailed through
    /// the ticket outbox and put on the customer's timeline. Customers without an email address are
    /// skipped and counted, and can still be told once they have one.
    package func notify(_ scope: Scope, id: String, message raw: String?) async throws -> FixNotices {
        let level = try scope.require(.tickets, .update)
        let custom = raw.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        if let custom, custom.count > 5_000 { throw DomainError.field("message", "must be at most 5000 characters") }
        let outbox = outbox
        let (answer, mailed) = try await db.write(scope, at: clock.now()) { tx -> (FixNotices, Bool) in
            let issue = try await Self.load(scope, id, sql: tx.sql)
            guard issue.status == .fixed else { throw DomainError.field("status", "only a fixed issue's customers can be notified") }
            var q = SQLQueryString("""
                SELECT t.id, t.customer_id, t.created_at, c.emails_json,
                  (SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.kind = 'customer' AND m.mail_address IS NOT NULL) AS mails
                \(unsafeRaw: TicketStore.from) JOIN product_issue_tickets l ON l.ticket_id = t.id
                WHERE l.issue_id = \(bind: issue.id) AND t.workspace_id = \(bind: scope.workspaceID)
                """)
            q += TicketStore.readLimit(scope, level)
            let reachable = try await tx.sql.raw(q).all().map { r in
                let emails = JSONCoding.decode([String].self, try r.decode(column: "emails_json", as: String.self)) ?? []
                let mails = try r.decode(column: "mails", as: Int.self)
                return (ticketID: try r.decode(column: "id", as: String.self), customerID: try r.decode(column: "customer_id", as: String.self),
                        openedAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)), hasEmail: !emails.isEmpty || mails > 0)
            }
            let everyone = Set(try await tx.sql.raw("""
                SELECT DISTINCT t.customer_id FROM tickets t JOIN product_issue_tickets l ON l.ticket_id = t.id WHERE l.issue_id = \(bind: issue.id)
                """).all().map { try $0.decode(column: "customer_id", as: String.self) })
            let told = Set(try await Self.told(issue.id, sql: tx.sql))
            let (targets, noEmail) = ProductIssueRules.recipients(reachable, alreadyTold: told)
            var out = FixNotices()
            out.skippedNoEmail = noEmail
            out.alreadyNotified = told.count
            out.outOfReach = everyone.subtracting(told).subtracting(reachable.map(\.customerID)).count
            var mailed = false
            for ticketID in targets {
                let t = try await TicketStore.load(scope, ticketID, for: .update, sql: tx.sql).ticket
                let m = TicketMessage(id: ID.make(at: tx.now), ticketID: t.id, kind: .reply, authorID: scope.userID,
                                      body: ProductIssueRules.fixNotice(number: t.number, title: issue.title, custom: custom), createdAt: tx.now)
                // the notice row first: a second notifier running at once finds it and tells nobody twice
                guard try await tx.sql.raw("""
                    INSERT INTO product_issue_notices (workspace_id, issue_id, customer_id, ticket_id, message_id, notified_by, notified_at)
                    VALUES (\(bind: scope.workspaceID), \(bind: issue.id), \(bind: t.customerID), \(bind: t.id), \(bind: m.id), \(bind: scope.userID),
                      \(bind: tx.now.millis))
                    ON CONFLICT (issue_id, customer_id) DO NOTHING RETURNING customer_id
                    """).first() != nil else { continue }
                try await TicketStore.append(m, tx: tx)
                if try await outbox?.queue(m, of: t, tx: tx) == true { mailed = true }
                try await tx.timeline(t.customerID, .ticket, data: ["step": "product_issue_fixed", "ticket_id": .string(t.id),
                                                                  "number": .number(Double(t.number)), "issue_id": .string(issue.id),
                                                                  "title": .string(issue.title)])
                out.notified += 1
            }
            try await tx.audit("notify", "product_issues", issue.id, detail: ["notified": .number(Double(out.notified)),
                                                                            "skipped_no_email": .number(Double(out.skippedNoEmail)),
                                                                            "out_of_reach": .number(Double(out.outOfReach))])
            return (out, mailed)
        }
        if mailed { await outbox?.ring() }
        return answer
    }

    // MARK: Inside a transaction

    /// Applies a validated change; nothing changed: the issue as it was, unsaved and unannounced.
    static func apply(_ c: ProductIssueChange, to before: ProductIssue, action: String, tx: Tx) async throws -> ProductIssue {
        var issue = before
        if let t = c.title { issue.title = t }
        if let p = c.productID { issue.productID = p }
        if let s = c.status.flatMap(ProductIssueStatus.init(rawValue:)) { issue.status = s }
        if let r = c.externalRef { issue.externalRef = r }
        if let u = c.externalURL { issue.externalURL = u }
        let scope = tx.scope
        guard issue != before else { return try await shown(issue, scope, sql: tx.sql) }
        issue = try await save(issue, tx: tx)
        try await tx.audit(action, "product_issues", issue.id, detail: AuditDetail.encoded(issue))
        let whole = try await withFigures(issue, scope, level: .all, revenue: true, sql: tx.sql)
        try await tx.publish(.productIssueUpdated, issue.id, whole,
                             changes: before.status == issue.status ? [:] : ["from": .string(before.status.rawValue), "to": .string(issue.status.rawValue)])
        return try await shown(issue, scope, sql: tx.sql)
    }

    static func link(_ issue: ProductIssue, _ t: Ticket, tx: Tx) async throws {
        let made = try await tx.sql.raw("""
            INSERT INTO product_issue_tickets (workspace_id, issue_id, ticket_id, linked_by, linked_at)
            VALUES (\(bind: tx.scope.workspaceID), \(bind: issue.id), \(bind: t.id), \(bind: tx.scope.userID), \(bind: tx.now.millis))
            ON CONFLICT (issue_id, ticket_id) DO NOTHING RETURNING ticket_id
            """).first() != nil
        if made { try await tx.audit("link", "product_issues", issue.id, detail: ["ticket_id": .string(t.id)]) }
    }

    /// Writes the issue under the next version.
    static func save(_ issue: ProductIssue, tx: Tx) async throws -> ProductIssue {
        var i = issue
        i.version += 1; i.updatedAt = tx.now
        try await tx.sql.raw("""
            UPDATE product_issues SET title = \(bind: i.title), product_id = \(bind: i.productID), status = \(bind: i.status.rawValue),
              external_ref = \(bind: i.externalRef), external_url = \(bind: i.externalURL), pushed_at = \(bind: i.pushedAt?.millis),
              updated_at = \(bind: i.updatedAt.millis), version = \(bind: i.version)
            WHERE id = \(bind: i.id)
            """).run()
        return i
    }

    // MARK: Figures

    /// Revenue is shown to those who read every order (the figures sum customers' orders whoever sold them).
    static func seesRevenue(_ scope: Scope) -> Bool { scope.level(.orders, .read) == .all }

    /// The issue as `scope` is answered it: with figures over what it may read (none for a token
    /// that may update tickets without reading them, such as a narrow tracker token).
    static func shown(_ issue: ProductIssue, _ scope: Scope, sql: any SQLDatabase) async throws -> ProductIssue {
        guard let level = scope.level(.tickets, .read) else { return issue }
        return try await withFigures(issue, scope, level: level, revenue: seesRevenue(scope), sql: sql)
    }

    static func withFigures(_ issue: ProductIssue, _ scope: Scope, level: AccessLevel, revenue: Bool, sql: any SQLDatabase) async throws -> ProductIssue {
        var i = issue
        i.figures = try await figures(scope, level: level, revenue: revenue, issueID: issue.id, sql: sql)[issue.id] ?? ProductIssueFigures()
        return i
    }

    /// Figures of one issue or all, over the linked tickets `scope` reaches at `level`: one read of
    /// the links and one of their customers' revenue (orders counting as revenue, per currency).
    static func figures(_ scope: Scope, level: AccessLevel, revenue: Bool, issueID: String?, sql: any SQLDatabase) async throws -> [String: ProductIssueFigures] {
        var linked = SQLQueryString("""
             \(unsafeRaw: TicketStore.from) JOIN product_issue_tickets l ON l.ticket_id = t.id WHERE l.workspace_id = \(bind: scope.workspaceID)
            """)
        if let issueID { linked += " AND l.issue_id = \(bind: issueID)" }
        linked += TicketStore.readLimit(scope, level)
        var read = SQLQueryString("SELECT l.issue_id, t.id, t.customer_id, t.created_at ")
        read += linked
        let links = try await sql.raw(read).all().map { r in
            ProductIssueLink(issueID: try r.decode(column: "issue_id", as: String.self), ticketID: try r.decode(column: "id", as: String.self),
                             customerID: try r.decode(column: "customer_id", as: String.self),
                             openedAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
        }
        var sums: [String: [Money]]?
        if revenue {
            sums = [:]
            if !links.isEmpty {
                var q = SQLQueryString("""
                    SELECT o.customer_id, o.currency, \(MoneySum.select("o.total", as: "s")) FROM orders o WHERE o.workspace_id = \(bind: scope.workspaceID)
                      AND o.status IN (\(binds: OrderStatus.countingAsRevenue.map(\.rawValue))) AND o.customer_id IN (SELECT t.customer_id
                    """)
                q += linked
                q += ") GROUP BY o.customer_id, o.currency"
                for r in try await sql.raw(q).all() {
                    sums![try r.decode(column: "customer_id", as: String.self), default: []].append(
                        Money(minor: try MoneySum.decode(r, "s"), currency: try r.decode(column: "currency", as: String.self)))
                }
            }
        }
        return ProductIssueRules.figures(links, revenue: sums)
    }

    // MARK: Rows

    /// The issue of the scope's workspace (404 `product_issue` otherwise); with `ifVersion`, 412 when it changed.
    static func load(_ scope: Scope, _ id: String, ifVersion: Int? = nil, sql: any SQLDatabase) async throws -> ProductIssue {
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM product_issues p WHERE p.id = \(bind: id.lowercased()) AND p.workspace_id = \(bind: scope.workspaceID)
            """).first() else { throw DomainError.notFound("product_issue") }
        let issue = try decode(r)
        if let v = ifVersion, v != issue.version { throw DomainError.staleVersion(current: issue.version) }
        return issue
    }

    static func told(_ issueID: String, sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("SELECT customer_id FROM product_issue_notices WHERE issue_id = \(bind: issueID)").all()
            .map { try $0.decode(column: "customer_id", as: String.self) }
    }

    static func requireProduct(_ id: String, _ workspaceID: String, sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT 1 AS x FROM products WHERE id = \(bind: id) AND workspace_id = \(bind: workspaceID)").first() != nil else {
            throw DomainError.field("product_id", "no such product")
        }
    }

    static func decode(_ r: any SQLRow) throws -> ProductIssue {
        ProductIssue(id: try r.decode(column: "id", as: String.self), title: try r.decode(column: "title", as: String.self),
                     productID: try r.decode(column: "product_id", as: String?.self),
                     status: ProductIssueStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
                     externalRef: try r.decode(column: "external_ref", as: String?.self), externalURL: try r.decode(column: "external_url", as: String?.self),
                     pushedAt: try r.decode(column: "pushed_at", as: Int64?.self).map(Date.init(millis:)),
                     createdBy: try r.decode(column: "created_by", as: String?.self),
                     createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
                     updatedAt: Date(millis: try r.decode(column: "updated_at", as: Int64.self)), version: try r.decode(column: "version", as: Int.self))
    }
}
