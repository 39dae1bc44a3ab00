import GuanxiWebPlatform

/// The customer portal's addresses, all under `/portal` (its own cookie's path): sign-in (the
/// email form, the code, the mailed link and its confirmation), the visitor's orders, quotes,
/// service requests and details, their forms, and the small JSON API beside them.
package enum PortalURL: PageAddress, Equatable {
    case home, signIn, code, link, signOut
    case orders, order(String)
    case quotes, quote(String), quoteAction(String, String)
    case requests, newRequest, request(String), requestAction(String, String), attachment(String, String)
    case details
    /// The knowledge base: the list and search, an article; the suggestions' script.
    case kb, article(String), script
    /// The JSON API (`/portal/api/…`).
    case api(String)

    package var path: String {
        switch self {
        case .home: "/portal"
        case .signIn: "/portal/sign-in"
        case .code: "/portal/sign-in/code"
        case .link: "/portal/sign-in/link"
        case .signOut: "/portal/sign-out"
        case .orders: "/portal/orders"
        case .order(let id): "/portal/orders/\(id)"
        case .quotes: "/portal/quotes"
        case .quote(let id): "/portal/quotes/\(id)"
        case .quoteAction(let id, let action): "/portal/quotes/\(id)/\(action)"
        case .requests: "/portal/requests"
        case .newRequest: "/portal/requests/new"
        case .request(let id): "/portal/requests/\(id)"
        case .requestAction(let id, let action): "/portal/requests/\(id)/\(action)"
        case .attachment(let id, let file): "/portal/requests/\(id)/attachments/\(file)"
        case .details: "/portal/details"
        case .kb: "/portal/kb"
        case .article(let id): "/portal/kb/\(id)"
        case .script: "/portal/assets/portal.js"
        case .api(let rest): "/portal/api/\(rest)"
        }
    }
}
