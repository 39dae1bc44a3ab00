import Foundation

/// Everything a full run learnt from the whole workspace that one customer's scores depend on:
/// the fitted models, the RFM quintile thresholds, the value-tier floors, the classes' centres and
/// the cross-sell rules. A full run scores every customer through it; an incremental run scores
/// only the changed customers through the last full run's context, so a changed customer gets
/// exactly what a full run with the same parameters would give them and nobody else moves.
package struct ScoringContext: Sendable, Codable, Equatable {
    /// The models' time unit (`days` or `weeks`), the expected purchases' horizon in days, the CLV
    /// horizon in months and its monthly discount rate.
    package var unit: String
    package var horizonDays: Double
    package var months: Int
    package var discountRate: Double
    package var bgnbd: BGNBD.Parameters
    package var paretoNBD: ParetoNBD.Parameters?
    /// `bgnbd` or `pareto_nbd`.
    package var chosen: String
    package var gammaGamma: GammaGamma.Parameters?
    /// Mean value of a purchase day, the spend when no Gamma-Gamma fit exists.
    package var fallbackSpend: Double
    /// RFM quintile thresholds (`RFM.quantileScores`: a score is 1 + the thresholds below the
    /// value): on minus the days since the last purchase, on purchase days, on value.
    package var recencyThresholds: [Double]
    package var frequencyThresholds: [Double]
    package var monetaryThresholds: [Double]
    /// The smallest value of a tier-A and of a tier-B customer (nil: no such customer). A value at
    /// or above the A floor is A, at or above the B floor B, else C.
    package var tierA: Double?
    package var tierB: Double?
    /// Classes: the log-RFM features' means and standard deviations, the centres (k rows of three,
    /// standardised) and each centre's rank (0 best), which names it.
    package var featureMeans: [Double]
    package var featureDeviations: [Double]
    package var centres: [[Double]]
    package var centreRanks: [Int]
    /// Cross-sell: the items the rules name and the rules over their indexes.
    package var items: [String]
    package var rules: [Rule]

    package struct Rule: Sendable, Codable, Equatable {
        package var antecedents: [Int32]
        package var consequents: [Int32]
        package var confidence: Double
        package var lift: Double
    }

    var timeUnit: TimeUnit { TimeUnit(rawValue: unit) ?? .weeks }
}

extension CustomerActivity {
    /// The customers `range` of this activity (a run scores in slices to report its progress).
    package func slice(_ range: Range<Int>) -> CustomerActivity {
        CustomerActivity(ids: Array(ids[range]), firstDay: Array(firstDay[range]), lastDay: Array(lastDay[range]),
                         purchaseDays: Array(purchaseDays[range]), totalAmount: Array(totalAmount[range]), repeatAmount: Array(repeatAmount[range]),
                         holdoutPurchaseDays: Array(holdoutPurchaseDays[range]), holdoutAmount: Array(holdoutAmount[range]))
    }
}

extension CustomerScoring {
    /// The customers' purchases as the scoring needs them: activity up to `asOf` and the items
    /// each has bought (all their baskets together).
    package static func activity(_ table: TransactionTable, asOf: Int) -> CustomerActivity {
        CustomerActivity.build(from: table, cutoff: asOf, observationEnd: max(asOf, table.lastDay ?? asOf))
    }

    /// What each customer owns among the items the context's rules name (all their baskets together).
    package static func owned(_ baskets: [Basket], context c: ScoringContext) -> [String: Set<Int32>] {
        guard !c.rules.isEmpty else { return [:] }
        var itemIndex: [String: Int32] = [:]
        for (i, name) in c.items.enumerated() { itemIndex[name] = Int32(i) }
        var owned: [String: Set<Int32>] = [:]
        for b in baskets { for item in b.items { if let k = itemIndex[item] { owned[b.customer, default: []].insert(k) } } }
        return owned
    }

    /// Scores `activity`'s customers as of `asOf` through a full run's context. Pure and
    /// per-customer: a customer's scores depend on their own purchases, the day and the context only.
    package static func score(_ activity: CustomerActivity, baskets: [Basket], asOf: Int, context c: ScoringContext) -> [Score] {
        score(activity, owned: owned(baskets, context: c), asOf: asOf, context: c)
    }

