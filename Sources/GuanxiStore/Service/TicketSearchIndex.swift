import Foundation
import SQLKit
import GuanxiCore

/// Ticket search's index (M018): one document per ticket, written in the transaction of each
/// write that changes what the ticket says (opening, every message, mail in, bulk loads), and
/// the condition a list adds to find tickets by it.
enum TicketSearchIndex {
    struct Entry: Sendable { let ticketID: String; let workspaceID: String; let doc: TicketSearchDocument }

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

    /// Writes a ticket's document again from its subject and whole conversation (after a message).
    static func reindex(_ ticketID: String, dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        guard let row = try await sql.raw("SELECT workspace_id, subject FROM tickets WHERE id = \(bind: ticketID)").first() else { return }
        let messages = try await sql.raw("""
            SELECT kind, body FROM ticket_messages WHERE ticket_id = \(bind: ticketID) ORDER BY created_at, id
            """).all().map { (note: try $0.decode(column: "kind", as: String.self) == "note", body: try $0.decode(column: "body", as: String.self)) }
        let entry = Entry(ticketID: ticketID, workspaceID: try row.decode(column: "workspace_id", as: String.self),
                          doc: TicketSearchDocument(subject: try row.decode(column: "subject", as: String.self), messages: messages))
        switch dialect {
        case .sqlite:
            guard let seq = try await sql.raw("SELECT seq FROM ticket_search WHERE ticket_id = \(bind: ticketID)").first()?
                .decode(column: "seq", as: Int64.self) else { return try await insert([entry], dialect: dialect, sql: sql) }
            try await sql.raw("DELETE FROM ticket_fts WHERE rowid = \(bind: seq)").run()
            try await sql.raw("DELETE FROM ticket_bigrams WHERE rowid = \(bind: seq)").run()
            try await writeFTS([(seq, entry.doc)], sql: sql)
        case .postgres:
            try await upsert([entry], sql: sql)
        }
    }

    /// Indexes every ticket of the database (the migration that brings the index).
    static func backfill(dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        var after = ""
        while true {
            let tickets = try await sql.raw("SELECT id, workspace_id, subject FROM tickets WHERE id > \(bind: after) ORDER BY id LIMIT 1000").all().map {
                (id: try $0.decode(column: "id", as: String.self), workspaceID: try $0.decode(column: "workspace_id", as: String.self),
                 subject: try $0.decode(column: "subject", as: String.self))
            }
            guard let last = tickets.last else { return }
            let messages = try await sql.raw("""
                SELECT ticket_id, kind, body FROM ticket_messages WHERE ticket_id IN (\(binds: tickets.map(\.id))) ORDER BY created_at, id
                """).all()
            var conversation: [String: [(note: Bool, body: String)]] = [:]
            for m in messages {
                conversation[try m.decode(column: "ticket_id", as: String.self), default: []]
                    .append((try m.decode(column: "kind", as: String.self) == "note", try m.decode(column: "body", as: String.self)))
            }
            try await insert(tickets.map { Entry(ticketID: $0.id, workspaceID: $0.workspaceID,
                                                 doc: TicketSearchDocument(subject: $0.subject, messages: conversation[$0.id] ?? [])) },
                             dialect: dialect, sql: sql)
            after = last.id
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
