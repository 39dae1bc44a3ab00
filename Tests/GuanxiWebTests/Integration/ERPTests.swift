import Foundation
import Testing
import SQLKit
import GuanxiCore
import GuanxiStore
import GuanxiTestSupport
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("ERP and logistics: stock levels, oversell warnings, ship-to, shipments and deliveries by external id")
struct ERPTests {
    static func product(_ env: WebEnv, sku: String, name: String = "龙井茶 🍵") async throws -> String {
        let r = try await env.send(.post, "/api/v1/products", as: .admin, json: #"{"sku":"\#(sku)","name":"\#(name)","tax_rate":13,"prices":[]}"#)
        #expect(r.status == .created, "\(r.text)")
        return r.json["id"].string ?? ""
    }

    static func stock(_ items: String, as auth: Auth = .admin, _ env: WebEnv) async throws -> Reply {
        try await env.send(.put, "/api/v1/stock", as: auth, json: #"{"items":[\#(items)]}"#)
    }

    @Test(arguments: Backend.all)
    func stockLevelsArriveInBatchesANewerCountWinsAndBadItemsFailAlone(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let tea = try await Self.product(env, sku: "TEA-1")
            // when an ERP reports two warehouses, an unknown SKU, a bad count and an injection string in one batch
            let r = try await Self.stock("""
                {"sku":"TEA-1","warehouse":"上海仓","on_hand":10,"reserved":2,"as_of":"2026-12-06T08:00:00Z"},
                {"product_id":"\(tea)","warehouse":"SZ-01","on_hand":5,"as_of":"2026-12-06T08:00:00Z"},
                {"sku":"NOPE","warehouse":"上海仓","on_hand":1,"as_of":"2026-12-06T08:00:00Z"},
                {"sku":"TEA-1","warehouse":"上海 仓","on_hand":-1},
                {"sku":"'; DROP TABLE products; --","warehouse":"x","on_hand":1,"as_of":"2026-12-06T08:00:00Z"}
                """, env)
            // then each item is answered in its place, and the good ones are kept
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["items"].array.map { $0["result"].string ?? "" } == ["updated", "updated", "failed", "failed", "failed"])
            #expect(r.json["items"][2]["fields"]["items[2].sku"].string == "no such product")
            #expect(r.json["items"][3]["fields"].keys == ["items[3].warehouse", "items[3].on_hand", "items[3].as_of"])
            // and a sales rep reads what is available over both warehouses
            let s = try await env.send(.get, "/api/v1/stock?product_id=\(tea)", as: .a)
            #expect(s.status == .ok && s.json["on_hand"].int == 15 && s.json["reserved"].int == 2 && s.json["available"].int == 13)
            #expect(s.json["levels"].array.map { $0["warehouse"].string ?? "" } == ["SZ-01", "上海仓"])
            #expect(try await env.send(.get, "/api/v1/stock?sku=TEA-1", as: .a).json["available"].int == 13)
            // when an older count arrives late, it is ignored; the same count again changes nothing; a newer one wins
            let stale = try await Self.stock(#"{"sku":"TEA-1","warehouse":"上海仓","on_hand":99,"as_of":"2026-12-06T07:00:00Z"}"#, env)
            #expect(stale.json["items"][0]["result"].string == "stale")
            let again = try await Self.stock(#"{"sku":"TEA-1","warehouse":"上海仓","on_hand":10,"reserved":2,"as_of":"2026-12-06T08:00:00Z"}"#, env)
            #expect(again.json["items"][0]["result"].string == "unchanged")
            #expect(try await env.send(.get, "/api/v1/stock?product_id=\(tea)", as: .a).json["on_hand"].int == 15)
            let newer = try await Self.stock(#"{"sku":"TEA-1","warehouse":"上海仓","on_hand":4,"as_of":"2026-12-06T09:00:00+08:00"}"#, env)
            #expect(newer.json["items"][0]["result"].string == "stale")   // 09:00 in Beijing is 01:00 UTC: older
            let later = try await Self.stock(#"{"sku":"TEA-1","warehouse":"上海仓","on_hand":4,"as_of":"2026-12-06T18:00:00+08:00"}"#, env)
            #expect(later.json["items"][0]["result"].string == "updated")
            #expect(try await env.send(.get, "/api/v1/stock?product_id=\(tea)", as: .a).json["available"].int == 9)
            // and the push is in the audit log
            let audited = try await env.services.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object = 'stock'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 2)
            // a sales rep may read but not push; workspace B sees nothing of A's products; nobody pushes without a token
            #expect(try await Self.stock(#"{"sku":"TEA-1","warehouse":"W","on_hand":1,"as_of":"2026-12-07T08:00:00Z"}"#, as: .a, env).status == .forbidden)
            #expect(try await env.send(.get, "/api/v1/stock?product_id=\(tea)", as: .b).status == .notFound)
            #expect(try await Self.stock(#"{"sku":"TEA-1","warehouse":"W","on_hand":1,"as_of":"2026-12-07T08:00:00Z"}"#, as: .b, env)
                .json["items"][0]["result"].string == "failed")
            #expect(try await Self.stock(#"{"sku":"TEA-1","warehouse":"W","on_hand":1,"as_of":"2026-12-07T08:00:00Z"}"#, as: .none, env).status == .unauthorized)
            // malformed and oversized input
            #expect(try await env.send(.put, "/api/v1/stock", as: .admin, json: #"{"items":[{"sku":"TEA-1""#).status == .badRequest)
            #expect(try await env.send(.put, "/api/v1/stock", as: .admin, json: #"{"items":[]}"#).status == .unprocessableContent)
            let many = Array(repeating: #"{"sku":"TEA-1","warehouse":"W","on_hand":1,"as_of":"2026-12-07T08:00:00Z"}"#, count: 1_001).joined(separator: ",")
            #expect(try await Self.stock(many, env).status == .unprocessableContent)
            #expect(try await env.send(.get, "/api/v1/stock", as: .a).status == .unprocessableContent)
            #expect(try await env.send(.get, "/api/v1/stock?product_id=not-an-id", as: .a).status == .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func anOrderBeyondWhatIsAvailableIsPlacedWithAWarningOnTheAPIAndThePages(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let tea = try await Self.product(env, sku: "TEA-2")
            _ = try await Self.stock(#"{"sku":"TEA-2","warehouse":"上海仓","on_hand":8,"reserved":3,"as_of":"2026-12-06T08:00:00Z"}"#, env)
            let customer = try await env.createCustomer(name: "杭州茶庄 🍵")
            func place(_ qty: Int) async throws -> Reply {
                try await env.send(.post, "/api/v1/orders", as: .a, json: #"{"customer_id":"\#(customer)","lines":[{"product_id":"\#(tea)","quantity":\#(qty),"unit_price":100}]}"#)
            }
            // 5 available: four fit, without a warning
            let first = try await place(4)
            #expect(first.status == .created && first.json["warnings"].array.isEmpty, "\(first.text)")
            let (jar, _) = try await PageTests().signIn(env)
            #expect(!(try await env.send(.get, "/orders/\(first.json["id"].string ?? "")", as: .none, headers: jar)).text.contains("超出可用库存"))
            // then two more are placed all the same, with a warning saying 1 is available
            let second = try await place(2)
            #expect(second.status == .created)
            #expect(second.json["warnings"][0]["code"].string == "oversell" && second.json["warnings"][0]["available"].int == 1)
            #expect(second.json["warnings"][0]["quantity"].int == 2 && second.json["warnings"][0]["sku"].string == "TEA-2")
            #expect(try await env.send(.get, "/api/v1/stock?product_id=\(tea)", as: .a).json["available"].int == -1)
            // the order page says so; the product page and the order form show what is available
            let page = try await env.send(.get, "/orders/\(second.json["id"].string ?? "")", as: .none, headers: jar)
            #expect(page.status == .ok && page.text.contains("超出可用库存") && page.text.contains("可用 1"))
            // (the first order, too, now wants more than is left besides the second)
            #expect(try await env.send(.get, "/orders/\(first.json["id"].string ?? "")", as: .none, headers: jar).text.contains("超出可用库存"))
            let products = try await env.send(.get, "/products", as: .none, headers: jar)
            #expect(products.text.contains(#"<td class="num bad" title="在库 8 · 已预留 3 · 未发订单 6">"#), "\(products.text)")
            let form = try await env.send(.get, "/orders/new?customer_id=\(customer)", as: .none, headers: jar)
            #expect(form.text.contains("TEA-2 · 龙井茶 🍵 · 可用 ") && form.text.contains(#"name="ship_to.address""#))
            // in English too
            let en = try await env.send(.get, "/products", as: .none, headers: jar.merging(["Accept-Language": "en"]) { a, _ in a })
            #expect(en.text.contains("Available"))
        }
    }

    @Test(arguments: Backend.all)
    func aShipToIsCheckedKeptAndShownInTheUsersLanguage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "王芳")
            let line = #""lines":[{"name":"货品","quantity":1,"unit_price":100}]"#
            let good = #"{"name":"王芳 😀","phone":"138 1234 5678","province":"浙江省","city":"杭州市","district":"西湖区","address":"文三路 90 号\n东部软件园 3 号楼 501","postcode":"310012"}"#
            let r = try await env.send(.post, "/api/v1/orders", as: .a, json: #"{"customer_id":"\#(customer)",\#(line),"ship_to":\#(good)}"#)
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["ship_to"]["name"].string == "王芳 😀" && r.json["ship_to"]["address"].string == "文三路 90 号\n东部软件园 3 号楼 501")
            let read = try await env.send(.get, "/api/v1/orders/\(r.json["id"].string ?? "")", as: .a)
            #expect(read.json["ship_to"]["district"].string == "西湖区" && read.json["ship_to"]["postcode"].string == "310012")
            // no phone, a street that is not there, an injection string as a postcode: field by field
            let bad = try await env.send(.post, "/api/v1/orders", as: .a,
                                         json: #"{"customer_id":"\#(customer)",\#(line),"ship_to":{"name":"王芳","phone":"not a phone","postcode":"'; DROP TABLE orders; --"}}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["error"]["fields"].keys == ["ship_to.phone", "ship_to.address", "ship_to.postcode"], "\(bad.text)")
            // the order form keeps what was typed and says what is wrong in Chinese
            let (jar, csrf) = try await PageTests().signIn(env)
            let form = "_csrf=\(csrf)&customer_id=\(customer)&lines%5B0%5D.name=\(q("水泥"))&lines%5B0%5D.quantity=1&lines%5B0%5D.unit_price=450"
            let again = try await env.send(.post, "/orders/new", as: .none, body: Data((form + "&ship_to.name=\(q("李雷 🚚"))&ship_to.phone=12").utf8),
                                           contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(again.status == .unprocessableContent && again.text.contains("李雷 🚚") && again.text.contains("不是有效的电话号码"))
            let made = try await env.send(.post, "/orders/new", as: .none,
                                          body: Data((form + "&ship_to.name=\(q("李雷"))&ship_to.phone=13812345678&ship_to.city=\(q("台北市"))&ship_to.address=\(q("信義路五段 7 號"))").utf8),
                                          contentType: "application/x-www-form-urlencoded", headers: jar)
            #expect(made.status == .seeOther)
            let page = try await env.send(.get, try #require(made.header("Location")), as: .none, headers: jar)
            #expect(page.text.contains("李雷 13812345678 · 台北市 · 信義路五段 7 號"))
        }
    }

    @Test(arguments: Backend.all)
    func aLogisticsSystemShipsAndDeliversByExternalIDAndTheWebhooksCarryLinesAndShipTo(_ backend: Backend) async throws {
        try await WebhookBench.run(backend, answer: { _, _ in .status(200) }) { b in
            let env = b.env
            _ = try await b.subscribe(["order.shipped", "order.delivered"])
            let c = try await b.customer("王芳 😀")
            var d = OrderDraft(); d.customerID = c.id; d.source = "erp"; d.externalID = "ERP-订单/1"
            d.lines = [LineDraft(sku: "TEA-9", name: "龙井茶 🍵", quantity: 2, unitPrice: 12_800, taxRate: Percent(basisPoints: 1300)),
                       LineDraft(name: "礼盒", quantity: 1, unitPrice: 500)]
            d.shipTo = ShipTo(name: "王芳", phone: "13812345678", province: "浙江省", city: "杭州市", district: "西湖区", address: "文三路 90 号")
            let o = try await env.services.orders.create(b.owner, d).0
            let ext = "ERP-%E8%AE%A2%E5%8D%95%2F1"
            // not paid yet: shipping is refused as the order's rules say
            let early = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin, json: #"{"carrier":"顺丰速运","tracking_number":"SF1"}"#)
            #expect(early.status == .conflict, "\(early.text)")
            _ = try await env.services.orders.pay(b.owner, id: o.id, PaymentDraft(amount: o.totals.total))
            // delivering what never left is an impossible step
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .admin, json: "{}").status == .conflict)
            // when the logistics system reports the tea (by SKU), then the rest
            let tea = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin,
                                         json: #"{"carrier":"顺丰速运","tracking_number":"SF1","shipped_at":"2026-09-20T08:00:00Z","lines":[{"sku":"TEA-9","quantity":2}]}"#)
            #expect(tea.status == .created && tea.json["status"].string == "partially_shipped", "\(tea.text)")
            #expect(tea.json["shipments"][0]["shipped_at"].string?.hasPrefix("2026-09-20T08:00:00") == true)
            let rest = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin,
                                          json: #"{"carrier":"中通快递","tracking_number":"ZT2"}"#, headers: ["Idempotency-Key": "ship-zt2"])
            #expect(rest.status == .created && rest.json["status"].string == "shipped")
            // the same parcel again, by tracking number or by Idempotency-Key, changes nothing
            let twice = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin, json: #"{"carrier":"顺丰速运","tracking_number":"SF1"}"#)
            #expect(twice.status == .ok && twice.header("Idempotent-Replayed") == "true" && twice.json["shipments"].array.count == 2)
            let keyed = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin,
                                           json: #"{"carrier":"中通快递","tracking_number":"ZT2"}"#, headers: ["Idempotency-Key": "ship-zt2"])
            #expect(keyed.status == .created && keyed.header("Idempotent-Replayed") == "true")
            // one parcel arrives, then the other; reported again, nothing changes
            let one = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .admin, json: #"{"tracking_number":"SF1"}"#)
            #expect(one.status == .ok && one.json["status"].string == "shipped")
            let all = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .admin, json: #"{"delivered_at":"2026-09-21T09:00:00+08:00"}"#)
            #expect(all.status == .ok && all.json["status"].string == "delivered" && all.header("Idempotent-Replayed") == nil)
            let repeated = try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .admin, json: "{}")
            #expect(repeated.status == .ok && repeated.header("Idempotent-Replayed") == "true")
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .admin, json: #"{"tracking_number":"XX"}"#).status == .unprocessableContent)
            // then the receiver got order.shipped and order.delivered, each with the lines and the ship-to
            _ = try await b.sender.runOnce(); _ = try await b.sender.runOnce()
            let got = b.receiver.received
            #expect(got.map(\.type) == ["order.shipped", "order.delivered"])
            for r in got {
                #expect(r.json["data"]["external_id"].string == "ERP-订单/1" && r.json["data"]["source"].string == "erp")
                #expect(r.json["data"]["lines"][0]["sku"].string == "TEA-9" && r.json["data"]["lines"][0]["quantity"].int == 2)
                #expect(r.json["data"]["lines"][0]["unit_price"].int == 12_800 && r.json["data"]["lines"][0]["total"].int == 28_928)
                #expect(r.json["data"]["lines"][1]["name"].string == "礼盒")
                #expect(r.json["data"]["ship_to"]["name"].string == "王芳" && r.json["data"]["ship_to"]["district"].string == "西湖区")
            }
            #expect(got.first?.json["data"]["shipments"].array.count == 2)
            // and on the customer's timeline and in the audit log
            let steps = try await env.services.db.read { sql in
                try await sql.raw("SELECT action FROM audit_log WHERE object = 'orders' AND object_id = \(bind: o.id) ORDER BY seq").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(steps == ["create", "paid", "shipped", "shipped", "delivered", "delivered"])
            let timeline = try await env.services.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM timeline WHERE customer_id = \(bind: c.id) AND kind = 'order'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(timeline == 6)
            // unknown ids, another workspace, a role that may not update orders, malformed input
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/NOPE/delivery", as: .admin, json: "{}").status == .notFound)
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/delivery", as: .b, json: "{}").status == .notFound)
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .readOnly, json: #"{"carrier":"x"}"#).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin, json: #"{"tracking_number":"Q"}"#).status == .unprocessableContent)
            #expect(try await env.send(.post, "/api/v1/orders/by-external-id/\(ext)/shipments", as: .admin, json: #"{"carrier":"#).status == .badRequest)
        }
    }
}
