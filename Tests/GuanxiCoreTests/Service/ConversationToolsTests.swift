import Foundation
import Testing
@testable import GuanxiCore

@Suite("Canned replies, mentions, presence and bulk changes: the pure rules")
struct ConversationToolsTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-10-12 05:00 UTC = 13:00 in Shanghai.
    static let due = Date(timeIntervalSince1970: 1_791_781_200)
    static let facts = CannedReplyFacts(customerName: "杭州茶庄 <b>VIP</b>", ticketNumber: 12, ticketSubject: "茶叶罐破损 😢", agentName: "王芳",
                                        resolutionDue: due, timeZone: shanghai)
    static let reply = CannedReply(title: "破损致歉", bodies: [
        "zh-Hans": "{{customer.name}}您好，工单 {{ticket.number}}「{{ticket.subject}}」由{{agent.name}}处理，预计 {{ sla.resolution_due }} 前解决。",
        "zh-Hant": "{{customer.name}}您好，工單 {{ticket.number}} 由{{agent.name}}處理，預計 {{sla.resolution_due}} 前解決。",
        "en": "Dear {{customer.name}}, ticket {{ticket.number}} is with {{agent.name}}, due {{sla.resolution_due}}.",
    ])

    @Test func placeholdersAreFilledInEachLanguageWithDatesOnTheWorkspacesClock() throws {
        let r = try Self.reply.validated()
        #expect(CannedReplyText.render(r.body(in: "zh-Hans"), Self.facts)
                == "杭州茶庄 <b>VIP</b>您好，工单 #12「茶叶罐破损 😢」由王芳处理，预计 2026-10-12 13:00 前解决。")
        #expect(CannedReplyText.render(r.body(in: "zh-Hant"), Self.facts) == "杭州茶庄 <b>VIP</b>您好，工單 #12 由王芳處理，預計 2026-10-12 13:00 前解決。")
        #expect(CannedReplyText.render(r.body(in: "en"), Self.facts) == "Dear 杭州茶庄 <b>VIP</b>, ticket #12 is with 王芳, due 2026-10-12 13:00.")
        // in New York the same instant is the night before
        var ny = Self.facts; ny.timeZone = TimeZone(identifier: "America/New_York")!
        #expect(CannedReplyText.render("{{sla.resolution_due}}", ny) == "2026-10-12 01:00")
        // no due: a dash; a value that looks like a placeholder is not filled again
        var none = Self.facts; none.resolutionDue = nil; none.customerName = "{{agent.name}}"
        #expect(CannedReplyText.render("{{sla.resolution_due}} {{customer.name}}", none) == "— {{agent.name}}")
        // a missing language falls back to one the reply is written in
        let only = CannedReply(title: "x", bodies: ["en": "Hi"])
        #expect(only.body(in: "zh-Hant") == "Hi" && Self.reply.body(in: "fr") == Self.reply.bodies["zh-Hans"])
    }

    @Test func anUnknownPlaceholderIsRefusedNamingItsLanguage() {
        let bad = CannedReply(title: " ", bodies: ["zh-Hant": "{{customer.nmae}} 您好", "en": "{{ticket.number}}", "fr": "Bonjour"])
        #expect(throws: DomainError.validation(["title": "is required", "bodies.zh-Hant": CannedReplyText.unknown("customer.nmae"),
                                                "bodies.fr": CannedReplyText.unknownLanguage])) { try bad.validated() }
        #expect(throws: DomainError.validation(["bodies": CannedReplyText.noBody])) { try CannedReply(title: "空", bodies: ["en": "  "]).validated() }
        #expect(throws: DomainError.self) { try CannedReply(title: "长", bodies: ["en": String(repeating: "字", count: 10_001)]).validated() }
        // braces that are not a placeholder's stay text
        #expect(CannedReplyText.unknownPlaceholders("{ a } {{customer.name}} {{") .isEmpty)
        #expect(CannedReplyText.unknownPlaceholders("{{ {{agent.name}} {{x}}") == ["x"])
    }

    @Test func aCustomersLanguageWinsOverTheAgents() {
        #expect(CannedReplyText.language(customer: "zh-TW", agent: "zh-Hans") == "zh-Hant")
        #expect(CannedReplyText.language(customer: "zh-CN", agent: "en") == "zh-Hans")
        #expect(CannedReplyText.language(customer: "en-GB", agent: "zh-Hans") == "en")
        #expect(CannedReplyText.language(customer: nil, agent: "zh-Hant") == "zh-Hant")
        #expect(CannedReplyText.language(customer: "ja", agent: "en") == "en")
    }

    static let members = [
        MentionCandidate(userID: "u1", name: "王芳", email: "wang@example.cn"),
        MentionCandidate(userID: "u2", name: "Li Lei", email: "li@example.com"),
        MentionCandidate(userID: "u3", name: "张伟", email: "zhang1@example.com"),
        MentionCandidate(userID: "u4", name: "张伟", email: "zhang2@example.com"),
        MentionCandidate(userID: "u5", name: "王芳芳", email: "fang@example.cn"),
    ]

    @Test func mentionsNameMembersByNameOrEmail() {
        // a Chinese name runs on into the sentence; the longest name wins
        #expect(Mentions.mentioned("@王芳请看一下，@王芳芳 也看", Self.members) == ["u1", "u5"])
        #expect(Mentions.mentioned("请 @li@example.com 跟进。", Self.members) == ["u2"])
        #expect(Mentions.mentioned("@Li Lei, please", Self.members) == ["u2"])
        // a Latin name ends at a word's end; an email written plainly is no mention
        #expect(Mentions.mentioned("@Li Leila", Self.members).isEmpty)
        #expect(Mentions.mentioned("wang@example.cn 和 a@王芳", Self.members).isEmpty)
        // ambiguous and unknown stay text
        #expect(Mentions.mentioned("@张伟 @赵六 @nobody@example.com", Self.members).isEmpty)
        #expect(Mentions.mentioned("@zhang2@example.com", Self.members) == ["u4"])
        // each once, in order
        #expect(Mentions.mentioned("@王芳 @wang@example.cn", Self.members) == ["u1"])
    }

    @Test func segmentsJoinBackToTheNote() {
        let note = "<b>@王芳</b> 请看 @张伟 😀 @li@example.com."
        let s = Mentions.segments(note, Self.members)
        #expect(s.map(\.text).joined() == note)
        #expect(s.filter { $0.userID != nil }.map(\.text) == ["@王芳", "@li@example.com"])
    }

    @Test func presenceKeepsAVisitWhileThePageIsSeenAgain() {
        let t0 = Date(timeIntervalSince1970: 1_791_766_800)
        let first = TicketPresence.touch(nil, userID: "u1", at: t0, replying: false)
        let again = TicketPresence.touch(first, userID: "u1", at: t0.addingTimeInterval(90), replying: true)
        #expect(again.since == t0 && again.replying)
        let later = TicketPresence.touch(again, userID: "u1", at: t0.addingTimeInterval(90 + 121), replying: false)
        #expect(later.since == t0.addingTimeInterval(211))
        let other = TicketViewer(userID: "u2", name: "李雷", since: t0, seenAt: t0.addingTimeInterval(30), replying: false)
        #expect(TicketPresence.others([again, other], me: "u1", at: t0.addingTimeInterval(100)) == [other])
        #expect(TicketPresence.others([again, other], me: "u1", at: t0.addingTimeInterval(151)).isEmpty)
        // a view within half a minute of the last one as it was is not written again
        #expect(TicketPresence.isFresh(again, at: t0.addingTimeInterval(119)) && !TicketPresence.isFresh(again, at: t0.addingTimeInterval(120)))
    }

    @Test func bulkIdsAndActionsAreCheckedBeforeAnyTicket() throws {
        let id = "0192a9c2-7d10-7000-8000-000000000001"
        #expect(try TicketBulkAction.ids([id, id.uppercased()]) == [id])
        #expect(throws: DomainError.validation(["ids": BulkWords.none])) { try TicketBulkAction.ids([]) }
        #expect(throws: DomainError.validation(["ids": BulkWords.tooMany(500)])) { try TicketBulkAction.ids(Array(repeating: id, count: 501)) }
        #expect(throws: DomainError.validation(["ids": BulkWords.badID("1 OR 1=1")])) { try TicketBulkAction.ids([id, "1 OR 1=1"]) }
        #expect(try TicketBulkAction.parse(type: "status", assigneeID: nil, teamID: nil, status: "resolved", priority: nil, tag: nil) == .status(.resolved))
        #expect(try TicketBulkAction.parse(type: "assign", assigneeID: "", teamID: nil, status: nil, priority: nil, tag: nil) == .assign(userID: nil))
        #expect(try TicketBulkAction.parse(type: "tag", assigneeID: nil, teamID: nil, status: nil, priority: nil, tag: " 退款 😀 ") == .tag("退款 😀"))
        #expect(throws: DomainError.self) { try TicketBulkAction.parse(type: "delete", assigneeID: nil, teamID: nil, status: nil, priority: nil, tag: nil) }
        #expect(throws: DomainError.self) { try TicketBulkAction.parse(type: "priority", assigneeID: nil, teamID: nil, status: nil, priority: "asap", tag: nil) }
        #expect(throws: DomainError.self) { try TicketBulkAction.parse(type: "tag", assigneeID: nil, teamID: nil, status: nil, priority: nil, tag: String(repeating: "长", count: 41)) }
    }

    @Test func changeNotesLeaveOutWhatTheReaderDid() {
        let t = Date(timeIntervalSince1970: 1_791_766_800)
        let notes = TicketChangeNote.notes([
            ("message", "u2", t, .object(["kind": .string("reply")])), ("status", "u2", t, .object(["from": .string("open"), "to": .string("resolved")])),
            ("note", "u1", t, nil), ("mention", "u2", t, nil), ("update", "u3", t, nil), ("step_add", "u3", t, nil),
        ], me: "u1")
        #expect(notes.map(\.kind) == [.reply, .status, .assignment, .step] && notes[1].status == "resolved")
    }
}
