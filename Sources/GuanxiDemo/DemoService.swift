import Foundation
import GuanxiCore
import GuanxiStore
import SQLKit

/// A service desk's business calendar and a stream of tickets' deadline questions over it,
/// reproducible from the seed: what `guanxi sla bench` times (bench/sla/run.sh).
package enum DemoService {
    /// Shanghai office hours with a lunch break, a closed weekend, seven holiday stretches of 2026
    /// and the make-up working days that go with them; the same hours on another zone's clock when
    /// `zone` names one (New York's and Berlin's have DST switches).
    package static func calendarJSON(zone: String = "Asia/Shanghai") -> String {
        """
        {"time_zone": \(JSONCoding.quote(zone)),
         "week": {"mon": [["09:00", "12:00"], ["13:30", "18:00"]], "tue": [["09:00", "12:00"], ["13:30", "18:00"]],
                  "wed": [["09:00", "12:00"], ["13:30", "18:00"]], "thu": [["09:00", "12:00"], ["13:30", "18:00"]],
                  "fri": [["09:00", "12:00"], ["13:30", "18:00"]]},
         "holidays": ["2026-01-01", "2026-01-02", "2026-01-03",
                      "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
                      "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06",
                      "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
                      "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27",
                      "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
         "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]}
        """
    }

    /// One ticket's deadline question.
    package struct Question: Sendable {
        package let from: Date
        package let minutes: Int
        package let pauses: [Range<Date>]
    }

    /// `count` tickets opened at random seconds of 2026, each with a target of 8 business hours;
    /// one in three waits on its customer for half an hour to two days during its first day.
    package static func questions(count: Int, seed: UInt64) -> [Question] {
        var rng = DemoRNG(seed: DemoRNG.mix(seed ^ 0x51A))
        let year = Date(timeIntervalSince1970: 1_767_196_800)   // 2026-01-01T00:00:00+08:00
        return (0..<count).map { _ in
            let from = year.addingTimeInterval(Double(rng.below(365 * 86_400)))
            guard rng.percent(33) else { return Question(from: from, minutes: 480, pauses: []) }
            let start = from.addingTimeInterval(Double(rng.below(86_400)))
            return Question(from: from, minutes: 480, pauses: [start..<start.addingTimeInterval(Double(rng.inRange(1_800...172_800)))])
        }
    }
}

extension DemoService {
    /// Ticket subjects and messages, as customers and agents write them.
    static let cases: [(TicketType, String, String)] = [
        (.inquiry, "发货时间咨询", "请问我上周下的订单什么时候发货？"), (.inquiry, "发票抬头修改", "发票抬头需要改成公司名称，可以吗？"),
        (.complaint, "快递太慢", "已经十天了还没收到，物流一直不更新。"), (.complaint, "客服态度问题", "电话里等了很久没人接。"),
        (.repair, "热水壶不加热", "用了两个月，指示灯亮但是不加热。"), (.repair, "茶具有裂纹", "盖碗底部出现细小裂纹，能保修吗？"),
        (.returnRefund, "申请退货退款", "颜色和图片不一样，想退货。"), (.returnRefund, "少发一件", "订单里少了一罐龙井，请补发或退款。"),
        (.productFeedback, "希望出小包装", "一斤装太多了，希望有二两装的。"), (.defect, "包装漏气", "收到的茶叶袋子是漏气的，茶叶受潮。"),
        (.inquiry, "Order status", "Could you tell me when my order ships? 🙏"), (.complaint, "Damaged parcel", "The box arrived crushed."),
    ]
    static let replies = ["您好，已为您查询，预计明天发出。", "非常抱歉给您带来不便，我们马上处理。", "已安排补发，单号稍后短信通知您。",
                          "请提供一下订单号和照片，谢谢。", "Thanks for waiting — a replacement is on its way."]
    static let answers = ["好的，谢谢。", "照片已经发过去了。", "还没收到，麻烦再查一下。", "Thanks!", "可以，辛苦了 😊"]

