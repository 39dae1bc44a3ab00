/// Ticket attachments: one row per file of a message (its clean name, the type its extension and
/// content agree on, its size and SHA-256, who sent it, its place among the message's files), the bytes on disk by SHA-256
/// (`AttachmentFiles`).
package enum M017_TicketAttachments {
    package static let migration = Migration(version: 17, name: "ticket_attachments") { _ in
        [
            """
            CREATE TABLE ticket_attachments (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, ticket_id TEXT NOT NULL, message_id TEXT NOT NULL,
              position BIGINT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL,
              uploaded_by TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX ticket_attachments_ticket ON ticket_attachments (workspace_id, ticket_id, created_at)",
            "CREATE INDEX ticket_attachments_sha256 ON ticket_attachments (sha256)",
        ]
    }
}
