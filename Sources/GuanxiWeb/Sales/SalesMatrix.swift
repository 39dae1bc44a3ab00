import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the lead, deal, task and report operations (see `MatrixSample`).
enum SalesMatrix {
    static let samples: [String: MatrixSample] = [
        "leadFunnel": MatrixSample("/api/v1/reports/lead-funnel?month=2026-11"),
        "dealCloseReasons": MatrixSample("/api/v1/reports/close-reasons?from=2026-11-01&to=2026-11-30"),
        "overdueCollections": MatrixSample("/api/v1/reports/overdue-collections"),
        "listTargets": MatrixSample("/api/v1/targets?month=2026-12"),
        "setTargets": MatrixSample("/api/v1/targets", body: #"{"targets":[{"month":"2026-12","user_id":"{userID}","metric":"revenue","amount":{"minor":10000000,"currency":"CNY"}}]}"#),
        "listPipelines": MatrixSample("/api/v1/pipelines"),
        "createPipeline": MatrixSample("/api/v1/pipelines", body: #"{"name":"大客户{n}","stages":[{"name":"接触","probability":20},{"name":"赢","probability":100,"kind":"won"},{"name":"输","probability":0,"kind":"lost"}]}"#),
        "listDeals": MatrixSample("/api/v1/deals"),
        "createDeal": MatrixSample("/api/v1/deals", body: #"{"name":"商机{n}","customer_id":"{customer}","amount":{"minor":100000,"currency":"CNY"}}"#),
        "dealBoard": MatrixSample("/api/v1/deals/board"),
        "dealForecast": MatrixSample("/api/v1/deals/forecast"),
        "getDeal": MatrixSample("/api/v1/deals/{deal}", record: .deals),
        "updateDeal": MatrixSample("/api/v1/deals/{deal}", body: #"{"expected_close":"2027-01-15"}"#, record: .deals),
        "moveDeal": MatrixSample("/api/v1/deals/{deal}/move", body: #"{"stage_id":"{stageID}"}"#, record: .deals),
        "listTasks": MatrixSample("/api/v1/tasks?mine=true&status=open"),
        "createTask": MatrixSample("/api/v1/tasks", body: #"{"title":"回访{n}","due_at":"2026-12-01T02:00:00Z"}"#),
        "myDay": MatrixSample("/api/v1/tasks/my-day"),
        "getTask": MatrixSample("/api/v1/tasks/{task}", record: .tasks),
        "updateTask": MatrixSample("/api/v1/tasks/{task}", body: #"{"priority":"high"}"#, record: .tasks),
        "completeTask": MatrixSample("/api/v1/tasks/{task}/complete", body: #"{"outcome":"好"}"#, record: .tasks),
        "cancelTask": MatrixSample("/api/v1/tasks/{task}/cancel", record: .tasks),
        "reopenTask": MatrixSample("/api/v1/tasks/{task}/reopen", record: .tasks),
        "recordVisit": MatrixSample("/api/v1/tasks/{task}/record", body: #"{"outcome":"顺利","latitude":"31.2","longitude":"121.4"}"#, record: .tasks),
        "visitSummary": MatrixSample("/api/v1/visits/summary?week=2026-W48"),
        "importLeads": MatrixSample("/api/v1/leads/import", body: "姓名,来源\n导入线索{n},展会\n", contentType: "text/csv"),
        "listLeads": MatrixSample("/api/v1/leads"),
        "createLeads": MatrixSample("/api/v1/leads/batch", body: #"{"leads":[{"name":"批量{n}","source":"抖音"},{"email":"b{n}@example.cn"}]}"#),
        "createLead": MatrixSample("/api/v1/leads", body: #"{"name":"线索{n}","source":"官网"}"#),
        "getLead": MatrixSample("/api/v1/leads/{lead}", record: .leads),
        "setLeadStatus": MatrixSample("/api/v1/leads/{lead}/status", body: #"{"status":"contacted"}"#, record: .leads),
        "transferLead": MatrixSample("/api/v1/leads/{lead}/transfer", body: #"{"owner_id":null,"reason":"调岗"}"#, record: .leads, actions: [.update, .assign]),
        "addLeadActivity": MatrixSample("/api/v1/leads/{lead}/activities", body: #"{"kind":"call","subject":"首次电话"}"#, record: .leads),
        "getLeadTimeline": MatrixSample("/api/v1/leads/{lead}/timeline", record: .leads),
        "convertLead": MatrixSample("/api/v1/leads/{lead}/convert", body: "{}", record: .leads, actions: [.update]),
        "listAssignmentRules": MatrixSample("/api/v1/assignment-rules"),
        "createAssignmentRule": MatrixSample("/api/v1/assignment-rules", body: #"{"name":"规则{n}","method":"pool"}"#),
        "replaceAssignmentRule": MatrixSample("/api/v1/assignment-rules/{ruleID}", body: #"{"name":"改{n}","method":"pool"}"#),
        "deleteAssignmentRule": MatrixSample("/api/v1/assignment-rules/{ruleID}"),
        "listLeadSources": MatrixSample("/api/v1/lead-sources"),
        "createLeadSource": MatrixSample("/api/v1/lead-sources", body: #"{"kind":"form","name":"官网表单{n}"}"#),
        "disableLeadSource": MatrixSample("/api/v1/lead-sources/{sourceID}"),
        "receiveLeadWebhook": MatrixSample("/api/v1/hooks/leads/{hookKey}", body: "{hookBody}", headers: ["X-Guanxi-Signature": "{hookSignature}"]),
    ]

    static let fixture: MatrixFixture = { s in
        let services = s.services
        var v: [String: String] = [:]
        if s.wants("lead") {
            var d = LeadDraft(); d.name = "线索\(s.n)"; d.ownerID = s.ownerID
            v["lead"] = try await services.leads.create(s.scope, d).id
        }
        if s.wants("deal") {
            var d = DealDraft(); d.name = "商机\(s.n)"; d.customerID = s.values["customer"]; d.ownerID = s.ownerID
            v["deal"] = try await services.deals.create(s.scope, d).id
            v["stageID"] = try await services.deals.pipelines(s.scope)[0].stages[1].id
        }
        if s.wants("task") {
            var d = TaskDraft(); d.title = "待办\(s.n)"; d.dueAt = Date().addingTimeInterval(3600); d.ownerID = s.ownerID
            if s.operationID == "recordVisit" { d.kind = .visit; d.subjectKind = .some(.customer); d.subjectID = .some(s.values["customer"]!) }
            let task = try await services.tasks.create(s.scope, d).id
            if s.operationID == "reopenTask" { _ = try await services.tasks.setStatus(s.scope, id: task, to: .done, ifVersion: nil) }
            v["task"] = task
        }
        if s.wants("ruleID") {
            v["ruleID"] = try await services.assignmentRules.save(s.admin, AssignmentRule(id: ID.make(), name: "r\(s.n)", position: 1, method: .pool)).id
        }
        if s.wants("sourceID") || s.wants("hookKey") {
            let source = try await services.leadSources.create(s.admin, kind: .webhook, name: "hook\(s.n)", sourceLabel: nil, campaign: nil)
            let body = #"{"name":"广告线索\#(s.n)"}"#
            v["sourceID"] = source.id; v["hookKey"] = source.publicKey; v["hookBody"] = body
            v["hookSignature"] = LeadSourceStore.sign(body: Array(body.utf8), secret: source.secret ?? "", at: Date())
        }
        return v
    }
}
