import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` routing and hand-offs: the workspace's routing rules and agents' skills (for
/// administrators), and a ticket's steps — the hand-off chain, child tasks and approvals.
struct RoutingAPI {
    let routing: RoutingStore
    let steps: TicketStepStore

    struct SkillsInput: Codable, Sendable { var skills: [String] }
    struct StepInput: Decodable {
        var kind: String?; var teamID: String?; var title: String?; var assigneeID: String?; var approverID: String?
        var approverRole: String?; var minutes: Int?
        enum CodingKeys: String, CodingKey {
            case kind, title, minutes
            case teamID = "team_id", assigneeID = "assignee_id", approverID = "approver_id", approverRole = "approver_role"
        }
        var draft: TicketStepDraft {
            var d = TicketStepDraft()
            d.kind = kind; d.teamID = teamID; d.title = title ?? ""; d.assigneeID = assigneeID; d.approverID = approverID
            d.approverRole = approverRole; d.minutes = minutes
            return d
        }
    }
    struct CompleteInput: Decodable {
        var note: String?; var customerMessage: String?
        enum CodingKeys: String, CodingKey { case note, customerMessage = "customer_message" }
    }
    struct DecisionInput: Decodable { var decision: String; var note: String? }

    func register(_ t: RouteTable) {
        let tag = "Service"
        t.on(APIRoute(method: .get, path: "/service/routing-rules", operationID: "listRoutingRules",
                      summary: "Routing rules in the order they are tried (the first that matches a new ticket chooses its department and agent)",
                      tag: tag, needs: .can(.read, .settings), responseSchema: "RoutingRuleList")) { _, _, scope in
            .json(Items(items: try await routing.rules(scope)))
        }
        t.on(APIRoute(method: .post, path: "/service/routing-rules", operationID: "createRoutingRule",
                      summary: "Add a routing rule: conditions (types, channels, tiers, keywords, products, provinces), department and strategy",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "RoutingRuleInput", responseSchema: "RoutingRule",
                      status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in
                 guard try await routing.rules(scope).contains(where: { $0.id == id }) else { throw DomainError.notFound("routing rule") }
             }) { req, _, scope in
            let rule = try await routing.save(scope, try await APIBody.json(RoutingRuleDraft.self, req).rule())
            return .json(rule, status: .created, etag: rule.version)
        }
        t.on(APIRoute(method: .put, path: "/service/routing-rules/{id}", operationID: "updateRoutingRule",
                      summary: "Replace a routing rule (If-Match)", tag: tag, needs: .can(.update, .settings),
                      requestSchema: "RoutingRuleInput", responseSchema: "RoutingRule", ifMatch: true)) { req, ctx, scope in
            let rule = try await routing.save(scope, try await APIBody.json(RoutingRuleDraft.self, req).rule(), id: try ctx.parameters.require("id"),
                                              ifVersion: try req.ifMatchVersion())
            return .json(rule, etag: rule.version)
        }
        t.on(APIRoute(method: .delete, path: "/service/routing-rules/{id}", operationID: "deleteRoutingRule", summary: "Remove a routing rule",
                      tag: tag, needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await routing.delete(scope, id: try ctx.parameters.require("id"))
            return .noContent
        }
        t.on(APIRoute(method: .get, path: "/service/agents", operationID: "listServiceAgents",
                      summary: "The workspace's active members with their departments, skills and open tickets", tag: tag,
                      needs: .can(.read, .settings), responseSchema: "ServiceAgentList")) { _, _, scope in
            .json(Items(items: try await routing.agents(scope)))
        }
        t.on(APIRoute(method: .put, path: "/service/agents/{id}/skills", operationID: "saveAgentSkills",
                      summary: "Replace a member's skills (what the skill strategy matches tickets against)", tag: tag,
                      needs: .can(.update, .settings), requestSchema: "AgentSkillsInput", responseSchema: "AgentSkills")) { req, ctx, scope in
            .json(SkillsInput(skills: try await routing.saveSkills(scope, userID: try ctx.parameters.require("id"),
                                                                  skills: try await APIBody.json(SkillsInput.self, req).skills)))
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/steps", operationID: "listTicketSteps",
                      summary: "The ticket's hand-off chain, child tasks and approvals, in order", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "TicketStepList")) { _, ctx, scope in
            .json(Items(items: try await steps.list(scope, ticketID: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .post, path: "/tickets/{id}/steps", operationID: "addTicketStep",
                      summary: "Add a hand-off (kind handoff: the chain's next department), a child task or an approval; deadlines in business minutes",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "TicketStepInput", responseSchema: "TicketWithSteps",
                      status: 201, idempotent: true, ifMatch: true)) { req, ctx, scope in
            let r = try await steps.add(scope, ticketID: try ctx.parameters.require("id"), try await APIBody.json(StepInput.self, req).draft,
                                        ifVersion: try req.ifMatchVersion())
            return .json(r, status: .created, etag: r.ticket.version)
        }
        t.on(APIRoute(method: .post, path: "/tickets/{id}/steps/{step}/complete", operationID: "completeTicketStep",
                      summary: "Complete an active hand-off or child task; a hand-off passes the ticket on and tells the customer (If-Match)",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "TicketStepCompletion", responseSchema: "TicketWithSteps", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(CompleteInput.self, req)
            let r = try await steps.complete(scope, ticketID: try ctx.parameters.require("id"), stepID: try ctx.parameters.require("step"),
                                             note: i.note, customerMessage: i.customerMessage, ifVersion: try req.ifMatchVersion())
            return .json(r, etag: r.ticket.version)
        }
        t.on(APIRoute(method: .post, path: "/tickets/{id}/steps/{step}/decision", operationID: "decideTicketStep",
                      summary: "Approve or reject an approval (its named approver or a holder of its role; If-Match)", tag: tag,
                      needs: .can(.read, .tickets), requestSchema: "TicketStepDecision", responseSchema: "TicketWithSteps", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(DecisionInput.self, req)
            guard ["approve", "reject"].contains(i.decision) else { throw DomainError.field("decision", RoutingWords.decision) }
            let r = try await steps.decide(scope, ticketID: try ctx.parameters.require("id"), stepID: try ctx.parameters.require("step"),
                                           approve: i.decision == "approve", note: i.note, ifVersion: try req.ifMatchVersion())
            return .json(r, etag: r.ticket.version)
        }
    }
}

extension OpenAPIDocument {
    /// Routing rules, agents' skills and ticket steps.
    static func routingSchemas() -> [String: Any] {
        let types = TicketType.allCases.map(\.rawValue), channels = TicketChannel.allCases.map(\.rawValue)
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        var s: [String: Any] = [:]
        let conditions = obj(["types": arr(enumOf(types)), "channels": arr(enumOf(channels)), "tiers": arr(str), "keywords": arr(str),
                              "products": arr(str), "provinces": arr(str)])
        let rule: [String: Any] = ["name": str, "position": ["type": "integer", "minimum": 0, "maximum": 1_000_000], "active": ["type": "boolean"], "conditions": conditions, "team_id": str,
                                   "strategy": enumOf(RoutingStrategy.allCases.map(\.rawValue))]
        s["RoutingRuleInput"] = obj(rule, required: ["name", "team_id"])
        s["RoutingRule"] = obj(rule.merging(["id": str, "version": int]) { a, _ in a }, required: ["id", "name", "team_id", "strategy", "version"])
        s["RoutingRuleList"] = obj(["items": arr(ref("RoutingRule"))])
        s["ServiceAgent"] = obj(["id": str, "name": str, "team_ids": arr(str), "skills": arr(str), "open_tickets": int])
        s["ServiceAgentList"] = obj(["items": arr(ref("ServiceAgent"))])
        s["AgentSkillsInput"] = obj(["skills": arr(str)], required: ["skills"])
        s["AgentSkills"] = obj(["skills": arr(str)])
        let kinds = enumOf(TicketStepKind.allCases.map(\.rawValue))
        s["TicketStepInput"] = obj(["kind": kinds, "team_id": nstr, "title": str, "assignee_id": nstr, "approver_id": nstr, "approver_role": ["type": ["string", "null"], "maxLength": 40],
                                    "minutes": ["type": ["integer", "null"], "minimum": 1, "maximum": 525_600]], required: ["title"])
        s["TicketStep"] = obj(["id": str, "ticket_id": str, "position": int, "kind": kinds, "state": enumOf(TicketStepState.allCases.map(\.rawValue)),
                               "team_id": nstr, "title": str, "assignee_id": nstr, "approver_id": nstr, "approver_role": nstr,
                               "minutes": ["type": ["integer", "null"]], "activated_at": ntime, "due_at": ntime, "completed_by": nstr,
                               "completed_at": ntime, "note": nstr, "created_by": nstr, "created_at": time],
                              required: ["id", "kind", "state", "title"])
        s["TicketStepList"] = obj(["items": arr(ref("TicketStep"))])
        s["TicketWithSteps"] = obj(["ticket": ref("Ticket"), "steps": arr(ref("TicketStep"))], required: ["ticket", "steps"])
        s["TicketStepCompletion"] = obj(["note": nstr, "customer_message": nstr])
        s["TicketStepDecision"] = obj(["decision": enumOf(["approve", "reject"]), "note": nstr], required: ["decision"])
        return s
    }
}
