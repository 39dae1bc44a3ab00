import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension OpenAPIDocument {
    /// Tickets, their messages, business calendars and SLA policies. Due times are null when no
    /// target applies; `sla_paused_since` is set while the clock stands still.
    static func serviceSchemas() -> [String: Any] {
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let nint: [String: Any] = ["type": ["integer", "null"], "minimum": 1]
        let types = TicketType.allCases.map(\.rawValue), priorities = TicketPriority.allCases.map(\.rawValue)
        let channels = TicketChannel.allCases.map(\.rawValue), statuses = TicketStatus.allCases.map(\.rawValue)
        let targets = obj(["first_response": nint, "next_response": nint, "resolution": nint])
        let custom: [String: Any] = ["type": "object", "additionalProperties": true]
        var s: [String: Any] = [:]
        s["TicketInput"] = obj(["customer_id": str, "subject": str, "body": str, "type": enumOf(types), "priority": enumOf(priorities),
                                "channel": enumOf(channels), "team_id": nstr, "assignee_id": nstr, "order_id": nstr, "product_id": nstr,
                                "tags": arr(str), "custom": custom],
                               required: ["customer_id", "subject", "body"])
        s["Ticket"] = obj(["id": str, "number": int, "customer_id": str, "subject": str, "type": enumOf(types), "priority": enumOf(priorities),
                           "status": enumOf(statuses), "channel": enumOf(channels), "team_id": nstr, "assignee_id": nstr, "order_id": nstr,
                           "product_id": nstr, "custom": custom, "tags": arr(str), "sla_policy_id": nstr, "first_response_due_at": ntime, "first_responded_at": ntime,
                           "next_response_due_at": ntime, "resolution_due_at": ntime, "resolved_at": ntime, "sla_paused_since": ntime,
                           "created_by": nstr, "created_at": time, "updated_at": time, "version": int],
                          required: ["id", "number", "status", "first_response_due_at"])
        s["TicketPage"] = obj(["items": arr(ref("Ticket")), "next_cursor": nstr])
        s["TicketPatch"] = obj(["type": enumOf(types), "priority": enumOf(priorities), "team_id": nstr, "assignee_id": nstr, "tags": arr(str),
                                "product_id": nstr, "custom": custom])
        s["TicketStatusInput"] = obj(["status": enumOf(statuses)], required: ["status"])
        s["TicketMessage"] = obj(["id": str, "ticket_id": str, "kind": enumOf(TicketMessage.Kind.allCases.map(\.rawValue)), "author_id": nstr,
                                  "body": str, "created_at": time, "attachments": arr(ref("TicketAttachment"))])
        s["TicketAttachment"] = obj(["id": str, "ticket_id": str, "message_id": str, "name": str, "content_type": str, "size": int,
                                     "sha256": str, "uploaded_by": nstr, "created_at": time],
                                    required: ["id", "ticket_id", "message_id", "name", "content_type", "size", "sha256", "created_at"])
        s["TicketMessageUpload"] = obj(["kind": enumOf(TicketMessage.Kind.allCases.map(\.rawValue)), "body": str, "status": enumOf(statuses),
                                        "attachments": arr(["type": "string", "format": "binary"])], required: ["body"])
        s["TicketMessageList"] = obj(["items": arr(ref("TicketMessage"))])
        s["TicketMessageInput"] = obj(["kind": enumOf(TicketMessage.Kind.allCases.map(\.rawValue)), "body": str, "status": enumOf(statuses)],
                                      required: ["body"])
        s["TicketMessageAnswer"] = obj(["ticket": ref("Ticket"), "message": ref("TicketMessage")])
        let hours: [String: Any] = arr(arr(str))
        s["BusinessCalendar"] = obj(["time_zone": str,
                                     "week": obj(Dictionary(uniqueKeysWithValues: BusinessCalendar.weekdayKeys.map { ($0, hours) })),
                                     "holidays": arr(["type": "string", "format": "date"]), "workdays": arr(["type": "string", "format": "date"]),
                                     "workday_hours": hours], required: ["time_zone", "week"])
        s["NamedBusinessCalendar"] = obj(["name": str, "spec": ref("BusinessCalendar")])
        s["BusinessCalendarList"] = obj(["items": arr(ref("NamedBusinessCalendar"))])
        let policy: [String: Any] = ["name": str, "position": int, "types": arr(enumOf(types)), "channels": arr(enumOf(channels)),
                                     "tiers": arr(str), "targets": obj(Dictionary(uniqueKeysWithValues: priorities.map { ($0, targets) })),
                                     "calendar": nstr, "active": ["type": "boolean"]]
        s["SLAPolicyInput"] = obj(policy, required: ["name", "targets"])
        s["SLAPolicy"] = obj(policy.merging(["id": str]) { a, _ in a })
        s["SLAPolicyList"] = obj(["items": arr(ref("SLAPolicy"))])
        s["QuarantinedMail"] = obj(["id": str, "received_at": time, "reason": str, "sender": nstr, "subject": nstr, "size": int, "preview": str],
                                   required: ["id", "received_at", "reason", "size"])
        s["MailQuarantineList"] = obj(["items": arr(ref("QuarantinedMail"))])
        let nnum: [String: Any] = ["type": ["number", "null"]]
        let spread = obj(["count": int, "p50": nnum, "p90": nnum])
        s["ServiceKPIs"] = obj(["key": nstr, "name": nstr, "tickets": int, "first_response_hours": spread, "resolution_hours": spread,
                                "breached": int, "reopened": int, "open": int, "breach_rate": nnum, "reopen_rate": nnum,
                                "surveys_answered": int, "csat_average": nnum, "satisfied_rate": nnum, "nps_answers": int, "nps": nnum])
        let nstamp: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let nsmall: [String: Any] = ["type": ["integer", "null"]]
        s["TicketSurvey"] = obj(["id": str, "ticket_id": str, "created_at": time, "expires_at": time, "answered_at": nstamp,
                                 "rating": nsmall, "nps": nsmall, "comment": nstr, "negative": ["type": "boolean"],
                                 "reply_due_at": nstamp, "replied_at": nstamp,
                                 "reply_state": nstr],
                                required: ["id", "ticket_id", "created_at", "expires_at", "negative"])
        s["TicketSurveyAnswer"] = obj(["survey": ["oneOf": [ref("TicketSurvey"), ["type": "null"]]]], required: ["survey"])
        s["ServiceReport"] = obj(["month": str, "from": time, "to": time, "total": ref("ServiceKPIs"), "by_department": arr(ref("ServiceKPIs")),
                                  "by_agent": arr(ref("ServiceKPIs")), "by_type": arr(ref("ServiceKPIs")),
                                  "per_day": arr(obj(["day": str, "tickets": int])), "complaints": int, "orders": ["type": ["integer", "null"]],
                                  "complaints_per_1000_orders": nnum])
        return s
    }
}
