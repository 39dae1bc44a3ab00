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

@Suite("Order, quote and product pages: forms, only the allowed steps, printable quote, errors in the user's language")
struct OrderPageTests {
    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String) async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
    }

    @Test(arguments: Backend.all) func aQuoteIsWrittenSentPrintedAndAcceptedThenTheOrderIsPaidShippedAndConfirmed(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let (admin, adminCsrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            // a product with a price in the default list, added on the products page (a settings matter)
            let lists = try await env.get("/api/v1/price-lists").json["items"].array
            let std = try #require(lists.first?["id"].string)
            let badProduct = try await post(env, admin, "/products/save", "_csrf=\(adminCsrf)&sku=\(q("TEA 1"))&name=&tax_rate=13&price_\(std)=abc&active=1")
            #expect(badProduct.status == .unprocessableContent && badProduct.text.contains("须为数字"))
            let product = try await post(env, admin, "/products/save", "_csrf=\(adminCsrf)&sku=TEA-1&name=\(q("龙井 <b>茶</b> 🍵"))&unit=\(q("罐"))&tax_rate=9&price_\(std)=\(q("588.00"))&active=1")
            #expect(product.status == .seeOther)
            let catalogue = try await env.send(.get, "/products", as: .none, headers: jar)
            #expect(catalogue.text.contains("龙井 &lt;b&gt;茶&lt;/b&gt; 🍵") && catalogue.text.contains("¥588.00") && !catalogue.text.contains("<b>茶</b>"))
            let productID = try #require(try await env.get("/api/v1/products").json["items"].array.first?["id"].string)

            let customer = try await env.createCustomer(name: "杭州茶庄")
            let c360 = try await env.send(.get, "/customers/\(customer)", as: .none, headers: jar)
            #expect(c360.text.contains("/quotes/new?customer_id=\(customer)") && c360.text.contains("/orders/new?customer_id=\(customer)"))
            let form = try await env.send(.get, "/quotes/new?customer_id=\(customer)", as: .none, headers: jar)
            #expect(form.status == .ok && form.text.contains("lines[0].product_id") && form.text.contains("TEA-1 · 龙井"))
            // a bad line is shown beside its row, in Chinese, and nothing is kept
            let bad = try await post(env, jar, "/quotes/new", "_csrf=\(csrf)&customer_id=\(customer)&title=\(q("春茶报价"))&lines%5B0%5D.product_id=\(productID)&lines%5B0%5D.quantity=\(q("十"))")
            #expect(bad.status == .unprocessableContent && bad.text.contains("数量：须为 1 到 1000000 的整数") && bad.text.contains("春茶报价"))
            #expect(try await env.get("/api/v1/quotes").json["items"].array.isEmpty)
            // full-width digits and a typed discount
            let made = try await post(env, jar, "/quotes/new", "_csrf=\(csrf)&customer_id=\(customer)&title=\(q("春茶报价"))&lines%5B0%5D.product_id=\(productID)&lines%5B0%5D.quantity=\(q("１０"))&lines%5B0%5D.discount=5&lines%5B1%5D.name=\(q("运费"))&lines%5B1%5D.quantity=1&lines%5B1%5D.unit_price=20&terms=\(q("款到发货"))")
            #expect(made.status == .seeOther)
            let quotePath = try #require(made.header("Location"))
            let quote = try await env.get("/api/v1" + quotePath).json
            // 10 × 588.00 less 5 % = 5,586.00 + 9 % tax 502.74 + freight 20.00 without tax = 6,108.74
            #expect(quote["totals"]["total"].int == 610_874 && quote["status"].string == "draft")
            let page = try await env.send(.get, quotePath, as: .none, headers: jar)
            #expect(page.text.contains("¥6,108.74") && page.text.contains("发给客户") && !page.text.contains("客户接受，生成订单"))
            // sending, printing, accepting
            #expect(try await post(env, jar, quotePath + "/status", "_csrf=\(csrf)&status=sent&version=1").status == .seeOther)
            let printed = try await env.send(.get, quotePath + "/print", as: .none, headers: jar)
            #expect(printed.status == .ok && printed.text.contains("报价单") && printed.text.contains("款到发货") && printed.text.contains("data-print")
                    && !printed.text.contains("class=\"bar\""))
            let sent = try await env.send(.get, quotePath, as: .none, headers: jar)
            #expect(sent.text.contains("客户接受，生成订单") && !sent.text.contains(quotePath + "/edit"))
            let accepted = try await post(env, jar, quotePath + "/accept", "_csrf=\(csrf)&version=2")
            #expect(accepted.status == .seeOther)
            let orderPath = try #require(accepted.header("Location"))
            #expect(orderPath.hasPrefix("/orders/"))

            // the order offers only what its state allows: pay, plan, cancel — not ship
            var order = try await env.send(.get, orderPath, as: .none, headers: jar)
            #expect(order.text.contains(orderPath + "/pay") && order.text.contains(orderPath + "/cancel") && !order.text.contains(orderPath + "/ship\""))
            let over = try await post(env, jar, orderPath + "/pay", "_csrf=\(csrf)&amount=\(q("99,999.00"))")
            #expect(over.status == .unprocessableContent && over.text.contains("超过待收金额"))
            #expect(try await post(env, jar, orderPath + "/pay", "_csrf=\(csrf)&amount=\(q("6,108.74"))&method=\(q("微信支付"))").status == .seeOther)
            order = try await env.send(.get, orderPath, as: .none, headers: jar)
            #expect(order.text.contains("已付款") && order.text.contains(orderPath + "/ship") && !order.text.contains(orderPath + "/pay\""))
            let cancel = try await post(env, jar, orderPath + "/cancel", "_csrf=\(csrf)&reason=x")
            #expect(cancel.status == .conflict && cancel.text.contains("已收到款项，请先退款再取消"))
            #expect(try await post(env, jar, orderPath + "/ship", "_csrf=\(csrf)&carrier=\(q("顺丰速运"))&tracking_number=SF1001").status == .seeOther)
            #expect(try await post(env, jar, orderPath + "/deliver", "_csrf=\(csrf)").status == .seeOther)
            #expect(try await post(env, jar, orderPath + "/confirm", "_csrf=\(csrf)").status == .seeOther)
            order = try await env.send(.get, orderPath, as: .none, headers: jar)
            #expect(order.text.contains("已确认收货") && order.text.contains("SF1001"))
            // the board and the customer's page show it; the timeline tells the story
            let list = try await env.send(.get, "/orders?status=confirmed", as: .none, headers: jar)
            #expect(list.text.contains("杭州茶庄") && list.text.contains("¥6,108.74"))
            let story = try await env.send(.get, "/customers/\(customer)", as: .none, headers: jar)
            #expect(story.text.contains("SO-") && story.text.contains("QT-") && story.text.contains("订单"))
            // the timeline tells each step with its number, amount and parcel
            #expect(story.text.contains("· 发货 · ¥6,108.74 · 顺丰速运 · SF1001") && story.text.contains("· 接受 · ¥6,108.74"))
            // English and Traditional Chinese pages
            let en = try await env.send(.get, orderPath, as: .none, headers: jar.merging(["Cookie": jar["Cookie"]! + "; gx_lang=en"]) { _, b in b })
            #expect(en.text.contains("Confirmed") && en.text.contains("CN¥6,108.74"))
            let hant = try await env.send(.get, "/orders", as: .none, headers: jar.merging(["Cookie": jar["Cookie"]! + "; gx_lang=zh-Hant"]) { _, b in b })
            #expect(hant.text.contains("訂單") && hant.text.contains("已確認收貨"))
        }
    }

    @Test(arguments: Backend.all) func anOrderByHandAndRepsWithoutRights(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let customer = try await env.createCustomer(name: "北京建材")
            let none = try await post(env, jar, "/orders/new", "_csrf=\(csrf)&customer_id=\(customer)")
            #expect(none.status == .unprocessableContent && none.text.contains("请至少填写一行明细"))
            let made = try await post(env, jar, "/orders/new", "_csrf=\(csrf)&customer_id=\(customer)&lines%5B0%5D.name=\(q("水泥"))&lines%5B0%5D.quantity=100&lines%5B0%5D.unit_price=450&note=\(q("'; DROP TABLE orders; --"))")
            #expect(made.status == .seeOther)
            let orderPath = try #require(made.header("Location"))
            // on credit: a plan lets it ship before payment
            let badPlan = try await post(env, jar, orderPath + "/plan", "_csrf=\(csrf)&due_0=2027-01-31&amount_0=100")
            #expect(badPlan.status == .unprocessableContent && badPlan.text.contains("各期之和与订单合计不符"))
            #expect(try await post(env, jar, orderPath + "/plan", "_csrf=\(csrf)&due_0=2027-01-31&amount_0=\(q("22,500"))&due_1=2027-02-28&amount_1=\(q("22,500"))").status == .seeOther)
            let page = try await env.send(.get, orderPath, as: .none, headers: jar)
            #expect(page.text.contains(orderPath + "/ship") && page.text.contains("2027年2月28日") && page.text.contains("DROP TABLE"))
            // a stale form is refused with the conflict message
            let stale = try await post(env, jar, orderPath + "/pay", "_csrf=\(csrf)&amount=1&version=1")
            #expect(stale.status == .conflict)
            // no CSRF token: refused
            #expect(try await post(env, jar, orderPath + "/pay", "amount=1").status == .forbidden)
            // a rep of another team sees no such order, and cannot edit products
            _ = try await env.services.access.createUser(email: "rep-o@example.com", password: "password-repo", name: nil, role: .salesRep,
                                                         workspaceID: env.workspaceA.id)
            let (repJar, repCsrf) = try await PageTests().signIn(env, email: "rep-o@example.com", password: "password-repo")
            #expect(try await env.send(.get, orderPath, as: .none, headers: repJar).status == .notFound)
            let products = try await env.send(.get, "/products", as: .none, headers: repJar)
            #expect(products.status == .ok && !products.text.contains("/products/save"))
            #expect(try await post(env, repJar, "/products/save", "_csrf=\(repCsrf)&sku=X&name=Y").status == .forbidden)
        }
    }
}

