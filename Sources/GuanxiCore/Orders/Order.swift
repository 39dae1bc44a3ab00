import Foundation

/// Where an order stands, from the customer's order to their confirmation of receipt.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case placed, paid
    case partiallyShipped = "partially_shipped"
    case shipped, delivered, confirmed, cancelled, returned

    public var isClosed: Bool { self == .cancelled || self == .returned }
}

/// The steps people (or shop and ERP systems) take on an order.
public enum OrderStep: String, Codable, Sendable, CaseIterable {
    case pay, refund, plan, ship, deliver, confirm, cancel
    case returnGoods = "return"
}

/// The state an order step is checked against.
public struct OrderState: Sendable, Equatable {
    public var status: OrderStatus
    public var total: Int64
    /// Received minus refunded.
    public var netPaid: Int64
    public var refunded: Int64
    /// On credit: a collection plan (回款计划) lets the goods go before the money is in.
    public var hasPlan: Bool
    public var anythingShipped: Bool
    public init(status: OrderStatus, total: Int64, netPaid: Int64, refunded: Int64 = 0, hasPlan: Bool, anythingShipped: Bool) {
        self.status = status; self.total = total; self.netPaid = netPaid; self.refunded = refunded; self.hasPlan = hasPlan
        self.anythingShipped = anythingShipped
    }
}

/// The order state machine: one place that says whether a step may happen now, and why not.
public enum OrderRules {
    /// Refuses `step` in `state` with a sentence a salesperson (or an ERP log) can act on.
    public static func check(_ step: OrderStep, _ s: OrderState) throws(DomainError) {
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
    public static func afterPayment(_ s: OrderState) -> OrderStatus {
        guard s.status == .placed || s.status == .paid else { return s.status }
        return s.netPaid >= s.total ? .paid : .placed
    }
}

/// One line's delivery progress.
public struct OrderLine: Codable, Sendable, Equatable {
    public var item: LineItem
    public var shipped: Int
    public var returned: Int
    public init(item: LineItem, shipped: Int = 0, returned: Int = 0) { self.item = item; self.shipped = shipped; self.returned = returned }
    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(shipped, forKey: .shipped); try c.encode(returned, forKey: .returned)
    }
    public init(from decoder: any Decoder) throws {
        item = try LineItem(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        shipped = try c.decodeIfPresent(Int.self, forKey: .shipped) ?? 0
        returned = try c.decodeIfPresent(Int.self, forKey: .returned) ?? 0
    }
    enum Keys: String, CodingKey { case shipped, returned }
}

public struct Payment: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case payment, refund }
    public var id: String
    public var kind: Kind
    public var amount: Int64
    public var method: String?
    public var reference: String?
    public var note: String?
    public var paidAt: Date
    public var createdBy: String?
    public init(id: String, kind: Kind, amount: Int64, method: String?, reference: String?, note: String?, paidAt: Date, createdBy: String?) {
        self.id = id; self.kind = kind; self.amount = amount; self.method = method; self.reference = reference; self.note = note
        self.paidAt = paidAt; self.createdBy = createdBy
    }
    enum CodingKeys: String, CodingKey { case id, kind, amount, method, reference, note, paidAt = "paid_at", createdBy = "created_by" }
}

/// One instalment of a collection plan (回款计划).
public struct Instalment: Codable, Sendable, Equatable {
    public var dueDate: String
    public var amount: Int64
    /// How much of it the payments so far cover (paid instalments are covered in due-date order).
    public var covered: Int64
    public var overdue: Bool
    public init(dueDate: String, amount: Int64, covered: Int64 = 0, overdue: Bool = false) {
        self.dueDate = dueDate; self.amount = amount; self.covered = covered; self.overdue = overdue
    }
    enum CodingKeys: String, CodingKey { case amount, covered, overdue, dueDate = "due_date" }

    /// Spreads `netPaid` over the plan by due date and marks unpaid instalments due before `today`.
    public static func settle(_ plan: [Instalment], netPaid: Int64, today: String) -> [Instalment] {
        var left = max(0, netPaid)
        return plan.sorted { $0.dueDate < $1.dueDate }.map { i in
            var x = i
            x.covered = min(left, i.amount); left -= x.covered
            x.overdue = x.covered < x.amount && x.dueDate < today
            return x
        }
    }
}

public struct Shipment: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var lineID: String
        public var quantity: Int
        public init(lineID: String, quantity: Int) { self.lineID = lineID; self.quantity = quantity }
        enum CodingKeys: String, CodingKey { case quantity, lineID = "line_id" }
    }
    public var id: String
    public var carrier: String
    public var trackingNumber: String?
    public var lines: [Line]
    public var shippedAt: Date
    public var deliveredAt: Date?
    public init(id: String, carrier: String, trackingNumber: String?, lines: [Line], shippedAt: Date, deliveredAt: Date?) {
        self.id = id; self.carrier = carrier; self.trackingNumber = trackingNumber; self.lines = lines; self.shippedAt = shippedAt
        self.deliveredAt = deliveredAt
    }
    enum CodingKeys: String, CodingKey { case id, carrier, lines, trackingNumber = "tracking_number", shippedAt = "shipped_at", deliveredAt = "delivered_at" }
}

public struct Order: Codable, Sendable, Equatable {
    public var id: String
    public var number: String
    /// Who sent it ("api", "quote", or a shop/ERP name) and its id there; unique together.
    public var source: String
    public var externalID: String?
    public var status: OrderStatus
    public var customerID: String
    public var ownerID: String?
    public var quoteID: String?
    public var dealID: String?
    public var lines: [OrderLine]
    public var totals: DocumentTotals
    public var paid: Int64
    public var refunded: Int64
    public var note: String?
    public var cancelReason: String?
    public var placedAt: Date
    public var confirmedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    // filled on a single-order read
    public var payments: [Payment]?
    public var plan: [Instalment]?
    public var shipments: [Shipment]?