    package static func score(_ activity: CustomerActivity, owned: [String: Set<Int32>], asOf: Int, context c: ScoringContext) -> [Score] {
        let unit = c.timeUnit
        let summary = CustomerSummary.from(activity, calibrationEnd: asOf, unit: unit)
        let usePareto = c.chosen == "pareto_nbd" && c.paretoNBD != nil
        let horizon = c.horizonDays / unit.lengthInDays
        let expected: CustomerLifetimeValue.ExpectedPurchases = { t, x, tx, T in
            if usePareto, let p = c.paretoNBD { return ParetoNBD.conditionalExpectedPurchases(p, t: t, x: x, tx: tx, T: T) }
            return BGNBD.conditionalExpectedPurchases(c.bgnbd, t: t, x: x, tx: tx, T: T)
        }
        let rules = c.rules.map {
            AssociationRules.Rule(antecedents: $0.antecedents, consequents: $0.consequents, support: 0, confidence: $0.confidence, lift: $0.lift,
                                  antecedentSupport: 0, consequentSupport: 0)
        }
        let names = classNames[c.centres.count] ?? ["steady"]
        // customers are scored on every core, each chunk in order
        return Parallel.map(count: summary.count, minimumPerChunk: 2_000) { lo, hi -> [Score] in
            var scores: [Score] = []
            scores.reserveCapacity(hi - lo)
            for i in lo..<hi {
                let x = summary.frequency[i], tx = summary.recency[i], T = summary.T[i]
                let alive = usePareto ? ParetoNBD.probabilityAlive(c.paretoNBD!, x: x, tx: tx, T: T) : BGNBD.probabilityAlive(c.bgnbd, x: x, tx: tx, T: T)
                let spend = c.gammaGamma.map { GammaGamma.conditionalExpectedSpend($0, x: x, m: summary.monetaryValue[i]) } ?? c.fallbackSpend
                let clv = CustomerLifetimeValue.value(x: x, tx: tx, T: T, spend: spend, months: c.months, discountRate: c.discountRate, unit: unit,
                                                      expected: expected)
                let recency = asOf - Int(activity.lastDay[i])
                let purchases = Int(activity.purchaseDays[i]), value = activity.totalAmount[i]
                let r = threshold(Double(-recency), c.recencyThresholds), f = threshold(Double(purchases), c.frequencyThresholds)
                let m = threshold(value, c.monetaryThresholds)
                let tier = c.tierA.map { value >= $0 } == true ? "A" : c.tierB.map { value >= $0 } == true ? "B" : "C"
                let label = c.centres.isEmpty ? 0 : c.centreRanks[nearest(features(recency: recency, purchases: purchases, value: value, context: c), c.centres)]
                let mine = owned[summary.ids[i]] ?? []
                let recommended = rules.isEmpty || mine.isEmpty ? [] : CrossSell.recommend(owned: mine, rules: rules, limit: 3).map { c.items[Int($0.item)] }
                scores.append(Score(
                    id: summary.ids[i], recencyDays: recency, purchases: purchases, monetary: value, r: r, f: f, m: m,
                    segment: segmentKey(RFMSegmentMap.rfmPackage.segment(r: r, f: f, m: m)),
                    expectedPurchases: expected(horizon, x, tx, T), probabilityAlive: alive,
                    churnRisk: churnRisk(probabilityAlive: alive, purchases: purchases, recencyDays: recency),
                    clv: clv, valueTier: tier, customerClass: names[min(label, names.count - 1)], crossSell: recommended))
            }
            return scores
        }.flatMap { $0 }
    }

    /// A quintile score: 1 + the thresholds strictly below the value (`RFM.quantileScores`' rule).
    static func threshold(_ v: Double, _ thresholds: [Double]) -> Int {
        var s = 1
        for t in thresholds where t < v { s += 1 }
        return s
    }

    /// The raw log-RFM features of one customer (`KMeans.rfmFeatures` before standardising).
    static func rawFeatures(recency: Int, purchases: Int, value: Double) -> [Double] {
        [log1p(Double(recency)), log1p(Double(purchases)), log1p(value)]
    }

