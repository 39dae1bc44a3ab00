import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the Insights operations: the role alone decides (runs cover
/// the whole workspace).
enum InsightsMatrix {
    static let samples: [String: MatrixSample] = [
        "startScoreRun": MatrixSample("/api/v1/insights/score-runs", body: #"{"as_of":"2026-11-30","period":"week"}"#),
        "getScoreRun": MatrixSample("/api/v1/insights/score-runs/{scoreRun}"),
        "exportScoresCSV": MatrixSample("/api/v1/exports/scores.csv"),
        "exportScoresNDJSON": MatrixSample("/api/v1/exports/scores.ndjson"),
        "getScorecards": MatrixSample("/api/v1/scorecards?period=2026-Q4"),
    ]

    /// A finished run of the case's workspace (no orders: nothing to score).
    static let fixture: MatrixFixture = { s in
        guard s.wants("scoreRun") else { return [:] }
        return ["scoreRun": try await s.services.scores.run(s.admin, asOf: "2026-11-30", period: "week").id]
    }
}
