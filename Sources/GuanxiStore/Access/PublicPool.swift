import Foundation
import SQLKit
import GuanxiCore

/// 公海 rules of a workspace: how many customers each role may own, and after how many days
/// without a follow-up (note or interaction) an owned customer of each tier returns to the pool.
package struct PoolRules: Codable, Sendable, Equatable {
    /// Role key → most customers a member with that role may own (absent: no cap).
    package var caps: [String: Int]
    /// Tier → days; the key "*" applies to every tier not named (and to customers without a tier).
    package var recycleDays: [String: Int]
    package init(caps: [String: Int] = [:], recycleDays: [String: Int] = [:]) { self.caps = caps; self.recycleDays = recycleDays }
    enum CodingKeys: String, CodingKey { case caps, recycleDays = "recycle_days" }
}

/// The public pool: customers without an owner, claimed by reps up to a cap, and refilled by
/// recycling customers nobody followed up.
package struct PublicPool: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    package func rules(_ scope: Scope) async throws -> PoolRules {
        try await db.read { try await Self.rules(scope.workspaceID, sql: $0) }
    }

    static func rules(_ workspaceID: String, sql: any SQLDatabase) async throws -> PoolRules {
        guard let r = try await sql.raw("SELECT caps_json, recycle_days_json FROM pool_rules WHERE workspace_id = \(bind: workspaceID)").first() else {
            return PoolRules()
        }
        return PoolRules(caps: JSONCoding.decode([String: Int].self, try r.decode(column: "caps_json", as: String.self)) ?? [:],
                         recycleDays: JSONCoding.decode([String: Int].self, try r.decode(column: "recycle_days_json", as: String.self)) ?? [:])
    }

    /// How long an owned customer may go without a note or interaction before it returns: a day to ten years.
    package static let recycleDays = 1...3650

    package func saveRules(_ scope: Scope, _ rules: PoolRules) async throws -> PoolRules {
        try scope.require(.settings, .update)
        var e = FieldErrors()
        for (k, v) in rules.caps where v < 0 { e.add("caps.\(k)", "must be 0 or more") }
        for (k, v) in rules.recycleDays where !Self.recycleDays.contains(v) {
            e.add("recycle_days.\(k)", "must be 1 to \(Self.recycleDays.upperBound) days")
        }
        try e.throwIfAny()
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("DELETE FROM pool_rules WHERE workspace_id = \(bind: scope.workspaceID)").run()
            try await tx.sql.raw("""
                INSERT INTO pool_rules (workspace_id, caps_json, recycle_days_json, updated_at)
                VALUES (\(bind: scope.workspaceID), \(bind: JSONCoding.encode(rules.caps)), \(bind: JSONCoding.encode(rules.recycleDays)), \(bind: now.millis))
                """).run()
            try await tx.audit("update", "pool_rules", nil, detail: AuditDetail.encoded(rules))
        }
        return rules
    }

    /// Takes an unowned customer. Refused when someone owns it, or when the caller's role is at its cap.
    package func claim(_ scope: Scope, customerID: String) async throws {
        guard let me = scope.userID else { throw DomainError.forbidden("only users can claim customers") }
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            // someone who saw it in the pool learns that it was taken, even when its new owner's records are hidden from them
            let held = try await sql.raw("""
                SELECT owner_id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: customerID.lowercased()) AND deleted_at IS NULL
                """).first().map { try $0.decode(column: "owner_id", as: String?.self) }
            if let owner = held ?? nil {
                throw DomainError.conflict(owner == me ? "you already own this customer" : "this customer already has an owner")
            }
            let c = try await CustomerStore.load(scope, customerID.lowercased(), for: .read, sql: sql)
            if let cap = try await Self.rules(scope.workspaceID, sql: sql).caps[scope.roleKey] {
                let owned = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND owner_id = \(bind: me) AND deleted_at IS NULL
                    """).first()!.decode(column: "n", as: Int.self)
                if owned >= cap { throw DomainError.conflict("you already own \(owned) customers, the most your role may hold (\(cap)); release some first") }
            }
            try await OwnedObject.customers.move([(c.id, nil, me)], reason: "claimed", tx: tx)
            try await tx.audit("claim", "customers", c.id)
        }
    }

    /// Gives a customer back to the pool (its owner, or someone who may assign it).
    package func release(_ scope: Scope, customerID: String) async throws {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let c = try await CustomerStore.load(scope, customerID.lowercased(), for: .update, sql: tx.sql)
            guard let owner = c.ownerID else { throw DomainError.conflict("this customer is already in the public pool") }
            if owner != scope.userID {
                let level = try scope.require(.customers, .assign)
                guard scope.covers(level, RecordAccess(ownerID: owner)) else { throw DomainError.forbidden("you may not release another user's customer") }
            }
            try await OwnedObject.customers.move([(c.id, owner, nil)], reason: "released", tx: tx)
            try await tx.audit("release", "customers", c.id)
        }
    }

    /// Returns to the pool every owned customer whose last note or interaction (or, without any,
    /// its creation) is older than its tier's days. Runs as a background job; tests pass a clock.
    @discardableResult
    package func recycle() async throws -> [String: Int] {
        let now = clock.now()
        let workspaces = try await db.read { sql in
            try await sql.raw("SELECT workspace_id FROM pool_rules ORDER BY workspace_id").all().map { try $0.decode(column: "workspace_id", as: String.self) }
        }
        var out: [String: Int] = [:]
        for ws in workspaces {
            let n = try await db.write(Scope(workspaceID: ws, userID: nil, role: .owner), at: now) { tx in
                let sql = tx.sql
                let rules = try await Self.rules(ws, sql: sql)
                guard !rules.recycleDays.isEmpty else { return 0 }
                var moves: [(id: String, from: String?, to: String?)] = []
                let named = rules.recycleDays.keys.filter { $0 != "*" }.sorted()
                for (tier, days) in rules.recycleDays.sorted(by: { $0.key < $1.key }) {
                    // rules saved before the bound was checked may hold any number: clamped, never an overflow
                    let cutoff = now.millis - Int64(min(max(days, Self.recycleDays.lowerBound), Self.recycleDays.upperBound)) * 86_400_000
                    var q = SQLQueryString("""
                        SELECT c.id, c.owner_id FROM customers c
                        WHERE c.workspace_id = \(bind: ws) AND c.owner_id IS NOT NULL AND c.deleted_at IS NULL AND c.created_at < \(bind: cutoff)
                        """)
                    if tier == "*" {
                        if !named.isEmpty { q += " AND (c.tier IS NULL OR c.tier NOT IN (\(binds: named)))" }
                    } else {
                        q += " AND c.tier = \(bind: tier)"
                    }
                    q += """
                         AND NOT EXISTS (SELECT 1 FROM timeline t WHERE t.workspace_id = c.workspace_id AND t.customer_id = c.id
                           AND t.kind IN ('note', 'interaction') AND t.deleted_at IS NULL AND t.occurred_at >= \(bind: cutoff))
                        """
                    for r in try await sql.raw(q).all() {
                        moves.append((try r.decode(column: "id", as: String.self), try r.decode(column: "owner_id", as: String.self), nil))
                    }
                }
                guard !moves.isEmpty else { return 0 }
                try await OwnedObject.customers.move(moves, reason: "recycled", tx: tx)
                try await tx.audit("recycle", "customers", nil, detail: ["count": .number(Double(moves.count))])
                return moves.count
            }
            out[ws] = n
        }
        return out
    }
}
