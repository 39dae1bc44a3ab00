import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the access and sign-in operations (see `MatrixSample`).
enum AccessMatrix {
    static let samples: [String: MatrixSample] = [
        "me": MatrixSample("/api/v1/me"),
        "listRoles": MatrixSample("/api/v1/roles"),
        "saveRole": MatrixSample("/api/v1/roles/custom_{n}", body: #"{"name":"自定义","permissions":["customers.read:own"]}"#),
        "setUserRole": MatrixSample("/api/v1/users/{spareUserID}/role", body: #"{"role":"read_only"}"#),
        "listTeams": MatrixSample("/api/v1/teams"),
        "createTeam": MatrixSample("/api/v1/teams", body: #"{"name":"新团队{n}","kind":"sales"}"#),
        "updateTeam": MatrixSample("/api/v1/teams/{teamID}", body: #"{"name":"华南区","kind":"sales"}"#),
        "shareCustomer": MatrixSample("/api/v1/customers/{customer}/shares", body: #"{"user_id":"{spareUserID}"}"#, record: .customers),
        "revealCustomer": MatrixSample("/api/v1/customers/{customer}/reveal", record: .customers, actions: [.reveal]),
        "listTokens": MatrixSample("/api/v1/tokens"),
        "createToken": MatrixSample("/api/v1/tokens", body: #"{"name":"脚本"}"#),
        "revokeToken": MatrixSample("/api/v1/tokens/{tokenID}"),
        "handover": MatrixSample("/api/v1/users/{leaverID}/handover", body: #"{"to_user_ids":["{spareUserID}"]}"#),
        "getPoolRules": MatrixSample("/api/v1/pool/rules"),
        "savePoolRules": MatrixSample("/api/v1/pool/rules", body: #"{"caps":{"sales_rep":500},"recycle_days":{"*":30}}"#),
        "claimCustomer": MatrixSample("/api/v1/customers/{freshPool}/claim"),
        "releaseCustomer": MatrixSample("/api/v1/customers/{customer}/release", record: .customers, othersNeed: [.assign]),
        "signIn": MatrixSample("/api/v1/auth/sign-in", body: #"{"email":"{email}","password":"password-matrix"}"#),
        "signOut": MatrixSample("/api/v1/auth/sign-out"),
        "changePassword": MatrixSample("/api/v1/auth/password", body: #"{"current_password":"password-matrix","new_password":"password-matrix"}"#),
        "requestPasswordReset": MatrixSample("/api/v1/auth/password-reset", body: #"{"email":"{email}"}"#),
        "resetPassword": MatrixSample("/api/v1/auth/password-reset/confirm", body: #"{"token":"{resetToken}","new_password":"password-matrix"}"#),
        "enrollTOTP": MatrixSample("/api/v1/auth/totp"),
        "confirmTOTP": MatrixSample("/api/v1/auth/totp/confirm", body: #"{"code":"{totpCode}"}"#),
        "disableTOTP": MatrixSample("/api/v1/auth/totp/disable", body: #"{"password":"password-matrix"}"#),
        "listWorkspaces": MatrixSample("/api/v1/workspaces"),
        "createWorkspace": MatrixSample("/api/v1/workspaces", body: #"{"name":"分公司{n}","slug":"branch-{n}"}"#, adminOnly: true),
        "listUsers": MatrixSample("/api/v1/users"),
        "listAudit": MatrixSample("/api/v1/audit"),
        "verifyAudit": MatrixSample("/api/v1/audit/verify")
    ]

    static let fixture: MatrixFixture = { s in
        let access = s.services.access
        var v: [String: String] = [:]
        if s.wants("leaverID") {
            v["leaverID"] = try await access.createUser(email: "leaver\(s.n)@matrix.example", password: "password-matrix", name: nil,
                                                        role: .salesRep, workspaceID: s.admin.workspaceID).id
        }
        if s.wants("freshPool") {
            var d = CustomerDraft(); d.kind = .person; d.name = "公海\(s.n)"
            v["freshPool"] = try await s.services.customers.create(s.admin, d).id
        }
        if s.wants("resetToken") {
            v["resetToken"] = try await s.services.signIn.resetToken(email: s.values["email"]!) ?? ""
        }
        if s.wants("totpCode"), let me = try await access.scope(userID: s.values["userID"]!, workspaceID: s.admin.workspaceID) {
            let secret = try await s.services.signIn.enrollTOTP(me).secret
            v["totpCode"] = TOTP.code(secret: Base32.decode(secret) ?? [], at: Date())
        }
        if s.wants("tokenID") {
            v["tokenID"] = try await access.createToken(userID: s.values["userID"]!, workspaceID: s.admin.workspaceID, name: "to revoke").id
        }
        return v
    }
}
