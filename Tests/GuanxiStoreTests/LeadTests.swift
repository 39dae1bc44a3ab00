import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Leads: rules, fairness, deadlines, follow-up, conversion, forms and webhooks, on SQLite and PostgreSQL")
struct LeadTests {
    struct Team { var owner: Scope; var reps: [Scope]; var manager: Scope; var teamID: String }

    /// A sales team of `size` reps and their manager.
    func team(_ db: Database, _ owner: Scope, size: Int, clock: any GuanxiCore.Clock) async throws -> Team {
        let access = stores(db, clock).access
        var reps: [Scope] = []
        var ids: [String] = []
        for i in 0..<size {
            let id = try await access.createUser(email: "rep\(i)@leads.example", password: "password-lead", name: "销售\(i)", role: .salesRep,
                                                 workspaceID: owner.workspaceID).id
            ids.append(id)
        }
        let m = try await access.createUser(email: "boss@leads.example", password: "password-lead", name: "经理", role: .salesManager,
                                            workspaceID: owner.workspaceID).id
        let t = try await access.saveTeam(owner, name: "电销组", kind: "sales", parentID: nil, managerID: m, memberIDs: ids + [m])
        for id in ids { reps.append(try #require(try await access.scope(userID: id, workspaceID: owner.workspaceID))) }
        let manager = try #require(try await access.scope(userID: m, workspaceID: owner.workspaceID))
        return Team(owner: owner, reps: reps, manager: manager, teamID: t.id)
    }

    func draft(_ name: String, source: String? = nil, province: String? = nil, product: String? = nil, phone: String? = nil,
               email: String? = nil, company: String? = nil) -> LeadDraft {
        var d = LeadDraft(); d.name = name; d.source = source; d.province = province; d.productInterest = product
        d.phone = phone; d.email = email; d.company = company
        return d
    }

    @Test(arguments: Backend.all)
    func roundRobinSpreadsAThousandLeadsOverSevenRepsWithinOne(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = SystemClock()
            let t = try await team(db, owner, size: 7, clock: clock)
            let s = stores(db, clock), rules = s.assignmentRules, leads = s.leads
            // the manager is in the team too, so round-robin goes over 8 people; a rule for reps only uses a reps-only team
            let access = s.access
            let repsTeam = try await access.saveTeam(owner, name: "只含销售", kind: "sales", parentID: nil, managerID: nil,
                                                     memberIDs: t.reps.compactMap(\.userID))
            _ = try await rules.save(owner, AssignmentRule(id: ID.make(), name: "轮流", position: 1, method: .roundRobin, teamID: repsTeam.id))
            for i in 0..<1000 { _ = try await leads.create(owner, draft("客户\(i)")) }
            let counts = try await db.read { sql in
                try await sql.raw("SELECT owner_id, COUNT(*) AS n FROM leads GROUP BY owner_id").all()
                    .map { (try $0.decode(column: "owner_id", as: String?.self), try $0.decode(column: "n", as: Int.self)) }
            }
            #expect(counts.count == 7 && counts.allSatisfy { $0.0 != nil })
            let ns = counts.map(\.1)
            #expect(ns.max()! - ns.min()! <= 1 && ns.reduce(0, +) == 1000, "\(ns)")
        }
    }

    @Test(arguments: Backend.all)
    func duplicateKeysAreFoundThroughIndexesThatHoldOnlyPresentKeys(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            // given leads with and without email and WeChat ID
            let leads = stores(db).leads
            var withWeChat = draft("微信客户"); withWeChat.wechat = "wx_关系_01"
            let first = try await leads.create(owner, withWeChat)
            let mailed = try await leads.create(owner, draft("邮件客户", email: "li@example.com"))
            for i in 0..<20 { _ = try await leads.create(owner, draft("电话客户\(i)", phone: "1390000\(1000 + i)")) }
            // when the same email and WeChat ID arrive again, they are found
            #expect(try await leads.create(owner, draft("再来", email: "LI@example.com")).duplicateOfLeadID == mailed.id)
            var again = draft("又来"); again.wechat = "wx_关系_01"
            #expect(try await leads.create(owner, again).duplicateOfLeadID == first.id)
            // and the key indexes are partial: they hold only leads that have the key (NULLs were an entry per capture)
            let partial = try await db.read { sql in
                try await sql.raw(db.dialect == .sqlite
                    ? "SELECT name, partial FROM pragma_index_list('leads') WHERE name IN ('leads_phone', 'leads_email', 'leads_wechat') ORDER BY name"
                    : "SELECT c.relname AS name, CASE WHEN i.indpred IS NULL THEN 0 ELSE 1 END AS partial FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('leads_phone', 'leads_email', 'leads_wechat') ORDER BY c.relname")
                    .all().map { "\(try $0.decode(column: "name", as: String.self))=\(try $0.decode(column: "partial", as: Int.self))" }
            }
            #expect(partial == ["leads_email=1", "leads_phone=1", "leads_wechat=1"])
            if db.dialect == .sqlite {
                let plan = try await db.read { sql in
                    try await sql.raw("EXPLAIN QUERY PLAN SELECT id FROM leads WHERE workspace_id = \(bind: owner.workspaceID) AND email IN (\(binds: ["a@example.com", "b@example.com"]))")
                        .all().map { try $0.decode(column: "detail", as: String.self) }
                }
                #expect(plan.contains { $0.contains("USING INDEX leads_email") }, "\(plan)")
            }
        }
    }

