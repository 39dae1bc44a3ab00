import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// What a backup archive says about itself: `manifest.json`, beside the database image and the
/// stored files. Restore checks every entry's size and SHA-256 before it touches the target.
package struct BackupManifest: Codable, Sendable, Equatable {
    package struct Entry: Codable, Sendable, Hashable {
        package var path: String
        package var bytes: Int64
        package var sha256: String
    }
    package static let formatName = "guanxi-backup"
    package static let currentFormat = 1

    package var format = BackupManifest.formatName
    package var formatVersion = BackupManifest.currentFormat
    package var createdAt: String
    /// `sqlite` or `postgresql`: the kind of database the image restores into.
    package var database: String
    package var schemaVersion: Int
    package var compression: String
    package var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case format, database, compression, entries
        case formatVersion = "format_version", createdAt = "created_at", schemaVersion = "schema_version"
    }
}

/// One backup written: where, how big, its checksum and what it holds.
package struct BackupResult: Sendable {
    package var file: String
    package var bytes: Int64
    package var sha256: String
    package var manifest: BackupManifest
    package var seconds: Double
}

/// How the archive is compressed: zstd where installed (fast on both cores), else gzip.
package enum BackupCompression: String, Sendable {
    case zstd, gzip
    package static var available: BackupCompression { Tools.find("zstd") == nil ? .gzip : .zstd }

    /// The program and its arguments, reading the archive on stdin and writing it compressed to stdout.
    /// zstd at level 1: on the 4.9 GB demo database 7.0 s against 11.2 s at level 3 (both cores), and
    /// the file 1.47 GB rather than 1.40 GB.
    func compressor() throws -> (String, [String]) {
        switch self {
        case .zstd: return (try Tools.require("zstd"), ["-q", "-T0", "-1", "-c"])
        case .gzip: return (try Tools.require("gzip"), ["-c", "-1"])
        }
    }
}

