import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWeb
@testable import GuanxiWebPlatform

/// API imports left running by a process that died: taken over from the kept upload, or failed
/// with the reason, and the key that started them may then start a new one.
@Suite("Import recovery after a crash")
struct ImportRecoveryWebTests {
    static let csv = Data("姓名,邮箱\n王小明,xm@example.com\n李雷 😀,lilei@example.com\n".utf8)

    /// Makes the job look as if a process of this host that is now gone ran it.
    static func orphan(_ env: WebEnv, _ jobID: String, runner: String = "\(ImportJobStore.thisProcess.host) 999999 boot-dead",
                       heartbeatAgo: TimeInterval = 1, dropUpload: Bool = false) async throws {
        let beat = Date().addingTimeInterval(-heartbeatAgo).millis
        try await env.services.db.write { sql in
            try await sql.raw("""
                UPDATE import_jobs SET status = 'running', report_json = '{}', finished_at = NULL, runner = \(bind: runner), heartbeat_at = \(bind: beat)
                WHERE id = \(bind: jobID)
                """).run()
            if dropUpload { try await sql.raw("UPDATE import_jobs SET upload_id = NULL WHERE id = \(bind: jobID)").run() }
        }
    }

    /// A job that "crashed" before its import committed: its row says running, no customer exists.
    static func crashedJob(_ env: WebEnv) async throws -> String {
        // the job is recorded (with its upload) but its process never got to run it
        let scope = try #require(try await env.services.access.authenticate(token: env.seed.tokenA))
        let job = try await env.services.imports.record(scope, filename: "客户.csv", data: csv, mapping: [:], dryRun: false)
        return job.id
    }

    @Test(arguments: Backend.all) func aJobLeftByADeadProcessIsRunAgainFromItsKeptUpload(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let id = try await Self.crashedJob(env)
            try await Self.orphan(env, id)
            #expect(try await env.get("/api/v1/imports/\(id)").json["status"].string == "running")
            // when the server looks (as it does at start)
            #expect(try await env.services.imports.recover() == [id])
            // then the job completes from the kept upload, once
            let job = try await ListAndImportTests.pollImport(env, id)
            #expect(job["status"].string == "finished", "\(job)")
            #expect(job["report"]["created"].int == 2)
            #expect(try await env.get("/api/v1/customers").json["items"].array.count == 2)
            #expect(try await env.services.imports.recover() == [])
        }
    }

    @Test(arguments: Backend.all) func aJobWhoseProcessLivesElsewhereIsLeftAlone(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let id = try await Self.crashedJob(env)
            // another server (another host) beat its heartbeat a moment ago
            try await Self.orphan(env, id, runner: "other-host 12 boot-live", heartbeatAgo: 1)
            #expect(try await env.services.imports.recover() == [])
            #expect(try await env.get("/api/v1/imports/\(id)").json["status"].string == "running")
            // silent past the limit: taken over
            try await Self.orphan(env, id, runner: "other-host 12 boot-live", heartbeatAgo: ImportRecovery.staleAfter + 5)
            #expect(try await env.services.imports.recover() == [id])
            #expect(try await ListAndImportTests.pollImport(env, id)["status"].string == "finished")
        }
    }

    @Test(arguments: Backend.all) func withoutItsUploadTheJobFailsWithAReasonAndItsKeyMayStartAgain(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an import started with a key, then left running without its upload (an older server's job)
            let first = try await env.send(.post, "/api/v1/imports", body: Self.csv, contentType: "text/csv", headers: ["Idempotency-Key": "imp-1"])
            #expect(first.status == .accepted)
            let id = try #require(first.json["id"].string)
            _ = try await ListAndImportTests.pollImport(env, id)
            try await Self.orphan(env, id, dropUpload: true)
            // while it says running, the key replays the same job
            let replay = try await env.send(.post, "/api/v1/imports", body: Self.csv, contentType: "text/csv", headers: ["Idempotency-Key": "imp-1"])
            #expect(replay.header("Idempotent-Replayed") == "true" && replay.json["id"].string == id)
            // when the server looks, the job fails saying why
            #expect(try await env.services.imports.recover() == [id])
            let failed = try await env.get("/api/v1/imports/\(id)").json
            #expect(failed["status"].string == "failed")
            #expect(failed["error"].string?.contains("upload") == true, "\(failed)")
            // and the same key now starts a new attempt, which completes
            let retry = try await env.send(.post, "/api/v1/imports", body: Self.csv, contentType: "text/csv", headers: ["Idempotency-Key": "imp-1"])
            #expect(retry.status == .accepted && retry.header("Idempotent-Replayed") == nil)
            let newID = try #require(retry.json["id"].string)
            #expect(newID != id)
            let done = try await ListAndImportTests.pollImport(env, newID)
            #expect(done["status"].string == "finished" && done["report"]["total"].int == 2, "\(done)")
            // and the new answer is what the key replays from now on
            let again = try await env.send(.post, "/api/v1/imports", body: Self.csv, contentType: "text/csv", headers: ["Idempotency-Key": "imp-1"])
            #expect(again.json["id"].string == newID && again.header("Idempotent-Replayed") == "true")
        }
    }

    @Test(arguments: Backend.all) func aFinishedJobDropsItsUpload(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let r = try await env.send(.post, "/api/v1/imports", body: Self.csv, contentType: "text/csv")
            let id = try #require(r.json["id"].string)
            #expect(try await ListAndImportTests.pollImport(env, id)["status"].string == "finished")
            let kept = try await env.services.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM import_uploads").first()!.decode(column: "n", as: Int.self)
            }
            #expect(kept == 0)
        }
    }
}
