/// Portal sign-in by a code sent as a text message: a code and a session say which kind of the
/// customer's identities they were sent to (`email`, or `phone` with the number in the `email`
/// column, as identities keep it: "+8613812345678").
package enum M036_PortalPhones {
    package static let migration = Migration(version: 36, name: "portal_phones") { _ in
        [
            "ALTER TABLE portal_codes ADD COLUMN kind TEXT NOT NULL DEFAULT 'email'",
            "ALTER TABLE portal_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'email'",
        ]
    }
}
