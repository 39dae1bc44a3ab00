import Foundation
import GuanxiCore
import GuanxiStore

/// The first-run demo's sales work in progress, so every page has something to show: leads in
/// several states, deals along the pipeline, quotes of the catalogue and the day's tasks. Made
/// through the stores' own paths (audited, on the timelines), reproducible from the seed.
package enum DemoFollowUp {
    static let people = ["陈静", "刘洋", "张伟", "王芳", "李娜", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "徐涛", "孙悦"]
    static let companies = ["华南贸易", "东方电子", "星河科技", "锦程物流", "新禾食品", "远山茶业"]
    static let sources = ["官网", "展会", "朋友介绍", "抖音", "微信公众号"]
    static let deals = ["年度采购框架", "门店礼盒订购", "新品试销", "产线扩容", "春节团购", "渠道合作"]

    /// Loads at most `count` of each (leads, deals, quotes, tasks) for the workspace's first customers.
    @discardableResult
    package static func load(_ scope: Scope, stores: Stores, seed: UInt64, now: Date, count: Int = 12) async throws
        -> (leads: Int, deals: Int, quotes: Int, tasks: Int) {
        let pick = { (i: Int, n: Int) in Int((seed &+ UInt64(i) &* 7_919) % UInt64(n)) }
        let customers = try await stores.customers.list(scope, filter: { var f = CustomerFilter(); f.kind = .person; return f }(),
                                                        sort: .createdAt, descending: false, limit: count).items
        // leads: new ones, followed up ones and one disqualified
        var leads: [Lead] = []
        for i in 0..<count {
            var d = LeadDraft()
            d.name = people[(i + pick(i, 5)) % people.count]; d.company = companies[pick(i, companies.count)]
            d.phone = "1390000" + String(format: "%04d", (Int(seed % 5_000) + i * 37) % 10_000)
            d.source = sources[pick(i + 1, sources.count)]; d.province = "广东"; d.city = i % 2 == 0 ? "广州" : "深圳"
            d.message = i % 3 == 0 ? "想了解批发价格" : nil
            leads.append(try await stores.leads.create(scope, d))
        }
        for (i, l) in leads.enumerated() where i % 3 == 1 {
            _ = try await stores.leads.setStatus(scope, id: l.id, to: .contacted, reason: nil, ifVersion: nil)
        }
        // deals, spread over the open stages, with an expected close in the coming months
        let pipeline = try await stores.deals.pipelines(scope)[0]
        let open = pipeline.stages.filter { $0.kind == .open }
        var made: [Deal] = []
        for (i, c) in customers.prefix(count).enumerated() {
            var d = DealDraft()
            d.name = deals[i % deals.count]; d.customerID = c.id
            d.amount = Money(minor: Int64(8_000 + pick(i, 40) * 2_500) * 100, currency: "CNY")
            let month = Calendar(identifier: .gregorian).date(byAdding: .month, value: 1 + i % 4, to: now) ?? now
            d.expectedClose = String(ISO8601DateFormatter.string(from: month, timeZone: .gmt, formatOptions: [.withFullDate]))
            let deal = try await stores.deals.create(scope, d)
            let stage = open[i % open.count]
            made.append(stage.id == deal.stageID ? deal : try await stores.deals.move(scope, id: deal.id, toStage: stage.id, reason: nil, ifVersion: nil))
        }
        // quotes of catalogue products for the deals further along
        let products = try await stores.products.list(scope, limit: 20)
        var quotes = 0
        if !products.isEmpty {
            for (i, deal) in made.enumerated() where i % 2 == 0 {
                var q = QuoteDraft()
                q.customerID = deal.customerID; q.dealID = deal.id; q.title = deal.name
                q.lines = [LineDraft(productID: products[pick(i, products.count)].id, quantity: 5 + pick(i, 20)),
                           LineDraft(productID: products[pick(i + 3, products.count)].id, quantity: 1 + pick(i + 1, 6))]
                _ = try await stores.quotes.create(scope, q)
                quotes += 1
            }
        }
        // today's calls and visits, one overdue
        var tasks = 0
        for (i, c) in customers.prefix(count).enumerated() where i % 2 == 1 || i == 0 {
            var t = TaskDraft()
            t.kind = [TaskKind.call, .visit, .todo][i % 3]
            t.title = ["电话回访：确认需求", "上门拜访：演示新品", "寄送样品", "跟进报价"][i % 4]
            t.dueAt = now.addingTimeInterval(i == 0 ? -86_400 : Double(2 + i) * 3_600)
            t.priority = i % 5 == 0 ? .high : .normal
            t.subjectKind = .customer; t.subjectID = c.id
            _ = try await stores.tasks.create(scope, t)
            tasks += 1
        }
        return (leads.count, made.count, quotes, tasks)
    }
}
