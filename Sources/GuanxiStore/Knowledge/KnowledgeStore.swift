import Foundation
import SQLKit
import GuanxiCore

/// Knowledge-base articles: staff write them (those who may update tickets), agents and customers
/// find them with the customers' Chinese-aware search, the portal suggests them while a customer
/// writes a request, and the suggestions that kept a request from being sent are counted.
package struct KnowledgeStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    static let columns = "a.seq, a.id, a.category, a.status, a.visibility, a.texts_json, a.version, a.created_by, a.created_at, a.updated_at, a.published_at"

    static func decode(_ r: any SQLRow) throws -> Article {
        func d(_ c: String) throws -> Date { Date(millis: try r.decode(column: c, as: Int64.self)) }
        return Article(id: try r.decode(column: "id", as: String.self), category: try r.decode(column: "category", as: String.self),
                       status: try r.decode(column: "status", as: String.self), visibility: try r.decode(column: "visibility", as: String.self),
                       texts: texts(try r.decode(column: "texts_json", as: String.self)),
                       version: try r.decode(column: "version", as: Int.self), createdBy: try r.decode(column: "created_by", as: String?.self),
                       createdAt: try d("created_at"), updatedAt: try d("updated_at"),
                       publishedAt: try r.decode(column: "published_at", as: Int64?.self).map(Date.init(millis:)))
    }

    /// The stored `texts_json` (language → title and body), read with the project's parser
    /// (Foundation's decoder took a tenth of a search's time).
    static func texts(_ json: String) -> [String: Article.Text] {
        guard case .object(let languages)? = try? JSONParser.parse(json) else { return [:] }
        var texts: [String: Article.Text] = [:]
        for (l, v) in languages {
            guard case .object(let t) = v, let title = t["title"]?.stringValue, let body = t["body"]?.stringValue else { continue }
            texts[l] = Article.Text(title: title, body: body)
        }
        return texts
    }

    // MARK: Writing

    package func create(_ scope: Scope, _ draft: ArticleDraft) async throws -> Article {
        try scope.require(.tickets, .update)
        let now = clock.now()
        let a = try ArticleRules.apply(draft, to: nil, id: ID.make(at: now), now: now, by: scope.userID)
        return try await db.write(scope, at: now) { tx in
            var a = a
            a.version = 1
            let seq = try await tx.sql.raw("""
                INSERT INTO kb_articles (id, workspace_id, category, status, visibility, texts_json, search_text, version, created_by, created_at,
                  updated_at, published_at)
                VALUES (\(bind: a.id), \(bind: scope.workspaceID), \(bind: a.category), \(bind: a.status), \(bind: a.visibility),
                  \(bind: JSONCoding.encode(a.texts)), \(bind: ArticleRules.searchDocument(a)), 1, \(bind: a.createdBy), \(bind: now.millis),
                  \(bind: now.millis), \(bind: a.publishedAt?.millis))
                RETURNING seq
                """).first()!.decode(column: "seq", as: Int64.self)
            try await index(seq, a, replacing: nil, sql: tx.sql)
            try await tx.audit("create", "kb_articles", a.id, detail: AuditDetail.encoded(a))
            return a
        }
    }

    /// Changes an article (If-Match: `ifVersion`); the search indexes follow.
    package func update(_ scope: Scope, id: String, _ draft: ArticleDraft, ifVersion: Int?) async throws -> Article {
        try scope.require(.tickets, .update)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let (seq, old) = try await Self.load(scope.workspaceID, id, sql: tx.sql)
            if let v = ifVersion, v != old.version { throw DomainError.staleVersion(current: old.version) }
            var a = try ArticleRules.apply(draft, to: old, id: old.id, now: now, by: scope.userID)
            guard a != old else { return old }
            a.version = old.version + 1; a.updatedAt = now
            // a new sequence number: the article moves to the top of the order of changes
            let next = db.dialect == .sqlite ? "(SELECT MAX(seq) + 1 FROM kb_articles)" : "nextval(pg_get_serial_sequence('kb_articles', 'seq'))"
            let moved = try await tx.sql.raw("""
                UPDATE kb_articles SET seq = \(unsafeRaw: next), category = \(bind: a.category), status = \(bind: a.status), visibility = \(bind: a.visibility),
                  texts_json = \(bind: JSONCoding.encode(a.texts)), search_text = \(bind: ArticleRules.searchDocument(a)), version = \(bind: a.version),
                  updated_at = \(bind: now.millis), published_at = \(bind: a.publishedAt?.millis)
                WHERE seq = \(bind: seq)
                RETURNING seq
                """).first()!.decode(column: "seq", as: Int64.self)
            try await index(moved, a, replacing: seq, sql: tx.sql)
            try await tx.audit("update", "kb_articles", a.id, detail: AuditDetail.encoded(a))
            return a
        }
    }

    package func delete(_ scope: Scope, id: String, ifVersion: Int?) async throws {
        try scope.require(.tickets, .update)
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let (seq, old) = try await Self.load(scope.workspaceID, id, sql: tx.sql)
            if let v = ifVersion, v != old.version { throw DomainError.staleVersion(current: old.version) }
            try await tx.sql.raw("UPDATE kb_articles SET deleted_at = \(bind: now.millis), version = version + 1 WHERE seq = \(bind: seq)").run()
            if db.dialect == .sqlite {
                try await tx.sql.raw("DELETE FROM kb_fts WHERE rowid = \(bind: seq)").run()
                try await tx.sql.raw("DELETE FROM kb_bigrams WHERE rowid = \(bind: seq)").run()
            }
            try await tx.audit("delete", "kb_articles", old.id)
        }
    }

    /// Puts the article into the search indexes under `seq`, taking out what was under `replacing`.
    func index(_ seq: Int64, _ a: Article, replacing: Int64?, sql: any SQLDatabase) async throws {
        let grams = ArticleRules.bigramDocument(a)
        switch db.dialect {
        case .sqlite:
            if let old = replacing {
                try await sql.raw("DELETE FROM kb_fts WHERE rowid = \(bind: old)").run()
                try await sql.raw("DELETE FROM kb_bigrams WHERE rowid = \(bind: old)").run()
            }
            try await sql.raw("INSERT INTO kb_fts (rowid, doc) VALUES (\(bind: seq), \(bind: ArticleRules.searchDocument(a)))").run()
            try await sql.raw("INSERT INTO kb_bigrams (rowid, doc) VALUES (\(bind: seq), \(bind: grams))").run()
        case .postgres:
            // as the customers' index: the array as its text form, quoted (the tokens are CJK characters and letters)
            let list = "{" + grams.split(separator: " ").map { "\"\($0)\"" }.joined(separator: ",") + "}"
            try await sql.raw("UPDATE kb_articles SET search_bigrams = \(bind: list)::text[] WHERE seq = \(bind: seq)").run()
        }
    }

    static func load(_ workspaceID: String, _ id: String, sql: any SQLDatabase) async throws -> (Int64, Article) {
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM kb_articles a WHERE a.id = \(bind: id.lowercased()) AND a.workspace_id = \(bind: workspaceID) AND a.deleted_at IS NULL
            """).first() else { throw DomainError.notFound("article") }
        return (try r.decode(column: "seq", as: Int64.self), try decode(r))
    }

    // MARK: Reading

    package func get(_ scope: Scope, id: String) async throws -> Article {
        try scope.require(.tickets, .read)
        return try await db.read { sql in try await Self.load(scope.workspaceID, id, sql: sql).1 }
    }

    /// Articles staff see, newest change first, a page at a time; with `query`, those the search finds.
    package func list(_ scope: Scope, query: String? = nil, category: String? = nil, status: String? = nil, cursor: String? = nil,
                      limit: Int = 50) async throws -> Page<Article> {
        try scope.require(.tickets, .read)
        return try await page(scope.workspaceID, query: query, category: category, status: status, publicOnly: false, cursor: cursor, limit: limit)
    }

    /// What customers may read in the portal: published and public articles of the workspace, a page at a time.
    package func published(workspaceID: String, query: String? = nil, cursor: String? = nil, limit: Int = 50) async throws -> Page<Article> {
        try await page(workspaceID, query: query, category: nil, status: "published", publicOnly: true, cursor: cursor, limit: limit)
    }

    /// One page (1–200 articles) of a search, and the cursor of the next when there is one.
    func page(_ workspaceID: String, query: String?, category: String?, status: String?, publicOnly: Bool, cursor: String?,
              limit: Int) async throws -> Page<Article> {
        let after = try cursor.map(Cursor.sequence)
        let limit = min(max(limit, 1), 200)
        let found = try await find(workspaceID, query: query, category: category, status: status, publicOnly: publicOnly, after: after, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return Page(items: page.map(\.article), nextCursor: found.count > limit ? page.last.map { Cursor.sequenceAndID($0.seq, $0.article.id) } : nil)
    }

    package func publishedArticle(workspaceID: String, id: String) async throws -> Article {
        let a = try await db.read { sql in try await Self.load(workspaceID, id, sql: sql).1 }
        guard a.isPublic else { throw DomainError.notFound("article") }
        return a
    }

    /// The search (as the customers' search: trigram for terms of three characters and more, the
    /// bigram index for one or two Chinese characters; every term must match), newest change first,
    /// after the sequence number `after`. An article's sequence number is its place in the order of
    /// changes (every change gives it a new one, M038), and the full-text indexes are keyed by it, so
    /// on SQLite a search walks the index's matches from the newest down and stops at the page's last
    /// article: "茶" (27 % of 100,000 articles) costs what a rare word costs, not its 27,000 matches.
    /// The page's articles are chosen first, by their sequence numbers, through `kb_articles_live`
    /// (no article text is read), and only they are read: an article is a few kilobytes of text.
    func find(_ workspaceID: String, query: String?, category: String?, status: String?, publicOnly: Bool, after: Int64?,
              limit: Int) async throws -> [(seq: Int64, article: Article)] {
        let page = pageQuery(workspaceID, query: query, category: category, status: status, publicOnly: publicOnly, after: after, limit: limit)
        let q = SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM kb_articles a WHERE a.seq IN (") + page + ") ORDER BY a.seq DESC"
        return try await db.read { sql in
            try await sql.raw(q).all().map { (try $0.decode(column: "seq", as: Int64.self), try Self.decode($0)) }
        }
    }

    /// The sequence numbers of a search's page (see `find`).
    func pageQuery(_ workspaceID: String, query: String?, category: String?, status: String?, publicOnly: Bool, after: Int64?,
                   limit: Int) -> SQLQueryString {
        var filters = SQLQueryString(" AND a.workspace_id = \(bind: workspaceID) AND a.deleted_at IS NULL")
        if let status { filters += " AND a.status = \(bind: status)" }
        if publicOnly { filters += " AND a.visibility = 'public'" }
        if let category, !category.isEmpty { filters += " AND a.category = \(bind: category)" }
        var trigrams: [String] = [], bigrams: [String] = []   // SQLite: each index's terms, every one to match
        for t in SearchText.normalizeQuery(query ?? "").split(separator: " ").map(String.init) {
            let short = t.count < 3 && SearchText.bigramQuery(t) != nil
            switch (db.dialect, short) {
            case (.sqlite, false) where t.count >= 3:
                trigrams.append("\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            case (.sqlite, true):
                bigrams.append(t.count == 1 ? "\"\(t)\"*" : "\"\(t)\"")
            case (.postgres, true) where t.count == 2:
                filters += " AND a.search_bigrams @> ARRAY[\(bind: t)]::text[]"
            default:
                filters += " AND a.search_text LIKE \(bind: "%" + Self.likeEscape(t) + "%") ESCAPE '\\'"
            }
        }
        // the index whose matches are walked: the trigrams' when there are both (longer terms, fewer matches)
        var chosen: SQLQueryString
        switch (trigrams.isEmpty ? nil : trigrams.joined(separator: " AND "), bigrams.isEmpty ? nil : bigrams.joined(separator: " AND ")) {
        case let (t?, b):
            chosen = "SELECT a.seq FROM kb_fts f CROSS JOIN kb_articles a INDEXED BY kb_articles_live WHERE kb_fts MATCH \(bind: t) AND a.seq = f.rowid"
            if let b { chosen += " AND a.seq IN (SELECT rowid FROM kb_bigrams WHERE kb_bigrams MATCH \(bind: b))" }
        case let (nil, b?):
            chosen = "SELECT a.seq FROM kb_bigrams f CROSS JOIN kb_articles a INDEXED BY kb_articles_live WHERE kb_bigrams MATCH \(bind: b) AND a.seq = f.rowid"
        case (nil, nil):
            chosen = "SELECT a.seq FROM kb_articles a\(unsafeRaw: db.dialect == .sqlite ? " INDEXED BY kb_articles_live" : "") WHERE 1 = 1"
        }
        // the walk's own order and bound (a bound on the index's rowid lets it start at the cursor)
        let key = trigrams.isEmpty && bigrams.isEmpty ? "a.seq" : "f.rowid"
        chosen += filters
        if let after { chosen += " AND \(unsafeRaw: key) < \(bind: after)" }
        chosen += " ORDER BY \(unsafeRaw: key) DESC LIMIT \(literal: limit)"
        return chosen
    }

    static func likeEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// The categories in use, with how many articles each holds.
    package func categories(_ scope: Scope) async throws -> [(String, Int)] {
        try scope.require(.tickets, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT category, COUNT(*) AS n FROM kb_articles WHERE workspace_id = \(bind: scope.workspaceID) AND deleted_at IS NULL
                GROUP BY category ORDER BY category
                """).all().map { (try $0.decode(column: "category", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        }
    }

    // MARK: Deflection

    /// A customer opened a suggested article while writing a request (`session`: their portal session's hash).
    package func suggestionOpened(workspaceID: String, session: String, customerID: String, articleID: String) async throws {
        let now = clock.now()
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO kb_suggestion_views (id, workspace_id, session_hash, customer_id, article_id, opened_at)
                VALUES (\(bind: ID.make(at: now)), \(bind: workspaceID), \(bind: session), \(bind: customerID), \(bind: articleID), \(bind: now.millis))
                """).run()
        }
    }

    /// The customer sent a request after all: the articles they opened in this session did not deflect it.
    package func requestSubmitted(session: String) async throws {
        let now = clock.now()
        try await db.write { sql in
            try await sql.raw("UPDATE kb_suggestion_views SET submitted_at = \(bind: now.millis) WHERE session_hash = \(bind: session) AND submitted_at IS NULL").run()
        }
    }

    /// How long after opening a suggestion a request may still come before the suggestion counts as deflecting it.
    package static let deflectionWindow: TimeInterval = 3600

    /// Over the last `days`: portal sessions in which a customer opened a suggested article, and
    /// those of them in which no request followed within the hour (deflected).
    package func deflection(_ scope: Scope, days: Int = 30) async throws -> (opened: Int, deflected: Int) {
        try scope.require(.tickets, .read)
        let now = clock.now()
        let since = now.addingTimeInterval(-Double(days) * 86_400).millis, settled = now.addingTimeInterval(-Self.deflectionWindow).millis
        return try await db.read { sql in
            let r = try await sql.raw("""
                SELECT COUNT(DISTINCT session_hash) AS opened,
                  COUNT(DISTINCT CASE WHEN submitted_at IS NULL AND opened_at < \(bind: settled) THEN session_hash END) AS deflected
                FROM kb_suggestion_views WHERE workspace_id = \(bind: scope.workspaceID) AND opened_at >= \(bind: since)
                """).first()!
            return (try r.decode(column: "opened", as: Int.self), try r.decode(column: "deflected", as: Int.self))
        }
    }
}
