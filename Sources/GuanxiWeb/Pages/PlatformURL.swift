import Hummingbird

/// A page's address. Each capability lists its pages in an enum of its own, beside them; the same
/// value builds links (`path`) and, made with `:name` placeholders for its parts, registers the
/// route, so a link cannot point at a page that is not there and a new capability edits no shared list.
package protocol PageAddress: Sendable {
    /// The link for this page (`/customers/0190…`), or its router pattern when made with placeholders (`/customers/:id`).
    var path: String { get }
}

extension PageAddress {
    /// The router pattern, for an address made with `:name` placeholders.
    package var pattern: RouterPath { RouterPath(path) }
}

/// The pages every capability shares: home, sign-in and sign-out, the language switch, assets.
package enum PlatformURL: PageAddress, Equatable {
    case home, signIn, signOut, language
    case asset(String)
    /// The server's state for administrators, beside the settings, and the Prometheus metrics.
    case status, metrics

    /// Where a signed-in user lands, and where an unsafe `next` leads instead: the customer list.
    package static let start = "/customers"

    package var path: String {
        switch self {
        case .home: "/"
        case .signIn: "/sign-in"
        case .signOut: "/sign-out"
        case .language: "/language"
        case .asset(let name): "/assets/\(name)"
        case .status: "/settings/status"
        case .metrics: "/metrics"
        }
    }
}
