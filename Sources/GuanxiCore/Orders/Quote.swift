import Foundation

/// A quote's life: an inquiry (詢盤) arrives, is priced as a draft, sent, then accepted (it becomes
/// an order), rejected, or replaced by a revision. A sent quote past its validity is expired.
package enum QuoteStatus: String, Codable, Sendable, CaseIterable {
    case inquiry, draft, sent, accepted, rejected, superseded

    /// Moves people make directly (revision and acceptance have their own steps).
    package static let moves: [QuoteStatus: Set<QuoteStatus>] = [
        .inquiry: [.draft, .rejected],
        .draft: [.sent, .rejected],
        .sent: [.accepted, .rejected],
    ]

    /// Refuses a move this status cannot make, saying why.
    package func check(_ to: QuoteStatus) throws(DomainError) {
        if Self.moves[self]?.contains(to) == true { return }
        let why: String = switch self {
        case .accepted: "it was accepted and became an order"
        case .superseded: "a newer revision replaced it"
        case .rejected: "it was rejected; revise it to quote again"
        case .inquiry where to == .sent || to == .accepted: "an inquiry must be priced (draft) first"
        case .draft where to == .accepted: "a draft must be sent before it can be accepted"
        default: "that is not a next step"
        }
        throw DomainError.conflict("a \(rawValue) quote cannot become \(to.rawValue): \(why)")
    }

    /// Lines and prices can change only before the quote is sent (afterwards: revise).
    package var editable: Bool { self == .inquiry || self == .draft }
    /// A new revision may replace it.
    package var revisable: Bool { self == .draft || self == .sent || self == .rejected }
}

package struct Quote: Codable, Sendable, Equatable {
    package var id: String
    /// Shared by every revision, e.g. QT-2026-000042.
    package var number: String
    package var revision: Int
    package var previousID: String?
    package var status: QuoteStatus
    package var customerID: String
    package var dealID: String?
    package var ownerID: String?
    package var priceListID: String?
    package var title: String
    /// YYYY-MM-DD, the last day the prices hold.
    package var validUntil: String?
    package var lines: [LineItem]
    package var totals: DocumentTotals
    package var message: String?
    package var terms: String?
    package var reason: String?
    package var orderID: String?
    package var sentAt: Date?
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, number: String, revision: Int, previousID: String?, status: QuoteStatus, customerID: String, dealID: String?,
                ownerID: String?, priceListID: String?, title: String, validUntil: String?, lines: [LineItem], totals: DocumentTotals,
                message: String?, terms: String?, reason: String?, orderID: String?, sentAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.number = number; self.revision = revision; self.previousID = previousID; self.status = status
        self.customerID = customerID; self.dealID = dealID; self.ownerID = ownerID; self.priceListID = priceListID; self.title = title
        self.validUntil = validUntil; self.lines = lines; self.totals = totals; self.message = message; self.terms = terms
        self.reason = reason; self.orderID = orderID; self.sentAt = sentAt; self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// Sent, and its validity ended before `today` (YYYY-MM-DD).
    package func isExpired(today: String) -> Bool { status == .sent && (validUntil.map { $0 < today } ?? false) }

    enum CodingKeys: String, CodingKey {
        case id, number, revision, status, title, lines, totals, message, terms, reason, version
        case previousID = "previous_id", customerID = "customer_id", dealID = "deal_id", ownerID = "owner_id", priceListID = "price_list_id"
        case validUntil = "valid_until", orderID = "order_id", sentAt = "sent_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a client sends to open or change a quote (absent fields stay as they are).
package struct QuoteDraft: Codable, Sendable {
    package var customerID: String?
    package var dealID: String?
    package var ownerID: String?
    package var priceListID: String?
    package var currency: String?
    package var title: String?
    package var validUntil: String?
    package var lines: [LineDraft]?
    package var message: String?
    package var terms: String?
    /// Open as an inquiry (prices may be missing) rather than a priced draft.
    package var inquiry: Bool?
    package init() {}
    enum CodingKeys: String, CodingKey {
        case currency, title, lines, message, terms, inquiry
        case customerID = "customer_id", dealID = "deal_id", ownerID = "owner_id", priceListID = "price_list_id", validUntil = "valid_until"
    }

    package func validate(creating: Bool) throws(DomainError) {
        var e = FieldErrors()
        if creating && customerID == nil { e.add("customer_id", "is required") }
        for (k, v) in [("customer_id", customerID), ("deal_id", dealID), ("owner_id", ownerID), ("price_list_id", priceListID)] {
            if let v, !ID.isValid(v) { e.add(k, "is not a valid id") }
        }
        if let c = currency, Money.currencyCode(c) == nil { e.add("currency", "must be an ISO 4217 code such as CNY, TWD or USD") }
        if let t = title, t.count > 200 { e.add("title", "is at most 200 characters") }
        if let d = validUntil, Dates.parseDay(d) == nil { e.add("valid_until", "must be a date (YYYY-MM-DD)") }
        if let l = lines, l.count > 500 { e.add("lines", "at most 500 lines") }
        if creating && inquiry != true && (lines ?? []).isEmpty { e.add("lines", "a quote needs at least one line") }
        for (k, v) in [("message", message), ("terms", terms)] { if let v, v.count > 10_000 { e.add(k, "is at most 10000 characters") } }
        try e.throwIfAny()
    }
}
