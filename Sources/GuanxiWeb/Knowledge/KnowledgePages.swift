import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The knowledge base's addresses for staff: the list (with search and the deflection figure), a
/// new article, an article's form and its forms' posts.
package enum KnowledgeURL: PageAddress, Equatable {
    case articles, newArticle, article(String), action(String)
    package var path: String {
        switch self {
        case .articles: "/kb"
        case .newArticle: "/kb/new"
        case .article(let id): "/kb/\(id)"
        case .action(let a): "/kb/\(a)"
        }
    }
}

/// Staff pages of the knowledge base: every article (drafts and internal ones too) by its newest
/// change, searched as customers are; one form for an article's category, state, audience and its
/// title and body in 简体, 繁體 and English. A refused form comes back as typed with each bad field named.
struct KnowledgePages {
    let pages: Pages
    var kb: KnowledgeStore { pages.services.knowledge }

    var routes: [PageRoute] {
        [
            .get(KnowledgeURL.articles, needs: .can(.read, .tickets)) { p, scope in
                let v = p.page, q = String((p.query("q") ?? "").prefix(100))
                let page = try await kb.list(scope, query: q.isEmpty ? nil : q, cursor: p.query("cursor"))
                let (opened, deflected) = try await kb.deflection(scope)
                let f = try await pages.formatter(v, scope)
                let model = Pages.model([
                    "q": q, "canWrite": scope.level(.tickets, .update) != nil ? true : nil,
                    "deflection": v.text("kb_deflection").replacingOccurrences(of: "{d}", with: String(deflected)).replacingOccurrences(of: "{o}", with: String(opened)),
                    "nextHref": page.nextCursor.map { KnowledgeURL.articles.path + "?q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                        + "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") },
                    "rows": page.items.map { a -> [String: Any] in
                        let (_, text) = a.text(in: v.locale.rawValue)
                        return ["href": KnowledgeURL.article(a.id).path, "title": text.title, "category": a.category,
                                "status": v.text("kb_status_" + a.status), "visibility": v.text("kb_visibility_" + a.visibility),
                                "updated": f.string(from: a.updatedAt),
                                "languages": Article.languages.filter { a.texts[$0] != nil }.map { v.text("kb_lang_" + $0.replacingOccurrences(of: "-", with: "_").lowercased()) }.joined(separator: " · ")]
                    },
                ])
                return pages.page("kb_articles", model, title: v.text("kb"), visit: v)
            },
            .get(KnowledgeURL.newArticle, needs: .can(.update, .tickets)) { p, _ in form(p.page, values: [:]) },
            .get(KnowledgeURL.article(":id"), needs: .can(.read, .tickets)) { p, scope in
                form(p.page, values: Self.values(try await kb.get(scope, id: p.parameter("id"))))
            },
            .post(KnowledgeURL.action("save"), needs: .can(.update, .tickets)) { p, scope in
                let f = p.form
                let draft = ArticleDraft(category: f["category"] ?? "", status: f["status"] ?? "draft", visibility: f["visibility"] ?? "internal",
                                         texts: Dictionary(uniqueKeysWithValues: Article.languages.map { l in
                                             (l, Article.Text(title: f["title_" + l] ?? "", body: f["body_" + l] ?? ""))
                                         }))
                do {
                    let id = f["id"] ?? ""
                    let a: Article
                    if id.isEmpty { a = try await kb.create(scope, draft) } else { a = try await kb.update(scope, id: id, draft, ifVersion: Int(f["version"] ?? "")) }
                    return Pages.redirect(KnowledgeURL.article(a.id).path)
                } catch let e as DomainError where !Pages.fieldErrors(e).isEmpty || e.isStale {
                    return form(p.page, values: f, error: e)
                }
            },
            .post(KnowledgeURL.action("delete"), needs: .can(.update, .tickets)) { p, scope in
                try await kb.delete(scope, id: p.form["id"] ?? "", ifVersion: Int(p.form["version"] ?? ""))
                return Pages.redirect(KnowledgeURL.articles.path)
            },
        ]
    }

    static func values(_ a: Article) -> [String: String] {
        var f = ["id": a.id, "version": String(a.version), "category": a.category, "status": a.status, "visibility": a.visibility]
        for l in Article.languages { f["title_" + l] = a.texts[l]?.title ?? ""; f["body_" + l] = a.texts[l]?.body ?? "" }
        return f
    }

    func form(_ v: PageContext, values f: [String: String], error: DomainError? = nil) -> Response {
        let errors = (error.map(Pages.fieldErrors) ?? [:]).mapValues { v.localize($0) }
        var fieldErrors: [String: String] = [:]
        if case .validation(let all)? = error { for (k, m) in all { fieldErrors[k] = v.localize(m) } }
        let model = Pages.model([
            "csrf": v.csrf, "id": f["id"] ?? "", "version": f["version"] ?? "", "category": f["category"] ?? "", "editing": (f["id"] ?? "").isEmpty ? nil : true,
            "categoryError": errors["category"], "textsError": fieldErrors["texts"],
            "statuses": Article.statuses.map { ["value": $0, "label": v.text("kb_status_" + $0), "selected": (f["status"] ?? "draft") == $0] as [String: Any] },
            "visibilities": Article.visibilities.map { ["value": $0, "label": v.text("kb_visibility_" + $0), "selected": (f["visibility"] ?? "internal") == $0] as [String: Any] },
            "languages": Article.languages.map { l in
                Pages.model(["lang": l, "label": v.text("kb_lang_" + l.replacingOccurrences(of: "-", with: "_").lowercased()),
                             "title": f["title_" + l] ?? "", "body": f["body_" + l] ?? "",
                             "titleError": fieldErrors["texts.\(l).title"], "bodyError": fieldErrors["texts.\(l).body"]])
            },
            "portalHref": (f["id"] ?? "").isEmpty ? nil : "/portal/kb/" + (f["id"] ?? ""),
        ])
        return pages.page("kb_article", model, title: v.text("kb"), visit: v, flash: error.map { (kind: "bad", text: v.message($0)) },
                          status: error.map(Pages.status) ?? .ok)
    }
}

extension DomainError {
    var isStale: Bool { if case .staleVersion = self { return true }; return false }
}

enum KnowledgeTemplates {
    static let articles = """
    <section>
      <div class="head"><h1>{{t.kb}}</h1>{{#canWrite}}<a class="button primary" href="/kb/new">{{t.kb_new}}</a>{{/canWrite}}</div>
      <p class="meta">{{deflection}}</p>
      <form class="filters" method="get" action="/kb" role="search"><label>{{t.kb_search}}<input type="search" name="q" value="{{q}}" maxlength="100"></label><button>{{t.kb_search}}</button></form>
      {{#rows}}<a class="portal-item" href="{{href}}"><span class="portal-line"><strong>{{title}}</strong><span class="tag">{{status}}</span></span>
        <span class="hint">{{category}} · {{visibility}} · {{languages}} · {{updated}}</span></a>{{/rows}}
      {{^rows}}<p class="empty">{{t.kb_none}}</p>{{/rows}}
      {{#nextHref}}<p><a class="button" href="{{nextHref}}">{{t.next_page}}</a></p>{{/nextHref}}
    </section>
    """

