import Foundation

/// A `group` call says the person sending it belongs to an organisation (Segment's groups: an
/// account, a company). The organisation is a customer of kind organisation, found by the group
/// id (kept on it as the external identity `group:<id>`), else by the email or phone in the
/// group's traits, else made; the person is then put at it — unless staff (or an earlier group)
/// put them at another, which stays. Decided here from what the database knows.
package enum OrganisationLink {
    /// The external-identity namespace group ids are kept under.
    package static let namespace = "group"

    /// The group id as an identity value (nil: a placeholder, or not an id at all).
    package static func groupID(_ raw: String?) -> String? {
        guard IdentityLink.usable(raw), let raw else { return nil }
        return IdentityNormalizer.externalID(namespace: namespace, value: raw)?.value
    }

    /// What the database knows for one group call.
    package struct Facts: Sendable, Equatable {
        /// The organisation already holding the group id.
        package var groupCustomer: String?
        /// The customer holding the traits' email, and whether that customer is an organisation.
        package var emailCustomer: (id: String, organisation: Bool)?
        package var phoneCustomer: (id: String, organisation: Bool)?
        package init(groupCustomer: String? = nil, emailCustomer: (id: String, organisation: Bool)? = nil,
                     phoneCustomer: (id: String, organisation: Bool)? = nil) {
            self.groupCustomer = groupCustomer; self.emailCustomer = emailCustomer; self.phoneCustomer = phoneCustomer
        }
        package static func == (a: Facts, b: Facts) -> Bool {
            a.groupCustomer == b.groupCustomer && a.emailCustomer?.id == b.emailCustomer?.id && a.emailCustomer?.organisation == b.emailCustomer?.organisation
                && a.phoneCustomer?.id == b.phoneCustomer?.id && a.phoneCustomer?.organisation == b.phoneCustomer?.organisation
        }
    }

    /// Which organisation a group call names.
    package enum Choice: Sendable, Equatable {
        /// An existing organisation; `addGroupID` when it does not hold the group id yet.
        case existing(String, addGroupID: Bool)
        /// None holds the id or the traits: a new one (the traits' email and phone only when nobody holds them).
        case create(withEmail: Bool, withPhone: Bool)
    }

    /// The group id first; then an organisation holding the traits' email, then phone. An email or
    /// phone held by a person is theirs: the organisation is made without it.
    package static func choose(_ f: Facts) -> Choice {
        if let g = f.groupCustomer { return .existing(g, addGroupID: false) }
        if let e = f.emailCustomer, e.organisation { return .existing(e.id, addGroupID: true) }
        if let p = f.phoneCustomer, p.organisation { return .existing(p.id, addGroupID: true) }
        return .create(withEmail: f.emailCustomer == nil, withPhone: f.phoneCustomer == nil)
    }

    /// What becomes of the person's organisation.
    package enum Join: String, Sendable, Equatable {
        /// Put at the organisation (they were at none).
        case set
        /// Already there.
        case same
        /// At another organisation (a staff member's choice, or an earlier group's): it stays.
        case kept
        /// The person is an organisation themselves, or the organisation itself: nothing to do.
        case notAPerson = "not_a_person"
    }

    package static func join(personIsOrganisation: Bool, personID: String, current: String?, organisation: String) -> Join {
        if personIsOrganisation || personID == organisation { return .notAPerson }
        guard let current else { return .set }
        return current == organisation ? .same : .kept
    }

    /// The organisation's name from the group's traits (`name`, `company`, `company_name`), else the group id.
    package static func name(traits: [String: JSONValue], groupID: String) -> String {
        for k in ["name", "company", "company_name", "companyName"] {
            if let s = traits[k]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty { return String(s.prefix(200)) }
        }
        return groupID
    }
}
