import GuanxiWebPlatform
/// The order, quote and product pages' addresses (see `PageAddress`).
package enum OrderURL: PageAddress, Equatable {
    case orders, newOrder, order(String), orderAction(String, String)
    case quotes, newQuote, quote(String), quoteAction(String, String)
    case products, productAction(String)

    package var path: String {
        switch self {
        case .orders: "/orders"
        case .newOrder: "/orders/new"
        case .order(let id): "/orders/\(id)"
        case .orderAction(let id, let action): "/orders/\(id)/\(action)"
        case .quotes: "/quotes"
        case .newQuote: "/quotes/new"
        case .quote(let id): "/quotes/\(id)"
        case .quoteAction(let id, let action): "/quotes/\(id)/\(action)"
        case .products: "/products"
        case .productAction(let action): "/products/\(action)"
        }
    }
}
