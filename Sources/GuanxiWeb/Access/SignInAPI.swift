import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/auth`: browser sign-in with a session cookie, passwords, reset links and two-factor.
struct SignInAPI {
    let signIn: SignIn
    /// Where the links in reset mail point, when configured (else the address the request came to).
    let publicURL: String?

    struct SignInInput: Decodable { var email: String; var password: String; var code: String?; var workspace: String? }
    struct SignedIn: Encodable, Sendable {
        var userID: String; var workspaceID: String; var csrfToken: String; var expiresAt: Date
        enum CodingKeys: String, CodingKey { case userID = "user_id", workspaceID = "workspace_id", csrfToken = "csrf_token", expiresAt = "expires_at" }
    }
    struct PasswordInput: Decodable {
        var current: String; var new: String
        enum CodingKeys: String, CodingKey { case current = "current_password", new = "new_password" }
    }
    struct ResetRequest: Decodable { var email: String }
    struct ResetInput: Decodable {
        var token: String; var new: String
        enum CodingKeys: String, CodingKey { case token, new = "new_password" }
    }
    struct CodeInput: Decodable { var code: String }
    struct PasswordOnly: Decodable { var password: String }
    struct Enrolment: Encodable, Sendable { var secret: String; var uri: String }
    struct RecoveryCodes: Encodable, Sendable {
        var recoveryCodes: [String]
        enum CodingKeys: String, CodingKey { case recoveryCodes = "recovery_codes" }
    }

    func register(_ t: RouteTable) {
        let tag = "Sign-in"
        t.onPublic(APIRoute(method: .post, path: "/auth/sign-in", operationID: "signIn",
                            summary: "Sign in with email and password (and a two-factor code when on); sets the session cookie",
                            tag: tag, needs: .anyone, requestSchema: "SignInInput", responseSchema: "SignedIn")) { req, ctx in
            let i = try await APIBody.json(SignInInput.self, req)
            // A fresh session id at every sign-in: a cookie planted before sign-in is never promoted.
            let s = try await signIn.signIn(email: i.email, password: i.password, code: i.code, workspaceSlug: i.workspace, address: ctx.address)
            var r = APIResponse.json(SignedIn(userID: s.userID, workspaceID: s.workspaceID, csrfToken: s.csrf, expiresAt: s.expiresAt))
            r.headers["Set-Cookie"] = AuthMiddleware.sessionCookie(s.secret, maxAge: Int(signIn.policy.absolute), request: req)
            r.headers["Cache-Control"] = "no-store"
            return r
        }
        t.onPublic(APIRoute(method: .post, path: "/auth/sign-out", operationID: "signOut", summary: "End this browser's session",
                            tag: tag, needs: .anyone, status: 204)) { req, ctx in
            if let secret = ctx.sessionSecret { try await signIn.signOut(secret) }
            var r = APIResponse.noContent
            r.headers["Set-Cookie"] = AuthMiddleware.sessionCookie("", maxAge: 0, request: req)
            return r
        }
        t.on(APIRoute(method: .post, path: "/auth/password", operationID: "changePassword",
                      summary: "Change your password (ends your other sessions)", tag: tag, needs: .member,
                      requestSchema: "PasswordInput", status: 204)) { req, ctx, scope in
            let i = try await APIBody.json(PasswordInput.self, req)
            try await signIn.changePassword(scope, current: i.current, new: i.new, keepSession: ctx.sessionSecret)
            return .noContent
        }
        t.onPublic(APIRoute(method: .post, path: "/auth/password-reset", operationID: "requestPasswordReset",
                            summary: "Ask for a reset link (the same answer whether or not the email is known)", tag: tag, needs: .anyone,
                            requestSchema: "ResetRequest", status: 202)) { req, _ in
            let i = try await APIBody.json(ResetRequest.self, req)
            // The link is mailed when the address is known and mail is set up (else `guanxi user reset-link`
            // issues it); the answer is alike for every address and comes before the mail is sent, so neither
            // its timing nor a mail server's refusal tells whether the address is known.
            let words = AccessCatalog.strings[UILocale.pick(cookie: nil, acceptLanguage: req.headers[.acceptLanguage])] ?? [:]
            let base = Pages.linkBase(req, publicURL: publicURL)
            let signIn = signIn, email = String(i.email.prefix(254))
            Task {
                _ = try? await signIn.mailResetLink(email: email, base: base) { link in
                    (words["reset_mail_subject"] ?? "", (words["reset_mail_body"] ?? "{link}").replacingOccurrences(of: "{link}", with: link))
                }
            }
            return APIResponse(status: .accepted, body: Data(#"{"status":"accepted"}"#.utf8), headers: [:])
        }
        t.onPublic(APIRoute(method: .post, path: "/auth/password-reset/confirm", operationID: "resetPassword",
                            summary: "Set a new password with a reset link's token (once, within an hour)", tag: tag, needs: .anyone,
                            requestSchema: "ResetInput", status: 204)) { req, _ in
            let i = try await APIBody.json(ResetInput.self, req)
            try await signIn.resetPassword(token: i.token, new: i.new)
            return .noContent
        }
        t.on(APIRoute(method: .post, path: "/auth/totp", operationID: "enrollTOTP", summary: "Start two-factor enrolment: a secret for your authenticator app",
                      tag: tag, needs: .member, responseSchema: "TOTPEnrolment")) { _, _, scope in
            let e = try await signIn.enrollTOTP(scope)
            return .json(Enrolment(secret: e.secret, uri: e.uri))
        }
        t.on(APIRoute(method: .post, path: "/auth/totp/confirm", operationID: "confirmTOTP",
                      summary: "Turn two-factor on with the code your app shows; answers ten single-use recovery codes",
                      tag: tag, needs: .member, requestSchema: "CodeInput", responseSchema: "RecoveryCodes")) { req, _, scope in
            .json(RecoveryCodes(recoveryCodes: try await signIn.confirmTOTP(scope, code: try await APIBody.json(CodeInput.self, req).code)))
        }
        t.on(APIRoute(method: .post, path: "/auth/totp/disable", operationID: "disableTOTP", summary: "Turn two-factor off (needs your password)",
                      tag: tag, needs: .member, requestSchema: "PasswordOnly", status: 204)) { req, _, scope in
            try await signIn.disableTOTP(scope, password: try await APIBody.json(PasswordOnly.self, req).password)
            return .noContent
        }
    }
}
