import Foundation
import Testing
@testable import GuanxiCore
@testable import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// The hand-written JSON of hot answers must be exactly what the Codable encoding would write,
/// so the API's shape has one definition in effect (the Codable types) and cannot drift.
@Suite("Fast JSON equals the Codable encoding")
struct FastJSONTests {
    static func customer(_ name: String, full: Bool) -> Customer {
        Customer(id: ID.make(), kind: full ? .person : .organization, name: name,
                 organizationID: full ? ID.make() : nil, organizationName: full ? "上海东方/信息 \"技术\"" : nil,
                 title: full ? "采购\t专员" : nil, stage: .atRisk, tier: full ? "VIP" : nil, ownerID: full ? ID.make() : nil,
                 source: full ? "wechat" : nil, emails: full ? ["w@example.com", "x@例子.cn"] : [],
                 phones: full ? ["+8613800138000"] : [],
                 identities: full ? [Identity(kind: .external, value: "A-1", namespace: "shop"), Identity(kind: .wechatOpenID, value: "o_1")] : [],
                 addresses: full ? [Address(label: "家", country: "CN", province: "上海市", city: "上海市", district: "徐汇区", street: "路 1 号", postcode: "200030"),
                                    Address(city: "Paris")] : [],
                 birthday: full ? "1990-02-28" : nil, consent: full ? ["wechat": .granted, "email": .denied, "sms": .unknown] : [:],
                 preferredChannel: full ? .wechat : nil, tags: full ? ["大客户", "KOL", "<b>x</b>"] : [],
                 custom: full ? ["budget": .number(12.5), "count": .number(3), "vip": .bool(true), "colors": .array([.string("红"), .string("blue")]),
                                 "since": .string("2024-01-31"), "nothing": .null, "nested": .object(["z": .number(1), "a": .string("\u{1}")])] : [:],
                 version: 7, createdAt: Date(millis: 1_795_000_123_456), updatedAt: Date(millis: 1_795_000_999_001),
                 deletedAt: full ? Date(millis: 1_796_000_000_000) : nil)
    }

    @Test(arguments: [true, false])
    func customerBytesMatch(full: Bool) {
        for name in JSONTests_names {
            let c = Self.customer(name, full: full)
            #expect(String(decoding: c.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(c), as: UTF8.self))
        }
    }

    @Test func pageBytesMatch() {
        let page = Page(items: [Self.customer("王小明", full: true), Self.customer("Acme", full: false)], nextCursor: "abc")
        #expect(String(decoding: page.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(page), as: UTF8.self))
        let last = Page<Customer>(items: [], nextCursor: nil)
        #expect(String(decoding: last.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(last), as: UTF8.self))
        // search and the other `{"items": […]}` answers take the same path when their records can
        let items = Items(items: page.items)
        #expect((items as Any) is any JSONWritable)
        #expect(String(decoding: APIResponse.json(items).body, as: UTF8.self) == String(decoding: APIJSON.encode(items), as: UTF8.self))
    }

    @Test func orderBytesMatch() throws {
        for name in JSONTests_names {
            for full in [true, false] {
                let item = try LineItem(id: ID.make(), productID: full ? ID.make() : nil, sku: full ? "SKU-\(name)" : nil, name: name, unit: full ? "件" : nil,
                                        quantity: 3, unitPrice: 19_990, discount: Percent(basisPoints: full ? 1250 : 0), taxRate: Percent(basisPoints: 1300))
                let lines = [OrderLine(item: item, shipped: full ? 2 : 0, returned: full ? 1 : 0)]
                var o = Order(id: ID.make(), number: "SO-2026-000123", source: full ? "shop" : "api", externalID: full ? name : nil,
                              status: full ? .partiallyShipped : .placed, customerID: ID.make(), ownerID: full ? ID.make() : nil,
                              quoteID: full ? ID.make() : nil, dealID: full ? ID.make() : nil, lines: lines,
                              totals: try DocumentTotals(currency: "CNY", lines: [item]), paid: full ? 10_000 : 0, refunded: full ? 500 : 0,
                              note: full ? "备注 \(name)" : nil, cancelReason: full ? name : nil, placedAt: Date(millis: 1_795_000_123_456),
                              confirmedAt: full ? Date(millis: 1_795_000_999_001) : nil, version: 4, createdAt: Date(millis: 1_795_000_123_456),
                              updatedAt: Date(millis: 1_795_000_999_001))
                if full {
                    o.shipTo = ShipTo(name: name, phone: "13800138000", province: "广东省", city: "深圳市", district: "南山区", address: "科技园\n1 栋", postcode: "518000")
                    o.payments = [Payment(id: ID.make(), kind: .payment, amount: 10_000, method: "wechat", reference: name, note: nil, paidAt: Date(millis: 1_795_000_200_000), createdBy: ID.make()),
                                  Payment(id: ID.make(), kind: .refund, amount: 500, method: nil, reference: nil, note: "退", paidAt: Date(millis: 1_795_000_300_000), createdBy: nil)]
                    o.plan = [Instalment(dueDate: "2026-12-31", amount: 30_000, covered: 9_500, overdue: true)]
                    o.shipments = [Shipment(id: ID.make(), carrier: "顺丰", trackingNumber: "SF123", lines: [.init(lineID: item.id, quantity: 2)],
                                            shippedAt: Date(millis: 1_795_000_400_000), deliveredAt: nil)]
                    o.creditHold = "over the credit limit by \(name)"
                }
                #expect(String(decoding: o.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(o), as: UTF8.self))
            }
        }
    }

