import Foundation
import SQLKit
import GuanxiCore

/// Money received or given back.
package struct PaymentDraft: Codable, Sendable {
    package var amount: Int64
    package var method: String?
    package var reference: String?
    package var note: String?
    package var paidAt: Date?
    package init(amount: Int64, method: String? = nil, reference: String? = nil, note: String? = nil, paidAt: Date? = nil) {
        self.amount = amount; self.method = method; self.reference = reference; self.note = note; self.paidAt = paidAt
    }
    enum CodingKeys: String, CodingKey { case amount, method, reference, note, paidAt = "paid_at" }
}

package struct ShipmentDraft: Codable, Sendable {
    package var carrier: String
    package var trackingNumber: String?
    /// Omitted: everything not shipped yet.
    package var lines: [Shipment.Line]?
    /// When the parcel left (a logistics system reports it); omitted: now.
    package var shippedAt: Date?
    package init(carrier: String, trackingNumber: String? = nil, lines: [Shipment.Line]? = nil, shippedAt: Date? = nil) {
        self.carrier = carrier; self.trackingNumber = trackingNumber; self.lines = lines; self.shippedAt = shippedAt
    }
    enum CodingKeys: String, CodingKey { case carrier, lines, trackingNumber = "tracking_number", shippedAt = "shipped_at" }
}

extension OrderStore {
    /// Loads the order for update, checks the version, lets `body` change it (returning the step's
    /// name and what to record), then writes the order, the timeline entry and the audit event.
    func step(_ scope: Scope, _ id: String, ifVersion: Int?, _ step: OrderStep,
              _ body: @Sendable (inout Order, Bool, Date, any SQLDatabase) async throws -> (String, [String: JSONValue])) async throws -> Order {
        try await self.step(scope, id, ifVersion: ifVersion, step, done: nil, body).0
    }

