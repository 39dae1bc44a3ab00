import Foundation
import SQLKit
import GuanxiCore

/// Ticket search's index (M018, M024). Writes that change what a ticket says queue it in their
/// own transaction — opening queues its subject and first message, every later message itself — and
/// the indexer (`drain`, run by the server's search service) writes what was queued in batches
/// after the commit, usually within a tenth of a second; bulk loads and migrations write at once.
///
/// SQLite keeps a ticket's words as **pieces**: one row for the subject and one per message, in
/// two contentless FTS5 indexes (trigram, CJK pairs), numbered `seq << 20 | piece` so that a
/// ticket's pieces lie side by side, tickets in the order they entered the index. A message adds
/// its own words and nothing else: rewriting a ticket's whole document for every message made the
/// index rewrite and merge the whole conversation each time, most of a reply's cost on a large
/// desk (BENCHMARKS.md, service desk runs 5 and 6). PostgreSQL keeps one document per ticket
/// under trigram GIN indexes and writes it again from the conversation.
package enum TicketSearchIndex {
    /// A ticket's words to write: its subject (nil: only these messages are new) and messages.
    struct Entry: Sendable {
        let ticketID: String
        let workspaceID: String
        var subject: String?
        var messages: [(note: Bool, body: String)]
    }

    /// The bell the search service waits on.
    package static let bell = "ticket_search"
    /// Queue entries taken per transaction by `drain`.
    package static let batch = 500
    /// A ticket's pieces are numbered below `1 << pieceBits` within its range.
    static let pieceBits = 20

    /// Queues a ticket's subject (`messageID` nil) or one of its messages for the indexer, in the
    /// change's transaction.
    static func queue(_ ticketID: String, messageID: String?, tx: Tx) async throws {
        try await tx.sql.raw("""
            INSERT INTO ticket_search_queue (ticket_id, message_id, queued_at) VALUES (\(bind: ticketID), \(bind: messageID ?? ""), \(bind: tx.now.millis))
            ON CONFLICT (ticket_id, message_id) DO NOTHING
            """).run()
        try await tx.ring(bell)
    }

    /// Writes up to `limit` queued entries, in one transaction, and takes them off the queue;
    /// returns how many it took. Entries queued meanwhile stay for the next pass.
    package static func drain(_ db: Database, limit: Int = batch) async throws -> Int {
        try await db.write { sql in
            // several servers drain at once on PostgreSQL: each takes entries the others have not locked
            let skip: SQLQueryString = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let queued = try await sql.raw("SELECT ticket_id, message_id FROM ticket_search_queue ORDER BY ticket_id, message_id LIMIT \(literal: limit)\(skip)")
                .all().map { (ticket: try $0.decode(column: "ticket_id", as: String.self), message: try $0.decode(column: "message_id", as: String.self)) }
            guard !queued.isEmpty else { return 0 }
            let ticketIDs = Array(Set(queued.map(\.ticket))).sorted()
            switch db.dialect {
            case .sqlite:
                let indexed = Set(try await sql.raw("SELECT ticket_id FROM ticket_search WHERE ticket_id IN (\(binds: ticketIDs))").all()
                    .map { try $0.decode(column: "ticket_id", as: String.self) })
                // the subject with a ticket's first entry, and for any ticket not in the index yet
                let subjects = Set(queued.filter { $0.message.isEmpty }.map(\.ticket)).union(ticketIDs.filter { !indexed.contains($0) })
                var entries: [String: Entry] = [:]
                for r in try await sql.raw("SELECT id, workspace_id, subject FROM tickets WHERE id IN (\(binds: ticketIDs))").all() {
                    let id = try r.decode(column: "id", as: String.self)
                    entries[id] = Entry(ticketID: id, workspaceID: try r.decode(column: "workspace_id", as: String.self),
                                        subject: subjects.contains(id) ? try r.decode(column: "subject", as: String.self) : nil, messages: [])
                }
                let messageIDs = queued.map(\.message).filter { !$0.isEmpty }
                if !messageIDs.isEmpty {
                    for m in try await sql.raw("""
                        SELECT ticket_id, kind, body FROM ticket_messages WHERE id IN (\(binds: messageIDs)) ORDER BY created_at, id
                        """).all() {
                        let id = try m.decode(column: "ticket_id", as: String.self)
                        entries[id]?.messages.append((try m.decode(column: "kind", as: String.self) == "note", try m.decode(column: "body", as: String.self)))
                    }
                }
                try await writePieces(ticketIDs.compactMap { entries[$0] }, sql: sql)
            case .postgres:
                try await upsert(try await documents(ticketIDs, sql: sql), sql: sql)
            }
            var done = SQLQueryString("DELETE FROM ticket_search_queue WHERE (ticket_id, message_id) IN (VALUES ")
            for (i, q) in queued.enumerated() { done += i == 0 ? "(\(bind: q.ticket), \(bind: q.message))" : ", (\(bind: q.ticket), \(bind: q.message))" }
            done += ")"
            try await sql.raw(done).run()
            return queued.count
        }
    }

    /// Indexes whole tickets at once: bulk loads, and the migration that brings the index.
    static func insert(_ entries: [Entry], dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        switch dialect {
        case .sqlite: try await writePieces(entries, sql: sql)
        case .postgres: try await upsert(entries, sql: sql)
        }
    }

    /// SQLite: adds the entries' pieces — a new ticket takes the next place in the index, the
    /// subject piece 0 (replaced when given again) and each message the ticket's next piece.
    private static func writePieces(_ entries: [Entry], sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        var known: [String: (seq: Int64, pieces: Int64)] = [:]
        for r in try await sql.raw("SELECT ticket_id, seq, pieces FROM ticket_search WHERE ticket_id IN (\(binds: entries.map(\.ticketID)))").all() {
            known[try r.decode(column: "ticket_id", as: String.self)] = (try r.decode(column: "seq", as: Int64.self), try r.decode(column: "pieces", as: Int64.self))
        }
        var next = try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM ticket_search").first()!.decode(column: "n", as: Int64.self) + 1
        var rows: [(Int64, TicketSearchDocument)] = [], replaced: [Int64] = [], added: [[any Encodable & Sendable]] = []
        var grown: [(seq: Int64, pieces: Int64)] = []
        for e in entries {
            let (seq, had) = known[e.ticketID] ?? (next, 0)
            if known[e.ticketID] == nil { next += 1 }
            var pieces = max(had, 1)
            if let subject = e.subject {
                if had > 0 { replaced.append(seq << pieceBits) }
                rows.append((seq << pieceBits, TicketSearchDocument(subject: subject, messages: [])))
            }
            for m in e.messages where Int(pieces) < 1 << pieceBits {
                rows.append(((seq << pieceBits) | pieces, TicketSearchDocument(subject: "", messages: [m])))
                pieces += 1
            }
            if known[e.ticketID] == nil { added.append([seq, e.ticketID, pieces]) } else if pieces != had { grown.append((seq, pieces)) }
        }
        if !replaced.isEmpty {
            try await sql.raw("DELETE FROM ticket_fts WHERE rowid IN (\(binds: replaced))").run()
            try await sql.raw("DELETE FROM ticket_bigrams WHERE rowid IN (\(binds: replaced))").run()
        }
        _ = try await BulkSQL.insert("ticket_search", "seq, ticket_id, pieces", added, sql: sql)
        for g in grown { try await sql.raw("UPDATE ticket_search SET pieces = \(bind: g.pieces) WHERE seq = \(bind: g.seq)").run() }
        _ = try await BulkSQL.insert("ticket_fts", "rowid, words, notes", rows.map { [$0.0, $0.1.words, $0.1.notes] }, sql: sql)
        _ = try await BulkSQL.insert("ticket_bigrams", "rowid, words, notes", rows.map { [$0.0, $0.1.wordBigrams, $0.1.noteBigrams] }, sql: sql)
    }

    /// The whole subjects and conversations of these tickets (tickets no longer there are left out).
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
        return tickets.map { Entry(ticketID: $0.id, workspaceID: $0.workspaceID, subject: $0.subject, messages: conversation[$0.id] ?? []) }
    }

    /// Indexes every ticket the index does not hold yet (the migrations that bring or rebuild it).
    static func backfill(dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        var after = ""
        while true {
            let ids = try await sql.raw("""
                SELECT id FROM tickets WHERE id > \(bind: after) AND id NOT IN (SELECT ticket_id FROM ticket_search) ORDER BY id LIMIT 1000
                """).all().map { try $0.decode(column: "id", as: String.self) }
            guard let last = ids.last else { return }
            try await insert(try await documents(ids, sql: sql), dialect: dialect, sql: sql)
            after = last
        }
    }

    private static func upsert(_ entries: [Entry], sql: any SQLDatabase) async throws {
        // bigrams are CJK characters only: nothing in them needs quoting inside an array literal
        func array(_ grams: String) -> String { "{" + grams.split(separator: " ").map { "\"\($0)\"" }.joined(separator: ",") + "}" }
        for chunk in entries.chunked(1_000) {
            var q = SQLQueryString("INSERT INTO ticket_search (ticket_id, workspace_id, words, notes, word_bigrams, note_bigrams) VALUES ")
            for (i, e) in chunk.enumerated() {
                let doc = TicketSearchDocument(subject: e.subject ?? "", messages: e.messages)
                if i > 0 { q += ", " }
                q += "(\(bind: e.ticketID), \(bind: e.workspaceID), \(bind: doc.words), \(bind: doc.notes), \(bind: array(doc.wordBigrams))::text[], \(bind: array(doc.noteBigrams))::text[])"
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

    /// SQLite's page of search results, newest ticket first. The driving term (the sparsest:
    /// `sqliteDrive`) is read newest piece first in batches that grow; each batch names its tickets
    /// once however many of their pieces match, and the next batch starts below the last ticket's
    /// range, skipping its other pieces. A batch's tickets are then read newest first with every
    /// other term sought in the ticket's range of piece numbers and `filters` applied, until `limit`
    /// rows the caller may see. (Keeping only a ticket's newest matching piece with a `NOT EXISTS`
    /// seek per piece cost 36 ms for a Latin word found in nearly every piece of the 1M-ticket desk;
    /// this reads its first 51 tickets in under a millisecond.) The notes count as in `condition`:
    /// where notes may count at all, every column is searched, and where the caller reaches fewer
    /// tickets to update than to read, a match that needs a note must be on a ticket it may update.
    static func sqliteSearch(_ scope: Scope, _ terms: TicketSearchTerms, read: AccessLevel, filters: SQLQueryString, after: Int64?,
                             limit: Int, sql: any SQLDatabase) async throws -> [any SQLRow] {
        let update = scope.level(.tickets, .update)
        let notes = update != nil
        var all = sqliteTerms(terms)
        all.swapAt(0, try await sqliteDrive(scope, terms, after: after, sql: sql))
        let drive = all[0], bits = Int64(pieceBits)
        func inTicket(_ t: (table: String, term: String, prefix: Bool), words: Bool) -> SQLQueryString {
            "EXISTS (SELECT 1 FROM \(unsafeRaw: t.table) x WHERE x.\(unsafeRaw: t.table) MATCH \(bind: phrase(t.term, words: words, prefix: t.prefix)) AND x.rowid >= s.seq << \(unsafeRaw: String(bits)) AND x.rowid < (s.seq + 1) << \(unsafeRaw: String(bits)))"
        }
        var found: [any SQLRow] = []
        var below = after.map { $0 << bits }
        var batch = max(64, limit * 2)
        while found.count < limit {
            var q = SQLQueryString("SELECT rowid AS r FROM \(unsafeRaw: drive.table) WHERE \(unsafeRaw: drive.table) MATCH \(bind: phrase(drive.term, words: !notes, prefix: drive.prefix))")
            if let below { q += " AND rowid < \(bind: below)" }
            q += " ORDER BY rowid DESC LIMIT \(literal: batch)"
            let pieces = try await sql.raw(q).all().map { try $0.decode(column: "r", as: Int64.self) }
            var seqs: [Int64] = []
            for p in pieces where seqs.last != p >> bits { seqs.append(p >> bits) }
            guard let last = seqs.last else { break }
            var t = SQLQueryString("SELECT \(unsafeRaw: TicketStore.columns), s.seq AS search_seq FROM ticket_search s CROSS JOIN tickets t ON t.id = s.ticket_id JOIN customers c ON c.id = t.customer_id")
            // the sequence numbers are the index's own integers
            t += " WHERE s.seq IN (\(unsafeRaw: seqs.map(String.init).joined(separator: ",")))"
            for term in all.dropFirst() { t += " AND "; t += inTicket(term, words: !notes) }
            t += " AND t.workspace_id = \(bind: scope.workspaceID)"
            t += filters
            if let update, update < read {
                // found in the conversation alone, or on a ticket the caller may update
                t += " AND ((1 = 1"
                for term in all { t += " AND "; t += inTicket(term, words: true) }
                t += ") OR (1 = 1"
                t += TicketStore.readLimit(scope, update)
                t += "))"
            }
            t += " ORDER BY s.seq DESC LIMIT \(literal: limit - found.count)"
            found += try await sql.raw(t).all()
            if pieces.count < batch { break }
            below = last << bits
            batch = min(batch * 2, 8192)
        }
        return found
    }

    /// Each term with its SQLite index: trigrams for Latin and long terms, CJK pairs for short ones.
    private static func sqliteTerms(_ terms: TicketSearchTerms) -> [(table: String, term: String, prefix: Bool)] {
        terms.long.map { ("ticket_fts", $0, false) } + terms.cjkShort.map { ("ticket_bigrams", $0, true) }
    }

    /// A term as an FTS5 phrase; `words`: in the conversation's words only (not the notes).
    private static func phrase(_ t: String, words: Bool, prefix: Bool) -> String {
        (words ? "words : " : "") + "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix && t.count == 1 ? "*" : "")
    }

    /// Which term should drive `sqliteSearch`: the sparsest among the newest pieces, because the page
    /// reads the driving term's matches newest first and seeks the others in each candidate's ticket.
    /// Each term's 1,000th newest match (before the cursor) tells how far back a thousand matches
    /// reach — a few hundredths of a millisecond per term; a term with fewer than a thousand is the
    /// sparsest there is. (On the 1M-ticket desk, "照片" has 1.8M pieces and "龙井" 83,000: driving
    /// "龙井 照片" by the first took 84 ms, by the second 2.8 ms.)
    static func sqliteDrive(_ scope: Scope, _ terms: TicketSearchTerms, after: Int64?, sql: any SQLDatabase) async throws -> Int {
        let all = sqliteTerms(terms)
        guard all.count > 1 else { return 0 }
        let notes = scope.level(.tickets, .update) != nil
        var best = 0, bestReach = Int64.min
        for (i, t) in all.enumerated() {
            var q = SQLQueryString("SELECT rowid AS r FROM \(unsafeRaw: t.table) WHERE \(unsafeRaw: t.table) MATCH \(bind: phrase(t.term, words: !notes, prefix: t.prefix))")
            if let after { q += " AND rowid < \(bind: after << Int64(pieceBits))" }
            q += " ORDER BY rowid DESC LIMIT 1 OFFSET 999"
            // the lower the thousandth match, the sparser the term; none: sparser than any
            let reach = try await sql.raw(q).first().map { try -$0.decode(column: "r", as: Int64.self) } ?? Int64.max
            if reach > bestReach { best = i; bestReach = reach }
        }
        return best
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
    /// Subjects and messages of a workspace (nil: of the server) still to be written to the search index.
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
