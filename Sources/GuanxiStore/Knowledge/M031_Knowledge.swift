/// The knowledge base: articles (their three languages as JSON, read only with the article), with
/// the same two search indexes customers have (trigram for three characters and more, Chinese
/// bigrams for one or two), and the articles customers opened from the portal's suggestions while
/// writing a request (a request not submitted after one counts as deflected).
package enum M031_Knowledge {
    package static let migration = Migration(version: 31, name: "knowledge") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        var s = [
            """
            CREATE TABLE kb_articles (
              seq \(serial), id TEXT NOT NULL UNIQUE, workspace_id TEXT NOT NULL REFERENCES workspaces(id), category TEXT NOT NULL,
              status TEXT NOT NULL, visibility TEXT NOT NULL, texts_json TEXT NOT NULL, search_text TEXT NOT NULL, version BIGINT NOT NULL,
              created_by TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, published_at BIGINT, deleted_at BIGINT)
            """,
            "CREATE INDEX kb_articles_updated ON kb_articles (workspace_id, updated_at, id)",
            "CREATE INDEX kb_articles_category ON kb_articles (workspace_id, category)",
            """
            CREATE TABLE kb_suggestion_views (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, session_hash TEXT NOT NULL, customer_id TEXT NOT NULL, article_id TEXT NOT NULL,
              opened_at BIGINT NOT NULL, submitted_at BIGINT)
            """,
            "CREATE INDEX kb_suggestion_views_session ON kb_suggestion_views (session_hash, opened_at)",
            "CREATE INDEX kb_suggestion_views_workspace ON kb_suggestion_views (workspace_id, opened_at)",
        ]
        switch dialect {
        case .sqlite:
            s += [
                "CREATE VIRTUAL TABLE kb_fts USING fts5(doc, tokenize='trigram', content='', contentless_delete=1)",
                "CREATE VIRTUAL TABLE kb_bigrams USING fts5(doc, tokenize='unicode61', content='', contentless_delete=1)",
            ]
        case .postgres:
            s += [
                "ALTER TABLE kb_articles ADD COLUMN search_bigrams TEXT[] NOT NULL DEFAULT '{}'",
                "CREATE INDEX kb_articles_search_trgm ON kb_articles USING gin (search_text gin_trgm_ops)",
                "CREATE INDEX kb_articles_search_bigrams ON kb_articles USING gin (search_bigrams)",
            ]
        }
        return s
    }
}
