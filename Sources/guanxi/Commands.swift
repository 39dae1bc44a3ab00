import ArgumentParser
import Foundation
import Logging
import GuanxiCore
import GuanxiStore
import GuanxiDemo
import GuanxiWeb
import GuanxiWebPlatform
import GuanxiPostgres
import Hummingbird

/// `--data DIR` and `GUANXI_DATABASE_URL`: the same database settings for every command.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "SQLite data directory (ignored when GUANXI_DATABASE_URL is set).")
    var data: String = "./guanxi-data"

    @Option(help: "Workspace slug.")
    var workspace: String = AccessStore.defaultWorkspaceSlug

    var location: DatabaseLocation { DatabaseLocation.resolve(dataDirectory: data) }

    /// Where ticket attachments are kept: `GUANXI_FILES_DIR`, else `files` in the data directory
    /// (with PostgreSQL too: the database holds no files).
    var files: AttachmentFiles {
        let dir = ProcessInfo.processInfo.environment["GUANXI_FILES_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? data + "/files"
        return AttachmentFiles(directory: dir)
    }

    /// Opens the database and brings the schema up to date (commands other than `migrate`
    /// migrate on their own so the README's first command needs nothing before it).
    func open(migrate: Bool = true, clientAsService: Bool = false) async throws -> Database {
        var logger = Logger(label: "guanxi.db")
        logger.logLevel = .warning
        // only the server reads from replicas (GUANXI_DATABASE_READ_URL); commands read what they wrote
        let db = try await Database.connect(location, readURLs: clientAsService ? Database.readURLs() : [], logger: logger, clientAsService: clientAsService)
        if migrate { try await Features.migrator(db).migrate() }
        return db
    }

    /// Every store over `db`, on the system clock (built once per command).
    func stores(_ db: Database) -> Stores { Stores(db: db, clock: SystemClock(), files: files) }

    func scope(_ access: AccessStore, userID: String? = nil, role: Role = .owner) async throws -> Scope {
        let ws = workspace == AccessStore.defaultWorkspaceSlug ? try await access.ensureDefaultWorkspace() : try await access.workspace(slug: workspace)
        guard let ws else { throw ValidationError("no workspace '\(workspace)'; create it with `guanxi workspace create`") }
        return Scope(workspaceID: ws.id, userID: userID, role: role)
    }
}