    static func features(recency: Int, purchases: Int, value: Double, context c: ScoringContext) -> [Double] {
        let raw = rawFeatures(recency: recency, purchases: purchases, value: value)
        return (0..<3).map { j in c.featureDeviations[j] > 0 ? (raw[j] - c.featureMeans[j]) / c.featureDeviations[j] : 0 }
    }

    /// The nearest centre (the first of equals).
    static func nearest(_ point: [Double], _ centres: [[Double]]) -> Int {
        var best = 0, bestDistance = Double.infinity
        for (k, centre) in centres.enumerated() {
            var d = 0.0
            for j in 0..<point.count { let t = point[j] - centre[j]; d += t * t }
            if d < bestDistance { best = k; bestDistance = d }
        }
        return best
    }

    /// Learns the context from every customer: fits the models and reads the thresholds, the
    /// classes and the rules off the whole workspace. Nil when nobody bought on or before `asOf`.
    package static func fit(_ table: TransactionTable, baskets: [Basket] = [], options: Options) -> (Model, ScoringContext, CustomerActivity)? {
        let asOf = options.asOf
        let activity = activity(table, asOf: asOf)
        let n = activity.count
        guard n > 0 else { return nil }
        let summary = CustomerSummary.from(activity, calibrationEnd: asOf, unit: options.unit)
        let bg = BGNBD.fit(summary)
        let pareto = options.pareto ? ParetoNBD.fit(summary) : nil
        let gg = GammaGamma.fit(summary)
        let usePareto = pareto.map { $0.logLikelihood > bg.logLikelihood } ?? false
        let days = activity.purchaseDays.reduce(0) { $0 + Int($1) }
        let fallbackSpend = days > 0 ? activity.totalAmount.reduce(0, +) / Double(days) : 0
        // RFM thresholds, as `RFM.quantileScores` finds them
        let positions = RFM.thresholdPositions(n: n, bins: 5)
        let recency = (0..<n).map { Double(-(asOf - Int(activity.lastDay[$0]))) }
        let frequency = activity.purchaseDays.map(Double.init)
        // value tiers: the 80/20 split, read as the smallest value in each tier
        let tiers = ValueConcentration.abcTiers(activity.totalAmount)
        var tierA: Double?, tierB: Double?
        for (i, t) in tiers.enumerated() {
            let v = activity.totalAmount[i]
            if t == .a { tierA = min(tierA ?? v, v) } else if t == .b { tierB = min(tierB ?? v, v) }
        }
        // classes
        var raw = [Double](repeating: 0, count: n * 3)
        for i in 0..<n {
            let f = rawFeatures(recency: asOf - Int(activity.lastDay[i]), purchases: Int(activity.purchaseDays[i]), value: activity.totalAmount[i])
            raw[i * 3] = f[0]; raw[i * 3 + 1] = f[1]; raw[i * 3 + 2] = f[2]
        }
        var means = [Double](repeating: 0, count: 3), deviations = [Double](repeating: 0, count: 3)
        for j in 0..<3 {
            var mean = 0.0
            for i in 0..<n { mean += raw[i * 3 + j] }
            mean /= Double(n)
            var v = 0.0
            for i in 0..<n { let t = raw[i * 3 + j] - mean; v += t * t }
            means[j] = mean; deviations[j] = (v / Double(n)).squareRoot()
        }
        var z = raw
        for i in 0..<n { for j in 0..<3 { z[i * 3 + j] = deviations[j] > 0 ? (raw[i * 3 + j] - means[j]) / deviations[j] : 0 } }
        let (centres, ranks) = classes(KMeans.Matrix(values: z, dimensions: 3), options: options)
        let (items, rules) = ruleSet(baskets)
        let context = ScoringContext(
            unit: options.unit.rawValue, horizonDays: options.horizonDays, months: options.months, discountRate: options.discountRate,
            bgnbd: bg.parameters, paretoNBD: pareto?.parameters, chosen: usePareto ? "pareto_nbd" : "bgnbd", gammaGamma: gg?.parameters,
            fallbackSpend: fallbackSpend,
            recencyThresholds: OrderStatistics.select(recency, positions: positions),
            frequencyThresholds: OrderStatistics.select(frequency, positions: positions),
            monetaryThresholds: OrderStatistics.select(activity.totalAmount, positions: positions),
            tierA: tierA, tierB: tierB, featureMeans: means, featureDeviations: deviations, centres: centres, centreRanks: ranks,
            items: items, rules: rules)
        let model = Model(bgnbd: bg, pareto: pareto, gammaGamma: gg, chosen: context.chosen, fallbackSpend: fallbackSpend,
                          classes: max(centres.count, 1), customers: n, transactions: table.count, firstDay: table.firstDay, lastDay: table.lastDay,
                          unit: options.unit)
        return (model, context, activity)
    }

