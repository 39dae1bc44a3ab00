import Foundation
import Testing
import GuanxiTestSupport
import SQLKit
import GuanxiCore
import GuanxiPostgres
import GuanxiWeb
@testable import GuanxiStore

@Suite("Backup and restore on SQLite and PostgreSQL")
struct BackupTests {
    /// Customers with Chinese and emoji, their audit entries and a stored file.
    func someData(_ db: Database, _ scope: Scope, count: Int = 20) async throws {
        let store = stores(db).customers
        for i in 0..<count {
            var d = CustomerDraft(); d.kind = .person; d.name = "王小明 \(i) 🎉"; d.emails = ["c\(i)-\(UUID().uuidString.prefix(6))@example.com"]
            _ = try await store.create(scope, d)
        }
    }

    /// Every table's rows as text, sorted: two databases with equal dumps hold the same data.
    func dump(_ db: Database) async throws -> [String: [String]] {
        try await db.read { sql in
            var out: [String: [String]] = [:]
            switch db.dialect {
            case .sqlite:
                let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                for t in tables {
                    let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: t))").all().map { try $0.decode(column: "name", as: String.self) }
                    guard !columns.isEmpty else { continue }
                    let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
                    out[t] = try await sql.raw("SELECT \(unsafeRaw: row) AS r FROM \"\(unsafeRaw: t)\"").all()
                        .map { try $0.decode(column: "r", as: String.self) }.sorted()
                }
            case .postgres:
                let tables = try await sql.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
                    .map { try $0.decode(column: "table_name", as: String.self) }
                for t in tables {
                    out[t] = try await sql.raw("SELECT t::text AS r FROM \"\(unsafeRaw: t)\" t").all().map { try $0.decode(column: "r", as: String.self) }.sorted()
                }
            }
            return out
        }
    }

    /// An empty target of the same kind: a new SQLite directory, or a new PostgreSQL database.
    func emptyTarget(_ kind: Backend) async throws -> (DatabaseLocation, @Sendable () async -> Void) {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gxrestore-\(UUID().uuidString)").path
            return (.sqlite(directory: dir), { try? FileManager.default.removeItem(atPath: dir) })
        case .postgres:
            let admin = try await PostgresTests.admin.value
            let name = "gx_restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await admin.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            return (.postgres(url: try PostgresTests.url(database: name)), {
                try? await admin.read { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
            })
        }
    }

    func restore(_ file: String, into location: DatabaseLocation, files: String? = nil, known: Int = 1000) async throws -> BackupManifest {
        try await Backup.restore(file, into: location, knownSchema: known, filesDirectory: files) {
            if let path = location.sqliteFilePath { return !FileManager.default.fileExists(atPath: path) }
            let db = try await Database.connect(location)
            let empty = try await Backup.isEmpty(db)
            await db.close()
            return empty
        }
    }

    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gxbackup-\(UUID().uuidString)-\(name)").path
    }

    @Test(arguments: Backend.all, [BackupCompression.zstd, .gzip])
    func aRestoredBackupHoldsEveryRowAndItsAuditChainVerifies(_ kind: Backend, _ compression: BackupCompression) async throws {
        try await kind.with { db, scope in
            // given customers (audited), and a stored file with a Chinese name
            try await someData(db, scope)
            let files = temporary("files")
            try FileManager.default.createDirectory(atPath: files + "/ab", withIntermediateDirectories: true)
            try Data("发票 PDF ✓".utf8).write(to: URL(fileURLWithPath: files + "/ab/发票.pdf"))
            // a path over tar's 100-byte name field (a pax record carries it), and an empty directory
            let long = "ab/" + String(repeating: "客户合同附件", count: 8) + "🎉.pdf"
            try Data("长名字".utf8).write(to: URL(fileURLWithPath: files + "/" + long))
            try FileManager.default.createDirectory(atPath: files + "/empty", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: files) }
            let file = temporary("a.backup")
            defer { try? FileManager.default.removeItem(atPath: file) }
            // when it is backed up and restored into an empty database of the same kind
            let written = try await Backup.create(db, to: file, schemaVersion: 21, filesDirectory: files, compression: compression)
            #expect(written.bytes > 0 && written.sha256.count == 64)
            #expect(!FileManager.default.fileExists(atPath: file + ".partial") && !FileManager.default.fileExists(atPath: file + ".staging"))
            // the size and checksum taken from the stream are the file's
            #expect(try Backup.digest(of: file) == (written.bytes, written.sha256))
            // the system's tar reads the archive: the parts first, the manifest last
            let listed = try members(file, compression)
            #expect(listed.last == "manifest.json" && listed.contains("files/" + long) && listed.contains("files/empty/"))
            #expect(written.manifest.entries.map(\.path) == [kind == .sqlite ? Backup.sqliteImage : Backup.postgresImage, "files/" + long, "files/ab/发票.pdf"].sorted())
            let (target, drop) = try await emptyTarget(kind)
            let restoredFiles = temporary("restored-files")
            defer { try? FileManager.default.removeItem(atPath: restoredFiles) }
            let manifest = try await restore(file, into: target, files: restoredFiles)
            #expect(manifest.schemaVersion == 21 && manifest.compression == compression.rawValue)
            #expect(manifest.database == (kind == .sqlite ? "sqlite" : "postgresql"))
            // then every table holds the same rows, the audit chain verifies and the file is back
            let restored = try await Database.connect(target)
            let (before, after) = (try await dump(db), try await dump(restored))
            #expect(before.keys.sorted() == after.keys.sorted())
            for (table, rows) in before { #expect(after[table] == rows, "table \(table)") }
            #expect(after["customers"]?.count == 20)
            let verified = try await AuditLog(db: restored).verify()
            #expect(!verified.isEmpty && verified.allSatisfy(\.ok))
            #expect(FileManager.default.contents(atPath: restoredFiles + "/ab/发票.pdf") == Data("发票 PDF ✓".utf8))
            #expect(FileManager.default.contents(atPath: restoredFiles + "/" + long) == Data("长名字".utf8))
            #expect(FileManager.default.fileExists(atPath: restoredFiles + "/empty"))
            // and restoring again into the now full database is refused, leaving it as it was
            await #expect(throws: DomainError.self) { _ = try await restore(file, into: target) }
            #expect(try await dump(restored)["customers"]?.count == 20)
            await restored.close()
            await drop()
        }
    }

    /// The names in an archive, as the system's tar lists them.
    func members(_ file: String, _ compression: BackupCompression) throws -> [String] {
        let list = temporary("list")
        defer { for f in [list, list + ".1", list + ".2"] { try? FileManager.default.removeItem(atPath: f) } }
        FileManager.default.createFile(atPath: list, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: list))
        defer { try? out.close() }
        try Tools.pipe((try Tools.require(compression.rawValue), ["-d", "-c", file]), into: (try Tools.require("tar"), ["--quoting-style=literal", "-tf", "-"]),
                       output: out, log: list)
        return try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test(arguments: [BackupCompression.zstd, .gzip])
    func anArchiveOfTheFirstLayoutStillRestores(_ compression: BackupCompression) async throws {
        try await Backend.sqlite.with { db, scope in
            try await someData(db, scope, count: 7)
            // given an archive as the first backups wrote it: the system's tar, the manifest first, zstd -3 or gzip
            let staging = temporary("old")
            try FileManager.default.createDirectory(atPath: staging + "/database", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: staging + "/files/ab", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            try await db.snapshot(to: staging + "/" + Backup.sqliteImage)
            try Data("旧 ✓".utf8).write(to: URL(fileURLWithPath: staging + "/files/ab/旧.txt"))
            let manifest = BackupManifest(createdAt: "2026-12-06T10:00:00Z", database: "sqlite", schemaVersion: 21, compression: compression.rawValue,
                                          entries: try Backup.entries(in: staging, under: ["database", "files"]))
            try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: staging + "/manifest.json"))
            let file = temporary("old.backup")
            defer { try? FileManager.default.removeItem(atPath: file) }
            FileManager.default.createFile(atPath: file, contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
            try Tools.pipe((try Tools.require("tar"), ["-C", staging, "-cf", "-", "manifest.json", "database", "files"]),
                           into: compression == .zstd ? (try Tools.require("zstd"), ["-q", "-T0", "-3", "-c"]) : (try Tools.require("gzip"), ["-c", "-1"]),
                           output: out, log: staging + "/stderr")
            try out.close()
            #expect(try members(file, compression).first == "manifest.json")
            // when it is restored by this version
            let (target, drop) = try await emptyTarget(.sqlite)
            let files = temporary("old-files")
            defer { try? FileManager.default.removeItem(atPath: files) }
            let restoredManifest = try await restore(file, into: target, files: files)
            // then the rows, the audit chain and the stored file are back
            #expect(restoredManifest == manifest)
            let restored = try await Database.connect(target)
            #expect(try await dump(restored) == (try await dump(db)))
            #expect(try await AuditLog(db: restored).verify().allSatisfy(\.ok))
            #expect(FileManager.default.contents(atPath: files + "/ab/旧.txt") == Data("旧 ✓".utf8))
            await restored.close()
            await drop()
        }
    }

    @Test func aBackupTakenWhileWritesGoOnIsOneConsistentSnapshot() async throws {
        try await Backend.sqlite.with { db, scope in
            try await someData(db, scope, count: 200)
            let file = temporary("busy.backup")
            defer { try? FileManager.default.removeItem(atPath: file) }
            // given writers adding customers while the backup runs
            let writing = Task { try await someData(db, scope, count: 300) }
            let written = try await Backup.create(db, to: file, schemaVersion: 21, filesDirectory: nil)
            try await writing.value
            // the restored copy holds whole transactions only: each customer with its audit entry, and the chain verifies
            let (target, drop) = try await emptyTarget(.sqlite)
            _ = try await restore(file, into: target)
            let restored = try await Database.connect(target)
            let counts = try await restored.read { sql in
                (try await sql.raw("SELECT COUNT(*) AS n FROM customers").first()!.decode(column: "n", as: Int.self),
                 try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object = 'customers' AND action = 'create'").first()!.decode(column: "n", as: Int.self),
                 try await sql.raw("PRAGMA integrity_check").first()!.decode(column: "integrity_check", as: String.self))
            }
            #expect(counts.0 >= 200 && counts.0 <= 500 && counts.0 == counts.1 && counts.2 == "ok")
            #expect(try await AuditLog(db: restored).verify().allSatisfy(\.ok))
            #expect(written.manifest.entries.map(\.path) == [Backup.sqliteImage])
            await restored.close()
            await drop()
        }
    }

    @Test func aHeldFileDoesNotChangeWhileWritesAndCheckpointsGoOn() async throws {
        try await Backend.sqlite.with { db, scope in
            try await someData(db, scope, count: 50)
            let path = try #require(db.sqlitePath)
            let held = try #require(try db.holdFile())
            let image = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(Int(held.bytes))
            // when customers are added and a checkpoint is asked for while it is held
            try await someData(db, scope, count: 200)
            let checkpointer = try DirectSQLite(path: path)
            defer { checkpointer.close() }
            try checkpointer.run("PRAGMA wal_checkpoint(PASSIVE)", [])
            // then the file's held bytes are as they were, and the held image is a whole database of the 50
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(Int(held.bytes)) == image)
            held.release()
            let copy = temporary("held.sqlite")
            defer { try? FileManager.default.removeItem(atPath: copy) }
            try image.write(to: URL(fileURLWithPath: copy))
            let alone = try DirectSQLite(path: copy)
            defer { alone.close() }
            var count = 0, check = ""
            try alone.run("SELECT COUNT(*) AS n FROM customers", []) { count = try $0.decode(column: "n", as: Int.self) }
            try alone.run("PRAGMA integrity_check", []) { check = try $0.decode(column: "integrity_check", as: String.self) }
            #expect(count == 50 && check == "ok")
            // and once released, a checkpoint copies every new frame into the file
            // (asked again while the server's own checkpointer is running: that answer is busy, -1, -1)
            var frames = (0, -1), busy = 1
            for _ in 0..<100 where busy == 1 {
                try checkpointer.run("PRAGMA wal_checkpoint(PASSIVE)", []) {
                    busy = try $0.decode(column: "busy", as: Int.self)
                    frames = (try $0.decode(column: "log", as: Int.self), try $0.decode(column: "checkpointed", as: Int.self))
                }
                if busy == 1 { usleep(50_000) }
            }
            #expect(frames.0 > 0 && frames.0 == frames.1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(Int(held.bytes)) != image)
        }
    }

    @Test func onlyACheckpointThatRanAndCopiedTheWholeLogSaysTheFileHoldsEverything() {
        #expect(DirectSQLite.logIsInFile(busy: 0, log: 12, checkpointed: 12) && DirectSQLite.logIsInFile(busy: 0, log: 0, checkpointed: 0))
        // a reader kept some frames out; another connection's checkpoint was running (busy, -1, -1: this one did not run)
        #expect(!DirectSQLite.logIsInFile(busy: 0, log: 12, checkpointed: 7))
        #expect(!DirectSQLite.logIsInFile(busy: 1, log: -1, checkpointed: -1) && !DirectSQLite.logIsInFile(busy: 0, log: -1, checkpointed: -1))
    }

    @Test func aLongReadKeepsTheFileFromBeingHeldAndTheBackupCopiesInstead() async throws {
        try await Backend.sqlite.with { db, scope in
            try await someData(db, scope, count: 30)
            // given a reader on a snapshot older than frames still only in the WAL
            let path = try #require(db.sqlitePath)
            let reader = try DirectSQLite(path: path)
            defer { reader.close() }
            try reader.run("BEGIN", [])
            try reader.run("SELECT COUNT(*) FROM customers", [])
            try await someData(db, scope, count: 20)
            // then the file cannot be held, nor while a long write holds the write lock, and a backup is still one whole snapshot
            #expect(try db.holdFile(patience: .milliseconds(200)) == nil)
            let writer = try DirectSQLite(path: path)
            defer { writer.close() }
            try writer.run("BEGIN IMMEDIATE", [])
            #expect(try db.holdFile(patience: .milliseconds(200)) == nil)
            try writer.run("ROLLBACK", [])
            let file = temporary("long-read.backup")
            defer { try? FileManager.default.removeItem(atPath: file) }
            _ = try await Backup.create(db, to: file, schemaVersion: 21, filesDirectory: nil)
            try reader.run("ROLLBACK", [])
            let (target, drop) = try await emptyTarget(.sqlite)
            _ = try await restore(file, into: target)
            let restored = try await Database.connect(target)
            #expect(try await dump(restored) == (try await dump(db)))
            await restored.close()
            await drop()
        }
    }

    @Test func aDamagedNewerOrForeignBackupIsRefusedAndTheTargetStaysEmpty() async throws {
        try await Backend.sqlite.with { db, scope in
            try await someData(db, scope, count: 3)
            let file = temporary("ok.backup")
            defer { try? FileManager.default.removeItem(atPath: file) }
            _ = try await Backup.create(db, to: file, schemaVersion: 21, filesDirectory: nil)
            let (target, drop) = try await emptyTarget(.sqlite)
            defer { Task { await drop() } }
            func refusal(_ file: String, known: Int = 1000, into: DatabaseLocation? = nil) async -> String {
                do { _ = try await restore(file, into: into ?? target, known: known); return "restored" } catch { return "\(error)" }
            }
            // a schema newer than this Guanxi knows
            #expect(await refusal(file, known: 20).contains("knows only up to 20"))
            // a file that is not a backup, and one cut short
            let junk = temporary("junk.backup")
            try Data("<html>not a backup</html>".utf8).write(to: URL(fileURLWithPath: junk))
            #expect(await refusal(junk).contains("not a Guanxi backup"))
            let cut = temporary("cut.backup")
            let whole = try Data(contentsOf: URL(fileURLWithPath: file))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
            #expect(await refusal(cut).contains("could not be unpacked"))
            // a SQLite backup does not restore into PostgreSQL
            #expect(await refusal(file, into: .postgres(url: "postgres://nobody@127.0.0.1:1/none")).contains("restores into a sqlite database"))
            // no half-restored database is left behind
            #expect(!FileManager.default.fileExists(atPath: target.sqliteFilePath!))
            for f in [junk, cut] { try? FileManager.default.removeItem(atPath: f) }
        }
    }

    @Test func aCompressorThatFailsEndsTheBackupWithItsWordsAndNotTheProcess() async throws {
        let dir = temporary("failing")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // a compressor that reads a little and quits: the writes after it meet a closed pipe (no SIGPIPE for us)
        let outcome: String = try await Backup.onThread {
            let out = open(dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            defer { close(out) }
            let archive = try BackupArchive(compressor: ("/bin/sh", ["-c", "head -c 10 >/dev/null; exec 0<&-; echo 压缩失败 >&2; exit 3"]), output: out,
                                            log: dir + "/stderr", now: Date())
            do {
                try archive.addData("big", Data(count: 8 << 20))
                _ = try archive.finish()
                return "finished"
            } catch { return "\(archive.abandon(error))" }
        }
        #expect(outcome.contains("status 3") && outcome.contains("压缩失败"), "\(outcome)")
    }

    @Test func tarHeadersAreUstarWithTheirChecksum() {
        let h = BackupArchive.ustar(Array("database/guanxi.sqlite".utf8), size: 4_910_000_000, type: UInt8(ascii: "0"), mode: 0o644, mtime: 1_765_000_000)
        #expect(h.count == 512 && String(decoding: h[257..<262], as: UTF8.self) == "ustar" && h[156] == UInt8(ascii: "0"))
        #expect(String(decoding: h[124..<135], as: UTF8.self) == String(4_910_000_000, radix: 8).leftPadded(11))
        var blank = h
        for i in 148..<156 { blank[i] = 0x20 }
        #expect(String(decoding: h[148..<154], as: UTF8.self) == String(blank.reduce(0) { $0 + Int($1) }, radix: 8).leftPadded(6))
        // a pax record's length counts its own digits, across the 9 → 10 boundary too
        for value in ["a", "1234", String(repeating: "x", count: 95), String(repeating: "长", count: 40)] {
            let r = BackupArchive.record("path", value)
            #expect(r.utf8.count == Int(r.prefix { $0 != " " })!, "\(r)")
        }
    }

    @Test func scheduledBackupsKeepTheNewestOnes() throws {
        let dir = temporary("schedule")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = (1...5).map { "guanxi-2026120\($0)T000000Z.backup" } + ["notes.txt", "guanxi-20261201T000000Z.backup.partial"]
        for n in names { FileManager.default.createFile(atPath: dir + "/" + n, contents: Data()) }
        let pruned = try Backup.prune(dir, prefix: "guanxi-", suffix: ".backup", keep: 2)
        #expect(pruned == ["guanxi-20261201T000000Z.backup", "guanxi-20261202T000000Z.backup", "guanxi-20261203T000000Z.backup"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["guanxi-20261201T000000Z.backup.partial", "guanxi-20261204T000000Z.backup", "guanxi-20261205T000000Z.backup", "notes.txt"])
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