/// Prints domain errors as readable lines instead of stack dumps.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do { try await body() } catch let e as DomainError {
        let message: String = switch e {
        case .validation(let f): f.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
        case .notFound(let w): "\(w) not found"
        case .duplicate(_, let id, let m): "\(m) (customer \(id))"
        case .conflict(let m), .unauthorized(let m), .forbidden(let m), .badRequest(let m), .tooManyAttempts(let m): m.text
        case .staleVersion(let v): "stale version (now \(v))"
        }
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode(2)
    } catch let e as MigrationError {
        FileHandle.standardError.write(Data("error: \(e.description)\n".utf8))
        throw ExitCode(3)
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web server.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Log level (trace, debug, info, notice, warning, error).") var logLevel = "info"

    /// Outgoing mail from `GUANXI_SMTP_URL` (`smtp://[user:password@]host[:port]`) and `GUANXI_MAIL_FROM`.
    static func mailer() -> SMTPMailer? {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["GUANXI_SMTP_URL"], !url.isEmpty else { return nil }
        guard let m = SMTPMailer(url: url, from: env["GUANXI_MAIL_FROM"] ?? "guanxi@localhost") else {
            FileHandle.standardError.write(Data("GUANXI_SMTP_URL is not smtp://host[:port]; outgoing mail is off\n".utf8))
            return nil
        }
        return m
    }

    /// The service desk's mailbox from `GUANXI_IMAP_URL` (`imap://user:password@host[:port][/MAILBOX]`).
    static func mailbox() -> IMAPMailbox? {
        guard let url = ProcessInfo.processInfo.environment["GUANXI_IMAP_URL"], !url.isEmpty else { return nil }
        guard let box = IMAPMailbox(url: url) else {
            FileHandle.standardError.write(Data("GUANXI_IMAP_URL is not imap://user:password@host[:port][/MAILBOX]; mail intake is off\n".utf8))
            return nil
        }
        return box
    }

    /// Request counts unless `GUANXI_METRICS=off`; the request log (one JSON line per request on
    /// standard output) unless `GUANXI_REQUEST_LOG=off`.
    static func metrics() -> ServerMetrics {
        let env = ProcessInfo.processInfo.environment
        @Sendable func write(_ line: String) { FileHandle.standardOutput.write(Data(line.utf8)) }
        return ServerMetrics(counting: env["GUANXI_METRICS"] != "off", log: env["GUANXI_REQUEST_LOG"] == "off" ? nil : write)
    }

    func run() async throws {
        try await reportingErrors {
            // The PostgreSQL pool runs as the first service of the server's group: started before
            // the checks below, shut down after the requests in flight.
            let database = try await db.open(migrate: false, clientAsService: true)
            let env = ProcessInfo.processInfo.environment
            let services = AppServices(db: database, mailer: Self.mailer(), publicURL: env["GUANXI_PUBLIC_URL"], files: db.files,
                                       metrics: Self.metrics())
            var config = AppConfiguration(host: host, port: port, logLevel: Logger.Level(rawValue: logLevel) ?? .info, mailbox: Self.mailbox())
            if let slug = env["GUANXI_IMAP_WORKSPACE"], !slug.isEmpty { config.mailboxWorkspace = slug }
            if let seconds = env["GUANXI_IMAP_INTERVAL"].flatMap(Int.init), seconds >= 1 { config.mailPollInterval = .seconds(seconds) }
            config.backups = BackupSchedule.from(env, filesDirectory: db.filesDirectory)
            let app = buildApplication(config, services: services, beforeStart: { try await prepare(database, access: services.access) })
            try await app.runService()
            await database.close()
        }
    }

    /// Before the server listens: the schema check (SQLite migrates itself; PostgreSQL waits for an
    /// explicit `guanxi migrate`, after a backup), fresh planner statistics, the default workspace.
    func prepare(_ database: Database, access: AccessStore) async throws {
        let migrator = Features.migrator(database)
        let status = try await migrator.status()
        if status.current > status.latest { throw MigrationError.schemaTooNew(found: status.current, known: status.latest) }
        if database.dialect == .sqlite { try await migrator.migrate() } else { try await migrator.requireCurrent() }
        try await database.optimize()
        _ = try await access.ensureDefaultWorkspace()
        if try await database.read({ try await $0.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self) }) == 0 {
            FileHandle.standardError.write(Data("""
                No users yet. Create the owner, then an API token:
                  guanxi user create --email you@example.com --password '…' --role owner --data \(db.data)
                  guanxi token create --email you@example.com --name cli --data \(db.data)

                """.utf8))
        }
        FileHandle.standardError.write(Data("Guanxi listening on http://\(host):\(port) (\(database.location.description))\n".utf8))
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending schema migrations (one transaction).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Only show what would be applied.") var dryRun = false

    func run() async throws {
        try await reportingErrors {
            let database = try await db.open(migrate: false)
            defer { Task { await database.close() } }
            let before = try await Features.migrator(database).status()
            if before.pending.isEmpty { print("Schema is up to date (version \(before.current))."); return }
            print((dryRun ? "Would apply:" : "Applying:") + "\n  " + before.pending.joined(separator: "\n  "))
            let after = try await Features.migrator(database).migrate(dryRun: dryRun)
            if !dryRun { print("Schema is now at version \(after.current).") }
        }
    }
}

struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workspace", abstract: "Manage workspaces.", subcommands: [Create.self])
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a workspace.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Display name.") var name: String
        @Option(help: "URL-safe identifier.") var slug: String
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let w = try await AccessStore(db: database, clock: SystemClock()).createWorkspace(name: name, slug: slug)
                print(w.id)
                await database.close()
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self, ResetLink.self])
    struct ResetLink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-link", abstract: "Issue a single-use password reset token (valid one hour); the token is the last line of output.")
        @OptionGroup var db: DatabaseOptions
        @Option var email: String
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                guard let token = try await db.stores(database).signIn.resetToken(email: email) else {
                    throw DomainError.notFound("user \(email)")
                }
                await database.close()
                print("Reset token for \(email) (single use, one hour). Send it to POST /api/v1/auth/password-reset/confirm")
                print("with {\"token\": …, \"new_password\": …}, or open /reset-password?token=… in the web app:")
                print(token)
            }
        }
    }
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user (or add them to the workspace).")
        @OptionGroup var db: DatabaseOptions
        @Option var email: String
        @Option var password: String
        @Option var name: String?
        @Option(help: "owner, admin, sales_manager, sales_rep, service_agent, marketer, analyst, read_only") var role = "owner"
        @Flag(help: "May create workspaces (the installation's first user always may).") var serverAdmin = false
        func run() async throws {
            try await reportingErrors {
                guard let r = Role(rawValue: role) else { throw ValidationError("unknown role '\(role)'") }
                let database = try await db.open()
                let access = AccessStore(db: database, clock: SystemClock())
                let scope = try await db.scope(access)
                let u = try await access.createUser(email: email, password: password, name: name, role: r, workspaceID: scope.workspaceID,
                                                                           serverAdmin: serverAdmin)
                print("Created \(u.email) (\(r.rawValue)) \(u.id)")
                await database.close()
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Issue an API token; the token is the last line of output.")
        @OptionGroup var db: DatabaseOptions
        @Option var email: String
        @Option var name: String
        @Option(help: "Days until it expires (default: never).") var days: Int?
        @Option(help: "Narrow the token below the user's role: comma-separated object.action[:level], e.g. customers.read,customers.create:own.")
        var permissions: String?
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let access = AccessStore(db: database, clock: SystemClock())
                let scope = try await db.scope(access)
                guard let u = try await access.user(email: email) else { throw DomainError.notFound("user \(email)") }
                let t = try await access.createToken(userID: u.id, workspaceID: scope.workspaceID, name: name,
                                                     expiresAt: days.map { Date().addingTimeInterval(Double($0) * 86_400) },
                                                     permissions: permissions.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
                print("Token \(t.id) for \(u.email); it is shown only once:")
                print(t.secret)
                await database.close()
            }
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Load deterministic bilingual demo data.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "How many customers.") var customers = 1000
    @Option(help: "Random seed (same seed, same data).") var seed: UInt64 = 42
    @Option(help: "Most interactions per customer.") var maxInteractions = 6
    @Option(help: "Service tickets (default: one per five customers).") var tickets: Int?
    @Option(help: "Messages per ticket, the customer's and the agents' in turn.") var ticketMessages = 4
    @Flag(inversion: .prefixedNo, help: "Score the customers from their orders at the end, as the nightly run would (so Insights has figures at once).")
    var scores = true

    func run() async throws {
        try await reportingErrors {
            let database = try await db.open()
            let stores = db.stores(database)
            let scope = try await db.scope(stores.access)
            // Demo data is for an empty workspace: a second run would collide with the first's
            // emails and phones, so the README's first command stays safe to repeat.
            let existing = try await database.read { sql in
                try await sql.raw("SELECT 1 AS x FROM customers WHERE workspace_id = \(bind: scope.workspaceID) LIMIT 1").first() != nil
            }
            if existing {
                print("The workspace already has customers; demo data is only loaded into an empty workspace. Skipping.")
                await database.close()
                return
            }
            try await database.prepareForBulkLoad()
            let owners = try await database.read { sql in
                try await sql.raw("SELECT user_id FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY user_id").all()
                    .map { try $0.decode(column: "user_id", as: String.self) }
            }
            let start = Date()
            let total = customers
            let demo = DemoLoader(db: database, products: stores.products, orders: stores.orders)
            let n = try await demo.load(
                scope, config: DemoConfig(customers: customers, seed: seed, interactionsPerCustomer: 0...max(0, maxInteractions), now: Date()),
                ownerIDs: owners
            ) { done in Progress.show(done, total, start: start) }
            Progress.finish()
            let s = Date().timeIntervalSince(start)
            print("Loaded \(n.customers) customers, \(n.organizations) organisations, \(n.interactions) interactions in \(String(format: "%.1f", s)) s (\(Int(Double(n.customers) / max(s, 0.001))) customers/s).")
            let sales = try await demo.loadSales(scope, seed: seed)
            print("Loaded \(sales.products) products and \(sales.orders) orders over the last year.")
            let work = try await DemoFollowUp.load(scope, stores: stores, seed: seed, now: Date())
            print("Loaded \(work.leads) leads, \(work.deals) deals, \(work.quotes) quotes and \(work.tasks) tasks.")
            let ticketCount = tickets ?? customers / 5, ticketStart = Date()
            let service = try await DemoService.load(scope, stores: stores, count: ticketCount, messages: ticketMessages, seed: seed, now: Date()) { done in
                Progress.show(done, ticketCount, start: ticketStart)
            }
            Progress.finish()
            let ts = Date().timeIntervalSince(ticketStart)
            print("Loaded \(service.tickets) tickets with \(service.messages) messages in \(String(format: "%.1f", ts)) s (\(Int(Double(service.tickets) / max(ts, 0.001))) tickets/s).")
            if scores {
                try await database.optimize()
                let run = try await stores.scores.run(scope, asOf: nil, period: "week", full: true)
                print("Scored \(run.customers) customers from their orders in \(String(format: "%.1f", Double(run.durationMs ?? 0) / 1000)) s.")
            }
            try await database.optimize()
            try await database.compactSearchIndexes()
            await database.close()
        }
    }
}

