import Foundation
import SQLKit
import GuanxiCore

package struct DealFilter: Sendable {
    package var pipelineID: String?
    /// One stage's deals (the board's "and more" opens them as a list).
    package var stageID: String?
    package var status: DealStatus?
    package var ownerID: String?
    package var customerID: String?
    package init() {}
}

/// One column of the kanban board: its open deals (the first `limit` by expected close) and totals.
package struct BoardColumn: Codable, Sendable {
    package var stage: PipelineStage
    package var count: Int
    package var totals: [Money]
    package var weighted: [Money]
    package var deals: [Deal]
}

package struct ForecastRow: Codable, Sendable, Equatable {
    /// YYYY-MM of the expected close ("none" when not set).
    package var month: String
    package var ownerID: String?
    /// Set when grouped by team (an owner in two teams counts in both; nil: owners in no team).
    package var teamID: String?
    package var count: Int
    package var amount: Money
    package var weighted: Money
    enum CodingKeys: String, CodingKey { case month, count, amount, weighted, ownerID = "owner_id", teamID = "team_id" }
}

/// Pipelines and deals. Deals belong to a customer the user may read; moving, winning and losing
/// are written on the customer's timeline and in the audit log in the same transaction.
package struct DealStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Teams, for the forecast by team.
    let access: AccessStore
    package init(db: Database, clock: any GuanxiCore.Clock, access: AccessStore) { self.db = db; self.clock = clock; self.access = access }

    package static let defaultCurrency = "CNY"

    // MARK: Pipelines

    static func pipelines(_ workspaceID: String, sql: any SQLDatabase) async throws -> [Pipeline] {
        let stages = try await sql.raw("""
            SELECT id, pipeline_id, name, name_key, position, probability, kind FROM pipeline_stages WHERE workspace_id = \(bind: workspaceID) ORDER BY position, id
            """).all().map { r in
            (try r.decode(column: "pipeline_id", as: String.self),
             PipelineStage(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                           position: try r.decode(column: "position", as: Int.self), probability: try r.decode(column: "probability", as: Int.self),
                           kind: DealStatus(rawValue: try r.decode(column: "kind", as: String.self)) ?? .open,
                           nameKey: try r.decode(column: "name_key", as: String?.self)))
        }
        return try await sql.raw("SELECT id, name, name_key, position FROM pipelines WHERE workspace_id = \(bind: workspaceID) ORDER BY position, id")
            .all().map { r in
                let id = try r.decode(column: "id", as: String.self)
                return Pipeline(id: id, name: try r.decode(column: "name", as: String.self), position: try r.decode(column: "position", as: Int.self),
                                stages: stages.filter { $0.0 == id }.map(\.1), nameKey: try r.decode(column: "name_key", as: String?.self))
            }
    }

    static func insert(_ p: Pipeline, workspaceID: String, now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO pipelines (id, workspace_id, name, name_key, position, created_at) VALUES (\(bind: p.id), \(bind: workspaceID), \(bind: p.name),
              \(bind: p.nameKey), \(bind: p.position), \(bind: now.millis))
            """).run()
        for s in p.stages {
            try await sql.raw("""
                INSERT INTO pipeline_stages (id, workspace_id, pipeline_id, name, name_key, position, probability, kind)
                VALUES (\(bind: s.id), \(bind: workspaceID), \(bind: p.id), \(bind: s.name), \(bind: s.nameKey), \(bind: s.position), \(bind: s.probability),
                  \(bind: s.kind.rawValue))
                """).run()
        }
    }

    /// The workspace's pipelines; the first call makes the default one (销售管道).
    package func pipelines(_ scope: Scope) async throws -> [Pipeline] {
        _ = try scope.require(.deals, .read)
        let existing = try await db.read { try await Self.pipelines(scope.workspaceID, sql: $0) }
        if !existing.isEmpty { return existing }
        let now = clock.now()
        return try await db.write { sql in
            let again = try await Self.pipelines(scope.workspaceID, sql: sql)
            if !again.isEmpty { return again }
            try await Self.insert(Pipeline.seeded(id: ID.make(at: now)) { ID.make(at: now) },
                                  workspaceID: scope.workspaceID, now: now, sql: sql)
            return try await Self.pipelines(scope.workspaceID, sql: sql)
        }
    }

    /// Adds a pipeline (settings.update); stages are given in order.
    package func createPipeline(_ scope: Scope, name: String, stages: [(name: String, probability: Int, kind: DealStatus)]) async throws -> Pipeline {
        _ = try scope.require(.settings, .update)
        let now = clock.now()
        let p = Pipeline(id: ID.make(at: now), name: Text.clean(name), position: 100,
                         stages: stages.enumerated().map { i, s in
                             PipelineStage(id: ID.make(at: now), name: Text.clean(s.name), position: i + 1, probability: s.probability, kind: s.kind)
                         })
        try p.validate()
        _ = try await pipelines(scope)   // the default one first, so it stays first
        try await db.write(scope, at: now) { tx in
            try await Self.insert(p, workspaceID: scope.workspaceID, now: now, sql: tx.sql)
            try await tx.audit("create", "pipelines", p.id, detail: AuditDetail.encoded(p))
        }
        return p
    }

    // MARK: Deals

    static let columns = """
        id, name, pipeline_id, stage_id, status, customer_id, owner_id, amount_minor, currency, expected_close, probability, close_reason,
        lead_id, stage_changed_at, last_activity_at, closed_at, version, created_at, updated_at
        """

    static func decode(_ r: any SQLRow) throws -> Deal {
        func d(_ c: String) throws -> Date { Date(millis: try r.decode(column: c, as: Int64.self)) }
        return Deal(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                    pipelineID: try r.decode(column: "pipeline_id", as: String.self), stageID: try r.decode(column: "stage_id", as: String.self),
                    status: DealStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
                    customerID: try r.decode(column: "customer_id", as: String.self), ownerID: try r.decode(column: "owner_id", as: String?.self),
                    amount: Money(minor: try r.decode(column: "amount_minor", as: Int64.self), currency: try r.decode(column: "currency", as: String.self)),
                    expectedClose: try r.decode(column: "expected_close", as: String?.self), probability: try r.decode(column: "probability", as: Int.self),
                    closeReason: try r.decode(column: "close_reason", as: String?.self), leadID: try r.decode(column: "lead_id", as: String?.self),
                    stageChangedAt: try d("stage_changed_at"), lastActivityAt: try d("last_activity_at"),
                    closedAt: try r.decode(column: "closed_at", as: Int64?.self).map(Date.init(millis:)),
                    version: try r.decode(column: "version", as: Int.self), createdAt: try d("created_at"), updatedAt: try d("updated_at"))
    }

    static let records = OwnedRecords(table: "deals", alias: "d", columns: columns, object: .deals, name: "deal", plural: "deals", decode: decode)
    static let newest = records.keyset("created_at", descending: true) { $0.createdAt }
    static let oldest = records.keyset("created_at", descending: false) { $0.createdAt }

    package func get(_ scope: Scope, id: String) async throws -> Deal {
        try await Self.records.get(scope, id, in: db)
    }

    /// Opens a deal with a customer the user may read.
    package func create(_ scope: Scope, _ draft: DealDraft, leadID: String? = nil) async throws -> Deal {
        let level = try scope.require(.deals, .create)
        try draft.validate(creating: true)
        let pipelines = try await pipelines(scope)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in try await insert(draft, level: level, pipelines: pipelines, leadID: leadID, tx: tx) }
    }

    /// Inside the caller's transaction (lead conversion opens its deal with it).
    func insert(_ draft: DealDraft, level: AccessLevel, pipelines: [Pipeline], leadID: String?, tx: Tx) async throws -> Deal {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        let customer = try await CustomerStore.load(scope, (draft.customerID ?? "").lowercased(), for: .read, sql: sql)
        guard let pipeline = draft.pipelineID.map({ id in pipelines.first { $0.id == id.lowercased() } }) ?? pipelines.first else {
            throw DomainError.field("pipeline_id", "no such pipeline")
        }
        let stage: PipelineStage
        if let s = draft.stageID {
            guard let found = pipeline.stages.first(where: { $0.id == s.lowercased() && $0.kind == .open }) else {
                throw DomainError.field("stage_id", "is not an open stage of this pipeline")
            }
            stage = found
        } else { stage = pipeline.stages.first { $0.kind == .open }! }
        var owner = draft.ownerID?.lowercased() ?? (level == .all ? customer.ownerID : scope.userID)
        if owner == nil { owner = scope.userID }
        if let o = owner, o != scope.userID {
            let assign = try scope.require(.deals, .assign)
            guard scope.covers(assign, RecordAccess(ownerID: o)) else { throw DomainError.forbidden("you may not give deals to this user") }
            guard try await AccessStore.activeMember(o, scope.workspaceID, sql: sql) else {
                throw DomainError.field("owner_id", "\(o) is not an active user of this workspace")
            }
        }
        let amount = draft.amount.map { Money(minor: $0.minor, currency: Money.currencyCode($0.currency)!) } ?? Money(minor: 0, currency: Self.defaultCurrency)
        let d = Deal(id: ID.make(at: now), name: Text.clean(draft.name ?? ""), pipelineID: pipeline.id, stageID: stage.id, status: .open,
                     customerID: customer.id, ownerID: owner, amount: amount, expectedClose: draft.expectedClose.flatMap(Dates.parseDay),
                     probability: stage.probability, closeReason: nil, leadID: leadID, stageChangedAt: now, lastActivityAt: now, closedAt: nil,
                     version: 1, createdAt: now, updatedAt: now)
        try await sql.raw("""
            INSERT INTO deals (id, workspace_id, name, pipeline_id, stage_id, status, customer_id, owner_id, amount_minor, currency, expected_close,
              probability, lead_id, stage_changed_at, last_activity_at, version, created_at, updated_at)
            VALUES (\(bind: d.id), \(bind: scope.workspaceID), \(bind: d.name), \(bind: d.pipelineID), \(bind: d.stageID), 'open', \(bind: d.customerID),
              \(bind: d.ownerID), \(bind: d.amount.minor), \(bind: d.amount.currency), \(bind: d.expectedClose), \(bind: d.probability), \(bind: leadID),
              \(bind: now.millis), \(bind: now.millis), 1, \(bind: now.millis), \(bind: now.millis))
            """).run()
        try await tx.timeline(customer.id, .dealOpened, data: [
            "deal_id": .string(d.id), "name": .string(d.name), "stage": .string(stage.name),
            "amount_minor": .number(Double(d.amount.minor)), "currency": .string(d.amount.currency)])
        try await tx.audit("create", "deals", d.id, detail: AuditDetail.encoded(d))
        return d
    }

    /// Moves a deal to another stage of its pipeline. A lost stage needs a reason; a won or lost
    /// stage closes the deal; an open stage reopens a closed one.
    package func move(_ scope: Scope, id: String, toStage stageID: String, reason: String?, ifVersion: Int?) async throws -> Deal {
        let now = clock.now()
        let pipelines = try await pipelines(scope)
        return try await db.write(scope, at: now) { tx in
            var d = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            guard let pipeline = pipelines.first(where: { $0.id == d.pipelineID }),
                  let to = pipeline.stages.first(where: { $0.id == stageID.lowercased() }) else {
                throw DomainError.field("stage_id", "is not a stage of this deal's pipeline")
            }
            let from = pipeline.stages.first { $0.id == d.stageID }
            guard to.id != d.stageID else { return d }
            let why = reason.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            if to.kind == .lost && why == nil { throw DomainError.field("reason", "say why the deal was lost") }
            d.stageID = to.id; d.status = to.kind; d.probability = to.probability; d.stageChangedAt = now
            d.closedAt = to.kind == .open ? nil : now
            d.closeReason = to.kind == .open ? nil : why
            d.version += 1; d.updatedAt = now
            try await tx.sql.raw("""
                UPDATE deals SET stage_id = \(bind: d.stageID), status = \(bind: d.status.rawValue), probability = \(bind: d.probability),
                  stage_changed_at = \(bind: now.millis), closed_at = \(bind: d.closedAt?.millis), close_reason = \(bind: d.closeReason),
                  version = \(bind: d.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: d.id)
                """).run()
            var data: [String: JSONValue] = ["deal_id": .string(d.id), "name": .string(d.name), "from": .string(from?.name ?? ""),
                                             "to": .string(to.name), "status": .string(d.status.rawValue)]
            if let why { data["reason"] = .string(why) }
            try await tx.timeline(d.customerID, .dealMoved, data: data)
            try await tx.audit("move", "deals", d.id, detail: .object(data))
            try await tx.publish(.dealStageChanged, d.id, d, changes: data.merging(["from_stage_id": from.map { .string($0.id) } ?? .null, "to_stage_id": .string(to.id)]) { a, _ in a })
            return d
        }
    }

    /// Changes name, amount, expected close or owner.
    package func update(_ scope: Scope, id: String, _ draft: DealDraft, ifVersion: Int?) async throws -> Deal {
        try draft.validate(creating: false)
        let now = clock.now()
        return try await Self.records.update(scope, id, ifVersion: ifVersion, now: now, in: db, change: { d, sql in
            if let n = draft.name { d.name = Text.clean(n) }
            if let a = draft.amount { d.amount = Money(minor: a.minor, currency: Money.currencyCode(a.currency)!) }
            if let e = draft.expectedClose { d.expectedClose = Dates.parseDay(e) }
            if let o = draft.ownerID?.lowercased(), o != d.ownerID {
                let assign = try scope.require(.deals, .assign)
                for x in [d.ownerID, o] where x != nil && !scope.covers(assign, RecordAccess(ownerID: x)) {
                    throw DomainError.forbidden("you may not move deals to or from this user")
                }
                guard try await AccessStore.activeMember(o, scope.workspaceID, sql: sql) else {
                    throw DomainError.field("owner_id", "\(o) is not an active user of this workspace")
                }
                d.ownerID = o
            }
        }, save: { d, sql in
            try await sql.raw("""
                UPDATE deals SET name = \(bind: d.name), amount_minor = \(bind: d.amount.minor), currency = \(bind: d.amount.currency),
                  expected_close = \(bind: d.expectedClose), owner_id = \(bind: d.ownerID), version = \(bind: d.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: d.id)
                """).run()
        })
    }

    /// Newest first.
    package func list(_ scope: Scope, filter: DealFilter, cursor: String?, limit: Int = 50) async throws -> Page<Deal> {
        try await Self.records.page(scope, where: try clauses(scope, filter), order: Self.newest, cursor: cursor, limit: limit, in: db)
    }

    func clauses(_ scope: Scope, _ filter: DealFilter) throws -> SQLQueryString {
        try Self.records.clauses(scope, equal: ["pipeline_id": filter.pipelineID, "stage_id": filter.stageID, "status": filter.status?.rawValue,
                                                "owner_id": filter.ownerID, "customer_id": filter.customerID])
    }

    /// The deal list's window: by when the deal was opened (the indexed key), newest or oldest
    /// first, paged either way (`OwnedRecords.window`).
    package func window(_ scope: Scope, filter: DealFilter, oldestFirst: Bool = false, cursor: String?, before: String?,
                        limit: Int = 50) async throws -> (items: [Deal], next: String?, previous: String?) {
        try await Self.records.window(scope, where: try clauses(scope, filter), order: oldestFirst ? Self.oldest : Self.newest,
                                      cursor: cursor, before: before, limit: limit, in: db)
    }

    /// How many deals `filter` finds for `scope`, up to the list's cap (`ListCount`).
    package func count(_ scope: Scope, filter: DealFilter) async throws -> (count: Int, exact: Bool) {
        try await Self.records.count(scope, where: try clauses(scope, filter), in: db)
    }

    /// The kanban board of a pipeline: every stage with its count and totals (per currency), and
    /// the first `perStage` open deals by expected close (closed stages show the latest closed).
    package func board(_ scope: Scope, pipelineID: String?, ownerID: String? = nil, perStage: Int = 50) async throws -> (Pipeline, [BoardColumn]) {
        let pipelines = try await pipelines(scope)
        guard let p = pipelineID.map({ id in pipelines.first { $0.id == id.lowercased() } }) ?? pipelines.first else {
            throw DomainError.notFound("pipeline")
        }
        let reach = try Self.records.readLimit(scope)
        let per = min(max(perStage, 1), 200)
        return (p, try await db.read { sql in
            var totals: [String: (Int, MoneyTotals, MoneyTotals)] = [:]
            var q = SQLQueryString("""
                SELECT d.stage_id, d.currency, COUNT(*) AS n, \(MoneySum.select("d.amount_minor", as: "total")), \(MoneySum.select("d.amount_minor", times: "d.probability", as: "weighted"))
                FROM deals d WHERE d.workspace_id = \(bind: scope.workspaceID) AND d.pipeline_id = \(bind: p.id)
                """)
            q += reach
            if let ownerID { q += " AND d.owner_id = \(bind: ownerID)" }
            q += " GROUP BY d.stage_id, d.currency"
            for r in try await sql.raw(q).all() {
                let stage = try r.decode(column: "stage_id", as: String.self), cur = try r.decode(column: "currency", as: String.self)
                var t = totals[stage] ?? (0, MoneyTotals(), MoneyTotals())
                t.0 += try r.decode(column: "n", as: Int.self)
                t.1.add(Money(minor: try MoneySum.decode(r, "total"), currency: cur))
                let w = try MoneySum.decode(r, "weighted")
                t.2.add(Money(minor: Money.hundredths(w), currency: cur))
                totals[stage] = t
            }
            var columns: [BoardColumn] = []
            // each column walks its index in order: dated deals by expected close, then undated ones
            func cards(_ s: PipelineStage, _ order: String, limit: Int) async throws -> [Deal] {
                var dq = SQLQueryString("""
                    SELECT \(unsafeRaw: Self.columns) FROM deals d WHERE d.workspace_id = \(bind: scope.workspaceID) AND d.pipeline_id = \(bind: p.id)
                    AND d.stage_id = \(bind: s.id)
                    """)
                dq += reach
                if let ownerID { dq += " AND d.owner_id = \(bind: ownerID)" }
                dq += SQLQueryString(" \(unsafeRaw: order) LIMIT \(literal: limit)")
                return try await sql.raw(dq).all().map(Self.decode)
            }
            for s in p.stages {
                var deals: [Deal]
                if s.kind == .open {
                    deals = try await cards(s, "AND d.expected_close IS NOT NULL ORDER BY d.expected_close, d.id", limit: per)
                    if deals.count < per { deals += try await cards(s, "AND d.expected_close IS NULL ORDER BY d.id", limit: per - deals.count) }
                } else {
                    deals = try await cards(s, "ORDER BY d.closed_at DESC", limit: per)
                }
                let t = totals[s.id] ?? (0, MoneyTotals(), MoneyTotals())
                columns.append(BoardColumn(stage: s, count: t.0, totals: t.1.items, weighted: t.2.items, deals: deals))
            }
            return columns
        })
    }

    /// The forecast by month and team: each owner's rows added to every team they belong to.
    package func forecastByTeam(_ scope: Scope, pipelineID: String? = nil) async throws -> [ForecastRow] {
        let rows = try await forecast(scope, pipelineID: pipelineID)
        let teams = try await access.teams(scope)
        var sums: [String: ForecastRow] = [:]
        for r in rows {
            let of: [String?] = teams.filter { t in r.ownerID.map(t.memberIDs.contains) ?? false }.map { $0.id }
            for team in of.isEmpty ? [nil] : of {
                let key = r.month + "|" + (team ?? "") + "|" + r.amount.currency
                var x = sums[key] ?? ForecastRow(month: r.month, ownerID: nil, teamID: team, count: 0,
                                                 amount: Money(minor: 0, currency: r.amount.currency), weighted: Money(minor: 0, currency: r.amount.currency))
                x.count += r.count
                x.amount.minor = Money.saturating(x.amount.minor, plus: r.amount.minor)
                x.weighted.minor = Money.saturating(x.weighted.minor, plus: r.weighted.minor)
                sums[key] = x
            }
        }
        return sums.values.sorted { ($0.month, $0.teamID ?? "", $0.amount.currency) < ($1.month, $1.teamID ?? "", $1.amount.currency) }
    }

    /// Weighted forecast of open deals by month of expected close and owner (amounts per currency).
    package func forecast(_ scope: Scope, pipelineID: String? = nil) async throws -> [ForecastRow] {
        let reach = try Self.records.readLimit(scope)
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT SUBSTR(COALESCE(d.expected_close, 'none'), 1, 7) AS month, d.owner_id, d.currency, COUNT(*) AS n,
                  \(MoneySum.select("d.amount_minor", as: "total")), \(MoneySum.select("d.amount_minor", times: "d.probability", as: "weighted"))
                FROM deals d WHERE d.workspace_id = \(bind: scope.workspaceID) AND d.status = 'open'
                """)
            q += reach
            if let p = pipelineID { q += " AND d.pipeline_id = \(bind: p)" }
            q += " GROUP BY SUBSTR(COALESCE(d.expected_close, 'none'), 1, 7), d.owner_id, d.currency ORDER BY month, d.owner_id, d.currency"
            return try await sql.raw(q).all().map { r in
                let cur = try r.decode(column: "currency", as: String.self), w = try MoneySum.decode(r, "weighted")
                return ForecastRow(month: try r.decode(column: "month", as: String.self), ownerID: try r.decode(column: "owner_id", as: String?.self),
                                   teamID: nil, count: try r.decode(column: "n", as: Int.self),
                                   amount: Money(minor: try MoneySum.decode(r, "total"), currency: cur),
                                   weighted: Money(minor: Money.hundredths(w), currency: cur))
            }
        }
    }
}