    /// The same, with `done`: when it says the loaded order already shows what the step would do
    /// (a logistics system reporting the same parcel twice), the order is answered unchanged.
    func step(_ scope: Scope, _ id: String, ifVersion: Int?, _ step: OrderStep, done: (@Sendable (Order) throws -> Bool)?,
              _ body: @Sendable (inout Order, Bool, Date, any SQLDatabase) async throws -> (String, [String: JSONValue])) async throws -> (Order, changed: Bool) {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var (o, hasPlan) = try await Self.load(scope, id, for: .update, ifVersion: ifVersion, now: now, sql: sql)
            if let done, try done(o) { return (o, false) }
            try OrderRules.check(step, o.state(hasPlan: hasPlan))
            let before = o
            let (name, extra) = try await body(&o, hasPlan, now, sql)
            o.version += 1; o.updatedAt = now
            var stamps = ""
            if o.status != before.status {
                switch o.status {
                case .paid: stamps = ", paid_at = \(now.millis)"
                case .shipped: stamps = ", shipped_at = \(now.millis)"
                case .delivered: stamps = ", delivered_at = \(now.millis)"
                case .cancelled, .returned: stamps = ", closed_at = \(now.millis)"
                default: break
                }
            }
            try await sql.raw("""
                UPDATE orders SET status = \(bind: o.status.rawValue), paid = \(bind: o.paid), refunded = \(bind: o.refunded),
                  cancel_reason = \(bind: o.cancelReason), confirmed_at = \(bind: o.confirmedAt?.millis), version = \(bind: o.version),
                  updated_at = \(bind: now.millis)\(unsafeRaw: stamps) WHERE id = \(bind: o.id)
                """).run()
            for (n, l) in o.lines.enumerated() where l != before.lines[n] {
                try await sql.raw("""
                    UPDATE order_lines SET shipped = \(bind: l.shipped), returned = \(bind: l.returned) WHERE order_id = \(bind: o.id) AND position = \(bind: n + 1)
                    """).run()
            }
            let data = Self.eventData(o, step: name, extra: extra)
            try await ScoreChanges.note([o.customerID], tx: tx)
            try await tx.timeline(o.customerID, .order, data: data)
            try await tx.audit(name, "orders", o.id, detail: .object(data))
            let after = try await Self.load(scope, o.id, for: .read, now: now, sql: sql).0
            if o.status != before.status, let type = WebhookEventType(orderStatus: o.status) {
                try await Self.publish(type, [after], changes: ["from": .string(before.status.rawValue), "to": .string(o.status.rawValue)], tx: tx)
            }
            return (after, true)
        }
    }

    static func text(_ s: String?, max: Int) -> String? {
        s.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(max)) }
    }

    /// Records money received. Paying the rest moves an unshipped order to paid.
    package func pay(_ scope: Scope, id: String, _ p: PaymentDraft, ifVersion: Int? = nil) async throws -> Order {
        try await money(scope, id, p, kind: .payment, ifVersion: ifVersion)
    }

    /// Gives money back (never more than was received). A paid, unshipped order goes back to placed.
    package func refund(_ scope: Scope, id: String, _ p: PaymentDraft, ifVersion: Int? = nil) async throws -> Order {
        try await money(scope, id, p, kind: .refund, ifVersion: ifVersion)
    }

    func money(_ scope: Scope, _ id: String, _ p: PaymentDraft, kind: Payment.Kind, ifVersion: Int?) async throws -> Order {
        guard p.amount > 0 else { throw DomainError.field("amount", "must be more than zero (minor units)") }
        let by = scope.userID
        return try await step(scope, id, ifVersion: ifVersion, kind == .payment ? .pay : .refund) { o, _, now, sql in
            if kind == .payment, p.amount > o.outstanding {
                throw DomainError.field("amount", "is more than the \(o.outstanding) still owed (minor units, \(o.totals.currency))")
            }
            if kind == .refund, p.amount > o.netPaid {
                throw DomainError.field("amount", "is more than the \(o.netPaid) received (minor units, \(o.totals.currency))")
            }
            if kind == .payment { o.paid += p.amount } else { o.refunded += p.amount }
            o.status = OrderRules.afterPayment(o.state(hasPlan: false))
            let at = p.paidAt ?? now
            try await sql.raw("""
                INSERT INTO order_payments (id, workspace_id, order_id, kind, amount, method, reference, note, paid_at, created_by, created_at)
                VALUES (\(bind: ID.make(at: now)), \(bind: scope.workspaceID), \(bind: o.id), \(bind: kind.rawValue), \(bind: p.amount),
                  \(bind: Self.text(p.method, max: 40)), \(bind: Self.text(p.reference, max: 100)), \(bind: Self.text(p.note, max: 1000)),
                  \(bind: at.millis), \(bind: by), \(bind: now.millis))
                """).run()
            var extra: [String: JSONValue] = ["amount_minor": .number(Double(p.amount))]
            if let m = Self.text(p.method, max: 40) { extra["method"] = .string(m) }
            if let n = Self.text(p.note, max: 200) { extra["reason"] = .string(n) }
            return (kind == .payment ? "paid" : "refunded", extra)
        }
    }

    /// Agrees a collection plan (回款计划): instalments with due dates summing to the order total.
    /// An order with a plan may ship before it is paid.
    package func setPlan(_ scope: Scope, id: String, _ plan: [Instalment], ifVersion: Int? = nil) async throws -> Order {
        var e = FieldErrors()
        if plan.isEmpty || plan.count > 60 { e.add("instalments", "give 1 to 60 instalments") }
        for (i, x) in plan.enumerated() {
            if Dates.parseDay(x.dueDate) == nil { e.add("instalments[\(i)].due_date", "must be a date (YYYY-MM-DD)") }
            if x.amount <= 0 { e.add("instalments[\(i)].amount", "must be more than zero (minor units)") }
        }
        try e.throwIfAny()
        return try await step(scope, id, ifVersion: ifVersion, .plan) { o, _, _, sql in
            let sum = plan.reduce(Int64(0)) { $0 &+ $1.amount }
            guard sum == o.totals.total else {
                throw DomainError.field("instalments", "add up to \(sum) but the order total is \(o.totals.total) (minor units, \(o.totals.currency))")
            }
            try await sql.raw("DELETE FROM order_plans WHERE order_id = \(bind: o.id)").run()
            for (n, x) in plan.sorted(by: { $0.dueDate < $1.dueDate }).enumerated() {
                try await sql.raw("""
                    INSERT INTO order_plans (workspace_id, order_id, seq, due_date, amount)
                    VALUES (\(bind: scope.workspaceID), \(bind: o.id), \(bind: n + 1), \(bind: Dates.parseDay(x.dueDate)!), \(bind: x.amount))
                    """).run()
            }
            try await sql.raw("UPDATE orders SET has_plan = 1 WHERE id = \(bind: o.id)").run()
            return ("planned", ["instalments": .number(Double(plan.count))])
        }
    }

    /// Sends goods: some or all of what is not shipped yet, with the carrier and tracking number.
    package func ship(_ scope: Scope, id: String, _ s: ShipmentDraft, ifVersion: Int? = nil) async throws -> Order {
        try await ship(scope, id: id, s, ifVersion: ifVersion, done: nil).0
    }

    func ship(_ scope: Scope, id: String, _ s: ShipmentDraft, ifVersion: Int?, done: (@Sendable (Order) throws -> Bool)?) async throws -> (Order, changed: Bool) {
        guard let carrier = Self.text(s.carrier, max: 60) else { throw DomainError.field("carrier", "is required (e.g. 顺丰速运)") }
        let tracking = Self.text(s.trackingNumber, max: 60)
        try checkReported(s.shippedAt, field: "shipped_at")
        return try await step(scope, id, ifVersion: ifVersion, .ship, done: done) { o, _, now, sql in
            var lines: [Shipment.Line] = []
            var e = FieldErrors()
            if let wanted = s.lines {
                for (i, w) in wanted.enumerated() {
                    guard let n = o.lines.firstIndex(where: { $0.item.id == w.lineID }) else { e.add("lines[\(i)].line_id", "is not a line of this order"); continue }
                    let left = o.lines[n].item.quantity - o.lines[n].shipped
                    if w.quantity < 1 || w.quantity > left { e.add("lines[\(i)].quantity", "must be 1 to \(left) (not shipped yet)"); continue }
                    o.lines[n].shipped += w.quantity
                    lines.append(w)
                }
            } else {
                for n in o.lines.indices where o.lines[n].shipped < o.lines[n].item.quantity {
                    lines.append(Shipment.Line(lineID: o.lines[n].item.id, quantity: o.lines[n].item.quantity - o.lines[n].shipped))
                    o.lines[n].shipped = o.lines[n].item.quantity
                }
            }
            if lines.isEmpty && e.isEmpty { e.add("lines", "nothing to ship") }
            try e.throwIfAny()
            o.status = o.lines.allSatisfy({ $0.shipped >= $0.item.quantity }) ? .shipped : .partiallyShipped
            try await sql.raw("""
                INSERT INTO shipments (id, workspace_id, order_id, carrier, tracking_number, lines_json, shipped_at, created_by)
                VALUES (\(bind: ID.make(at: now)), \(bind: scope.workspaceID), \(bind: o.id), \(bind: carrier), \(bind: tracking),
                  \(bind: JSONCoding.encode(lines)), \(bind: (s.shippedAt ?? now).millis), \(bind: scope.userID))
                """).run()
            var extra: [String: JSONValue] = ["carrier": .string(carrier)]
            if let tracking { extra["tracking_number"] = .string(tracking) }
            return ("shipped", extra)
        }
    }

    /// Marks a shipment (or every shipment in transit) delivered; the order is delivered when all
    /// goods are shipped and every shipment has arrived.
    package func deliver(_ scope: Scope, id: String, shipmentID: String? = nil, ifVersion: Int? = nil) async throws -> Order {
        try await deliver(scope, id: id, shipmentID: shipmentID, at: nil, ifVersion: ifVersion, done: nil).0
    }

    func deliver(_ scope: Scope, id: String, shipmentID: String?, trackingNumber: String? = nil, at: Date?, ifVersion: Int?,
                 done: (@Sendable (Order) throws -> Bool)?) async throws -> (Order, changed: Bool) {
        try checkReported(at, field: "delivered_at")
        return try await step(scope, id, ifVersion: ifVersion, .deliver, done: done) { o, _, now, sql in
            var q = SQLQueryString("UPDATE shipments SET delivered_at = \(bind: (at ?? now).millis) WHERE order_id = \(bind: o.id) AND delivered_at IS NULL")
            if let s = shipmentID { q += " AND id = \(bind: s.lowercased())" }
            if let t = trackingNumber { q += " AND tracking_number = \(bind: t)" }
            let changed = try await sql.raw(q + " RETURNING id").all().count
            if changed == 0 { throw DomainError.conflict(shipmentID == nil && trackingNumber == nil ? "every shipment has arrived already" : "no such shipment in transit") }
            let inTransit = try await sql.raw("SELECT 1 AS x FROM shipments WHERE order_id = \(bind: o.id) AND delivered_at IS NULL LIMIT 1").first()
            if o.status == .shipped && inTransit == nil { o.status = .delivered }
            return ("delivered", [:])
        }
    }

    /// The customer confirms receipt (确认收货).
    package func confirm(_ scope: Scope, id: String, ifVersion: Int? = nil) async throws -> Order {
        try await step(scope, id, ifVersion: ifVersion, .confirm) { o, _, now, _ in
            o.status = .confirmed; o.confirmedAt = now
            return ("confirmed", [:])
        }
    }

    /// Cancels an order nothing has been shipped or (net) paid for.
    package func cancel(_ scope: Scope, id: String, reason: String?, ifVersion: Int? = nil) async throws -> Order {
        guard let why = Self.text(reason, max: 200) else { throw DomainError.field("reason", "say why the order is cancelled") }
        return try await step(scope, id, ifVersion: ifVersion, .cancel) { o, _, _, _ in
            o.status = .cancelled; o.cancelReason = why
            return ("cancelled", ["reason": .string(why)])
        }
    }

    /// Takes goods back. When everything shipped has come back the order is returned; refunds are
    /// their own step (the amount is the seller's decision).
    package func returnGoods(_ scope: Scope, id: String, lines wanted: [Shipment.Line], reason: String?, ifVersion: Int? = nil) async throws -> Order {
        guard let why = Self.text(reason, max: 200) else { throw DomainError.field("reason", "say why the goods came back") }
        guard !wanted.isEmpty else { throw DomainError.field("lines", "name the lines and quantities returned") }
        return try await step(scope, id, ifVersion: ifVersion, .returnGoods) { o, _, _, _ in
            var e = FieldErrors()
            for (i, w) in wanted.enumerated() {
                guard let n = o.lines.firstIndex(where: { $0.item.id == w.lineID }) else { e.add("lines[\(i)].line_id", "is not a line of this order"); continue }
                let left = o.lines[n].shipped - o.lines[n].returned
                if w.quantity < 1 || w.quantity > left { e.add("lines[\(i)].quantity", "must be 1 to \(left) (shipped and not returned)"); continue }
                o.lines[n].returned += w.quantity
            }
            try e.throwIfAny()
            if o.lines.allSatisfy({ $0.returned >= $0.item.quantity }) { o.status = .returned }
            return ("returned", ["reason": .string(why), "lines": .number(Double(wanted.count))])
        }
    }
}