/// `guanxi backup` and `guanxi restore`, and the server's scheduled backups.
///
/// A backup is one file: a tar archive holding the database image (`database/guanxi.sqlite`,
/// SQLite's online backup of one read snapshot, or `database/guanxi.pgdump`, `pg_dump`'s custom
/// format), the stored files (`files/`) and, last, `manifest.json`, compressed with zstd (gzip where
/// zstd is not installed). A SQLite image is read straight from the database file while a read
/// snapshot holds it still (`Database.holdFile`), so 5 GB are not first copied; it and everything
/// else pass through the archive once (`BackupArchive`). The file is
/// written beside its destination and renamed into place once complete and synced: a backup killed
/// half-way leaves no file under the name. Restore unpacks the whole archive before it reads the
/// manifest, so archives of the first layout (the manifest first, written by the system's tar) restore too.
package enum Backup {
    package static let sqliteImage = "database/guanxi.sqlite"
    package static let postgresImage = "database/guanxi.pgdump"

    /// Writes a backup of `db` (schema `schemaVersion`) and of `filesDirectory` to `file`.
    package static func create(_ db: Database, to file: String, schemaVersion: Int, filesDirectory: String?,
                               compression: BackupCompression = .available, now: Date = Date()) async throws -> BackupResult {
        let started = Date()
        let fm = FileManager.default
        let staging = file + ".staging"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging + "/database", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: staging) }

        let image: String
        // SQLite: the database file itself, held still as one read snapshot, else SQLite's online backup
        // into the staging directory (while a long read keeps the WAL from the file)
        let held = db.dialect == .sqlite ? try await onThread { try db.holdFile() } : nil
        defer { held?.release() }
        switch db.location {
        case .sqlite, .sqliteFile:
            image = sqliteImage
            if held == nil { try await db.snapshot(to: staging + "/" + image) }
        case .postgres(let url):
            image = postgresImage
            try await onThread {
                try Tools.run(Tools.postgres("pg_dump"), ["--format=custom", "--compress=0", "--no-owner", "--no-privileges",
                                                        "--file", staging + "/" + image, "--dbname", Tools.withoutPassword(url)],
                              environment: Tools.passwordEnvironment(url), log: staging + "/stderr")
            }
        }
        let withFiles = filesDirectory.map { fm.fileExists(atPath: $0) } ?? false
        if let filesDirectory, withFiles {
            // stored files never change once written: hard links (or copies across file systems) taken now
            try linkTree(filesDirectory, to: staging + "/files")
        }
        let created = ISO8601DateFormatter().string(from: now), kind = db.dialect == .sqlite ? "sqlite" : "postgresql"
        let partial = file + ".partial"
        // one pass: the parts go through the archive into the compressor, hashed on the way; the manifest
        // is the last member, and the file's checksum is taken from the compressor's output as it is written
        let (bytes, sha, manifest) = try await onThread { () throws -> (Int64, String, BackupManifest) in
            let out = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard out >= 0 else { throw BackupArchive.failure("cannot write \(partial)") }
            defer { close(out) }
            do {
                let archive = try BackupArchive(compressor: try compression.compressor(), output: out, log: staging + "/stderr", now: now)
                do {
                    try archive.addDirectory("database")
                    var entries = [try held.map { try archive.addFile(image, from: $0.path, bytes: $0.bytes) }
                                   ?? archive.addFile(image, from: staging + "/" + image)]
                    if withFiles { entries += try archive.addTree("files", from: staging + "/files") }
                    let manifest = BackupManifest(createdAt: created, database: kind, schemaVersion: schemaVersion,
                                                  compression: compression.rawValue, entries: entries.sorted { $0.path < $1.path })
                    let json = JSONEncoder()
                    json.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    try archive.addData("manifest.json", try json.encode(manifest))
                    let (bytes, sha) = try archive.finish()
                    guard fsync(out) == 0 else { throw BackupArchive.failure("cannot write \(partial)") }
                    return (bytes, sha, manifest)
                } catch { throw archive.abandon(error) }
            } catch {
                try? fm.removeItem(atPath: partial)
                throw error
            }
        }
        try fm.moveItemReplacing(at: partial, to: file)
        syncDirectory(of: file)
        return BackupResult(file: file, bytes: bytes, sha256: sha, manifest: manifest, seconds: Date().timeIntervalSince(started))
    }

    /// Restores `file` into the empty database at `location` and its files into `filesDirectory`.
    /// Refuses a damaged archive, one of another kind of database, a schema newer than `knownSchema`
    /// and a target that already holds data; the caller migrates the restored schema forward.
    package static func restore(_ file: String, into location: DatabaseLocation, knownSchema: Int,
                                filesDirectory: String?, isEmpty: @Sendable () async throws -> Bool) async throws -> BackupManifest {
        let fm = FileManager.default
        guard fm.fileExists(atPath: file) else { throw DomainError.badRequest("no backup file at \(file)") }
        let base: String
        switch location {
        case .sqlite(let dir): base = dir
        case .sqliteFile(let path): base = (path as NSString).deletingLastPathComponent
        case .postgres: base = NSTemporaryDirectory()
        }
        try fm.createDirectory(atPath: base, withIntermediateDirectories: true)
        let staging = base + "/.restore-" + UUID().uuidString
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: staging) }

        let manifest: BackupManifest = try await onThread {
            let decompressor: (String, [String])
            switch try magic(of: file) {
            case [0x28, 0xB5, 0x2F, 0xFD]: decompressor = (try Tools.require("zstd"), ["-q", "-d", "-c", file])
            case let m where m.starts(with: [0x1F, 0x8B]): decompressor = (try Tools.require("gzip"), ["-d", "-c", file])
            default: throw DomainError.badRequest("\(file) is not a Guanxi backup (neither zstd nor gzip)")
            }
            try Tools.pipe(decompressor, into: (try Tools.require("tar"), ["-C", staging, "--no-same-owner", "-xf", "-"]),
                           output: nil, log: staging + "/.stderr", what: "\(file) could not be unpacked")
            guard let data = fm.contents(atPath: staging + "/manifest.json"),
                  let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data), manifest.format == BackupManifest.formatName
            else { throw DomainError.badRequest("\(file) is not a Guanxi backup (no manifest)") }
            guard manifest.formatVersion <= BackupManifest.currentFormat else {
                throw DomainError.badRequest("\(file) is backup format \(manifest.formatVersion); this Guanxi reads up to \(BackupManifest.currentFormat)")
            }
            let found = Set(try entries(in: staging, under: ["database", "files"]))
            for e in manifest.entries where !found.contains(e) {
                throw DomainError.badRequest("\(file) is damaged: \(e.path) does not match its checksum")
            }
            if found.count != manifest.entries.count { throw DomainError.badRequest("\(file) is damaged: it holds files its manifest does not list") }
            return manifest
        }
        let kind = location.isPostgres ? "postgresql" : "sqlite"
        guard manifest.database == kind else {
            throw DomainError.badRequest("this is a \(manifest.database) backup; it restores into a \(manifest.database) database, not \(kind)")
        }
        guard manifest.schemaVersion <= knownSchema else {
            throw DomainError.badRequest("the backup's schema is version \(manifest.schemaVersion) but this Guanxi knows only up to \(knownSchema); upgrade Guanxi to restore it")
        }
        guard try await isEmpty() else { throw DomainError.conflict("restore needs an empty database; \(location.description) already holds data") }
        if let filesDirectory, let present = try? fm.contentsOfDirectory(atPath: filesDirectory), !present.isEmpty {
            throw DomainError.conflict("restore needs an empty files directory; \(filesDirectory) is not empty")
        }
        try await onThread {
            switch location {
            case .sqlite, .sqliteFile:
                let target = location.sqliteFilePath!
                for leftover in ["-wal", "-shm"] { try? fm.removeItem(atPath: target + leftover) }
                try fm.moveItem(atPath: staging + "/" + sqliteImage, toPath: target)
                syncDirectory(of: target)
            case .postgres(let url):
                try Tools.run(Tools.postgres("pg_restore"), ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                                                           "--dbname", Tools.withoutPassword(url), staging + "/" + postgresImage],
                              environment: Tools.passwordEnvironment(url), log: staging + "/.stderr")
            }
            if let filesDirectory, fm.fileExists(atPath: staging + "/files") {
                try? fm.removeItem(atPath: filesDirectory)
                try fm.createDirectory(atPath: (filesDirectory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.moveItem(atPath: staging + "/files", toPath: filesDirectory)
            }
        }
        return manifest
    }

    /// Whether the database at hand holds no tables yet (what restore asks of its target).
    package static func isEmpty(_ db: Database) async throws -> Bool {
        try await db.read { sql in
            let query: SQLQueryString = db.dialect == .sqlite
                ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'"
                : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
            return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) == 0
        }
    }

    /// Deletes the oldest of the backups named `prefix…suffix` in `directory` beyond the newest `keep`.
    /// Names carry their UTC time, so name order is time order. Returns the files deleted.
    @discardableResult
    package static func prune(_ directory: String, prefix: String, suffix: String, keep: Int) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted()
        let old = Array(names.dropLast(max(keep, 1)))
        for name in old { try FileManager.default.removeItem(atPath: directory + "/" + name) }
        return old
    }

    // MARK: - files

    /// Every regular file under `roots` of `directory`, with its size and SHA-256, in path order.
    static func entries(in directory: String, under roots: [String]) throws -> [BackupManifest.Entry] {
        let fm = FileManager.default
        var found: [BackupManifest.Entry] = []
        for root in roots where fm.fileExists(atPath: directory + "/" + root) {
            guard let walk = fm.enumerator(atPath: directory + "/" + root) else { continue }
            while let relative = walk.nextObject() as? String {
                let path = root + "/" + relative
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let (bytes, sha) = try digest(of: directory + "/" + path)
                found.append(.init(path: path, bytes: bytes, sha256: sha))
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// A file's size and SHA-256 (hex), read in 4 MB blocks.
    static func digest(of path: String) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes: Int64 = 0
        while let block = try handle.read(upToCount: 4 << 20), !block.isEmpty {
            hash.update(data: block)
            bytes += Int64(block.count)
        }
        return (bytes, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func magic(of path: String) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: 4) ?? Data())
    }

    /// Mirrors the tree at `source` into `target` with hard links, copying where linking fails; files
    /// still being written (`tmp/`, renamed into place when whole) stay out.
    static func linkTree(_ source: String, to target: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard let walk = fm.enumerator(atPath: source) else { return }
        while let relative = walk.nextObject() as? String {
            if relative == "tmp" { walk.skipDescendants(); continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: source + "/" + relative, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: target + "/" + relative, withIntermediateDirectories: true)
            } else if (try? fm.linkItem(atPath: source + "/" + relative, toPath: target + "/" + relative)) == nil {
                try fm.copyItem(atPath: source + "/" + relative, toPath: target + "/" + relative)
            }
        }
    }

    static func syncDirectory(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Runs blocking work (file copies, child processes) on a thread of its own, off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            Thread { done.resume(with: Result { try body() }) }.start()
        }
    }
}

