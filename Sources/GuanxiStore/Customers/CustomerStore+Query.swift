import Foundation
import SQLKit
import GuanxiCore

/// Filters for the customer list. All are optional and combine with AND.
package struct CustomerFilter: Sendable {
    package var kind: CustomerKind?
    package var stage: LifecycleStage?
    package var tier: String?
    package var ownerID: String?
    package var tag: String?
    package var source: String?
    package var organizationID: String?
    package var createdFrom: Date?, createdTo: Date?
    package var updatedFrom: Date?, updatedTo: Date?
    /// Custom field equality (`custom.<key>=<value>`); multi-select fields match when they contain the value.
    package var custom: [String: String] = [:]
    package var deleted = false
    /// Only customers without an owner: the public pool (公海).
    package var pool = false
    /// The last scoring run's scores (`ScoreVocabulary`): only for viewers who may read analytics.
    package var rfmSegment: String?, churnRisk: String?, valueTier: String?, customerClass: String?
    package init() {}

    /// The score filters set, as (column, value).
    var scoreConditions: [(String, String)] {
        [("rfm_segment", rfmSegment), ("churn_risk", churnRisk), ("value_tier", valueTier), ("class", customerClass)].compactMap { k, v in v.map { (k, $0) } }
    }
}

package enum CustomerSort: String, Sendable, CaseIterable {
    case createdAt = "created_at", updatedAt = "updated_at", name
    /// By the last scoring run's 12-month value or P(alive): only scored customers are listed.
    case clv, pAlive = "p_alive"

    /// The score column the list is ordered by, for the score sorts.
    var scoreColumn: String? {
        switch self {
        case .clv: "clv_12m"
        case .pAlive: "p_alive"
        default: nil
        }
    }
}

extension CustomerStore {
    /// A keyset-paginated, filtered list. `sort` prefixed with "-" means descending (the default for dates).
    package func list(_ scope: Scope, filter: CustomerFilter, sort: CustomerSort = .createdAt, descending: Bool = true,
                     cursor: String? = nil, limit: Int = 50) async throws -> Page<Customer> {
        let limit = min(max(limit, 1), 200)
        let defs = filter.custom.isEmpty ? [] : try await rules(scope).customFields
        return try await db.read { sql in
            let q = try listQuery(scope, filter, sort, descending, cursor, limit, defs)
            let rows = try await sql.raw(q).all().map(CustomerRows.decode)
            let items = try await present(scope, Array(rows.prefix(limit)), sql: sql)
            let last = rows.count > limit ? items.last : nil
            if let last, let column = sort.scoreColumn {
                return Page(items: items, nextCursor: try await Self.scoreCursor(scope, column, id: last.id, sql: sql))
            }
            return Page(items: items, nextCursor: last.map { Self.listCursor(sort, createdAt: $0.createdAt.millis, updatedAt: $0.updatedAt.millis, name: $0.name, id: $0.id) })
        }
    }

    /// A page of the list as people page through it, in either direction: after `cursor` (the
    /// next page), or before `before` (the previous one, read backwards on the same index and
    /// turned round). Answers the cursors of the pages on either side: `next` when more follow,
    /// `previous` when this page is not the first.
    package func window(_ scope: Scope, filter: CustomerFilter, sort: CustomerSort = .createdAt, descending: Bool = true,
                        cursor: String? = nil, before: String? = nil, limit: Int = 50) async throws -> (items: [Customer], next: String?, previous: String?) {
        let limit = min(max(limit, 1), 200)
        let backward = before != nil
        let defs = filter.custom.isEmpty ? [] : try await rules(scope).customFields
        return try await db.read { sql in
            let q = try listQuery(scope, filter, sort, backward ? !descending : descending, before ?? cursor, limit, defs)
            var rows = try await sql.raw(q).all().map(CustomerRows.decode)
            let more = rows.count > limit
            rows = Array(rows.prefix(limit))
            if backward { rows.reverse() }
            let items = try await present(scope, rows, sql: sql)
            func key(_ c: Customer?) async throws -> String? {
                guard let c else { return nil }
                if let column = sort.scoreColumn { return try await Self.scoreCursor(scope, column, id: c.id, sql: sql) }
                return Self.listCursor(sort, createdAt: c.createdAt.millis, updatedAt: c.updatedAt.millis, name: c.name, id: c.id)
            }
            let next = backward || more ? try await key(items.last) : nil
            let previous = backward ? (more ? try await key(items.first) : nil) : (cursor != nil ? try await key(items.first) : nil)
            return (items, next, previous)
        }
    }