    public init(id: String, number: String, source: String, externalID: String?, status: OrderStatus, customerID: String, ownerID: String?,
                quoteID: String?, dealID: String?, lines: [OrderLine], totals: DocumentTotals, paid: Int64, refunded: Int64, note: String?,
                cancelReason: String?, placedAt: Date, confirmedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.number = number; self.source = source; self.externalID = externalID; self.status = status; self.customerID = customerID
        self.ownerID = ownerID; self.quoteID = quoteID; self.dealID = dealID; self.lines = lines; self.totals = totals; self.paid = paid
        self.refunded = refunded; self.note = note; self.cancelReason = cancelReason; self.placedAt = placedAt; self.confirmedAt = confirmedAt
        self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    public var netPaid: Int64 { paid - refunded }
    public var outstanding: Int64 { max(0, totals.total - netPaid) }

    public func state(hasPlan: Bool) -> OrderState {
        OrderState(status: status, total: totals.total, netPaid: netPaid, refunded: refunded, hasPlan: hasPlan,
                   anythingShipped: lines.contains { $0.shipped > 0 })
    }

    enum CodingKeys: String, CodingKey {
        case id, number, source, status, lines, totals, paid, refunded, note, version, payments, plan, shipments, outstanding
        case externalID = "external_id", customerID = "customer_id", ownerID = "owner_id", quoteID = "quote_id", dealID = "deal_id"
        case cancelReason = "cancel_reason", placedAt = "placed_at", confirmedAt = "confirmed_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id); number = try c.decode(String.self, forKey: .number)
        source = try c.decode(String.self, forKey: .source); externalID = try c.decodeIfPresent(String.self, forKey: .externalID)
        status = try c.decode(OrderStatus.self, forKey: .status); customerID = try c.decode(String.self, forKey: .customerID)
        ownerID = try c.decodeIfPresent(String.self, forKey: .ownerID); quoteID = try c.decodeIfPresent(String.self, forKey: .quoteID)
        dealID = try c.decodeIfPresent(String.self, forKey: .dealID); lines = try c.decode([OrderLine].self, forKey: .lines)
        totals = try c.decode(DocumentTotals.self, forKey: .totals); paid = try c.decode(Int64.self, forKey: .paid)
        refunded = try c.decode(Int64.self, forKey: .refunded); note = try c.decodeIfPresent(String.self, forKey: .note)
        cancelReason = try c.decodeIfPresent(String.self, forKey: .cancelReason); placedAt = try c.decode(Date.self, forKey: .placedAt)
        confirmedAt = try c.decodeIfPresent(Date.self, forKey: .confirmedAt); version = try c.decode(Int.self, forKey: .version)
        createdAt = try c.decode(Date.self, forKey: .createdAt); updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        payments = try c.decodeIfPresent([Payment].self, forKey: .payments); plan = try c.decodeIfPresent([Instalment].self, forKey: .plan)
        shipments = try c.decodeIfPresent([Shipment].self, forKey: .shipments)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(number, forKey: .number); try c.encode(source, forKey: .source)
        try c.encodeIfPresent(externalID, forKey: .externalID); try c.encode(status, forKey: .status); try c.encode(customerID, forKey: .customerID)
        try c.encodeIfPresent(ownerID, forKey: .ownerID); try c.encodeIfPresent(quoteID, forKey: .quoteID); try c.encodeIfPresent(dealID, forKey: .dealID)
        try c.encode(lines, forKey: .lines); try c.encode(totals, forKey: .totals); try c.encode(paid, forKey: .paid)
        try c.encode(refunded, forKey: .refunded); try c.encode(outstanding, forKey: .outstanding); try c.encodeIfPresent(note, forKey: .note)
        try c.encodeIfPresent(cancelReason, forKey: .cancelReason); try c.encode(placedAt, forKey: .placedAt)
        try c.encodeIfPresent(confirmedAt, forKey: .confirmedAt); try c.encode(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt); try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(payments, forKey: .payments); try c.encodeIfPresent(plan, forKey: .plan); try c.encodeIfPresent(shipments, forKey: .shipments)
    }
}

/// An order as a shop, an ERP or a person sends it. The customer is named by `customer_id`, or by
/// `customer` (found by external id, phone or email; created when none matches).
public struct OrderDraft: Codable, Sendable {
    public struct Buyer: Codable, Sendable {
        public var externalID: String?
        public var name: String?
        public var phone: String?
        public var email: String?
        public init(externalID: String? = nil, name: String? = nil, phone: String? = nil, email: String? = nil) {
            self.externalID = externalID; self.name = name; self.phone = phone; self.email = email
        }
        enum CodingKeys: String, CodingKey { case name, phone, email, externalID = "external_id" }
    }
    public var externalID: String?
    public var source: String?
    public var customerID: String?
    public var customer: Buyer?
    public var ownerID: String?
    public var dealID: String?
    public var priceListID: String?
    public var currency: String?
    public var lines: [LineDraft]?
    public var note: String?
    public var placedAt: Date?
    public init() {}
    enum CodingKeys: String, CodingKey {
        case source, customer, currency, lines, note
        case externalID = "external_id", customerID = "customer_id", ownerID = "owner_id", dealID = "deal_id", priceListID = "price_list_id"
        case placedAt = "placed_at"
    }

    /// Field errors in the draft itself (references are checked by the store).
    public func validate() throws(DomainError) {
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
        try e.throwIfAny()
    }
}