extension DatabaseLocation {
    package var isPostgres: Bool { if case .postgres = self { return true }; return false }
    package var sqliteFilePath: String? {
        switch self {
        case .sqlite(let dir): return dir + "/guanxi.sqlite"
        case .sqliteFile(let path): return path
        case .postgres: return nil
        }
    }
}

extension FileManager {
    func moveItemReplacing(at source: String, to target: String) throws {
        if rename(source, target) != 0 { throw DomainError.badRequest("cannot move \(source) to \(target): \(String(cString: strerror(errno)))") }
    }
}

/// The programs a backup uses: tar and gzip (always on Debian), zstd when installed, and PostgreSQL's
/// own pg_dump and pg_restore.
enum Tools {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func require(_ name: String) throws -> String {
        guard let found = find(name) else { throw DomainError.badRequest("\(name) is not installed; backups need it") }
        return found
    }

    /// `pg_dump` or `pg_restore` of the newest PostgreSQL installed (`GUANXI_PG_BIN` names a directory to
    /// use instead): a client older than the server refuses to dump it.
    static func postgres(_ name: String) throws -> String {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["GUANXI_PG_BIN"], !dir.isEmpty { return dir + "/" + name }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/\(name)") { return "/usr/lib/postgresql/\(v)/bin/\(name)" }
        return try require(name)
    }

