import Foundation
import SQLKit
import GuanxiCore

/// Ticket search's index (M018): one document per ticket. Bulk loads and the migration write
/// documents at once; every other write that changes what a ticket says (opening, every message,
/// mail in) queues the ticket (M024) and the indexer (`drain`, run by the server's search service)
/// writes the queued tickets' documents in batches after the commit, usually within a tenth of a
/// second. Writing them inside each request's transaction cost more than the rest of the write:
/// every FTS5 commit flushes a segment and merges inline, which held the single writer for tens of
/// milliseconds now and then (BENCHMARKS.md, service desk run 5); a batch flushes once for hundreds.
package enum TicketSearchIndex {
    struct Entry: Sendable { let ticketID: String; let workspaceID: String; let doc: TicketSearchDocument }

    /// The bell the search service waits on.
    package static let bell = "ticket_search"
    /// Tickets indexed per transaction by `drain`.
    package static let batch = 500

    /// Queues a ticket whose words changed for the indexer (in the change's transaction).
    static func queue(_ ticketID: String, tx: Tx) async throws {
        try await tx.sql.raw("""
            INSERT INTO ticket_search_queue (ticket_id, n, queued_at) VALUES (\(bind: ticketID), 1, \(bind: tx.now.millis))
            ON CONFLICT (ticket_id) DO UPDATE SET n = ticket_search_queue.n + 1
            """).run()
        await tx.db.bells(bell).ring()
    }

    /// Writes the documents of up to `limit` queued tickets, oldest ticket first (so that new
    /// tickets take their places in the index in the order they were opened), in one transaction;
    /// returns how many it took off the queue. An entry queued again while its document was being
    /// written stays queued (its count moved), so no change is ever left out.
    package static func drain(_ db: Database, limit: Int = batch) async throws -> Int {
        try await db.write { sql in
            let queued = try await sql.raw("SELECT ticket_id, n FROM ticket_search_queue ORDER BY ticket_id LIMIT \(literal: limit)").all().map {
                (id: try $0.decode(column: "ticket_id", as: String.self), n: try $0.decode(column: "n", as: Int64.self))
            }
            guard !queued.isEmpty else { return 0 }
            let entries = try await documents(queued.map(\.id), sql: sql)
            try await replace(entries, dialect: db.dialect, sql: sql)
            try await dequeue(queued, sql: sql)
            return queued.count
        }
    }

    /// Takes entries off the queue, each only if it was not queued again since it was read (its
    /// count still `n`).
    static func dequeue(_ entries: [(id: String, n: Int64)], sql: any SQLDatabase) async throws {
        var q = SQLQueryString("DELETE FROM ticket_search_queue WHERE (ticket_id, n) IN (VALUES ")
        for (i, e) in entries.enumerated() { q += i == 0 ? "(\(bind: e.id), \(bind: e.n))" : ", (\(bind: e.id), \(bind: e.n))" }
        q += ")"
        try await sql.raw(q).run()
    }

    /// Indexes tickets that have no document yet.
    static func insert(_ entries: [Entry], dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        switch dialect {
        case .sqlite:
            let last = try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM ticket_search").first()!.decode(column: "n", as: Int64.self)
            let items = entries.enumerated().map { (seq: last + 1 + Int64($0.offset), doc: $0.element.doc, id: $0.element.ticketID) }
            _ = try await BulkSQL.insert("ticket_search", "seq, ticket_id", items.map { [$0.seq, $0.id] }, sql: sql)
            try await writeFTS(items.map { ($0.seq, $0.doc) }, sql: sql)
        case .postgres:
            try await upsert(entries, sql: sql)
        }
    }

    /// Writes the documents of tickets that may already have one (SQLite keeps a ticket's place,
    /// its `seq`, and replaces its words).
    private static func replace(_ entries: [Entry], dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        guard dialect == .sqlite else { return try await upsert(entries, sql: sql) }
        var seqs: [String: Int64] = [:]
        for r in try await sql.raw("SELECT ticket_id, seq FROM ticket_search WHERE ticket_id IN (\(binds: entries.map(\.ticketID)))").all() {
            seqs[try r.decode(column: "ticket_id", as: String.self)] = try r.decode(column: "seq", as: Int64.self)
        }
        let old = entries.compactMap { seqs[$0.ticketID] }
        if !old.isEmpty {
            try await sql.raw("DELETE FROM ticket_fts WHERE rowid IN (\(binds: old))").run()
            try await sql.raw("DELETE FROM ticket_bigrams WHERE rowid IN (\(binds: old))").run()
            try await writeFTS(entries.compactMap { e in seqs[e.ticketID].map { ($0, e.doc) } }, sql: sql)
        }
        try await insert(entries.filter { seqs[$0.ticketID] == nil }, dialect: dialect, sql: sql)
    }

    /// The documents of these tickets from their subjects and conversations (tickets no longer
    /// there are left out).
    private static func documents(_ ids: [String], sql: any SQLDatabase) async throws -> [Entry] {
        let tickets = try await sql.raw("SELECT id, workspace_id, subject FROM tickets WHERE id IN (\(binds: ids)) ORDER BY id").all().map {
            (id: try $0.decode(column: "id", as: String.self), workspaceID: try $0.decode(column: "workspace_id", as: String.self),
             subject: try $0.decode(column: "subject", as: String.self))
        }
        guard !tickets.isEmpty else { return [] }
        let messages = try await sql.raw("""
            SELECT ticket_id, kind, body FROM ticket_messages WHERE ticket_id IN (\(binds: tickets.map(\.id))) ORDER BY created_at, id
            """).all()
        var conversation: [String: [(note: Bool, body: String)]] = [:]
        for m in messages {
            conversation[try m.decode(column: "ticket_id", as: String.self), default: []]
                .append((try m.decode(column: "kind", as: String.self) == "note", try m.decode(column: "body", as: String.self)))
        }
        return tickets.map { Entry(ticketID: $0.id, workspaceID: $0.workspaceID, doc: TicketSearchDocument(subject: $0.subject, messages: conversation[$0.id] ?? [])) }
    }

    /// Indexes every ticket of the database (the migration that brings the index).
    static func backfill(dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        var after = ""
        while true {
            let ids = try await sql.raw("SELECT id FROM tickets WHERE id > \(bind: after) ORDER BY id LIMIT 1000").all()
                .map { try $0.decode(column: "id", as: String.self) }
            guard let last = ids.last else { return }
            try await insert(try await documents(ids, sql: sql), dialect: dialect, sql: sql)
            after = last
        }
    }

    private static func writeFTS(_ items: [(Int64, TicketSearchDocument)], sql: any SQLDatabase) async throws {
        _ = try await BulkSQL.insert("ticket_fts", "rowid, words, notes", items.map { [$0.0, $0.1.words, $0.1.notes] }, sql: sql)
        _ = try await BulkSQL.insert("ticket_bigrams", "rowid, words, notes", items.map { [$0.0, $0.1.wordBigrams, $0.1.noteBigrams] }, sql: sql)
    }

    private static func upsert(_ entries: [Entry], sql: any SQLDatabase) async throws {
        // bigrams are CJK characters only: nothing in them needs quoting inside an array literal
        func array(_ grams: String) -> String { "{" + grams.split(separator: " ").map { "\"\($0)\"" }.joined(separator: ",") + "}" }
        for chunk in entries.chunked(1_000) {
            var q = SQLQueryString("INSERT INTO ticket_search (ticket_id, workspace_id, words, notes, word_bigrams, note_bigrams) VALUES ")
            for (i, e) in chunk.enumerated() {
                if i > 0 { q += ", " }
                q += "(\(bind: e.ticketID), \(bind: e.workspaceID), \(bind: e.doc.words), \(bind: e.doc.notes), \(bind: array(e.doc.wordBigrams))::text[], \(bind: array(e.doc.noteBigrams))::text[])"
            }
            q += """
                 ON CONFLICT (ticket_id) DO UPDATE SET words = excluded.words, notes = excluded.notes,
                  word_bigrams = excluded.word_bigrams, note_bigrams = excluded.note_bigrams
                """
            try await sql.raw(q).run()
        }
    }

    // MARK: Search

    /// PostgreSQL: the condition (" AND …") on `t` for the tickets whose document holds every term,
    /// as `scope` may search it: internal notes count only on tickets whose notes it may see, those
    /// it may update (`TicketStore.messages`). The list orders and pages as without a search.
    static func condition(_ scope: Scope, _ terms: TicketSearchTerms, read: AccessLevel) -> SQLQueryString {
        let open = match(scope, terms, notes: false)
        var q: SQLQueryString = " AND "
        guard let update = scope.level(.tickets, .update) else { q += open; return q }
        let all = match(scope, terms, notes: true)
        if update >= read { q += all; return q }
        q += "("
        q += open
        q += " OR ((1 = 1"
        q += TicketStore.readLimit(scope, update)
        q += ") AND "
        q += all
        q += "))"
        return q
    }

    /// SQLite's page of search results: driven by a full-text index read newest entry first
    /// (`ORDER BY rowid DESC`, which FTS5 streams), joined to the tickets and filtered by
    /// `filters` (and the other index), so that a word in half the tickets still stops after
    /// `limit` rows the caller may see. The notes count as in `condition`: where notes may count at
    /// all the index is read whole, and where the caller reaches fewer tickets to update than to
    /// read, a match outside the conversation must be on a ticket it may update.
    static func sqlitePage(_ scope: Scope, _ terms: TicketSearchTerms, read: AccessLevel, filters: SQLQueryString, after: Int64?,
                           limit: Int) -> SQLQueryString {
        let update = scope.level(.tickets, .update)
        let notes = update != nil
        let drive = terms.long.isEmpty ? "ticket_bigrams" : "ticket_fts"
        func phrases(_ list: [String], words: Bool, prefix: Bool) -> String {
            list.map { (words ? "words : " : "") + "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix && $0.count == 1 ? "*" : "") }
                .joined(separator: " AND ")
        }
        var q = SQLQueryString("SELECT \(unsafeRaw: TicketStore.columns), \(unsafeRaw: drive).rowid AS search_seq FROM \(unsafeRaw: drive)")
        q += " CROSS JOIN ticket_search s ON s.seq = \(unsafeRaw: drive).rowid CROSS JOIN tickets t ON t.id = s.ticket_id JOIN customers c ON c.id = t.customer_id"
        if terms.long.isEmpty {
            q += " WHERE ticket_bigrams MATCH \(bind: phrases(terms.cjkShort, words: !notes, prefix: true))"
        } else {
            q += " WHERE ticket_fts MATCH \(bind: phrases(terms.long, words: !notes, prefix: false))"
            if !terms.cjkShort.isEmpty {
                q += " AND s.seq IN (SELECT rowid FROM ticket_bigrams WHERE ticket_bigrams MATCH \(bind: phrases(terms.cjkShort, words: !notes, prefix: true)))"
            }
        }
        q += " AND t.workspace_id = \(bind: scope.workspaceID)"
        q += filters
        if let update, update < read {
            q += " AND ((1 = 1"
            if !terms.long.isEmpty { q += " AND s.seq IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH \(bind: phrases(terms.long, words: true, prefix: false)))" }
            if !terms.cjkShort.isEmpty {
                q += " AND s.seq IN (SELECT rowid FROM ticket_bigrams WHERE ticket_bigrams MATCH \(bind: phrases(terms.cjkShort, words: true, prefix: true)))"
            }
            q += ") OR (1 = 1"
            q += TicketStore.readLimit(scope, update)
            q += "))"
        }
        if let after { q += " AND \(unsafeRaw: drive).rowid < \(bind: after)" }
        q += " ORDER BY \(unsafeRaw: drive).rowid DESC LIMIT \(literal: limit)"
        return q
    }

    private static func match(_ scope: Scope, _ terms: TicketSearchTerms, notes: Bool) -> SQLQueryString {
        func like(_ t: String) -> String {
            "%" + t.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        var q = SQLQueryString("t.id IN (SELECT s.ticket_id FROM ticket_search s WHERE s.workspace_id = \(bind: scope.workspaceID)")
        for t in terms.long + terms.cjkShort.filter({ $0.count == 1 }) {
            if notes { q += " AND (s.words LIKE \(bind: like(t)) OR s.notes LIKE \(bind: like(t)))" } else { q += " AND s.words LIKE \(bind: like(t))" }
        }
        for t in terms.cjkShort where t.count == 2 {
            if notes { q += " AND (s.word_bigrams @> ARRAY[\(bind: t)]::text[] OR s.note_bigrams @> ARRAY[\(bind: t)]::text[])" }
            else { q += " AND s.word_bigrams @> ARRAY[\(bind: t)]::text[]" }
        }
        q += ")"
        return q
    }
}

extension TicketStore {
    /// Tickets of a workspace (nil: of the server) whose search documents are still to be written.
    package func searchQueueDepth(workspaceID: String?) async throws -> Int {
        try await db.read { sql in
            let q: SQLQueryString = workspaceID.map {
                "SELECT COUNT(*) AS n FROM ticket_search_queue q JOIN tickets t ON t.id = q.ticket_id WHERE t.workspace_id = \(bind: $0)"
            } ?? "SELECT COUNT(*) AS n FROM ticket_search_queue"
            return try await sql.raw(q).first()!.decode(column: "n", as: Int.self)
        }
    }

    /// Writes every queued search document now (what the server's search service does as writes
    /// come in); returns how many tickets it indexed.
    @discardableResult
    package func indexSearch() async throws -> Int {
        var total = 0
        while true {
            let n = try await TicketSearchIndex.drain(db)
            total += n
            if n < TicketSearchIndex.batch { return total }
        }
    }
}
