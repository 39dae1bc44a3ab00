import Foundation

/// P(alive)-based churn risk from a fitted BG/NBD model.
package enum ChurnRisk {
    /// One customer's risk assessment.
    package struct Assessment: Sendable, Equatable {
        /// Customer identifier.
        package var id: String
        /// Probability the customer is still active.
        package var probabilityAlive: Double
        /// `true` when the customer is a repeat buyer whose P(alive) fell below the threshold.
        package var atRisk: Bool
    }

    /// Flags repeat buyers whose BG/NBD P(alive) is below `threshold`. One-time buyers have
    /// P(alive) = 1 under BG/NBD and are never flagged by this rule.
    package static func assess(_ summary: CustomerSummary, model: BGNBD.Parameters, threshold: Double = 0.5) -> [Assessment] {
        (0..<summary.count).map { i in
            let p = BGNBD.probabilityAlive(model, x: summary.frequency[i], tx: summary.recency[i], T: summary.T[i])
            return Assessment(id: summary.ids[i], probabilityAlive: p, atRisk: summary.frequency[i] > 0 && p < threshold)
        }
    }
}
