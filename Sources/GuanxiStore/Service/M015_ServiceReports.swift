/// The service reports read a period's tickets by their opening time; the SLA monitor reads, per
/// target, only the tickets still waiting on it (partial indexes whose predicates its queries
/// repeat: `SLAMonitor.targets`), in place of whole-table indexes on each due time.
package enum M015_ServiceReports {
    package static let migration = Migration(version: 15, name: "service_reports") { _ in
        [
            "CREATE INDEX tickets_created ON tickets (workspace_id, created_at)",
            "CREATE INDEX tickets_first_response_waiting ON tickets (first_response_due_at) WHERE first_responded_at IS NULL AND resolved_at IS NULL",
            "CREATE INDEX tickets_next_response_waiting ON tickets (next_response_due_at) WHERE awaiting_reply_since IS NOT NULL AND resolved_at IS NULL",
            "CREATE INDEX tickets_resolution_waiting ON tickets (resolution_due_at) WHERE resolved_at IS NULL",
            "DROP INDEX tickets_first_response_due",
            "DROP INDEX tickets_next_response_due",
            "DROP INDEX tickets_resolution_due",
        ]
    }
}
