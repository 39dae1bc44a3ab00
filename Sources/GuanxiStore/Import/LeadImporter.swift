import Foundation
import Crypto
import SQLKit
import GuanxiCore

package struct LeadImportReport: Codable, Sendable {
    package var total = 0
    package var created = 0
    package var rejected = 0
    /// Imported leads flagged as a duplicate of a customer or an earlier lead (kept, never refused).
    package var duplicates = 0
    /// Imported leads an assignment rule (or the importer) now owns.
    package var assigned = 0
    package var encoding = ""
    package var dryRun = false
    /// Header → lead field.
    package var mapping: [String: String] = [:]
    package var errors: [ImportRowError] = []
    enum CodingKeys: String, CodingKey { case total, created, rejected, duplicates, assigned, encoding, mapping, errors, dryRun = "dry_run" }
}

/// CSV import of leads: the customer import's decoding (UTF-8 ± BOM, GB18030), CSV reader and header
/// matching, then every good row goes through the one lead capture path (`LeadStore.insert`): the
/// same duplicate flags, assignment rules, round-robin turns, timeline and audit entries as a lead
/// sent to the API. Bad rows are reported by line, column and reason; the good ones land.
package struct LeadImporter: Sendable {
    let db: Database
    let leads: LeadStore
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock, leads: LeadStore) { self.db = db; self.leads = leads; self.clock = clock }

    /// Lead files are read and answered in one request; bigger lists belong in several files.
    package static let maxRows = 20_000
    static let groupSize = 256

    struct DryRunRollback: Error { var report: LeadImportReport }

    package func run(_ scope: Scope, data raw: Data, dryRun: Bool = false) async throws -> LeadImportReport {
        let level = try scope.require(.leads, .create)
        let data = try ImportUpload.prepare(raw)
        let (text, encoding) = TextDecoding.decode(data)
        let firstLine = text.prefix(while: { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        let parsed = CSVReader.parse(text, delimiter: CSVReader.sniffDelimiter(String(firstLine)))
        guard let header = parsed.records.first, !header.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw DomainError.field("file", "the file is empty")
        }
        let mapping = LeadImportField.guess(header.fields)
        if Set(mapping.values).isDisjoint(with: [.name, .phone, .email, .wechat]) {
            throw DomainError.field("file", "no column could be read as a name, email or phone; headers were: \(header.fields.joined(separator: ", "))")
        }
        let rows = parsed.records.dropFirst()
        if rows.count > Self.maxRows { throw DomainError.field("file", "at most \(Self.maxRows) leads per file") }
        var report = LeadImportReport()
        report.encoding = encoding.rawValue
        report.dryRun = dryRun
        for (i, f) in mapping { report.mapping[header.fields[i]] = f.rawValue }
        report.errors = parsed.issues.map { ImportRowError(line: $0.line, column: nil, reason: $0.message) }
        report.total = rows.count + parsed.issues.count
        report.rejected = parsed.issues.count
        let columnOf = Dictionary(mapping.map { ($0.value.rawValue, header.fields[$0.key]) }, uniquingKeysWith: { a, _ in a })

        // rows become leads (or reasons) without the database
        let now = clock.now()
        var captures: [LeadCapture] = []
        for r in rows {
            var d = LeadDraft()
            for (i, f) in mapping where i < r.fields.count { d.set(f.rawValue, r.fields[i]) }
            do {
                let lead = try LeadValidator.make(d, id: ID.make(at: now), channel: .import, now: now)
                captures.append(LeadCapture(lead: lead, scope: scope, sourceID: nil, creatorKeeps: level != .all))
            } catch {
                guard case .validation(let fields) = error else { throw error }
                report.rejected += 1
                for (k, m) in fields.sorted(by: { $0.key < $1.key }) {
                    let key = k.hasPrefix("utm.") ? String(k.dropFirst(4)) : k
                    report.errors.append(ImportRowError(line: r.line, column: columnOf[key] ?? key, reason: m))
                }
            }
        }
        let start = report, ready = captures
        do {
            report = try await db.write(scope, at: now) { tx in
                var report = start
                for group in ready.chunked(Self.groupSize) {
                    for l in try await leads.insert(Array(group), now: now, sql: tx.sql) {
                        report.created += 1
                        if l.duplicateOfCustomerID != nil || l.duplicateOfLeadID != nil { report.duplicates += 1 }
                        if l.ownerID != nil { report.assigned += 1 }
                    }
                }
                if dryRun { throw DryRunRollback(report: report) }
                try await tx.audit("import", "leads", nil, detail: [
                    "file_sha256": .string(Hex.string(SHA256.hash(data: data))), "encoding": .string(report.encoding),
                    "rows": .number(Double(report.total)), "created": .number(Double(report.created)),
                    "rejected": .number(Double(report.rejected)), "duplicates": .number(Double(report.duplicates))])
                return report
            }
        } catch let r as DryRunRollback {
            report = r.report
        }
        report.errors.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        return report
    }
}
