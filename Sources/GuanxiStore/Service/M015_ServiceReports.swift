/// The service reports read a period's tickets by their opening time.
package enum M015_ServiceReports {
    package static let migration = Migration(version: 15, name: "service_reports") { _ in
        ["CREATE INDEX tickets_created ON tickets (workspace_id, created_at)"]
    }
}
