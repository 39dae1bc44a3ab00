import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// One rejected row (or file-level problem when `line` is 0).
package struct ImportRowError: Codable, Sendable, Equatable {
    package var line: Int
    package var column: String?
    package var reason: DomainMessage
}

package struct ImportReport: Codable, Sendable {
    package var total = 0
    package var created = 0
    package var updated = 0
    package var rejected = 0
    package var encoding = ""
    package var dryRun = false
    package var mapping: [String: String] = [:]
    package var errors: [ImportRowError] = []
    enum CodingKeys: String, CodingKey { case total, created, updated, rejected, encoding, mapping, errors, dryRun = "dry_run" }
}

/// CSV import of customers: decodes UTF-8 or GB18030, maps headers (Chinese too), validates each
/// row, and upserts by natural key (email, phone, WeChat or external id) in batched transactions.
/// Bad rows are reported with line, column and reason while the good rows land.
package struct CustomerImporter: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// The workspace's rules, and the changes to customers a row already names.
    let customers: CustomerStore
    package init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore) { self.db = db; self.clock = clock; self.customers = customers }

    struct DryRunRollback: Error { var report: ImportReport }

    /// Imports an upload held in memory.
    package func run(_ scope: Scope, data: Data, mapping overrides: [String: ImportField] = [:], dryRun: Bool = false,
                    batchSize: Int = 2000, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    finish: (@Sendable (any SQLDatabase, ImportReport) async throws -> Void)? = nil) async throws -> ImportReport {
        try scope.require(.customers, .create)
        return try await run(scope, source: CSVTextSource(data), fileSHA256: { Hex.string(SHA256.hash(data: data)) },
                             mapping: overrides, dryRun: dryRun, batchSize: batchSize, progress: progress, finish: finish)
    }

    /// Imports a file, reading and parsing it in chunks as the rows go into the transaction, so
    /// memory does not grow with the file (the import is still one all-or-nothing transaction).
    package func run(_ scope: Scope, file path: String, mapping overrides: [String: ImportField] = [:], dryRun: Bool = false,
                    batchSize: Int = 2000, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async throws -> ImportReport {
        try scope.require(.customers, .create)
        let hash = HashBox()
        let source = try CSVFileReader(path: path) { hash.sha.update(data: $0) }
        return try await run(scope, source: source, fileSHA256: { Hex.string(hash.sha.finalize()) },
                             mapping: overrides, dryRun: dryRun, batchSize: batchSize, progress: progress, finish: nil)
    }

    /// The file's hash, fed as its chunks are read (used by one import at a time).
    final class HashBox: @unchecked Sendable { var sha = SHA256() }
    /// The record source, read by one import at a time inside its transaction.
    final class SourceBox<S: CSVRecordSource>: @unchecked Sendable {
        var source: S
        init(_ source: S) { self.source = source }
    }

    func run<S: CSVRecordSource>(_ scope: Scope, source: S, fileSHA256: @escaping @Sendable () -> String,
                                 mapping overrides: [String: ImportField], dryRun: Bool, batchSize: Int,
                                 progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?,
                                 finish: (@Sendable (any SQLDatabase, ImportReport) async throws -> Void)?) async throws -> ImportReport {
        let box = SourceBox(source)
        var report = ImportReport()
        report.encoding = box.source.encoding.rawValue
        report.dryRun = dryRun
        // the header: the first good record (broken lines before it are reported like any other)
        var header: CSVRecord?
        while header == nil, let outcome = try box.source.next() {
            switch outcome {
            case .success(let r): header = r
            case .failure(let issue):
                report.total += 1; report.rejected += 1
                report.errors.append(ImportRowError(line: issue.line, column: nil, reason: issue.message))
            }
        }
        guard let header else { throw DomainError.field("file", "the file is empty") }
        let mapping = HeaderMapping.resolve(header.fields, overrides: overrides)
        let mapped = Set(mapping.values)
        if !mapped.contains(.name) && !mapped.contains(.familyName) && !mapped.contains(.givenName) && !mapped.contains(.email) && !mapped.contains(.phone) {
            throw DomainError.field("file", "no column could be read as a name, email or phone; headers were: \(header.fields.joined(separator: ", "))")
        }
        for (i, f) in mapping { report.mapping[header.fields[i]] = f.rawValue }
        let columnOf = Dictionary(mapping.map { ($0.value, header.fields[$0.key]) }, uniquingKeysWith: { a, _ in a })

        let context = try await loadContext(scope)
        let start = report
        do {
            report = try await db.write { sql in
                // each batch, and the run's own entry, is stamped with the clock as the import reaches it
                func tx() -> Tx { Tx(sql: sql, scope: scope, now: clock.now(), db: db) }
                var report = start
                var orgCache = context.orgs
                var done = 0
                // The next batch of good records; broken ones are reported as they are met.
                func nextRows() throws -> [CSVRecord] {
                    var rows: [CSVRecord] = []
                    rows.reserveCapacity(batchSize)
                    while rows.count < batchSize, let outcome = try box.source.next() {
                        report.total += 1
                        switch outcome {
                        case .success(let r): rows.append(r)
                        case .failure(let issue):
                            report.rejected += 1
                            report.errors.append(ImportRowError(line: issue.line, column: nil, reason: issue.message))
                        }
                    }
                    return rows
                }
                // Validation is pure; it runs one batch ahead of the writes so both cores work.
                let validate: @Sendable ([CSVRecord]) -> ValidatedBatch = { self.validate($0, mapping: mapping, columnOf: columnOf, context: context) }
                var rows = try nextRows()
                var next: Task<ValidatedBatch, Never>? = rows.isEmpty ? nil : Task { [rows] in validate(rows) }
                while let running = next {
                    let count = rows.count
                    rows = try nextRows()
                    next = rows.isEmpty ? nil : Task { [rows] in validate(rows) }
                    let batch = await running.value
                    report.rejected += batch.rejected
                    report.errors += batch.errors
                    try await importBatch(batch.valid, context: context, orgs: &orgCache, report: &report, tx: tx())
                    done += count
                    let f = box.source.fraction
                    progress?(done, f > 0 && next != nil ? max(done, Int(Double(done) / f)) : done)
                }
                if dryRun { throw DryRunRollback(report: report) }
                try await tx().audit("import", "customers", nil, detail: [
                    "file_sha256": .string(fileSHA256()), "encoding": .string(report.encoding),
                    "rows": .number(Double(report.total)), "created": .number(Double(report.created)),
                    "updated": .number(Double(report.updated)), "rejected": .number(Double(report.rejected))])
                // what the caller records of the run commits with it, or neither does
                if let finish {
                    var told = report
                    told.errors.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
                    try await finish(sql, told)
                }
                return report
            }
        } catch let r as DryRunRollback {
            report = r.report
        }
        report.errors.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        return report
    }

    struct Context: Sendable {
        var rules: WorkspaceRules
        var owners: [String: String]   // email → user id
        var orgs: [String: String]     // organisation name → id
    }

    func loadContext(_ scope: Scope) async throws -> Context {
        let rules = try await customers.rules(scope)
        return try await db.read { sql in
            var owners: [String: String] = [:]
            for r in try await sql.raw("SELECT u.id, u.email FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.workspace_id = \(bind: scope.workspaceID)").all() {
                owners[try r.decode(column: "email", as: String.self)] = try r.decode(column: "id", as: String.self)
            }
            var orgs: [String: String] = [:]
            for r in try await sql.raw("SELECT id, name FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND kind = 'organization' AND deleted_at IS NULL").all() {
                orgs[try r.decode(column: "name", as: String.self)] = try r.decode(column: "id", as: String.self)
            }
            return Context(rules: rules, owners: owners, orgs: orgs)
        }
    }

    /// A row turned into a draft, or the reasons it cannot be.
    func draft(_ record: CSVRecord, mapping: [Int: ImportField], context: Context) -> (CustomerDraft, orgName: String?, note: String?, id: String?, errors: [(ImportField?, DomainMessage)]) {
        var d = CustomerDraft()
        var explicitID: String?
        var errors: [(ImportField?, DomainMessage)] = []
        var orgName: String?, note: String?, family: String?, given: String?
        var address = Address()
        var hasAddress = false
        for (i, field) in mapping where i < record.fields.count {
            let v = Text.clean(record.fields[i])
            if v.isEmpty { continue }
            switch field {
            case .id:
                if ID.isValid(v) { explicitID = v.lowercased() } else { errors.append((field, "is not a Guanxi id")) }
            case .kind:
                switch v.lowercased() {
                case "person", "个人", "個人", "联系人", "聯絡人": d.kind = .person
                case "organization", "organisation", "company", "公司", "企业", "企業", "组织", "組織": d.kind = .organization
                default: errors.append((field, "kind must be person or organization"))
                }
            case .name: d.name = v
            case .familyName: family = v
            case .givenName: given = v
            case .organization: orgName = v
            case .title: d.title = .some(v)
            case .email: d.emails = TagList.split(v)
            case .phone: d.phones = v.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "/" || $0 == "、" }).map(String.init)
            case .wechat: d.identities = (d.identities ?? []) + [Identity(kind: .wechatID, value: v)]
            case .externalID:
                let parts = v.split(separator: ":", maxSplits: 1).map(String.init)
                if parts.count == 2 { d.identities = (d.identities ?? []) + [Identity(kind: .external, value: parts[1], namespace: parts[0])] }
                else { errors.append((field, "external_id must be namespace:value")) }
            case .stage:
                if let s = Self.stage(v) { d.stage = s } else { errors.append((field, "unknown stage '\(v)'")) }
            case .tier: d.tier = .some(v)
            case .owner:
                if let id = IdentityNormalizer.email(v).flatMap({ context.owners[$0] }) { d.ownerID = .some(id) }
                else { errors.append((field, "no user with email \(v) in this workspace")) }
            case .source: d.source = .some(v)
            case .country: address.country = v; hasAddress = true
            case .province: address.province = v; hasAddress = true
            case .city: address.city = v; hasAddress = true
            case .district: address.district = v; hasAddress = true
            case .street: address.street = v; hasAddress = true
            case .postcode: address.postcode = v; hasAddress = true
            case .birthday: d.birthday = .some(v)
            case .tags: d.tags = TagList.split(v)
            case .note: note = v
            }
        }
        if hasAddress { d.addresses = [address] }
        if d.name == nil { d.name = PersonName.compose(family: family, given: given) }
        if d.name == nil {
            // A row with only an email or phone still names someone: use what identifies them.
            if let e = d.emails?.first { d.name = e } else if let p = d.phones?.first { d.name = p }
            else { errors.append((.name, "a name, email or phone is required")) }
        }
        if d.kind == nil { d.kind = .person }
        return (d, orgName, note, explicitID, errors)
    }

    static func stage(_ v: String) -> LifecycleStage? {
        if let s = LifecycleStage(rawValue: v.lowercased().replacingOccurrences(of: " ", with: "_")) { return s }
        switch v {
        case "潜在客户", "潛在客戶", "準客戶", "潜客": return .prospect
        case "线索", "線索": return .lead
        case "客户", "客戶", "成交客户", "成交客戶": return .customer
        case "复购", "復購", "回头客", "回頭客": return .repeatCustomer
        case "忠诚", "忠誠", "忠实客户", "忠實客戶": return .loyal
        case "流失风险", "流失風險", "风险", "風險": return .atRisk
        case "流失", "已流失": return .lost
        default: return nil
        }
    }

    struct Valid: Sendable { var line: Int; var draft: CustomerDraft; var customer: Customer; var orgName: String?; var note: String?; var id: String? }
    struct ValidatedBatch: Sendable { var valid: [Valid] = []; var rejected = 0; var errors: [ImportRowError] = [] }

    /// Turns rows into valid customers, or reasons (line, column, message), without the database.
    func validate(_ rows: [CSVRecord], mapping: [Int: ImportField], columnOf: [ImportField: String], context: Context) -> ValidatedBatch {
        let now = clock.now()
        var out = ValidatedBatch()
        func reject(_ line: Int, _ field: ImportField?, _ reason: DomainMessage) {
            out.errors.append(ImportRowError(line: line, column: field.flatMap { columnOf[$0] } ?? field?.rawValue, reason: reason))
        }
        func fieldFor(_ key: String) -> ImportField? {
            let k = key.split(separator: "[").first.map(String.init) ?? key
            switch k {
            case "emails": return .email
            case "phones": return .phone
            case "identities": return mapping.values.contains(.wechat) ? .wechat : .externalID
            case "organization_id": return .organization
            case "owner_id": return .owner
            case "addresses": return .street
            case "tags": return .tags
            default: return ImportField(rawValue: k)
            }
        }
        for r in rows {
            let (d, orgName, note, explicitID, errs) = draft(r, mapping: mapping, context: context)
            if !errs.isEmpty {
                out.rejected += 1
                for (f, m) in errs { reject(r.line, f, m) }
                continue
            }
            do {
                let c = try CustomerValidator.apply(d, to: nil, rules: context.rules, id: ID.make(at: now), now: now)
                out.valid.append(Valid(line: r.line, draft: d, customer: c, orgName: orgName, note: note, id: explicitID))
            } catch {
                out.rejected += 1
                if case .validation(let fields) = error {
                    for (k, m) in fields.sorted(by: { $0.key < $1.key }) { reject(r.line, fieldFor(k), m) }
                } else {
                    reject(r.line, nil, "\(error)")
                }
            }
        }
        return out
    }

    /// Writes one validated batch: new organisations, creates in bulk, upserts onto existing customers.
    func importBatch(_ valid: [Valid], context: Context, orgs: inout [String: String],
                     report: inout ImportReport, tx: Tx) async throws {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        func reject(_ line: Int, _ reason: DomainMessage) {
            report.errors.append(ImportRowError(line: line, column: nil, reason: reason))
        }
        // Someone who may not reach every record owns what they import (as with a create).
        let defaultOwner = scope.level(.customers, .create) == .all ? nil : scope.userID
        var audit: [AuditEvent] = []
        // 2. Organisations named in the batch: create the missing ones.
        var newOrgs: [(Customer, String)] = []
        for v in valid {
            guard let name = v.orgName, orgs[name] == nil else { continue }
            var org = try CustomerValidator.apply({ var d = CustomerDraft(); d.kind = .organization; d.name = name; return d }(),
                                                  to: nil, rules: context.rules, id: ID.make(at: now), now: now)
            org.version = 1
            org.ownerID = defaultOwner
            orgs[name] = org.id
            newOrgs.append((org, CustomerRows.searchDocument(org)))
        }
        if !newOrgs.isEmpty {
            let seqs = try await CustomerRows.insert(newOrgs, workspaceID: scope.workspaceID, sql: sql)
            try await CustomerRows.writeDerived(zip(seqs, newOrgs).map { ($0, $1.0, $1.1) }, workspaceID: scope.workspaceID,
                                                dialect: tx.dialect, replacing: false, sql: sql)
        }
        // 3. Natural keys: who already holds each identity (in the database or earlier in this batch).
        let keys = Array(Set(valid.flatMap { $0.customer.allIdentities.map(\.uniqueKey) }))
        var holder: [String: String] = [:]   // "kind|value" → customer id
        for chunk in keys.chunked(5000) {
            for r in try await sql.raw("SELECT kind, value, customer_id FROM customer_identities WHERE workspace_id = \(bind: scope.workspaceID) AND kind IN (\(binds: IdentityKind.allCases.map(\.rawValue))) AND value IN (\(binds: Array(chunk)))").all() {
                holder["\(try r.decode(column: "kind", as: String.self))|\(try r.decode(column: "value", as: String.self))"] = try r.decode(column: "customer_id", as: String.self)
            }
        }
        // Rows that name a Guanxi id (an earlier export) update that customer; so does an
        // organisation row without identities whose name matches an existing organisation.
        var knownIDs = Set<String>()
        let explicit = valid.compactMap(\.id)
        for chunk in explicit.chunked(5000) {
            for r in try await sql.raw("SELECT id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND id IN (\(binds: Array(chunk)))").all() {
                knownIDs.insert(try r.decode(column: "id", as: String.self))
            }
        }
        var creates: [String: (line: Int, customer: Customer)] = [:]
        var createOrder: [String] = []
        var updates: [String: [Valid]] = [:]
        var notes: [TimelineEntry] = []
        for var v in valid {
            if let name = v.orgName, let orgID = orgs[name], v.customer.kind == .person {
                v.customer.organizationID = orgID; v.customer.organizationName = name
                v.draft.organizationID = .some(orgID)
            }
            var owners = Set(v.customer.allIdentities.compactMap { holder["\($0.kind.rawValue)|\($0.uniqueKey)"] })
            if let id = v.id, knownIDs.contains(id) { owners.insert(id) }
            if owners.isEmpty, v.customer.kind == .organization, v.customer.allIdentities.isEmpty, let org = orgs[v.customer.name] {
                owners.insert(org)
            }
            if owners.count > 1 {
                report.rejected += 1
                reject(v.line, "its email, phone or ids belong to \(owners.count) different customers; merge them first")
                continue
            }
            if let target = owners.first {
                if var pending = creates[target] {
                    // The same person appears twice in the file: the later row adds to the first.
                    pending.customer = try CustomerValidator.apply(v.draft.additive(to: pending.customer), to: pending.customer,
                                                                   rules: context.rules, id: target, now: now)
                    creates[target] = pending
                } else {
                    updates[target, default: []].append(v)
                }
                report.updated += 1
                if let n = v.note { notes.append(Self.note(n, target, tx)) }
            } else {
                var c = v.customer
                c.version = 1
                if c.ownerID == nil { c.ownerID = defaultOwner }
                creates[c.id] = (v.line, c)
                createOrder.append(c.id)
                if c.kind == .organization && orgs[c.name] == nil { orgs[c.name] = c.id }
                for ident in c.allIdentities { holder["\(ident.kind.rawValue)|\(ident.uniqueKey)"] = c.id }
                report.created += 1
                if let n = v.note { notes.append(Self.note(n, c.id, tx)) }
            }
        }
        // 4. Write: new customers in bulk, existing ones one by one (their rows change in place).
        let created = createOrder.compactMap { creates[$0] }
        let newOnes = created.map { ($0.customer, CustomerRows.searchDocument($0.customer)) }
        // One entry per created customer naming its line; the file itself is identified by the run's "import" entry.
        for (c, _) in newOrgs { audit.append(AuditEvent("create", "customers", c.id, detail: ["via": "import", "organization_of_row": .bool(true)])) }
        for c in created { audit.append(AuditEvent("create", "customers", c.customer.id, detail: ["via": "import", "line": .number(Double(c.line))])) }
        if !newOnes.isEmpty {
            let seqs = try await CustomerRows.insert(newOnes, workspaceID: scope.workspaceID, sql: sql)
            try await CustomerRows.writeDerived(zip(seqs, newOnes).map { ($0, $1.0, $1.1) }, workspaceID: scope.workspaceID,
                                                dialect: tx.dialect, replacing: false, sql: sql)
            try await tx.timeline(newOnes.map { tx.event($0.0.id, .imported) })
        }
        for (id, changes) in updates {
            var c = try await CustomerStore.load(scope, id, includeDeleted: true, sql: sql)
            do { try await CustomerStore.authorize(scope, c, .update, sql: sql) } catch let e as DomainError {
                // 撞单: the row names someone else's customer; say so instead of changing it.
                report.updated -= changes.count; report.rejected += changes.count
                let why: DomainMessage = if case .notFound = e { "its email, phone or id belongs to a customer you may not see" } else { "its email, phone or id belongs to a customer owned by someone else" }
                for v in changes { reject(v.line, why) }
                notes.removeAll { $0.customerID == id }
                continue
            }
            let old = c
            for v in changes {
                c = try CustomerValidator.apply(v.draft.additive(to: c), to: c, rules: context.rules, id: id, now: now)
            }
            guard c != old else { continue }
            c.version = old.version + 1
            c.updatedAt = now
            try await customers.save(scope, c, sql: sql)
            try await tx.timeline(CustomerStore.changeEvents(old: old, new: c, tx: tx))
            audit.append(AuditEvent("update", "customers", c.id, detail: AuditDetail.changes(old, c)))
        }
        try await tx.timeline(notes)
        try await tx.audit(audit)
    }

    static func note(_ body: String, _ customerID: String, _ tx: Tx) -> TimelineEntry {
        TimelineEntry(id: ID.make(at: tx.now), customerID: customerID, kind: .note, occurredAt: tx.now, body: body,
                      authorID: tx.scope.userID, createdAt: tx.now)
    }
}

extension CustomerDraft {
    /// The draft as an upsert onto `existing`: lists are united instead of replaced and the kind
    /// is left alone, so an import never removes what the CRM already knows.
    func additive(to existing: Customer) -> CustomerDraft {
        var d = self
        d.kind = nil
        if let e = emails { d.emails = existing.emails + e }
        if let p = phones { d.phones = existing.phones + p }
        if let i = identities { d.identities = existing.identities + i }
        if let t = tags { d.tags = existing.tags + t }
        if addresses != nil && !existing.addresses.isEmpty { d.addresses = nil }
        return d
    }
}
