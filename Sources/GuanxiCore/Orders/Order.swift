import Foundation

/// Where an order stands, from the customer's order to their confirmation of receipt.
package enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case placed, paid
    case partiallyShipped = "partially_shipped"
    case shipped, delivered, confirmed, cancelled, returned

    package var isClosed: Bool { self == .cancelled || self == .returned }

    /// Revenue, wherever it is summed (sales targets, product issues): the total of the orders in
    /// these statuses — placed and not cancelled or returned.
    package static let countingAsRevenue: [OrderStatus] = allCases.filter { !$0.isClosed }
}

/// The steps people (or shop and ERP systems) take on an order.
package enum OrderStep: String, Codable, Sendable, CaseIterable {
    case pay, refund, plan, ship, deliver, confirm, cancel
    case returnGoods = "return"
}

/// The state an order step is checked against.
package struct OrderState: Sendable, Equatable {
    package var status: OrderStatus
    package var total: Int64
    /// Received minus refunded.
    package var netPaid: Int64
    package var refunded: Int64
    /// On credit: a collection plan (回款计划) lets the goods go before the money is in.
    package var hasPlan: Bool
    package var anythingShipped: Bool
    /// Held for credit approval: it took the customer past their credit limit (`CreditRules.hold`).
    package var held: Bool
    package init(status: OrderStatus, total: Int64, netPaid: Int64, refunded: Int64 = 0, hasPlan: Bool, anythingShipped: Bool, held: Bool = false) {
        self.status = status; self.total = total; self.netPaid = netPaid; self.refunded = refunded; self.hasPlan = hasPlan
        self.anythingShipped = anythingShipped; self.held = held
    }
}

/// The order state machine: one place that says whether a step may happen now, and why not.
package enum OrderRules {
    /// Refuses `step` in `state` with a sentence a salesperson (or an ERP log) can act on.
    package static func check(_ step: OrderStep, _ s: OrderState) throws(DomainError) {
        func no(_ why: String) -> DomainError { .conflict("cannot \(step.rawValue) a \(s.status.rawValue) order: \(why)") }
        switch step {
        case .pay:
            if s.status.isClosed { throw no("it is \(s.status.rawValue)") }
            if s.netPaid >= s.total { throw no("it is paid in full") }
        case .refund:
            if s.netPaid <= 0 { throw no("nothing has been paid that could be refunded") }
        case .plan:
            if s.status.isClosed { throw no("it is \(s.status.rawValue)") }
            if s.netPaid >= s.total { throw no("it is paid in full") }
        case .ship:
            if s.held { throw DomainError.conflict("the order is held for credit approval; it ships once released") }
            switch s.status {
            case .paid, .partiallyShipped: return
            case .placed where s.hasPlan: return
            case .placed: throw no("it is not paid in full; record the payment, or agree a collection plan (回款计划) to ship on credit")
            case .shipped, .delivered, .confirmed: throw no("everything has been shipped")
            case .cancelled, .returned: throw no("it is \(s.status.rawValue)")
            }
        case .deliver:
            if ![.shipped, .partiallyShipped].contains(s.status) {
                throw no(s.anythingShipped ? "it was delivered already" : "nothing has been shipped yet")
            }
        case .confirm:
            if s.status != .delivered {
                throw no(s.status == .confirmed ? "the customer confirmed it already" : "the customer confirms receipt after delivery")
            }
        case .cancel:
            if s.status.isClosed { throw no("it is \(s.status.rawValue) already") }
            if s.anythingShipped { throw no("goods have been shipped; record a return instead") }
            if s.netPaid > 0 { throw no("money has been received; refund it first") }
        case .returnGoods:
            if ![.partiallyShipped, .shipped, .delivered, .confirmed].contains(s.status) {
                throw no(s.status == .returned ? "everything was returned already" : "nothing has been shipped that could come back")
            }
        }
    }

    /// The status after money moved (only an unshipped order moves between placed and paid).
    package static func afterPayment(_ s: OrderState) -> OrderStatus {
        guard s.status == .placed || s.status == .paid else { return s.status }
        return s.netPaid >= s.total ? .paid : .placed
    }
}

