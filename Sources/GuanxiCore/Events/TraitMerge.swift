import Foundation

/// How an `identify`'s traits reach the customer it is linked to, decided per field. The customer
/// record is staff's: events fill what is empty and add emails and phones, and they change a
/// value only while it is still the one events wrote last (nobody has edited it since) or when the
/// workspace's rule lets events overwrite that field. What the customer has no field for (gender,
/// company, plan, …) is kept as the profile's traits. Pure: the caller reads the customer and
/// what events wrote before, and writes the outcome with every decision.
package enum TraitMerge {
    /// The customer fields events may fill.
    package enum Field: String, Sendable, CaseIterable {
        case name, email, phone, birthday, city, province
    }

    /// What became of one trait.
    package enum Action: String, Sendable, CaseIterable {
        /// Written: the field was empty, still held what events wrote, or a rule allows overwriting.
        case set
        /// An email or phone the customer did not have, added beside the others.
        case added
        /// The customer already has this value.
        case same
        /// A staff member changed the field since events wrote it (or wrote it first): kept.
        case kept
        /// Not a valid value for the field (an email that is not one, a birthday in the future).
        case invalid
        /// An email or phone another customer holds: it stays theirs (joining them is a merge).
        case taken
    }

    package struct Decision: Sendable, Equatable {
        package var field: Field
        package var value: String
        package var action: Action
        package init(field: Field, value: String, action: Action) { self.field = field; self.value = value; self.action = action }
        /// Whether the customer changes.
        package var writes: Bool { action == .set || action == .added }
    }

    /// The customer's fields as stored (the first address's city and province).
    package struct Current: Sendable, Equatable {
        package var name: String
        package var emails: [String]
        package var phones: [String]
        package var birthday: String?
        package var city: String?
        package var province: String?
        package init(name: String, emails: [String] = [], phones: [String] = [], birthday: String? = nil, city: String? = nil, province: String? = nil) {
            self.name = name; self.emails = emails; self.phones = phones; self.birthday = birthday; self.city = city; self.province = province
        }
        func value(_ f: Field) -> String? {
            switch f {
            case .name: name
            case .birthday: birthday
            case .city: city
            case .province: province
            case .email, .phone: nil
            }
        }
    }

    package struct Outcome: Sendable, Equatable {
        package var decisions: [Decision]
        /// The traits the customer has no field for, kept on the profile.
        package var profileTraits: [String: JSONValue]
    }

    /// Trait names read into customer fields (Segment's spec, with the usual variants).
    static let consumed: Set<String> = [
        "name", "firstName", "lastName", "first_name", "last_name", "email", "phone", "mobile", "birthday", "address", "city", "province",
        "state", "$set", "$anon_distinct_id",
    ]

    /// The normalised email and phone the traits carry (to find who else holds them).
    package static func identities(_ traits: [String: JSONValue]) -> (email: String?, phone: String?) {
        (text(traits["email"]).flatMap(IdentityNormalizer.email), (text(traits["phone"]) ?? text(traits["mobile"])).flatMap { IdentityNormalizer.phone($0) })
    }

    /// The decision for each trait. `written`: the value events last wrote per field (what the
    /// customer held right after); `overwrite`: the fields the workspace lets events overwrite;
    /// `taken`: normalised emails and phones another customer holds; `today`: `YYYY-MM-DD`.
    package static func decide(traits: [String: JSONValue], current: Current, written: [String: String] = [:],
                               overwrite: Set<Field> = [], taken: Set<String> = [], today: String) -> Outcome {
        var out: [Decision] = []
        func single(_ field: Field, _ raw: String?, _ clean: (String) -> String?) {
            guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            guard let v = clean(raw) else { out.append(Decision(field: field, value: String(raw.prefix(80)), action: .invalid)); return }
            let now = current.value(field)
            let action: Action
            if now == v { action = .same }
            else if now == nil || now?.isEmpty == true || written[field.rawValue] == now || overwrite.contains(field) { action = .set }
            else { action = .kept }
            out.append(Decision(field: field, value: v, action: action))
        }
        func list(_ field: Field, _ raw: String?, _ have: [String], _ normalise: (String) -> String?) {
            guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            guard let v = normalise(raw) else { out.append(Decision(field: field, value: String(raw.prefix(80)), action: .invalid)); return }
            let action: Action = have.contains(v) ? .same : taken.contains(v) ? .taken : have.count >= CustomerValidator.maxIdentitiesPerKind ? .kept : .added
            out.append(Decision(field: field, value: v, action: action))
        }
        let address = traits["address"]?.objectValue ?? [:]
        single(.name, name(traits)) { short($0, 200) }
        list(.email, text(traits["email"]), current.emails) { IdentityNormalizer.email($0) }
        list(.phone, text(traits["phone"]) ?? text(traits["mobile"]), current.phones) { IdentityNormalizer.phone($0) }
        single(.birthday, text(traits["birthday"])) { raw in
            // a day, or the day of a date-time (SDKs send either)
            let day = raw.count > 10 && raw.dropFirst(10).first == "T" ? String(raw.prefix(10)) : raw
            return Dates.parseDay(day).flatMap { $0 <= today ? $0 : nil }
        }
        single(.city, text(address["city"]) ?? text(traits["city"])) { short($0, 200) }
        single(.province, text(address["state"]) ?? text(address["province"]) ?? text(traits["province"]) ?? text(traits["state"])) { short($0, 200) }
        var rest: [String: JSONValue] = [:]
        for (k, v) in traits where !consumed.contains(k) && v != .null {
            if k == "company", let n = v.objectValue?["name"] { rest[k] = n } else { rest[k] = v }
        }
        return Outcome(decisions: out, profileTraits: rest)
    }

    /// `name`, or first and last names joined as the writing has it (family name first, no space, in Chinese).
    static func name(_ t: [String: JSONValue]) -> String? {
        if let n = text(t["name"]) { return n }
        let first = text(t["firstName"]) ?? text(t["first_name"]), last = text(t["lastName"]) ?? text(t["last_name"])
        guard first != nil || last != nil else { return nil }
        let parts = [first, last].compactMap { $0 }
        if parts.contains(where: { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) } }) {
            return (last ?? "") + (first ?? "")
        }
        return parts.joined(separator: " ")
    }

    static func text(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .number(let n)?: return n.rounded() == n && abs(n) < 9.0e15 ? String(Int64(n)) : String(n)
        default: return nil
        }
    }

    static func short(_ s: String, _ n: Int) -> String? {
        let c = Text.clean(s)
        return c.isEmpty || c.count > n ? nil : c
    }
}