    /// How many customers `filter` finds for `scope`, counted up to `cap`: an exact count costs a
    /// walk over every match, so past the cap the answer is "more than cap" (`exact` false).
    package func count(_ scope: Scope, filter: CustomerFilter, cap: Int = ListCount.cap) async throws -> (count: Int, exact: Bool) {
        let defs = filter.custom.isEmpty ? [] : try await rules(scope).customFields
        var q = SQLQueryString("SELECT c.id FROM customers c WHERE c.workspace_id = \(bind: scope.workspaceID)")
        q += try conditions(scope, filter, defs)
        return try await ListCount.capped(q, cap: cap, in: db)
    }

    /// `list`'s page as the API writes it, `{"items":[…],"next_cursor":…}`: rendered where it is read
    /// when it can be (`renderRows`), decoded and encoded otherwise.
    package func listJSON(_ scope: Scope, filter: CustomerFilter, sort: CustomerSort = .createdAt, descending: Bool = true,
                         cursor: String? = nil, limit: Int = 50) async throws -> RenderedJSON {
        let limit = min(max(limit, 1), 200)
        if scope.level(.personalData, .read) == .all {
            let defs = filter.custom.isEmpty ? [] : try await rules(scope).customFields
            if let found = try await db.read({ sql -> ([RenderedCustomer], String?)? in
                guard let rows = try await Self.renderRows(try listQuery(scope, filter, sort, descending, cursor, limit, defs), sql: sql) else { return nil }
                guard rows.count > limit, let column = sort.scoreColumn else { return (rows, nil) }
                return (rows, try await Self.scoreCursor(scope, column, id: rows[limit - 1].id, sql: sql))
            }) {
                let (rows, scoreCursor) = found
                let last = rows.count > limit ? rows[limit - 1] : nil
                return Self.renderedItems(rows.prefix(limit), nextCursor: scoreCursor ?? last.map {
                    Self.listCursor(sort, createdAt: $0.keys.createdAt, updatedAt: $0.keys.updatedAt, name: $0.name, id: $0.id)
                })
            }
        }
        return RenderedJSON(try await list(scope, filter: filter, sort: sort, descending: descending, cursor: cursor, limit: limit).jsonBytes())
    }

    /// The customers of query `q` (`CustomerRows.columns`) written as the API writes them, straight
    /// from SQLite's column bytes on the reader's thread (`CustomerRows.writeJSON`), instead of
    /// decoded into `Customer`s and encoded again: that was two fifths of the server's time under
    /// the filtered list (`perf`, 2026-12-01). Nil off SQLite's readers or when a row is not as
    /// Guanxi stores it; callers then decode. Only for scopes that see personal data unmasked.
    static func renderRows(_ q: SQLQueryString, sql: any SQLDatabase) async throws -> [RenderedCustomer]? {
        guard let reader = sql as? ReaderSQLDatabase else { return nil }
        let (text, binds) = try reader.statement(q)
        return try await reader.readers.withConnection { c in
            var renderer = CustomerRows.Renderer()
            try c.step(text, binds) { renderer.add($0) }
            return renderer.finish()
        }
    }

    /// `{"items":[…]}`, with `next_cursor` when there is one.
    static func renderedItems(_ items: some Collection<RenderedCustomer>, nextCursor: String? = nil) -> RenderedJSON {
        var w = JSONWriter(capacity: items.reduce(64) { $0 + $1.json.count + 1 })
        w.object { w in
            w.key("items")
            w.array { w in for c in items { c.json.withUnsafeBufferPointer { w.json($0) } } }
            w.member("next_cursor", nextCursor)
        }
        return RenderedJSON(w.bytes)
    }

