import Foundation
import Testing
import GuanxiCore

@Suite("Events: traits into the customer decided per field, profiles computed from events, visits grouped")
struct BehaviourProfileTests {
    let t0 = Timestamp.parse("2026-12-01T08:00:00Z")!
    func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
    func event(_ type: EventType, _ name: String? = nil, _ minutes: Double, _ props: [String: JSONValue] = [:], context: JSONValue? = nil) -> EventMessage {
        EventMessage(type: type, event: name, messageID: UUID().uuidString, anonymousID: "a", timestamp: at(minutes), properties: .object(props), context: context)
    }

    // MARK: Traits

    @Test func emptyFieldsAreFilledAndStaffEditsKept() {
        let traits: [String: JSONValue] = ["name": .string("王芳"), "email": .string(" Wang.Fang@EXAMPLE.cn "), "phone": .string("138 0013 8000"),
                                           "birthday": .string("1990-05-04T00:00:00.000Z"), "address": .object(["city": .string("杭州"), "state": .string("浙江")]),
                                           "gender": .string("female"), "company": .object(["name": .string("龙井茶行 🍵")]), "plan": .string("pro")]
        // a customer staff typed: the name stays (they wrote it), the rest is empty and filled
        let current = TraitMerge.Current(name: "王小芳")
        let o = TraitMerge.decide(traits: traits, current: current, today: "2026-12-06")
        let by = Dictionary(uniqueKeysWithValues: o.decisions.map { ($0.field, $0) })
        #expect(by[.name]?.action == .kept && by[.name]?.value == "王芳")
        #expect(by[.email]?.action == .added && by[.email]?.value == "wang.fang@example.cn")
        #expect(by[.phone]?.action == .added && by[.phone]?.value == "+8613800138000")
        #expect(by[.birthday]?.action == .set && by[.birthday]?.value == "1990-05-04")
        #expect(by[.city]?.value == "杭州" && by[.province]?.value == "浙江" && by[.city]?.action == .set)
        #expect(o.profileTraits == ["gender": .string("female"), "company": .string("龙井茶行 🍵"), "plan": .string("pro")])
    }

