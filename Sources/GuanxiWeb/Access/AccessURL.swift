import GuanxiWebPlatform
/// The public pool's, handover's, invitation's and set-password pages' addresses (see `PageAddress`).
package enum AccessURL: PageAddress, Equatable {
    case pool, poolClaim, poolRelease
    case handover(String), invite
    case passwordReset, passwordResetConfirm

    package var path: String {
        switch self {
        case .pool: "/pool"
        case .poolClaim: "/pool/claim"
        case .poolRelease: "/pool/release"
        case .handover(let userID): "/settings/handover/\(userID)"
        case .invite: "/settings/invite"
        case .passwordReset: "/password-reset"
        case .passwordResetConfirm: "/password-reset/confirm"
        }
    }
}
