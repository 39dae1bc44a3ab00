import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/insights`: scoring runs on demand (answered at once with the run, which goes on in the
/// background) and their state.
struct InsightsAPI {
    let scores: ScoreStore
    let exports: RecordExporter

    struct Input: Decodable {
        var asOf: String?; var period: String?; var full: Bool?
        enum CodingKeys: String, CodingKey { case asOf = "as_of", period, full }
    }

    func register(_ t: RouteTable) {
        let tag = "Insights"
        t.on(APIRoute(method: .post, path: "/insights/score-runs", operationID: "startScoreRun",
                      summary: "Score the workspace's customers from their orders (RFM, BG/NBD or Pareto/NBD, Gamma-Gamma, CLV, tiers, classes): only those whose orders changed through the last full run's model, or all with a refit (full, or when the model is old); answers the run at once",
                      tag: tag, needs: .can(.create, .analytics), requestSchema: "ScoreRunInput", responseSchema: "ScoreRun", status: 202, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await scores.run(scope, id: id) }) { req, _, scope in
            let input = try await APIBody.json(Input.self, req)
            let run = try await scores.start(scope, asOf: input.asOf, period: input.period ?? "week", full: input.full ?? false)
            let store = scores
            Task.detached { _ = try? await store.execute(scope, run) }
            var r = APIResponse.json(InsightsJSON.run(run), status: .accepted)
            r.headers["Location"] = "/api/v1/insights/score-runs/\(run.id)"
            return r
        }
        for format in ExportFormat.allCases {
            let name = format == .csv ? "CSV" : "NDJSON"
            t.on(APIRoute(method: .get, path: "/exports/scores.\(format.rawValue)", operationID: "exportScores\(name)",
                          summary: "Every customer's scores from the last run as \(name), streamed (money in minor units of the run's currency)",
                          tag: "Import", needs: .can(.export, .analytics))) { _, _, scope in
                let exports = exports
                return .streamed(contentType: format.contentType, filename: "scores.\(format.rawValue)") { write in
                    try await exports.scores(scope, format: format, write: write)
                }
            }
        }
        t.on(APIRoute(method: .get, path: "/insights/score-runs/{id}", operationID: "getScoreRun", summary: "A scoring run: its state, fitted model and what it covered",
                      tag: tag, needs: .can(.read, .analytics), responseSchema: "ScoreRun")) { _, ctx, scope in
            .json(InsightsJSON.run(try await scores.run(scope, id: try ctx.parameters.require("id"))))
        }
    }
}

/// How runs and scores are answered.
enum InsightsJSON {
    static func run(_ r: ScoreRun) -> JSONValue {
        func s(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
        func n(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        return .object([
            "id": .string(r.id), "status": .string(r.status), "kind": .string(r.kind), "as_of": .string(r.asOf), "period": .string(r.period),
            "model_version": .string(r.modelVersion), "model": s(r.model), "parameters": r.parameters ?? .null, "log_likelihood": n(r.logLikelihood),
            "first_day": s(r.firstDay), "last_day": s(r.lastDay), "customers": .number(Double(r.customers)),
            "transactions": .number(Double(r.transactions)), "currency": s(r.currency.isEmpty ? nil : r.currency),
            "duration_ms": n(r.durationMs.map(Double.init)), "error": s(r.error), "created_at": .string(Timestamp.iso8601(r.createdAt)),
            "finished_at": s(r.finishedAt.map(Timestamp.iso8601)), "base_run_id": s(r.baseRunID), "touched": n(r.touched.map(Double.init)),
            "phase": s(r.phase), "progress": .object(["done": .number(Double(r.progressDone)), "total": .number(Double(r.progressTotal))]),
        ])
    }

    static func scores(_ c: CustomerScore) -> JSONValue {
        .object([
            "rfm_segment": .string(c.rfmSegment), "expected_purchases_90d": .number(c.expectedPurchases90d), "p_alive": .number(c.pAlive),
            "churn_risk": .string(c.churnRisk), "clv_12m": .number(Double(c.clv12m)), "currency": .string(c.currency),
            "value_tier": .string(c.valueTier), "class": .string(c.customerClass), "r": .number(Double(c.r)), "f": .number(Double(c.f)),
            "m": .number(Double(c.m)), "recency_days": .number(Double(c.recencyDays)), "purchases": .number(Double(c.purchases)),
            "monetary": .number(Double(c.monetary)), "cross_sell": .array(c.crossSell.map { .string($0) }), "run_id": .string(c.runID),
            "scored_at": .string(Timestamp.iso8601(c.scoredAt)),
        ])
    }
}

extension OpenAPIDocument {
    /// Scoring runs and a customer's scores. Money is integer minor units of the run's currency.
    static func insightsSchemas() -> [String: Any] {
        let str: [String: Any] = ["type": "string"], nstr: [String: Any] = ["type": ["string", "null"]]
        let nnum: [String: Any] = ["type": ["number", "null"]], int: [String: Any] = ["type": "integer"]
        let day: [String: Any] = ["type": "string", "pattern": Pattern.day]
        var s: [String: Any] = [:]
        s["ScoreRunInput"] = obj(["as_of": day, "period": enumOf(["day", "week"]), "full": ["type": "boolean"]])
        s["ScoreRun"] = obj([
            "id": str, "status": enumOf(["running", "done", "failed"]), "kind": enumOf(["full", "full+pareto", "incremental"]), "as_of": day, "period": enumOf(["day", "week"]),
            "model_version": str, "model": nstr,
            "parameters": ["type": ["object", "null"]], "log_likelihood": nnum, "first_day": nstr, "last_day": nstr,
            "customers": int, "transactions": int, "currency": nstr, "duration_ms": nnum, "error": nstr,
            "created_at": ["type": "string", "format": "date-time"], "finished_at": ["type": ["string", "null"]],
            "base_run_id": nstr, "touched": ["type": ["integer", "null"]], "phase": ["type": ["string", "null"], "enum": ["reading", "fitting", "scoring", "writing", NSNull()] as [Any]],
            "progress": obj(["done": int, "total": int], required: ["done", "total"]),
        ], required: ["id", "status", "as_of", "period"])
        s["CustomerScores"] = customerScores
        return s
    }

    static var customerScores: [String: Any] {
        let str: [String: Any] = ["type": "string"], num: [String: Any] = ["type": "number"], int: [String: Any] = ["type": "integer"]
        return obj([
            "rfm_segment": enumOf(InsightsWords.segments), "expected_purchases_90d": num, "p_alive": ["type": "number", "minimum": 0, "maximum": 1],
            "churn_risk": enumOf(["low", "medium", "high"]), "clv_12m": int, "currency": str, "value_tier": enumOf(["A", "B", "C"]),
            "class": enumOf(InsightsWords.classes), "r": int, "f": int, "m": int, "recency_days": int, "purchases": int, "monetary": int,
            "cross_sell": arr(str), "run_id": str, "scored_at": ["type": "string", "format": "date-time"],
        ], required: ["rfm_segment", "expected_purchases_90d", "p_alive", "churn_risk", "clv_12m", "value_tier", "class"])
    }
}