/// Shipment and delivery reports from a logistics system, which knows an order by the id the shop
/// or ERP gave it. They go through the same steps (and rules, timeline, audit and webhooks) as the
/// order page's buttons; a parcel reported twice (its tracking number) changes nothing.
extension OrderStore {
    /// `shipped_at` / `delivered_at` a system reports: not more than a day ahead of our clock.
    func checkReported(_ at: Date?, field: String) throws(DomainError) {
        if let at, at.timeIntervalSince1970 < 0 || at > clock.now().addingTimeInterval(86_400) { throw DomainError.field(field, "is not a plausible time") }
    }

    /// The order a shop or ERP knows by `externalID` (from `source`, when several systems use the
    /// same ids), if the scope may read it.
    func byExternalID(_ scope: Scope, _ externalID: String, source: String?) async throws -> String {
        guard !externalID.isEmpty, externalID.count <= 100 else { throw DomainError.notFound("order") }
        let rows = try await db.read { sql in
            var q = SQLQueryString("SELECT id FROM orders WHERE workspace_id = \(bind: scope.workspaceID) AND external_id = \(bind: externalID)")
            if let source { q += " AND source = \(bind: source)" }
            return try await sql.raw(q + " ORDER BY id LIMIT 2").all().map { try $0.decode(column: "id", as: String.self) }
        }
        guard let first = rows.first else { throw DomainError.notFound("order") }
        if rows.count > 1 { throw DomainError.conflict("several orders have this external id; name the source (?source=)") }
        return first   // the step's own load answers 404 to a scope that may not read it
    }

