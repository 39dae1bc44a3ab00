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
        try await write((bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(CSVWriter.row(Self.header.map(\.rawValue)).utf8))
        repeat {
            let page = try await store.list(scope, filter: filter, sort: .createdAt, descending: false, cursor: cursor, limit: 200)
            var chunk = ""
            for c in page.items { chunk += CSVWriter.row(Self.row(c)) }
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
