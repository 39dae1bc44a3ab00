import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the service-desk operations (see `MatrixSample`).
enum ServiceMatrix {
    static let samples: [String: MatrixSample] = [
        "createTicket": MatrixSample("/api/v1/tickets",
                                     body: #"{"customer_id":"{customer}","subject":"退货申请{n}","body":"收到的茶叶罐破损 😢","type":"return_refund","priority":"high","channel":"phone"}"#),
        "listTickets": MatrixSample("/api/v1/tickets?status=new&q=%E9%80%80%E8%B4%A7"),
        "getTicket": MatrixSample("/api/v1/tickets/{ticket}", record: .tickets),
        "updateTicket": MatrixSample("/api/v1/tickets/{ticket}", body: #"{"priority":"urgent"}"#, record: .tickets),
        "setTicketStatus": MatrixSample("/api/v1/tickets/{ticket}/status", body: #"{"status":"waiting_customer"}"#, record: .tickets),
        "getTicketSurvey": MatrixSample("/api/v1/tickets/{ticket}/survey", record: .tickets),
        "downloadTicketAttachment": MatrixSample("/api/v1/tickets/{ticket}/attachments/{attachment}", record: .tickets),
        "listTicketMessages": MatrixSample("/api/v1/tickets/{ticket}/messages", record: .tickets),
        "addTicketMessage": MatrixSample("/api/v1/tickets/{ticket}/messages", body: #"{"kind":"reply","body":"您好，已为您安排换货。"}"#, record: .tickets),
        "listBusinessCalendars": MatrixSample("/api/v1/service/calendars"),
        "saveBusinessCalendar": MatrixSample("/api/v1/service/calendars/cal{n}",
                                             body: #"{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:30","18:00"]]},"holidays":["2026-10-01"],"workdays":["2026-09-27"]}"#),
        "listSLAPolicies": MatrixSample("/api/v1/service/sla-policies"),
        "saveSLAPolicy": MatrixSample("/api/v1/service/sla-policies/p{n}",
                                      body: #"{"name":"VIP {n}","tiers":["A"],"targets":{"urgent":{"first_response":15,"resolution":120}}}"#),
        "deleteSLAPolicy": MatrixSample("/api/v1/service/sla-policies/p{n}"),
        "listMailQuarantine": MatrixSample("/api/v1/service/mail-quarantine"),
        "getServiceReport": MatrixSample("/api/v1/service/reports?month=2026-10"),
        "listRoutingRules": MatrixSample("/api/v1/service/routing-rules"),
        "createRoutingRule": MatrixSample("/api/v1/service/routing-rules",
                                          body: #"{"name":"破损投诉 {n} 😢","team_id":"{teamID}","strategy":"round_robin","conditions":{"types":["complaint"],"keywords":["破损","壊れ"],"provinces":["广东"]}}"#),
        "updateRoutingRule": MatrixSample("/api/v1/service/routing-rules/{rule}",
                                          body: #"{"name":"退款 {n}","team_id":"{teamID}","strategy":"skill","position":5}"#),
        "deleteRoutingRule": MatrixSample("/api/v1/service/routing-rules/{rule}"),
        "listServiceAgents": MatrixSample("/api/v1/service/agents"),
        "saveAgentSkills": MatrixSample("/api/v1/service/agents/{spareUserID}/skills", body: #"{"skills":["退款","English 😀","广东"]}"#),
        "listTicketSteps": MatrixSample("/api/v1/tickets/{ticket}/steps", record: .tickets),
        "addTicketStep": MatrixSample("/api/v1/tickets/{ticket}/steps",
                                      body: #"{"kind":"task","team_id":"{teamID}","title":"核实物流轨迹 {n} 📦","minutes":120}"#, record: .tickets),
        "completeTicketStep": MatrixSample("/api/v1/tickets/{ticket}/steps/{step}/complete", body: #"{"note":"已核实 ✅"}"#, record: .tickets),
        "listCannedReplies": MatrixSample("/api/v1/service/canned-replies"),
        "createCannedReply": MatrixSample("/api/v1/service/canned-replies",
                                          body: #"{"title":"破损致歉 {n} 😢","bodies":{"zh-Hans":"{{customer.name}}您好，工单 {{ticket.number}} 已收到。","en":"Dear {{customer.name}}"},"ticket_type":"complaint"}"#),
        "updateCannedReply": MatrixSample("/api/v1/service/canned-replies/{canned}", body: #"{"title":"发货 {n}","bodies":{"zh-Hant":"{{agent.name}} 為您服務"}}"#),
        "deleteCannedReply": MatrixSample("/api/v1/service/canned-replies/{canned}"),
        "renderCannedReply": MatrixSample("/api/v1/tickets/{ticket}/canned-replies/{canned}?language=zh-Hant", record: .tickets),
        "listTicketViewers": MatrixSample("/api/v1/tickets/{ticket}/viewers", record: .tickets),
        // per-ticket refusals are answered per id (skipped), so the role alone decides the status
        "bulkUpdateTickets": MatrixSample("/api/v1/tickets/bulk", body: #"{"ids":["{ticket}"],"action":{"type":"priority","priority":"urgent"}}"#),
        "decideTicketStep": MatrixSample("/api/v1/tickets/{ticket}/steps/{approval}/decision", body: #"{"decision":"approve","note":"同意退款 👍"}"#,
                                         record: .tickets),
    ]

    /// A ticket of the case's customer, assigned to the case's owner (whose ticket it is), with the
    /// step a call acts on: a child task of a spare department, or an approval the acting user is
    /// named to decide (another workspace's names its owners' role); and a routing rule.
    static let fixture: MatrixFixture = { s in
        var out: [String: String] = [:]
        if s.wants("rule") {
            var r = RoutingRuleDraft(); r.name = "规则\(s.n)"; r.teamID = s.values["teamID"]
            out["rule"] = try await s.services.routing.save(s.admin, try r.rule()).id
        }
        if s.wants("canned") {
            out["canned"] = try await s.services.conversation.saveCannedReply(s.admin, CannedReply(title: "模板\(s.n)", bodies: ["zh-Hans": "{{customer.name}}您好"])).id
        }
        guard s.wants("ticket") else { return out }
        var d = TicketDraft(); d.customerID = s.values["customer"]!; d.subject = "咨询\(s.n)"; d.body = "请问发货时间？"
        d.assigneeID = s.ownerID
        let ticket = try await s.services.tickets.create(s.scope, d).id
        out["ticket"] = ticket
        if s.wants("attachment") {
            let png = AttachmentUpload(name: "破损照片 📷.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
            out["attachment"] = try await s.services.tickets.addMessage(s.scope, id: ticket, kind: .reply, body: "照片见附件", attachments: [png])
                .1.attachments.first?.id
        }
        let home = s.scope.workspaceID == s.admin.workspaceID
        if s.wants("step") {
            let team = home ? s.values["teamID"]!
                : try await s.services.access.saveTeam(s.scope, name: "仓储\(s.n)", kind: "service", parentID: nil, managerID: nil, memberIDs: []).id
            var step = TicketStepDraft(); step.kind = "task"; step.teamID = team; step.title = "补发配件"
            out["step"] = try await s.services.ticketSteps.add(s.scope, ticketID: ticket, step, ifVersion: nil).steps.last!.id
        }
        if s.wants("approval") {
            var step = TicketStepDraft(); step.kind = "approval"; step.title = "退款审批"
            if home { step.approverID = s.values["userID"] } else { step.approverRole = "owner" }
            out["approval"] = try await s.services.ticketSteps.add(s.scope, ticketID: ticket, step, ifVersion: nil).steps.last!.id
        }
        return out
    }
}
