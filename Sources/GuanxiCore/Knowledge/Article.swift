import Foundation

/// A knowledge-base article: the answer to a question customers ask, in up to three languages
/// (zh-Hans, zh-Hant, en; any may be missing), under a category, a draft until published, for
/// staff only or for the portal too.
package struct Article: Sendable, Equatable, Codable {
    /// The languages an article is written in, in the order a missing one falls back through.
    package static let languages = ["zh-Hans", "zh-Hant", "en"]
    package static let statuses = ["draft", "published"]
    /// `internal`: staff only (the ticket page's picker); `public`: in the portal too, once published.
    package static let visibilities = ["internal", "public"]

    package struct Text: Sendable, Equatable, Codable {
        package var title: String
        package var body: String
        package init(title: String, body: String) { self.title = title; self.body = body }
    }

    package var id: String
    package var category: String
    package var status: String
    package var visibility: String
    /// Language → title and body.
    package var texts: [String: Text]
    package var version: Int
    package var createdBy: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var publishedAt: Date?

    package init(id: String, category: String, status: String, visibility: String, texts: [String: Text], version: Int, createdBy: String?,
                 createdAt: Date, updatedAt: Date, publishedAt: Date?) {
        self.id = id; self.category = category; self.status = status; self.visibility = visibility; self.texts = texts; self.version = version
        self.createdBy = createdBy; self.createdAt = createdAt; self.updatedAt = updatedAt; self.publishedAt = publishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, category, status, visibility, texts, version
        case createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at", publishedAt = "published_at"
    }

    /// Whether customers may read it in the portal.
    package var isPublic: Bool { status == "published" && visibility == "public" }

    /// The text in `language`, else in the first language it is written in, with the language it is in.
    package func text(in language: String) -> (language: String, text: Text) {
        if let t = texts[language] { return (language, t) }
        for l in Self.languages { if let t = texts[l] { return (l, t) } }
        return (language, Text(title: "", body: ""))
    }
}

/// What a client sends to write or change an article (absent: unchanged; `texts` replaces them all).
package struct ArticleDraft: Sendable, Equatable, Codable {
    package var category: String?
    package var status: String?
    package var visibility: String?
    package var texts: [String: Article.Text]?
    package init(category: String? = nil, status: String? = nil, visibility: String? = nil, texts: [String: Article.Text]? = nil) {
        self.category = category; self.status = status; self.visibility = visibility; self.texts = texts
    }
}

/// The knowledge base's rules, pure: what an article may hold, and what its search reads.
package enum ArticleRules {
    /// The article the draft makes of `old` (nil: a new one), cleaned; every bad field at once
    /// (a language's field is named `texts.zh-Hant.title`).
    package static func apply(_ d: ArticleDraft, to old: Article?, id: String, now: Date, by userID: String?) throws(DomainError) -> Article {
        var e = FieldErrors()
        var a = old ?? Article(id: id, category: "", status: "draft", visibility: "internal", texts: [:], version: 0, createdBy: userID,
                               createdAt: now, updatedAt: now, publishedAt: nil)
        if let c = d.category { a.category = Text.clean(c).replacingOccurrences(of: "\n", with: " ") }
        if a.category.isEmpty || a.category.count > 60 { e.add("category", "must be 1 to 60 characters") }
        if let s = d.status {
            if Article.statuses.contains(s) { a.status = s } else { e.add("status", DomainMessage.oneOf(Article.statuses)) }
        }
        if let v = d.visibility {
            if Article.visibilities.contains(v) { a.visibility = v } else { e.add("visibility", DomainMessage.oneOf(Article.visibilities)) }
        }
        if let texts = d.texts {
            var out: [String: Article.Text] = [:]
            for (language, t) in texts {
                let field = "texts." + language
                guard Article.languages.contains(language) else { e.add(field, DomainMessage.oneOf(Article.languages)); continue }
                let title = Text.clean(t.title).replacingOccurrences(of: "\n", with: " "), body = Text.clean(t.body)
                if title.isEmpty && body.isEmpty { continue }
                if title.isEmpty || title.count > 200 { e.add(field + ".title", "must be 1 to 200 characters") }
                if body.isEmpty || body.count > 100_000 { e.add(field + ".body", "must be 1 to 100000 characters") }
                out[language] = Article.Text(title: title, body: body)
            }
            a.texts = out
        }
        if a.texts.isEmpty, !e.messages.keys.contains(where: { $0.hasPrefix("texts.") }) { e.add("texts", "write the article in at least one language") }
        try e.throwIfAny()
        if a.status == "published", a.publishedAt == nil { a.publishedAt = now }
        return a
    }

    /// What the trigram index holds: every language's title and body and the category, folded as queries are.
    package static func searchDocument(_ a: Article) -> String {
        SearchText.foldForIndex(([a.category] + Article.languages.compactMap { a.texts[$0] }.flatMap { [$0.title, $0.body] }).joined(separator: " "))
    }

    /// What the bigram index holds (one- and two-character Chinese queries): titles and the category.
    package static func bigramDocument(_ a: Article) -> String {
        SearchText.bigramDocument(([a.category] + Article.languages.compactMap { a.texts[$0]?.title }).joined(separator: " "), runEnds: true)
    }
}

/// The API's article written directly (a search answers 50 of them; Foundation's encoder spent a
/// sixth of the server's time on them), byte for byte the Codable encoding (`FastJSONTests`).
extension Article: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("category", category); w.member("created_at", createdAt); w.member("created_by", createdBy); w.member("id", id)
            w.member("published_at", publishedAt); w.member("status", status)
            w.key("texts")
            w.object { w in
                for l in texts.keys.sorted(by: JSONWriter.keyOrder) {
                    w.key(name: l)
                    w.object { w in w.member("body", texts[l]!.body); w.member("title", texts[l]!.title) }
                }
            }
            w.member("updated_at", updatedAt); w.member("version", version); w.member("visibility", visibility)
        }
    }

    package var jsonSizeHint: Int { texts.values.reduce(320) { $0 + ($1.title.utf8.count + $1.body.utf8.count) * 5 / 4 } }
}
