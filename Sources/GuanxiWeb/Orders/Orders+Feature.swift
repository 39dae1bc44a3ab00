import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// From quote to cash: products and price lists, quotes, orders with payments, collection
    /// plans, shipments, delivery, confirmation, cancellation and returns.
    package static let orders: Feature = {
        var f = Feature(name: "Orders")
        f.migrations = [M005_Orders.migration, M022_Stock.migration]
        f.permissions = [.orders]
        f.catalog = CatalogPart(SalesCatalog.strings)
        f.translations = SalesCatalog.translations
        f.templates = OrderTemplates.all
        f.stylesheet = OrderTemplates.css
        f.navigation = [NavItem(label: "orders", href: OrderURL.orders.path, position: 40), NavItem(label: "quotes", href: OrderURL.quotes.path, position: 45)]
        f.schemas = { OpenAPIDocument.orderSchemas() }
        f.api = { s, table in OrderAPI(products: s.products, quotes: s.quotes, orders: s.orders, stock: s.stock).register(table) }
        f.customerPart = { pages, scope, id, v in try await OrderPages.customerPart(pages, scope, customerID: id, v) }
        f.recordPages = ["orders": { OrderURL.order($0).path }, "quotes": { OrderURL.quote($0).path }]
        f.searchPart = { pages, scope, q, v in try await OrderPages.searchPart(pages, scope, q, v) }
        f.pages = { pages, table in table.add(OrderPages(pages: pages).routes) }
        f.matrix = OrderMatrix.samples
        f.matrixFixture = OrderMatrix.fixture
        return f
    }()
}
