import Foundation
import SQLKit
import GuanxiCore

/// Something users own. Handover and the public pool move ownership through this list, so a
/// later feature (leads, deals, tickets, tasks) joins both by adding one entry to `all`.
package struct OwnedObject: Sendable {
    package var object: AccessObject
    package var table: String
    /// Which of a departing user's rows handover moves (SQL on the table; empty: all of them).
    package var handoverCondition = ""
    /// Writes the timeline/history entries for records that changed owner (inside the transaction).
    var recordMoves: @Sendable (_ moves: [(id: String, from: String?, to: String?)], _ reason: String, _ tx: Tx) async throws -> Void

    /// An owner-change entry on each moved record's own timeline (leads keep theirs under the lead id).
    static func ownerChangedEntries(_ moves: [(id: String, from: String?, to: String?)], _ reason: String, _ tx: Tx) async throws {
        try await tx.timeline(moves.map { m in
            tx.event(m.id, .ownerChanged, data: ["from": m.from.map(JSONValue.string) ?? .null, "to": m.to.map(JSONValue.string) ?? .null,
                                                 "reason": .string(reason)])
        })
    }

    package static let customers = OwnedObject(object: .customers, table: "customers", recordMoves: ownerChangedEntries)
    package static let leads = OwnedObject(object: .leads, table: "leads", recordMoves: ownerChangedEntries)

    /// A record that belongs to a customer (deal, quote, order): its move is written on the customer's timeline.
    static func onCustomerTimeline(_ table: String, _ idKey: String) -> @Sendable ([(id: String, from: String?, to: String?)], String, Tx) async throws -> Void {
        { moves, reason, tx in
            guard !moves.isEmpty else { return }
            let customerOf = Dictionary(try await tx.sql.raw("""
                SELECT id, customer_id FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: tx.scope.workspaceID) AND id IN (\(binds: moves.map(\.id)))
                """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "customer_id", as: String.self)) },
                uniquingKeysWith: { a, _ in a })
            try await tx.timeline(moves.compactMap { m in
                customerOf[m.id].map { c in
                    tx.event(c, .ownerChanged, data: [idKey: .string(m.id), "from": m.from.map(JSONValue.string) ?? .null,
                                                      "to": m.to.map(JSONValue.string) ?? .null, "reason": .string(reason)])
                }
            })
        }
    }

    package static let deals = OwnedObject(object: .deals, table: "deals", recordMoves: onCustomerTimeline("deals", "deal_id"))
    /// Quotes still in play and orders still running move; accepted, rejected and superseded quotes and
    /// confirmed, cancelled or returned orders stay with who sold them (their revenue stays theirs).
    package static let quotes = OwnedObject(object: .orders, table: "quotes", handoverCondition: "status IN ('inquiry', 'draft', 'sent')",
                                           recordMoves: onCustomerTimeline("quotes", "quote_id"))
    package static let orders = OwnedObject(object: .orders, table: "orders", handoverCondition: "status NOT IN ('confirmed', 'cancelled', 'returned')",
                                           recordMoves: onCustomerTimeline("orders", "order_id"))

    /// Only open tasks move: done and cancelled ones stay with the person who did (or dropped) them.
    /// A task has no timeline of its own; the audit entry of the handover names the counts.
    package static let tasks = OwnedObject(object: .tasks, table: "tasks", handoverCondition: "status = 'open'") { _, _, _ in }

    package static let all: [OwnedObject] = [.customers, .leads, .deals, .tasks, .quotes, .orders]

    /// The rows of `userID` a handover moves.
    func handoverIDs(of userID: String, _ workspaceID: String, sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT id FROM \(unsafeRaw: table) WHERE workspace_id = \(bind: workspaceID) AND owner_id = \(bind: userID)
            \(unsafeRaw: handoverCondition.isEmpty ? "" : "AND " + handoverCondition) ORDER BY id
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    /// Sets new owners (nil: back to the pool), bumping version and updated time, and records the moves.
    func move(_ moves: [(id: String, from: String?, to: String?)], reason: String, tx: Tx) async throws {
        for m in moves {
            try await tx.sql.raw("""
                UPDATE \(unsafeRaw: table) SET owner_id = \(bind: m.to), version = version + 1, updated_at = \(bind: tx.now.millis)
                WHERE id = \(bind: m.id) AND workspace_id = \(bind: tx.scope.workspaceID)
                """).run()
        }
        try await recordMoves(moves, reason, tx)
    }
}

