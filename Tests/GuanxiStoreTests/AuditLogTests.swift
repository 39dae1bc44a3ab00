import Foundation
import Testing
import GuanxiTestSupport
import SQLKit
import GuanxiCore
@testable import GuanxiStore

@Suite("Tamper-evident audit log on SQLite and PostgreSQL")
struct AuditLogTests {
    /// Three audited changes: create, update, delete.
    func threeEntries(_ db: Database, _ scope: Scope) async throws -> String {
        let store = stores(db).customers
        var d = CustomerDraft(); d.kind = .person; d.name = "王小明"; d.emails = ["xm@example.com"]
        let c = try await store.create(scope, d)
        var p = CustomerDraft(); p.stage = .customer
        _ = try await store.update(scope, id: c.id, p, ifVersion: nil)
        try await store.delete(scope, id: c.id, ifVersion: nil)
        return c.id
    }

    /// Lets a test play the attacker: without the append-only triggers.
    func dropTriggers(_ db: Database) async throws {
        try await db.write { sql in
            if db.dialect == .sqlite {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
            }
        }
    }

    @Test(arguments: Backend.all)
    func changesAreLoggedWithBeforeAndAfterAndTheChainVerifies(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            // given a create, an update and a delete
            let id = try await threeEntries(db, scope)
            // when listing the customer's entries
            let page = try await AuditLog(db: db).list(scope, object: "customers", objectID: id)
            // then they are there newest first, the update carrying only what changed
            #expect(page.items.map(\.action) == ["delete", "update", "create"])
            #expect(page.items[1].detail?.objectValue?["after"]?.objectValue?["stage"] == .string("customer"))
            #expect(page.items[1].detail?.objectValue?["before"]?.objectValue?["stage"] == .string("prospect"))
            #expect(page.items[1].detail?.objectValue?["after"]?.objectValue?["name"] == nil)
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)
            #expect(v.count == 1 && v[0].ok && v[0].entries == 3)
        }
    }

    @Test(arguments: Backend.all)
    func theDatabaseRefusesToChangeOrDeleteEntries(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            await #expect(throws: (any Error).self) {
                try await db.write { try await $0.raw("UPDATE audit_log SET action = 'read' WHERE seq = 1").run() }
            }
            await #expect(throws: (any Error).self) {
                try await db.write { try await $0.raw("DELETE FROM audit_log WHERE seq = 1").run() }
            }
        }
    }

    @Test(arguments: Backend.all)
    func anEditedEntryIsDetected(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            try await dropTriggers(db)
            // when someone rewrites what entry 2 says
            try await db.write { try await $0.raw("UPDATE audit_log SET detail_json = '{}' WHERE seq = 2").run() }
            // then verification names it
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)[0]
            #expect(!v.ok && v.brokenAt == 2)
            #expect(v.problem?.contains("changed") == true)
        }
    }

    @Test(arguments: Backend.all)
    func aDeletedEntryIsDetected(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            try await dropTriggers(db)
            try await db.write { try await $0.raw("DELETE FROM audit_log WHERE seq = 2").run() }
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)[0]
            #expect(!v.ok && v.brokenAt == 2)
        }
    }

    @Test(arguments: Backend.all)
    func theLastEntryDeletedIsDetected(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            try await dropTriggers(db)
            try await db.write { try await $0.raw("DELETE FROM audit_log WHERE seq = 3").run() }
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)[0]
            #expect(!v.ok && v.problem?.contains("ends at entry 2") == true)
        }
    }

    @Test(arguments: Backend.all)
    func reorderedEntriesAreDetected(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            try await dropTriggers(db)
            // when entries 1 and 2 swap places
            try await db.write { sql in
                try await sql.raw("UPDATE audit_log SET seq = 100 WHERE seq = 1").run()
                try await sql.raw("UPDATE audit_log SET seq = 1 WHERE seq = 2").run()
                try await sql.raw("UPDATE audit_log SET seq = 2 WHERE seq = 100").run()
            }
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)[0]
            #expect(!v.ok && v.brokenAt == 1)
        }
    }

    @Test(arguments: Backend.all)
    func anInsertedEntryIsDetected(_ kind: Backend) async throws {
        try await kind.with { db, scope in
            _ = try await threeEntries(db, scope)
            try await dropTriggers(db)
            // when a forged entry is slipped in as entry 2 (the rest shifted up), copying entry 2's prev hash
            try await db.write { sql in
                for s in [3, 2] { try await sql.raw("UPDATE audit_log SET seq = \(literal: s + 1) WHERE seq = \(literal: s)").run() }
                try await sql.raw("""
                    INSERT INTO audit_log (workspace_id, seq, id, at, action, object, prev_hash, hash)
                    SELECT workspace_id, 2, 'forged', at, 'read', 'customers', prev_hash, hash FROM audit_log WHERE seq = 3
                    """).run()
            }
            let v = try await AuditLog(db: db).verify(workspaceID: scope.workspaceID)[0]
            #expect(!v.ok && v.brokenAt == 2)
        }
    }

    /// The audit and timeline entries about `subject`, newest first.
    func entries(_ db: Database, _ scope: Scope, about subject: String) async throws -> (audit: [AuditEntry], timeline: [TimelineEntry]) {
        let audit = try await AuditLog(db: db).list(scope, objectID: subject).items
        let page = try await db.read { try await TimelineStore.page(scope.workspaceID, subjectID: subject, cursor: nil, limit: 10, sql: $0) }
        return (audit, page.items)
    }

    @Test(arguments: Backend.all)
    func entriesWrittenThroughATransactionShareItsInstantAndActorAndRollBackWithIt(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            // given a user acting through an API token, and the instant of their transaction
            let actor = Scope.acting(workspaceID: owner.workspaceID, userID: ID.make(), tokenID: ID.make())
            let now = Date(millis: 1_767_225_600_000), subject = ID.make()
            // when the transaction writes an audit event and a timeline entry through its context
            try await db.write(actor, at: now) { tx in
                try await tx.audit("move", "deals", subject, detail: ["to": "won"])
                try await tx.timeline(subject, .dealMoved, data: ["to": "won"])
            }
            // then both carry its actor and its instant
            let (audit, timeline) = try await entries(db, owner, about: subject)
            #expect(audit.count == 1 && timeline.count == 1)
            #expect(audit[0].at == now && timeline[0].occurredAt == now && timeline[0].createdAt == now)
            #expect(audit[0].actorUserID == actor.userID && audit[0].actorTokenID == actor.tokenID && timeline[0].authorID == actor.userID)
            // and a later transaction that throws after writing both keeps neither
            await #expect(throws: DomainError.self) {
                try await db.write(actor, at: now.addingTimeInterval(60)) { tx in
                    try await tx.audit("move", "deals", subject)
                    try await tx.timeline(subject, .dealMoved)
                    throw DomainError.conflict("changed my mind")
                }
            }
            let after = try await entries(db, owner, about: subject)
            #expect(after.audit.map(\.id) == audit.map(\.id) && after.timeline.map(\.id) == timeline.map(\.id))
            #expect(try await AuditLog(db: db).verify(workspaceID: owner.workspaceID)[0].ok)
        }
    }
}

@Suite("TOTP and Base32 (RFC 6238 and RFC 4648 vectors)")
struct TOTPTests {
    @Test func rfc6238SHA1Vectors() {
        let secret = Array("12345678901234567890".utf8)
        for (t, want) in [(59.0, "94287082"), (1_111_111_109, "07081804"), (1_234_567_890, "89005924"), (2_000_000_000, "69279037")] {
            #expect(TOTP.code(secret: secret, at: Date(timeIntervalSince1970: t), digits: 8) == want)
        }
    }

    @Test func base32RoundTripsAndMatchesRFC4648() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI") == Array("foobar".utf8))
        #expect(Base32.decode("not base32!") == nil)
    }

    @Test func codesAreAcceptedOneStepEitherSideOnly() {
        let s = TOTP.newSecret(), now = Date()
        #expect(TOTP.verify(TOTP.code(secret: s, at: now.addingTimeInterval(-30)), secret: s, at: now))
        #expect(!TOTP.verify(TOTP.code(secret: s, at: now.addingTimeInterval(-120)), secret: s, at: now))
    }
}
