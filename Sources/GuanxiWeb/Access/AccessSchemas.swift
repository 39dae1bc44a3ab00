import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

extension OpenAPIDocument {
    /// Members, roles, teams, shares, tokens, the audit log, hand-over, the public pool, sign-in and workspaces.
    static func accessSchemas() -> [String: Any] {
        var s: [String: Any] = [:]
        s["Me"] = obj(["user_id": nstr, "workspace_id": str, "role": str, "permissions": arr(str), "team_ids": arr(str)])
        s["Role"] = obj(["key": str, "name": str, "built_in": ["type": "boolean"], "permissions": arr(str)])
        s["RoleList"] = obj(["items": arr(ref("Role"))])
        // `PermissionSet.parse`: object.action, optionally :level
        let permission: [String: Any] = ["type": "string", "pattern": "^(" + AccessObject.allCases.map(\.rawValue).joined(separator: "|") + ")\\.("
                                         + AccessAction.allCases.map(\.rawValue).joined(separator: "|") + ")(:(" + AccessLevel.allCases.map(\.rawValue).joined(separator: "|") + "))?$"]
        s["RoleInput"] = obj(["name": str, "permissions": arr(permission)], required: ["name", "permissions"])
        s["RoleAssignment"] = obj(["role": ["type": "string", "pattern": AccessStore.roleKeyPattern]], required: ["role"])
        s["Team"] = obj(["id": str, "name": str, "kind": str, "parent_id": nstr, "manager_id": nstr, "member_ids": arr(str)])
        s["TeamList"] = obj(["items": arr(ref("Team"))])
        s["TeamInput"] = obj(["name": str, "kind": str, "parent_id": nstr, "manager_id": nstr, "member_ids": arr(str)], required: ["name"])
        s["ShareInput"] = obj(["user_id": str, "team_id": str])
        s["Token"] = obj(["id": str, "name": str, "prefix": str, "user_id": str, "permissions": ["type": ["array", "null"], "items": str],
                          "created_at": time, "expires_at": ["type": ["string", "null"]], "last_used_at": ["type": ["string", "null"]],
                          "revoked_at": ["type": ["string", "null"]]])
        s["TokenList"] = obj(["items": arr(ref("Token"))])
        s["TokenInput"] = obj(["name": str, "expires_at": time, "permissions": arr(permission)], required: ["name"])
        s["NewToken"] = obj(["id": str, "token": str])
        s["AuditEntry"] = obj(["seq": int, "id": str, "at": time, "actor_user_id": nstr, "actor_token_id": nstr, "action": str, "object": str,
                               "object_id": nstr, "detail": ["type": ["object", "array", "string", "number", "boolean", "null"]], "prev_hash": str, "hash": str])
        s["AuditPage"] = obj(["items": arr(ref("AuditEntry")), "next_cursor": nstr])
        s["AuditVerification"] = obj(["workspace_id": str, "entries": int, "ok": ["type": "boolean"], "broken_at": ["type": ["integer", "null"]],
                                      "problem": nstr])
        s["HandoverInput"] = obj(["to_user_ids": arr(str), "to_manager": ["type": "boolean"], "deactivate": ["type": "boolean"]])
        s["HandoverResult"] = obj(["moved": ["type": "object", "additionalProperties": int], "recipients": arr(str), "deactivated": ["type": "boolean"]])
        s["PoolRules"] = obj(["caps": ["type": "object", "additionalProperties": ["type": "integer", "minimum": 0]],
                              "recycle_days": ["type": "object", "additionalProperties": ["type": "integer", "minimum": PublicPool.recycleDays.lowerBound,
                                                                                         "maximum": PublicPool.recycleDays.upperBound]]],
                             required: ["caps", "recycle_days"])
        s["SignInInput"] = obj(["email": str, "password": str, "code": str, "workspace": str], required: ["email", "password"])
        s["SignedIn"] = obj(["user_id": str, "workspace_id": str, "csrf_token": str, "expires_at": time])
        let password: [String: Any] = ["type": "string", "minLength": 8]
        s["PasswordInput"] = obj(["current_password": str, "new_password": password], required: ["current_password", "new_password"])
        s["ResetRequest"] = obj(["email": str], required: ["email"])
        s["ResetInput"] = obj(["token": str, "new_password": password], required: ["token", "new_password"])
        s["TOTPEnrolment"] = obj(["secret": str, "uri": str])
        s["CodeInput"] = obj(["code": str], required: ["code"])
        s["RecoveryCodes"] = obj(["recovery_codes": arr(str)])
        s["PasswordOnly"] = obj(["password": str], required: ["password"])
        s["WorkspaceEntry"] = obj(["id": str, "name": str, "slug": str, "role": str])
        s["WorkspaceList"] = obj(["items": arr(ref("WorkspaceEntry"))])
        s["WorkspaceInput"] = obj(["name": str, "slug": ["type": "string", "pattern": AccessStore.workspaceSlugPattern]], required: ["name", "slug"])
        s["Member"] = obj(["id": str, "email": str, "name": str, "role": str, "active": ["type": "boolean"]])
        s["MemberList"] = obj(["items": arr(ref("Member"))])
        return s
    }
}
