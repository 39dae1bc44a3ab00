import Foundation
import SQLKit
import GuanxiCore

extension AccessStore {
    /// Adds someone to the workspace by email with a built-in role (settings.update), with a
    /// password nobody knows: they choose theirs through the set-password link they are mailed
    /// (`SignIn.mailResetLink`). Someone already a member is refused; a user of another workspace
    /// joins with the role and keeps their password.
    /// `canMail`: whether the link can be mailed; checked after the fields, so the form says what to fix first.
    package func invite(_ scope: Scope, email rawEmail: String, name: String?, role roleKey: String, canMail: Bool = true) async throws -> User {
        try scope.require(.settings, .update)
        var e = FieldErrors()
        let email = IdentityNormalizer.email(rawEmail)
        if email == nil || rawEmail.count > 254 { e.add("email", "is not a valid email address") }
        let name = name.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        if let name, name.count > 100 { e.add("name", "must be at most 100 characters") }
        // an owner is made by handing over ownership, not by invitation
        guard let role = Role(rawValue: roleKey), role != .owner else { e.add("role", "no such role"); try e.throwIfAny(); throw DomainError.field("role", "no such role") }
        try e.throwIfAny()
        let member = try await db.read { sql in
            try await sql.raw("""
                SELECT 1 AS x FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = \(bind: scope.workspaceID) AND u.email = \(bind: email!)
                """).first()
        }
        if member != nil { throw DomainError.field("email", "is already a member of this workspace") }
        guard canMail else { throw DomainError.field("email", "outgoing mail is not set up; ask the server's administrator to configure it") }
        return try await createUser(email: email!, password: Secret.token(prefix: "gxi_"), name: name, role: role, workspaceID: scope.workspaceID)
    }
}
