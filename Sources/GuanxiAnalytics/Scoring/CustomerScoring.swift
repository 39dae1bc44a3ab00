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

    /// Fits the models on `table` and scores every customer who bought on or before `options.asOf`.
    /// Returns nil when no such customer exists.
    package static func run(_ table: TransactionTable, baskets: [Basket] = [], options: Options) -> (Model, [Score])? {
        let asOf = options.asOf
        let activity = CustomerActivity.build(from: table, cutoff: asOf, observationEnd: max(asOf, table.lastDay ?? asOf))
        guard activity.count > 0 else { return nil }
        let summary = CustomerSummary.from(activity, calibrationEnd: asOf, unit: options.unit)
        let bg = BGNBD.fit(summary)
        let pareto = options.pareto ? ParetoNBD.fit(summary) : nil
        let gg = GammaGamma.fit(summary)
        let usePareto = pareto.map { $0.logLikelihood > bg.logLikelihood } ?? false
        let days = activity.purchaseDays.reduce(0) { $0 + Int($1) }
        let fallbackSpend = days > 0 ? activity.totalAmount.reduce(0, +) / Double(days) : 0
        let horizon = options.horizonDays / options.unit.lengthInDays
        let expected: CustomerLifetimeValue.ExpectedPurchases = { t, x, tx, T in
            if usePareto, let p = pareto?.parameters { return ParetoNBD.conditionalExpectedPurchases(p, t: t, x: x, tx: tx, T: T) }
            return BGNBD.conditionalExpectedPurchases(bg.parameters, t: t, x: x, tx: tx, T: T)
        }
        let rfm = RFM.score(activity, asOf: asOf)
        let segments = RFMSegmentMap.rfmPackage.segments(rfm).map(segmentKey)
        let tiers = ValueConcentration.abcTiers(activity.totalAmount)
        let (classes, labels) = classify(activity, options: options)
        let recommend = crossSell(baskets)
        var scores: [Score] = []
        scores.reserveCapacity(summary.count)
        for i in 0..<summary.count {
            let x = summary.frequency[i], tx = summary.recency[i], T = summary.T[i]
            let alive = usePareto ? ParetoNBD.probabilityAlive(pareto!.parameters, x: x, tx: tx, T: T)
                : BGNBD.probabilityAlive(bg.parameters, x: x, tx: tx, T: T)
            let spend = gg.map { GammaGamma.conditionalExpectedSpend($0.parameters, x: x, m: summary.monetaryValue[i]) } ?? fallbackSpend
            let clv = CustomerLifetimeValue.value(x: x, tx: tx, T: T, spend: spend, months: options.months,
                                                  discountRate: options.discountRate, unit: options.unit, expected: expected)
            let recency = asOf - Int(activity.lastDay[i])
            scores.append(Score(
                id: summary.ids[i], recencyDays: recency, purchases: Int(activity.purchaseDays[i]), monetary: activity.totalAmount[i],
                r: Int(rfm.r[i]), f: Int(rfm.f[i]), m: Int(rfm.m[i]), segment: segments[i],
                expectedPurchases: expected(horizon, x, tx, T), probabilityAlive: alive,
                churnRisk: churnRisk(probabilityAlive: alive, purchases: Int(activity.purchaseDays[i]), recencyDays: recency),
                clv: clv, valueTier: tiers[i].rawValue,
                customerClass: classNames[classes]![Int(labels[i])], crossSell: recommend(summary.ids[i])))
        }
        let model = Model(bgnbd: bg, pareto: pareto, gammaGamma: gg, chosen: usePareto ? "pareto_nbd" : "bgnbd",
                          fallbackSpend: fallbackSpend, classes: classes, customers: summary.count, transactions: table.count,
                          firstDay: table.firstDay, lastDay: table.lastDay, unit: options.unit)
        return (model, scores)
    }

    /// Churn risk from P(alive) (`ChurnThresholds`); one-time buyers by the age of their purchase.
    package static func churnRisk(probabilityAlive p: Double, purchases: Int, recencyDays: Int) -> String {
        if purchases <= 1 {
            return recencyDays >= ChurnThresholds.oneTimeHighDays ? "high" : recencyDays >= ChurnThresholds.oneTimeMediumDays ? "medium" : "low"
        }
        return p < ChurnThresholds.high ? "high" : p < ChurnThresholds.medium ? "medium" : "low"
    }

    /// k-means on the standardised log-RFM features, k chosen by the mean silhouette of a seeded
    /// sample; labels renumbered so class 0 has the best centre (recent, frequent, high spend).
    static func classify(_ activity: CustomerActivity, options: Options) -> (k: Int, labels: [Int32]) {
        let n = activity.count
        let features = KMeans.rfmFeatures(activity, asOf: options.asOf)
        var best: (k: Int, score: Double, result: KMeans.Result)?
        for k in options.classCounts where k <= n && k <= 5 {
            let result = KMeans.fit(features, k: k, seed: options.seed, initializations: 3)
            guard result.sizes.allSatisfy({ $0 > 0 }) else { continue }
            let s = KMeans.silhouette(features, labels: result.labels, sampleSize: min(n, 2000), seed: options.seed)
            if best == nil || s > best!.score { best = (k, s, result) }
        }
        guard let best else { return (1, [Int32](repeating: 0, count: n)) }
        // R is days since the last purchase: lower is better
        let value = (0..<best.k).map { c -> Double in let r = best.result.centroids.row(c); return -r[0] + r[1] + r[2] }
        let order = (0..<best.k).sorted { value[$0] > value[$1] }
        var rank = [Int32](repeating: 0, count: best.k)
        for (position, c) in order.enumerated() { rank[c] = Int32(position) }
        return (best.k, best.result.labels.map { rank[Int($0)] })
    }

    /// Association rules over what each customer bought (all their orders as one basket: "who
    /// bought A also bought B"), and for each customer the items they have not bought yet that
    /// rules from what they have bought recommend (at most three, best first).
    static func crossSell(_ orders: [Basket]) -> (String) -> [String] {
        var byCustomer: [String: Int] = [:]
        var baskets: [Basket] = []
        for o in orders {
            if let i = byCustomer[o.customer] { baskets[i].items += o.items } else {
                byCustomer[o.customer] = baskets.count
                baskets.append(o)
            }
        }
        guard baskets.count >= 2 else { return { _ in [] } }
        let table = BasketTable(baskets: baskets.map(\.items))
        guard table.items.count >= 2 else { return { _ in [] } }
        let minSupport = max(0.01, 2.0 / Double(baskets.count))
        let rules = AssociationRules.generate(FrequentItemsets.mine(table, minSupport: minSupport, maxLength: 3), minConfidence: 0.1)
        guard !rules.isEmpty else { return { _ in [] } }
        var owned: [String: Set<Int32>] = [:]
        for (b, basket) in zip(baskets, table.baskets) { owned[b.customer, default: []].formUnion(basket) }
        let items = table.items
        return { id in
            guard let mine = owned[id] else { return [] }
            return CrossSell.recommend(owned: mine, rules: rules, limit: 3).map { items[Int($0.item)] }
        }
    }
}
