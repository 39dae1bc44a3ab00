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

    static func decode(_ r: any SQLRow) throws -> Customer {
        func s(_ c: String) throws -> String { try r.decode(column: c, as: String.self) }
        // Checking for NULL first skips SQLiteKit's slow path for optionals.
        func os(_ c: String) throws -> String? { try r.decodeNil(column: c) ? nil : try s(c) }
        func json(_ c: String) throws -> JSONValue { (try? JSONParser.parse(try s(c))) ?? .null }
        return Customer(
            id: try s("id"), kind: CustomerKind(rawValue: try s("kind")) ?? .person, name: try s("name"),
            organizationID: try os("organization_id"), organizationName: try os("organization_name"),
            title: try os("title"), stage: LifecycleStage(rawValue: try s("stage")) ?? .prospect,
            tier: try os("tier"), ownerID: try os("owner_id"), source: try os("source"),
            emails: try json("emails_json").strings,
            phones: try json("phones_json").strings,
            identities: try json("identities_json").arrayValue?.compactMap(Identity.init(json:)) ?? [],
            addresses: try json("addresses_json").arrayValue?.map(Address.init(json:)) ?? [],
            birthday: try os("birthday"),
            consent: (try json("consent_json").objectValue ?? [:]).compactMapValues { $0.stringValue.flatMap(ConsentStatus.init(rawValue:)) },
            preferredChannel: try os("preferred_channel").flatMap(ContactChannel.init(rawValue:)),
            tags: try json("tags_json").strings,
            custom: try json("custom_json").objectValue ?? [:],
            version: try r.decode(column: "version", as: Int.self),
            createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(millis: try r.decode(column: "updated_at", as: Int64.self)),
            deletedAt: try r.decodeNil(column: "deleted_at") ? nil : Date(millis: try r.decode(column: "deleted_at", as: Int64.self)))
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
