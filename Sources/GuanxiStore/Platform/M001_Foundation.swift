/// The customer database: workspaces, users, tokens, customers, identities, tags, custom fields,
/// relationships, the timeline, merges, idempotency keys, import jobs and search indexes.
package enum M001_Foundation {
    package static let migration = Migration(version: 1, name: "foundation") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        var s = [
            """
            CREATE TABLE workspaces (
              id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,
              tiers_json TEXT NOT NULL, time_zone TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE users (
              id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL,
              is_active BIGINT NOT NULL DEFAULT 1, locale TEXT, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE memberships (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), user_id TEXT NOT NULL REFERENCES users(id),
              role TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, user_id))
            """,
            """
            CREATE TABLE api_tokens (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), user_id TEXT NOT NULL REFERENCES users(id),
              name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT, last_used_at BIGINT, revoked_at BIGINT)
            """,
            """
            CREATE TABLE customers (
              seq \(serial),
              id TEXT NOT NULL UNIQUE, workspace_id TEXT NOT NULL REFERENCES workspaces(id),
              kind TEXT NOT NULL, name TEXT NOT NULL, organization_id TEXT, title TEXT,
              stage TEXT NOT NULL, tier TEXT, owner_id TEXT, source TEXT, birthday TEXT,
              emails_json TEXT NOT NULL, phones_json TEXT NOT NULL, identities_json TEXT NOT NULL,
              addresses_json TEXT NOT NULL, consent_json TEXT NOT NULL, preferred_channel TEXT,
              tags_json TEXT NOT NULL, custom_json TEXT NOT NULL,
              country TEXT, province TEXT, city TEXT,
              search_text TEXT NOT NULL DEFAULT '',
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
              deleted_at BIGINT, merged_into TEXT)
            """,
            "CREATE INDEX customers_created ON customers (workspace_id, created_at, id)",
            "CREATE INDEX customers_updated ON customers (workspace_id, updated_at, id)",
            "CREATE INDEX customers_name ON customers (workspace_id, name, id)",
            "CREATE INDEX customers_stage ON customers (workspace_id, stage, created_at, id)",
            "CREATE INDEX customers_owner ON customers (workspace_id, owner_id, created_at, id)",
            "CREATE INDEX customers_org ON customers (workspace_id, organization_id)",
            """
            CREATE TABLE customer_identities (
              workspace_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, customer_id TEXT NOT NULL,
              PRIMARY KEY (workspace_id, kind, value))
            """,
            "CREATE INDEX customer_identities_customer ON customer_identities (customer_id)",
            """
            CREATE TABLE customer_tags (
              workspace_id TEXT NOT NULL, tag TEXT NOT NULL, customer_id TEXT NOT NULL,
              PRIMARY KEY (workspace_id, tag, customer_id))
            """,
            "CREATE INDEX customer_tags_customer ON customer_tags (customer_id)",
            """
            CREATE TABLE custom_field_defs (
              workspace_id TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, type TEXT NOT NULL,
              options_json TEXT NOT NULL, required BIGINT NOT NULL, sensitive BIGINT NOT NULL,
              position BIGINT NOT NULL, version BIGINT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, key))
            """,
            """
            CREATE TABLE relationships (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, from_id TEXT NOT NULL, to_id TEXT NOT NULL,
              kind TEXT NOT NULL, title TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX relationships_from ON relationships (workspace_id, from_id)",
            "CREATE INDEX relationships_to ON relationships (workspace_id, to_id)",
            """
            CREATE TABLE timeline (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, kind TEXT NOT NULL,
              occurred_at BIGINT NOT NULL, channel TEXT, direction TEXT, subject TEXT, body TEXT,
              duration_seconds BIGINT, outcome TEXT, author_id TEXT, data_json TEXT,
              created_at BIGINT NOT NULL, deleted_at BIGINT)
            """,
            "CREATE INDEX timeline_customer ON timeline (workspace_id, customer_id, occurred_at, id)",
            """
            CREATE TABLE merges (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, survivor_id TEXT NOT NULL, merged_id TEXT NOT NULL,
              snapshot_json TEXT NOT NULL, survivor_version BIGINT NOT NULL, actor_id TEXT,
              created_at BIGINT NOT NULL, undone_at BIGINT)
            """,
            "CREATE INDEX merges_survivor ON merges (workspace_id, survivor_id)",
            """
            CREATE TABLE idempotency_keys (
              workspace_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status BIGINT NOT NULL,
              body TEXT NOT NULL, headers_json TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, key))
            """,
            """
            CREATE TABLE import_jobs (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, status TEXT NOT NULL, filename TEXT NOT NULL,
              dry_run BIGINT NOT NULL, total BIGINT NOT NULL, created BIGINT NOT NULL, updated BIGINT NOT NULL,
              rejected BIGINT NOT NULL, report_json TEXT NOT NULL, created_by TEXT,
              created_at BIGINT NOT NULL, finished_at BIGINT)
            """,
        ]
        switch dialect {
        case .sqlite:
            // Contentless FTS5 tables keyed by customers.seq: trigram for substrings of 3+ characters
            // (Latin, digits and Chinese), and pre-split CJK bigrams for 1–2 character Chinese queries.
            s += [
                "CREATE VIRTUAL TABLE customer_fts USING fts5(doc, tokenize='trigram', content='', contentless_delete=1)",
                "CREATE VIRTUAL TABLE customer_bigrams USING fts5(doc, tokenize='unicode61', content='', contentless_delete=1)",
            ]
        case .postgres:
            s += [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "ALTER TABLE customers ADD COLUMN search_bigrams TEXT[] NOT NULL DEFAULT '{}'",
                "CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)",
                "CREATE INDEX customers_search_bigrams ON customers USING gin (search_bigrams)",
            ]
        }
        return s
    }
}
