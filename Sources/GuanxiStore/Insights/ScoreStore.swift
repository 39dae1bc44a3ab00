import Foundation
import SQLKit
import GuanxiCore
import GuanxiAnalytics

/// A scoring run as it is recorded: what it was asked, the model it fitted and how it went.
package struct ScoreRun: Sendable, Equatable {
    package var id: String
    /// `running`, `done` or `failed`.
    package var status: String
    /// `full`, `full+pareto` when Pareto/NBD was fitted beside BG/NBD, or `incremental`.
    package var kind: String
    package var asOf: String
    /// `day` or `week`: the models' time unit.
    package var period: String
    package var modelVersion: String
    /// `bgnbd` or `pareto_nbd`: the transaction model the scores come from.
    package var model: String?
    /// The fitted parameters: `bgnbd`, `pareto_nbd` (when fitted), `gamma_gamma` (when fitted), `classes`.
    package var parameters: JSONValue?
    package var logLikelihood: Double?
    package var firstDay: String?
    package var lastDay: String?
    package var customers: Int
    package var transactions: Int
    package var currency: String
    package var durationMs: Int?
    package var error: String?
    package var requestedBy: String?
    package var createdAt: Date
    package var finishedAt: Date?
    /// An incremental run: the full run whose context it scored through.
    package var baseRunID: String? = nil
    /// Customers the run looked at: every one on a full run, the changed ones on an incremental run.
    package var touched: Int? = nil
    /// While running: `reading`, `fitting`, `scoring` or `writing`, and customers scored of how many.
    package var phase: String? = nil
    package var progressDone: Int = 0
    package var progressTotal: Int = 0
    /// How long each phase of this process's run took, in order (`read`, `fit`, `score`, `write`), ms; not stored.
    package var phaseMillis: [Phase] = []
    package struct Phase: Sendable, Equatable { package var name: String; package var ms: Int }
}

/// One customer's scores from the last run.
package struct CustomerScore: Sendable, Equatable {
    package var customerID: String
    package var runID: String
    package var recencyDays: Int
    package var purchases: Int
    /// Value bought up to the run's day, minor units.
    package var monetary: Int64
    package var r: Int, f: Int, m: Int
    package var rfmSegment: String
    package var expectedPurchases90d: Double
    package var pAlive: Double
    package var churnRisk: String
    /// 12-month customer lifetime value, minor units of the run's currency.
    package var clv12m: Int64
    package var currency: String
    package var valueTier: String
    package var customerClass: String
    package var crossSell: [String]
    package var scoredAt: Date
}