    @Test(arguments: Backend.all)
    func aBatchIsPlacedLikeSingleLeadsAndReportsEachFailureInPlace(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let t = try await team(db, owner, size: 3, clock: SystemClock())
            let repsTeam = try await stores(db).access.saveTeam(owner, name: "三人组", kind: "sales", parentID: nil, managerID: nil,
                                                                  memberIDs: t.reps.compactMap(\.userID))
            _ = try await stores(db).assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "轮流", position: 1, method: .roundRobin,
                                                                                 teamID: repsTeam.id, responseMinutes: 30))
            let leads = stores(db).leads
            let before = try await leads.create(owner, draft("单条", phone: "13900001111"))
            var drafts = (0..<30).map { draft("批量 😀 \($0)", source: "抖音", phone: "1390000" + String(format: "%04d", 2000 + $0)) }
            drafts[3] = draft("", phone: "not a phone")                              // invalid: reported, the rest land
            drafts[7] = draft("重复", phone: "13900001111")                           // same phone as an earlier lead
            drafts[9] = draft("批内重复", phone: "1390000" + String(format: "%04d", 2008))  // same phone as drafts[8]
            drafts[12] = draft("<script>alert(1)</script>'; DROP TABLE leads;--")
            let results = try await leads.createMany(owner, drafts)
            #expect(results.count == 30)
            guard case .failure(.validation(let f)) = results[3] else { Issue.record("\(results[3])"); return }
            #expect(f["phone"] != nil)
            let made = results.compactMap { try? $0.get() }
            #expect(made.count == 29 && made.allSatisfy { $0.ownerID != nil && $0.responseDueAt != nil })
            #expect(try results[7].get().duplicateOfLeadID == before.id)
            #expect(try results[9].get().duplicateOfLeadID == results[8].get().id)
            #expect(try results[12].get().name == "<script>alert(1)</script>'; DROP TABLE leads;--")
            // the batch continues the rule's turn: 30 leads over 3 reps, within one
            let counts = Dictionary(grouping: made + [before], by: { $0.ownerID! }).mapValues(\.count)
            #expect(counts.count == 3 && counts.values.max()! - counts.values.min()! <= 1, "\(counts)")
            #expect(try await AuditLog(db: db).verify(workspaceID: owner.workspaceID).allSatisfy(\.ok))
            // a rep may not hand a batch's lead to someone else; a viewer may not capture at all
            var handed = draft("给别人"); handed.ownerID = t.reps[1].userID
            let rep = try await leads.createMany(t.reps[0], [handed, draft("自己的")])
            guard case .failure(.forbidden) = rep[0] else { Issue.record("\(rep[0])"); return }
            #expect(try rep[1].get().ownerID != nil)
            await #expect(throws: DomainError.self) { _ = try await leads.createMany(owner, Array(repeating: draft("x"), count: LeadStore.maxBatch + 1)) }
        }
    }

    @Test(arguments: Backend.all)
    func leadsCapturedAtOnceAreWrittenTogetherStillFairAndFlagEachOther(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let t = try await team(db, owner, size: 5, clock: SystemClock())
            let access = stores(db).access
            let repsTeam = try await access.saveTeam(owner, name: "五人组", kind: "sales", parentID: nil, managerID: nil, memberIDs: t.reps.compactMap(\.userID))
            _ = try await stores(db).assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "轮流", position: 1, method: .roundRobin,
                                                                                 teamID: repsTeam.id, responseMinutes: 10))
            let leads = stores(db).leads
            // 300 leads at once, every tenth sharing a phone with the one before it
            let made = try await withThrowingTaskGroup(of: Lead.self) { group in
                for i in 0..<300 {
                    let shared = i % 10 == 0 && i > 0 ? i - 1 : i
                    group.addTask { try await leads.create(owner, self.draft("并发\(i)", phone: "1390000" + String(format: "%04d", shared))) }
                }
                var out: [Lead] = []
                for try await l in group { out.append(l) }
                return out
            }
            #expect(made.count == 300 && made.allSatisfy { $0.ownerID != nil && $0.responseDueAt != nil })
            let counts = Dictionary(grouping: made, by: { $0.ownerID! }).mapValues(\.count)
            #expect(counts.count == 5 && counts.values.max()! - counts.values.min()! <= 1, "\(counts)")
            // each phone used twice: exactly one of the two is flagged as the other's duplicate
            let byPhone = Dictionary(grouping: made, by: { $0.phone! })
            for (_, pair) in byPhone where pair.count == 2 {
                #expect(pair.filter { $0.duplicateOfLeadID != nil }.count == 1)
            }
            // every lead has its history and an audit entry
            let audited = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object = 'leads' AND action = 'create'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 300)
            #expect(try await AuditLog(db: db).verify(workspaceID: owner.workspaceID).allSatisfy(\.ok))
        }
    }

    @Test(arguments: Backend.all)
    func theFirstMatchingRuleDecidesAndLeastLoadedFillsTheEmptiestDesk(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let t = try await team(db, owner, size: 3, clock: SystemClock())
            let rules = stores(db).assignmentRules, leads = stores(db).leads
            let special = t.reps[2].userID!
            _ = try await rules.save(owner, AssignmentRule(id: ID.make(), name: "抖音广东", position: 1,
                                                           conditions: LeadConditions(sources: ["抖音"], provinces: ["广东"]), method: .user, userID: special))
            _ = try await rules.save(owner, AssignmentRule(id: ID.make(), name: "茶叶进公海", position: 2,
                                                           conditions: LeadConditions(products: ["茶"]), method: .pool))
            _ = try await rules.save(owner, AssignmentRule(id: ID.make(), name: "其余最空闲", position: 3, method: .leastLoaded, teamID: t.teamID))
            // conditions ignore case, width and spaces; the first rule wins
            let a = try await leads.create(owner, draft("甲", source: "抖音", province: " 广东 "))
            #expect(a.ownerID == special && a.ruleID != nil)
            let b = try await leads.create(owner, draft("乙", source: "抖音", product: "明前龙井茶"))
            #expect(b.ownerID == nil)
            // least loaded: the special rep already has one, the manager none yet, so the next four go to the others first
            var owners: [String?] = []
            for i in 0..<4 { owners.append(try await leads.create(owner, draft("丙\(i)")).ownerID) }
            #expect(!owners.prefix(3).contains(special))
            #expect(Set(owners.compactMap { $0 }).count >= 3)
        }
    }

    @Test(arguments: Backend.all)
    func anUnansweredLeadIsOverdueAfterItsRulesDeadlineUntilSomeoneCalls(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_760_000_000))
            let t = try await team(db, owner, size: 1, clock: clock)
            let leads = stores(db, clock).leads
            _ = try await stores(db).assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "30分钟响应", position: 1, method: .user,
                                                                                 userID: t.reps[0].userID, responseMinutes: 30))
            let l = try await leads.create(owner, draft("王小明", phone: "13812345678"))
            #expect(l.responseDueAt == clock.now().addingTimeInterval(1800))
            var overdue = LeadFilter(); overdue.overdue = true
            #expect(try await leads.list(t.reps[0], filter: overdue, cursor: nil).items.isEmpty)
            clock.advance(days: 31.0 / 1440)
            #expect(try await leads.list(t.reps[0], filter: overdue, cursor: nil).items.map(\.id) == [l.id])
            #expect(try await leads.get(t.reps[0], id: l.id).isOverdue(at: clock.now()))
            // a logged call answers it and makes the lead contacted
            _ = try await leads.addActivity(t.reps[0], leadID: l.id, ActivityDraft(kind: .call, direction: .outbound, subject: "首次电话"), isNote: false)
            #expect(try await leads.list(t.reps[0], filter: overdue, cursor: nil).items.isEmpty)
            let after = try await leads.get(t.reps[0], id: l.id)
            #expect(after.status == .contacted && after.respondedAt == clock.now())
        }
    }

    @Test(arguments: Backend.all)
    func statusMovesFollowTheirPathsAndSayWhyNot(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let leads = stores(db).leads
            let l = try await leads.create(owner, draft("李雷"))
            await #expect(throws: DomainError.field("reason", "say why the lead is disqualified")) {
                try await leads.setStatus(owner, id: l.id, to: .disqualified, reason: " ", ifVersion: nil)
            }
            await #expect(throws: DomainError.field("status", "use conversion to turn a lead into a customer")) {
                try await leads.setStatus(owner, id: l.id, to: .converted, reason: nil, ifVersion: nil)
            }
            let q = try await leads.setStatus(owner, id: l.id, to: .qualified, reason: nil, ifVersion: l.version)
            await #expect(throws: DomainError.staleVersion(current: q.version)) {
                try await leads.setStatus(owner, id: l.id, to: .contacted, reason: nil, ifVersion: l.version)
            }
            let d = try await leads.setStatus(owner, id: l.id, to: .disqualified, reason: "预算不足 💸", ifVersion: nil)
            #expect(d.disqualifyReason == "预算不足 💸")
            await #expect(throws: DomainError.conflict("a disqualified lead cannot become qualified")) {
                try await leads.setStatus(owner, id: l.id, to: .qualified, reason: nil, ifVersion: nil)
            }
            await #expect(throws: DomainError.conflict("a disqualified lead cannot be converted; reopen it first")) {
                try await leads.convert(owner, id: l.id, LeadConversion())
            }
            // every move is on the lead's history
            let kinds = try await leads.timeline(owner, leadID: l.id, cursor: nil).items.map(\.kind)
            #expect(kinds.filter { $0 == .statusChanged }.count == 2)
        }
    }

    @Test(arguments: Backend.all)
    func conversionMakesACustomerAndOrganisationAndKeepsTheLeadsHistory(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let t = try await team(db, owner, size: 1, clock: SystemClock())
            let rep = t.reps[0]
            let s = stores(db), leads = s.leads, customers = s.customers, timeline = s.timeline
            var d = draft("韩梅梅", phone: "139 1234 5678", email: "HMM@Example.com", company: "星巴克（中国）")
            d.utm = ["utm_source": "baidu", "utm_campaign": "双十一"]
            let l = try await leads.create(rep, d)
            #expect(l.ownerID == rep.userID)   // a rep owns what no rule placed
            _ = try await leads.addActivity(rep, leadID: l.id, ActivityDraft(kind: .visit, direction: .outbound, subject: "上门拜访"), isNote: false)
            _ = try await leads.addActivity(rep, leadID: l.id, ActivityDraft(body: "喜欢拿铁"), isNote: true)
            let r = try await leads.convert(rep, id: l.id, LeadConversion())
            #expect(r.lead.status == .converted && r.lead.convertedCustomerID == r.customer.id)
            #expect(r.customer.phones == ["+8613912345678"] && r.customer.emails == ["hmm@example.com"] && r.customer.stage == .lead)
            #expect(r.customer.organizationID == r.organization?.id && r.organization?.name == "星巴克（中国）")
            #expect(r.customer.ownerID == rep.userID)
            let entries = try await timeline.list(rep, customerID: r.customer.id, cursor: nil, limit: 50).items
            #expect(entries.contains { $0.subject == "上门拜访" } && entries.contains { $0.body == "喜欢拿铁" })
            let converted = try #require(entries.first { $0.kind == .converted })
            #expect(converted.data?["utm_campaign"]?.stringValue == "双十一" && converted.data?["lead_id"]?.stringValue == l.id)
            // a second lead from the same company reuses the organisation; one already converted cannot be again
            let l2 = try await leads.create(rep, draft("李华", company: "星巴克（中国）"))
            let r2 = try await leads.convert(rep, id: l2.id, LeadConversion())
            #expect(r2.organization?.id == r.organization?.id)
            await #expect(throws: DomainError.conflict("this lead was already converted")) { try await leads.convert(rep, id: l.id, LeadConversion()) }
            // a lead whose phone is already a customer's is flagged, refuses to become a second customer (撞单), and can join the first
            let dup = try await leads.create(rep, draft("韩梅梅（重复）", phone: "+86 139-1234-5678"))
            #expect(dup.duplicateOfCustomerID == r.customer.id && dup.duplicateOfLeadID == l.id)
            await #expect(throws: DomainError.self) { try await leads.convert(rep, id: dup.id, LeadConversion()) }
            let joined = try await leads.convert(rep, id: dup.id, LeadConversion(customerID: r.customer.id))
            #expect(joined.customer.id == r.customer.id)
            #expect(try await customers.get(rep, id: r.customer.id).name == "韩梅梅")
        }
    }

    @Test(arguments: Backend.all)
    func onlyThoseWhoMayAssignTransferLeadsAndAReasonIsRequired(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let t = try await team(db, owner, size: 2, clock: SystemClock())
            let leads = stores(db).leads
            let l = try await leads.create(t.reps[0], draft("周杰"))
            await #expect(throws: DomainError.forbidden("your role may not assign leads")) {
                try await leads.transfer(t.reps[0], id: l.id, to: t.reps[1].userID, reason: "休假")
            }
            await #expect(throws: DomainError.field("reason", "is required")) {
                try await leads.transfer(t.manager, id: l.id, to: t.reps[1].userID, reason: "")
            }
            let moved = try await leads.transfer(t.manager, id: l.id, to: t.reps[1].userID, reason: "休假交接")
            #expect(moved.ownerID == t.reps[1].userID)
            // the first rep no longer sees it; the move and its reason are on the history
            await #expect(throws: DomainError.notFound("lead")) { try await leads.get(t.reps[0], id: l.id) }
            let last = try await leads.timeline(t.manager, leadID: l.id, cursor: nil).items.first
            #expect(last?.kind == .ownerChanged && last?.data?["reason"]?.stringValue == "休假交接")
            // and handing over a departing rep moves their leads
            let r = try await stores(db).access.handover(owner, from: t.reps[1].userID!, to: .users([t.reps[0].userID!]), deactivate: true)
            #expect(r.moved["leads"] == 1)
            #expect(try await leads.get(t.reps[0], id: l.id).ownerID == t.reps[0].userID)
        }
    }

    @Test(arguments: Backend.all)
    func signedWebhooksAreCheckedForSignatureAgeAndReplay(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_760_000_000))
            let s = stores(db, clock), leads = s.leads, sources = s.leadSources
            let hook = try await sources.create(owner, kind: .webhook, name: "巨量引擎",
                                                mapping: ["name": "data.contact.name", "phone": "data.contact.tel", "utm_campaign": "ad.campaign_name",
                                                          "message": "answers[1].value"],
                                                sourceLabel: "抖音", campaign: nil)
            let secret = try #require(hook.secret)
            let body = Array(#"{"data":{"contact":{"name":"张无忌","tel":13700001111}},"ad":{"campaign_name":"618 大促"},"answers":[{"value":"x"},{"value":"想要报价 🙏"}]}"#.utf8)
            let sig = LeadSourceStore.sign(body: body, secret: secret, at: clock.now())
            let l = try await sources.receiveWebhook(publicKey: hook.publicKey, signature: sig, body: body)
            let got = try await leads.get(owner, id: l.id)
            #expect(got.name == "张无忌" && got.phone == "+8613700001111" && got.source == "抖音" && got.channel == .webhook)
            #expect(got.utm["utm_campaign"] == "618 大促" && got.message == "想要报价 🙏")
            // the same delivery again is a replay
            await #expect(throws: DomainError.conflict("this delivery was already received (replayed signature)")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: sig, body: body)
            }
            // a changed body, a wrong secret, no signature, or an old one are refused
            var tampered = body; tampered[tampered.count - 3] = UInt8(ascii: "X")
            await #expect(throws: DomainError.unauthorized("the signature does not match")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: sig, body: tampered)
            }
            await #expect(throws: DomainError.unauthorized("the signature does not match")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: LeadSourceStore.sign(body: body, secret: "whsec_wrong", at: clock.now()), body: body)
            }
            await #expect(throws: DomainError.unauthorized("the request is not signed (X-Guanxi-Signature)")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: nil, body: body)
            }
            let old = LeadSourceStore.sign(body: Array(#"{"name":"旧"}"#.utf8), secret: secret, at: clock.now().addingTimeInterval(-301))
            await #expect(throws: DomainError.unauthorized("the signature is too old or from the future; check the sender's clock")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: old, body: Array(#"{"name":"旧"}"#.utf8))
            }
            // the list never shows the secret; a switched-off source is gone
            #expect(try await sources.list(owner).allSatisfy { $0.secret == nil })
            try await sources.disable(owner, id: hook.id)
            await #expect(throws: DomainError.notFound("form")) {
                try await sources.receiveWebhook(publicKey: hook.publicKey, signature: sig, body: body)
            }
            // a mapping naming an unknown field or a malformed path is refused
            await #expect(throws: DomainError.self) {
                try await sources.create(owner, kind: .webhook, name: "坏映射", mapping: ["salary": "a.b", "name": "a..b"], sourceLabel: nil, campaign: nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func publicFormsCatchBotsAndLimitEachAddress(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let sources = stores(db).leadSources
            let form = try await sources.create(owner, kind: .form, name: "官网咨询", sourceLabel: "官网", campaign: "春季")
            #expect(form.secret == nil)
            // a honeypot filled in: thanked, nothing kept
            #expect(try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "bot", "website": "http://spam"], address: "10.0.0.1").lead == nil)
            let l = try #require(try await sources.submitForm(publicKey: form.publicKey,
                                                              fields: ["name": "<b>欧阳娜娜</b>", "phone": "13600002222", "utm_source": "wechat"], address: "10.0.0.1").lead)
            #expect(l.name == "<b>欧阳娜娜</b>" && l.source == "官网" && l.campaign == "春季" && l.utm["utm_source"] == "wechat" && l.channel == .form)
            // bad input is a field error and keeps nothing
            await #expect(throws: DomainError.validation(["phone": "'12' is not a valid phone number"])) {
                try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "甲", "phone": "12"], address: "10.0.0.2")
            }
            // the 21st post from one address in ten minutes is refused; another address is not
            for i in 0..<(LeadSourceStore.formLimit - 2) {   // with the bot's and the first post: 20
                _ = try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "访客\(i)"], address: "10.0.0.1")
            }
            await #expect(throws: DomainError.tooManyAttempts("too many submissions from this address; try again later")) {
                try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "再来"], address: "10.0.0.1")
            }
            #expect(try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "别人"], address: "10.0.0.3").lead != nil)
            // wrong key, or a webhook key used as a form: not found
            await #expect(throws: DomainError.notFound("form")) { try await sources.submitForm(publicKey: "nope", fields: ["name": "x"], address: "1") }
        }
    }

    @Test(arguments: Backend.all)
    func anotherWorkspaceNeverSeesALead(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let access = stores(db).access
            let other = try await access.createWorkspace(name: "别家", slug: "other-leads")
            let ownerB = Scope(workspaceID: other.id, userID: nil, role: .owner)
            let leads = stores(db).leads
            let l = try await leads.create(owner, draft("机密线索", phone: "13512345678"))
            await #expect(throws: DomainError.notFound("lead")) { try await leads.get(ownerB, id: l.id) }
            #expect(try await leads.list(ownerB, filter: LeadFilter(), cursor: nil).items.isEmpty)
            // and a lead in B with the same phone is not flagged as A's duplicate
            #expect(try await leads.create(ownerB, draft("同号", phone: "13512345678")).duplicateOfLeadID == nil)
        }
    }
}

