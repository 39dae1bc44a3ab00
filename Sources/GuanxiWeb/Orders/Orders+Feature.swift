import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// From quote to cash: products and price lists, quotes, orders with payments, collection
    /// plans, shipments, delivery, confirmation, cancellation and returns.
    package static let orders: Feature = {
        var f = Feature(name: "Orders")
        f.migrations = [M005_Orders.migration, M022_Stock.migration]
        f.permissions = [.orders, .credit]
        f.catalog = CatalogPart(SalesCatalog.strings.merging(CreditPages.strings) { a, b in a.merging(b) { x, _ in x } })
        f.translations = SalesCatalog.translations + CreditPages.translations
        f.templates = OrderTemplates.all.merging(CreditPages.templates) { a, _ in a }
        f.stylesheet = OrderTemplates.css
        f.navigation = [NavItem(label: "orders", href: OrderURL.orders.path, position: 40), NavItem(label: "quotes", href: OrderURL.quotes.path, position: 45),
                        NavItem(label: "credit", href: CreditURL.report.path, position: 47, reads: .credit)]
        f.schemas = { OpenAPIDocument.orderSchemas().merging(OpenAPIDocument.creditSchemas()) { a, _ in a } }
        f.api = { s, table in
            OrderAPI(products: s.products, quotes: s.quotes, orders: s.orders, stock: s.stock).register(table)
            CreditAPI(credit: s.credit).register(table)
            OrderExportAPI(exports: s.exports).register(table)
        }
        f.dashboard = { pages, scope, v in try await OrderDashboardPart.blocks(pages, scope, v) }
        f.customerPart = { pages, scope, id, v in
            try await OrderPages.customerPart(pages, scope, customerID: id, v).merging(try await CreditPages.customerPart(pages, scope, customerID: id, v)) { a, _ in a }
        }
        f.pages = { pages, table in table.add(OrderPages(pages: pages).routes + CreditPages(pages: pages).routes) }
        f.recordPages = ["orders": { OrderURL.order($0).path }, "quotes": { OrderURL.quote($0).path }]
        f.searchPart = { pages, scope, q, v in try await OrderPages.searchPart(pages, scope, q, v) }
        f.matrix = OrderMatrix.samples
        f.matrixFixture = OrderMatrix.fixture
        return f
    }()
}
