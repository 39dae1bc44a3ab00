import Foundation

/// Where a product issue stands in product's hands.
package enum ProductIssueStatus: String, Codable, Sendable, CaseIterable {
    case open, planned
    case inProgress = "in_progress"
    case fixed
    case wontFix = "wont_fix"
}

/// What a product issue's linked tickets add up to, over the tickets the viewer may read:
/// distinct customers, tickets, those customers' revenue (per currency, as the sales reports count
/// it; nil when the viewer may not read every order) and when it was first and last reported.
package struct ProductIssueFigures: Sendable, Equatable {
    package var customers: Int = 0
    package var tickets: Int = 0
    package var revenue: [Money]?
    package var firstSeen: Date?
    package var lastSeen: Date?
    package init() {}

    /// The revenue in `currency` (the ranking's key), 0 without any.
    package func revenue(in currency: String) -> Int64 { revenue?.first { $0.currency == currency }?.minor ?? 0 }
}

/// A product issue: the service desk's customer feedback and defects grouped for product, with
/// its reference in an external tracker.
package struct ProductIssue: Sendable, Equatable {
    package var id: String
    package var title: String
    package var productID: String?
    package var status: ProductIssueStatus
    package var externalRef: String?
    package var externalURL: String?
    package var pushedAt: Date?
    package var createdBy: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var version: Int
    package var figures = ProductIssueFigures()

    package init(id: String, title: String, productID: String?, status: ProductIssueStatus, externalRef: String?, externalURL: String?,
                 pushedAt: Date?, createdBy: String?, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id; self.title = title; self.productID = productID; self.status = status; self.externalRef = externalRef
        self.externalURL = externalURL; self.pushedAt = pushedAt; self.createdBy = createdBy; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.version = version
    }
}

extension ProductIssue: JSONWritable, Encodable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("created_at", createdAt); Self.put(&w, "created_by", createdBy); Self.put(&w, "external_ref", externalRef)
            Self.put(&w, "external_url", externalURL)
            w.key("figures")
            w.object { w in
                w.member("customers", figures.customers)
                Self.put(&w, "first_seen", figures.firstSeen); Self.put(&w, "last_seen", figures.lastSeen)
                w.key("revenue")
                if let r = figures.revenue {
                    w.array { w in for m in r { w.object { w in w.member("currency", m.currency); w.member("minor", Int(m.minor)) } } }
                } else { w.null() }
                w.member("tickets", figures.tickets)
            }
            w.member("id", id); Self.put(&w, "product_id", productID); Self.put(&w, "pushed_at", pushedAt); w.member("status", status.rawValue)
            w.member("title", title); w.member("updated_at", updatedAt); w.member("version", version)
        }
    }

    private static func put(_ w: inout JSONWriter, _ k: StaticString, _ v: String?) { w.key(k); if let v { w.string(v) } else { w.null() } }
    private static func put(_ w: inout JSONWriter, _ k: StaticString, _ v: Date?) { w.key(k); if let v { w.date(v) } else { w.null() } }

    /// The same object for Codable callers (audit details).
    package func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(String(decoding: jsonBytes(), as: UTF8.self)).encode(to: encoder)
    }
}