    /// Customers k is chosen on (k-means for each k and their silhouettes); beyond, a seeded sample.
    static let classSample = 50_000

    /// k-means on the standardised features, k chosen by the mean silhouette of a seeded sample;
    /// the centres and each centre's rank (0: recent, frequent, high spend).
    static func classes(_ features: KMeans.Matrix, options: Options) -> (centres: [[Double]], ranks: [Int]) {
        let n = features.count
        // k is chosen on a seeded sample of at most `classSample` customers; the chosen k is then fitted on everyone
        let chooseOn = n > classSample ? features.sample(classSample, seed: options.seed).matrix : features
        var chosen: (k: Int, score: Double, result: KMeans.Result)?
        for k in options.classCounts where k <= chooseOn.count && k <= 5 {
            let result = KMeans.fit(chooseOn, k: k, seed: options.seed, initializations: 3)
            guard result.sizes.allSatisfy({ $0 > 0 }) else { continue }
            let s = KMeans.silhouette(chooseOn, labels: result.labels, sampleSize: min(chooseOn.count, 2000), seed: options.seed)
            if chosen == nil || s > chosen!.score { chosen = (k, s, result) }
        }
        guard var best = chosen else { return ([], []) }
        if n > classSample {
            let all = KMeans.fit(features, k: best.k, seed: options.seed, initializations: 3)
            if all.sizes.allSatisfy({ $0 > 0 }) { best.result = all }
        }
        // R is days since the last purchase: lower is better
        let value = (0..<best.k).map { c -> Double in let r = best.result.centroids.row(c); return -r[0] + r[1] + r[2] }
        let order = (0..<best.k).sorted { value[$0] > value[$1] }
        var rank = [Int](repeating: 0, count: best.k)
        for (position, c) in order.enumerated() { rank[c] = position }
        return ((0..<best.k).map { best.result.centroids.row($0) }, rank)
    }

    /// Association rules over what each customer bought (all their orders as one basket: "who
    /// bought A also bought B"): support ≥ 1 % and at least two baskets, confidence ≥ 0.1, up to
    /// three items; only the items the rules name are kept.
    static func ruleSet(_ orders: [Basket]) -> (items: [String], rules: [ScoringContext.Rule]) {
        var byCustomer: [String: Int] = [:]
        var baskets: [Basket] = []
        for o in orders {
            if let i = byCustomer[o.customer] { baskets[i].items += o.items } else {
                byCustomer[o.customer] = baskets.count
                baskets.append(o)
            }
        }
        guard baskets.count >= 2 else { return ([], []) }
        let table = BasketTable(baskets: baskets.map(\.items))
        guard table.items.count >= 2 else { return ([], []) }
        let minSupport = max(0.01, 2.0 / Double(baskets.count))
        let rules = AssociationRules.generate(FrequentItemsets.mine(table, minSupport: minSupport, maxLength: 3), minConfidence: 0.1)
        guard !rules.isEmpty else { return ([], []) }
        var used: [Int32: Int32] = [:], items: [String] = []
        func index(_ i: Int32) -> Int32 {
            if let k = used[i] { return k }
            let k = Int32(items.count); used[i] = k; items.append(table.items[Int(i)])
            return k
        }
        // the rules' own order (confidence, lift, support, items) is kept; indexes renumbered
        // (before `items` is read: renumbering fills it)
        let kept = rules.map { r in
            ScoringContext.Rule(antecedents: r.antecedents.map(index), consequents: r.consequents.map(index), confidence: r.confidence, lift: r.lift)
        }
        return (items, kept)
    }
}
