import Foundation
import SQLKit
import GuanxiCore

/// What an order history import did.
package struct OrderHistoryReport: Sendable {
    package var total = 0
    package var created = 0
    /// Rows whose order was imported before (same external id, or the same row again).
    package var existing = 0
    package var rejected = 0
    package var customersCreated = 0
    package var errors: [ImportRowError] = []
}

/// `guanxi import orders`: historical orders from CSV, so the scores have the history they need.
/// Each row is one order, paid and confirmed on its date, of a customer found (or made) by their
/// external id; an order is known again by its external id (or a key made from the row), so
/// importing a file twice adds nothing. Bad rows are reported with their line and column while the
/// good ones land; the writes go in batches of `batch` orders, one transaction each.
package struct OrderHistoryImporter: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let customers: CustomerStore
    package static let source = "import"
    package static let batch = 5000

    package init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore) {
        self.db = db; self.clock = clock; self.customers = customers
    }

    /// Imports a file (UTF-8 or GB18030).
    package func run(_ scope: Scope, file: String, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> OrderHistoryReport {
        var source = try CSVFileReader(path: file)
        return try await run(scope, source: &source, progress: progress)
    }

    /// Imports a document already in memory.
    package func run(_ scope: Scope, data: Data) async throws -> OrderHistoryReport {
        var source = CSVTextSource(data)
        return try await run(scope, source: &source)
    }

    func run<S: CSVRecordSource>(_ scope: Scope, source: inout S, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> OrderHistoryReport {
        _ = try scope.require(.orders, .create)
        _ = try scope.require(.customers, .create)
        guard try scope.require(.orders, .read) == .all else { throw DomainError.forbidden("importing order history needs access to every order") }
        let zone = try await db.read { sql in
            try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: scope.workspaceID)").first()?.decode(column: "time_zone", as: String?.self) ?? nil
        }
        let timeZone = zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")!
        var report = OrderHistoryReport()
        var columns: OrderHistoryCSV.Columns?
        var pending: [OrderHistoryRow] = []
        var seen: [String: Int] = [:]   // a row's derived key → how often it came before in this file
        while let next = try source.next() {
            switch next {
            case .failure(let issue):
                report.total += 1; report.rejected += 1
                report.errors.append(ImportRowError(line: issue.line, column: nil, reason: issue.message))
            case .success(let record):
                guard let c = columns else {
                    do { columns = try OrderHistoryCSV.columns(record.fields) } catch {
                        report.errors.append(ImportRowError(line: record.line, column: nil, reason: Self.reason(error).1))
                        return report
                    }
                    continue
                }
                report.total += 1
                do {
                    var row = try OrderHistoryCSV.row(record.fields, line: record.line, columns: c, timeZone: timeZone)
                    if row.externalID.isEmpty {
                        let base = OrderHistoryCSV.key(row, occurrence: 0)
                        let n = seen[base, default: 0]
                        seen[base] = n + 1
                        row.externalID = n == 0 ? base : OrderHistoryCSV.key(row, occurrence: n)
                    }
                    pending.append(row)
                } catch {
                    let (column, reason) = Self.reason(error)
                    report.rejected += 1
                    report.errors.append(ImportRowError(line: record.line, column: column, reason: reason))
                }
                if pending.count >= Self.batch {
                    try await write(scope, pending, into: &report)
                    pending.removeAll(keepingCapacity: true)
                    progress(report.total, 0)
                }
            }
        }
        if columns == nil { report.errors.append(ImportRowError(line: 0, column: nil, reason: "the file is empty")) }
        if !pending.isEmpty { try await write(scope, pending, into: &report) }
        return report
    }

    static func reason(_ e: DomainError) -> (String?, DomainMessage) {
        if case .validation(let f) = e, let first = f.sorted(by: { $0.key < $1.key }).first { return (first.key, first.value) }
        if case .badRequest(let m) = e { return (nil, m) }
        return (nil, DomainMessage("\(e)"))
    }

    /// One batch in one transaction: the orders already there are counted, the customers found or
    /// made, the new orders written with their line and payment.
    func write(_ scope: Scope, _ rows: [OrderHistoryRow], into report: inout OrderHistoryReport) async throws {
        let now = clock.now()
        let customers = self.customers
        let (created, existing, newCustomers, failed) = try await db.write(scope, at: now) { tx -> (Int, Int, Int, [ImportRowError]) in
            let (w, sql) = (scope.workspaceID, tx.sql)
            // 1. orders imported before, and twins within the batch
            let keys = Set(rows.map(\.externalID)).sorted()
            var known = Set<String>()
            for chunk in keys.chunked(5000) {
                for r in try await sql.raw("""
                    SELECT external_id FROM orders WHERE workspace_id = \(bind: w) AND source = \(bind: Self.source) AND external_id IN (\(binds: Array(chunk)))
                    """).all() { known.insert(try r.decode(column: "external_id", as: String.self)) }
            }
            var fresh: [OrderHistoryRow] = []
            var existing = 0
            for r in rows {
                if known.contains(r.externalID) { existing += 1; continue }
                known.insert(r.externalID)
                fresh.append(r)
            }
            // 2. customers by external id (namespace `import`), the unknown ones made
            var failed: [ImportRowError] = []
            var holder: [String: String] = [:]   // identity key → customer id
            func identity(_ r: OrderHistoryRow) -> Identity? {
                IdentityNormalizer.externalID(namespace: Self.source, value: r.customerExternalID)
                    .map { Identity(kind: .external, value: $0.value, namespace: $0.namespace) }
            }
            let wanted = Set(fresh.compactMap { identity($0)?.uniqueKey }).sorted()
            for chunk in wanted.chunked(5000) {
                for r in try await sql.raw("""
                    SELECT i.value, c.id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                    WHERE i.workspace_id = \(bind: w) AND i.kind = \(bind: IdentityKind.external.rawValue) AND i.value IN (\(binds: Array(chunk)))
                    AND c.deleted_at IS NULL
                    """).all() {
                    holder[try r.decode(column: "value", as: String.self)] = try r.decode(column: "id", as: String.self)
                }
            }
            var drafts: [CustomerDraft] = []
            var draftKeys: [String] = []
            var drafted = Set<String>()
            for r in fresh {
                guard let id = identity(r), holder[id.uniqueKey] == nil, drafted.insert(id.uniqueKey).inserted else { continue }
                var d = CustomerDraft()
                d.kind = .person
                d.name = r.customerExternalID
                d.stage = .customer
                d.source = .some(Self.source)
                d.identities = [id]
                drafts.append(d); draftKeys.append(id.uniqueKey)
            }
            var made = 0
            if !drafts.isEmpty {
                for (key, result) in zip(draftKeys, try await customers.insertMany(drafts, tx: tx)) {
                    if case .success(let c) = result { holder[key] = c.id; made += 1 }
                }
            }
            // 3. the orders: paid and confirmed on their day, one line and one payment each
            var ready: [(OrderHistoryRow, String)] = []
            for r in fresh {
                guard let key = identity(r)?.uniqueKey, let cid = holder[key] else {
                    failed.append(ImportRowError(line: r.line, column: "customer_external_id", reason: "no customer could be found or made for this id"))
                    continue
                }
                ready.append((r, cid))
            }
            guard !ready.isEmpty else { return (0, existing, made, failed) }
            try await ScoreChanges.note(ready.map { $0.1 }, tx: tx)
            let year = Int(try await DocumentNumbers.today(w, now: now, sql: sql).prefix(4)) ?? 2026
            let numbers = try await DocumentNumbers.take(ready.count, prefix: "SO", workspaceID: w, year: year, sql: sql)
            let ids = ready.map { _ in ID.make(at: now) }
            _ = try await BulkSQL.insert("orders", """
                id, workspace_id, number, source, external_id, status, customer_id, currency, gross, discount, net, tax, total, paid, refunded,
                has_plan, placed_at, paid_at, confirmed_at, version, created_at, updated_at
                """, ready.indices.map { k -> [any Encodable & Sendable] in
                    let (r, cid) = ready[k]
                    let at = r.placedAt.millis
                    return [ids[k], w, numbers[k], Self.source, r.externalID, OrderStatus.confirmed.rawValue, cid, r.currency ?? DealStore.defaultCurrency,
                            r.amount, Int64(0), r.amount, Int64(0), r.amount, r.amount, Int64(0), Int64(0), at, at, at, Int64(1), now.millis, now.millis]
                }, sql: sql)
            _ = try await BulkSQL.insert("order_lines", """
                workspace_id, order_id, line_id, position, product_id, sku, name, unit, quantity, unit_price, discount_bp, tax_bp, gross, discount, net,
                tax, total, shipped, returned
                """, ready.indices.map { k -> [any Encodable & Sendable] in
                    let r = ready[k].0
                    return [w, ids[k], ID.make(at: now), Int64(1), String?.none, String?.none, r.product ?? "", String?.none, r.quantity,
                            r.amount / r.quantity, Int64(0), Int64(0), r.amount, Int64(0), r.amount, Int64(0), r.amount, r.quantity, Int64(0)]
                }, sql: sql)
            _ = try await BulkSQL.insert("order_payments", """
                id, workspace_id, order_id, kind, amount, method, reference, note, paid_at, created_by, created_at
                """, ready.indices.map { k -> [any Encodable & Sendable] in
                    [ID.make(at: now), w, ids[k], "payment", ready[k].0.amount, String?.none, String?.none, "imported", ready[k].0.placedAt.millis,
                     scope.userID, now.millis]
                }, sql: sql)
            try await tx.audit([AuditEvent("import", "orders", nil, detail: .object([
                "orders": .number(Double(ready.count)), "customers_created": .number(Double(made)),
                "first_line": .number(Double(ready.first!.0.line)), "last_line": .number(Double(ready.last!.0.line)),
            ]))])
            return (ready.count, existing, made, failed)
        }
        report.created += created
        report.existing += existing
        report.customersCreated += newCustomers
        report.rejected += failed.count
        report.errors += failed
    }
}
