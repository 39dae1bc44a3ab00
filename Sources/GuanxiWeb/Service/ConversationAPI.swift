import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` for the agent's daily tools: canned replies (administrators keep them, agents read
/// them and have one rendered for a ticket), who else has a ticket open, and bulk changes from the queue.
struct ConversationAPI {
    let conversation: ConversationStore
    let tickets: TicketStore

    struct CannedInput: Decodable {
        var title: String; var bodies: [String: String]; var ticketType: TicketType?; var active: Bool?
        enum CodingKeys: String, CodingKey { case title, bodies, active, ticketType = "ticket_type" }
        var reply: CannedReply { CannedReply(title: title, bodies: bodies, ticketType: ticketType, active: active ?? true) }
    }
    struct Rendered: Encodable, Sendable { var id: String; var language: String; var text: String }
    struct BulkInput: Decodable {
        struct Action: Decodable {
            var type: String?; var assigneeID: String?; var teamID: String?; var status: String?; var priority: String?; var tag: String?
            enum CodingKeys: String, CodingKey { case type, status, priority, tag, assigneeID = "assignee_id", teamID = "team_id" }
        }
        var ids: [String]; var action: Action; var versions: [String: Int]?
    }
    /// Each ticket's outcome, and the counts.
    struct BulkAnswer: Encodable {
        struct Item: Encodable {
            var id: String; var number: Int?; var outcome: String; var error: ErrorMiddleware<AppContext>.Body.Inner?
        }
        var updated: Int; var unchanged: Int; var skipped: Int; var results: [Item]
        init(_ results: [TicketBulkResult]) {
            updated = results.count { $0.outcome == .updated }; unchanged = results.count { $0.outcome == .unchanged }
            skipped = results.count { $0.outcome == .skipped }
            self.results = results.map { r in
                Item(id: r.id, number: r.number, outcome: r.outcome.rawValue, error: r.error.map { ErrorMiddleware<AppContext>.map($0).1.error })
            }
        }
    }

    func register(_ t: RouteTable) {
        let tag = "Service"
        t.on(APIRoute(method: .get, path: "/service/canned-replies", operationID: "listCannedReplies",
                      summary: "The workspace's canned replies by title, each with its words in zh-Hans, zh-Hant and en", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "CannedReplyList")) { _, _, scope in
            .json(Items(items: try await conversation.cannedReplies(scope)))
        }
        t.on(APIRoute(method: .post, path: "/service/canned-replies", operationID: "createCannedReply",
                      summary: "Add a canned reply (placeholders: {{customer.name}}, {{ticket.number}}, {{ticket.subject}}, {{agent.name}}, {{sla.resolution_due}})",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "CannedReplyInput", responseSchema: "CannedReply",
                      status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await conversation.cannedReply(scope, id: id) }) { req, _, scope in
            let r = try await conversation.saveCannedReply(scope, try await APIBody.json(CannedInput.self, req).reply)
            return .json(r, status: .created, etag: r.version)
        }
        t.on(APIRoute(method: .put, path: "/service/canned-replies/{id}", operationID: "updateCannedReply", summary: "Replace a canned reply (If-Match)",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "CannedReplyInput", responseSchema: "CannedReply", ifMatch: true)) { req, ctx, scope in
            let r = try await conversation.saveCannedReply(scope, try await APIBody.json(CannedInput.self, req).reply,
                                                          id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .json(r, etag: r.version)
        }
        t.on(APIRoute(method: .delete, path: "/service/canned-replies/{id}", operationID: "deleteCannedReply", summary: "Remove a canned reply",
                      tag: tag, needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await conversation.deleteCannedReply(scope, id: try ctx.parameters.require("id"))
            return .noContent
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/canned-replies/{reply}", operationID: "renderCannedReply",
                      summary: "A canned reply's words for this ticket, placeholders filled (language: zh-Hans, zh-Hant or en; else the caller's)",
                      tag: tag, needs: .can(.update, .tickets), query: ["language"], responseSchema: "RenderedCannedReply", queryValues: ["language": .oneOf(CannedReply.languages)])) { req, ctx, scope in
            let reply = try ctx.parameters.require("reply")
            if let l = req.query("language"), !CannedReply.languages.contains(l) { throw DomainError.field("language", CannedReplyText.unknownLanguage) }
            let (language, text) = try await conversation.render(scope, ticketID: try ctx.parameters.require("id"), replyID: reply,
                                                                 language: req.query("language"), agentLanguage: "zh-Hans")
            return .json(Rendered(id: reply.lowercased(), language: language, text: text))
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/viewers", operationID: "listTicketViewers",
                      summary: "Who else has the ticket's page open now (seen within two minutes), since when, and whether they are replying",
                      tag: tag, needs: .can(.read, .tickets), responseSchema: "TicketViewerList")) { _, ctx, scope in
            .json(Items(items: try await conversation.viewers(scope, ticketID: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .post, path: "/tickets/bulk", operationID: "bulkUpdateTickets",
                      summary: "Apply one action (assign, move, status, priority, tag) to up to 500 tickets, each by the rules of a single change; answers each ticket's outcome",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "TicketBulkInput", responseSchema: "TicketBulkAnswer")) { req, _, scope in
            let i = try await APIBody.json(BulkInput.self, req)
            let a = i.action
            let action = try TicketBulkAction.parse(type: a.type, assigneeID: a.assigneeID, teamID: a.teamID, status: a.status, priority: a.priority, tag: a.tag)
            return .json(BulkAnswer(try await tickets.bulk(scope, ids: i.ids, action: action, versions: i.versions ?? [:])))
        }
    }
}

extension OpenAPIDocument {
    /// Canned replies, ticket viewers and bulk changes.
    static func conversationSchemas() -> [String: Any] {
        var s: [String: Any] = [:]
        let bodies = obj(Dictionary(uniqueKeysWithValues: CannedReply.languages.map { ($0, str) }))
        let ntype: [String: Any] = ["type": ["string", "null"], "enum": TicketType.allCases.map(\.rawValue) + [NSNull()]]
        let reply: [String: Any] = ["title": str, "bodies": bodies, "ticket_type": ntype, "active": ["type": "boolean"]]
        s["CannedReplyInput"] = obj(reply, required: ["title", "bodies"])
        s["CannedReply"] = obj(reply.merging(["id": str, "version": int]) { a, _ in a }, required: ["id", "title", "bodies", "active", "version"])
        s["CannedReplyList"] = obj(["items": arr(ref("CannedReply"))])
        s["RenderedCannedReply"] = obj(["id": str, "language": enumOf(CannedReply.languages), "text": str], required: ["id", "language", "text"])
        s["TicketViewer"] = obj(["user_id": str, "name": str, "since": time, "seen_at": time, "replying": ["type": "boolean"]],
                                required: ["user_id", "name", "since", "seen_at", "replying"])
        s["TicketViewerList"] = obj(["items": arr(ref("TicketViewer"))])
        let action = obj(["type": enumOf(TicketBulkAction.types), "assignee_id": nstr, "team_id": nstr,
                          "status": enumOf(TicketStatus.allCases.map(\.rawValue)), "priority": enumOf(TicketPriority.allCases.map(\.rawValue)),
                          "tag": ["type": "string", "maxLength": 40, "pattern": Pattern.words]], required: ["type"])
        s["TicketBulkInput"] = obj(["ids": ["type": "array", "items": str, "minItems": 1, "maxItems": TicketBulkAction.limit], "action": action,
                                    "versions": ["type": "object", "additionalProperties": int]], required: ["ids", "action"])
        let error = obj(["code": str, "message": str, "fields": ["type": "object", "additionalProperties": str]])
        s["TicketBulkResult"] = obj(["id": str, "number": ["type": ["integer", "null"]], "outcome": enumOf(["updated", "unchanged", "skipped"]),
                                     "error": ["oneOf": [error, ["type": "null"]]]], required: ["id", "outcome"])
        s["TicketBulkAnswer"] = obj(["updated": int, "unchanged": int, "skipped": int, "results": arr(ref("TicketBulkResult"))],
                                    required: ["updated", "unchanged", "skipped", "results"])
        return s
    }
}