/// Upkeep after large loads or an upgrade: planner statistics and compact full-text indexes.
struct MaintainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain", abstract: "Refresh planner statistics and compact the search indexes (after large loads; takes the write lock for seconds per million customers).")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let database = try await db.open()
            let start = Date()
            try await database.optimize()
            let tables = try await database.compactSearchIndexes()
            print("Statistics refreshed\(tables.isEmpty ? "" : "; compacted \(tables.joined(separator: ", "))") in \(String(format: "%.1f", Date().timeIntervalSince(start))) s.")
            await database.close()
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import data from CSV.", subcommands: [Customers.self, Orders.self])
    struct Customers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "customers", abstract: "Import customers (UTF-8 or GB18030; Chinese headers understood).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "CSV file.") var file: String
        @Flag(help: "Validate and count without saving.") var dryRun = false
        @Option(help: "Column mapping, e.g. '客户名称=name,手机=phone'.") var mapping: String?
        @Option(help: "Write the rejected rows report (CSV) here.") var report: String?

        func run() async throws {
            try await reportingErrors {
                guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
                var overrides: [String: ImportField] = [:]
                if let mapping {
                    guard let m = HeaderMapping.parse(mapping: mapping) else { throw ValidationError("--mapping takes header=field pairs separated by commas") }
                    overrides = m
                }
                let database = try await db.open()
                // 128 MB: the import is one transaction whatever the file's size, and its memory
                // stays bounded (a 12 MB file peaked at 637 MB with the demo's 2 GB cache, 226 MB with this)
                try await database.prepareForBulkLoad(cacheMegabytes: 128)
                let stores = db.stores(database)
                let scope = try await db.scope(stores.access)
                let start = Date()
                let r = try await stores.customerImporter.run(scope, file: file, mapping: overrides, dryRun: dryRun) { done, total in
                    Progress.show(done, total, start: start)
                }
                Progress.finish()
                if !dryRun {
                    try await database.optimize()
                    // A load of a tenth or more of the customers leaves the search indexes in many segments.
                    let customers = try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM customers").first()!.decode(column: "n", as: Int.self) }
                    if r.created > 0 && r.created * 10 >= customers { try await database.compactSearchIndexes() }
                }
                let s = Date().timeIntervalSince(start)
                print("\(dryRun ? "Dry run: would import" : "Imported") \(r.total) rows (\(r.encoding)): \(r.created) created, \(r.updated) updated, \(r.rejected) rejected in \(String(format: "%.1f", s)) s (\(Int(Double(r.total) / max(s, 0.001))) rows/s).")
                for e in r.errors.prefix(20) { print("  line \(e.line)\(e.column.map { ", \($0)" } ?? ""): \(e.reason)") }
                if r.errors.count > 20 { print("  … \(r.errors.count - 20) more") }
                if let report {
                    let rows = r.errors.map { [String($0.line), $0.column ?? "", $0.reason.text] }
                    try CSVWriter.document(header: ["line", "column", "reason"], rows: rows, bom: true).write(to: URL(fileURLWithPath: report))
                }
                await database.close()
            }
        }
    }
}

extension ImportCommand {
    /// `guanxi import orders FILE`: order history (customer_external_id, placed_at, amount; optional
    /// product, quantity, currency, external_id), each order paid and confirmed on its date.
    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "orders", abstract: "Import historical orders (customer_external_id,placed_at,amount[,product,quantity,currency,external_id]); importing again adds nothing.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "CSV file.") var file: String

