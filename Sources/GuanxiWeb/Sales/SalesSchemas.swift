import Foundation
import GuanxiCore
import GuanxiWebPlatform

extension OpenAPIDocument {
    /// Leads, assignment rules, lead sources, pipelines, deals, follow-up tasks and visits, targets and reports.
    static func salesSchemas() -> [String: Any] {
        var leadInput: [String: Any] = ["owner_id": nstr, "utm": ["type": "object", "additionalProperties": str]]
        for f in LeadDraft.fields where !f.hasPrefix("utm_") { leadInput[f] = nstr }
        var leadStored = leadInput
        for k in ["id", "name", "channel", "status"] { leadStored[k] = str }
        for k in ["disqualify_reason", "rule_id", "duplicate_of_customer_id", "duplicate_of_lead_id", "converted_customer_id"] { leadStored[k] = nstr }
        for k in ["assigned_at", "response_due_at", "responded_at", "converted_at"] { leadStored[k] = ["type": ["string", "null"], "format": "date-time"] }
        leadStored["version"] = int; leadStored["created_at"] = time; leadStored["updated_at"] = time
        let list = arr(str)
        let dealInput: [String: Any] = ["name": str, "pipeline_id": nstr, "stage_id": nstr, "customer_id": str, "owner_id": nstr,
                                        "amount": ref("Money"), "expected_close": ["type": ["string", "null"], "format": "date"]]
        var dealStored = dealInput
        for k in ["id", "status"] { dealStored[k] = str }
        for k in ["close_reason", "lead_id"] { dealStored[k] = nstr }
        dealStored["probability"] = int; dealStored["version"] = int
        for k in ["stage_changed_at", "last_activity_at", "created_at", "updated_at"] { dealStored[k] = time }
        dealStored["closed_at"] = ["type": ["string", "null"], "format": "date-time"]
        let ruleProps: [String: Any] = [
            "name": str, "position": int, "active": ["type": "boolean"], "method": enumOf(AssignmentMethod.allCases.map(\.rawValue)),
            "team_id": nstr, "user_id": nstr, "response_minutes": ["type": ["integer", "null"], "minimum": 1, "maximum": 43_200],
            "conditions": obj(["sources": list, "provinces": list, "cities": list, "products": list, "tiers": list]),
        ]
        let nTime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let taskInput: [String: Any] = [
            "kind": enumOf(TaskKind.allCases.map(\.rawValue)), "title": str, "notes": nstr, "due_at": time, "remind_at": nTime,
            "priority": enumOf(TaskPriority.allCases.map(\.rawValue)), "owner_id": nstr,
            "subject_kind": ["type": ["string", "null"], "enum": TaskSubjectKind.allCases.map(\.rawValue) + [NSNull()]], "subject_id": nstr,
        ]
        var taskStored = taskInput
        for k in ["id", "kind", "status"] { taskStored[k] = str }
        for k in ["outcome", "next_step", "next_task_id", "created_by"] { taskStored[k] = nstr }
        taskStored["status"] = enumOf(TaskStatus.allCases.map(\.rawValue))
        taskStored["completed_at"] = nTime; taskStored["version"] = int; taskStored["created_at"] = time; taskStored["updated_at"] = time
        taskStored["check_in"] = ["oneOf": [ref("CheckIn"), ["type": "null"]]]
        let nint: [String: Any] = ["type": ["integer", "null"]]
        var s: [String: Any] = [:]
        s["Task"] = obj(taskStored, required: ["id", "kind", "title", "due_at", "status", "version"])
        s["TaskInput"] = obj(taskInput, required: ["title", "due_at"])
        s["TaskPatch"] = obj(taskInput)
        s["TaskPage"] = obj(["items": arr(ref("Task")), "next_cursor": nstr])
        s["TaskCompleteInput"] = obj(["outcome": nstr])
        s["CheckIn"] = obj(["latitude": ["type": "string", "description": "decimal degrees, exact to 6 places"], "longitude": str,
                            "accuracy_m": ["type": ["integer", "null"]]], required: ["latitude", "longitude"])
        s["VisitReport"] = obj(["outcome": nstr, "next_step": nstr, "next_due_at": nTime, "occurred_at": nTime,
                                "latitude": ["type": ["string", "number", "null"], "description": "-90…90"],
                                "longitude": ["type": ["string", "number", "null"], "description": "-180…180"],
                                "accuracy_m": ["type": ["number", "null"]]])
        s["MyDay"] = obj(["time_zone": str, "day_start": time, "day_end": time, "overdue": arr(ref("Task")), "due_today": arr(ref("Task")),
                          "reminders": arr(ref("Task")), "visits": arr(ref("Task")), "overdue_leads": arr(ref("Lead"))])
        s["VisitSummary"] = obj(["week": str, "time_zone": str, "start": time, "end": time,
                                 "rows": arr(obj(["owner_id": nstr, "planned": int, "done": int]))])
        s["LeadImportReport"] = obj(["total": int, "created": int, "rejected": int, "duplicates": int, "assigned": int, "encoding": str,
                                     "dry_run": ["type": "boolean"], "mapping": ["type": "object", "additionalProperties": str],
                                     "errors": arr(obj(["line": int, "column": nstr, "reason": str]))])
        s["LeadInput"] = obj(leadInput)
        s["Lead"] = obj(leadStored, required: ["id", "name", "status", "version"])
        s["LeadPage"] = obj(["items": arr(ref("Lead")), "next_cursor": nstr])
        // an empty reason is no reason
        s["LeadStatusInput"] = obj(["status": enumOf(LeadStatus.allCases.map(\.rawValue)),
                                    "reason": ["type": ["string", "null"], "pattern": "^$|" + Pattern.words]], required: ["status"])
        s["LeadTransferInput"] = obj(["owner_id": nstr, "reason": str], required: ["reason"])
        s["LeadConversionInput"] = obj(["customer_id": nstr, "create_organization": ["type": "boolean"],
                                        "stage": enumOf(LifecycleStage.allCases.map(\.rawValue)), "deal": ref("DealPatch")])
        s["LeadConversion"] = obj(["lead": ref("Lead"), "customer": ref("Customer"), "organization": ["oneOf": [ref("Customer"), ["type": "null"]]],
                                   "deal": ["oneOf": [ref("Deal"), ["type": "null"]]]])
        s["AssignmentRuleInput"] = obj(ruleProps, required: ["name", "method"])
        s["AssignmentRule"] = obj(ruleProps.merging(["id": str, "version": int]) { a, _ in a }, required: ["id", "name", "method"])
        s["AssignmentRuleList"] = obj(["items": arr(ref("AssignmentRule"))])
        s["LeadSourceInput"] = obj(["kind": enumOf(LeadSourceKind.allCases.map(\.rawValue)), "name": str,
                                    "mapping": ["type": "object", "additionalProperties": str], "source_label": nstr, "campaign": nstr,
                                    "double_opt_in": ["type": "boolean"]],
                                   required: ["kind", "name"])
        s["LeadSource"] = obj(["id": str, "workspace_id": str, "kind": enumOf(LeadSourceKind.allCases.map(\.rawValue)), "name": str,
                               "public_key": str, "secret": nstr, "mapping": ["type": "object", "additionalProperties": str],
                               "source_label": nstr, "campaign": nstr, "disabled": ["type": "boolean"], "double_opt_in": ["type": "boolean"], "created_at": time])
        s["LeadSourceList"] = obj(["items": arr(ref("LeadSource"))])
        s["WebhookPayload"] = ["type": "object", "additionalProperties": true]
        s["LeadReceipt"] = obj(["id": str], required: ["id"])
        s["PipelineStage"] = obj(["id": str, "name": str, "name_key": nstr, "position": int, "probability": int, "kind": enumOf(DealStatus.allCases.map(\.rawValue))])
        s["Pipeline"] = obj(["id": str, "name": str, "name_key": nstr, "position": int, "stages": arr(ref("PipelineStage"))])
        s["PipelineList"] = obj(["items": arr(ref("Pipeline"))])
        s["PipelineInput"] = obj(["name": str, "stages": arr(obj(["name": str, "probability": int, "kind": enumOf(DealStatus.allCases.map(\.rawValue))],
                                                                 required: ["name", "probability"]))], required: ["name", "stages"])
        s["DealInput"] = obj(dealInput, required: ["name", "customer_id"])
        // a change names only what it may change (the pipeline, stage and customer move by their own operations)
        s["DealPatch"] = obj(dealInput.filter { ["name", "owner_id", "amount", "expected_close"].contains($0.key) })
        s["Deal"] = obj(dealStored, required: ["id", "name", "status", "amount", "version"])
        s["DealPage"] = obj(["items": arr(ref("Deal")), "next_cursor": nstr])
        s["DealMoveInput"] = obj(["stage_id": str, "reason": nstr], required: ["stage_id"])
        s["DealBoard"] = obj(["pipeline": ref("Pipeline"), "columns": arr(obj(["stage": ref("PipelineStage"), "count": int, "totals": arr(ref("Money")),
                                                                              "weighted": arr(ref("Money")), "deals": arr(ref("Deal"))]))])
        s["ForecastList"] = obj(["items": arr(obj(["month": str, "owner_id": nstr, "team_id": nstr, "count": int, "amount": ref("Money"), "weighted": ref("Money")]))])
        s["LeadBatchInput"] = obj(["leads": arr(ref("LeadInput"))], required: ["leads"])
        s["LeadBatchResult"] = obj(["items": arr(obj(["index": int, "result": enumOf(["created", "failed"]), "id": nstr, "owner_id": nstr,
                                                      "duplicate_of_customer_id": nstr, "duplicate_of_lead_id": nstr, "error": nstr,
                                                      "fields": ["type": ["object", "null"], "additionalProperties": str]]))])
        s["LeadFunnel"] = obj(["captured": int, "contacted": int, "qualified": int, "converted": int, "disqualified": int,
                               "by_source": arr(obj(["source": str, "captured": int, "converted": int]))])
        s["CloseReasonList"] = obj(["items": arr(obj(["status": enumOf(["won", "lost"]), "reason": nstr, "count": int, "amount": ref("Money")]))])
        s["OverdueCollectionList"] = obj(["items": arr(obj(["order_id": str, "number": str, "customer_id": str, "owner_id": nstr, "due_date": str,
                                                            "due": ref("Money")]))])
        s["SalesTarget"] = obj(["month": str, "user_id": nstr, "team_id": nstr, "metric": enumOf(TargetMetric.allCases.map(\.rawValue)), "amount": ref("Money")],
                               required: ["month", "metric", "amount"])
        var targets = arr(ref("SalesTarget"))
        targets["minItems"] = 1; targets["maxItems"] = 500
        s["TargetsInput"] = obj(["targets": targets], required: ["targets"])
        s["TargetList"] = obj(["items": arr(ref("SalesTarget"))])
        s["AttainmentList"] = obj(["items": arr(obj(["target": ref("SalesTarget"), "achieved": ref("Money"), "percent": nint]))])
        return s
    }
}
