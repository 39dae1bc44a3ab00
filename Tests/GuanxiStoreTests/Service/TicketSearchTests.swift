import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Ticket search, ticket custom fields and a ticket's product")
struct TicketSearchTests {
    /// What a search finds once the server's search service has caught up with the writes.
    static func found(_ s: Stores, _ scope: Scope, _ q: String, queue: String? = nil, status: String? = nil) async throws -> [String] {
        try await s.tickets.indexSearch()
        return try await s.tickets.list(scope, queue: queue, status: status, search: q).items.map(\.subject)
    }

    @Test(arguments: Backend.all) func writesQueueTheirWordsAndTheIndexerWritesThemInBatches(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            // opening a ticket queues its subject and first message; the request does not wait for the index
            let a = try await f.ticket("空调不制冷", body: "外机不转")
            #expect(try await s.tickets.searchQueueDepth(workspaceID: owner.workspaceID) == 2)
            #expect(try await s.tickets.list(owner, search: "制冷").items.isEmpty)
            #expect(try await s.tickets.indexSearch() == 2)
            #expect(try await s.tickets.searchQueueDepth(workspaceID: nil) == 0)
            #expect(try await s.tickets.list(owner, search: "制冷").items.map(\.id) == [a.id])
            // each message is an entry of its own; the words written before stay found
            _ = try await s.tickets.addMessage(owner, id: a.id, kind: .reply, body: "师傅明天上门 tomorrow")
            _ = try await s.tickets.addMessage(owner, id: a.id, kind: .customer, body: "好的，谢谢 👍")
            #expect(try await s.tickets.searchQueueDepth(workspaceID: owner.workspaceID) == 2)
            #expect(try await s.tickets.indexSearch() == 2)
            for q in ["师傅", "tomorrow", "谢谢", "外机", "空调", "制冷 师傅 谢谢"] {
                #expect(try await s.tickets.list(owner, search: q).items.map(\.id) == [a.id], "\(q)")
            }
            // more entries than one batch: each pass takes at most a batch, and in the end every ticket is found
            for i in 0..<(TicketSearchIndex.batch / 2 + 3) { _ = try await f.ticket("批次 \(i)", body: "编号 N\(1000 + i)") }
            #expect(try await TicketSearchIndex.drain(db) == TicketSearchIndex.batch)
            #expect(try await s.tickets.searchQueueDepth(workspaceID: nil) == 6)
            #expect(try await s.tickets.indexSearch() == 6)
            var found = 0, cursor: String? = nil
            repeat {
                let page = try await s.tickets.list(owner, search: "批次", cursor: cursor, limit: 200)
                found += page.items.count; cursor = page.nextCursor
            } while cursor != nil
            #expect(found == TicketSearchIndex.batch / 2 + 3)
            // another workspace's depth does not count this one's
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-queue")
            _ = try await f.ticket("再来一个", body: "排队")
            #expect(try await s.tickets.searchQueueDepth(workspaceID: other.id) == 0)
            #expect(try await s.tickets.searchQueueDepth(workspaceID: owner.workspaceID) == 2)
        }
    }

    @Test(arguments: Backend.all) func aTicketIsFoundOnceInItsPlaceWhicheverMessagesHoldTheWords(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            let old = try await f.ticket("洗衣机漏水", body: "底部漏水 leaking")
            clock.advance(seconds: 60)
            let new = try await f.ticket("冰箱漏水", body: "门封条坏了")
            clock.advance(seconds: 60)
            // the older ticket is answered later, its words in several messages and a note
            _ = try await s.tickets.addMessage(owner, id: old.id, kind: .reply, body: "已派维修，漏水原因待查")
            _ = try await s.tickets.addMessage(owner, id: old.id, kind: .customer, body: "还在漏水 still leaking")
            _ = try await s.tickets.addMessage(owner, id: old.id, kind: .note, body: "内部：水管老化")
            try await s.tickets.indexSearch()
            // tickets keep their places (newest ticket first), each once however many messages match
            #expect(try await s.tickets.list(owner, search: "漏水").items.map(\.id) == [new.id, old.id])
            let first = try await s.tickets.list(owner, search: "漏水", limit: 1)
            #expect(first.items.map(\.id) == [new.id])
            let second = try await s.tickets.list(owner, search: "漏水", cursor: first.nextCursor, limit: 1)
            #expect(second.items.map(\.id) == [old.id] && second.nextCursor == nil)
            // every term in some message of the same ticket; a note counts only where notes are seen
            #expect(try await s.tickets.list(owner, search: "维修 leaking 洗衣机").items.map(\.id) == [old.id])
            #expect(try await s.tickets.list(owner, search: "门封 leaking").items.isEmpty)
            #expect(try await s.tickets.list(owner, search: "水管 洗衣机").items.map(\.id) == [old.id])
            var perms = PermissionSet(); perms.grant(.tickets, [.read], .all)
            let reader = Scope(workspaceID: owner.workspaceID, userID: nil, roleKey: "reader", permissions: perms, teamIDs: [], teamUserIDs: [])
            #expect(try await s.tickets.list(reader, search: "水管 洗衣机").items.isEmpty)
            #expect(try await s.tickets.list(reader, search: "维修 洗衣机").items.map(\.id) == [old.id])
        }
    }

    @Test(arguments: Backend.all) func theSparsestTermDrivesAndTheAnswerIsTheSameWhicheverDrives(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            // "龙井" in one message and "照片" in another of two tickets; "照片" in over a thousand
            // messages of a third, newer ticket that never says "龙井"
            let older = try await f.ticket("龙井茶叶受潮", body: "请看照片")
            clock.advance(seconds: 60)
            let newer = try await f.ticket("龙井礼盒", body: "盒子压坏了")
            _ = try await s.tickets.addMessage(owner, id: newer.id, kind: .customer, body: "已补拍照片 📷")
            clock.advance(seconds: 60)
            let photos = try await f.ticket("照片上传问题", body: "上传不了")
            for i in 0..<1_050 { _ = try await s.tickets.addMessage(owner, id: photos.id, kind: .customer, body: "第\(i)张照片") }
            try await s.tickets.indexSearch()
            if db.dialect == .sqlite {
                // "照片" sorts first but is dense among the newest pieces: "龙井" drives
                let terms = try #require(TicketSearchTerms("龙井 照片"))
                let drive = try await db.read { try await TicketSearchIndex.sqliteDrive(owner, terms, after: nil, sql: $0) }
                #expect(terms.cjkShort[drive] == "龙井", "\(terms.cjkShort)")
            }
            for q in ["龙井 照片", "照片 龙井"] {
                #expect(try await s.tickets.list(owner, search: q).items.map(\.id) == [newer.id, older.id], "\(q)")
                let first = try await s.tickets.list(owner, search: q, limit: 1)
                let second = try await s.tickets.list(owner, search: q, cursor: first.nextCursor, limit: 1)
                #expect(first.items.map(\.id) == [newer.id] && second.items.map(\.id) == [older.id] && second.nextCursor == nil, "\(q)")
            }
            // a ticket whose matches fill several batches is found once, and paging goes on past it
            #expect(try await s.tickets.list(owner, search: "照片").items.map(\.id) == [photos.id, newer.id, older.id])
            var seen: [String] = [], cursor: String? = nil
            repeat {
                let page = try await s.tickets.list(owner, search: "照片", cursor: cursor, limit: 1)
                seen += page.items.map(\.id); cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == [photos.id, newer.id, older.id])
        }
    }

    @Test(arguments: Backend.all) func findsTheSubjectAndEveryMessageChineseIncluded(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            // given three tickets, one answered later with a message naming a tracking number
            let a = try await f.ticket("退款申请：蓝牙耳机", body: "耳机右边没有声音，想退款")
            clock.advance(seconds: 60)
            let b = try await f.ticket("Order ACME-2291 not delivered", body: "Where is my parcel?")
            clock.advance(seconds: 60)
            _ = try await f.ticket("发票抬头修改", body: "请把抬头改为上海华为")
            clock.advance(seconds: 60)
            _ = try await s.tickets.addMessage(owner, id: a.id, kind: .reply, body: "已安排顺丰取件，运单号 SF1234567890")
            _ = try await s.tickets.addMessage(owner, id: b.id, kind: .customer, body: "Ｔｈａｎｋｓ, the courier 小明 called")
            // then subject words, later messages, two Chinese characters, one character, Latin substrings are found
            #expect(try await Self.found(s, owner, "蓝牙耳机") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "SF12345") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "退款") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "华为") == ["发票抬头修改"])
            #expect(try await Self.found(s, owner, "为") == ["发票抬头修改"])      // the last character of a run
            #expect(try await Self.found(s, owner, "明") == ["Order ACME-2291 not delivered"])
            #expect(try await Self.found(s, owner, "acme-22") == ["Order ACME-2291 not delivered"])
            #expect(try await Self.found(s, owner, "THANKS") == ["Order ACME-2291 not delivered"])  // full width and case folded
            // every term must occur; newest first
            #expect(try await Self.found(s, owner, "退款 顺丰") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "退款 parcel") == [])
            #expect(try await Self.found(s, owner, "申") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "请").count == 2)
            #expect(try await Self.found(s, owner, "请") == ["发票抬头修改", "退款申请：蓝牙耳机"])
            // combined with the other filters, and a query of nothing searchable finds nothing
            #expect(try await Self.found(s, owner, "退款", status: "resolved") == [])
            #expect(try await Self.found(s, owner, "退款", queue: "all") == ["退款申请：蓝牙耳机"])
            #expect(try await Self.found(s, owner, "ab") == [])
            #expect(try await s.tickets.list(owner, search: "  ").items.count == 3)
        }
    }

    @Test(arguments: Backend.all) func searchPagesByKeysetNewestFirst(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            for i in 0..<5 { _ = try await f.ticket("屏幕碎了 \(i)"); clock.advance(seconds: 1) }
            _ = try await f.ticket("别的事")
            try await s.tickets.indexSearch()
            let first = try await s.tickets.list(owner, search: "屏幕", limit: 2)
            #expect(first.items.map(\.subject) == ["屏幕碎了 4", "屏幕碎了 3"])
            let second = try await s.tickets.list(owner, search: "屏幕", cursor: first.nextCursor, limit: 2)
            #expect(second.items.map(\.subject) == ["屏幕碎了 2", "屏幕碎了 1"])
            let third = try await s.tickets.list(owner, search: "屏幕", cursor: second.nextCursor, limit: 2)
            #expect(third.items.map(\.subject) == ["屏幕碎了 0"])
            #expect(third.nextCursor == nil)
        }
    }

    @Test(arguments: Backend.all) func findsOnlyWhatTheCallerMaySeeNotesIncluded(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            let f = try await ServiceFloor.make(s, owner)
            // a sales rep owns the customer: reads the customer's tickets, may not update them (so sees no notes)
            let rep = try await s.access.createUser(email: "rep-\(UUID().uuidString.prefix(6))@example.cn", password: "password-rep", name: "销售小孙",
                                                    role: .salesRep, workspaceID: owner.workspaceID)
            var c = CustomerDraft(); c.kind = .person; c.name = "李雷"; c.ownerID = rep.id
            let repCustomer = try await s.customers.create(owner, c)
            var d = TicketDraft(); d.customerID = repCustomer.id; d.subject = "保修咨询"; d.body = "保修期多久？"; d.teamID = f.service
            let warranty = try await s.tickets.create(owner, d)
            _ = try await s.tickets.addMessage(owner, id: warranty.id, kind: .note, body: "内部：疑似翻新机 refurbished")
            let quality = try await f.ticket("质检报告", body: "请质检", assignee: "q1", team: f.quality)
            let repScope = try await s.access.scope(userID: rep.id, workspaceID: owner.workspaceID)!
            let s1 = try await f.scope("s1"), q1 = try await f.scope("q1")
            // the note is found by the department that works the ticket, not by the rep who only reads it
            #expect(try await Self.found(s, s1, "翻新") == ["保修咨询"])
            #expect(try await Self.found(s, s1, "refurbished") == ["保修咨询"])
            #expect(try await Self.found(s, repScope, "保修") == ["保修咨询"])
            #expect(try await Self.found(s, repScope, "翻新") == [])
            #expect(try await Self.found(s, repScope, "refurbished") == [])
            // an agent finds nothing outside their reach
            #expect(try await Self.found(s, q1, "保修") == [])
            #expect(try await Self.found(s, q1, "质检") == ["质检报告"])
            #expect(try await Self.found(s, s1, "质检报告") == [])
            // a role that reads every ticket but works only its own: notes count on its own tickets alone
            _ = try await s.tickets.addMessage(owner, id: quality.id, kind: .note, body: "内部：翻新件另行处理")
            var perms = PermissionSet(); perms.grant(.tickets, [.read], .all); perms.grant(.tickets, [.update], .own)
            let auditor = Scope(workspaceID: owner.workspaceID, userID: f.agents["q1"], roleKey: "auditor", permissions: perms,
                                teamIDs: q1.teamIDs, teamUserIDs: q1.teamUserIDs)
            #expect(try await Self.found(s, auditor, "翻新") == ["质检报告"])
            #expect(try await Self.found(s, auditor, "保修") == ["保修咨询"])
            #expect(try await Self.found(s, auditor, "内部") == ["质检报告"])
            #expect(try await Self.found(s, s1, "内部") == ["保修咨询"])
            // another workspace finds nothing of this one
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-search")
            let foreign = Scope(workspaceID: other.id, userID: nil, role: .owner)
            #expect(try await Self.found(s, foreign, "保修") == [])
            #expect(try await Self.found(s, foreign, "refurbished") == [])
        }
    }

    @Test(arguments: Backend.all) func typedSyntaxIsTextNeverSQLOrFTS(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            let f = try await ServiceFloor.make(s, owner)
            _ = try await f.ticket("引号 \"quoted\" OR 1=1 -- 100% a_b", body: "NEAR(x y) a* 😀 表情")
            _ = try await f.ticket("无关", body: "普通")
            for q in ["\" OR 1=1 --", "a* NEAR(", "NEAR(", "'; DROP TABLE tickets; --", "%", "_", "\\", "\"\"\"", "*", "(", ")", "{words}: x",
                      "words : 引号", "^quo", String(repeating: "长", count: 5_000)] {
                _ = try await s.tickets.list(owner, search: q)   // no error, whatever was typed
            }
            #expect(try await Self.found(s, owner, "\" OR 1=1 --") == ["引号 \"quoted\" OR 1=1 -- 100% a_b"])
            #expect(try await Self.found(s, owner, "near(x") == ["引号 \"quoted\" OR 1=1 -- 100% a_b"])
            #expect(try await Self.found(s, owner, "100%") == ["引号 \"quoted\" OR 1=1 -- 100% a_b"])
            #expect(try await Self.found(s, owner, "0% a") == [])   // each term alone: "0%" is too short, "a" too
            #expect(try await Self.found(s, owner, "%%%") == [])
            #expect(try await Self.found(s, owner, "___") == [])
            #expect(try await Self.found(s, owner, "😀 表情") == ["引号 \"quoted\" OR 1=1 -- 100% a_b"])
            #expect(try await s.tickets.list(owner).items.count == 2)
        }
    }

    @Test(arguments: Backend.all) func bulkLoadsAndTheMigrationIndexToo(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let s = stores(db, ManualClock(now))
            let f = try await ServiceFloor.make(s, owner)
            _ = try await f.ticket("门店开票", body: "增值税专用发票")
            // tickets loaded in bulk (demo data, benchmarks) are searchable at once
            let t = Ticket(id: ID.make(at: now), number: 900, customerID: f.customer, subject: "批量导入的工单", type: .inquiry, priority: .normal,
                           status: .open, channel: .web, teamID: nil, assigneeID: nil, orderID: nil, tags: [], sla: TicketSLA(),
                           createdBy: nil, createdAt: now, updatedAt: now, version: 1)
            let m = [TicketMessage(id: ID.make(at: now), ticketID: t.id, kind: .customer, authorID: nil, body: "包裹破损 broken box", createdAt: now),
                     TicketMessage(id: ID.make(at: now), ticketID: t.id, kind: .note, authorID: nil, body: "内部备注", createdAt: now)]
            try await db.write { sql in try await TicketStore.insertBulk([t], messages: m, workspaceID: owner.workspaceID, dialect: db.dialect, sql: sql) }
            #expect(try await Self.found(s, owner, "破损") == ["批量导入的工单"])
            #expect(try await Self.found(s, owner, "broken") == ["批量导入的工单"])
            #expect(try await Self.found(s, owner, "备注") == ["批量导入的工单"])
            // with the index emptied, the migration's backfill finds every ticket again
            try await db.write { sql in
                try await sql.raw("DELETE FROM ticket_search").run()
                if db.dialect == .sqlite {
                    try await sql.raw("INSERT INTO ticket_fts (ticket_fts) VALUES ('delete-all')").run()
                    try await sql.raw("INSERT INTO ticket_bigrams (ticket_bigrams) VALUES ('delete-all')").run()
                }
            }
            #expect(try await Self.found(s, owner, "发票") == [])
            try await db.write { sql in try await TicketSearchIndex.backfill(dialect: db.dialect, sql: sql) }
            #expect(try await Self.found(s, owner, "发票") == ["门店开票"])
            #expect(try await Self.found(s, owner, "破损") == ["批量导入的工单"])
            #expect(try await Self.found(s, owner, "box") == ["批量导入的工单"])   // three letters: a term of the trigram index
            #expect(try await Self.found(s, owner, "broken box") == ["批量导入的工单"])
        }
    }

    @Test(arguments: Backend.all) func ticketFieldsAreCheckedByTheirDefinitions(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            let f = try await ServiceFloor.make(s, owner)
            _ = try await s.customFields.create(owner, CustomFieldDefinition(key: "serial", label: "序列号", type: .text, required: true, appliesTo: .tickets))
            _ = try await s.customFields.create(owner, CustomFieldDefinition(key: "cause", label: "原因", type: .select, options: ["质量", "物流"], appliesTo: .tickets))
            _ = try await s.customFields.create(owner, CustomFieldDefinition(key: "units", label: "数量", type: .number, appliesTo: .tickets))
            _ = try await s.customFields.create(owner, CustomFieldDefinition(key: "vip_since", label: "会员起始", type: .date))
            #expect(try await s.tickets.customFields(owner).map(\.key) == ["serial", "cause", "units"])
            var d = TicketDraft(); d.customerID = f.customer; d.subject = "屏幕问题"; d.body = "花屏"
            d.custom = ["cause": .string("天气"), "units": .string("三"), "vip_since": .string("2026-01-01")]
            // every bad field named at once: a missing required one, a value not of its options, not a number, a customer's field
            do { _ = try await s.tickets.create(owner, d); Issue.record("bad custom values were taken") } catch let DomainError.validation(e) {
                #expect(Set(e.keys) == ["custom.serial", "custom.cause", "custom.units", "custom.vip_since"])
            }
            d.custom = ["serial": .string("SN-8848 🔧"), "cause": .string("质量"), "units": .number(2)]
            let t = try await s.tickets.create(owner, d)
            #expect(t.custom == ["serial": .string("SN-8848 🔧"), "cause": .string("质量"), "units": .number(2)])
            #expect(try await s.tickets.get(owner, id: t.id).custom == t.custom)
            // a change is checked the same way; null clears an optional field
            var change = TicketChange(); change.custom = ["units": .string("很多")]
            do { _ = try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version); Issue.record("a bad value was taken") }
            catch let DomainError.validation(e) { #expect(Array(e.keys) == ["custom.units"]) }
            change.custom = ["units": .null, "serial": .null]
            do { _ = try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version); Issue.record("a required field was cleared") }
            catch let DomainError.validation(e) { #expect(Array(e.keys) == ["custom.serial"]) }
            change.custom = ["units": .null]
            let u = try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version)
            #expect(u.custom == ["serial": .string("SN-8848 🔧"), "cause": .string("质量")])
            // a stale version is refused
            await #expect(throws: DomainError.staleVersion(current: u.version)) { try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version) }
        }
    }

    @Test(arguments: Backend.all) func aTicketNamesAProductOfItsWorkspaceAndRoutingMatchesIt(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            let f = try await ServiceFloor.make(s, owner)
            var p = ProductDraft(); p.sku = "PHONE-X1"; p.name = "星河手机 X1"
            let phone = try await s.products.save(owner, id: nil, p)
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-products")
            let foreign = try await s.products.save(Scope(workspaceID: other.id, userID: nil, role: .owner), id: nil, p)
            // the quality department takes tickets about the phone
            var cond = RoutingConditions(); cond.products = ["星河手机"]
            _ = try await f.rule("手机质检", 1, team: f.quality, .roundRobin, cond)
            var d = TicketDraft(); d.customerID = f.customer; d.subject = "开不了机"; d.body = "充电也没反应"; d.productID = foreign.id
            await #expect(throws: DomainError.validation(["product_id": "no such product"])) { try await s.tickets.create(owner, d) }
            d.productID = "not-an-id"
            await #expect(throws: DomainError.validation(["product_id": "must be an id"])) { try await s.tickets.create(owner, d) }
            d.productID = phone.id
            let t = try await s.tickets.create(owner, d)
            #expect(t.productID == phone.id)
            #expect(t.teamID == f.quality)
            #expect(try await s.tickets.get(owner, id: t.id).productID == phone.id)
            // without the product the rule does not match
            d.productID = nil
            #expect(try await s.tickets.create(owner, d).teamID != f.quality)
            // changed and cleared, never to another workspace's product
            var change = TicketChange(); change.productID = .some(foreign.id)
            await #expect(throws: DomainError.validation(["product_id": "no such product"])) {
                try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version)
            }
            change.productID = .some(nil)
            #expect(try await s.tickets.update(owner, id: t.id, change, ifVersion: t.version).productID == nil)
        }
    }
}
