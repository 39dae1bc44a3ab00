import Foundation
import SQLKit
import GuanxiCore

package struct ImportJob: Codable, Sendable {
    package var id: String
    package var status: String
    package var filename: String
    package var report: ImportReport?
    package var error: String?
    package var createdAt: Date
    enum CodingKeys: String, CodingKey { case id, status, filename, report, error, createdAt = "created_at" }
}

/// Imports started through the API run in the background; their state and report live here.
/// The upload is kept (in `import_uploads`) until the job ends, and the job names the process
/// running it, which beats a heartbeat: a job left running by a process that died is taken over
/// by the next server to look (at its start, then every few seconds) and run again from the kept
/// upload — the import is one transaction, so nothing of the first run remains — or marked failed
/// with the reason when it cannot be.
package struct ImportJobStore: Sendable {
    let db: Database
    let importer: CustomerImporter
    let access: AccessStore
    /// This process, as the jobs it runs name it.
    package let runner: ImportRunner

    package init(db: Database, importer: CustomerImporter, access: AccessStore,
                 runner: ImportRunner = ImportJobStore.thisProcess) {
        self.db = db; self.importer = importer; self.access = access; self.runner = runner
    }

    package static let thisProcess = ImportRunner(
        host: ProcessInfo.processInfo.hostName.filter { !$0.isWhitespace }.prefix(200).description,
        pid: ProcessInfo.processInfo.processIdentifier, boot: ID.make())

    /// Records the job and starts it; returns at once with status "running".
    package func start(_ scope: Scope, filename: String, data: Data, mapping: [String: ImportField], dryRun: Bool) async throws -> ImportJob {
        let job = try await record(scope, filename: filename, data: data, mapping: mapping, dryRun: dryRun)
        launch(job.id, scope: scope, data: data, mapping: mapping, dryRun: dryRun)
        return job
    }

    /// Records the job, its upload and this process as its runner (what a restart needs to run it again).
    package func record(_ scope: Scope, filename: String, data: Data, mapping: [String: ImportField], dryRun: Bool) async throws -> ImportJob {
        try scope.require(.customers, .create)
        let job = ImportJob(id: ID.make(), status: "running", filename: filename, report: nil, error: nil, createdAt: Date())
        let uploadID = ID.make()
        let mappingJSON = JSONCoding.encode(mapping.mapValues(\.rawValue))
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO import_uploads (id, workspace_id, user_id, filename, data_b64, created_at)
                VALUES (\(bind: uploadID), \(bind: scope.workspaceID), \(bind: scope.userID), \(bind: filename), \(bind: data.base64EncodedString()), \(bind: job.createdAt.millis))
                """).run()
            try await sql.raw("""
                INSERT INTO import_jobs (id, workspace_id, status, filename, dry_run, total, created, updated, rejected, report_json, created_by, created_at,
                                         upload_id, mapping_json, token_id, runner, heartbeat_at)
                VALUES (\(bind: job.id), \(bind: scope.workspaceID), 'running', \(bind: filename), \(bind: dryRun ? 1 : 0), 0, 0, 0, 0, '{}', \(bind: scope.userID), \(bind: job.createdAt.millis),
                        \(bind: uploadID), \(bind: mappingJSON), \(bind: scope.tokenID), \(bind: runner.description), \(bind: job.createdAt.millis))
                """).run()
        }
        return job
    }

    /// Raised inside the import's transaction when another process has taken the job over (this
    /// one was thought dead): the import rolls back and the other's run stands.
    struct TakenOver: Error {}

    /// Runs the import in the background, beating the job's heartbeat until it ends.
    func launch(_ jobID: String, scope: Scope, data: Data, mapping: [String: ImportField], dryRun: Bool) {
        let importer = self.importer, db = self.db, me = runner.description
        Task.detached {
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(ImportRecovery.heartbeat))
                    if Task.isCancelled { break }
                    _ = try? await db.write { sql in
                        try await sql.raw("""
                            UPDATE import_jobs SET heartbeat_at = \(bind: Date().millis) WHERE id = \(bind: jobID) AND runner = \(bind: me) AND status = 'running'
                            """).run()
                    }
                }
            }
            defer { beat.cancel() }
            @Sendable func end(_ sql: any SQLDatabase, _ status: String, _ reportJSON: String, _ r: ImportReport) async throws {
                let row = try await sql.raw("""
                    UPDATE import_jobs SET status = \(bind: status), report_json = \(bind: reportJSON), total = \(bind: r.total),
                      created = \(bind: r.created), updated = \(bind: r.updated), rejected = \(bind: r.rejected),
                      finished_at = \(bind: Date().millis), heartbeat_at = NULL
                    WHERE id = \(bind: jobID) AND runner = \(bind: me) AND status = 'running' RETURNING upload_id
                    """).first()
                guard let row else { throw TakenOver() }
                if let upload = try row.decode(column: "upload_id", as: String?.self) {
                    try await sql.raw("DELETE FROM import_uploads WHERE id = \(bind: upload)").run()
                }
            }
            do {
                // a real run records its end in its own transaction, so a crash never leaves rows
                // written under a job that still says running
                let report = try await importer.run(scope, data: data, mapping: mapping, dryRun: dryRun, finish: { sql, report in
                    try await end(sql, "finished", Self.stored(report), report)
                })
                if dryRun { _ = try? await db.write { sql in try await end(sql, "finished", Self.stored(report), report) } }
            } catch is TakenOver {
                return
            } catch {
                let reason = JSONCoding.encode(["error": Self.describe(error)])
                _ = try? await db.write { sql in try await end(sql, "failed", reason, ImportReport()) }
            }
        }
    }

    /// Takes over the jobs left running by processes that are gone: each is run again from its
    /// kept upload, or marked failed with the reason. Returns the ids of the jobs taken.
    @discardableResult
    package func recover(now: Date = Date(), isAlive: @Sendable (Int32) -> Bool = ImportJobStore.isAlive) async throws -> [String] {
        let rows = try await db.read { sql in
            try await sql.raw("""
                SELECT id, workspace_id, created_by, token_id, dry_run, upload_id, mapping_json, runner, heartbeat_at
                FROM import_jobs WHERE status = 'running'
                """).all()
        }
        var taken: [String] = []
        for r in rows {
            let id = try r.decode(column: "id", as: String.self)
            let oldRunner = try r.decode(column: "runner", as: String?.self)
            let oldBeat = try r.decode(column: "heartbeat_at", as: Int64?.self)
            guard ImportRecovery.abandoned(runner: oldRunner, heartbeat: oldBeat.map(Date.init(millis:)), now: now, me: runner,
                                           isAlive: isAlive) else { continue }
            // claim it only if nobody else did since we looked
            let claimed = try await db.write { sql in
                try await sql.raw("""
                    UPDATE import_jobs SET runner = \(bind: runner.description), heartbeat_at = \(bind: now.millis)
                    WHERE id = \(bind: id) AND status = 'running' AND COALESCE(runner, '') = \(bind: oldRunner ?? "")
                      AND COALESCE(heartbeat_at, -1) = \(bind: oldBeat ?? -1) RETURNING id
                    """).first() != nil
            }
            guard claimed else { continue }
            taken.append(id)
            let workspaceID = try r.decode(column: "workspace_id", as: String.self)
            let mapping = (JSONCoding.decode([String: String].self, try r.decode(column: "mapping_json", as: String?.self)) ?? [:])
                .compactMapValues(ImportField.init(rawValue:))
            var upload: Data?
            if let uploadID = try r.decode(column: "upload_id", as: String?.self),
               let kept = try await db.read({ sql in try await sql.raw("SELECT data_b64 FROM import_uploads WHERE id = \(bind: uploadID)").first() }) {
                upload = Data(base64Encoded: try kept.decode(column: "data_b64", as: String.self))
            }
            guard let upload else {
                try await fail(id, "the server stopped during the import, and its upload was not kept; upload the file again")
                continue
            }
            guard let userID = try r.decode(column: "created_by", as: String?.self),
                  let scope = try await scopeOf(userID: userID, workspaceID: workspaceID, tokenID: try r.decode(column: "token_id", as: String?.self)) else {
                try await fail(id, "the server stopped during the import, and whoever started it may no longer import; upload the file again")
                continue
            }
            launch(id, scope: scope, data: upload, mapping: mapping, dryRun: try r.decode(column: "dry_run", as: Int.self) != 0)
        }
        return taken
    }

    /// The scope the job was started with, as it is now (the token's own list narrows it again).
    func scopeOf(userID: String, workspaceID: String, tokenID: String?) async throws -> Scope? {
        guard let tokenID else { return try await access.scope(userID: userID, workspaceID: workspaceID) }
        let now = Date().millis
        guard let t = try await db.read({ sql in
            try await sql.raw("""
                SELECT permissions_json FROM api_tokens WHERE id = \(bind: tokenID) AND user_id = \(bind: userID) AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > \(bind: now))
                """).first()
        }) else { return nil }
        let narrowed = try JSONCoding.decode([String].self, try t.decode(column: "permissions_json", as: String?.self)).map { try PermissionSet.parse($0) }
        return try await access.scope(userID: userID, workspaceID: workspaceID, tokenID: tokenID, tokenPermissions: narrowed)
    }

    func fail(_ jobID: String, _ reason: String) async throws {
        try await db.write { sql in
            guard let row = try await sql.raw("""
                UPDATE import_jobs SET status = 'failed', report_json = \(bind: JSONCoding.encode(["error": reason])),
                  finished_at = \(bind: Date().millis), heartbeat_at = NULL
                WHERE id = \(bind: jobID) AND runner = \(bind: runner.description) AND status = 'running' RETURNING upload_id
                """).first() else { return }
            if let upload = try row.decode(column: "upload_id", as: String?.self) {
                try await sql.raw("DELETE FROM import_uploads WHERE id = \(bind: upload)").run()
            }
        }
    }

    /// Whether a process of this host is alive (signal 0 checks without sending anything).
    package static let isAlive: @Sendable (Int32) -> Bool = { pid in
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Keeps an uploaded file for the import wizard's next steps, checked and a workbook read as
    /// CSV (`ImportUpload.prepare`); uploads older than a day are dropped (but not those of imports
    /// still running).
    package func saveUpload(_ scope: Scope, filename: String, data raw: Data) async throws -> String {
        try scope.require(.customers, .create)
        let data = try ImportUpload.prepare(raw)
        let id = ID.make()
        let now = Date()
        try await db.write { sql in
            try await sql.raw("""
                DELETE FROM import_uploads WHERE created_at < \(bind: now.millis - 86_400_000)
                  AND id NOT IN (SELECT upload_id FROM import_jobs WHERE status = 'running' AND upload_id IS NOT NULL)
                """).run()
            try await sql.raw("""
                INSERT INTO import_uploads (id, workspace_id, user_id, filename, data_b64, created_at)
                VALUES (\(bind: id), \(bind: scope.workspaceID), \(bind: scope.userID), \(bind: filename), \(bind: data.base64EncodedString()), \(bind: now.millis))
                """).run()
        }
        return id
    }

    package func upload(_ scope: Scope, id: String) async throws -> (filename: String, data: Data) {
        try scope.require(.customers, .create)
        guard let r = try await db.read({ sql in
            try await sql.raw("""
                SELECT filename, data_b64 FROM import_uploads WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                """).first()
        }), let data = Data(base64Encoded: try r.decode(column: "data_b64", as: String.self)) else { throw DomainError.notFound("upload") }
        return (try r.decode(column: "filename", as: String.self), data)
    }

    package func get(_ scope: Scope, id: String) async throws -> ImportJob {
        try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT id, status, filename, report_json, created_at FROM import_jobs WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                """).first() else { throw DomainError.notFound("import") }
            let status = try r.decode(column: "status", as: String.self)
            let json = try r.decode(column: "report_json", as: String.self)
            return ImportJob(id: try r.decode(column: "id", as: String.self), status: status,
                             filename: try r.decode(column: "filename", as: String.self),
                             report: status == "finished" ? JSONCoding.decode(ImportReport.self, json) : nil,
                             error: status == "failed" ? JSONCoding.decode([String: String].self, json)?["error"] : nil,
                             createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
        }
    }

    /// The report as the job's row keeps it: each reason with its key and arguments (the API still
    /// answers the text), so the import page can show it in the reader's language later.
    static func stored(_ report: ImportReport) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.userInfo[DomainMessage.keepingKeys] = true
        return (try? String(decoding: e.encode(report), as: UTF8.self)) ?? "{}"
    }

    static func describe(_ error: any Error) -> String {
        if case DomainError.validation(let f) = error { return f.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ") }
        if let e = error as? DomainError { return "\(e)" }
        return "the import failed: \(error)"
    }
}
