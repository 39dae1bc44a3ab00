import Foundation
import Testing
import GuanxiTestSupport
import SQLKit
import GuanxiCore
@testable import GuanxiStore

@Suite("Follow-up: tasks, my day, visits and lead import, on SQLite and PostgreSQL")
struct FollowUpTests {
    /// Wednesday 2026-11-25 10:00 in Shanghai (02:00 UTC), inside ISO week 2026-W48 (23–29 November).
    static let start = Date(timeIntervalSince1970: 1_795_572_000)

    struct World {
        var db: Database; var clock: ManualClock; var owner: Scope; var rep: Scope; var mate: Scope; var manager: Scope; var rival: Scope
        var stores: Stores
        var tasks: TaskStore { stores.tasks }
        var leads: LeadStore { stores.leads }
        var customers: CustomerStore { stores.customers }
    }

    /// Two reps and their manager in one team, a rival rep in another.
    func world(_ db: Database, _ owner: Scope) async throws -> World {
        let clock = ManualClock(Self.start)
        let s = stores(db, clock), access = s.access
        func user(_ e: String, _ r: Role) async throws -> String {
            try await access.createUser(email: e, password: "password-task", name: e, role: r, workspaceID: owner.workspaceID).id
        }
        let rep = try await user("rep@tasks.example", .salesRep), mate = try await user("mate@tasks.example", .salesRep)
        let boss = try await user("boss@tasks.example", .salesManager), rival = try await user("rival@tasks.example", .salesRep)
        _ = try await access.saveTeam(owner, name: "华东", kind: "sales", parentID: nil, managerID: boss, memberIDs: [rep, mate, boss])
        _ = try await access.saveTeam(owner, name: "华西", kind: "sales", parentID: nil, managerID: nil, memberIDs: [rival])
        func scope(_ id: String) async throws -> Scope { try #require(try await access.scope(userID: id, workspaceID: owner.workspaceID)) }
        return World(db: db, clock: clock, owner: owner, rep: try await scope(rep), mate: try await scope(mate), manager: try await scope(boss),
                     rival: try await scope(rival), stores: s)
    }

    func draft(_ title: String, due: Date, kind: TaskKind = .todo, remind: Date? = nil, subject: (TaskSubjectKind, String)? = nil,
               owner: String? = nil) -> TaskDraft {
        var d = TaskDraft()
        d.title = title; d.dueAt = due; d.kind = kind; d.remindAt = .some(remind); d.ownerID = owner
        if let subject { d.subjectKind = .some(subject.0); d.subjectID = .some(subject.1) }
        return d
    }

    func customer(_ w: World, _ scope: Scope, _ name: String) async throws -> Customer {
        var d = CustomerDraft(); d.kind = .person; d.name = name
        return try await w.customers.create(scope, d)
    }

    func hours(_ h: Double) -> Date { Self.start.addingTimeInterval(h * 3600) }

    // MARK: Status

    @Test func everyStatusMoveIsAllowedOrRefusedWithASentence() {
        let legal: Set<[TaskStatus]> = [[.open, .done], [.open, .cancelled], [.done, .open], [.cancelled, .open]]
        for from in TaskStatus.allCases {
            for to in TaskStatus.allCases {
                if legal.contains([from, to]) {
                    #expect(throws: Never.self) { try from.check(to: to) }
                } else {
                    #expect { try from.check(to: to) } throws: { e in
                        guard case DomainError.conflict(let m) = e else { return false }
                        return m.text.contains(from.rawValue) && !m.text.isEmpty
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.all)
    func completingCancellingAndReopeningWriteTheTimelineAndTheAuditLog(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let c = try await customer(w, w.rep, "王小明 🙂")
            // given a task about a customer, planned by the rep
            let t = try await w.tasks.create(w.rep, draft("回访报价 📞", due: hours(2), subject: (.customer, c.id)))
            #expect(t.ownerID == w.rep.userID && t.status == .open && t.title == "回访报价 📞")
            // when it is done, then reopened, then cancelled
            let done = try await w.tasks.setStatus(w.rep, id: t.id, to: .done, outcome: "客户同意 <b>", ifVersion: t.version)
            #expect(done.status == .done && done.completedAt == Self.start && done.outcome == "客户同意 <b>" && done.version == 2)
            // completing twice, or cancelling a done task, is refused with a reason
            await #expect(throws: DomainError.conflict("the task is already done")) {
                try await w.tasks.setStatus(w.rep, id: t.id, to: .done, ifVersion: nil)
            }
            await #expect(throws: DomainError.conflict("a done task cannot become cancelled; reopen it first")) {
                try await w.tasks.setStatus(w.rep, id: t.id, to: .cancelled, ifVersion: nil)
            }
            let reopened = try await w.tasks.setStatus(w.rep, id: t.id, to: .open, ifVersion: nil)
            #expect(reopened.status == .open && reopened.completedAt == nil)
            let cancelled = try await w.tasks.setStatus(w.rep, id: t.id, to: .cancelled, ifVersion: nil)
            #expect(cancelled.status == .cancelled)
            await #expect(throws: DomainError.self) { try await w.tasks.setStatus(w.rep, id: t.id, to: .done, ifVersion: nil) }
            // a stale version is refused
            await #expect(throws: DomainError.staleVersion(current: cancelled.version)) {
                try await w.tasks.setStatus(w.rep, id: t.id, to: .open, ifVersion: 1)
            }
            // then the customer's timeline has the plan and the completion; the audit log every write
            let tl = try await stores(db).timeline.list(w.rep, customerID: c.id, cursor: nil, limit: 20).items
            #expect(tl.contains { $0.kind == .taskCreated && $0.data?["title"] == .string("回访报价 📞") })
            #expect(tl.contains { $0.kind == .taskDone && $0.data?["outcome"] == .string("客户同意 <b>") })
            let actions = try await db.read { sql in
                try await sql.raw("SELECT action FROM audit_log WHERE object = 'tasks' AND object_id = \(bind: t.id) ORDER BY seq").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions == ["create", "complete", "reopen", "cancel"])
        }
    }

