/// Ticket search, custom fields on tickets and a ticket's product.
///
/// Search keeps one document per ticket (`TicketSearchDocument`): the subject with the customer's
/// messages and the replies (`words`), and the internal notes apart (`notes`). SQLite: contentless
/// FTS5 tables keyed by `ticket_search.seq` (the ticket's number in the index), trigram for
/// substrings of three characters or more and pre-split CJK bigrams for one- and two-character
/// Chinese queries, as customers have. PostgreSQL: the folded text under trigram GIN indexes and
/// the bigrams as arrays under GIN. The tickets already there are indexed by M024, which keeps
/// SQLite's index as pieces.
///
/// Custom field definitions name what they apply to (`customers`, `tickets`); a ticket keeps its
/// values in `custom_json` and may name a product (`product_id`) besides its order.
package enum M018_ServiceSearch {
    package static let migration = Migration(version: 18, name: "service_search") { dialect in
        var s = [
            "ALTER TABLE custom_field_defs ADD COLUMN applies_to TEXT NOT NULL DEFAULT 'customers'",
            "ALTER TABLE tickets ADD COLUMN product_id TEXT",
            "ALTER TABLE tickets ADD COLUMN custom_json TEXT NOT NULL DEFAULT '{}'",
        ]
        switch dialect {
        case .sqlite:
            s += [
                "CREATE TABLE ticket_search (seq INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL UNIQUE)",
                "CREATE VIRTUAL TABLE ticket_fts USING fts5(words, notes, tokenize='trigram', content='', contentless_delete=1)",
                "CREATE VIRTUAL TABLE ticket_bigrams USING fts5(words, notes, tokenize='unicode61', content='', contentless_delete=1)",
            ]
        case .postgres:
            s += [
                """
                CREATE TABLE ticket_search (
                  ticket_id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, words TEXT NOT NULL, notes TEXT NOT NULL,
                  word_bigrams TEXT[] NOT NULL, note_bigrams TEXT[] NOT NULL)
                """,
                "CREATE INDEX ticket_search_words ON ticket_search USING gin (words gin_trgm_ops)",
                "CREATE INDEX ticket_search_notes ON ticket_search USING gin (notes gin_trgm_ops)",
                "CREATE INDEX ticket_search_word_bigrams ON ticket_search USING gin (word_bigrams)",
                "CREATE INDEX ticket_search_note_bigrams ON ticket_search USING gin (note_bigrams)",
            ]
        }
        return s
    }
}