    /// A shipped line as a logistics system names it: the order line's id, or the product's SKU.
    package struct ReportedLine: Sendable {
        package var lineID: String?
        package var sku: String?
        package var quantity: Int
        package init(lineID: String?, sku: String?, quantity: Int) { self.lineID = lineID; self.sku = sku; self.quantity = quantity }
    }

    /// A parcel of the order left: carrier, tracking number, when, and (optionally) which lines.
    /// The same tracking number again answers the order unchanged.
    package func shipByExternalID(_ scope: Scope, externalID: String, source: String?, _ draft: ShipmentDraft,
                                  lines reported: [ReportedLine]?) async throws -> (Order, changed: Bool) {
        let id = try await byExternalID(scope, externalID, source: source)
        var s = draft
        if let reported {
            // a warehouse names lines by SKU: the order's first line of that product
            let o = try await get(scope, id: id)
            var e = FieldErrors()
            s.lines = reported.enumerated().compactMap { i, r in
                if let l = r.lineID { return Shipment.Line(lineID: l, quantity: r.quantity) }
                guard let sku = r.sku, let l = o.lines.first(where: { $0.item.sku == sku && $0.shipped < $0.item.quantity }) ?? o.lines.first(where: { $0.item.sku == sku }) else {
                    e.add("lines[\(i)].sku", "is not a line of this order"); return nil
                }
                return Shipment.Line(lineID: l.item.id, quantity: r.quantity)
            }
            try e.throwIfAny()
        }
        let tracking = Self.text(s.trackingNumber, max: 60)
        return try await ship(scope, id: id, s, ifVersion: nil, done: { o in
            tracking != nil && (o.shipments ?? []).contains { $0.trackingNumber == tracking }
        })
    }

    /// The order's parcels arrived: the one with `trackingNumber`, or every one in transit. A
    /// delivery reported again answers the order unchanged.
    package func deliverByExternalID(_ scope: Scope, externalID: String, source: String?, trackingNumber: String?,
                                     deliveredAt: Date?) async throws -> (Order, changed: Bool) {
        let id = try await byExternalID(scope, externalID, source: source)
        let tracking = Self.text(trackingNumber, max: 60)
        return try await deliver(scope, id: id, shipmentID: nil, trackingNumber: tracking, at: deliveredAt, ifVersion: nil, done: { o in
            let matching = (o.shipments ?? []).filter { tracking == nil || $0.trackingNumber == tracking }
            if let tracking, matching.isEmpty { throw DomainError.field("tracking_number", "no parcel of this order has tracking number \(tracking)") }
            return !matching.isEmpty && matching.allSatisfy { $0.deliveredAt != nil }
        })
    }
}