/// Scoring runs over the CRM's own orders (docs/INSIGHTS.md): one read of the workspace's paid or
/// confirmed orders (net of refunds, in its main currency), the models fitted and every customer
/// scored by `CustomerScoring`, then one write of all scores and the run's record.
package struct ScoreStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package static let modelVersion = "scores-1"
    /// Orders that count as purchases: paid, or further along (shipped, delivered, confirmed).
    package static let purchased = ["paid", "partially_shipped", "shipped", "delivered", "confirmed"]

    /// An incremental run reuses the last full run's context while that run is younger than this;
    /// an older one is refitted (`GUANXI_SCORE_REFIT_DAYS`, default 7 days).
    let refitAfter: TimeInterval
    /// Customers scored between two progress notes.
    package static let slice = 20_000

    package init(db: Database, clock: any GuanxiCore.Clock, refitAfter: TimeInterval? = nil) {
        self.db = db; self.clock = clock
        self.refitAfter = refitAfter ?? Self.refitAfterFromEnvironment
    }

    static var refitAfterFromEnvironment: TimeInterval {
        let days = ProcessInfo.processInfo.environment["GUANXI_SCORE_REFIT_DAYS"].flatMap(Double.init) ?? 7
        return max(0, days) * 86_400
    }

    /// The full run an incremental run would build on now: the last finished full run of this
    /// model version that kept its context, if it is younger than `refitAfter`.
    func base(_ workspaceID: String, now: Date, sql: any SQLDatabase) async throws -> ScoreRun? {
        guard let r = try await sql.raw("""
            SELECT * FROM score_runs WHERE workspace_id = \(bind: workspaceID) AND status = 'done' AND kind IN ('full', 'full+pareto')
            AND context_json IS NOT NULL AND model_version = \(bind: Self.modelVersion) ORDER BY created_at DESC, id DESC LIMIT 1
            """).first() else { return nil }
        let run = try Self.decodeRun(r)
        return now.timeIntervalSince(run.createdAt) < refitAfter ? run : nil
    }

    /// Records a run as started (the API answers with it before the work is done). Unless `full`
    /// (or `pareto`) is asked, the run is incremental when a full run to build on exists (same
    /// period, as of its day or later, younger than `refitAfter`): it rescores only the customers
    /// whose orders changed since; otherwise it is full.
    package func start(_ scope: Scope, asOf: String?, period: String, pareto: Bool = false, full: Bool = false) async throws -> ScoreRun {
        guard try scope.require(.analytics, .create) == .all else { throw DomainError.forbidden("scoring needs analytics rights over the whole workspace") }
        guard period == "day" || period == "week" else { throw DomainError.field("period", "must be day or week") }
        let now = clock.now()
        let zone = try await timeZone(scope.workspaceID)
        var day = Dates.day(now, timeZone: zone.identifier)
        if let asOf {
            guard let d = Dates.parseDay(asOf) else { throw DomainError.field("as_of", "'\(asOf)' is not a date (YYYY-MM-DD)") }
            day = d
        }
        var run = ScoreRun(id: ID.make(at: now), status: "running", kind: pareto ? "full+pareto" : "full", asOf: day, period: period, modelVersion: Self.modelVersion,
                           model: nil, parameters: nil, logLikelihood: nil, firstDay: nil, lastDay: nil, customers: 0, transactions: 0,
                           currency: "", durationMs: nil, error: nil, requestedBy: scope.userID, createdAt: now, finishedAt: nil, phase: "reading")
        if !full && !pareto, let base = try await db.read({ sql in try await self.base(scope.workspaceID, now: now, sql: sql) }),
           base.period == period, run.asOf >= base.asOf, asOf == nil || asOf == run.asOf {
            run.kind = "incremental"; run.baseRunID = base.id
        }
        try await record(run, scope: scope, now: now)
        return run
    }

    func record(_ run: ScoreRun, scope: Scope, now: Date) async throws {
        let period = run.period
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO score_runs (id, workspace_id, status, kind, as_of, period, model_version, customers, transactions, currency, requested_by, created_at,
                  base_run_id, phase)
                VALUES (\(bind: run.id), \(bind: scope.workspaceID), 'running', \(bind: run.kind), \(bind: run.asOf), \(bind: period), \(bind: Self.modelVersion),
                  0, 0, '', \(bind: scope.userID), \(bind: now.millis), \(bind: run.baseRunID), 'reading')
                """).run()
            try await tx.audit("start", "score_runs", run.id, detail: .object(["as_of": .string(run.asOf), "period": .string(period), "kind": .string(run.kind)]))
        }
    }

    /// Notes how far a run is (its own short write, so readers see it while the run goes on).
    func progress(_ run: ScoreRun, phase: String, done: Int, total: Int) async throws {
        try await db.write { sql in
            try await sql.raw("""
                UPDATE score_runs SET phase = \(bind: phase), progress_done = \(bind: done), progress_total = \(bind: total) WHERE id = \(bind: run.id)
                """).run()
        }
    }

    /// Scores now (`start` and `execute` in one): the CLI's run.
    package func run(_ scope: Scope, asOf: String?, period: String, pareto: Bool = false, full: Bool = false) async throws -> ScoreRun {
        let run = try await start(scope, asOf: asOf, period: period, pareto: pareto, full: full)
        return try await execute(scope, run)
    }

    /// Does a started run's work and records how it went (a failure is recorded, then thrown).
    package func execute(_ scope: Scope, _ started: ScoreRun) async throws -> ScoreRun {
        let began = DispatchTime.now().uptimeNanoseconds
        var run = started
        var mark = began
        func lap(_ name: String) {
            let t = DispatchTime.now().uptimeNanoseconds
            run.phaseMillis.append(.init(name: name, ms: Int((t - mark) / 1_000_000)))
            mark = t
        }
        do {
            if run.kind == "incremental" { return try await incremental(scope, run, began: began) }
            let zone = try await timeZone(scope.workspaceID)
            // the changes first: any change made before this read is in the orders read next
            let changes = try await db.read { sql in try await ScoreChanges.read(scope.workspaceID, sql: sql) }
            let input = try await read(scope.workspaceID, zone: zone)
            run.currency = input.currency
            var options = CustomerScoring.Options(asOf: CivilDate.parse(run.asOf)!)
            options.unit = run.period == "day" ? .days : .weeks
            options.pareto = run.kind == "full+pareto"
            run.transactions = input.table.count
            run.firstDay = input.table.firstDay.map(CivilDate.string(ofDay:))
            run.lastDay = input.table.lastDay.map(CivilDate.string(ofDay:))
            lap("read")
            try await progress(run, phase: "fitting", done: 0, total: 0)
            var context: ScoringContext?
            var scores: [CustomerScoring.Score] = []
            if let (model, fitted, activity) = CustomerScoring.fit(input.table, baskets: input.baskets, options: options) {
                context = fitted
                run.model = model.chosen
                run.parameters = Self.parameters(model, checks: Self.checks(input.table, options: options))
                run.logLikelihood = model.chosen == "pareto_nbd" ? model.pareto?.logLikelihood : model.bgnbd.logLikelihood
                lap("fit")
                scores = try await score(run, activity, owned: CustomerScoring.owned(input.baskets, context: fitted), asOf: options.asOf, context: fitted)
            }
            run.customers = scores.count
            run.touched = scores.count
            lap("score")
            try await progress(run, phase: "writing", done: scores.count, total: scores.count)
            let now = clock.now()
            run.status = "done"
            run.phase = nil
            run.finishedAt = now
            run.durationMs = Int((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
            let (finished, scored, kept) = (run, scores, context)
            try await db.write(scope, at: now) { tx in
                try await Self.replace(scope.workspaceID, scored, run: finished, now: now, sql: tx.sql)
                try await ScoreChanges.clear(scope.workspaceID, changes, sql: tx.sql)
                try await Self.finish(finished, context: kept, sql: tx.sql)
            }
            lap("write")
            return run
        } catch {
            run.status = "failed"
            run.error = "\(error)"
            run.finishedAt = clock.now()
            let failed = run
            try? await db.write(scope, at: clock.now()) { tx in try await Self.finish(failed, sql: tx.sql) }
            throw error
        }
    }

    /// Scores `activity` through `context` in slices, noting the progress after each.
    func score(_ run: ScoreRun, _ activity: CustomerActivity, owned: [String: Set<Int32>], asOf: Int, context: ScoringContext) async throws
        -> [CustomerScoring.Score] {
        let n = activity.count
        var scores: [CustomerScoring.Score] = []
        scores.reserveCapacity(n)
        var start = 0
        while start < n {
            let end = min(n, start + Self.slice)
            try await progress(run, phase: "scoring", done: start, total: n)
            scores += CustomerScoring.score(start == 0 && end == n ? activity : activity.slice(start..<end), owned: owned, asOf: asOf, context: context)
            start = end
        }
        return scores
    }

    /// An incremental run: the customers noted in `score_changes` are read (with their orders) and
    /// scored through the base run's context, their rows replaced and their notes cleared; every
    /// other score stays as it was. The run keeps the base run's model and parameters.
    func incremental(_ scope: Scope, _ started: ScoreRun, began: UInt64) async throws -> ScoreRun {
        var run = started
        let zone = try await timeZone(scope.workspaceID)
        let baseID = run.baseRunID ?? ""
        let (base, context, changes) = try await db.read { sql -> (ScoreRun, ScoringContext, [String: String]) in
            guard let row = try await sql.raw("SELECT * FROM score_runs WHERE id = \(bind: baseID)").first(),
                  let text = try row.decode(column: "context_json", as: String?.self),
                  let context = try? JSONDecoder().decode(ScoringContext.self, from: Data(text.utf8)) else {
                throw DomainError.conflict("the full run this run builds on has no model to reuse; score in full")
            }
            return (try Self.decodeRun(row), context, try await ScoreChanges.read(scope.workspaceID, sql: sql))
        }
        run.currency = base.currency
        run.model = base.model
        run.parameters = base.parameters
        run.logLikelihood = base.logLikelihood
        run.touched = changes.count
        let customers = changes.keys.sorted()
        let input = try await read(scope.workspaceID, zone: zone, currency: base.currency, customers: customers)
        run.transactions = input.table.count
        run.firstDay = input.table.firstDay.map(CivilDate.string(ofDay:))
        run.lastDay = input.table.lastDay.map(CivilDate.string(ofDay:))
        let asOf = CivilDate.parse(run.asOf)!
        let activity = CustomerScoring.activity(input.table, asOf: asOf)
        let scores = try await score(run, activity, owned: CustomerScoring.owned(input.baskets, context: context), asOf: asOf, context: context)
        run.customers = scores.count
        let now = clock.now()
        run.status = "done"
        run.phase = nil
        run.finishedAt = now
        run.durationMs = Int((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
        let finished = run
        try await db.write(scope, at: now) { tx in
            let (w, sql) = (scope.workspaceID, tx.sql)
            // a changed customer with no purchase left (everything cancelled or refunded) loses their scores
            for chunk in customers.chunked(500) {
                try await sql.raw("DELETE FROM customer_scores WHERE workspace_id = \(bind: w) AND customer_id IN (\(binds: Array(chunk)))").run()
            }
            try await Self.insert(w, scores, run: finished, now: now, sql: sql)
            try await ScoreChanges.clear(w, changes, sql: sql)
            try await Self.finish(finished, context: nil, sql: sql)
        }
        return run
    }

    /// The workspace's time zone (days are counted in it).
    func timeZone(_ workspaceID: String) async throws -> TimeZone {
        let zone = try await db.read { sql in
            try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: workspaceID)").first()?.decode(column: "time_zone", as: String?.self) ?? nil
        }
        return zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")!
    }

    struct Input: Sendable {
        var table: TransactionTable
        var baskets: [CustomerScoring.Basket]
        var currency: String
    }

    /// The one read: purchases in the workspace's main currency (the one most of its orders are in),
    /// net of refunds; orders refunded in full count as none (an order worth nothing still counts as a purchase). Their products form the baskets.
    /// With `customers`, only their orders (an incremental run), in `currency` (the base run's).
    func read(_ workspaceID: String, zone: TimeZone, currency main: String? = nil, customers only: [String]? = nil) async throws -> Input {
        let purchased = Self.purchased
        return try await db.read { sql in
            // the whole workspace is read in the table's own order (SQLite): through an index, every order
            // would be a look-up of its own, a page read per order on a database larger than memory
            let scanning = only == nil && db.dialect == .sqlite
            let scan: SQLQueryString = scanning ? " NOT INDEXED" : ""
            var currency = main ?? DealStore.defaultCurrency
            if main == nil {
                currency = try await sql.raw("""
                    SELECT currency, COUNT(*) AS n FROM orders\(scan) WHERE workspace_id = \(bind: workspaceID) AND status IN (\(binds: purchased))
                    GROUP BY currency ORDER BY n DESC, currency LIMIT 1
                    """).first()?.decode(column: "currency", as: String.self) ?? DealStore.defaultCurrency
            }
            // the whole workspace, or the listed customers in chunks
            let groups: [[String]?] = only.map { $0.chunked(500).map { Array($0) } } ?? [nil]
            func among(_ g: [String]?, _ column: String) -> SQLQueryString {
                guard let g else { return "" }
                return " AND \(unsafeRaw: column) IN (\(binds: g))"
            }
            var customers: [String] = [], millis: [Int64] = [], minor: [Int64] = [], orderIDs: [String] = []
            for g in groups { for r in try await sql.raw("""
                SELECT id, customer_id, placed_at, total - refunded AS amount FROM orders\(scan)
                WHERE workspace_id = \(bind: workspaceID) AND currency = \(bind: currency) AND status IN (\(binds: purchased)) AND (refunded = 0 OR total > refunded)
                """ + among(g, "customer_id")).all() {
                orderIDs.append(try r.decode(column: "id", as: String.self))
                customers.append(try r.decode(column: "customer_id", as: String.self))
                millis.append(try r.decode(column: "placed_at", as: Int64.self))
                minor.append(try r.decode(column: "amount", as: Int64.self))
            } }
            let table = ScoringInput.table(customers: customers, millis: millis, minor: minor, timeZone: zone)
            var items: [String: [String]] = [:]
            // the lines of the orders read above (those of other orders are read too when scanning, and left unused)
            let lines: SQLQueryString = scanning
                ? "SELECT l.order_id, COALESCE(p.name, l.name) AS item FROM order_lines l NOT INDEXED LEFT JOIN products p ON p.id = l.product_id WHERE l.workspace_id = \(bind: workspaceID) AND l.quantity > l.returned"
                : """
                SELECT l.order_id, COALESCE(p.name, l.name) AS item FROM order_lines l JOIN orders o ON o.id = l.order_id
                LEFT JOIN products p ON p.id = l.product_id
                WHERE o.workspace_id = \(bind: workspaceID) AND o.currency = \(bind: currency) AND o.status IN (\(binds: purchased))
                AND (o.refunded = 0 OR o.total > o.refunded) AND l.quantity > l.returned
                """
            for g in groups { for r in try await sql.raw(lines + among(g, "o.customer_id")).all() {
                let item = try r.decode(column: "item", as: String.self)
                if !item.isEmpty { items[try r.decode(column: "order_id", as: String.self), default: []].append(item) }
            } }
            var baskets: [CustomerScoring.Basket] = []
            for (i, id) in orderIDs.enumerated() {
                if let list = items[id] { baskets.append(CustomerScoring.Basket(customer: customers[i], items: list)) }
            }
            return Input(table: table, baskets: baskets, currency: currency)
        }
    }

    /// The run's model check and cohorts (`ModelCheck`), kept with its parameters for the Insights
    /// page's calibration chart and retention heatmap.
    static func checks(_ table: TransactionTable, options: CustomerScoring.Options) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        if let c = ModelCheck.calibration(table, asOf: options.asOf, unit: options.unit) {
            o["calibration"] = .object([
                "calibration_end": .string(CivilDate.string(ofDay: c.calibrationEnd)), "holdout_end": .string(CivilDate.string(ofDay: c.holdoutEnd)),
                "rows": .array(c.rows.map { r in
                    .object(["frequency": .number(Double(r.frequency)), "customers": .number(Double(r.customers)),
                             "actual": .number(r.actual), "expected": .number(r.expected)])
                }),
            ])
        }
        o["cohorts"] = .array(ModelCheck.cohorts(table, asOf: options.asOf).map { c in
            .object(["month": .string(c.month), "size": .number(Double(c.size)), "retention": .array(c.retention.map { .number($0) })])
        })
        return o
    }

    static func parameters(_ m: CustomerScoring.Model, checks: [String: JSONValue] = [:]) -> JSONValue {
        let p = m.bgnbd.parameters
        var o: [String: JSONValue] = [
            "bgnbd": .object(["r": .number(p.r), "alpha": .number(p.alpha), "a": .number(p.a), "b": .number(p.b),
                              "log_likelihood": .number(m.bgnbd.logLikelihood)]),
            "classes": .number(Double(m.classes)),
        ]
        if let f = m.pareto {
            o["pareto_nbd"] = .object(["r": .number(f.parameters.r), "alpha": .number(f.parameters.alpha), "s": .number(f.parameters.s),
                                       "beta": .number(f.parameters.beta), "log_likelihood": .number(f.logLikelihood)])
        }
        o.merge(checks) { a, _ in a }
        if let g = m.gammaGamma {
            o["gamma_gamma"] = .object(["p": .number(g.parameters.p), "q": .number(g.parameters.q), "gamma": .number(g.parameters.gamma),
                                        "log_likelihood": .number(g.logLikelihood), "customers": .number(Double(g.customers))])
        }
        return .object(o)
    }

    /// Every score of the workspace replaced by the run's, in large batches.
    static func replace(_ workspaceID: String, _ scores: [CustomerScoring.Score], run: ScoreRun, now: Date, sql: any SQLDatabase) async throws {
        try await BulkSQL.withIndexesRebuilt("customer_scores", sql: sql) {
            try await sql.raw("DELETE FROM customer_scores WHERE workspace_id = \(bind: workspaceID)").run()
            try await insert(workspaceID, scores, run: run, now: now, sql: sql)
        }
    }

    static func insert(_ workspaceID: String, _ scores: [CustomerScoring.Score], run: ScoreRun, now: Date, sql: any SQLDatabase) async throws {
        func minor(_ v: Double) -> Int64 { v.isFinite ? Int64((v * 100).rounded()) : 0 }
        func finite(_ v: Double) -> Double { v.isFinite ? v : 0 }
        _ = try await BulkSQL.insert("customer_scores", """
            workspace_id, customer_id, run_id, recency_days, purchases, monetary, r, f, m, rfm_segment, expected_purchases_90d, p_alive,
            churn_risk, clv_12m, value_tier, class, cross_sell_json, scored_at
            """, scores.map { s -> [any Encodable & Sendable] in
                [workspaceID, s.id, run.id, Int64(s.recencyDays), Int64(s.purchases), minor(s.monetary), Int64(s.r), Int64(s.f), Int64(s.m),
                 s.segment, finite(s.expectedPurchases), finite(s.probabilityAlive), s.churnRisk, minor(s.clv), s.valueTier, s.customerClass,
                 JSONCoding.encode(s.crossSell), now.millis]
            }, sql: sql)
    }

    /// Records how a run ended (and, for a full run, the context an incremental run reuses).
    static func finish(_ run: ScoreRun, context: ScoringContext? = nil, sql: any SQLDatabase) async throws {
        let kept = context.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        try await sql.raw("""
            UPDATE score_runs SET status = \(bind: run.status), context_json = \(bind: kept), touched = \(bind: run.touched), phase = \(bind: run.phase), model = \(bind: run.model), parameters_json = \(bind: run.parameters.map { JSONCoding.encode($0) }),
              log_likelihood = \(bind: run.logLikelihood), first_day = \(bind: run.firstDay), last_day = \(bind: run.lastDay),
              customers = \(bind: run.customers), transactions = \(bind: run.transactions), currency = \(bind: run.currency),
              duration_ms = \(bind: run.durationMs), error = \(bind: run.error), finished_at = \(bind: run.finishedAt?.millis)
            WHERE id = \(bind: run.id)
            """).run()
    }

    /// A run of the workspace (analytics readers).
    package func run(_ scope: Scope, id: String) async throws -> ScoreRun {
        _ = try scope.require(.analytics, .read)
        return try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT * FROM score_runs WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: id.lowercased())
                """).first() else { throw DomainError.notFound("score run") }
            return try Self.decodeRun(r)
        }
    }

    /// The workspace's latest run, whatever its state (or the latest `finished` one), if any.
    package func latest(_ scope: Scope, finished: Bool = false) async throws -> ScoreRun? {
        _ = try scope.require(.analytics, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT * FROM score_runs WHERE workspace_id = \(bind: scope.workspaceID)\(unsafeRaw: finished ? " AND status = 'done'" : "")
                ORDER BY created_at DESC, id DESC LIMIT 1
                """).first().map(Self.decodeRun)
        }
    }

    static func decodeRun(_ r: any SQLRow) throws -> ScoreRun {
        let params = try r.decode(column: "parameters_json", as: String?.self).flatMap { try? JSONParser.parse($0) }
        return ScoreRun(
            id: try r.decode(column: "id", as: String.self), status: try r.decode(column: "status", as: String.self),
            kind: try r.decode(column: "kind", as: String.self), asOf: try r.decode(column: "as_of", as: String.self),
            period: try r.decode(column: "period", as: String.self), modelVersion: try r.decode(column: "model_version", as: String.self),
            model: try r.decode(column: "model", as: String?.self), parameters: params,
            logLikelihood: try r.decode(column: "log_likelihood", as: Double?.self), firstDay: try r.decode(column: "first_day", as: String?.self),
            lastDay: try r.decode(column: "last_day", as: String?.self), customers: try r.decode(column: "customers", as: Int.self),
            transactions: try r.decode(column: "transactions", as: Int.self), currency: try r.decode(column: "currency", as: String.self),
            durationMs: try r.decode(column: "duration_ms", as: Int?.self), error: try r.decode(column: "error", as: String?.self),
            requestedBy: try r.decode(column: "requested_by", as: String?.self),
            createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
            finishedAt: try r.decode(column: "finished_at", as: Int64?.self).map(Date.init(millis:)),
            baseRunID: try r.decode(column: "base_run_id", as: String?.self), touched: try r.decode(column: "touched", as: Int?.self),
            phase: try r.decode(column: "phase", as: String?.self), progressDone: try r.decode(column: "progress_done", as: Int.self),
            progressTotal: try r.decode(column: "progress_total", as: Int.self))
    }

    /// Runs left `running` by a server that stopped (a restart, a crash) are marked failed, so nobody
    /// waits on them: at start-up every one on SQLite (one server owns the file); on a server database,
    /// which several servers share, those started more than `stale` ago (a full run of a million
    /// customers takes about a minute). Answers how many.
    @discardableResult
    package func failInterrupted(stale: Duration = .seconds(3600)) async throws -> Int {
        let now = clock.now()
        let before = db.dialect == .sqlite ? now.millis + 1 : now.millis - stale.components.seconds * 1000
        return try await db.write { sql in
            let ids = try await sql.raw("SELECT id FROM score_runs WHERE status = 'running' AND created_at < \(bind: before)").all()
                .map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return 0 }
            try await sql.raw("""
                UPDATE score_runs SET status = 'failed', error = 'interrupted: the server stopped before the run finished', finished_at = \(bind: now.millis)
                WHERE status = 'running' AND id IN (\(binds: ids))
                """).run()
            return ids.count
        }
    }

    /// The workspaces due their nightly run: orders to score, between 02:00 and 05:00 their time,
    /// and no run started in the last 20 hours.
    package func dueNightly() async throws -> [String] {
        let now = clock.now()
        let rows = try await db.read { sql in
            try await sql.raw("""
                SELECT w.id, w.time_zone, (SELECT MAX(r.created_at) FROM score_runs r WHERE r.workspace_id = w.id) AS last_run
                FROM workspaces w WHERE EXISTS (SELECT 1 FROM orders o WHERE o.workspace_id = w.id)
                """).all()
        }
        var out: [String] = []
        for r in rows {
            let zone = TimeZone(identifier: try r.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "Asia/Shanghai")!
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let hour = cal.component(.hour, from: now)
            let last = try r.decode(column: "last_run", as: Int64?.self)
            if (2..<5).contains(hour), last.map({ now.millis - $0 > 20 * 3_600_000 }) ?? true { out.append(try r.decode(column: "id", as: String.self)) }
        }
        return out
    }

    /// A customer's scores, or nil when the viewer may not read analytics or no run scored them.
    /// (The caller has already checked that the viewer may see the customer.)
    package func scores(_ scope: Scope, customerID: String) async throws -> CustomerScore? {
        guard (try? scope.require(.analytics, .read)) != nil else { return nil }
        return try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT s.*, u.currency FROM customer_scores s JOIN score_runs u ON u.id = s.run_id
                WHERE s.workspace_id = \(bind: scope.workspaceID) AND s.customer_id = \(bind: customerID)
                """).first() else { return nil }
            let cross = (try? JSONParser.parse(try r.decode(column: "cross_sell_json", as: String.self)))
            var items: [String] = []
            if case .array(let a)? = cross { for case .string(let s) in a { items.append(s) } }
            return CustomerScore(
                customerID: customerID, runID: try r.decode(column: "run_id", as: String.self),
                recencyDays: try r.decode(column: "recency_days", as: Int.self), purchases: try r.decode(column: "purchases", as: Int.self),
                monetary: try r.decode(column: "monetary", as: Int64.self), r: try r.decode(column: "r", as: Int.self),
                f: try r.decode(column: "f", as: Int.self), m: try r.decode(column: "m", as: Int.self),
                rfmSegment: try r.decode(column: "rfm_segment", as: String.self),
                expectedPurchases90d: try r.decode(column: "expected_purchases_90d", as: Double.self),
                pAlive: try r.decode(column: "p_alive", as: Double.self), churnRisk: try r.decode(column: "churn_risk", as: String.self),
                clv12m: try r.decode(column: "clv_12m", as: Int64.self), currency: try r.decode(column: "currency", as: String.self),
                valueTier: try r.decode(column: "value_tier", as: String.self), customerClass: try r.decode(column: "class", as: String.self),
                crossSell: items, scoredAt: Date(millis: try r.decode(column: "scored_at", as: Int64.self)))
        }
    }
}