        func run() async throws {
            try await reportingErrors {
                guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
                let database = try await db.open()
                let stores = db.stores(database)
                let scope = try await db.scope(stores.access)
                let start = Date()
                let r = try await stores.orderHistory.run(scope, file: file)
                let s = Date().timeIntervalSince(start)
                print("Imported \(r.total) rows: \(r.created) orders created, \(r.existing) already there, \(r.rejected) rejected, \(r.customersCreated) new customers in \(String(format: "%.1f", s)) s.")
                for e in r.errors.prefix(20) { print("  line \(e.line)\(e.column.map { ", \($0)" } ?? ""): \(e.reason)") }
                if r.errors.count > 20 { print("  … \(r.errors.count - 20) more") }
                await database.close()
                if r.created + r.existing == 0 && !r.errors.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export data as CSV (or NDJSON for orders, scores and events).",
                                                    subcommands: [Customers.self, Orders.self, Scores.self, ExportEvents.self])

    /// Where an export goes: a file, or standard output for '-'.
    static func output(_ file: String) throws -> FileHandle {
        if file == "-" { return .standardOutput }
        FileManager.default.createFile(atPath: file, contents: nil)
        guard let h = FileHandle(forWritingAtPath: file) else { throw ValidationError("cannot write \(file)") }
        return h
    }

    /// Opens the database as the options say, writes what `body` exports to `file` (or standard
    /// output), and says on standard error how many `noun` went where.
    static func run(_ db: DatabaseOptions, to file: String, noun: String,
                    _ body: (Stores, Scope, @escaping (Data) -> Void) async throws -> Int) async throws {
        try await reportingErrors {
            let database = try await db.open()
            let stores = db.stores(database)
            let scope = try await db.scope(stores.access)
            let out = try output(file)
            let n = try await body(stores, scope) { out.write($0) }
            if file != "-" { try out.close(); FileHandle.standardError.write(Data("Exported \(n) \(noun) to \(file).\n".utf8)) }
            await database.close()
        }
    }

    /// The `--format` option's value.
    static func format(_ value: String) throws -> ExportFormat {
        guard let f = ExportFormat(rawValue: value) else { throw ValidationError("--format must be csv or ndjson") }
        return f
    }

    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "orders", abstract: "Export every order (money in minor units; NDJSON rows carry their lines).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "csv or ndjson.") var format: String = "csv"
        @Argument(help: "Output file ('-' for stdout).") var file: String
        func run() async throws {
            let f = try ExportCommand.format(format)
            try await ExportCommand.run(db, to: file, noun: "orders") { stores, scope, write in
                try await stores.exports.orders(scope, format: f, write: write)
            }
        }
    }

    struct Scores: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "scores", abstract: "Export every customer's scores from the last scoring run.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "csv or ndjson.") var format: String = "csv"
        @Argument(help: "Output file ('-' for stdout).") var file: String
        func run() async throws {
            let f = try ExportCommand.format(format)
            try await ExportCommand.run(db, to: file, noun: "scores") { stores, scope, write in
                try await stores.exports.scores(scope, format: f, write: write)
            }
        }
    }

    struct Customers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "customers", abstract: "Export customers (same columns the import reads).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Output CSV file ('-' for stdout).") var file: String
        func run() async throws {
            try await ExportCommand.run(db, to: file, noun: "customers") { stores, scope, write in
                try await CustomerExporter(store: stores.customers).export(scope, write: write)
            }
        }
    }
}

/// A progress bar with ETA on stderr (only when stderr is a terminal or GUANXI_PROGRESS=1).
enum Progress {
    static let enabled = isatty(2) != 0 || ProcessInfo.processInfo.environment["GUANXI_PROGRESS"] == "1"
    static func show(_ done: Int, _ total: Int, start: Date) {
        guard enabled, total > 0 else { return }
        let f = Double(done) / Double(total)
        let elapsed = Date().timeIntervalSince(start)
        let eta = f > 0 ? elapsed / f - elapsed : 0
        let bar = String(repeating: "█", count: Int(f * 30)) + String(repeating: "░", count: 30 - Int(f * 30))
        FileHandle.standardError.write(Data(String(format: "\r%@ %3.0f%% %d/%d  ETA %.0f s ", bar, f * 100, done, total, eta).utf8))
    }
    static func finish() { if enabled { FileHandle.standardError.write(Data("\n".utf8)) } }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit log.", subcommands: [Verify.self])
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Recompute every workspace's audit hash chain; exits 1 when an entry was changed, added, removed or reordered.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let results = try await AuditLog(db: database).verify()
                await database.close()
                var broken = false
                for r in results {
                    if r.ok { print("ok      \(r.workspaceID): \(r.entries) entries, chain intact") }
                    else { broken = true; print("BROKEN  \(r.workspaceID): \(r.problem ?? "") (entry \(r.brokenAt ?? 0))") }
                }
                if results.isEmpty { print("ok      no audit entries yet") }
                if broken { throw ExitCode(1) }
            }
        }
    }
}

struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool", abstract: "The public pool (公海).", subcommands: [Recycle.self])
    struct Recycle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recycle", abstract: "Return neglected customers to the public pool now (the server also does this hourly).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await reportingErrors {
                let database = try await db.open()
                let moved = try await PublicPool(db: database, clock: SystemClock()).recycle()
                await database.close()
                print("Returned \(moved.values.reduce(0, +)) customers to the public pool.")
            }
        }
    }
}
