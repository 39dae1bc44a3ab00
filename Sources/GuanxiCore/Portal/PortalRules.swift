import Foundation

/// What a contact of an organisation customer may do in the portal for the organisation: an
/// administrator also sees the organisation's service requests and accepts its quotes; a member
/// sees its orders and quotes, and only their own requests.
package enum PortalRole: String, Codable, Sendable, CaseIterable { case admin, member }

/// How portal sign-in resists guessing and flooding, and how long its sessions live.
package struct PortalPolicy: Sendable {
    /// A code and its link are good for this long, once.
    package var codeLifetime: TimeInterval = 10 * 60
    /// Wrong codes for one address before every live code of that address stops working.
    package var codeFailures = 5
    /// Code mails per address, and code requests per network address, within `window`.
    package var mailsPerAddress = 5
    package var requestsPerIP = 20
    /// Sign-in attempts (good or bad) per network address within `window`.
    package var attemptsPerIP = 30
    package var window: TimeInterval = 60 * 60
    /// A session ends after this long without use, and in any case after `absolute`.
    package var idle: TimeInterval = 4 * 3600
    package var absolute: TimeInterval = 7 * 86_400
    package init() {}
}

/// Who is signed in to the portal: a customer of one workspace (a person, found by one of their
/// email addresses), and the organisation they are a contact of, with their role there.
package struct PortalVisitor: Sendable, Equatable {
    package var workspaceID: String
    package var customerID: String
    package var name: String
    package var email: String
    package var organizationID: String?
    package var organizationName: String?
    package var role: PortalRole
    package var csrf: String
    package init(workspaceID: String, customerID: String, name: String, email: String, organizationID: String?, organizationName: String?,
                 role: PortalRole, csrf: String) {
        self.workspaceID = workspaceID; self.customerID = customerID; self.name = name; self.email = email
        self.organizationID = organizationID; self.organizationName = organizationName; self.role = role; self.csrf = csrf
    }

    /// Whose orders, quotes, invoices and collection plans the visitor sees: their own and their organisation's.
    package var documentCustomers: [String] { [customerID] + (organizationID.map { [$0] } ?? []) }

    /// Whose service requests the visitor sees: their own, and an administrator also the organisation's.
    package var requestCustomers: [String] { role == .admin ? documentCustomers : [customerID] }

    /// Whether the visitor may accept a quote made out to `customerID` (their own, or as an administrator the organisation's).
    package func mayAccept(quoteFor customerID: String) -> Bool {
        customerID == self.customerID || (role == .admin && customerID == organizationID)
    }
}

/// The portal's pure rules: one-time codes, and what a customer may send.
package enum PortalRules {
    /// Six digits, from the system's random source.
    package static func newCode() -> String {
        var rng = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &rng))
    }

    /// The code as typed (spaces, dashes and full-width digits allowed), as six ASCII digits; nil when it cannot be one.
    package static func code(_ raw: String) -> String? {
        let digits = raw.unicodeScalars.compactMap { s -> Character? in
            switch s.value {
            case 0x30...0x39: Character(s)
            case 0xFF10...0xFF19: Character(UnicodeScalar(s.value - 0xFF10 + 0x30)!)
            case 0x20, 0x2D, 0x3000: nil
            default: "x"
            }
        }
        guard digits.count == 6, digits.allSatisfy(\.isNumber) else { return nil }
        return String(digits)
    }

    /// The kinds of request a customer may choose (the others are for agents: a defect is found by the desk).
    package static let requestTypes: [TicketType] = [.inquiry, .complaint, .repair, .returnRefund, .productFeedback]

    /// A request as the customer sends it, checked: every bad field named at once.
    package static func request(subject: String, body: String, type: String?) throws(DomainError) -> (subject: String, body: String, type: TicketType) {
        var e = FieldErrors()
        let s = Text.clean(subject), b = Text.clean(body)
        if s.isEmpty || s.count > 200 { e.add("subject", "must be 1 to 200 characters") }
        if b.isEmpty || b.count > 50_000 { e.add("body", "must be 1 to 50000 characters") }
        let t = TicketType(rawValue: type ?? "inquiry")
        if t == nil || !requestTypes.contains(t!) { e.add("type", DomainMessage.oneOf(requestTypes.map(\.rawValue))) }
        try e.throwIfAny()
        return (s, b, t!)
    }
}