@Suite("The reports page: sections by role, targets set by managers, months")
struct ReportPageTests {
    @Test(arguments: Backend.all) func managersSeeAndSetTargetsRepsSeeTheirOwnNumbers(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let access = env.services.access
            let owner = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner)
            let m = try await access.createUser(email: "boss@example.com", password: "password-boss", name: "王经理", role: .salesManager, workspaceID: env.workspaceA.id)
            let members = try await access.members(owner)
            let rep = try #require(members.first { $0.email == "rep-a@example.com" })
            _ = try await access.saveTeam(owner, name: "华南", kind: "sales", parentID: nil, managerID: m.id, memberIDs: [m.id, rep.id])
            let (boss, bossCsrf) = try await PageTests().signIn(env, email: "boss@example.com", password: "password-boss")
            let page = try await env.send(.get, "/reports?month=2026-11", as: .none, headers: boss)
            #expect(page.status == .ok && page.text.contains("线索漏斗") && page.text.contains("管道（按阶段）") && page.text.contains("目标达成")
                    && page.text.contains("user:\(rep.id)") && page.text.contains("2026-10") && page.text.contains("2026-12"))
            let bad = try await env.send(.post, "/reports/targets", as: .none, body: Data("_csrf=\(bossCsrf)&month=2026-11&subject=user:\(rep.id)&metric=revenue&amount=abc&currency=CNY".utf8),
                                         contentType: "application/x-www-form-urlencoded", headers: boss)
            #expect(bad.status == .unprocessableContent && bad.text.contains("须为数字"))
            let ok = try await env.send(.post, "/reports/targets", as: .none, body: Data("_csrf=\(bossCsrf)&month=2026-11&subject=user:\(rep.id)&metric=revenue&amount=\(q("50,000"))&currency=CNY".utf8),
                                        contentType: "application/x-www-form-urlencoded", headers: boss)
            #expect(ok.status == .seeOther)
            let after = try await env.send(.get, "/reports?month=2026-11", as: .none, headers: boss)
            #expect(after.text.contains("¥50,000.00") && after.text.contains("销售额"))
            // the rep sees the target set for them, but cannot set one
            let (repJar, _) = try await PageTests().signIn(env)
            let mine = try await env.send(.get, "/reports?month=2026-11", as: .none, headers: repJar)
            #expect(mine.text.contains("¥50,000.00") && !mine.text.contains("/reports/targets"))
            // an unknown month falls back to this one; English labels
            let en = try await env.send(.get, "/reports?month=<script>", as: .none, headers: boss.merging(["Cookie": boss["Cookie"]! + "; gx_lang=en"]) { _, b in b })
            #expect(en.status == .ok && en.text.contains("Lead funnel") && !en.text.contains("<script>"))
        }
    }
}
