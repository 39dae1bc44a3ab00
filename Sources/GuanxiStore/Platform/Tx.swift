import Foundation
import SQLKit
import GuanxiCore

/// One write transaction as a store sees it: the connection (`sql`), who acts (`scope`), the one
/// instant the transaction is stamped with (`now`, read once from the store's clock) and the
/// database it belongs to. Audit and timeline entries and outgoing events (`publish`) are written
/// through it, so every entry of a change carries the same actor and time, and exists exactly when
/// the change commits. A helper that writes inside the caller's transaction takes the `Tx` instead
/// of the four separately.
package struct Tx: Sendable {
    package let sql: any SQLDatabase
    package let scope: Scope
    package let now: Date
    /// The database the transaction runs in (what it knows of itself beyond the connection: the
    /// dialect, and per-database state such as which events anyone subscribed to).
    package let db: Database
    package var dialect: DatabaseDialect { db.dialect }

    /// Usually made by `Database.write(_:at:_:)`; made by hand where one transaction carries several
    /// callers' work (group commits) or several instants (a long import).
    package init(sql: any SQLDatabase, scope: Scope, now: Date, db: Database) {
        self.sql = sql; self.scope = scope; self.now = now; self.db = db
    }

    /// Appends events to the workspace's audit log as the scope's user and token, at `now`.
    package func audit(_ events: [AuditEvent]) async throws {
        try await AuditLog.append(events, workspaceID: scope.workspaceID, actorUserID: scope.userID, actorTokenID: scope.tokenID,
                                  at: now, dialect: dialect, sql: sql)
    }

    /// Appends one event (the arguments of `AuditEvent`).
    package func audit(_ action: String, _ object: String, _ objectID: String? = nil, detail: JSONValue? = nil) async throws {
        try await audit([AuditEvent(action, object, objectID, detail: detail)])
    }

    /// Adds entries to timelines of the workspace.
    package func timeline(_ entries: [TimelineEntry]) async throws {
        try await TimelineStore.append(entries, workspaceID: scope.workspaceID, sql: sql)
    }

    /// Adds a recorded change to a customer's (or lead's) timeline, by the scope's user at `now`.
    package func timeline(_ subjectID: String, _ kind: TimelineKind, data: [String: JSONValue]? = nil) async throws {
        try await timeline([event(subjectID, kind, data: data)])
    }

    /// A recorded change by the scope's user at `now`, for `timeline(_:)` to add with others.
    package func event(_ subjectID: String, _ kind: TimelineKind, data: [String: JSONValue]? = nil) -> TimelineEntry {
        TimelineEntry.event(subjectID, kind, author: scope.userID, now: now, data: data)
    }
}

extension Database {
    /// `write(_:)` for a store: `body` gets the transaction as a `Tx` acting as `scope` at `now`.
    /// On PostgreSQL the workspace's audit head is locked first, as every audited change locks it
    /// anyway: changes to one workspace then follow one another as under SQLite's one writer, and a
    /// change reads what the one before it committed. (Locked only when auditing, after the read,
    /// two replies to one ticket both read version n and both wrote n + 1.)
    package func write<T: Sendable>(_ scope: Scope, at now: Date, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await write { sql in
            if dialect != .sqlite { try await AuditLog.lockHead(scope.workspaceID, sql: sql) }
            return try await body(Tx(sql: sql, scope: scope, now: now, db: self))
        }
    }
}

extension Scope {
    /// Who acts in a write made without a request's scope (a sign-in, a password reset, a new user
    /// or API token): names the workspace, user and token for the audit log, and grants nothing.
    package static func acting(workspaceID: String, userID: String?, tokenID: String? = nil) -> Scope {
        Scope(workspaceID: workspaceID, userID: userID, roleKey: "", permissions: PermissionSet(), tokenID: tokenID)
    }
}