    /// The URL without its password, which goes to the child through `PGPASSWORD` rather than its
    /// command line (which other users of the machine can read).
    static func withoutPassword(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.password = nil
        return c.string ?? url
    }

    static func passwordEnvironment(_ url: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let password = URLComponents(string: url)?.password { env["PGPASSWORD"] = password }
        return env
    }

    static func run(_ exe: String, _ args: [String], environment: [String: String] = ProcessInfo.processInfo.environment, log: String) throws {
        let child = try Child.spawn(exe, args, environment: environment, stderr: log)
        try check(child.wait(), exe, log: log)
    }

    /// `first | second > output`.
    static func pipe(_ first: (String, [String]), into second: (String, [String]), output: FileHandle?, log: String,
                     what: String? = nil) throws {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else { throw DomainError.badRequest("cannot make a pipe: \(String(cString: strerror(errno)))") }
        defer { close(ends[0]); close(ends[1]) }
        let env = ProcessInfo.processInfo.environment
        let a = try Child.spawn(first.0, first.1, environment: env, stdout: ends[1], stderr: log + ".1")
        let b: Child
        do { b = try Child.spawn(second.0, second.1, environment: env, stdin: ends[0], stdout: output?.fileDescriptor, stderr: log + ".2") } catch {
            kill(a.pid, SIGKILL); _ = a.wait(); throw error
        }
        // only the children hold the pipe now: the reader sees its end when the writer exits
        close(ends[0]); close(ends[1]); ends = [-1, -1]
        let (sa, sb) = (a.wait(), b.wait())
        do {
            try check(sa, first.0, log: log + ".1")
            try check(sb, second.0, log: log + ".2")
        } catch let e as DomainError {
            guard let what else { throw e }
            throw DomainError.badRequest("\(what): \(e)")
        }
    }

    /// Exit status 0, else the program's last words from its log.
    static func check(_ status: Int32, _ exe: String, log: String) throws {
        if status == 0 { return }
        let said = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: " ") ?? ""
        let how = status < 0 ? "signal \(-status)" : "status \(status)"
        throw DomainError.badRequest("\((exe as NSString).lastPathComponent) failed (\(how)): \(said)")
    }
}

/// A child process started with `posix_spawn`. Not Foundation's `Process`: on Linux it lists the
/// parent's open descriptors to close them in the child, and crashed while other threads of a busy
/// server (or test run) opened and closed theirs; here the child closes every descriptor from 3 up
/// itself (`closefrom`), and gets only the ones it is handed.
struct Child {
    let pid: pid_t

    /// Starts `exe` with `args`; `stdin`/`stdout` are descriptors to give it, `stderr` a file to write.
    static func spawn(_ exe: String, _ args: [String], environment: [String: String], stdin: Int32? = nil, stdout: Int32? = nil,
                      stderr log: String) throws -> Child {
        let err = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard err >= 0 else { throw DomainError.badRequest("cannot write \(log): \(String(cString: strerror(errno)))") }
        defer { close(err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        posix_spawn_file_actions_adddup2(&actions, err, 2)
        _ = Self.closeFrom.map { $0(&actions, 3) }
        // the child starts with no signal blocked and SIGPIPE at its default, whatever the calling thread has
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), pipe = sigset_t()
        sigemptyset(&none)
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &pipe)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw DomainError.badRequest("cannot start \(exe): \(String(cString: strerror(rc)))") }
        return Child(pid: pid)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; the C module does not show
    /// it to Swift), looked up once; without it the child keeps only descriptors not marked close-on-exec.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Waits for the child: its exit status, or minus the signal that ended it.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
    }
}
