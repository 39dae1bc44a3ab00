/// Text messages through the telephony provider: where they are sent (`sms_url` beside the dial
/// address, signed with the same secret), and the outbox they wait in until the provider took them
/// (portal sign-in codes; written in the transaction that made the code, sent by the server's
/// text-message service, retried until the message would be of no use any more). `sent_at` is when
/// the provider took a message, -1 when it was given up, NULL while it waits.
package enum M035_TextMessages {
    package static let migration = Migration(version: 35, name: "text_messages") { _ in
        [
            "ALTER TABLE telephony_settings ADD COLUMN sms_url TEXT",
            """
            CREATE TABLE sms_outbox (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), to_number TEXT NOT NULL, body TEXT NOT NULL,
              purpose TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, next_at BIGINT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, sent_at BIGINT, last_status INTEGER, last_error TEXT)
            """,
            "CREATE INDEX sms_outbox_due ON sms_outbox (sent_at, next_at)",
        ]
    }
}