    /// The cursor after a page ending with this customer.
    static func listCursor(_ sort: CustomerSort, createdAt: Int64, updatedAt: Int64, name: String, id: String) -> String {
        let key: JSONValue = switch sort {
        case .createdAt: .number(Double(createdAt))
        case .updatedAt: .number(Double(updatedAt))
        case .name: .string(name)
        case .clv, .pAlive: .null // scoreCursor
        }
        return Cursor.encode([key, .string(id)])
    }

    /// The cursor after a page sorted by a score ending with customer `id`: the score (P(alive) as
    /// its exact decimal text, so the next page starts exactly after it) and the id.
    static func scoreCursor(_ scope: Scope, _ column: String, id: String, sql: any SQLDatabase) async throws -> String? {
        guard let r = try await sql.raw("""
            SELECT \(unsafeRaw: column) AS v FROM customer_scores WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: id)
            """).first() else { return nil }
        let key: JSONValue = column == "p_alive" ? .string("\(try r.decode(column: "v", as: Double.self))") : .number(Double(try r.decode(column: "v", as: Int64.self)))
        return Cursor.encode([key, .string(id)])
    }

    /// The page query: `CustomerRows.columns` of the customers matching `filter` that `scope` may
    /// read, after `cursor`, one more than `limit` (to know whether a next page exists).
    func listQuery(_ scope: Scope, _ filter: CustomerFilter, _ sort: CustomerSort, _ descending: Bool, _ cursor: String?,
                   _ limit: Int, _ defs: [CustomFieldDefinition]) throws -> SQLQueryString {
        // scores are analytics: a viewer who may not read them may not filter or sort by them either
        let scoreColumn = sort.scoreColumn
        if scoreColumn != nil || !filter.scoreConditions.isEmpty { try scope.require(.analytics, .read) }
        var q: SQLQueryString
        if scoreColumn != nil {
            // driven by the score's index, in its order; each customer found by its key
            q = "SELECT \(unsafeRaw: CustomerRows.columns) FROM customer_scores s JOIN customers c ON c.id = s.customer_id LEFT JOIN customers o ON o.id = c.organization_id"
            q += " WHERE s.workspace_id = \(bind: scope.workspaceID) AND c.workspace_id = \(bind: scope.workspaceID)"
            for (column, value) in filter.scoreConditions { q += " AND s.\(unsafeRaw: column) = \(bind: value)" }
        } else {
            q = "SELECT \(unsafeRaw: CustomerRows.columns) \(unsafeRaw: CustomerRows.from) WHERE c.workspace_id = \(bind: scope.workspaceID)"
        }
        q += try conditions(scope, filter, defs, scoresJoined: scoreColumn != nil)
        let col = scoreColumn.map { "s." + $0 } ?? "c." + sort.rawValue
        let idCol = scoreColumn == nil ? "c.id" : "s.customer_id"
        let op = descending ? "<" : ">"
        if let cursor {
            let v = try Cursor.decode(cursor)
            guard let id = v[1].stringValue else { throw DomainError.field("cursor", "is invalid") }
            switch (v[0], sort) {
            case (.string(let s), .pAlive):
                guard let d = Double(s), d.isFinite else { throw DomainError.field("cursor", "is invalid") }
                q += " AND (\(unsafeRaw: col), \(unsafeRaw: idCol)) \(unsafeRaw: op) (\(bind: d), \(bind: id))"
            case (.number(let d), .createdAt), (.number(let d), .updatedAt), (.number(let d), .clv):
                guard let n = Int64(exactly: d) else { throw DomainError.field("cursor", "is invalid") }
                q += " AND (\(unsafeRaw: col), \(unsafeRaw: idCol)) \(unsafeRaw: op) (\(bind: n), \(bind: id))"
            case (.string(let s), .name): q += " AND (\(unsafeRaw: col), \(unsafeRaw: idCol)) \(unsafeRaw: op) (\(bind: s), \(bind: id))"
            default: throw DomainError.field("cursor", "is invalid")
            }
        }
        let dir = descending ? "DESC" : "ASC"
        q += " ORDER BY \(unsafeRaw: col) \(unsafeRaw: dir), \(unsafeRaw: idCol) \(unsafeRaw: dir) LIMIT \(literal: limit + 1)"
        return q
    }

