import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Web pages: catalogs, templates, sign-in, forms")
struct PageTests {
    @Test func everyCatalogHasTheSameKeys() {
        let keys = UILocale.allCases.map { Set(Words.all.strings[$0]?.keys.map { $0 } ?? []) }
        for (l, k) in zip(UILocale.allCases, keys) {
            #expect(k == keys[2], "\(l.rawValue) differs from en: missing \(keys[2].subtracting(k).sorted()), extra \(k.subtracting(keys[2]).sorted())")
        }
        // and every key a template names exists
        let used = Features.templates.values.flatMap { t in
            t.matches(of: /\{\{t\.([a-z_]+)\}\}/).map { String($0.output.1) }
        }
        #expect(!used.isEmpty && Set(used).isSubset(of: keys[2]), "unknown keys: \(Set(used).subtracting(keys[2]).sorted())")
    }

    @Test func templatesHoldNoVisibleTextOfTheirOwn() {
        for (name, t) in Features.templates {
            // visible text: what is left after removing Mustache tags, then HTML tags
            let noMustache = t.replacing(/\{\{\{?[^}]*\}?\}\}/, with: "")
            let text = noMustache.replacing(/<[^>]*>/, with: " ")
            #expect(text.firstMatch(of: /\p{L}/) == nil, "template \(name) has literal text: \(text.filter { !$0.isWhitespace }.prefix(80))")
            // and attributes people read (placeholder, title, aria-label, alt) come from the catalog too
            for m in noMustache.matches(of: /(placeholder|title|aria-label|alt)="([^"]*)"/) {
                #expect(String(m.output.2).firstMatch(of: /\p{L}/) == nil, "template \(name): \(m.output.1) has literal text")
            }
        }
    }

    @Test func languagesArePickedFromTheCookieThenTheBrowser() {
        #expect(UILocale.pick(cookie: "en", acceptLanguage: "zh-CN") == .en)
        #expect(UILocale.pick(cookie: nil, acceptLanguage: "zh-TW,zh;q=0.9") == .zhHant)
        #expect(UILocale.pick(cookie: nil, acceptLanguage: "zh-Hant-HK") == .zhHant)
        #expect(UILocale.pick(cookie: nil, acceptLanguage: "en-US,en;q=0.8") == .en)
        #expect(UILocale.pick(cookie: "klingon", acceptLanguage: nil) == .zhHans)
    }

    /// Signs in through the form and answers the cookie jar and the page's CSRF token.
    func signIn(_ env: WebEnv, email: String = "rep-a@example.com", password: String = "password-sales_rep") async throws -> (jar: [String: String], csrf: String) {
        let r = try await env.send(.post, "/sign-in", as: .none, body: Data("email=\(q(email))&password=\(q(password))&next=%2Fcustomers".utf8),
                                   contentType: "application/x-www-form-urlencoded")
        #expect(r.status == .seeOther && r.header("Location") == "/customers")
        let cookie = try #require(r.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        let page = try await env.send(.get, "/customers", as: .none, headers: ["Cookie": cookie])
        let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
        return (["Cookie": cookie], csrf)
    }

    @Test(arguments: Backend.all) func signedOutVisitorsAreSentToSignInAndBack(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let r = try await env.send(.get, "/customers?stage=lead", as: .none)
            #expect(r.status == .seeOther && r.header("Location") == "/sign-in?next=/customers?stage=lead")
            let form = try await env.send(.get, "/sign-in", as: .none, headers: ["Accept-Language": "zh-TW"])
            #expect(form.text.contains("登入") && form.text.contains("lang=\"zh-Hant\""))
            // a wrong password re-shows the form with the message in the user's language
            let bad = try await env.send(.post, "/sign-in", as: .none, body: Data("email=rep-a%40example.com&password=nope-nope".utf8),
                                         contentType: "application/x-www-form-urlencoded", headers: ["Accept-Language": "en"])
            #expect(bad.status == .unauthorized && bad.text.contains("The email or password is wrong."))
            // an open redirect is refused
            let evil = try await env.send(.post, "/sign-in", as: .none,
                                          body: Data("email=rep-a%40example.com&password=password-sales_rep&next=%2F%2Fevil.example".utf8),
                                          contentType: "application/x-www-form-urlencoded")
            #expect(evil.header("Location") == "/customers")
            // and a sign-in posted from another site is refused (login CSRF)
            let cross = try await env.send(.post, "/sign-in", as: .none, body: Data("email=rep-a%40example.com&password=password-sales_rep".utf8),
                                           contentType: "application/x-www-form-urlencoded",
                                           headers: ["Origin": "https://evil.example", "Host": "crm.example.com"])
            #expect(cross.status == .forbidden && cross.header("Set-Cookie") == nil)
            // (same-site posts, with the browser's own Origin, are covered by the browser tests)
        }
    }

    @Test(arguments: Backend.all) func creatingACustomerShowsFieldErrorsThenTheCustomer(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await signIn(env)
            let post = { (body: String) in
                try await env.send(.post, "/customers/new", as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
            }
            // without the CSRF field the post is refused
            #expect(try await post("kind=person&name=%E7%8E%8B%E5%B0%8F%E6%98%8E").status == .forbidden)
            // a bad email comes back next to its field, the typed values kept
            let bad = try await post("_csrf=\(csrf)&kind=person&name=\(q("王小明"))&emails=not-an-email&phones=13812345678")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("class=\"invalid\"") && bad.text.contains("value=\"not-an-email\"") && bad.text.contains("value=\"王小明\""))
            // a good one lands on the customer's page
            let ok = try await post("_csrf=\(csrf)&kind=person&name=\(q("王小明"))&phones=13812345678&tags=\(q("VIP, 华东"))")
            #expect(ok.status == .seeOther)
            let page = try await env.send(.get, try #require(ok.header("Location")), as: .none, headers: jar)
            #expect(page.text.contains("王小明") && page.text.contains("+8613812345678") && page.text.contains("华东"))
        }
    }

    @Test(arguments: Backend.all) func theSecondOfTwoEditsGetsTheConflictMessage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await signIn(env)
            let id = try await env.createCustomer(name: "李雷")
            let form = { (name: String) in "_csrf=\(csrf)&version=1&name=\(q(name))&stage=lead" }
            let first = try await env.send(.post, "/customers/\(id)/edit", as: .none, body: Data(form("李雷 A").utf8),
                                           contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(first.status == .seeOther)
            let second = try await env.send(.post, "/customers/\(id)/edit", as: .none, body: Data(form("李雷 B").utf8),
                                            contentType: "application/x-www-form-urlencoded", headers: jar.merging(["Accept-Language": "zh-CN"]) { a, _ in a })
            #expect(second.status == .conflict && second.text.contains("别人已经修改了这条记录") && second.text.contains("value=\"李雷 A\""))
        }
    }

    @Test(arguments: Backend.all) func aReadOnlyUserSeesMaskedContactsOnThe360Page(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let id = try await env.createCustomer(["name": str("韩梅梅"), "phones": strs(["13912345678"])])["id"].string ?? "?"
            let (jar, _) = try await signIn(env, email: "viewer-a@example.com", password: "password-read_only")
            let page = try await env.send(.get, "/customers/\(id)", as: .none, headers: jar)
            #expect(page.status == .ok && page.text.contains("+86139****5678") && !page.text.contains("13912345678"))
            // and HTML in names is shown as text
            let evil = try await env.createCustomer(name: "<script>alert(1)</script>")
            let p2 = try await env.send(.get, "/customers/\(evil)", as: .none, headers: jar)
            #expect(p2.text.contains("&lt;script&gt;") && !p2.text.contains("<script>alert"))
        }
    }
}

@Suite("Page rendering helpers")
struct RenderingTests {
    @Test func commonDomainMessagesAreShownInTheUsersLanguage() {
        #expect(Words.all.localize("'\("abc")' is not a valid email address", .zhHans) == "「abc」不是有效的邮箱地址")
        #expect(Words.all.localize("\("+8613812345678") already belongs to a customer owned by \("张三")", .zhHant) == "+8613812345678 已屬於 張三 負責的客戶（撞單）".replacingOccurrences(of: "張三", with: "张三"))
        #expect(Words.all.localize("is required", .en) == "is required")
        #expect(Words.all.localize("something new", .zhHans) == "something new")
    }

    @Test func theFastEscaperMatchesHTMLRules() {
        let e = Rendering.FastHTML()
        #expect(e.escapeText("王小明 <b>&\"'</b>") == "王小明 &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;")
        #expect(e.escapeText("plain 文本 😀") == "plain 文本 😀")
    }
}