    static let article = """
    <section class="card">
      <h1>{{t.kb}}</h1>
      <form method="post" action="/kb/save" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="version" value="{{version}}">
        <label class="{{#categoryError}}invalid{{/categoryError}}">{{t.kb_category}}<input name="category" value="{{category}}" required maxlength="60">{{#categoryError}}<small class="error">{{categoryError}}</small>{{/categoryError}}</label>
        <label>{{t.kb_status}}<select name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <label>{{t.kb_visibility}}<select name="visibility">{{#visibilities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/visibilities}}</select></label>
        {{#textsError}}<p class="error">{{textsError}}</p>{{/textsError}}
        {{#languages}}<fieldset lang="{{lang}}"><legend>{{label}}</legend>
          <label class="{{#titleError}}invalid{{/titleError}}">{{t.kb_title}}<input name="title_{{lang}}" value="{{title}}" maxlength="200">{{#titleError}}<small class="error">{{titleError}}</small>{{/titleError}}</label>
          <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.kb_body}}<textarea name="body_{{lang}}" rows="8">{{body}}</textarea>{{#bodyError}}<small class="error">{{bodyError}}</small>{{/bodyError}}</label>
        </fieldset>{{/languages}}
        <button class="primary">{{t.kb_save}}</button>
      </form>
      {{#editing}}<form method="post" action="/kb/delete" class="actions"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="version" value="{{version}}"><button>{{t.kb_delete}}</button></form>{{/editing}}
      {{#portalHref}}<p><a href="{{portalHref}}">{{t.kb_in_portal}}</a></p>{{/portalHref}}
    </section>
    """

