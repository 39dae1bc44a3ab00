/// ERP and logistics: an order's ship-to (as JSON: it is only ever read and sent with its order),
/// and stock levels per product and warehouse as an ERP reports them. A warehouse is its code,
/// known from the first level reported for it; `as_of` is when the warehouse counted, and a
/// report older than the stored one never replaces it.
package enum M022_Stock {
    package static let migration = Migration(version: 22, name: "stock") { _ in
        [
            "ALTER TABLE orders ADD COLUMN ship_to_json TEXT",
            """
            CREATE TABLE stock_levels (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), product_id TEXT NOT NULL, warehouse TEXT NOT NULL,
              on_hand BIGINT NOT NULL, reserved BIGINT NOT NULL, as_of BIGINT NOT NULL, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, product_id, warehouse))
            """,
        ]
    }
}