    @Test func aValueEventsWroteIsUpdatedUntilStaffChangeIt() {
        let traits: [String: JSONValue] = ["city": .string("上海")]
        // events wrote 杭州 and it is still there: updated
        #expect(TraitMerge.decide(traits: traits, current: .init(name: "x", city: "杭州"), written: ["city": "杭州"], today: "2026-12-06").decisions[0].action == .set)
        // staff changed it to 北京 since: kept, unless the workspace lets events overwrite the city
        #expect(TraitMerge.decide(traits: traits, current: .init(name: "x", city: "北京"), written: ["city": "杭州"], today: "2026-12-06").decisions[0].action == .kept)
        #expect(TraitMerge.decide(traits: traits, current: .init(name: "x", city: "北京"), written: ["city": "杭州"], overwrite: [.city],
                                  today: "2026-12-06").decisions[0].action == .set)
        #expect(TraitMerge.decide(traits: traits, current: .init(name: "x", city: "上海"), today: "2026-12-06").decisions[0].action == .same)
    }

    @Test func invalidAndTakenValuesChangeNothing() {
        let traits: [String: JSONValue] = ["email": .string("not an email'; DROP TABLE customers; --"), "phone": .string("13800138000"),
                                           "birthday": .string("2999-01-01"), "name": .string("   "), "city": .string(String(repeating: "长", count: 201))]
        let o = TraitMerge.decide(traits: traits, current: .init(name: "x"), taken: ["+8613800138000"], today: "2026-12-06")
        let by = Dictionary(uniqueKeysWithValues: o.decisions.map { ($0.field, $0.action) })
        #expect(by == [.email: .invalid, .phone: .taken, .birthday: .invalid, .city: .invalid], "a blank name is no trait")
        #expect(!o.decisions.contains { $0.writes })
    }

    @Test func firstAndLastNamesJoinAsTheWritingHasIt() {
        #expect(TraitMerge.decide(traits: ["firstName": .string("芳"), "lastName": .string("王")], current: .init(name: ""), today: "2026-12-06").decisions[0].value == "王芳")
        #expect(TraitMerge.decide(traits: ["first_name": .string("Fang"), "last_name": .string("Wang")], current: .init(name: ""), today: "2026-12-06").decisions[0].value == "Fang Wang")
    }

    // MARK: Profiles

    @Test func sessionsStartAfterThirtyMinutesOfQuiet() {
        var p = BehaviourProfile()
        p.apply([event(.page, "首页", 0), event(.page, "商品", 10), event(.page, "购物车", 39.5), event(.page, "首页", 80), event(.track, "x", 81)])
        #expect(p.sessions == 2 && p.events == 5 && p.pageViews == 4)
        #expect(p.firstSeen == at(0) && p.lastSeen == at(81))
        // an event arriving late, before the first: a session of its own when far enough
        p.apply(event(.page, nil, -45))
        #expect(p.sessions == 3 && p.firstSeen == at(-45) && p.lastSeen == at(81))
        // out of order inside the known span: nothing new
        p.apply(event(.track, "y", 20))
        #expect(p.sessions == 3)
    }

    @Test func pageViewsCountInTheLastSevenAndThirtyDays() {
        var p = BehaviourProfile()
        for d in [0, 1, 2, 10, 20, 29, 40] { p.apply(event(.page, nil, Double(-d) * 1440)) }
        #expect(p.pageViews(days: 7, now: t0) == 3 && p.pageViews(days: 30, now: t0) == 6 && p.pageViews == 7)
        #expect(p.dailyViews.count <= 30, "only the last 30 days are kept")
        #expect(p.pageViews(days: 7, now: t0.addingTimeInterval(8 * 86_400)) == 0)
    }

    @Test func productsCartChannelAndDeviceFollowTheEvents() {
        var p = BehaviourProfile()
        let ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0"
        p.apply([
            event(.page, nil, 0, context: .object(["campaign": .object(["source": .string("wechat"), "medium": .string("social")]), "userAgent": .string(ua)])),
            event(.track, "Product Viewed", 1, ["name": .string("龙井 🍵"), "category": .string("绿茶")]),
            event(.track, "product_viewed", 2, ["product_id": .string("p-2"), "category": .string("红茶")]),
            event(.track, "Product Viewed", 3, ["name": .string("龙井 🍵"), "category": .string("绿茶")]),
            event(.track, "Product Added", 4, ["price": .number(88), "quantity": .number(2)]),
            event(.track, "add_to_cart", 5, ["price": .string("12.5")]),
            event(.track, "Product Removed", 6, ["price": .number(88)]),
            event(.page, nil, 7, context: .object(["page": .object(["url": .string("https://shop.example.cn/cart"), "referrer": .string("https://shop.example.cn/")])])),
        ])
        #expect(p.products == ["龙井 🍵", "p-2"] && p.categories == ["绿茶", "红茶"])
        #expect(p.cartValue == 100.5)
        #expect(p.lastChannel == "wechat / social", "a move inside the same site keeps the channel")
        #expect(p.device == "mobile · iOS · WeChat")
        p.apply(event(.track, "Order Completed", 8, ["revenue": .number(100.5)]))
        #expect(p.cartValue == 0)
        p.apply(event(.page, nil, 9, context: .object(["page": .object(["referrer": .string("https://www.baidu.com/s?wd=茶")])])))
        #expect(p.lastChannel == "www.baidu.com")
    }

    @Test func aVisitorsProfileJoinsTheCustomersAndSurvivesStorage() {
        var customer = BehaviourProfile(), visitor = BehaviourProfile()
        customer.apply([event(.page, nil, 0), event(.track, "Product Viewed", 1, ["name": .string("普洱")])])
        visitor.apply([event(.page, nil, 600), event(.track, "Product Viewed", 601, ["name": .string("龙井")]),
                       event(.identify, nil, 602, ["gender": .string("female")])])
        customer.merge(visitor)
        #expect(customer.sessions == 2 && customer.events == 5 && customer.pageViews == 2 && customer.lastSeen == at(602))
        #expect(customer.products == ["龙井", "普洱"] && customer.traits["gender"] == .string("female"))
        #expect(BehaviourProfile(json: customer.json) == customer)
        #expect(BehaviourProfile(json: .string("garbage")) == BehaviourProfile())
    }

    @Test func visitsGroupNewestFirstWithTheirKeyEvents() {
        // newest first, as the events are read
        let events: [(type: EventType, event: String?, at: Date)] = [
            (.track, "Checkout", at(95)), (.page, "支付", at(90)), (.track, "Product Viewed", at(5)), (.page, "商品", at(2)), (.page, "首页", at(0)),
        ]
        let s = BehaviourSession.group(events)
        #expect(s.count == 2)
        #expect(s[0].start == at(90) && s[0].end == at(95) && s[0].pageViews == 1 && s[0].keyEvents == ["Checkout"] && s[0].items == [1, 0])
        #expect(s[1].duration == 300 && s[1].pageViews == 2 && s[1].items == [4, 3, 2])
        #expect(BehaviourSession.group([]).isEmpty)
    }
}
