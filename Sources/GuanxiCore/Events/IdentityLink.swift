import Foundation

/// How a visitor's ids (anonymous id, user id) come to belong to a customer, decided from one
/// `identify` and what the database already knows. Two customers who are both already known are
/// never joined here: that is a merge, which staff make (and can undo); the conflict is recorded.
package enum IdentityLink {
    /// Ids the clients send when they have none; never used to link anyone.
    package static let junk: Set<String> = [
        "", "anonymous", "null", "0", "undefined", "nan", "none", "nil", "guest", "distinct_id", "distinctid", "id",
        "not_authenticated", "email", "true", "false", "[object object]", "-1",
    ]
    /// Longer ids are none of them (three bytes a letter: an upper-case letter outside ASCII may lower to an ASCII one).
    static let junkLength = 3 * (junk.map(\.utf8.count).max() ?? 0)

    /// Whether an id may link (not a placeholder some client sends when it has none).
    package static func usable(_ id: String?) -> Bool {
        guard var s = id?.trimmed() else { return false }
        // quoted forms: "null", 'undefined'
        while s.utf8.count >= 2, let f = s.utf8.first, f == s.utf8.last, f == UInt8(ascii: "\"") || f == UInt8(ascii: "'") {
            s = String(s.dropFirst().dropLast()).trimmed()
        }
        // every junk value is short: a longer id is not lowered to be looked up
        return s.utf8.count > junkLength || !junk.contains(s.lowercased())
    }

    /// What the database knows for one identify: the customers holding its email and phone, and
    /// the customers its user id and anonymous id are already linked to.
    package struct Facts: Sendable, Equatable {
        package var emailCustomer: String?
        package var phoneCustomer: String?
        package var userCustomer: String?
        package var anonymousCustomer: String?
        package init(emailCustomer: String? = nil, phoneCustomer: String? = nil, userCustomer: String? = nil, anonymousCustomer: String? = nil) {
            self.emailCustomer = emailCustomer; self.phoneCustomer = phoneCustomer; self.userCustomer = userCustomer; self.anonymousCustomer = anonymousCustomer
        }
    }

    /// Why a link was made or refused (stored with the decision, shown on the profile).
    package enum Reason: String, Sendable, CaseIterable {
        case userID = "user_id", email, phone
        /// The ids point at two customers who are both known: recorded, nothing joined.
        case conflict
        /// No usable id, or no customer holds the traits.
        case noMatch = "no_match"
        case junkID = "junk_id"
        /// A `group` call put the person at an organisation, or found or made the organisation.
        case group
        /// A `group` call named an organisation, but the person is at another, which stays.
        case groupKept = "group_kept"
    }

    package struct Decision: Sendable, Equatable {
        /// The customer the ids now belong to (nil: none).
        package var customerID: String?
        /// The ids to link to it (the usable ones not yet linked to it).
        package var link: [String]
        package var reason: Reason
        /// The other customer in a conflict.
        package var otherCustomerID: String?
        package init(customerID: String?, link: [String], reason: Reason, otherCustomerID: String? = nil) {
            self.customerID = customerID; self.link = link; self.reason = reason; self.otherCustomerID = otherCustomerID
        }
    }

    /// The decision for an identify with these ids, its traits' normalised email and phone having
    /// found `facts`. Priority: the customer the user id already belongs to, then email, then phone.
    /// A user id already linked is that user: its anonymous id joins it even when the traits name
    /// someone else (recorded as a conflict). Email and phone naming two customers link nothing.
    package static func decide(userID: String?, anonymousID: String?, facts: Facts) -> Decision {
        let user = usable(userID) ? userID : nil
        var anon = usable(anonymousID) ? anonymousID : nil
        if anon == user { anon = nil }
        guard user != nil || anon != nil else { return Decision(customerID: nil, link: [], reason: .junkID) }
        var candidates: [(String, Reason)] = []
        if let c = facts.userCustomer { candidates.append((c, .userID)) }
        if let c = facts.emailCustomer { candidates.append((c, .email)) }
        if let c = facts.phoneCustomer { candidates.append((c, .phone)) }
        guard let (chosen, reason) = candidates.first else {
            // an anonymous id already linked, and a new user id: the user id follows it
            if let c = facts.anonymousCustomer, let user { return Decision(customerID: c, link: [user], reason: .userID) }
            return Decision(customerID: nil, link: [], reason: .noMatch)
        }
        // the ids not yet linked; an anonymous id linked to another customer stays theirs
        var ids: [String] = []
        if let user, facts.userCustomer == nil { ids.append(user) }
        if let anon, facts.anonymousCustomer == nil { ids.append(anon) }
        if let other = candidates.first(where: { $0.0 != chosen })?.0 ?? facts.anonymousCustomer.flatMap({ $0 == chosen ? nil : $0 }) {
            // two known customers: never joined here; only a linked user id keeps its own device
            return Decision(customerID: chosen, link: reason == .userID ? ids : [], reason: .conflict, otherCustomerID: other)
        }
        return Decision(customerID: chosen, link: ids, reason: reason)
    }
}

