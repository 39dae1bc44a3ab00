import Foundation

package enum LeadSourceKind: String, Codable, Sendable, CaseIterable {
    /// A public web form, embeddable on the company's site.
    case form
    /// An ad platform or shop posting JSON, signed with a shared secret.
    case webhook
}

/// A public way in for leads. `publicKey` is the unguessable part of its URL; a webhook also has
/// a signing `secret` and a `mapping` from lead fields to JSON paths in the platform's payload.
package struct LeadSource: Codable, Sendable, Equatable {
    package var id: String
    package var workspaceID: String
    package var kind: LeadSourceKind
    package var name: String
    package var publicKey: String
    /// Shown once when created (webhooks only); needed to check signatures, so kept as is.
    package var secret: String?
    /// Lead field (`name`, `phone`, `utm_source`…) → dotted JSON path (`data.contact.mobile`, `items[0].id`).
    package var mapping: [String: String]
    /// Recorded as the lead's `source` when the payload names none.
    package var sourceLabel: String?
    package var campaign: String?
    package var disabled: Bool
    /// Web forms only: the lead is kept once the visitor confirms by a link sent to their email.
    package var doubleOptIn: Bool
    package var createdAt: Date

    package init(id: String, workspaceID: String, kind: LeadSourceKind, name: String, publicKey: String, secret: String? = nil,
                mapping: [String: String] = [:], sourceLabel: String? = nil, campaign: String? = nil, disabled: Bool = false, doubleOptIn: Bool = false,
                createdAt: Date) {
        self.id = id; self.workspaceID = workspaceID; self.kind = kind; self.name = name; self.publicKey = publicKey; self.secret = secret
        self.mapping = mapping; self.sourceLabel = sourceLabel; self.campaign = campaign; self.disabled = disabled; self.doubleOptIn = doubleOptIn; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, name, secret, mapping, campaign, disabled
        case workspaceID = "workspace_id", publicKey = "public_key", sourceLabel = "source_label", createdAt = "created_at", doubleOptIn = "double_opt_in"
    }

    /// Checks a mapping names only lead fields and well-formed paths.
    package static func validate(name: String, mapping: [String: String]) throws(DomainError) {
        var e = FieldErrors()
        let n = Text.clean(name)
        if n.isEmpty || n.count > 100 { e.add("name", "is required (at most 100 characters)") }
        for (field, path) in mapping {
            if !LeadDraft.fields.contains(field) { e.add("mapping.\(field)", "is not a lead field (\(LeadDraft.fields.joined(separator: ", ")))") }
            if JSONPath.parse(path) == nil { e.add("mapping.\(field)", "'\(path)' is not a path like data.contact.phone or items[0].name") }
        }
        try e.throwIfAny()
    }

    /// The lead a webhook payload describes, through the mapping (unmapped fields are read from
    /// the top level under their own names, so a payload already in Guanxi's shape needs no mapping).
    package func draft(from payload: JSONValue) -> LeadDraft {
        var d = LeadDraft()
        for field in LeadDraft.fields {
            let path = mapping[field] ?? field
            guard let steps = JSONPath.parse(path), let v = JSONPath.value(payload, steps) else { continue }
            switch v {
            case .string(let s): d.set(field, s)
            case .number(let n): d.set(field, n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n))
            case .bool(let b): d.set(field, b ? "true" : "false")
            default: continue
            }
        }
        return d
    }
}

/// Dotted paths with array indexes: `data.contact.phone`, `answers[2].value`.
package enum JSONPath {
    package enum Step: Equatable, Sendable { case key(String), index(Int) }

    package static func parse(_ path: String) -> [Step]? {
        guard !path.isEmpty, path.count <= 200 else { return nil }
        var steps: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            if key.isEmpty && steps.isEmpty { return nil }
            if !key.isEmpty { steps.append(.key(String(key))) }
            rest = rest.dropFirst(key.count)
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0 else { return nil }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty || (key.isEmpty && part.first != "[") { return nil }
        }
        return steps
    }

    package static func value(_ json: JSONValue, _ steps: [Step]) -> JSONValue? {
        var cur = json
        for s in steps {
            switch (s, cur) {
            case (.key(let k), .object(let o)): guard let n = o[k] else { return nil }; cur = n
            case (.index(let i), .array(let a)): guard i < a.count else { return nil }; cur = a[i]
            default: return nil
            }
        }
        return cur
    }
}