@Suite("Lead rules, pure")
struct LeadRuleTests {
    @Test func statusPathsAreExactlyTheTable() throws {
        for from in LeadStatus.allCases {
            for to in LeadStatus.allCases where to != from {
                let legal = LeadStatus.moves[from]!.contains(to)
                let ok = (try? from.check(to: to, reason: "理由")) != nil
                #expect(ok == legal, "\(from) → \(to)")
            }
        }
    }

    @Test func jsonPathsParseAndRead() throws {
        #expect(JSONPath.parse("data.contact.phone") == [.key("data"), .key("contact"), .key("phone")])
        #expect(JSONPath.parse("answers[2].value") == [.key("answers"), .index(2), .key("value")])
        #expect(JSONPath.parse("a..b") == nil && JSONPath.parse("") == nil && JSONPath.parse("a[x]") == nil && JSONPath.parse("a[-1]") == nil)
        let v = try JSONParser.parse(#"{"a":[{"b":"中"}]}"#)
        #expect(JSONPath.value(v, JSONPath.parse("a[0].b")!) == .string("中"))
        #expect(JSONPath.value(v, JSONPath.parse("a[5].b")!) == nil)
    }

    @Test func conditionsMayNameOnlyWhatTheyUse() throws {
        let c = try JSONDecoder().decode(LeadConditions.self, from: Data(#"{"sources":["抖音"]}"#.utf8))
        #expect(c == LeadConditions(sources: ["抖音"]))
        #expect(try JSONDecoder().decode(LeadConditions.self, from: Data("{}".utf8)) == LeadConditions())
        // the stored form read without Foundation's decoder gives the same conditions
        let full = LeadConditions(sources: ["抖音", "Baidu"], provinces: ["广东"], cities: ["深圳"], products: ["企业版"], tiers: ["VIP"])
        #expect(LeadConditions(json: try JSONParser.parse(JSONCoding.encode(full))) == full)
        #expect(LeadConditions(json: try JSONParser.parse(#"{"sources":["抖音"]}"#)) == c)
        #expect(LeadConditions(json: .null) == LeadConditions())
    }

    @Test func matchingFoldsWidthCaseAndSpaceOnBothSides() throws {
        // given a rule written with full-width and mixed-case values
        let rule = AssignmentRule(id: "r", name: "r", position: 1, conditions: LeadConditions(sources: ["ＷｅｂＦｏｒｍ "], products: ["企业"]), method: .pool)
        var d = LeadDraft(); d.name = "王芳"; d.phone = "13812345678"; d.source = "webform"; d.productInterest = "企业版 年付"
        let lead = try LeadValidator.make(d, id: ID.make(), channel: .api, now: Date())
        var other = lead; other.source = "抖音"
        // then one rule evaluation per lead matches exactly as the single-lead form does
        #expect(Assigner.rules(for: [lead, other], in: [rule]).map { $0?.id } == ["r", nil])
        #expect(Assigner.rule(for: lead, in: [rule])?.id == "r")
    }

    @Test func roundRobinAndLeastLoadedChooseAsDocumented() {
        let m = ["c", "a", "b"]
        #expect((0..<6).map { Assigner.roundRobin(members: m, turn: Int64($0))! } == ["a", "b", "c", "a", "b", "c"])
        #expect(Assigner.roundRobin(members: [], turn: 0) == nil)
        #expect(Assigner.leastLoaded(members: m, load: ["a": 2, "b": 1, "c": 1]) == "b")
    }
}

@Suite("Web-form double opt-in: refused without outgoing mail, nothing kept when the mail cannot go")
struct DoubleOptInTests {
    @Test func theMessageIsPlainUTF8WithAnEncodedSubject() throws {
        let m = SMTPMailer.compose(from: "crm@example.com", to: "lin@example.com", subject: "请确认 ✅", body: "链接：http://x/f/k/confirm/t",
                                   date: Date(timeIntervalSince1970: 0))
        #expect(m.contains("Subject: =?UTF-8?B?" + Data("请确认 ✅".utf8).base64EncodedString() + "?=\r\n"))
        #expect(m.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n") && m.contains("Content-Transfer-Encoding: base64\r\n"))
        let body = m.components(separatedBy: "\r\n\r\n")[1].replacingOccurrences(of: "\r\n", with: "")
        #expect(String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self) == "链接：http://x/f/k/confirm/t")
        #expect(SMTPMailer(url: "smtp://user:p%40ss@mail.example:2525", from: "a@b")?.password == "p@ss")
        #expect(SMTPMailer(url: "http://mail.example", from: "a@b") == nil)
    }

    @Test(arguments: Backend.all)
    func optInNeedsMailAndAFailedMailKeepsNothing(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let noMail = stores(db).leadSources
            await #expect(throws: DomainError.field("double_opt_in", "outgoing mail is not set up on this server (GUANXI_SMTP_URL); double opt-in needs it")) {
                try await noMail.create(owner, kind: .form, name: "报名", sourceLabel: nil, campaign: nil, doubleOptIn: true)
            }
            // a relay that is not there: the visitor is told, and nothing waits for a confirmation that cannot come
            let closed = try #require(SMTPMailer(url: "smtp://127.0.0.1:9", from: "crm@example.com"))
            let sources = stores(db, mailer: closed).leadSources
            let form = try await sources.create(owner, kind: .form, name: "报名", sourceLabel: nil, campaign: nil, doubleOptIn: true)
            #expect(form.doubleOptIn)
            await #expect(throws: DomainError.field("email", "is needed to confirm your request")) {
                try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "甲"], address: "10.0.0.9")
            }
            await #expect(throws: DomainError.badRequest("the confirmation email could not be sent; please try again later")) {
                try await sources.submitForm(publicKey: form.publicKey, fields: ["name": "甲", "email": "jia@example.com"], address: "10.0.0.9")
            }
            let pending = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM pending_leads").first()!.decode(column: "n", as: Int.self) }
            #expect(pending == 0)
            await #expect(throws: DomainError.notFound("confirmation")) { try await sources.confirm(publicKey: form.publicKey, token: "made-up") }
        }
    }
}