    // MARK: Access

    @Test(arguments: Backend.all)
    func tasksFollowTheirOwnersReachAndTheirRecordsReadability(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let rivalsCustomer = try await customer(w, w.rival, "对手的客户")
            let mine = try await w.tasks.create(w.rep, draft("我的", due: hours(1)))
            // a rep cannot see a teammate's task; the manager can and may change it
            let mates = try await w.tasks.create(w.mate, draft("同事的", due: hours(1)))
            await #expect(throws: DomainError.notFound("task")) { try await w.tasks.get(w.rep, id: mates.id) }
            _ = try await w.tasks.update(w.manager, id: mates.id, { var d = TaskDraft(); d.priority = .high; return d }(), ifVersion: mates.version)
            // a rep may not give a task to someone else; a manager may, within the team only
            await #expect(throws: DomainError.self) { try await w.tasks.create(w.rep, draft("派给同事", due: hours(1), owner: w.mate.userID)) }
            let given = try await w.tasks.create(w.manager, draft("派给同事", due: hours(1), owner: w.mate.userID))
            #expect(given.ownerID == w.mate.userID)
            await #expect(throws: DomainError.self) { try await w.tasks.create(w.manager, draft("派给外组", due: hours(1), owner: w.rival.userID)) }
            // a task about a record the user cannot read is refused as not found
            await #expect(throws: DomainError.notFound("customer")) {
                try await w.tasks.create(w.rep, draft("偷看", due: hours(1), subject: (.customer, rivalsCustomer.id)))
            }
            // a visit needs a customer or lead
            await #expect(throws: DomainError.self) { try await w.tasks.create(w.rep, draft("拜访", due: hours(1), kind: .visit)) }
            // a reminder after the due time is refused
            await #expect(throws: DomainError.field("remind_at", "must not be after the due time")) {
                try await w.tasks.create(w.rep, draft("晚提醒", due: hours(1), remind: hours(2)))
            }
            // another workspace sees nothing
            let other = try await stores(db).access.createWorkspace(name: "B", slug: "b-tasks")
            let outsider = Scope(workspaceID: other.id, userID: nil, role: .owner)
            await #expect(throws: DomainError.notFound("task")) { try await w.tasks.get(outsider, id: mine.id) }
            #expect(try await w.tasks.list(outsider, filter: TaskFilter(), cursor: nil).items.isEmpty)
            // the list follows reach: the rep sees theirs, the manager the team's
            #expect(try await w.tasks.list(w.rep, filter: TaskFilter(), cursor: nil).items.map(\.id) == [mine.id])
            #expect(Set(try await w.tasks.list(w.manager, filter: TaskFilter(), cursor: nil).items.map(\.id)) == [mine.id, mates.id, given.id])
            // a stale edit is refused
            await #expect(throws: DomainError.staleVersion(current: 1)) {
                try await w.tasks.update(w.rep, id: mine.id, { var d = TaskDraft(); d.title = "改"; return d }(), ifVersion: 7)
            }
        }
    }

    // MARK: My day

    @Test(arguments: Backend.all)
    func myDaySortsTasksByTheWorkspacesClockAndTheHeaderCountsWhatIsDue(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let c = try await customer(w, w.rep, "李雷")
            let late = try await w.tasks.create(w.rep, draft("昨天该打的电话", due: hours(-20), kind: .call))
            let later = try await w.tasks.create(w.rep, draft("今天下午", due: hours(5)))
            // 01:00 in Shanghai tomorrow is still 25 November in UTC: not today
            let tomorrow = try await w.tasks.create(w.rep, draft("明早", due: Date(timeIntervalSince1970: 1_795_626_000)))
            let reminded = try await w.tasks.create(w.rep, draft("下周交付", due: hours(24 * 6), remind: hours(-1)))
            let visit = try await w.tasks.create(w.rep, draft("拜访李雷", due: hours(-1), kind: .visit, subject: (.customer, c.id)))
            let done = try await w.tasks.create(w.rep, draft("已完成", due: hours(-3)))
            _ = try await w.tasks.setStatus(w.rep, id: done.id, to: .done, ifVersion: nil)
            _ = try await w.tasks.create(w.mate, draft("同事的逾期", due: hours(-5)))
            // an overdue lead of the rep
            _ = try await stores(db).assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "给我", position: 1, method: .user,
                                                                                 userID: w.rep.userID, responseMinutes: 30))
            let lead = try await w.leads.create(owner, { var d = LeadDraft(); d.name = "等回电"; return d }())
            w.clock.advance(days: 1.0 / 24)   // 11:00: the lead is 30 minutes late
            let day = try await w.tasks.myDay(w.rep)
            #expect(day.timeZone == "Asia/Shanghai")
            #expect(day.overdue.map(\.id) == [late.id])
            #expect(day.visits.map(\.id) == [visit.id])
            #expect(day.dueToday.map(\.id) == [later.id])
            #expect(day.reminders.map(\.id) == [reminded.id])
            #expect(!day.overdue.contains { $0.id == tomorrow.id } && !day.dueToday.contains { $0.id == tomorrow.id })
            #expect(day.overdueLeads.map(\.id) == [lead.id])
            // the header counts overdue tasks (the visit is late too) and due reminders
            #expect(try await w.tasks.attentionCount(w.rep) == 3)
            // the overdue filter agrees
            var f = TaskFilter(); f.overdue = true; f.ownerID = w.rep.userID
            #expect(Set(try await w.tasks.list(w.rep, filter: f, cursor: nil).items.map(\.id)) == [late.id, visit.id])
            // when the afternoon task's time passes it is overdue
            w.clock.advance(days: 5.0 / 24)
            #expect(try await w.tasks.myDay(w.rep).overdue.map(\.id) == [late.id, later.id])
            #expect(try await w.tasks.attentionCount(w.rep) == 4)
            // due before/after filters and keyset pages walk by due time
            var range = TaskFilter(); range.dueAfter = hours(-2); range.dueBefore = hours(24)
            let page1 = try await w.tasks.list(w.rep, filter: range, cursor: nil, limit: 1)
            let page2 = try await w.tasks.list(w.rep, filter: range, cursor: page1.nextCursor, limit: 5)
            #expect(page1.items.map(\.id) == [visit.id] && page2.items.map(\.id) == [later.id, tomorrow.id])
        }
    }

    // MARK: Visits

    @Test func coordinatesAreExactAndChecked() throws {
        let c = try #require(try CheckIn.parse(latitude: "31.230416", longitude: "121.473701", accuracy: "12.6"))
        #expect(c.latitudeMicro == 31_230_416 && c.longitudeMicro == 121_473_701 && c.accuracyMetres == 13)
        #expect(c.latitude == "31.230416" && c.longitude == "121.473701")
        let south = try #require(try CheckIn.parse(latitude: "-33.8688", longitude: "-70.1234567", accuracy: nil))
        #expect(south.latitude == "-33.868800" && south.longitude == "-70.123457")
        #expect(try CheckIn.parse(latitude: "", longitude: " ", accuracy: nil) == nil)
        #expect(try CheckIn.parse(latitude: "90", longitude: "-180", accuracy: "0")?.latitudeMicro == 90_000_000)
        for (lat, lon, acc, field) in [("90.000001", "0", "", "latitude"), ("-91", "0", "", "latitude"), ("0", "180.5", "", "longitude"),
                                       ("北纬31", "121", "", "latitude"), ("31", "", "", "longitude"), ("", "121", "", "latitude"),
                                       ("31", "121", "-1", "accuracy_m"), ("31", "121", "100001", "accuracy_m"), ("1e2", "0", "", "latitude")] {
            #expect { try CheckIn.parse(latitude: lat, longitude: lon, accuracy: acc) } throws: { e in
                guard case DomainError.validation(let f) = e else { return false }
                return f[field] != nil
            }
        }
    }

    @Test(arguments: Backend.all)
    func recordingAVisitLogsItLikeAnyVisitAndPlansTheNextStep(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let c = try await customer(w, w.rep, "华为采购部")
            let deal = try await w.stores.deals.create(w.rep, { var d = DealDraft(); d.name = "年框"; d.customerID = c.id; return d }())
            let plan = try await w.tasks.create(w.rep, draft("上门演示", due: hours(3), kind: .visit, subject: (.customer, c.id)))
            // recording a to-do is refused; recording needs the visit
            let todo = try await w.tasks.create(w.rep, draft("写纪要", due: hours(3)))
            await #expect(throws: DomainError.self) { try await w.tasks.recordVisit(w.rep, id: todo.id, VisitReport(outcome: "x"), ifVersion: nil) }
            w.clock.advance(days: 2)
            let check = try CheckIn.parse(latitude: "22.543096", longitude: "114.057865", accuracy: "8")
            let done = try await w.tasks.recordVisit(w.rep, id: plan.id, VisitReport(outcome: "演示顺利，客户要报价 ✅", nextStep: "发报价单",
                                                                                  nextDueAt: hours(72), checkIn: check), ifVersion: plan.version)
            #expect(done.status == .done && done.checkIn == check && done.outcome == "演示顺利，客户要报价 ✅" && done.nextStep == "发报价单")
            // the check-in reads back exactly
            let again = try await w.tasks.get(w.rep, id: plan.id)
            #expect(again.checkIn?.latitude == "22.543096" && again.checkIn?.longitude == "114.057865" && again.checkIn?.accuracyMetres == 8)
            // the follow-up task exists, for the same customer and owner
            let next = try await w.tasks.get(w.rep, id: try #require(done.nextTaskID))
            #expect(next.title == "发报价单" && next.subjectID == c.id && next.ownerID == w.rep.userID && next.dueAt == hours(72))
            // the visit is on the customer's timeline as a visit, and the deal is no longer idle
            let tl = try await stores(db).timeline.list(w.rep, customerID: c.id, cursor: nil, limit: 20).items
            let entry = try #require(tl.first { $0.kind == .interaction })
            #expect(entry.channel == .visit && entry.body == "演示顺利，客户要报价 ✅" && entry.data?["task_id"] == .string(plan.id)
                    && entry.data?["latitude"] == .string("22.543096"))
            #expect(try await stores(db).deals.get(w.rep, id: deal.id).lastActivityAt == w.clock.now())
            // recording twice is refused
            await #expect(throws: DomainError.conflict("the task is already done")) {
                try await w.tasks.recordVisit(w.rep, id: plan.id, VisitReport(), ifVersion: nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func aVisitToALeadAnswersItsFirstResponseDeadline(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let lead = try await w.leads.create(w.rep, { var d = LeadDraft(); d.name = "展会线索"; return d }())
            let plan = try await w.tasks.create(w.rep, draft("拜访展会线索", due: hours(1), kind: .visit, subject: (.lead, lead.id)))
            // completing a visit records it too (no notes)
            _ = try await w.tasks.setStatus(w.rep, id: plan.id, to: .done, ifVersion: nil)
            let l = try await w.leads.get(w.rep, id: lead.id)
            #expect(l.status == .contacted && l.respondedAt == Self.start)
            let tl = try await w.leads.timeline(w.rep, leadID: lead.id, cursor: nil).items
            #expect(tl.contains { $0.kind == .interaction && $0.channel == .visit && $0.subject == "拜访展会线索" })
        }
    }

    @Test(arguments: Backend.all)
    func theWeeklySummaryCountsPlannedAndDoneVisitsWithinReach(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let c = try await customer(w, w.owner, "共享客户")
            func visit(_ s: Scope, _ at: Date, record: Bool = false, cancel: Bool = false) async throws {
                let t = try await w.tasks.create(w.owner, draft("拜访", due: at, kind: .visit, subject: (.customer, c.id), owner: s.userID))
                if record { _ = try await w.tasks.recordVisit(w.owner, id: t.id, VisitReport(outcome: "ok"), ifVersion: nil) }
                if cancel { _ = try await w.tasks.setStatus(w.owner, id: t.id, to: .cancelled, ifVersion: nil) }
            }
            // rep: 3 planned this week (2 recorded), 1 cancelled, 1 next week; mate: 1 planned; rival: 2 recorded
            try await visit(w.rep, hours(-40), record: true)             // Monday
            try await visit(w.rep, hours(2), record: true)
            try await visit(w.rep, hours(30))
            try await visit(w.rep, hours(10), cancel: true)
            try await visit(w.rep, hours(24 * 6))                         // next Tuesday
            try await visit(w.mate, hours(50))
            try await visit(w.rival, hours(1), record: true)
            try await visit(w.rival, hours(3), record: true)
            // a to-do is not a visit
            _ = try await w.tasks.create(w.rep, draft("不是拜访", due: hours(1)))
            let all = try await w.tasks.visitSummary(w.owner, week: "2026-W48")
            #expect(all.week == "2026-W48")
            let rows = Dictionary(uniqueKeysWithValues: all.rows.map { ($0.ownerID ?? "", ($0.planned, $0.done)) })
            #expect(rows[w.rep.userID!]! == (3, 2) && rows[w.mate.userID!]! == (1, 0) && rows[w.rival.userID!]! == (2, 2) && rows.count == 3)
            // a rep sees only their own row, the manager their team's
            #expect(try await w.tasks.visitSummary(w.rep, week: "2026-w48").rows == [VisitSummaryRow(ownerID: w.rep.userID, planned: 3, done: 2)])
            #expect(Set(try await w.tasks.visitSummary(w.manager, week: "2026-W48").rows.compactMap(\.ownerID)) == [w.rep.userID!, w.mate.userID!])
            // the default is this week; next week has the rep's one plan
            #expect(try await w.tasks.visitSummary(w.rep, week: nil).week == "2026-W48")
            #expect(try await w.tasks.visitSummary(w.rep, week: "2026-W49").rows.map(\.planned) == [1])
            for bad in ["2026-W54", "2026-48", "W48", "2025-W53"] {
                await #expect(throws: DomainError.self) { try await w.tasks.visitSummary(w.rep, week: bad) }
            }
        }
    }

    @Test(arguments: Backend.all)
    func handoverMovesOnlyOpenTasks(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let open = try await w.tasks.create(w.mate, draft("未完成", due: hours(1)))
            let finished = try await w.tasks.create(w.mate, draft("已完成", due: hours(1)))
            _ = try await w.tasks.setStatus(w.mate, id: finished.id, to: .done, ifVersion: nil)
            let r = try await stores(db, w.clock).access.handover(owner, from: w.mate.userID!, to: .users([w.rep.userID!]), deactivate: true)
            #expect(r.moved["tasks"] == 1)
            #expect(try await w.tasks.get(owner, id: open.id).ownerID == w.rep.userID)
            #expect(try await w.tasks.get(owner, id: finished.id).ownerID == w.mate.userID)
        }
    }

    // MARK: Lead import

    @Test(arguments: Backend.all)
    func leadImportReportsBadLinesKeepsGoodOnesAndCapturesThemLikeTheAPI(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            // round-robin over the two reps
            let team = try await stores(db).access.saveTeam(owner, name: "两人组", kind: "sales", parentID: nil, managerID: nil,
                                                              memberIDs: [w.rep.userID!, w.mate.userID!])
            _ = try await stores(db).assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "轮流", position: 1, method: .roundRobin,
                                                                                 teamID: team.id, responseMinutes: 60))
            // an existing customer and an earlier lead share contact details with rows below
            var cd = CustomerDraft(); cd.kind = .person; cd.name = "老客户"; cd.phones = ["13900000001"]
            _ = try await w.customers.create(owner, cd)
            _ = try await w.leads.create(owner, { var d = LeadDraft(); d.name = "早先线索"; d.email = "old@example.com"; return d }())
            let csv = """
            姓名,手机,邮箱,公司,省份,城市,意向产品,来源,活动,utm_source
            张三,13800000001,,甲公司,广东,深圳,ERP,展会,秋季展,baidu
            李四,12,,乙公司,,,,,,
            王五,13900000001,,,,,,,,
            赵六,,old@example.com,,,,,,,
            ,,,丙公司,,,,,,
            钱七 🚀,13700000007,"q7@example.com",<script>x</script>,,,CRM,官网,,wechat
            孙八,13600000008,not-an-email,,,,,,,

            """
            let importer = w.stores.leadImporter
            // a dry run reports the same and writes nothing
            let dry = try await importer.run(owner, data: Data(csv.utf8), dryRun: true)
            #expect(dry.dryRun && dry.created == 4 && dry.rejected == 3)
            #expect(try await w.leads.list(owner, filter: LeadFilter(), cursor: nil).items.count == 1)
            let r = try await importer.run(owner, data: Data(csv.utf8))
            #expect(r.total == 7 && r.created == 4 && r.rejected == 3 && r.duplicates == 2 && r.assigned == 4 && r.encoding == "utf8")
            #expect(r.mapping["意向产品"] == "product_interest" && r.mapping["utm_source"] == "utm_source" && r.mapping["来源"] == "source")
            // per-line errors name the line and the column as the file calls it
            #expect(r.errors.map { "\($0.line):\($0.column ?? "")" } == ["3:手机", "6:姓名", "8:邮箱"])
            let leads = try await w.leads.list(owner, filter: LeadFilter(), cursor: nil, limit: 10).items
            let byName = Dictionary(uniqueKeysWithValues: leads.map { ($0.name, $0) })
            let zhang = try #require(byName["张三"])
            #expect(zhang.channel == .import && zhang.productInterest == "ERP" && zhang.campaign == "秋季展" && zhang.utm["utm_source"] == "baidu"
                    && zhang.phone == "+8613800000001" && zhang.responseDueAt != nil)
            #expect(byName["王五"]?.duplicateOfCustomerID != nil && byName["赵六"]?.duplicateOfLeadID != nil)
            #expect(byName["钱七 🚀"]?.company == "<script>x</script>")
            // the rule spread them over both reps, in turn
            let owners = Dictionary(grouping: leads.filter { $0.channel == .import }, by: { $0.ownerID ?? "" }).mapValues(\.count)
            #expect(owners == [w.rep.userID!: 2, w.mate.userID!: 2])
            // and the run is audited with its file's hash, each lead too
            let n = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object = 'leads' AND action IN ('create', 'import')").first()!.decode(column: "n", as: Int.self)
            }
            #expect(n == 1 + 4 + 1)
        }
    }

    @Test(arguments: Backend.all)
    func leadImportReadsGB18030AndEnglishHeaders(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let w = try await world(db, owner)
            let importer = w.stores.leadImporter
            let gb = try #require(TextDecoding.encodeGB18030("姓名,电话,微信,省份\r\n陈小春,13511112222,chenxc,广东\r\n"))
            let r = try await importer.run(w.rep, data: gb)
            #expect(r.encoding == "gb18030" && r.created == 1 && r.errors.isEmpty)
            let l = try #require(try await w.leads.list(w.rep, filter: LeadFilter(), cursor: nil).items.first)
            #expect(l.name == "陈小春" && l.wechat == "chenxc" && l.province == "广东" && l.ownerID == w.rep.userID)
            let bom = Data([0xEF, 0xBB, 0xBF]) + Data("Name,Mobile,Company,Product Interest,Campaign,UTM_Campaign\nAlice,+1 415 555 0100,Acme,CRM,spring,launch\n".utf8)
            let e = try await importer.run(w.rep, data: bom)
            #expect(e.created == 1 && e.mapping["Product Interest"] == "product_interest" && e.mapping["UTM_Campaign"] == "utm_campaign")
            // a file without any name, phone or email column is refused as a whole
            await #expect(throws: DomainError.self) { try await importer.run(w.rep, data: Data("foo,bar\n1,2\n".utf8)) }
            // a role without leads.create may not import
            let viewer = Scope(workspaceID: owner.workspaceID, userID: w.rep.userID, role: .readOnly)
            await #expect(throws: DomainError.self) { try await importer.run(viewer, data: gb) }
        }
    }
}
