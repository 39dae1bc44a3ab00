/// Ticket search is written after the change, in batches, and on SQLite as pieces
/// (`TicketSearchIndex`): a write queues the ticket's subject (`message_id` empty) or the message
/// it added, and the indexer takes the entries off the queue as it writes them. SQLite's index is
/// rebuilt with a piece per subject and message (`ticket_search.pieces` counts a ticket's pieces);
/// the tickets the index does not hold yet are indexed by the migration, which then compacts both
/// indexes. The pairs' index keeps a one-character prefix index: with a piece per message, a
/// one-character query ("茶") merged the lists of every pair starting with it, over ten times
/// as many rows as tickets.
package enum M024_ServiceSearchQueue {
    package static let migration = Migration(version: 24, name: "service_search_queue", backfill: { sql, dialect in
        try await TicketSearchIndex.backfill(dialect: dialect, sql: sql)
        // one segment per index after the rebuild: a search seeks in every segment, once per term and ticket
        if dialect == .sqlite {
            for t in ["ticket_fts", "ticket_bigrams"] { try await sql.raw("INSERT INTO \(unsafeRaw: t) (\(unsafeRaw: t)) VALUES ('optimize')").run() }
        }
    }) { dialect in
        var s = ["""
            CREATE TABLE ticket_search_queue (
              ticket_id TEXT NOT NULL, message_id TEXT NOT NULL, queued_at BIGINT NOT NULL, PRIMARY KEY (ticket_id, message_id))
            """]
        if dialect == .sqlite {
            s += [
                "DROP TABLE ticket_fts", "DROP TABLE ticket_bigrams", "DELETE FROM ticket_search",
                "ALTER TABLE ticket_search ADD COLUMN pieces INTEGER NOT NULL DEFAULT 0",
                "CREATE VIRTUAL TABLE ticket_fts USING fts5(words, notes, tokenize='trigram', content='', contentless_delete=1)",
                // a one-character query is a prefix of pairs: prefix='1' reads one list instead of merging every pair's
                "CREATE VIRTUAL TABLE ticket_bigrams USING fts5(words, notes, tokenize='unicode61', prefix='1', content='', contentless_delete=1)",
            ]
        }
        return s
    }
}
