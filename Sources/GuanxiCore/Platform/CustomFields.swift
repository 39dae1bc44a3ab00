import Foundation

package enum CustomFieldType: String, Codable, Sendable, CaseIterable {
    case text, number, decimal, date, boolean, select
    case multiSelect = "multi_select"
    case url
}

/// The kind of record a custom field belongs to.
package enum CustomFieldTarget: String, Codable, Sendable, CaseIterable {
    case customers, tickets
}

/// A workspace-defined field on customers or on tickets (`appliesTo`). `key` is what the API and
/// CSV use; it is unique in the workspace whatever the field applies to.
package struct CustomFieldDefinition: Codable, Sendable, Equatable {
    package var key: String
    package var label: String
    package var type: CustomFieldType
    package var options: [String]
    package var required: Bool
    package var sensitive: Bool
    package var appliesTo: CustomFieldTarget
    package var version: Int

    enum CodingKeys: String, CodingKey { case key, label, type, options, required, sensitive, version, appliesTo = "applies_to" }

    package init(key: String, label: String, type: CustomFieldType, options: [String] = [],
                required: Bool = false, sensitive: Bool = false, appliesTo: CustomFieldTarget = .customers, version: Int = 1) {
        self.key = key; self.label = label; self.type = type; self.options = options
        self.required = required; self.sensitive = sensitive; self.appliesTo = appliesTo; self.version = version
    }

    /// `values` (a key to `null` clears it) applied to `base` by the definitions: each value
    /// normalised, or an error named `custom.<key>` (an unknown key, a bad value); with
    /// `requireAll`, a required field left without a value is one too. The one rule for customers
    /// and tickets alike.
    package static func apply(_ values: [String: JSONValue]?, to base: [String: JSONValue], definitions: [CustomFieldDefinition],
                              requireAll: Bool, errors e: inout FieldErrors) -> [String: JSONValue] {
        var out = base
        if let values {
            let defs = Dictionary(definitions.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            for (k, v) in values {
                guard let def = defs[k] else { e.add("custom.\(k)", "is not a custom field of this workspace"); continue }
                let (value, message) = def.normalize(v)
                if let message { e.add("custom.\(k)", message) }
                else if let value { out[k] = value == .null ? nil : value }
            }
        }
        if requireAll {
            for def in definitions where def.required && out[def.key] == nil { e.add("custom.\(def.key)", "is required") }
        }
        return out
    }

    /// Checks the definition itself (used when an admin creates or edits one).
    package func validateDefinition() throws(DomainError) {
        var e = FieldErrors()
        if key.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) == nil {
            e.add("key", "must start with a letter and use only a-z, 0-9 and _ (at most 40)")
        }
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines)
        if l.isEmpty || l.count > 100 { e.add("label", "is required (at most 100 characters)") }
        if (type == .select || type == .multiSelect) && options.isEmpty {
            e.add("options", "a select field needs at least one option")
        }
        if Set(options).count != options.count { e.add("options", "options must be unique") }
        try e.throwIfAny()
    }

    /// Validates and normalises one value for this field; `nil` means the value is invalid,
    /// with the reason in `message`.
    package func normalize(_ value: JSONValue) -> (JSONValue?, message: DomainMessage?) {
        if value == .null { return (.null, nil) }
        switch type {
        case .text:
            guard let s = value.stringValue else { return (nil, "must be text") }
            return s.count <= 2000 ? (.string(s), nil) : (nil, .longerThan(2000))
        case .number:
            if case .number(let n) = value, n.rounded() == n { return abs(n) < 9.0e15 ? (.number(n), nil) : (nil, .tooLarge) }
            if let s = value.stringValue, let n = Int64(s.trimmingCharacters(in: .whitespaces)) { return (.number(Double(n)), nil) }
            return (nil, "must be a whole number")
        case .decimal:
            if case .number(let n) = value { return n.isFinite ? (.number(n), nil) : (nil, .tooLarge) }
            if let s = value.stringValue, let n = Double(s.trimmingCharacters(in: .whitespaces)), n.isFinite { return (.number(n), nil) }
            return (nil, "must be a number")
        case .date:
            guard let s = value.stringValue, let d = Dates.parseDay(s) else { return (nil, "must be a date (YYYY-MM-DD)") }
            return (.string(d), nil)
        case .boolean:
            if case .bool = value { return (value, nil) }
            switch value.stringValue?.lowercased() {
            case "true", "yes", "1", "是": return (.bool(true), nil)
            case "false", "no", "0", "否": return (.bool(false), nil)
            default: return (nil, "must be true or false")
            }
        case .select:
            guard let s = value.stringValue, options.contains(s) else { return (nil, .oneOf(options)) }
            return (.string(s), nil)
        case .multiSelect:
            let items: [String]
            if case .array(let a) = value { items = a.compactMap(\.stringValue) }
            else if let s = value.stringValue { items = s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } }
            else { return (nil, "must be a list of options") }
            if let bad = items.first(where: { !options.contains($0) }) { return (nil, "'\(bad)' is not one of: \(options.joined(separator: ", "))") }
            return (.array(items.map(JSONValue.string)), nil)
        case .url:
            guard let s = value.stringValue?.trimmingCharacters(in: .whitespaces),
                  let u = URL(string: s), let scheme = u.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", u.host != nil else { return (nil, "must be an http(s) URL") }
            return (.string(s), nil)
        }
    }
}

/// Calendar-day helpers. Days are stored as "YYYY-MM-DD" strings (no time zone).
package enum Dates {
    /// Parses YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD into canonical YYYY-MM-DD; nil if not a real date.
    package static func parseDay(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        var parts: [Int] = []
        if s.count == 8, let n = Int(s) { parts = [n / 10000, (n / 100) % 100, n % 100] }
        else {
            let p = s.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            parts = p
        }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        guard (1900...2200).contains(y), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// `day` (YYYY-MM-DD) moved by whole days.
    package static func adding(_ days: Int, to day: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, let d = cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
              let moved = cal.date(byAdding: .day, value: days, to: d) else { return day }
        return Self.day(moved, timeZone: "UTC")
    }

    /// The calendar day (YYYY-MM-DD) `date` falls on in a time zone (the workspace's; unknown → Asia/Shanghai).
    package static func day(_ date: Date, timeZone: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