/// One line's delivery progress.
package struct OrderLine: Codable, Sendable, Equatable {
    package var item: LineItem
    package var shipped: Int
    package var returned: Int
    package init(item: LineItem, shipped: Int = 0, returned: Int = 0) { self.item = item; self.shipped = shipped; self.returned = returned }
    package func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(shipped, forKey: .shipped); try c.encode(returned, forKey: .returned)
    }
    package init(from decoder: any Decoder) throws {
        item = try LineItem(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        shipped = try c.decodeIfPresent(Int.self, forKey: .shipped) ?? 0
        returned = try c.decodeIfPresent(Int.self, forKey: .returned) ?? 0
    }
    enum Keys: String, CodingKey { case shipped, returned }
}

package struct Payment: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable { case payment, refund }
    package var id: String
    package var kind: Kind
    package var amount: Int64
    package var method: String?
    package var reference: String?
    package var note: String?
    package var paidAt: Date
    package var createdBy: String?
    package init(id: String, kind: Kind, amount: Int64, method: String?, reference: String?, note: String?, paidAt: Date, createdBy: String?) {
        self.id = id; self.kind = kind; self.amount = amount; self.method = method; self.reference = reference; self.note = note
        self.paidAt = paidAt; self.createdBy = createdBy
    }
    enum CodingKeys: String, CodingKey { case id, kind, amount, method, reference, note, paidAt = "paid_at", createdBy = "created_by" }
}

/// One instalment of a collection plan (回款计划).
package struct Instalment: Codable, Sendable, Equatable {
    package var dueDate: String
    package var amount: Int64
    /// How much of it the payments so far cover (paid instalments are covered in due-date order).
    package var covered: Int64
    package var overdue: Bool
    package init(dueDate: String, amount: Int64, covered: Int64 = 0, overdue: Bool = false) {
        self.dueDate = dueDate; self.amount = amount; self.covered = covered; self.overdue = overdue
    }
    enum CodingKeys: String, CodingKey { case amount, covered, overdue, dueDate = "due_date" }

    /// Spreads `netPaid` over the plan by due date and marks unpaid instalments due before `today`.
    package static func settle(_ plan: [Instalment], netPaid: Int64, today: String) -> [Instalment] {
        var left = max(0, netPaid)
        return plan.sorted { $0.dueDate < $1.dueDate }.map { i in
            var x = i
            x.covered = min(left, i.amount); left -= x.covered
            x.overdue = x.covered < x.amount && x.dueDate < today
            return x
        }
    }
}

package struct Shipment: Codable, Sendable, Equatable {
    package struct Line: Codable, Sendable, Equatable {
        package var lineID: String
        package var quantity: Int
        package init(lineID: String, quantity: Int) { self.lineID = lineID; self.quantity = quantity }
        enum CodingKeys: String, CodingKey { case quantity, lineID = "line_id" }
    }
    package var id: String
    package var carrier: String
    package var trackingNumber: String?
    package var lines: [Line]
    package var shippedAt: Date
    package var deliveredAt: Date?
    package init(id: String, carrier: String, trackingNumber: String?, lines: [Line], shippedAt: Date, deliveredAt: Date?) {
        self.id = id; self.carrier = carrier; self.trackingNumber = trackingNumber; self.lines = lines; self.shippedAt = shippedAt
        self.deliveredAt = deliveredAt
    }
    enum CodingKeys: String, CodingKey { case id, carrier, lines, trackingNumber = "tracking_number", shippedAt = "shipped_at", deliveredAt = "delivered_at" }
}

