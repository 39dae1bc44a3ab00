import SQLKit
import GuanxiCore

/// The knowledge base's list and search at 100,000 articles: one index holds what a page is chosen
/// by (workspace, newest change, the filters) for the articles not deleted, so walking it newest
/// first reads no article until it is on the page; and the bigram index gets a one-character prefix
/// index, so that a one-character query ("茶") reads one list instead of merging every pair starting
/// with it (as tickets' bigrams, M024). The bigram index is made again empty: M038, which always
/// follows in the same run, fills both indexes under the articles' new numbers.
package enum M037_KnowledgeList {
    package static let migration = Migration(version: 37, name: "knowledge_list") { dialect in
        var s = [
            "DROP INDEX kb_articles_updated",
            "CREATE INDEX kb_articles_live ON kb_articles (workspace_id, updated_at, id, status, visibility, category) WHERE deleted_at IS NULL",
        ]
        if dialect == .sqlite {
            s += [
                "DROP TABLE kb_bigrams",
                "CREATE VIRTUAL TABLE kb_bigrams USING fts5(doc, tokenize='unicode61', prefix='1', content='', contentless_delete=1)",
            ]
        }
        return s
    }
}
