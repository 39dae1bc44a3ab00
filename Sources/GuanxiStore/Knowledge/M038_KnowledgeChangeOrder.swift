import SQLKit
import GuanxiCore

/// An article's sequence number becomes its place in the order of changes: every change gives it a
/// new one (the largest), so "newest change first" is the order of the sequence numbers, which key
/// the full-text indexes. A search then walks an index's matches from the newest down and stops at
/// its page, instead of collecting every match of a common word and sorting them. Existing articles
/// are numbered again in the order of their last change (after every number in use, so no two ever
/// meet), the list index is keyed by the number, and SQLite's two indexes are filled again under the
/// new numbers.
package enum M038_KnowledgeChangeOrder {
    package static let migration = Migration(version: 38, name: "knowledge_change_order", backfill: { sql, dialect in
        guard dialect == .sqlite else { return }
        var after: Int64 = 0
        while true {
            let rows = try await sql.raw("SELECT \(unsafeRaw: KnowledgeStore.columns) FROM kb_articles a WHERE a.seq > \(bind: after) AND a.deleted_at IS NULL ORDER BY a.seq LIMIT 1000").all()
            guard !rows.isEmpty else { return }
            for r in rows {
                let seq = try r.decode(column: "seq", as: Int64.self), a = try KnowledgeStore.decode(r)
                try await sql.raw("INSERT INTO kb_fts (rowid, doc) VALUES (\(bind: seq), \(bind: ArticleRules.searchDocument(a)))").run()
                try await sql.raw("INSERT INTO kb_bigrams (rowid, doc) VALUES (\(bind: seq), \(bind: ArticleRules.bigramDocument(a)))").run()
                after = seq
            }
        }
    }) { dialect in
        let renumbered = """
            SELECT seq AS old_seq, (SELECT COALESCE(MAX(seq), 0) FROM kb_articles) + ROW_NUMBER() OVER (ORDER BY updated_at, id) AS new_seq FROM kb_articles
            """
        var s = [
            "DROP INDEX kb_articles_live",
        ]
        switch dialect {
        case .sqlite:
            s += [
                "CREATE TEMP TABLE kb_renumbered AS \(renumbered)",
                "UPDATE kb_articles SET seq = (SELECT new_seq FROM kb_renumbered WHERE old_seq = kb_articles.seq)",
                "DROP TABLE kb_renumbered",
                "INSERT INTO kb_fts (kb_fts) VALUES ('delete-all')",
                "INSERT INTO kb_bigrams (kb_bigrams) VALUES ('delete-all')",
            ]
        case .postgres:
            s += [
                "UPDATE kb_articles k SET seq = r.new_seq FROM (\(renumbered)) r WHERE k.seq = r.old_seq",
                "SELECT setval(pg_get_serial_sequence('kb_articles', 'seq'), (SELECT COALESCE(MAX(seq), 0) + 1 FROM kb_articles), false)",
            ]
        }
        s.append("CREATE INDEX kb_articles_live ON kb_articles (workspace_id, seq, status, visibility, category) WHERE deleted_at IS NULL")
        return s
    }
}
