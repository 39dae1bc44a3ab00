/// How personal data looks to someone who may not see it: enough to recognise (138****1234,
/// w***@example.com), not enough to contact. One place for the rule: API answers, search,
/// exports and pages all call `Customer.masked(sensitiveKeys:)`.
package enum Masking {
    package static let hidden = "***"

    /// `+8613812341234` → `+86138****1234`; keeps the country code and first digits and the last four.
    package static func phone(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 6 else { return String(repeating: "*", count: chars.count) }
        let keepHead = chars.first == "+" ? min(6, chars.count - 4) : min(3, chars.count - 4)
        let keepTail = 4
        return String(chars[..<keepHead]) + String(repeating: "*", count: chars.count - keepHead - keepTail) + String(chars[(chars.count - keepTail)...])
    }

    /// `wang.wei@example.com` → `w***@example.com`.
    package static func email(_ s: String) -> String {
        guard let at = s.firstIndex(of: "@"), at > s.startIndex else { return hidden }
        return String(s[s.startIndex]) + hidden + String(s[at...])
    }

    /// Other identifiers (WeChat ids): the first two characters and the last two.
    package static func identifier(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 6 else { return hidden }
        return String(chars[..<2]) + hidden + String(chars[(chars.count - 2)...])
    }
}

extension Customer {
    /// This customer with personal data masked: phones, emails, WeChat ids, street and postcode,
    /// birthday, and custom fields whose definitions are marked sensitive.
    package func masked(sensitiveKeys: Set<String>) -> Customer {
        var c = self
        c.emails = emails.map(Masking.email)
        c.phones = phones.map(Masking.phone)
        c.identities = identities.map { i in
            var i = i
            switch i.kind {
            case .email: i.value = Masking.email(i.value)
            case .phone: i.value = Masking.phone(i.value)
            case .wechatID, .wechatOpenID, .wechatUnionID: i.value = Masking.identifier(i.value)
            case .external: break
            }
            return i
        }
        c.addresses = addresses.map { a in
            var a = a
            if a.street != nil { a.street = Masking.hidden }
            if a.postcode != nil { a.postcode = Masking.hidden }
            return a
        }
        if birthday != nil { c.birthday = Masking.hidden }
        for k in sensitiveKeys where c.custom[k] != nil { c.custom[k] = .string(Masking.hidden) }
        c.masked = true
        return c
    }
}

/// What the audit log keeps of a change.
package enum AuditDetail {
    /// The record as its API shows it.
    package static func snapshot<T: JSONWritable>(_ v: T) -> JSONValue {
        let bytes = v.jsonBytes()
        return (try? bytes.withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }) ?? .null
    }

    /// Any Encodable value as JSON (for records without a fast writer).
    package static func encoded<T: Encodable>(_ v: T) -> JSONValue {
        (try? JSONParser.parse(JSONCoding.encode(v))) ?? .null
    }

    /// `{"before": {…}, "after": {…}}` with only the members that differ.
    package static func changes<T: JSONWritable>(_ old: T, _ new: T) -> JSONValue {
        let a = snapshot(old).objectValue ?? [:], b = snapshot(new).objectValue ?? [:]
        var before: [String: JSONValue] = [:], after: [String: JSONValue] = [:]
        for k in Set(a.keys).union(b.keys) where a[k] != b[k] && k != "version" && k != "updated_at" {
            before[k] = a[k] ?? .null; after[k] = b[k] ?? .null
        }
        return .object(["before": .object(before), "after": .object(after)])
    }
}

extension Lead {
    /// This lead with its contact details masked, by the same rule as customers.
    package func masked() -> Lead {
        var l = self
        l.phone = phone.map(Masking.phone); l.email = email.map(Masking.email); l.wechat = wechat.map(Masking.identifier)
        return l
    }
}
