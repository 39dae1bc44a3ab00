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
package struct ImportJobStore: Sendable {
    let db: Database
    let importer: CustomerImporter
    package init(db: Database, importer: CustomerImporter) { self.db = db; self.importer = importer }

    /// Records the job and starts it; returns at once with status "running".
    package func start(_ scope: Scope, filename: String, data: Data, mapping: [String: ImportField], dryRun: Bool) async throws -> ImportJob {
        try scope.require(.customers, .create)
        let job = ImportJob(id: ID.make(), status: "running", filename: filename, report: nil, error: nil, createdAt: Date())
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO import_jobs (id, workspace_id, status, filename, dry_run, total, created, updated, rejected, report_json, created_by, created_at)
                VALUES (\(bind: job.id), \(bind: scope.workspaceID), 'running', \(bind: filename), \(bind: dryRun ? 1 : 0), 0, 0, 0, 0, '{}', \(bind: scope.userID), \(bind: job.createdAt.millis))
                """).run()
        }
        let importer = self.importer, db = self.db
        Task.detached {
            let status: String, reportJSON: String
            var counts = ImportReport()
            do {
                counts = try await importer.run(scope, data: data, mapping: mapping, dryRun: dryRun)
                status = "finished"; reportJSON = Self.stored(counts)
            } catch {
                status = "failed"; reportJSON = JSONCoding.encode(["error": Self.describe(error)])
            }
            let final = counts
            _ = try? await db.write { sql in
                try await sql.raw("""
                    UPDATE import_jobs SET status = \(bind: status), report_json = \(bind: reportJSON), total = \(bind: final.total),
                      created = \(bind: final.created), updated = \(bind: final.updated), rejected = \(bind: final.rejected),
                      finished_at = \(bind: Date().millis) WHERE id = \(bind: job.id)
                    """).run()
            }
        }
        return job
    }

    /// Keeps an uploaded file for the import wizard's next steps; uploads older than a day are dropped.
    package func saveUpload(_ scope: Scope, filename: String, data: Data) async throws -> String {
        try scope.require(.customers, .create)
        if data.isEmpty { throw DomainError.field("file", "the upload is empty") }
        let id = ID.make()
        let now = Date()
        try await db.write { sql in
            try await sql.raw("DELETE FROM import_uploads WHERE created_at < \(bind: now.millis - 86_400_000)").run()
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