    @Test func articleBytesMatch() {
        for name in JSONTests_names {
            for full in [true, false] {
                let a = Article(id: ID.make(), category: name, status: "published", visibility: "public",
                                texts: full ? ["zh-Hans": .init(title: name, body: "第一行\n\"引号\" \\ <b>😀</b>\u{1}"), "zh-Hant": .init(title: "退貨", body: "七天"),
                                               "en": .init(title: "Returns", body: "Within 7 days.\t")] : [:],
                                version: 3, createdBy: full ? ID.make() : nil, createdAt: Date(millis: 1_795_000_123_456),
                                updatedAt: Date(millis: 1_795_000_999_001), publishedAt: full ? Date(millis: 1_795_000_999_000) : nil)
                #expect(String(decoding: a.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(a), as: UTF8.self))
                let page = Page(items: [a, a], nextCursor: full ? "abc" : nil)
                #expect(String(decoding: APIResponse.json(page).body, as: UTF8.self) == String(decoding: APIJSON.encode(page), as: UTF8.self))
            }
        }
    }

    @Test func storedColumnsRoundTrip() throws {
        let c = Self.customer("王小明 😀", full: true)
        let values = CustomerRows.values(c, workspaceID: "w", searchText: "")
        // emails, phones, identities, addresses, consent, tags, custom in insertColumns order
        let cols = CustomerRows.insertColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        func column(_ name: String) throws -> JSONValue { try JSONParser.parse(values[cols.firstIndex(of: name)!] as! String) }
        #expect(try column("emails_json").strings == c.emails)
        #expect(try column("identities_json").arrayValue!.compactMap(Identity.init(json:)) == c.identities)
        #expect(try column("addresses_json").arrayValue!.map(Address.init(json:)) == c.addresses)
        #expect(try column("custom_json").objectValue == c.custom)
    }
}

let JSONTests_names = ["王小明", "quote \" slash / back \\", "ctl \u{1} \u{1F} \n", "😀👩‍👩‍👧", "<script>x</script>"]

/// Lead capture answers and reads by hand; both must agree with the Codable definitions.
@Suite("Fast lead JSON equals the Codable encoding and decoding")
struct FastLeadJSONTests {
    static func lead(_ name: String, full: Bool) -> Lead {
        let at = Date(millis: 1_795_000_123_456)
        return Lead(id: ID.make(), name: name, company: full ? "东方 \"科技\"" : nil, title: full ? "经理" : nil, phone: full ? "+8613800138000" : nil,
                    email: full ? "a@例子.cn" : nil, wechat: full ? "wx_1" : nil, province: full ? "广东" : nil, city: full ? "深圳" : nil,
                    productInterest: full ? "企业版" : nil, tier: full ? "A" : nil, source: full ? "抖音" : nil, campaign: full ? "双11" : nil,
                    utm: full ? ["utm_source": "douyin", "utm_campaign": "<b>x</b>", "utm_medium": "😀"] : [:], message: full ? "你好\n😀" : nil,
                    channel: full ? .webhook : .api, status: full ? .disqualified : .new, disqualifyReason: full ? "重复" : nil,
                    ownerID: full ? ID.make() : nil, ruleID: full ? ID.make() : nil, assignedAt: full ? at : nil,
                    responseDueAt: full ? at.addingTimeInterval(1800) : nil, respondedAt: full ? at.addingTimeInterval(60) : nil,
                    duplicateOfCustomerID: full ? ID.make() : nil, duplicateOfLeadID: full ? ID.make() : nil,
                    convertedCustomerID: full ? ID.make() : nil, convertedAt: full ? at.addingTimeInterval(99) : nil,
                    version: 3, createdAt: at, updatedAt: at.addingTimeInterval(5))
    }

