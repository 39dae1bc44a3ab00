import Foundation
import SQLKit
import GuanxiCore

/// How a customer maps to its row, and the derived rows kept beside it (identities, tags,
/// search indexes). Every write of a customer goes through `writeDerived` so they never drift.
enum CustomerRows {
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
            identities: try json(13).arrayValue?.compactMap(Identity.init(json:)) ?? [],
            addresses: try json(14).arrayValue?.map(Address.init(json:)) ?? [],
            birthday: try f.text(10),
            consent: (try json(15).objectValue ?? [:]).compactMapValues { $0.stringValue.flatMap(ConsentStatus.init(rawValue:)) },
            preferredChannel: try f.text(16).flatMap(ContactChannel.init(rawValue:)),
            tags: JSONParser.strings(try s(17)),
            custom: try json(18).objectValue ?? [:],
            version: Int(try n(19)),
            createdAt: Date(millis: try n(20)),
            updatedAt: Date(millis: try n(21)),
            deletedAt: try f.integer(22).map(Date.init(millis:)))
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
    static func searchDocument(_ c: Customer) -> String {
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

    static func insert(_ customers: [(Customer, String)], workspaceID: String, sql: any SQLDatabase) async throws -> [Int64] {
        guard !customers.isEmpty else { return [] }
        let rows = try await BulkSQL.insert("customers", insertColumns, customers.map { values($0.0, workspaceID: workspaceID, searchText: $0.1) },
                                            suffix: "RETURNING seq", sql: sql)
        return try rows.map { try $0.decode(column: "seq", as: Int64.self) }
    }

    /// Rewrites identity and tag rows and the search index entries of these customers.
    static func writeDerived(_ items: [(seq: Int64, customer: Customer, doc: String)], workspaceID: String,
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
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