    /// A service desk for the demo workspace: the Shanghai calendar as "default", a 客服部 of
    /// `agents` service agents under a manager, and `count` tickets of a year over the workspace's
    /// customers with `messages` messages each (the customer's words and the agents' replies in
    /// turn), their statuses and SLA clocks as the standard policy plans them; inserted in bulk.
    package static func load(_ scope: Scope, stores: Stores, count: Int, messages: Int, agents: Int = 12, seed: UInt64,
                             now: Date, progress: (@Sendable (Int) -> Void)? = nil) async throws -> (tickets: Int, messages: Int) {
        guard count > 0 else { return (0, 0) }
        _ = try await stores.serviceSettings.saveCalendar(scope, name: "default", json: calendarJSON())
        let calendar = try BusinessCalendar.parse(calendarJSON())
        var agentIDs: [String] = []
        for i in 1...max(1, agents) {
            agentIDs.append(try await stores.access.createUser(email: "agent\(i)@demo.guanxi.local", password: "demo-agent-\(i)", name: "客服\(i)号",
                                                               role: .serviceAgent, workspaceID: scope.workspaceID).id)
        }
        let manager = try await stores.access.createUser(email: "service-lead@demo.guanxi.local", password: "demo-service-lead", name: "客服主管",
                                                         role: .salesManager, workspaceID: scope.workspaceID)
        let team = try await stores.access.saveTeam(scope, name: "客服部", kind: "service", parentID: nil, managerID: manager.id, memberIDs: agentIDs)
        let customers = try await stores.db.read { sql in
            try await sql.raw("""
                SELECT id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND deleted_at IS NULL ORDER BY id LIMIT 200000
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
        guard !customers.isEmpty else { return (0, 0) }
        let standard = SLAPolicy.standard(id: "standard", calendarID: "default")
        var rng = DemoRNG(seed: DemoRNG.mix(seed ^ 0x71C))
        let year: TimeInterval = 365 * 86_400
        var made = (tickets: 0, messages: 0)
        var number = 0
        for start in stride(from: 0, to: count, by: 5_000) {
            var tickets: [Ticket] = [], rows: [TicketMessage] = []
            for _ in start..<min(start + 5_000, count) {
                number += 1
                // newest last, so numbers rise with time
                let created = now.addingTimeInterval(-year + year * Double(number) / Double(count) - Double(rng.below(3_600)))
                let (type, subject, body) = rng.pick(cases)
                let priority: TicketPriority = rng.percent(5) ? .urgent : rng.percent(20) ? .high : rng.percent(15) ? .low : .normal
                let age = now.timeIntervalSince(created)
                let status: TicketStatus = age > 30 * 86_400 ? (rng.percent(92) ? .closed : .resolved)
                    : age < 86_400 && rng.percent(40) ? .new : rng.pick([.open, .open, .waitingCustomer, .waitingThirdParty, .resolved, .closed, .reopened])
                var t = Ticket(id: ID.make(at: created), number: number, customerID: rng.pick(customers), subject: subject, type: type,
                               priority: priority, status: .new, channel: rng.pick(TicketChannel.allCases), teamID: team.id,
                               assigneeID: status == .new && rng.percent(50) ? nil : rng.pick(agentIDs), orderID: nil, tags: [],
                               sla: TicketSLA(policyID: standard.id, awaitingReplySince: created), createdBy: nil,
                               createdAt: created, updatedAt: created, version: 1)
                let targets = standard.targets[priority]
                t.sla = t.sla.planned(createdAt: created, targets: targets, calendar: calendar)
                rows.append(TicketMessage(id: ID.make(at: created), ticketID: t.id, kind: .customer, authorID: nil, body: body, createdAt: created))
                // the conversation: replies and answers an hour or so apart, through the same flow the stores use
                var at = created
                for m in 1..<max(1, messages) where status != .new {
                    at = at.addingTimeInterval(Double(rng.inRange(600...7_200)))
                    guard at < now else { break }
                    let reply = m % 2 == 1
                    t = (try? TicketFlow.apply(t, reply ? .agentReply : .customerMessage, at: at, targets: targets, calendar: calendar)) ?? t
                    rows.append(TicketMessage(id: ID.make(at: at), ticketID: t.id, kind: reply ? .reply : .customer,
                                              authorID: reply ? t.assigneeID : nil, body: reply ? rng.pick(replies) : rng.pick(answers), createdAt: at))
                }
                if status != .new && status != t.status, at < now {
                    at = at.addingTimeInterval(Double(rng.inRange(60...3_600)))
                    if t.status == .new { t = (try? TicketFlow.apply(t, .agentReply, at: at, targets: targets, calendar: calendar)) ?? t }
                    if status == .closed, t.status != .resolved {
                        t = (try? TicketFlow.apply(t, .status(.resolved), at: at, targets: targets, calendar: calendar)) ?? t
                    }
                    t = (try? TicketFlow.apply(t, .status(status), at: min(at, now), targets: targets, calendar: calendar)) ?? t
                }
                t.updatedAt = max(at, created)
                tickets.append(t)
            }
            let batch = tickets, conversation = rows
            try await stores.db.write { sql in try await TicketStore.insertBulk(batch, messages: conversation, workspaceID: scope.workspaceID, dialect: stores.db.dialect, sql: sql) }
            made.tickets += tickets.count; made.messages += rows.count
            progress?(made.tickets)
        }
        return made
    }
}