/// What creating or changing a product issue takes (nil: unchanged; `.some(nil)` clears).
package struct ProductIssueChange: Sendable {
    package var title: String?
    package var productID: String??
    package var status: String?
    package var externalRef: String??
    package var externalURL: String??
    package init() {}

    /// The cleaned values, or every bad field at once. `creating` requires a title.
    package func validated(creating: Bool) throws(DomainError) -> ProductIssueChange {
        var e = FieldErrors(), out = ProductIssueChange()
        if let raw = title {
            let t = Text.clean(raw).replacingOccurrences(of: "\n", with: " ")
            if t.isEmpty { e.add("title", "is required") } else if t.count > 200 { e.add("title", "must be at most 200 characters") }
            out.title = t
        } else if creating { e.add("title", "is required") }
        if let p = productID {
            if let id = p, !ID.isValid(id) { e.add("product_id", "must be an id") }
            out.productID = .some(p?.lowercased())
        }
        if let s = status {
            if ProductIssueStatus(rawValue: s) == nil {
                e.add("status", "must be one of \(ProductIssueStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            out.status = s
        }
        if let r = externalRef {
            let v = r.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
            if let v, v.count > 100 || v.contains("\n") { e.add("external_ref", "must be one line of at most 100 characters") }
            out.externalRef = .some(v)
        }
        if let u = externalURL {
            let v = u.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            if let v, !ProductIssueRules.isWebAddress(v) { e.add("external_url", "must be an http or https address of at most 500 characters") }
            out.externalURL = .some(v)
        }
        try e.throwIfAny()
        return out
    }
}

/// A linked ticket as the figures and suggestions read it.
package struct ProductIssueLink: Sendable, Equatable {
    package var issueID: String
    package var ticketID: String
    package var customerID: String
    package var openedAt: Date
    package init(issueID: String, ticketID: String, customerID: String, openedAt: Date) {
        self.issueID = issueID; self.ticketID = ticketID; self.customerID = customerID; self.openedAt = openedAt
    }
}

/// How the list is ranked: by customers hit, by their revenue (the 80/20 view), or newest first.
package enum ProductIssueSort: String, Sendable, CaseIterable {
    case customers, revenue, recent
}

/// The product-issue rules: figures, ranking, the grouping suggestion and the fix notice.
package enum ProductIssueRules {
    /// The ticket types a suggestion is offered for (any ticket may be linked).
    package static let suggestedTypes: Set<TicketType> = [.productFeedback, .defect]
    /// The currency the revenue ranking compares (other currencies are shown, not ranked).
    package static let rankingCurrency = "CNY"

    /// Each issue's figures from its linked tickets (those the viewer may read) and the revenue of
    /// their customers (nil: not shown to this viewer). A customer with several tickets counts once.
    package static func figures(_ links: [ProductIssueLink], revenue: [String: [Money]]?) -> [String: ProductIssueFigures] {
        var out: [String: ProductIssueFigures] = [:]
        for (issue, ls) in Dictionary(grouping: links, by: \.issueID) {
            var f = ProductIssueFigures()
            let customers = Set(ls.map(\.customerID))
            f.customers = customers.count
            f.tickets = Set(ls.map(\.ticketID)).count
            f.firstSeen = ls.map(\.openedAt).min()
            f.lastSeen = ls.map(\.openedAt).max()
            if let revenue {
                var totals = MoneyTotals()
                for c in customers { for m in revenue[c] ?? [] { totals.add(m) } }
                f.revenue = totals.items
            }
            out[issue] = f
        }
        return out
    }

    /// Issues in the order `sort` asks: most customers (then revenue), most revenue in the ranking
    /// currency (then customers), or the latest report first; ties newest first.
    package static func ranked(_ issues: [ProductIssue], by sort: ProductIssueSort) -> [ProductIssue] {
        issues.sorted { a, b in
            let (fa, fb) = (a.figures, b.figures)
            let (ra, rb) = (fa.revenue(in: rankingCurrency), fb.revenue(in: rankingCurrency))
            switch sort {
            case .customers: if fa.customers != fb.customers { return fa.customers > fb.customers }; if ra != rb { return ra > rb }
            case .revenue: if ra != rb { return ra > rb }; if fa.customers != fb.customers { return fa.customers > fb.customers }
            case .recent:
                let (la, lb) = (fa.lastSeen ?? a.createdAt, fb.lastSeen ?? b.createdAt)
                if la != lb { return la > lb }
            }
            return a.id > b.id
        }
    }

    /// The words a text is compared by: each run of letters or digits (folded for case and width,
    /// two characters or more) and every bigram of each CJK run (`SearchText.bigramDocument`).
    package static func words(_ text: String) -> Set<String> {
        let folded = SearchText.foldForIndex(text)
        var out = Set(SearchText.bigramDocument(folded).split(separator: " ").map(String.init).filter { $0.count == 2 })
        var word = ""
        func flush() { if word.count >= 2 { out.insert(word) }; word = "" }
        for s in folded.unicodeScalars {
            if !SearchText.isCJK(s), s.properties.isAlphabetic || ("0"..."9").contains(s) { word.unicodeScalars.append(s) } else { flush() }
        }
        flush()
        return out
    }

    /// The existing issue a ticket most likely belongs to, to suggest (never to link by itself):
    /// the one sharing most words with the ticket's subject and first message, one of the ticket's
    /// products counting as two more; nil when none shares a word. Ties go to the newest issue.
    package static func suggestion(subject: String, body: String, productIDs: Set<String>,
                                   among issues: [(id: String, title: String, productID: String?)]) -> String? {
        let mine = words(subject + "\n" + body)
        var best: (score: Int, id: String)?
        for i in issues {
            let shared = words(i.title).intersection(mine).count
            guard shared > 0 else { continue }
            let score = shared + (i.productID.map(productIDs.contains) == true ? 2 : 0)
            if best == nil || score > best!.score || (score == best!.score && i.id > best!.id) { best = (score, i.id) }
        }
        return best?.id
    }

    /// The fixed-issue notice a customer gets on their ticket: Simplified Chinese with an English
    /// line (as the hand-off notice), or the agent's own words when given.
    package static func fixNotice(number: Int, title: String, custom: String?) -> String {
        if let custom, !custom.isEmpty { return custom }
        return "您在工单 #\(number) 中反馈的问题「\(title)」已经修复。感谢您的反馈，如仍有问题请直接回复本邮件。\n"
            + "The problem you reported in ticket #\(number) (\(title)) has been fixed. Thank you; reply to this mail if it persists."
    }

    /// Whom a fix notice reaches, once per customer: each customer's newest linked ticket, in
    /// ticket order. Customers already told and customers without an email address are left out;
    /// the latter are counted.
    package static func recipients(_ tickets: [(ticketID: String, customerID: String, openedAt: Date, hasEmail: Bool)],
                                   alreadyTold: Set<String>) -> (tickets: [String], noEmail: Int) {
        var newest: [String: (String, Date, Bool)] = [:]
        for t in tickets where !alreadyTold.contains(t.customerID) {
            if let n = newest[t.customerID], (n.1, n.0) > (t.openedAt, t.ticketID) { continue }
            newest[t.customerID] = (t.ticketID, t.openedAt, t.hasEmail)
        }
        let reached = newest.values.filter(\.2).map(\.0).sorted()
        return (reached, newest.values.count { !$0.2 })
    }

    /// True for an absolute http(s) address with a host and no user information, at most 500 characters.
    /// The form a tracker's address takes (the OpenAPI document declares it too): http or https, a
    /// host, a port, then a path, query and fragment of URL characters.
    package static let webAddressPattern = "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?(\\?[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?(#[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$"
    nonisolated(unsafe) static let webAddressRegex = try! Regex(webAddressPattern)

    package static func isWebAddress(_ s: String) -> Bool {
        guard s.count <= 500, (try? webAddressRegex.wholeMatch(in: s)) != nil, let u = URLComponents(string: s),
              let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty, u.user == nil, u.password == nil else { return false }
        return true
    }
}
