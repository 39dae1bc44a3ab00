import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` pipelines and deals: open, change, move (won/lost with reasons), the board and the forecast.
struct DealAPI {
    let deals: DealStore

    struct MoveInput: Decodable {
        var stageID: String; var reason: String?
        enum CodingKeys: String, CodingKey { case stageID = "stage_id", reason }
    }
    struct PipelineInput: Decodable {
        struct Stage: Decodable { var name: String; var probability: Int; var kind: DealStatus? }
        var name: String; var stages: [Stage]
    }
    struct Board: Encodable, Sendable { var pipeline: Pipeline; var columns: [BoardColumn] }

    func register(_ t: RouteTable) {
        let tag = "Deals"
        t.on(APIRoute(method: .get, path: "/pipelines", operationID: "listPipelines", summary: "Pipelines with their stages and probabilities",
                      tag: tag, needs: .can(.read, .deals), responseSchema: "PipelineList")) { _, _, scope in
            .json(Items(items: try await deals.pipelines(scope)))
        }
        t.on(APIRoute(method: .post, path: "/pipelines", operationID: "createPipeline", summary: "Add a pipeline (stages in order; at least one open, won and lost)",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "PipelineInput", responseSchema: "Pipeline", status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(PipelineInput.self, req)
            return .json(try await deals.createPipeline(scope, name: i.name, stages: i.stages.map { ($0.name, $0.probability, $0.kind ?? .open) }),
                         status: .created)
        }
        t.on(APIRoute(method: .get, path: "/deals", operationID: "listDeals", summary: "Deals, newest first", tag: tag, needs: .can(.read, .deals),
                      query: ["pipeline_id", "status", "owner_id", "customer_id", "cursor", "limit"], responseSchema: "DealPage", queryValues: ["status": .cases(DealStatus.self)])) { req, _, scope in
            var f = DealFilter()
            var e = FieldErrors()
            for (k, apply) in [("pipeline_id", { (v: String) in f.pipelineID = v }), ("owner_id", { f.ownerID = $0 }), ("customer_id", { f.customerID = $0 })] {
                if let v = req.query(k) { if ID.isValid(v) { apply(v.lowercased()) } else { e.add(k, "is not a valid id") } }
            }
            if let s = req.query("status") { if let v = DealStatus(rawValue: s) { f.status = v } else { e.add("status", .oneOf(DealStatus.self)) } }
            try e.throwIfAny()
            return .json(try await deals.list(scope, filter: f, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/deals", operationID: "createDeal", summary: "Open a deal with a customer", tag: tag,
                      needs: .can(.create, .deals), requestSchema: "DealInput", responseSchema: "Deal", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await deals.get(scope, id: id) }) { req, _, scope in
            .json(try await deals.create(scope, try await APIBody.json(DealDraft.self, req)), status: .created)
        }
        t.on(APIRoute(method: .get, path: "/deals/board", operationID: "dealBoard",
                      summary: "The kanban board: each stage's count, totals and weighted totals per currency, and its first deals",
                      tag: tag, needs: .can(.read, .deals), query: ["pipeline_id", "owner_id", "per_stage"], responseSchema: "DealBoard", queryValues: ["pipeline_id": .text, "owner_id": .text])) { req, _, scope in
            let (p, columns) = try await deals.board(scope, pipelineID: req.query("pipeline_id"), ownerID: req.query("owner_id"),
                                                     perStage: Int(req.query("per_stage") ?? "") ?? 50)
            return .json(Board(pipeline: p, columns: columns))
        }
        t.on(APIRoute(method: .get, path: "/deals/forecast", operationID: "dealForecast",
                      summary: "Weighted forecast of open deals by month of expected close and owner (group=team: by team)", tag: tag,
                      needs: .can(.read, .deals), query: ["pipeline_id", "group"], responseSchema: "ForecastList", queryValues: ["pipeline_id": .text, "owner_id": .text])) { req, _, scope in
            let p = req.query("pipeline_id")
            return .json(Items(items: req.query("group") == "team" ? try await deals.forecastByTeam(scope, pipelineID: p)
                                                                     : try await deals.forecast(scope, pipelineID: p)))
        }
        t.on(APIRoute(method: .get, path: "/deals/{id}", operationID: "getDeal", summary: "Read a deal", tag: tag, needs: .can(.read, .deals),
                      responseSchema: "Deal")) { _, ctx, scope in
            let d = try await deals.get(scope, id: try ctx.parameters.require("id"))
            return .json(d, etag: d.version)
        }
        t.on(APIRoute(method: .patch, path: "/deals/{id}", operationID: "updateDeal", summary: "Change a deal's name, amount, expected close or owner (If-Match)",
                      tag: tag, needs: .can(.update, .deals), requestSchema: "DealPatch", responseSchema: "Deal")) { req, ctx, scope in
            let d = try await deals.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(DealDraft.self, req), ifVersion: try req.ifMatchVersion())
            return .json(d, etag: d.version)
        }
        t.on(APIRoute(method: .post, path: "/deals/{id}/move", operationID: "moveDeal",
                      summary: "Move a deal to a stage (won and lost close it; lost needs a reason)", tag: tag, needs: .can(.update, .deals),
                      requestSchema: "DealMoveInput", responseSchema: "Deal", ifMatch: true)) { req, ctx, scope in
            let i = try await APIBody.json(MoveInput.self, req)
            let d = try await deals.move(scope, id: try ctx.parameters.require("id"), toStage: i.stageID, reason: i.reason, ifVersion: try req.ifMatchVersion())
            return .json(d, etag: d.version)
        }
    }
}
