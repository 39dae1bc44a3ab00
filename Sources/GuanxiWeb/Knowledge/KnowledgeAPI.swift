import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/kb/articles`: the knowledge base for integrations (a help site, a chatbot). Reading
/// takes what reading tickets takes; writing what updating tickets takes. Creates take an
/// Idempotency-Key, changes and deletes If-Match.
struct KnowledgeAPI {
    let knowledge: KnowledgeStore

    /// An article as sent: an optional field's null is as if absent; a language is an object or left out.
    struct Input: Decodable {
        var category: String?, status: String?, visibility: String?, texts: [String: Article.Text]?
        var draft: ArticleDraft { ArticleDraft(category: category, status: status, visibility: visibility, texts: texts) }
    }

    func register(_ t: RouteTable) {
        let tag = "Knowledge base"
        t.on(APIRoute(method: .get, path: "/kb/articles", operationID: "listArticles",
                      summary: "Articles, newest change first; q searches every language (Chinese-aware, as customer search)", tag: tag,
                      needs: .can(.read, .tickets), query: ["q", "category", "status", "cursor", "limit"], responseSchema: "ArticlePage",
                      queryValues: ["status": .oneOf(Article.statuses)])) { req, _, scope in
            let status = req.query("status").flatMap { $0.isEmpty ? nil : $0 }
            if let status, !Article.statuses.contains(status) { throw DomainError.field("status", DomainMessage.oneOf(Article.statuses)) }
            return .json(try await knowledge.list(scope, query: req.query("q"), category: req.query("category").map(SearchText.withoutControls),
                                                  status: status, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/kb/articles", operationID: "createArticle", summary: "Write an article (a draft unless status says published)",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "ArticleInput", responseSchema: "Article", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await knowledge.get(scope, id: id) }) { req, _, scope in
            let a = try await knowledge.create(scope, try await APIBody.json(Input.self, req).draft)
            var r = APIResponse.json(a, status: .created, etag: a.version)
            r.headers["Location"] = "/api/v1/kb/articles/\(a.id)"
            return r
        }
        t.on(APIRoute(method: .get, path: "/kb/articles/{id}", operationID: "getArticle", summary: "Read an article", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "Article")) { _, ctx, scope in
            let a = try await knowledge.get(scope, id: try ctx.parameters.require("id"))
            return .json(a, etag: a.version)
        }
        t.on(APIRoute(method: .patch, path: "/kb/articles/{id}", operationID: "updateArticle",
                      summary: "Change an article (If-Match); texts replaces every language", tag: tag, needs: .can(.update, .tickets),
                      requestSchema: "ArticleChange", responseSchema: "Article")) { req, ctx, scope in
            let a = try await knowledge.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(Input.self, req).draft,
                                               ifVersion: try req.ifMatchVersion())
            return .json(a, etag: a.version)
        }
        t.on(APIRoute(method: .delete, path: "/kb/articles/{id}", operationID: "deleteArticle", summary: "Remove an article (If-Match)", tag: tag,
                      needs: .can(.update, .tickets), status: 204)) { req, ctx, scope in
            try await knowledge.delete(scope, id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .noContent
        }
    }
}

extension OpenAPIDocument {
    static func knowledgeSchemas() -> [String: Any] {
        let str: [String: Any] = ["type": "string"]
        // at least one character that is neither a space nor a control character (`Text.clean` drops those)
        let visible = "[^\\s\\u0000-\\u001F\\u007F-\\u009F]"
        let text = obj(["title": ["type": "string", "maxLength": 200, "pattern": visible],
                        "body": ["type": "string", "maxLength": 100_000, "pattern": visible]], required: ["title", "body"])
        // a language is an object or left out (wrapped, so that it is not read as "null means absent")
        var texts = obj(Dictionary(uniqueKeysWithValues: Article.languages.map { ($0, ["allOf": [text]] as [String: Any]) }))
        texts["minProperties"] = 1
        texts["additionalProperties"] = false
        let input: [String: Any] = ["category": ["type": "string", "maxLength": 60, "pattern": visible], "status": enumOf(Article.statuses),
                                    "visibility": enumOf(Article.visibilities), "texts": texts]
        var s: [String: Any] = [:]
        s["ArticleInput"] = obj(input, required: ["category", "texts"])
        s["ArticleChange"] = obj(input)
        s["Article"] = obj([
            "id": str, "category": str, "status": enumOf(Article.statuses), "visibility": enumOf(Article.visibilities), "texts": texts,
            "version": ["type": "integer"], "created_by": ["type": ["string", "null"]], "created_at": ["type": "string", "format": "date-time"],
            "updated_at": ["type": "string", "format": "date-time"], "published_at": ["type": ["string", "null"]],
        ], required: ["id", "category", "status", "visibility", "texts", "version"])
        s["ArticlePage"] = obj(["items": arr(["$ref": "#/components/schemas/Article"]), "next_cursor": nstr], required: ["items"])
        return s
    }
}

/// How the authorisation matrix calls the knowledge base: the role alone decides.
enum KnowledgeMatrix {
    static let samples: [String: MatrixSample] = [
        "listArticles": MatrixSample("/api/v1/kb/articles?q=%E9%80%80%E8%B4%A7"),
        "createArticle": MatrixSample("/api/v1/kb/articles", body: #"{"category":"售后","texts":{"zh-Hans":{"title":"如何退货 {n}","body":"七天内可退。"}}}"#),
        "getArticle": MatrixSample("/api/v1/kb/articles/{article}"),
        "updateArticle": MatrixSample("/api/v1/kb/articles/{article}", body: #"{"status":"published"}"#),
        "deleteArticle": MatrixSample("/api/v1/kb/articles/{article}"),
    ]

    static let fixture: MatrixFixture = { s in
        guard s.wants("article") else { return [:] }
        let a = try await s.services.knowledge.create(s.admin, ArticleDraft(category: "售后", texts: ["zh-Hans": Article.Text(title: "退货 \(s.n)", body: "七天")]))
        return ["article": a.id]
    }
}
