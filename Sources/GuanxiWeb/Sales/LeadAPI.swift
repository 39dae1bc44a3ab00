import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` leads: capture, follow-up, transfer, conversion; assignment rules; forms and webhooks.
struct LeadAPI {
    let leads: LeadStore
    let rules: AssignmentRuleStore
    let sources: LeadSourceStore
    let importer: LeadImporter

    struct StatusInput: Decodable { var status: LeadStatus; var reason: String? }
    struct TransferInput: Decodable {
        var ownerID: String?; var reason: String
        enum CodingKeys: String, CodingKey { case ownerID = "owner_id", reason }
    }
    struct RuleInput: Decodable {
        var name: String; var position: Int?; var active: Bool?; var conditions: LeadConditions?; var method: AssignmentMethod
        var teamID: String?; var userID: String?; var responseMinutes: Int?
        enum CodingKeys: String, CodingKey {
            case name, position, active, conditions, method, teamID = "team_id", userID = "user_id", responseMinutes = "response_minutes"
        }
        func rule(id: String) -> AssignmentRule {
            AssignmentRule(id: id, name: name, position: position ?? 100, active: active ?? true, conditions: conditions ?? LeadConditions(),
                           method: method, teamID: teamID?.lowercased(), userID: userID?.lowercased(), responseMinutes: responseMinutes)
        }
    }
    struct SourceInput: Decodable {
        var kind: LeadSourceKind; var name: String; var mapping: [String: String]?; var sourceLabel: String?; var campaign: String?
        var doubleOptIn: Bool?
        enum CodingKeys: String, CodingKey { case kind, name, mapping, sourceLabel = "source_label", campaign, doubleOptIn = "double_opt_in" }
    }

    /// `{"leads":[…]}`, read by hand like a single lead (a wrong type names `leads[i].field`).
    struct BatchInput: Decodable, JSONReadable {
        var leads: [LeadDraft]
        init(json o: [String: JSONValue]) throws(DomainError) {
            guard case .array(let items)? = o["leads"] else {
                throw DomainError.field("leads", o["leads"] == nil ? "is required" : "has the wrong type (expected a list)")
            }
            leads = []
            for (i, item) in items.enumerated() {
                guard case .object(let fields) = item else { throw DomainError.field("leads[\(i)]", "has the wrong type (expected an object)") }
                do { leads.append(try LeadDraft(json: fields)) } catch {
                    guard case .validation(let f) = error else { throw error }
                    throw DomainError.validation(Dictionary(uniqueKeysWithValues: f.map { ("leads[\(i)].\($0.key)", $0.value) }))
                }
            }
        }
    }
    struct BatchResult: Encodable, Sendable {
        var index: Int; var result: String; var id: String?; var ownerID: String?; var duplicateOfCustomerID: String?; var duplicateOfLeadID: String?
        var error: String?; var fields: [String: String]?
        enum CodingKeys: String, CodingKey {
            case index, result, id, ownerID = "owner_id", duplicateOfCustomerID = "duplicate_of_customer_id", duplicateOfLeadID = "duplicate_of_lead_id"
            case error, fields
        }
        init(_ i: Int, _ r: Result<Lead, DomainError>) {
            index = i
            switch r {
            case .success(let l):
                result = "created"; id = l.id; ownerID = l.ownerID; duplicateOfCustomerID = l.duplicateOfCustomerID; duplicateOfLeadID = l.duplicateOfLeadID
            case .failure(let e):
                result = "failed"
                if case .validation(let f) = e { error = "validation"; fields = f.mapValues(\.text) } else { error = "\(e)" }
            }
        }
    }

    func register(_ t: RouteTable) {
        let tag = "Leads"
        t.on(APIRoute(method: .get, path: "/leads", operationID: "listLeads", summary: "Leads, newest first (status, owner, source, overdue filters)",
                      tag: tag, needs: .can(.read, .leads), query: ["status", "owner_id", "source", "overdue", "cursor", "limit"],
                      responseSchema: "LeadPage", queryValues: ["status": .cases(LeadStatus.self), "overdue": .text])) { req, _, scope in
            var f = LeadFilter()
            var e = FieldErrors()
            if let s = req.query("status") { if let v = LeadStatus(rawValue: s) { f.status = v } else { e.add("status", .oneOf(LeadStatus.self)) } }
            if let o = req.query("owner_id") { if ID.isValid(o) { f.ownerID = o.lowercased() } else { e.add("owner_id", "is not a valid id") } }
            f.source = req.query("source")
            f.overdue = req.query("overdue") == "true"
            try e.throwIfAny()
            return .json(try await leads.list(scope, filter: f, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/leads", operationID: "createLead", summary: "Capture a lead (duplicate-checked, placed by the assignment rules)",
                      tag: tag, needs: .can(.create, .leads), requestSchema: "LeadInput", responseSchema: "Lead", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await leads.get(scope, id: id) }) { req, _, scope in
            .json(try await leads.create(scope, try await APIBody.json(LeadDraft.self, req)), status: .created)
        }
        t.on(APIRoute(method: .post, path: "/leads/batch", operationID: "createLeads",
                      summary: "Capture up to 1000 leads in one transaction, each duplicate-checked and placed as POST /leads would; each is created or failed with its reasons",
                      tag: tag, needs: .can(.create, .leads), requestSchema: "LeadBatchInput", responseSchema: "LeadBatchResult", idempotent: true)) { req, _, scope in
            let input = try APIBody.decode(BatchInput.self, from: try await APIBody.bytes(req, limit: 8 << 20))
            let placed = try await leads.createMany(scope, input.leads)
            return .json(Items(items: placed.enumerated().map { BatchResult($0.offset, $0.element) }))
        }
        t.on(APIRoute(method: .post, path: "/leads/import", operationID: "importLeads",
                      summary: "Import leads from CSV (UTF-8 or GB18030, Chinese or English headers; text/csv or multipart): each row is captured like an API lead, bad rows are reported by line",
                      tag: tag, needs: .can(.create, .leads), query: ["dry_run"], requestSchema: "CSV", requestContentType: "text/csv",
                      responseSchema: "LeadImportReport", idempotent: true)) { req, _, scope in
            let body = try await APIBody.bytes(req, limit: APIBody.maxUpload)
            var data = body
            if let boundary = Multipart.boundary(req.headers[.contentType]) {
                guard let file = Multipart.parse(body, boundary: boundary).first(where: { $0.filename != nil || $0.name == "file" }) else {
                    throw DomainError.field("file", .csvFile)
                }
                data = file.data
            }
            if data.isEmpty { throw DomainError.field("file", "the upload is empty") }
            return .json(try await importer.run(scope, data: data, dryRun: ["1", "true"].contains(req.query("dry_run") ?? "")))
        }
        t.on(APIRoute(method: .get, path: "/leads/{id}", operationID: "getLead", summary: "Read a lead", tag: tag, needs: .can(.read, .leads),
                      responseSchema: "Lead")) { _, ctx, scope in
            let l = try await leads.get(scope, id: try ctx.parameters.require("id"))
            return .json(l, etag: l.version)
        }
        t.on(APIRoute(method: .post, path: "/leads/{id}/status", operationID: "setLeadStatus",
                      summary: "Move a lead: contacted, qualified, disqualified (with a reason) or back", tag: tag, needs: .can(.update, .leads),
                      requestSchema: "LeadStatusInput", responseSchema: "Lead", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(StatusInput.self, req)
            let l = try await leads.setStatus(scope, id: try ctx.parameters.require("id"), to: i.status, reason: i.reason, ifVersion: try req.ifMatchVersion())
            return .json(l, etag: l.version)
        }
        t.on(APIRoute(method: .post, path: "/leads/{id}/transfer", operationID: "transferLead", summary: "Hand a lead to another user (or the pool) with a reason",
                      tag: tag, needs: .can(.assign, .leads), requestSchema: "LeadTransferInput", responseSchema: "Lead")) { req, ctx, scope in
            let i = try await APIBody.json(TransferInput.self, req)
            return .json(try await leads.transfer(scope, id: try ctx.parameters.require("id"), to: i.ownerID, reason: i.reason))
        }
        t.on(APIRoute(method: .post, path: "/leads/{id}/activities", operationID: "addLeadActivity",
                      summary: "Log a call, visit, WeChat chat or note on a lead (the first contact answers its deadline)", tag: tag,
                      needs: .can(.update, .leads), requestSchema: "ActivityInput", responseSchema: "TimelineEntry", status: 201)) { req, ctx, scope in
            let d = try await APIBody.json(ActivityDraft.self, req)
            return .json(try await leads.addActivity(scope, leadID: try ctx.parameters.require("id"), d, isNote: d.kind == nil),
                         status: .created)
        }
        t.on(APIRoute(method: .get, path: "/leads/{id}/timeline", operationID: "getLeadTimeline", summary: "A lead's history, newest first",
                      tag: tag, needs: .can(.read, .leads), query: ["cursor", "limit"], responseSchema: "TimelinePage")) { req, ctx, scope in
            .json(try await leads.timeline(scope, leadID: try ctx.parameters.require("id"), cursor: req.query("cursor"),
                                           limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/leads/{id}/convert", operationID: "convertLead",
                      summary: "Convert a lead into a customer (and organisation), keeping its history", tag: tag,
                      needs: .can(.create, .customers), requestSchema: "LeadConversionInput", responseSchema: "LeadConversion")) { req, ctx, scope in
            let body = try await APIBody.bytes(req)
            let input = body.isEmpty ? LeadConversion() : try APIBody.decode(LeadConversion.self, from: body)
            return .json(try await leads.convert(scope, id: try ctx.parameters.require("id"), input))
        }

        // Assignment rules
        t.on(APIRoute(method: .get, path: "/assignment-rules", operationID: "listAssignmentRules", summary: "Lead assignment rules, in order",
                      tag: tag, needs: .can(.read, .leads), responseSchema: "AssignmentRuleList")) { _, _, scope in
            .json(Items(items: try await rules.list(scope)))
        }
        t.on(APIRoute(method: .post, path: "/assignment-rules", operationID: "createAssignmentRule", summary: "Add an assignment rule",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "AssignmentRuleInput", responseSchema: "AssignmentRule",
                      status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in
                 guard try await rules.list(scope).contains(where: { $0.id == id }) else { throw DomainError.notFound("assignment rule") }
             }) { req, _, scope in
            .json(try await rules.save(scope, try await APIBody.json(RuleInput.self, req).rule(id: ID.make())), status: .created)
        }
        t.on(APIRoute(method: .put, path: "/assignment-rules/{id}", operationID: "replaceAssignmentRule", summary: "Change an assignment rule",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "AssignmentRuleInput", responseSchema: "AssignmentRule")) { req, ctx, scope in
            let id = try ctx.parameters.require("id")
            guard ID.isValid(id) else { throw DomainError.notFound("assignment rule") }
            guard try await rules.list(scope).contains(where: { $0.id == id.lowercased() }) else { throw DomainError.notFound("assignment rule") }
            return .json(try await rules.save(scope, try await APIBody.json(RuleInput.self, req).rule(id: id.lowercased())))
        }
        t.on(APIRoute(method: .delete, path: "/assignment-rules/{id}", operationID: "deleteAssignmentRule", summary: "Remove an assignment rule",
                      tag: tag, needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await rules.delete(scope, id: try ctx.parameters.require("id").lowercased())
            return .noContent
        }

        // Forms and webhooks
        t.on(APIRoute(method: .get, path: "/lead-sources", operationID: "listLeadSources", summary: "Public lead forms and webhooks (secrets not shown)",
                      tag: tag, needs: .can(.read, .settings), responseSchema: "LeadSourceList")) { _, _, scope in
            .json(Items(items: try await sources.list(scope)))
        }
        t.on(APIRoute(method: .post, path: "/lead-sources", operationID: "createLeadSource",
                      summary: "Create a public lead form or a signed webhook (the answer shows the webhook secret once)", tag: tag,
                      needs: .can(.update, .settings), requestSchema: "LeadSourceInput", responseSchema: "LeadSource", status: 201)) { req, _, scope in
            let i = try await APIBody.json(SourceInput.self, req)
            return .json(try await sources.create(scope, kind: i.kind, name: i.name, mapping: i.mapping ?? [:], sourceLabel: i.sourceLabel,
                                                  campaign: i.campaign, doubleOptIn: i.doubleOptIn ?? false), status: .created)
        }
        t.on(APIRoute(method: .delete, path: "/lead-sources/{id}", operationID: "disableLeadSource", summary: "Switch a lead form or webhook off",
                      tag: tag, needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await sources.disable(scope, id: try ctx.parameters.require("id").lowercased())
            return .noContent
        }
        t.onPublic(APIRoute(method: .post, path: "/hooks/leads/{key}", operationID: "receiveLeadWebhook",
                            summary: "An ad platform or shop posts a lead (JSON, signed: X-Guanxi-Signature: t=…,v1=HMAC-SHA256(secret, \"t.body\"))",
                            tag: tag, needs: .anyone, requestSchema: "WebhookPayload", responseSchema: "LeadReceipt", status: 201)) { req, ctx in
            let body = try await APIBody.bytes(req)
            let l = try await sources.receiveWebhook(publicKey: try ctx.parameters.require("key"), signature: req.headers[HTTPField.Name("X-Guanxi-Signature")!],
                                                     body: Array(body))
            struct Receipt: Encodable, Sendable { var id: String }
            return .json(Receipt(id: l.id), status: .created)
        }
    }
}