    static let all = ["kb_articles": articles, "kb_article": article]

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "kb": "知识库", "kb_new": "写文章", "kb_search": "搜索", "kb_none": "还没有文章。", "kb_category": "分类", "kb_status": "状态",
            "kb_visibility": "谁能看到", "kb_title": "标题", "kb_body": "正文", "kb_save": "保存", "kb_delete": "删除", "kb_in_portal": "在服务中心查看",
            "kb_status_draft": "草稿", "kb_status_published": "已发布", "kb_visibility_internal": "仅员工", "kb_visibility_public": "客户也能看",
            "kb_lang_zh_hans": "简体中文", "kb_lang_zh_hant": "繁體中文", "kb_lang_en": "English",
            "kb_deflection": "近 30 天：{o} 位客户在提交请求前打开了推荐文章，其中 {d} 位没有再提交（问题已自助解决）。",
            "kb_insert": "插入知识库文章", "kb_insert_hint": "搜索文章，把链接插入回复。", "kb_insert_button": "插入链接",
        ],
        .zhHant: [
            "kb": "知識庫", "kb_new": "撰寫文章", "kb_search": "搜尋", "kb_none": "還沒有文章。", "kb_category": "分類", "kb_status": "狀態",
            "kb_visibility": "誰能看到", "kb_title": "標題", "kb_body": "內文", "kb_save": "儲存", "kb_delete": "刪除", "kb_in_portal": "在服務中心查看",
            "kb_status_draft": "草稿", "kb_status_published": "已發布", "kb_visibility_internal": "僅員工", "kb_visibility_public": "客戶也能看",
            "kb_lang_zh_hans": "简体中文", "kb_lang_zh_hant": "繁體中文", "kb_lang_en": "English",
            "kb_deflection": "近 30 天：{o} 位客戶在提交請求前開啟了推薦文章，其中 {d} 位沒有再提交（問題已自助解決）。",
            "kb_insert": "插入知識庫文章", "kb_insert_hint": "搜尋文章，把連結插入回覆。", "kb_insert_button": "插入連結",
        ],
        .en: [
            "kb": "Knowledge base", "kb_new": "New article", "kb_search": "Search", "kb_none": "No articles yet.", "kb_category": "Category", "kb_status": "State",
            "kb_visibility": "Who sees it", "kb_title": "Title", "kb_body": "Text", "kb_save": "Save", "kb_delete": "Delete", "kb_in_portal": "See it in the customer centre",
            "kb_status_draft": "Draft", "kb_status_published": "Published", "kb_visibility_internal": "Staff only", "kb_visibility_public": "Customers too",
            "kb_lang_zh_hans": "简体中文", "kb_lang_zh_hant": "繁體中文", "kb_lang_en": "English",
            "kb_deflection": "Last 30 days: {o} customers opened a suggested article before sending a request; {d} of them sent none (deflected).",
            "kb_insert": "Insert a knowledge-base article", "kb_insert_hint": "Find an article and put its link in the reply.", "kb_insert_button": "Insert link",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("must be 1 to 60 characters", "须为 1 到 60 个字", "須為 1 到 60 字"),
        ("must be 1 to 100000 characters", "须为 1 到 100000 个字", "須為 1 到 100000 字"),
        ("write the article in at least one language", "请至少用一种语言写文章", "請至少用一種語言撰寫文章"),
    ]
}
