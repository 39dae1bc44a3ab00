import Foundation

/// One scoring run over a workspace's transactions: the buy-till-you-die models fitted once
/// (BG/NBD and Pareto/NBD, the better likelihood chosen; Gamma-Gamma for spend), then every
/// customer's RFM scores and segment, expected purchases, P(alive), churn risk, CLV, value tier,
/// class (k-means on log-RFM) and cross-sell products. Pure: the CRM feeds it the rows it read and
/// writes what it returns; `guanxi analyze clv` over the same transactions gives the same numbers.
package enum CustomerScoring {
    /// What a run is asked for.
    package struct Options: Sendable {
        /// The last day counted (a day number): the run scores as if it were the end of that day.
        package var asOf: Int
        /// The models' time unit (the published CDNOW fits are in weeks).
        package var unit: TimeUnit = .weeks
        /// Horizon of the expected purchases, in days.
        package var horizonDays: Double = 90
        /// CLV horizon in months, and the monthly discount rate.
        package var months: Int = 12
        package var discountRate: Double = 0.01
        /// Also fit Pareto/NBD (chosen when its likelihood is higher). Off unless asked: on small or
        /// irregular histories its likelihood's series converge slowly and the fit can take minutes.
        package var pareto = false
        /// Candidate numbers of classes; the best mean silhouette wins.
        package var classCounts: ClosedRange<Int> = 2...5
        package var seed: UInt64 = 22
        package init(asOf: Int) { self.asOf = asOf }
    }

    /// P(alive) below `high` is high churn risk, below `medium` medium, else low. A customer who
    /// bought once has P(alive) = 1 under BG/NBD by construction; their risk is read from how long
    /// ago that purchase was instead (`oneTimeHighDays`, `oneTimeMediumDays`).
    package enum ChurnThresholds {
        package static let high = 0.3
        package static let medium = 0.7
        package static let oneTimeHighDays = 365
        package static let oneTimeMediumDays = 180
    }

    /// Class names, best first, for each number of classes: the classes are ranked by their centre
    /// (recent, frequent, high spend first) and named in plain words.
    package static let classNames: [Int: [String]] = [
        1: ["steady"],
        2: ["top", "lapsed"],
        3: ["top", "occasional", "lapsed"],
        4: ["top", "steady", "drifting", "lapsed"],
        5: ["top", "steady", "occasional", "drifting", "lapsed"],
    ]

    /// The fitted models and what the run covered.
    package struct Model: Sendable {
        package var bgnbd: BGNBD.Fit
        package var pareto: ParetoNBD.Fit?
        package var gammaGamma: GammaGamma.Fit?
        /// `bgnbd` or `pareto_nbd`: the transaction model the scores come from.
        package var chosen: String
        /// Mean value of a purchase day, used for spend when no Gamma-Gamma fit exists.
        package var fallbackSpend: Double
        package var classes: Int
        package var customers: Int
        package var transactions: Int
        package var firstDay: Int?
        package var lastDay: Int?
        package var unit: TimeUnit
    }

    /// One customer's scores.
    package struct Score: Sendable, Equatable {
        package var id: String
        package var recencyDays: Int
        /// Distinct purchase days and total value up to the run's day.
        package var purchases: Int
        package var monetary: Double
        package var r: Int, f: Int, m: Int
        package var segment: String
        package var expectedPurchases: Double
        package var probabilityAlive: Double
        package var churnRisk: String
        package var clv: Double
        package var valueTier: String
        package var customerClass: String
        package var crossSell: [String]
    }

    /// The customer's items per basket (an order), for association rules.
    package struct Basket: Sendable {
        package var customer: String
        package var items: [String]
        package init(customer: String, items: [String]) { self.customer = customer; self.items = items }
    }

    /// Customer segment names as stable keys (`Can't Lose Them` → `cant_lose_them`).
    package static func segmentKey(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0 == " " }.map { $0 == " " ? "_" : $0 })
    }

    /// Fits the models on `table` (`fit`) and scores every customer who bought on or before
    /// `options.asOf` through the context it learnt (`score`), so a full run and an incremental one
    /// give a customer the same scores from the same context. Returns nil when no such customer exists.
    package static func run(_ table: TransactionTable, baskets: [Basket] = [], options: Options) -> (Model, [Score])? {
        guard let (model, context, activity) = fit(table, baskets: baskets, options: options) else { return nil }
        return (model, score(activity, baskets: baskets, asOf: options.asOf, context: context))
    }

    /// Churn risk from P(alive) (`ChurnThresholds`); one-time buyers by the age of their purchase.
    package static func churnRisk(probabilityAlive p: Double, purchases: Int, recencyDays: Int) -> String {
        if purchases <= 1 {
            return recencyDays >= ChurnThresholds.oneTimeHighDays ? "high" : recencyDays >= ChurnThresholds.oneTimeMediumDays ? "medium" : "low"
        }
        return p < ChurnThresholds.high ? "high" : p < ChurnThresholds.medium ? "medium" : "low"
    }
}