package struct Order: Codable, Sendable, Equatable {
    package var id: String
    package var number: String
    /// Who sent it ("api", "quote", or a shop/ERP name) and its id there; unique together.
    package var source: String
    package var externalID: String?
    package var status: OrderStatus
    package var customerID: String
    package var ownerID: String?
    package var quoteID: String?
    package var dealID: String?
    package var lines: [OrderLine]
    package var totals: DocumentTotals
    package var paid: Int64
    package var refunded: Int64
    package var note: String?
    /// Where the goods go (the consignee and address a courier needs).
    package var shipTo: ShipTo?
    package var cancelReason: String?
    package var placedAt: Date
    package var confirmedAt: Date?
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date
    // filled on a single-order read
    package var payments: [Payment]?
    package var plan: [Instalment]?
    package var shipments: [Shipment]?
    /// Why the order waits for credit approval (nil: it does not); goods do not ship until released.
    package var creditHold: DomainMessage?

    package init(id: String, number: String, source: String, externalID: String?, status: OrderStatus, customerID: String, ownerID: String?,
                quoteID: String?, dealID: String?, lines: [OrderLine], totals: DocumentTotals, paid: Int64, refunded: Int64, note: String?,
                cancelReason: String?, placedAt: Date, confirmedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.number = number; self.source = source; self.externalID = externalID; self.status = status; self.customerID = customerID
        self.ownerID = ownerID; self.quoteID = quoteID; self.dealID = dealID; self.lines = lines; self.totals = totals; self.paid = paid
        self.refunded = refunded; self.note = note; self.cancelReason = cancelReason; self.placedAt = placedAt; self.confirmedAt = confirmedAt
        self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    package func with(shipTo: ShipTo?) -> Order { var o = self; o.shipTo = shipTo; return o }

    package var netPaid: Int64 { paid - refunded }
    package var outstanding: Int64 { max(0, totals.total - netPaid) }

    package func state(hasPlan: Bool) -> OrderState {
        OrderState(status: status, total: totals.total, netPaid: netPaid, refunded: refunded, hasPlan: hasPlan,
                   anythingShipped: lines.contains { $0.shipped > 0 }, held: creditHold != nil)
    }

    enum CodingKeys: String, CodingKey {
        case id, number, source, status, lines, totals, paid, refunded, note, version, payments, plan, shipments, outstanding
        case externalID = "external_id", customerID = "customer_id", ownerID = "owner_id", quoteID = "quote_id", dealID = "deal_id"
        case shipTo = "ship_to", creditHold = "credit_hold"
        case cancelReason = "cancel_reason", placedAt = "placed_at", confirmedAt = "confirmed_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id); number = try c.decode(String.self, forKey: .number)
        source = try c.decode(String.self, forKey: .source); externalID = try c.decodeIfPresent(String.self, forKey: .externalID)
        status = try c.decode(OrderStatus.self, forKey: .status); customerID = try c.decode(String.self, forKey: .customerID)
        ownerID = try c.decodeIfPresent(String.self, forKey: .ownerID); quoteID = try c.decodeIfPresent(String.self, forKey: .quoteID)
        dealID = try c.decodeIfPresent(String.self, forKey: .dealID); lines = try c.decode([OrderLine].self, forKey: .lines)
        totals = try c.decode(DocumentTotals.self, forKey: .totals); paid = try c.decode(Int64.self, forKey: .paid)
        refunded = try c.decode(Int64.self, forKey: .refunded); note = try c.decodeIfPresent(String.self, forKey: .note)
        shipTo = try c.decodeIfPresent(ShipTo.self, forKey: .shipTo)
        cancelReason = try c.decodeIfPresent(String.self, forKey: .cancelReason); placedAt = try c.decode(Date.self, forKey: .placedAt)
        confirmedAt = try c.decodeIfPresent(Date.self, forKey: .confirmedAt); version = try c.decode(Int.self, forKey: .version)
        createdAt = try c.decode(Date.self, forKey: .createdAt); updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        payments = try c.decodeIfPresent([Payment].self, forKey: .payments); plan = try c.decodeIfPresent([Instalment].self, forKey: .plan)
        shipments = try c.decodeIfPresent([Shipment].self, forKey: .shipments)
        creditHold = try c.decodeIfPresent(DomainMessage.self, forKey: .creditHold)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(number, forKey: .number); try c.encode(source, forKey: .source)
        try c.encodeIfPresent(externalID, forKey: .externalID); try c.encode(status, forKey: .status); try c.encode(customerID, forKey: .customerID)
        try c.encodeIfPresent(ownerID, forKey: .ownerID); try c.encodeIfPresent(quoteID, forKey: .quoteID); try c.encodeIfPresent(dealID, forKey: .dealID)
        try c.encode(lines, forKey: .lines); try c.encode(totals, forKey: .totals); try c.encode(paid, forKey: .paid)
        try c.encode(refunded, forKey: .refunded); try c.encode(outstanding, forKey: .outstanding); try c.encodeIfPresent(note, forKey: .note)
        try c.encodeIfPresent(shipTo, forKey: .shipTo)
        try c.encodeIfPresent(cancelReason, forKey: .cancelReason); try c.encode(placedAt, forKey: .placedAt)
        try c.encodeIfPresent(confirmedAt, forKey: .confirmedAt); try c.encode(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt); try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(payments, forKey: .payments); try c.encodeIfPresent(plan, forKey: .plan); try c.encodeIfPresent(shipments, forKey: .shipments)
        try c.encodeIfPresent(creditHold, forKey: .creditHold)
    }
}

/// An order as a shop, an ERP or a person sends it. The customer is named by `customer_id`, or by
/// `customer` (found by external id, phone or email; created when none matches).
package struct OrderDraft: Codable, Sendable {
    package struct Buyer: Codable, Sendable {
        package var externalID: String?
        package var name: String?
        package var phone: String?
        package var email: String?
        package init(externalID: String? = nil, name: String? = nil, phone: String? = nil, email: String? = nil) {
            self.externalID = externalID; self.name = name; self.phone = phone; self.email = email
        }
        enum CodingKeys: String, CodingKey { case name, phone, email, externalID = "external_id" }
    }
    package var externalID: String?
    package var source: String?
    package var customerID: String?
    package var customer: Buyer?
    package var ownerID: String?
    package var dealID: String?
    package var priceListID: String?
    package var currency: String?
    package var lines: [LineDraft]?
    package var note: String?
    package var shipTo: ShipTo?
    package var placedAt: Date?
    package init() {}
    enum CodingKeys: String, CodingKey {
        case source, customer, currency, lines, note
        case shipTo = "ship_to"
        case externalID = "external_id", customerID = "customer_id", ownerID = "owner_id", dealID = "deal_id", priceListID = "price_list_id"
        case placedAt = "placed_at"
    }

    /// Field errors in the draft itself (references are checked by the store).
    package func validate() throws(DomainError) {
        var e = FieldErrors()
        if customerID == nil && customer == nil { e.add("customer_id", "is required (or give customer with external_id, phone or email)") }
        if let b = customer, customerID == nil {
            if [b.externalID, b.phone, b.email].allSatisfy({ ($0 ?? "").isEmpty }) { e.add("customer", "needs external_id, phone or email") }
            if let n = b.name, n.count > 200 { e.add("customer.name", "is at most 200 characters") }
        }
        for (k, v) in [("customer_id", customerID), ("owner_id", ownerID), ("deal_id", dealID), ("price_list_id", priceListID)] {
            if let v, !ID.isValid(v) { e.add(k, "is not a valid id") }
        }
        if let x = externalID, x.isEmpty || x.count > 100 { e.add("external_id", "is 1 to 100 characters") }
        if let s = source, s.isEmpty || s.count > 40 || s.contains(where: { $0.isWhitespace }) { e.add("source", "is 1 to 40 characters without spaces") }
        if let c = currency, Money.currencyCode(c) == nil { e.add("currency", "must be an ISO 4217 code such as CNY, TWD or USD") }
        if (lines ?? []).isEmpty { e.add("lines", "an order needs at least one line") }
        if let l = lines, l.count > 500 { e.add("lines", "at most 500 lines") }
        if let n = note, n.count > 10_000 { e.add("note", "is at most 10000 characters") }
        do { _ = try shipTo?.validated() } catch { if case .validation(let m) = error { for (k, v) in m { e.add(k, v) } } }
        try e.throwIfAny()
    }
}