    /// The list's conditions after the workspace: deleted or not, what the scope may read, the filter
    /// (the scores' conditions as lookups by key unless the query is driven by the scores' table).
    func conditions(_ scope: Scope, _ filter: CustomerFilter, _ defs: [CustomFieldDefinition], scoresJoined: Bool = false) throws -> SQLQueryString {
        var q = SQLQueryString("")
        if !scoresJoined {
            // each listed customer's scores found by their key (as the tag filter finds tags)
            for (column, value) in filter.scoreConditions {
                q += " AND EXISTS (SELECT 1 FROM customer_scores s WHERE s.workspace_id = c.workspace_id AND s.customer_id = c.id AND s.\(unsafeRaw: column) = \(bind: value))"
            }
        }
        q += filter.deleted ? " AND c.deleted_at IS NOT NULL AND c.merged_into IS NULL" : " AND c.deleted_at IS NULL"
        q += Self.readLimit(scope)
        if let v = filter.kind { q += " AND c.kind = \(bind: v.rawValue)" }
        if let v = filter.stage { q += " AND c.stage = \(bind: v.rawValue)" }
        if let v = filter.tier { q += " AND c.tier = \(bind: v)" }
        if let v = filter.ownerID { q += " AND c.owner_id = \(bind: v.lowercased())" }
        if filter.pool { q += " AND c.owner_id IS NULL" }
        if let v = filter.source { q += " AND c.source = \(bind: v)" }
        if let v = filter.organizationID { q += " AND c.organization_id = \(bind: v.lowercased())" }
        if let v = filter.tag {
            q += " AND c.id IN (SELECT customer_id FROM customer_tags WHERE workspace_id = \(bind: scope.workspaceID) AND tag = \(bind: v))"
        }
        if let v = filter.createdFrom { q += " AND c.created_at >= \(bind: v.millis)" }
        if let v = filter.createdTo { q += " AND c.created_at < \(bind: v.millis)" }
        if let v = filter.updatedFrom { q += " AND c.updated_at >= \(bind: v.millis)" }
        if let v = filter.updatedTo { q += " AND c.updated_at < \(bind: v.millis)" }
        for (key, raw) in filter.custom.sorted(by: { $0.key < $1.key }) {
            guard let def = defs.first(where: { $0.key == key }) else {
                throw DomainError.field("custom.\(key)", "is not a custom field of this workspace")
            }
            q += customCondition(def, raw)
        }
        return q
    }

    func customCondition(_ def: CustomFieldDefinition, _ raw: String) -> SQLQueryString {
        let sqlite = db.dialect == .sqlite
        let path = "$.\(def.key)" // key is validated as [a-z][a-z0-9_]*
        if def.type == .multiSelect {
            return sqlite
                ? " AND EXISTS (SELECT 1 FROM json_each(c.custom_json, \(bind: path)) WHERE value = \(bind: raw))"
                : " AND (c.custom_json::jsonb -> \(bind: def.key)) ? \(bind: raw)"
        }
        let value = def.normalize(.string(raw)).0 ?? .string(raw)
        let json = JSONCoding.encode(value)
        return sqlite
            ? " AND (c.custom_json -> \(bind: path)) = json(\(bind: json))"
            : " AND (c.custom_json::jsonb -> \(bind: def.key)) = \(bind: json)::jsonb"
    }

    /// Customers matching `query` in names, organisation names, emails, phones (last digits too),
    /// WeChat and external ids, tags and places; best first: names equal to the query, then names
    /// starting with it (both from the name index, however old), then among the newest text
    /// matches those whose name contains it, then the rest, newest first. Chinese queries of one
    /// or two characters use the bigram index; everything else the trigram index.
    package func search(_ scope: Scope, query: String, limit: Int = 20) async throws -> [Customer] {
        guard let terms = SearchTerms(query, limit: limit) else { return [] }
        return try await db.read { sql in
            try await present(scope, try await ranked(scope, terms) { try await sql.raw($0).all().map(CustomerRows.decode) }, sql: sql)
        }
    }

