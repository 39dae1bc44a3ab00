import Foundation
import GuanxiCore

/// Writes customers as CSV with the same columns the importer reads, so an export re-imports cleanly.
package struct CustomerExporter: Sendable {
    let store: CustomerStore
    package init(store: CustomerStore) { self.store = store }

    package static let header: [ImportField] = [.id, .kind, .name, .organization, .title, .email, .phone, .wechat, .externalID,
                                               .stage, .tier, .source, .country, .province, .city, .district, .street,
                                               .postcode, .birthday, .tags]

    /// Streams CSV text in pages; `write` receives each chunk (the first starts with a BOM and the header).
    package func export(_ scope: Scope, filter: CustomerFilter = CustomerFilter(), bom: Bool = true,
                       write: (Data) async throws -> Void) async throws -> Int {
        try scope.require(.customers, .export)
        var cursor: String?
        var count = 0
        // the last scoring run's scores follow, for those who may read analytics (the importer ignores them)
        let scores = scope.level(.analytics, .read) != nil
        try await write((bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(CSVWriter.row(Self.header.map(\.rawValue) + (scores ? Self.scoreHeader : [])).utf8))
        repeat {
            let page = try await store.list(scope, filter: filter, sort: .createdAt, descending: false, cursor: cursor, limit: 200)
            var found: [String: [String]] = [:]
            if scores { found = try await scoreColumns(scope, ids: page.items.map(\.id)) }
            var chunk = ""
            for c in page.items { chunk += CSVWriter.row(Self.row(c) + (scores ? found[c.id] ?? Array(repeating: "", count: Self.scoreHeader.count) : [])) }
            count += page.items.count
            if !chunk.isEmpty { try await write(Data(chunk.utf8)) }
            cursor = page.nextCursor
        } while cursor != nil
        let now = store.clock.now()
        try await store.db.write(scope, at: now) { [count] tx in
            try await tx.audit("export", "customers", nil, detail: ["rows": .number(Double(count)), "format": "csv"])
        }
        return count
    }

    /// The score columns after the customer's own.
    package static let scoreHeader = ["score_rfm_segment", "score_churn_risk", "score_value_tier", "score_class", "score_clv_12m",
                                      "score_p_alive", "score_expected_purchases_90d"]

    /// The scores of a page's customers, in `scoreHeader`'s order (money in minor units).
    func scoreColumns(_ scope: Scope, ids: [String]) async throws -> [String: [String]] {
        guard !ids.isEmpty else { return [:] }
        return try await store.db.read { sql in
            var out: [String: [String]] = [:]
            for r in try await sql.raw("""
                SELECT customer_id, rfm_segment, churn_risk, value_tier, class, clv_12m, p_alive, expected_purchases_90d FROM customer_scores
                WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id IN (\(binds: ids))
                """).all() {
                out[try r.decode(column: "customer_id", as: String.self)] = [
                    try r.decode(column: "rfm_segment", as: String.self), try r.decode(column: "churn_risk", as: String.self),
                    try r.decode(column: "value_tier", as: String.self), try r.decode(column: "class", as: String.self),
                    String(try r.decode(column: "clv_12m", as: Int64.self)), String(format: "%.4f", try r.decode(column: "p_alive", as: Double.self)),
                    String(format: "%.4f", try r.decode(column: "expected_purchases_90d", as: Double.self)),
                ]
            }
            return out
        }
    }

    static func row(_ c: Customer) -> [String] {
        let a = c.addresses.first
        return [c.id, c.kind.rawValue, c.name, c.organizationName ?? "", c.title ?? "", c.emails.joined(separator: ";"),
                c.phones.joined(separator: ";"),
                c.identities.first(where: { $0.kind == .wechatID })?.value ?? "",
                c.identities.first(where: { $0.kind == .external }).map { "\($0.namespace ?? ""):\($0.value)" } ?? "",
                c.stage.rawValue, c.tier ?? "", c.source ?? "", a?.country ?? "", a?.province ?? "", a?.city ?? "",
                a?.district ?? "", a?.street ?? "", a?.postcode ?? "", c.birthday ?? "", c.tags.joined(separator: ";")]
    }
}
