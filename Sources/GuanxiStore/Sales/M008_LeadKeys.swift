/// Leads' duplicate keys are indexed only where present: most leads carry a phone but no email or
/// WeChat ID, and every capture wrote a NULL entry into both indexes (6 % of the bytes lead capture
/// wrote). The duplicate look-ups (`email IN (…)`) use the partial indexes on both databases.
package enum M008_LeadKeys {
    package static let migration = Migration(version: 8, name: "lead_keys") { _ in
        ["phone", "email", "wechat"].flatMap { column in
            ["DROP INDEX leads_\(column)",
             "CREATE INDEX leads_\(column) ON leads (workspace_id, \(column)) WHERE \(column) IS NOT NULL"]
        }
    }
}