    /// `search`'s answer as the API writes it, `{"items":[…]}`: rendered where it is read when it can
    /// be (`renderRows`), decoded and encoded otherwise.
    package func searchJSON(_ scope: Scope, query: String, limit: Int = 20) async throws -> RenderedJSON {
        struct NotAsStored: Error {}
        if scope.level(.personalData, .read) == .all, db.dialect == .sqlite {
            guard let terms = SearchTerms(query, limit: limit) else { return Self.renderedItems([]) }
            do {
                return Self.renderedItems(try await db.read { sql in
                    try await ranked(scope, terms) { q in
                        guard let rows = try await Self.renderRows(q, sql: sql) else { throw NotAsStored() }
                        return rows
                    }
                })
            } catch is NotAsStored {}
        }
        var w = JSONWriter()
        let found = try await search(scope, query: query, limit: limit)
        w.object { w in w.key("items"); w.write(found) }
        return RenderedJSON(w.bytes)
    }

    /// A search query split as the indexes need it.
    struct SearchTerms {
        let limit: Int
        /// Terms of three characters or more (the trigram index), short Chinese ones (the bigram index).
        let long: [String], cjkShort: [String]
        /// The query as typed, for the name ranking.
        let needle: String

        init?(_ query: String, limit: Int) {
            let q = SearchText.normalizeQuery(query)
            guard !q.isEmpty else { return nil }
            self.limit = min(max(limit, 1), 100)
            let terms = q.split(separator: " ").map(String.init)
            long = terms.filter { $0.count >= 3 }
            cjkShort = terms.filter { $0.count < 3 && SearchText.bigramQuery($0) != nil }
            needle = SearchText.withoutControls(query).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The search's ranking over rows as `rows` reads them (decoded or rendered): name prefixes
    /// first, then text matches not already found.
    private func ranked<C: SearchCandidate>(_ scope: Scope, _ t: SearchTerms,
                                            rows: (SQLQueryString) async throws -> [C]) async throws -> [C] {
        var found = try await namePrefix(scope, t.needle, limit: t.limit, rows: rows)
        guard found.count < t.limit, !t.long.isEmpty || !t.cjkShort.isEmpty else { return found }
        let seen = Set(found.map(\.id))
        found += try await rows(textMatchQuery(scope, t)).filter { !seen.contains($0.id) }
        return Array(found.prefix(t.limit))
    }

    /// Ranks only the newest `window` index matches, so that common terms stay fast.
    private func textMatchQuery(_ scope: Scope, _ t: SearchTerms) -> SQLQueryString {
        let (long, cjkShort, limit) = (t.long, t.cjkShort, t.limit)
        let window = 200
        let lowered = t.needle.lowercased()
        var q: SQLQueryString
        switch db.dialect {
        case .sqlite:
            if !long.isEmpty {
                let match = long.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")
                q = "SELECT c.seq AS s, instr(lower(c.name), \(bind: lowered)) > 0 AS hit FROM (SELECT rowid AS r FROM customer_fts WHERE customer_fts MATCH \(bind: match) ORDER BY rowid DESC LIMIT \(literal: window)) m CROSS JOIN customers c ON c.seq = m.r WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL"
                q += Self.readLimit(scope)
                for t in cjkShort { q += " AND c.seq IN (SELECT rowid FROM customer_bigrams WHERE customer_bigrams MATCH \(bind: bigramMatch(t)))" }
            } else {
                let match = cjkShort.map(bigramMatch).joined(separator: " AND ")
                q = "SELECT c.seq AS s, instr(lower(c.name), \(bind: lowered)) > 0 AS hit FROM (SELECT rowid AS r FROM customer_bigrams WHERE customer_bigrams MATCH \(bind: match) ORDER BY rowid DESC LIMIT \(literal: window)) m CROSS JOIN customers c ON c.seq = m.r WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL"
                q += Self.readLimit(scope)
            }
            // Ranked on the seq and name alone; only the winners' whole rows (and organisation names) are read.
            q = "SELECT \(unsafeRaw: CustomerRows.columns) FROM (" + q + " ORDER BY hit DESC, c.seq DESC LIMIT \(literal: limit)) k CROSS JOIN customers c ON c.seq = k.s LEFT JOIN customers o ON o.id = c.organization_id ORDER BY k.hit DESC, k.s DESC"
        case .postgres:
            var inner = SQLQueryString("SELECT c.seq FROM customers c WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL")
            inner += Self.readLimit(scope)
            for t in long { inner += " AND search_text LIKE \(bind: "%" + likeEscape(t) + "%")" }
            for t in cjkShort {
                if t.count == 2 { inner += " AND search_bigrams @> ARRAY[\(bind: t)]::text[]" }
                else { inner += " AND search_text LIKE \(bind: "%" + likeEscape(t) + "%")" }
            }
            inner += " ORDER BY c.seq DESC LIMIT \(literal: window)"
            q = "SELECT \(unsafeRaw: CustomerRows.columns) FROM customers c LEFT JOIN customers o ON o.id = c.organization_id WHERE c.seq IN (" + inner + ")"
            q += " ORDER BY (strpos(lower(c.name), \(bind: lowered)) > 0) DESC, c.seq DESC LIMIT \(literal: limit)"
        }
        return q
    }

    private func bigramMatch(_ t: String) -> String {
        t.count == 1 ? "\"\(t)\"*" : "\"\(t)\""
    }

    private func likeEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Names equal to or starting with the query (as typed, Capitalised or UPPER), exact first,
    /// from the name index.
    private func namePrefix<C: SearchCandidate>(_ scope: Scope, _ prefix: String, limit: Int,
                                                rows: (SQLQueryString) async throws -> [C]) async throws -> [C] {
        var out: [C] = []
        for p in Set([prefix, prefix.capitalized, prefix.uppercased()]).sorted() {
            var q = SQLQueryString("""
                SELECT \(unsafeRaw: CustomerRows.columns) \(unsafeRaw: CustomerRows.from)
                WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL
                  AND c.name >= \(bind: p) AND c.name < \(bind: p + "\u{10FFFF}")
                """)
            q += Self.readLimit(scope)
            q += " ORDER BY c.name LIMIT \(literal: limit)"
            out += try await rows(q)
        }
        let lowered = prefix.lowercased()
        let exact = out.filter { $0.name.lowercased() == lowered }
        return Array((exact + out.filter { $0.name.lowercased() != lowered }).prefix(limit))
    }

    /// Tags used in the workspace with how many customers carry each.
    package func tags(_ scope: Scope, limit: Int = 500) async throws -> [TagCount] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT t.tag, COUNT(*) AS n FROM customer_tags t JOIN customers c ON c.id = t.customer_id
                WHERE t.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL
                GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT \(literal: min(max(limit, 1), 5000))
                """).all().map { TagCount(tag: try $0.decode(column: "tag", as: String.self), count: try $0.decode(column: "n", as: Int.self)) }
        }
    }
}

package struct TagCount: Codable, Sendable, Equatable {
    package var tag: String
    package var count: Int
}

extension CustomerStore {
    /// Display names of the customers among `ids` the scope may read (one query; names are not
    /// personal data under the masking rules). Boards and lists use it instead of one read per row.
    package func names(_ scope: Scope, ids: Set<String>) async throws -> [String: String] {
        let valid = ids.filter(ID.isValid)
        guard !valid.isEmpty else { return [:] }
        return try await db.read { sql in
            var q = SQLQueryString("SELECT c.id, c.name FROM customers c WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL")
            q += " AND c.id IN (\(binds: valid.sorted()))"
            q += Self.readLimit(scope)
            return Dictionary(try await sql.raw(q).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) },
                              uniquingKeysWith: { a, _ in a })
        }
    }
}

/// What the search ranking reads of a found customer, decoded or rendered.
protocol SearchCandidate: Sendable {
    var id: String { get }
    var name: String { get }
}

extension Customer: SearchCandidate {}
extension RenderedCustomer: SearchCandidate {}
