/// The service desk by email. Ticket messages keep their mail's Message-ID (a customer's, or the
/// one the desk gave its reply), so answers thread onto the right ticket, and a reply to the
/// customer is an outbox entry: its recipient, threading, state (`pending` → `sending` → `sent`,
/// or `failed` after the last try), attempts and last error. Mail that cannot be read or filed
/// waits in `mail_quarantine` with its raw bytes (base64) and the reason, once per content digest.
package enum M012_ServiceMail {
    package static let migration = Migration(version: 12, name: "service_mail") { _ in
        [
            "ALTER TABLE ticket_messages ADD COLUMN message_id TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_address TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_state TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_in_reply_to TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_references TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_attempts BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE ticket_messages ADD COLUMN mail_error TEXT",
            "ALTER TABLE ticket_messages ADD COLUMN mail_next_at BIGINT",
            "ALTER TABLE ticket_messages ADD COLUMN mailed_at BIGINT",
            "CREATE UNIQUE INDEX ticket_messages_message_id ON ticket_messages (workspace_id, message_id)",
            "CREATE INDEX ticket_messages_outbox ON ticket_messages (mail_state, mail_next_at)",
            """
            CREATE TABLE mail_quarantine (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, received_at BIGINT NOT NULL, reason TEXT NOT NULL, sender TEXT,
              subject TEXT, size BIGINT NOT NULL, digest TEXT NOT NULL, raw TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX mail_quarantine_digest ON mail_quarantine (workspace_id, digest)",
            "CREATE INDEX mail_quarantine_received ON mail_quarantine (workspace_id, received_at, id)",
        ]
    }
}
