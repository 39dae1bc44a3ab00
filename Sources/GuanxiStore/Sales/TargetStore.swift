import Foundation
import SQLKit
import GuanxiCore

/// Monthly sales targets per user and team, and what was achieved: revenue from the orders they
/// own placed in the month (not cancelled or returned), collections from the money received on
/// their orders in the month less refunds given in it. A team's figure is its members' sum.
package struct TargetStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Teams and the workspace's time zone.
    let access: AccessStore
    package init(db: Database, clock: any GuanxiCore.Clock, access: AccessStore) { self.db = db; self.clock = clock; self.access = access }

    /// Sets (replaces) targets; an amount of zero removes one. Targets are a manager's or an
    /// administrator's decision: `settings.update`, or `deals.assign` reaching every user named.
    package func save(_ scope: Scope, _ targets: [SalesTarget]) async throws -> [SalesTarget] {
        guard !targets.isEmpty, targets.count <= 500 else { throw DomainError.field("targets", "give 1 to 500 targets") }
        var e = FieldErrors()
        for (i, t) in targets.enumerated() {
            do { try t.validate() } catch { if case .validation(let m) = error { for (k, v) in m { e.add("targets[\(i)].\(k)", v) } } }
        }
        try e.throwIfAny()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let teams = try await access.teams(scope)
            let admin = scope.level(.settings, .update) != nil
            for (i, t) in targets.enumerated() {
                if let u = t.userID?.lowercased() {
                    guard try await AccessStore.activeMember(u, scope.workspaceID, sql: sql) else {
                        throw DomainError.field("targets[\(i)].user_id", "\(u) is not an active user of this workspace")
                    }
                    if !admin {
                        guard let l = scope.level(.deals, .assign), scope.covers(l, RecordAccess(ownerID: u)) else {
                            throw DomainError.forbidden("you may not set targets for this user")
                        }
                    }
                }
                if let tid = t.teamID?.lowercased() {
                    guard let team = teams.first(where: { $0.id == tid }) else { throw DomainError.field("targets[\(i)].team_id", "no such team") }
                    if !admin && team.managerID != scope.userID { throw DomainError.forbidden("only the team's manager or an administrator sets its targets") }
                }
            }
            var saved: [SalesTarget] = []
            for t in targets {
                let subject = t.userID.map { "user:" + $0.lowercased() } ?? "team:" + t.teamID!.lowercased()
                let cur = Money.currencyCode(t.amount.currency)!
                let month = SalesTarget.month(t.month)!
                try await sql.raw("""
                    DELETE FROM sales_targets WHERE workspace_id = \(bind: scope.workspaceID) AND month = \(bind: month) AND subject = \(bind: subject)
                    AND metric = \(bind: t.metric.rawValue)
                    """).run()
                guard t.amount.minor > 0 else { continue }
                try await sql.raw("""
                    INSERT INTO sales_targets (workspace_id, month, subject, metric, currency, amount, updated_by, updated_at)
                    VALUES (\(bind: scope.workspaceID), \(bind: month), \(bind: subject), \(bind: t.metric.rawValue), \(bind: cur), \(bind: t.amount.minor),
                      \(bind: scope.userID), \(bind: now.millis))
                    """).run()
                saved.append(SalesTarget(month: month, userID: t.userID?.lowercased(), teamID: t.teamID?.lowercased(), metric: t.metric,
                                         amount: Money(minor: t.amount.minor, currency: cur)))
            }
            try await tx.audit("update", "sales_targets", nil, detail: AuditDetail.encoded(targets))
            return saved
        }
    }

    /// The month's targets the scope may see (its own, and the users and teams its order reach
    /// covers) with what was achieved against each.
    package func attainment(_ scope: Scope, month: String) async throws -> [Attainment] {
        guard let level = scope.level(.orders, .read) else { throw DomainError.forbidden("your role may not read orders") }
        guard let m = SalesTarget.month(month) else { throw DomainError.field("month", "must be a month (YYYY-MM)") }
        let tz = try await access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai"
        let (start, end) = Dates.monthRange(m, timeZone: tz)!
        let teams = try await access.teams(scope)
        let reach = scope.ownerLimit(level)
        return try await db.read { sql in
            var targets: [SalesTarget] = []
            for r in try await sql.raw("""
                SELECT subject, metric, currency, amount FROM sales_targets WHERE workspace_id = \(bind: scope.workspaceID) AND month = \(bind: m)
                ORDER BY subject, metric
                """).all() {
                let subject = try r.decode(column: "subject", as: String.self)
                let id = String(subject.drop { $0 != ":" }.dropFirst())
                targets.append(SalesTarget(month: m, userID: subject.hasPrefix("user:") ? id : nil, teamID: subject.hasPrefix("team:") ? id : nil,
                                           metric: TargetMetric(rawValue: try r.decode(column: "metric", as: String.self)) ?? .revenue,
                                           amount: Money(minor: try r.decode(column: "amount", as: Int64.self), currency: try r.decode(column: "currency", as: String.self))))
            }
            func members(_ t: SalesTarget) -> [String] {
                if let u = t.userID { return [u] }
                return teams.first { $0.id == t.teamID }?.memberIDs ?? []
            }
            targets = targets.filter { t in reach.map { r in members(t).allSatisfy(r.contains) && !members(t).isEmpty } ?? true }
            // achieved, per owner and currency
            var revenue: [String: Int64] = [:], collections: [String: Int64] = [:]
            for r in try await sql.raw("""
                SELECT owner_id, currency, \(MoneySum.select("total", as: "s")) FROM orders WHERE workspace_id = \(bind: scope.workspaceID)
                AND placed_at >= \(bind: start.millis) AND placed_at < \(bind: end.millis) AND status IN (\(binds: OrderStatus.countingAsRevenue.map(\.rawValue))) AND owner_id IS NOT NULL
                GROUP BY owner_id, currency
                """).all() {
                revenue[(try r.decode(column: "owner_id", as: String.self)) + "|" + (try r.decode(column: "currency", as: String.self))] = try MoneySum.decode(r, "s")
            }
            for r in try await sql.raw("""
                SELECT o.owner_id, o.currency, \(MoneySum.select("CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount END", as: "s"))
                FROM order_payments p JOIN orders o ON o.id = p.order_id
                WHERE p.workspace_id = \(bind: scope.workspaceID) AND p.paid_at >= \(bind: start.millis) AND p.paid_at < \(bind: end.millis) AND o.owner_id IS NOT NULL
                GROUP BY o.owner_id, o.currency
                """).all() {
                collections[(try r.decode(column: "owner_id", as: String.self)) + "|" + (try r.decode(column: "currency", as: String.self))] = try MoneySum.decode(r, "s")
            }
            return targets.map { t in
                let book = t.metric == .revenue ? revenue : collections
                let sum = members(t).reduce(Int64(0)) { Money.saturating($0, plus: book[$1 + "|" + t.amount.currency] ?? 0) }
                return Attainment(target: t, achieved: Money(minor: sum, currency: t.amount.currency))
            }
        }
    }
}
