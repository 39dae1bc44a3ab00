import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze clv`: BG/NBD, Pareto/NBD and Gamma-Gamma fits with per-customer predictions.
struct AnalyzeCLVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clv",
        abstract: "Fit BG/NBD, Pareto/NBD and Gamma-Gamma; predict purchases, P(alive), spend and CLV.")

    @Option(help: "Transactions CSV with header customer_id,date,amount.")
    var transactions: String

    @Option(help: "Last day of the calibration period (YYYY-MM-DD); default: last transaction day.")
    var calibrationEnd: String?

    @Option(help: "Time unit of recency, T and horizons: weeks or days.")
    var unit: String = "weeks"

    @Option(help: "Prediction horizon for expected purchases, in --unit.")
    var predict: Double = 39

    @Option(help: "CLV horizon in months (30 days / 4.345 weeks each).")
    var months: Int = 12

    @Option(help: "Monthly discount rate for CLV.")
    var discountRate: Double = 0.01

    @Flag(help: "Skip the Pareto/NBD fit (its key is then null).")
    var skipPareto = false

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        guard let timeUnit = TimeUnit(rawValue: unit) else { throw ValidationError("--unit must be weeks or days") }
        let calEnd = try AnalyzeIO.day(calibrationEnd, option: "--calibration-end")
        let table = try AnalyzeIO.timed("parse") { try AnalyzeIO.loadTransactions(transactions) }
        guard table.count > 0 else { throw AnalyzeIO.fail("\(transactions): no transactions") }
        let summary = AnalyzeIO.timed("summary") { CustomerSummary.from(table, calibrationEnd: calEnd, unit: timeUnit) }
        guard summary.count > 0 else { throw AnalyzeIO.fail("no customer purchased on or before the calibration end") }
        let large = summary.count > 200_000
        var clock = Date()
        let bg = AnalyzeIO.timed("bgnbd_fit") { BGNBD.fit(summary) }
        if large { AnalyzeIO.note(String(format: "BG/NBD fitted in %.2f s", Date().timeIntervalSince(clock))) }
        if AnalyzeIO.timingsEnabled { AnalyzeIO.note("bgnbd_iterations \(bg.iterations)") }
        clock = Date()
        let pareto = skipPareto ? nil : AnalyzeIO.timed("pareto_fit") { ParetoNBD.fit(summary) }
        if large, pareto != nil { AnalyzeIO.note(String(format: "Pareto/NBD fitted in %.2f s", Date().timeIntervalSince(clock))) }
        let gg = AnalyzeIO.timed("gamma_gamma_fit") { GammaGamma.fit(summary) }
        // Without repeat buyers there is no Gamma-Gamma fit: use the mean value of a purchase day.
        let fallbackSpend: Double = {
            guard gg == nil else { return 0 }
            let activity = CustomerActivity.build(from: table, cutoff: calEnd)
            let days = activity.purchaseDays.reduce(0) { $0 + Int($1) }
            return days > 0 ? activity.totalAmount.reduce(0, +) / Double(days) : 0
        }()
        let p = bg.parameters
        var rows: [JSONValue] = []
        var textRows: [String] = []
        rows.reserveCapacity(format == .json ? summary.count : 0)
        var totalCLV = 0.0
        for i in 0..<summary.count {
            let x = summary.frequency[i], tx = summary.recency[i], T = summary.T[i]
            let alive = BGNBD.probabilityAlive(p, x: x, tx: tx, T: T)
            let expected = BGNBD.conditionalExpectedPurchases(p, t: predict, x: x, tx: tx, T: T)
            let spend = gg.map { GammaGamma.conditionalExpectedSpend($0.parameters, x: x, m: summary.monetaryValue[i]) }
                ?? fallbackSpend
            let clv = CustomerLifetimeValue.value(
                x: x, tx: tx, T: T, spend: spend, months: months, discountRate: discountRate, unit: timeUnit
            ) { t, x, tx, T in BGNBD.conditionalExpectedPurchases(p, t: t, x: x, tx: tx, T: T) }
            totalCLV += clv
            if format == .json {
                rows.append(.object([
                    ("id", .string(summary.ids[i])), ("frequency", .number(x)), ("recency", .number(tx)),
                    ("T", .number(T)), ("monetary_value", .number(summary.monetaryValue[i])),
                    ("p_alive", .number(alive)), ("expected_purchases", .number(expected)),
                    ("expected_spend", .number(spend)), ("clv", .number(clv)),
                ]))
            } else if i < 10 {
                textRows.append("  \(summary.ids[i])  x=\(Int(x))  P(alive)=\(AnalyzeIO.fmt(alive))  E[purchases]=\(AnalyzeIO.fmt(expected))  spend=\(AnalyzeIO.fmt(spend, 2))  CLV=\(AnalyzeIO.fmt(clv, 2))")
            }
        }
        if format == .json {
            let doc: JSONValue = .object([
                ("unit", .string(timeUnit.rawValue)),
                ("customers_count", .int(summary.count)),
                ("bgnbd", .object([
                    ("r", .number(p.r)), ("alpha", .number(p.alpha)), ("a", .number(p.a)), ("b", .number(p.b)),
                    ("log_likelihood", .number(bg.logLikelihood)),
                ])),
                ("pareto_nbd", pareto.map { f in
                    .object([
                        ("r", .number(f.parameters.r)), ("alpha", .number(f.parameters.alpha)),
                        ("s", .number(f.parameters.s)), ("beta", .number(f.parameters.beta)),
                        ("log_likelihood", .number(f.logLikelihood)),
                    ])
                } ?? .null),
                ("gamma_gamma", gg.map { f in
                    .object([
                        ("p", .number(f.parameters.p)), ("q", .number(f.parameters.q)),
                        ("gamma", .number(f.parameters.gamma)), ("log_likelihood", .number(f.logLikelihood)),
                        ("customers", .int(f.customers)),
                    ])
                } ?? .null),
                ("predict", .number(predict)), ("months", .int(months)), ("discount_rate", .number(discountRate)),
                ("customers", .array(rows)),
            ])
            AnalyzeIO.emit(doc.serialized())
        } else {
            var lines = ["CLV analysis of \(summary.count) customers (unit: \(timeUnit.rawValue))"]
            lines.append("BG/NBD      r=\(AnalyzeIO.fmt(p.r)) alpha=\(AnalyzeIO.fmt(p.alpha)) a=\(AnalyzeIO.fmt(p.a)) b=\(AnalyzeIO.fmt(p.b))  LL=\(AnalyzeIO.fmt(bg.logLikelihood, 1))")
            if let f = pareto?.parameters, let ll = pareto?.logLikelihood {
                lines.append("Pareto/NBD  r=\(AnalyzeIO.fmt(f.r)) alpha=\(AnalyzeIO.fmt(f.alpha)) s=\(AnalyzeIO.fmt(f.s)) beta=\(AnalyzeIO.fmt(f.beta))  LL=\(AnalyzeIO.fmt(ll, 1))")
            }
            if let g = gg {
                lines.append("Gamma-Gamma p=\(AnalyzeIO.fmt(g.parameters.p, 2)) q=\(AnalyzeIO.fmt(g.parameters.q, 2)) gamma=\(AnalyzeIO.fmt(g.parameters.gamma, 2))  LL=\(AnalyzeIO.fmt(g.logLikelihood, 2))  (\(g.customers) repeat buyers)")
            } else {
                lines.append("Gamma-Gamma not fitted: no repeat buyers")
            }
            lines.append("Total \(months)-month CLV: \(AnalyzeIO.fmt(totalCLV, 2))")
            lines.append("First customers:")
            lines.append(contentsOf: textRows)
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
