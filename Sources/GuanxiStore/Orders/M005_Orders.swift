/// Sales, third part: products and price lists, quotes (inquiries and their revisions), and orders
/// with their payments, collection plans (回款计划), shipments and returns. Money is integer minor
/// units everywhere; a quote's lines live with it as JSON (they are only ever read with it), an
/// order's lines have their own rows (analytics and cross-sell read them by product).
package enum M005_Orders {
    package static let migration = Migration(version: 5, name: "orders") { _ in
        [
            """
            CREATE TABLE products (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), sku TEXT NOT NULL, name TEXT NOT NULL, unit TEXT,
              tax_bp BIGINT NOT NULL, active BIGINT NOT NULL, version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX products_sku ON products (workspace_id, sku)",
            """
            CREATE TABLE price_lists (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, currency TEXT NOT NULL,
              is_default BIGINT NOT NULL, active BIGINT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX price_lists_workspace ON price_lists (workspace_id, created_at)",
            """
            CREATE TABLE product_prices (
              workspace_id TEXT NOT NULL, price_list_id TEXT NOT NULL, product_id TEXT NOT NULL, unit_price BIGINT NOT NULL,
              PRIMARY KEY (product_id, price_list_id))
            """,
            // Document numbers per workspace, kind and year, taken with UPDATE … RETURNING in the writer's transaction.
            """
            CREATE TABLE doc_counters (
              workspace_id TEXT NOT NULL, kind TEXT NOT NULL, year BIGINT NOT NULL, next BIGINT NOT NULL, PRIMARY KEY (workspace_id, kind, year))
            """,
            """
            CREATE TABLE quotes (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), number TEXT NOT NULL, revision BIGINT NOT NULL,
              previous_id TEXT, status TEXT NOT NULL, customer_id TEXT NOT NULL, deal_id TEXT, owner_id TEXT, price_list_id TEXT,
              title TEXT NOT NULL, valid_until TEXT, currency TEXT NOT NULL, lines_json TEXT NOT NULL, gross BIGINT NOT NULL,
              discount BIGINT NOT NULL, net BIGINT NOT NULL, tax BIGINT NOT NULL, total BIGINT NOT NULL, message TEXT, terms TEXT,
              reason TEXT, order_id TEXT, sent_at BIGINT, version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX quotes_number ON quotes (workspace_id, number, revision)",
            "CREATE INDEX quotes_created ON quotes (workspace_id, created_at, id)",
            "CREATE INDEX quotes_customer ON quotes (workspace_id, customer_id)",
            "CREATE INDEX quotes_deal ON quotes (workspace_id, deal_id)",
            "CREATE INDEX quotes_owner ON quotes (workspace_id, owner_id, status)",
            """
            CREATE TABLE orders (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), number TEXT NOT NULL, source TEXT NOT NULL,
              external_id TEXT, status TEXT NOT NULL, customer_id TEXT NOT NULL, owner_id TEXT, quote_id TEXT, deal_id TEXT,
              currency TEXT NOT NULL, gross BIGINT NOT NULL, discount BIGINT NOT NULL, net BIGINT NOT NULL, tax BIGINT NOT NULL,
              total BIGINT NOT NULL, paid BIGINT NOT NULL, refunded BIGINT NOT NULL, has_plan BIGINT NOT NULL, note TEXT, cancel_reason TEXT,
              placed_at BIGINT NOT NULL, paid_at BIGINT, shipped_at BIGINT, delivered_at BIGINT, confirmed_at BIGINT, closed_at BIGINT,
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            // a shop or ERP pushes the same order again: found by its own id, never doubled
            "CREATE UNIQUE INDEX orders_external ON orders (workspace_id, source, external_id)",
            "CREATE INDEX orders_placed ON orders (workspace_id, placed_at, id)",
            "CREATE INDEX orders_status ON orders (workspace_id, status, placed_at)",
            "CREATE INDEX orders_customer ON orders (workspace_id, customer_id, placed_at)",
            "CREATE INDEX orders_owner ON orders (workspace_id, owner_id, placed_at)",
            """
            CREATE TABLE order_lines (
              workspace_id TEXT NOT NULL, order_id TEXT NOT NULL, line_id TEXT NOT NULL, position BIGINT NOT NULL, product_id TEXT, sku TEXT,
              name TEXT NOT NULL, unit TEXT, quantity BIGINT NOT NULL, unit_price BIGINT NOT NULL, discount_bp BIGINT NOT NULL,
              tax_bp BIGINT NOT NULL, gross BIGINT NOT NULL, discount BIGINT NOT NULL, net BIGINT NOT NULL, tax BIGINT NOT NULL,
              total BIGINT NOT NULL, shipped BIGINT NOT NULL, returned BIGINT NOT NULL, PRIMARY KEY (order_id, position))
            """,
            "CREATE INDEX order_lines_product ON order_lines (workspace_id, product_id)",
            """
            CREATE TABLE order_payments (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, order_id TEXT NOT NULL, kind TEXT NOT NULL, amount BIGINT NOT NULL,
              method TEXT, reference TEXT, note TEXT, paid_at BIGINT NOT NULL, created_by TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX order_payments_order ON order_payments (order_id, paid_at)",
            "CREATE INDEX order_payments_paid ON order_payments (workspace_id, paid_at)",
            """
            CREATE TABLE order_plans (
              workspace_id TEXT NOT NULL, order_id TEXT NOT NULL, seq BIGINT NOT NULL, due_date TEXT NOT NULL, amount BIGINT NOT NULL,
              PRIMARY KEY (order_id, seq))
            """,
            "CREATE INDEX order_plans_due ON order_plans (workspace_id, due_date)",
            """
            CREATE TABLE shipments (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, order_id TEXT NOT NULL, carrier TEXT NOT NULL, tracking_number TEXT,
              lines_json TEXT NOT NULL, shipped_at BIGINT NOT NULL, delivered_at BIGINT, created_by TEXT)
            """,
            "CREATE INDEX shipments_order ON shipments (order_id, shipped_at)",
            "CREATE INDEX shipments_tracking ON shipments (workspace_id, tracking_number)",
        ]
    }
}
