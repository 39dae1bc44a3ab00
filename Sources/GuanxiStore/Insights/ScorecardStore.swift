import Foundation
import SQLKit
import GuanxiCore

/// One row of a balanced scorecard: a person or a team, their figures and measures.
package struct ScorecardRow: Sendable, Equatable {
    /// `user` or `team`.
    package var kind: String
    package var id: String
    package var name: String
    package var figures: ScorecardFigures
    package var measures: ScorecardMeasures
}

/// A scorecard over a period: the rows the viewer may see, money in one currency.
package struct ScorecardSheet: Sendable, Equatable {
    package var period: ScorecardPeriod
    package var currency: String
    package var from: Date
    package var to: Date
    package var rows: [ScorecardRow]
}

/// The balanced scorecard per staff member and team (docs/INSIGHTS.md): one read per set of
/// measures over the whole workspace, grouped by person — never a query per person — then the
/// Core rules (`Scorecard`). Who is shown follows the viewer's reach over orders: everyone for a
/// reach over all orders, their team's people for a team reach, themselves alone for their own.
package struct ScorecardStore: Sendable {
    let db: Database
    let access: AccessStore

    package init(db: Database, access: AccessStore) { self.db = db; self.access = access }

    /// The scorecard for `period` (`2026-12`, `2026-Q4`, `2026`), optionally for one team's members.
    package func sheet(_ scope: Scope, period raw: String, team: String? = nil) async throws -> ScorecardSheet {
        guard let level = scope.level(.orders, .read) else { throw DomainError.forbidden("your role may not read orders, so it has no scorecard") }
        guard let period = ScorecardPeriod.parse(raw) else { throw DomainError.field("period", "'\(raw)' is not a period (2026-12, 2026-Q4 or 2026)") }
        let ws = scope.workspaceID
        let tz = try await access.workspace(id: ws)?.timeZone ?? "Asia/Shanghai"
        guard let (from, _) = Dates.monthRange(period.months.first!, timeZone: tz), let (_, to) = Dates.monthRange(period.months.last!, timeZone: tz),
              let (before, _) = Dates.monthRange(period.previous.first!, timeZone: tz) else { throw DomainError.field("period", "'\(raw)' is not a period (2026-12, 2026-Q4 or 2026)") }
        let teams = try await access.teams(scope)
        var asked: Team?
        if let team {
            guard let t = teams.first(where: { $0.id == team.lowercased() }) else { throw DomainError.notFound("team") }
            asked = t
        }
        let chosen = asked
        let reach = scope.ownerLimit(level)
        let (a, b, p) = (from.millis, to.millis, before.millis)
        let counted = OrderStatus.countingAsRevenue.map(\.rawValue)
        return try await db.read { sql in
            // the people: active members within reach (and in the team asked for)
            var people: [(id: String, name: String)] = []
            for r in try await sql.raw("""
                SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = \(bind: ws) AND u.is_active = 1 AND m.deactivated_at IS NULL ORDER BY u.name, u.id
                """).all() {
                let id = try r.decode(column: "id", as: String.self)
                if let reach, !reach.contains(id) { continue }
                if let chosen, !chosen.memberIDs.contains(id) { continue }
                people.append((id, try r.decode(column: "name", as: String.self)))
            }
            // the currency most of the period's orders are in
            let currency = try await sql.raw("""
                SELECT currency, COUNT(*) AS n FROM orders WHERE workspace_id = \(bind: ws) AND placed_at >= \(bind: a) AND placed_at < \(bind: b)
                GROUP BY currency ORDER BY n DESC, currency LIMIT 1
                """).first()?.decode(column: "currency", as: String.self) ?? DealStore.defaultCurrency
            var f: [String: ScorecardFigures] = [:]
            func with(_ owner: String, _ change: (inout ScorecardFigures) -> Void) { change(&f[owner, default: ScorecardFigures()]) }
            func owner(_ r: any SQLRow) throws -> String { try r.decode(column: "owner_id", as: String.self) }
            func int(_ r: any SQLRow, _ c: String) throws -> Int { try r.decode(column: c, as: Int?.self) ?? 0 }
            // financial: revenue of their orders placed in the period; collections on their orders in it.
            // An order is its owner's, or (none given, as orders from a shop or an ERP come) its customer's owner's.
            let credited = "COALESCE(o.owner_id, c.owner_id)"
            for r in try await sql.raw("""
                SELECT \(unsafeRaw: credited) AS owner_id, \(MoneySum.select("o.total - o.refunded", as: "s"))
                FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.workspace_id = \(bind: ws) AND o.currency = \(bind: currency)
                AND o.placed_at >= \(bind: a) AND o.placed_at < \(bind: b) AND o.status IN (\(binds: counted)) AND \(unsafeRaw: credited) IS NOT NULL
                GROUP BY \(unsafeRaw: credited)
                """).all() { let v = try MoneySum.decode(r, "s"); with(try owner(r)) { $0.revenue = v } }
            for r in try await sql.raw("""
                SELECT \(unsafeRaw: credited) AS owner_id, \(MoneySum.select("CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount END", as: "s"))
                FROM order_payments p JOIN orders o ON o.id = p.order_id JOIN customers c ON c.id = o.customer_id
                WHERE p.workspace_id = \(bind: ws) AND o.currency = \(bind: currency) AND p.paid_at >= \(bind: a) AND p.paid_at < \(bind: b)
                AND \(unsafeRaw: credited) IS NOT NULL GROUP BY \(unsafeRaw: credited)
                """).all() { let v = try MoneySum.decode(r, "s"); with(try owner(r)) { $0.collections = v } }
            // targets over the period's months (sales_targets), per person and per team
            var targets: [String: (revenue: Int64?, collections: Int64?)] = [:]
            for r in try await sql.raw("""
                SELECT subject, metric, \(MoneySum.select("amount", as: "s")) FROM sales_targets WHERE workspace_id = \(bind: ws) AND currency = \(bind: currency)
                AND month IN (\(binds: period.months)) GROUP BY subject, metric
                """).all() {
                let subject = try r.decode(column: "subject", as: String.self), v = try MoneySum.decode(r, "s")
                if try r.decode(column: "metric", as: String.self) == "revenue" { targets[subject, default: (nil, nil)].revenue = v }
                else { targets[subject, default: (nil, nil)].collections = v }
            }
            // customer: their accounts who bought in the period before, and who of those bought again
            for r in try await sql.raw("""
                SELECT owner_id, SUM(was) AS base, SUM(was * kept) AS kept FROM (
                  SELECT c.owner_id, o.customer_id, MAX(CASE WHEN o.placed_at < \(bind: a) THEN 1 ELSE 0 END) AS was,
                    MAX(CASE WHEN o.placed_at >= \(bind: a) THEN 1 ELSE 0 END) AS kept
                  FROM orders o JOIN customers c ON c.id = o.customer_id
                  WHERE o.workspace_id = \(bind: ws) AND o.placed_at >= \(bind: p) AND o.placed_at < \(bind: b) AND o.status IN (\(binds: counted))
                  AND c.owner_id IS NOT NULL GROUP BY c.owner_id, o.customer_id) t
                GROUP BY owner_id
                """).all() {
                let (base, kept) = (try int(r, "base"), try int(r, "kept"))
                with(try owner(r)) { $0.retentionBase = base; $0.retained = kept }
            }
            for r in try await sql.raw("""
                SELECT c.owner_id, SUM(CAST(s.rating AS INTEGER)) AS total, COUNT(s.rating) AS n FROM ticket_surveys s JOIN tickets t ON t.id = s.ticket_id
                JOIN customers c ON c.id = t.customer_id
                WHERE s.workspace_id = \(bind: ws) AND s.answered_at >= \(bind: a) AND s.answered_at < \(bind: b) AND s.rating IS NOT NULL
                AND c.owner_id IS NOT NULL GROUP BY c.owner_id
                """).all() {
                let (total, n) = (try int(r, "total"), try int(r, "n"))
                with(try owner(r)) { $0.csatSum = total; $0.csatAnswers = n }
            }
            // process: first responses (minutes), visits, follow-ups on time
            for r in try await sql.raw("""
                SELECT assignee_id AS owner_id, (first_responded_at - created_at) / 60000 AS minutes FROM tickets
                WHERE workspace_id = \(bind: ws) AND created_at >= \(bind: a) AND created_at < \(bind: b) AND first_responded_at IS NOT NULL
                AND assignee_id IS NOT NULL
                """).all() { let m = try int(r, "minutes"); with(try owner(r)) { $0.ticketResponseMinutes.append(m) } }
            for r in try await sql.raw("""
                SELECT owner_id, (responded_at - created_at) / 60000 AS minutes FROM leads
                WHERE workspace_id = \(bind: ws) AND created_at >= \(bind: a) AND created_at < \(bind: b) AND responded_at IS NOT NULL AND owner_id IS NOT NULL
                """).all() { let m = try int(r, "minutes"); with(try owner(r)) { $0.leadResponseMinutes.append(m) } }
            for r in try await sql.raw("""
                SELECT owner_id, SUM(CASE WHEN kind = 'visit' AND status = 'done' AND completed_at >= \(bind: a) AND completed_at < \(bind: b) THEN 1 ELSE 0 END) AS visits,
                  SUM(CASE WHEN kind <> 'visit' AND status <> 'cancelled' AND due_at >= \(bind: a) AND due_at < \(bind: b) THEN 1 ELSE 0 END) AS due,
                  SUM(CASE WHEN kind <> 'visit' AND status = 'done' AND due_at >= \(bind: a) AND due_at < \(bind: b) AND completed_at <= due_at THEN 1 ELSE 0 END) AS on_time
                FROM tasks WHERE workspace_id = \(bind: ws) AND owner_id IS NOT NULL
                AND ((due_at >= \(bind: a) AND due_at < \(bind: b)) OR (completed_at >= \(bind: a) AND completed_at < \(bind: b)))
                GROUP BY owner_id
                """).all() {
                let (v, d, o) = (try int(r, "visits"), try int(r, "due"), try int(r, "on_time"))
                with(try owner(r)) { $0.visits = v; $0.followUpsDue = d; $0.followUpsOnTime = o }
            }
            // growth: accounts whose first order fell in the period; orders selling a customer of
            // before the period a product new to them
            for r in try await sql.raw("""
                SELECT c.owner_id, COUNT(*) AS n FROM (
                  SELECT customer_id, MIN(placed_at) AS first FROM orders WHERE workspace_id = \(bind: ws) AND status IN (\(binds: counted)) GROUP BY customer_id) f
                JOIN customers c ON c.id = f.customer_id
                WHERE f.first >= \(bind: a) AND f.first < \(bind: b) AND c.owner_id IS NOT NULL GROUP BY c.owner_id
                """).all() { let n = try int(r, "n"); with(try owner(r)) { $0.newCustomers = n } }
            for r in try await sql.raw("""
                SELECT \(unsafeRaw: credited) AS owner_id, COUNT(DISTINCT o.id) AS n
                FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN customers c ON c.id = o.customer_id
                WHERE o.workspace_id = \(bind: ws) AND o.placed_at >= \(bind: a) AND o.placed_at < \(bind: b) AND o.status IN (\(binds: counted))
                AND \(unsafeRaw: credited) IS NOT NULL
                AND EXISTS (SELECT 1 FROM orders e WHERE e.workspace_id = o.workspace_id AND e.customer_id = o.customer_id AND e.placed_at < \(bind: a)
                  AND e.status IN (\(binds: counted)))
                AND NOT EXISTS (SELECT 1 FROM orders e JOIN order_lines el ON el.order_id = e.id WHERE e.workspace_id = o.workspace_id
                  AND e.customer_id = o.customer_id AND e.placed_at < \(bind: a) AND e.status IN (\(binds: counted))
                  AND COALESCE(el.product_id, el.name) = COALESCE(l.product_id, l.name))
                GROUP BY \(unsafeRaw: credited)
                """).all() { let n = try int(r, "n"); with(try owner(r)) { $0.crossSellOrders = n } }
            // the rows: people, then their teams (a team only when the viewer sees all its members)
            var rows: [ScorecardRow] = []
            for person in people {
                var figures = f[person.id] ?? ScorecardFigures()
                let t = targets["user:" + person.id]
                figures.revenueTarget = t?.revenue; figures.collectionsTarget = t?.collections
                rows.append(ScorecardRow(kind: "user", id: person.id, name: person.name, figures: figures, measures: Scorecard.measures(figures)))
            }
            let shown = Set(people.map(\.id))
            for team in teams where (chosen == nil || chosen?.id == team.id) && !team.memberIDs.isEmpty && team.memberIDs.allSatisfy(shown.contains) {
                let members = rows.filter { $0.kind == "user" && team.memberIDs.contains($0.id) }.map(\.figures)
                let t = targets["team:" + team.id]
                let figures = Scorecard.team(members, revenueTarget: t?.revenue, collectionsTarget: t?.collections)
                rows.append(ScorecardRow(kind: "team", id: team.id, name: team.name, figures: figures, measures: Scorecard.measures(figures)))
            }
            return ScorecardSheet(period: period, currency: currency, from: from, to: to, rows: rows)
        }
    }
}