    @Test(arguments: [true, false])
    func leadBytesMatch(full: Bool) {
        for name in JSONTests_names {
            let l = Self.lead(name, full: full)
            #expect(String(decoding: l.jsonBytes(), as: UTF8.self) == String(decoding: APIJSON.encode(l), as: UTF8.self))
        }
    }

    static let bodies = [
        #"{"name":"王小明","phone":"13800138000","source":"抖音","province":"广东","product_interest":"企业版","utm":{"utm_source":"bench","utm_medium":"😀"}}"#,
        #"{"name":"x","company":null,"title":"t","email":"A@B.cn","wechat":"w","city":"深圳","tier":"A","campaign":"c","message":"m\n\"q\"","owner_id":"u","extra":[1,{"a":2}]}"#,
        #"{}"#, #"{"name":1}"#, #"{"utm":"x"}"#, #"{"utm":{"utm_source":3}}"#, #"{"utm":{"utm_source":null}}"#, #"{"phone":true}"#,
        #"{"name":"\u738b\ud83d\ude00"}"#, #"{"owner_id":["a"]}"#, #"{"utm":null,"name":null}"#,
    ]

    @Test(arguments: bodies)
    func draftReadingMatchesCodable(body: String) {
        let data = Data(body.utf8)
        // Drafts compare with ==, not by description: a dictionary's description follows its hash
        // order, which differs between two equal dictionaries built differently (a flaky failure).
        enum Outcome: Equatable { case draft(LeadDraft), error(String) }
        func outcome(_ read: () throws -> LeadDraft) -> Outcome {
            do { return .draft(try read()) } catch { return .error("\(error)") }
        }
        #expect(outcome { try APIBody.decode(LeadDraft.self, from: data) } == outcome { try APIBody.decodeCodable(LeadDraft.self, from: data) })
    }

    @Test(arguments: ["[]", "null", "\"x\"", "{\"name\":", "{\"a\" 1}"])
    func notAnObjectIsRefusedAlike(body: String) {
        let data = Data(body.utf8)
        let fast = Result { try APIBody.decode(LeadDraft.self, from: data) }
        let codable = Result { try APIBody.decodeCodable(LeadDraft.self, from: data) }
        switch (fast, codable) {
        case (.failure(let a as DomainError), .failure(let b as DomainError)): #expect(a == b)
        case (.failure(WebError.malformedJSON), .failure(WebError.malformedJSON)): break
        default: Issue.record("fast \(fast) vs codable \(codable)")
        }
    }
}

extension FastLeadJSONTests {
    @Test func aBatchNamesTheLeadAndFieldOfAWrongType() throws {
        let ok = try APIBody.decode(LeadAPI.BatchInput.self, from: Data(#"{"leads":[{"name":"甲"},{"phone":"13800138000","utm":{"utm_source":"x"}}]}"#.utf8))
        #expect(ok.leads.count == 2 && ok.leads[1].utm == ["utm_source": "x"])
        #expect(throws: DomainError.validation(["leads[1].phone": "has the wrong type (expected a string)"])) {
            _ = try APIBody.decode(LeadAPI.BatchInput.self, from: Data(#"{"leads":[{"name":"甲"},{"phone":13800138000}]}"#.utf8))
        }
        #expect(throws: DomainError.validation(["leads[0]": "has the wrong type (expected an object)"])) {
            _ = try APIBody.decode(LeadAPI.BatchInput.self, from: Data(#"{"leads":["甲"]}"#.utf8))
        }
        #expect(throws: DomainError.validation(["leads": "is required"])) {
            _ = try APIBody.decode(LeadAPI.BatchInput.self, from: Data(#"{"lead":[]}"#.utf8))
        }
    }
}