package enum HandoverTarget: Sendable, Equatable {
    /// Everything to one user, or spread over several in turn.
    case users([String])
    /// Everything to the departing user's team manager.
    case manager
}

package struct HandoverResult: Codable, Sendable, Equatable {
    package var moved: [String: Int]
    package var recipients: [String]
    package var deactivated: Bool
}

extension AccessStore {
    /// Moves everything `userID` owns in the workspace to the target(s) in one transaction, and
    /// optionally deactivates them there. Every record's history records the move.
    package func handover(_ scope: Scope, from userID: String, to target: HandoverTarget, deactivate: Bool) async throws -> HandoverResult {
        try scope.require(.settings, .update)
        let now = clock.now()
        let result = try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            guard try await Self.activeMember(userID, scope.workspaceID, sql: sql) else { throw DomainError.notFound("user") }
            let recipients: [String]
            switch target {
            case .users(let ids):
                let ids = ids.map { $0.lowercased() }
                guard !ids.isEmpty else { throw DomainError.field("to_user_ids", "name at least one user") }
                for id in ids {
                    if id == userID { throw DomainError.field("to_user_ids", "cannot hand over to the same user") }
                    guard try await Self.activeMember(id, scope.workspaceID, sql: sql) else {
                        throw DomainError.field("to_user_ids", "\(id) is not an active user of this workspace")
                    }
                }
                recipients = ids
            case .manager:
                let row = try await sql.raw("""
                    SELECT t.manager_id FROM teams t JOIN team_members m ON m.team_id = t.id
                    WHERE t.workspace_id = \(bind: scope.workspaceID) AND m.user_id = \(bind: userID)
                      AND t.manager_id IS NOT NULL AND t.manager_id <> \(bind: userID)
                    ORDER BY t.name LIMIT 1
                    """).first()
                guard let m = try row?.decode(column: "manager_id", as: String.self) else {
                    throw DomainError.field("to", "this user has no team manager to hand over to")
                }
                recipients = [m]
            }
            var moved: [String: Int] = [:]
            for owned in OwnedObject.all {
                let ids = try await owned.handoverIDs(of: userID, scope.workspaceID, sql: sql)
                let moves = ids.enumerated().map { (i, id) in (id: id, from: Optional(userID), to: Optional(recipients[i % recipients.count])) }
                try await owned.move(moves, reason: "handover", tx: tx)
                moved[owned.table] = ids.count
            }
            if deactivate {
                try await sql.raw("""
                    UPDATE memberships SET deactivated_at = \(bind: now.millis) WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: userID)
                    """).run()
            }
            let r = HandoverResult(moved: moved, recipients: recipients, deactivated: deactivate)
            try await tx.audit("handover", "users", userID, detail: AuditDetail.encoded(r))
            return r
        }
        await cache.clearEverywhere(db)
        return result
    }

    /// What a handover of `userID` would move now, by table (the handover page shows it before running).
    package func handoverPreview(_ scope: Scope, from userID: String) async throws -> [String: Int] {
        try scope.require(.settings, .update)
        return try await db.read { sql in
            guard try await Self.activeMember(userID.lowercased(), scope.workspaceID, sql: sql) else { throw DomainError.notFound("user") }
            var out: [String: Int] = [:]
            for owned in OwnedObject.all { out[owned.table] = try await owned.handoverIDs(of: userID.lowercased(), scope.workspaceID, sql: sql).count }
            return out
        }
    }

    static func activeMember(_ userID: String, _ workspaceID: String, sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = \(bind: workspaceID) AND m.user_id = \(bind: userID) AND m.deactivated_at IS NULL AND u.is_active = 1
            """).first() != nil
    }
}
