import ArgumentParser
import Foundation
import GuanxiCore
import GuanxiStore

/// `guanxi analyze score`: a scoring run over the CRM's own orders (not a CSV file): fits the
/// models, writes every customer's scores and prints the run; incremental (only the customers
/// whose orders changed, through the last full run's model) unless `--full` or the model is old.
struct AnalyzeScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score the database's customers from their orders (RFM, BG/NBD or Pareto/NBD, Gamma-Gamma, CLV, tiers, classes).")

    @OptionGroup var db: DatabaseOptions

    @Option(help: "Score as if today were this day (YYYY-MM-DD); later orders are left out. Default: today.")
    var asOf: String?

    @Option(help: "The models' time unit: day or week.")
    var period: String = "week"

    @Flag(help: "Also fit Pareto/NBD and use it when its likelihood is higher (slow on small or irregular histories).")
    var pareto = false

    @Flag(help: "Refit the models on every customer even when an incremental run (only the customers whose orders changed) would do.")
    var full = false

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        try await reportingErrors {
            let database = try await db.open()
            let stores = db.stores(database)
            let scope = try await db.scope(stores.access)
            let run = try await stores.scores.run(scope, asOf: asOf, period: period, pareto: pareto, full: full)
            await database.close()
            if AnalyzeIO.timingsEnabled { AnalyzeIO.note(run.phaseMillis.map { "\($0.name) \($0.ms) ms" }.joined(separator: ", ")) }
            var members: [(String, JSONValue)] = [
                ("run", .string(run.id)), ("status", .string(run.status)), ("as_of", .string(run.asOf)), ("period", .string(run.period)),
                ("model_version", .string(run.modelVersion)), ("chosen", run.model.map { .string($0) } ?? .null),
                ("customers", .int(run.customers)), ("transactions", .int(run.transactions)), ("currency", .string(run.currency)),
                ("first_day", run.firstDay.map { .string($0) } ?? .null), ("last_day", run.lastDay.map { .string($0) } ?? .null),
                ("duration_ms", .int(run.durationMs ?? 0)), ("kind", .string(run.kind)), ("touched", .int(run.touched ?? 0)),
            ]
            if let base = run.baseRunID { members.append(("base_run", .string(base))) }
            var model: [(String, JSONValue)] = []
            if case .object(let p)? = run.parameters {
                for key in ["bgnbd", "pareto_nbd", "gamma_gamma"] {
                    if case .object(let o)? = p[key] {
                        let order = ["r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma", "log_likelihood", "customers"]
                        model.append((key, .object(order.compactMap { k in
                            if case .number(let v)? = o[k] { return (k, k == "customers" ? .int(Int(v)) : .number(v)) }
                            return nil
                        })))
                    }
                }
                if case .number(let k)? = p["classes"] { model.append(("classes", .int(Int(k)))) }
            }
            members.append(("model", .object(model)))
            if format == .json {
                AnalyzeIO.emit(JSONValue.object(members).serialized())
            } else {
                if run.kind == "incremental" {
                    print("Incremental run: \(run.touched ?? 0) customers whose orders changed, \(run.customers) scored, through the model of run \(run.baseRunID ?? "-"), in \(run.durationMs ?? 0) ms.")
                } else {
                    print("Scored \(run.customers) customers from \(run.transactions) orders (\(run.currency)) as of \(run.asOf), period \(run.period), in \(run.durationMs ?? 0) ms.")
                }
                if let m = run.model { print("Model: \(m), log-likelihood \(run.logLikelihood.map { AnalyzeIO.fmt($0, 1) } ?? "-")") }
            }
        }
    }
}
