import Foundation
import SQLKit
import GuanxiCore

/// How a customer maps to its row, and the derived rows kept beside it (identities, tags,
/// search indexes). Every write of a customer goes through `writeDerived` so they never drift.
package enum CustomerRows {
    static let columns = """
        c.id, c.kind, c.name, c.organization_id, o.name AS organization_name, c.title, c.stage, c.tier, c.owner_id,
        c.source, c.birthday, c.emails_json, c.phones_json, c.identities_json, c.addresses_json, c.consent_json,
        c.preferred_channel, c.tags_json, c.custom_json, c.version, c.created_at, c.updated_at, c.deleted_at
        """
    static let from = "FROM customers c LEFT JOIN customers o ON o.id = c.organization_id"

    /// `columns`' result names in order ("o.name AS organization_name" → "organization_name").
    static let columnNames: [String] = columns.split(separator: ",").map {
        String($0.split(separator: " ").last!.split(separator: ".").last!.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Reads column `i` of `columns` as text or as an integer; nil for NULL.
    struct Fields {
        let text: (Int) throws -> String?
        let integer: (Int) throws -> Int64?
    }

    static func decode(_ r: any SQLRow) throws -> Customer {
        // SQLite rows of exactly `columns` are read by position: no name look-up per column.
        if let d = r as? DirectRow, d.columns.names == columnNames {
            return try decode(Fields(text: d.text(at:), integer: d.integer(at:)))
        }
        return try decode(Fields(
            text: { i in try r.decodeNil(column: columnNames[i]) ? nil : try r.decode(column: columnNames[i], as: String.self) },
            integer: { i in try r.decodeNil(column: columnNames[i]) ? nil : try r.decode(column: columnNames[i], as: Int64.self) }))
    }

    private static func decode(_ f: Fields) throws -> Customer {
        func s(_ i: Int) throws -> String {
            guard let v = try f.text(i) else { throw DirectRow.MissingColumn(column: columnNames[i]) }
            return v
        }
        func n(_ i: Int) throws -> Int64 {
            guard let v = try f.integer(i) else { throw DirectRow.MissingColumn(column: columnNames[i]) }
            return v
        }
        func json(_ i: Int) throws -> JSONValue { (try? JSONParser.parse(try s(i))) ?? .null }
        return Customer(
            id: try s(0), kind: CustomerKind(rawValue: try s(1)) ?? .person, name: try s(2),
            organizationID: try f.text(3), organizationName: try f.text(4),
            title: try f.text(5), stage: LifecycleStage(rawValue: try s(6)) ?? .prospect,
            tier: try f.text(7), ownerID: try f.text(8), source: try f.text(9),
            emails: JSONParser.strings(try s(11)),
            phones: JSONParser.strings(try s(12)),
            identities: try s(13) == "[]" ? [] : try json(13).arrayValue?.compactMap(Identity.init(json:)) ?? [],
            addresses: try addresses(s(14)),
            birthday: try f.text(10),
            consent: try consent(s(15)),
            preferredChannel: try f.text(16).flatMap(ContactChannel.init(rawValue:)),
            tags: JSONParser.strings(try s(17)),
            custom: try s(18) == "{}" ? [:] : try json(18).objectValue ?? [:],
            version: Int(try n(19)),
            createdAt: Date(millis: try n(20)),
            updatedAt: Date(millis: try n(21)),
            deletedAt: try f.integer(22).map(Date.init(millis:)))
    }

    /// Writes the customer in a row of `columns` as `Customer.writeJSON` would after `decode`,
    /// straight from SQLite's bytes: text columns are escaped, the JSON columns copied as stored
    /// (`values` writes them with the same writer, sorted keys and nil members left out). Returns
    /// what lists and searches rank and page on; nil, with `w` partly written, when a column does not
    /// hold what Guanxi stores there (the caller decodes instead). A test holds this and
    /// `Customer.writeJSON` together.
    static func writeJSON(_ r: RawRow, to w: inout JSONWriter) -> RenderedCustomer.Keys? {
        func json(_ c: Int32, _ open: UInt8) -> UnsafeBufferPointer<UInt8>? {
            guard let b = r.text(c), b.count >= 2, b[0] == open, b[b.count - 1] == open + 2 else { return nil }
            return b   // "[" + 2 == "]", "{" + 2 == "}"
        }
        let bracket = UInt8(ascii: "["), brace = UInt8(ascii: "{")
        guard let id = r.text(0), let kind = r.text(1), let name = r.text(2), let stage = r.text(6),
              let emails = json(11, bracket), let phones = json(12, bracket), let identities = json(13, bracket),
              let addresses = json(14, bracket), let consent = json(15, brace), let tags = json(17, bracket),
              let custom = json(18, brace), let version = r.integer(19), let created = r.integer(20), let updated = r.integer(21),
              CustomerKind(rawValue: String(decoding: kind, as: UTF8.self)) != nil,
              LifecycleStage(rawValue: String(decoding: stage, as: UTF8.self)) != nil else { return nil }
        let deleted = r.integer(22)
        guard deleted != nil || r.isNull(22) else { return nil }
        // Optional text columns: NULL is left out, anything but text is not ours.
        var valid = true
        func optional(_ k: StaticString, _ c: Int32, _ w: inout JSONWriter) {
            switch r.optionalText(c) {
            case .none: return
            case .some(let b?): w.key(k); w.string(utf8: b)
            case .some(nil): valid = false
            }
        }
        w.object { w in
            w.key("addresses"); w.json(addresses)
            optional("birthday", 10, &w)
            w.key("consent"); w.json(consent)
            w.key("created_at"); w.date(millis: created)
            w.key("custom"); w.json(custom)
            if let deleted { w.key("deleted_at"); w.date(millis: deleted) }
            w.key("emails"); w.json(emails)
            w.key("id"); w.string(utf8: id)
            w.key("identities"); w.json(identities)
            w.key("kind"); w.string(utf8: kind)
            w.key("name"); w.string(utf8: name)
            optional("organization_id", 3, &w)
            optional("organization_name", 4, &w)
            optional("owner_id", 8, &w)
            w.key("phones"); w.json(phones)
            optional("preferred_channel", 16, &w)
            optional("source", 9, &w)
            w.key("stage"); w.string(utf8: stage)
            w.key("tags"); w.json(tags)
            optional("tier", 7, &w)
            optional("title", 5, &w)
            w.key("updated_at"); w.date(millis: updated)
            w.key("version"); w.int(version)
        }
        guard valid else { return nil }
        return RenderedCustomer.Keys(id: String(decoding: id, as: UTF8.self), name: String(decoding: name, as: UTF8.self),
                                     createdAt: created, updatedAt: updated, version: Int(version), deleted: deleted != nil)
    }

    /// The customers in rows of `columns` written one after the other into one buffer, each with
    /// what lists and searches rank and page on; nil when `writeJSON` finds a row not as Guanxi
    /// stores it.
    struct Renderer {
        private var w = JSONWriter(capacity: 16 * 1024)
        private var rows: [(keys: RenderedCustomer.Keys, range: Range<Int>)] = []
        private var valid = true

        mutating func add(_ r: RawRow) {
            guard valid else { return }
            let start = w.bytes.count
            w.beginValue()
            guard let keys = writeJSON(r, to: &w) else { valid = false; return }
            rows.append((keys, start..<w.bytes.count))
        }

        func finish() -> [RenderedCustomer]? {
            guard valid else { return nil }
            let bytes = w.bytes
            return rows.map { RenderedCustomer(keys: $0.keys, json: bytes[$0.range]) }
        }
    }

    // The JSON columns' usual shapes (flat objects of strings, empty lists) are read without
    // building `JSONValue` dictionaries; anything else goes through the general parser.
    private static func addresses(_ text: String) -> [Address] {
        if let lists = JSONParser.stringMemberLists(text) { return lists.map(Address.init(members:)) }
        return ((try? JSONParser.parse(text))?.arrayValue ?? []).map(Address.init(json:))
    }

    private static func consent(_ text: String) -> [String: ConsentStatus] {
        let members = JSONParser.stringMembers(text)
            ?? ((try? JSONParser.parse(text))?.objectValue ?? [:]).compactMap { k, v in v.stringValue.map { (k, $0) } }
        return Dictionary(members.compactMap { k, v in ConsentStatus(rawValue: v).map { (k, $0) } }, uniquingKeysWith: { _, last in last })
    }

    /// Column values in `insertColumns` order.
    static func values(_ c: Customer, workspaceID: String, searchText: String) -> [any Encodable & Sendable] {
        let primary = c.addresses.first
        return [c.id, workspaceID, c.kind.rawValue, c.name, c.organizationID, c.title, c.stage.rawValue, c.tier,
                c.ownerID, c.source, c.birthday, JSONCoding.encode(strings: c.emails), JSONCoding.encode(strings: c.phones),
                "[" + c.identities.map { JSONCoding.encode(object: [("kind", $0.kind.rawValue), ("namespace", $0.namespace), ("value", $0.value)]) }.joined(separator: ",") + "]",
                "[" + c.addresses.map { a in JSONCoding.encode(object: [("city", a.city), ("country", a.country), ("district", a.district), ("label", a.label),
                                                                          ("postcode", a.postcode), ("province", a.province), ("street", a.street)]) }.joined(separator: ",") + "]",
                JSONCoding.encode(object: c.consent.sorted { $0.key < $1.key }.map { ($0.key, $0.value.rawValue) }),
                c.preferredChannel?.rawValue, JSONCoding.encode(strings: c.tags), JSONCoding.encode(c.custom),
                primary?.country, primary?.province, primary?.city, searchText,
                c.version, c.createdAt.millis, c.updatedAt.millis, c.deletedAt?.millis]
    }
    static let insertColumns = """
        id, workspace_id, kind, name, organization_id, title, stage, tier, owner_id, source, birthday, emails_json,
        phones_json, identities_json, addresses_json, consent_json, preferred_channel, tags_json, custom_json,
        country, province, city, search_text, version, created_at, updated_at, deleted_at
        """

    /// The folded text the trigram index holds.
    package static func searchDocument(_ c: Customer) -> String {
        var parts = [c.name]
        if let o = c.organizationName { parts.append(o) }
        parts += c.emails
        for p in c.phones {
            parts.append(p)
            let digits = IdentityNormalizer.phoneDigits(p)
            // National number too, so "138…" finds +86138…
            if digits.hasPrefix("86") { parts.append(String(digits.dropFirst(2))) } else { parts.append(digits) }
        }
        parts += c.identities.map(\.value)
        parts += c.tags
        if let a = c.addresses.first { parts += [a.province, a.city, a.district].compactMap { $0 } }
        return SearchText.foldForIndex(parts.joined(separator: " "))
    }

    static func bigramDocument(_ c: Customer) -> String {
        var parts = [c.name]
        if let o = c.organizationName { parts.append(o) }
        parts += c.tags
        if let a = c.addresses.first { parts += [a.province, a.city, a.district].compactMap { $0 } }
        return SearchText.bigramDocument(parts.joined(separator: " "))
    }

    package static func insert(_ customers: [(Customer, String)], workspaceID: String, sql: any SQLDatabase) async throws -> [Int64] {
        guard !customers.isEmpty else { return [] }
        let rows = try await BulkSQL.insert("customers", insertColumns, customers.map { values($0.0, workspaceID: workspaceID, searchText: $0.1) },
                                            suffix: "RETURNING seq", sql: sql)
        return try rows.map { try $0.decode(column: "seq", as: Int64.self) }
    }

    /// Rewrites identity and tag rows and the search index entries of these customers.
    package static func writeDerived(_ items: [(seq: Int64, customer: Customer, doc: String)], workspaceID: String,
                             dialect: DatabaseDialect, replacing: Bool, sql: any SQLDatabase) async throws {
        guard !items.isEmpty else { return }
        if replacing {
            let ids = items.map(\.customer.id)
            try await sql.raw("DELETE FROM customer_identities WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids))").run()
            try await sql.raw("DELETE FROM customer_tags WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids))").run()
        }
        var idRows: [[any Encodable & Sendable]] = []
        var tagRows: [[any Encodable & Sendable]] = []
        for item in items {
            for ident in item.customer.allIdentities {
                idRows.append([workspaceID, ident.kind.rawValue, ident.uniqueKey, item.customer.id])
            }
            for t in item.customer.tags { tagRows.append([workspaceID, t, item.customer.id]) }
        }
        try await insertRows("customer_identities", "workspace_id, kind, value, customer_id", idRows, sql: sql)
        try await insertRows("customer_tags", "workspace_id, tag, customer_id", tagRows, sql: sql)
        switch dialect {
        case .sqlite:
            if replacing {
                let seqs = items.map(\.seq)
                try await sql.raw("DELETE FROM customer_fts WHERE rowid IN (\(binds: seqs))").run()
                try await sql.raw("DELETE FROM customer_bigrams WHERE rowid IN (\(binds: seqs))").run()
            }
            try await insertRows("customer_fts", "rowid, doc", items.map { [$0.seq, $0.doc] }, sql: sql)
            try await insertRows("customer_bigrams", "rowid, doc", items.map { [$0.seq, bigramDocument($0.customer)] }, sql: sql)
        case .postgres:
            for chunk in items.chunked(500) {
                var q = SQLQueryString("UPDATE customers AS c SET search_bigrams = v.b::text[] FROM (VALUES ")
                for (i, item) in chunk.enumerated() {
                    if i > 0 { q += ", " }
                    let grams = bigramDocument(item.customer).split(separator: " ").map(String.init)
                    q += "(\(bind: item.seq), \(bind: "{" + grams.map { "\"\($0)\"" }.joined(separator: ",") + "}"))"
                }
                q += ") AS v(s, b) WHERE c.seq = v.s"
                try await sql.raw(q).run()
            }
        }
    }

    /// Multi-row INSERT in chunks that stay under both dialects' bind limits.
    static func insertRows(_ table: String, _ cols: String, _ rows: [[any Encodable & Sendable]], sql: any SQLDatabase) async throws {
        _ = try await BulkSQL.insert(table, cols, rows, sql: sql)
    }
}

extension Array {
    package func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// A customer already written as the API writes it (`CustomerRows.Renderer`).
struct RenderedCustomer: Sendable {
    /// What lists, searches and reads by id rank, page and check on.
    struct Keys: Sendable {
        let id: String
        let name: String
        let createdAt: Int64
        let updatedAt: Int64
        let version: Int
        let deleted: Bool
    }
    let keys: Keys
    /// Its JSON object: a slice of the buffer its query's rows were written into.
    let json: ArraySlice<UInt8>

    var id: String { keys.id }
    var name: String { keys.name }
}
