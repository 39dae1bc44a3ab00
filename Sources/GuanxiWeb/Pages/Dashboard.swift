import Foundation
import Hummingbird
import GuanxiCore
import GuanxiStore

/// One block of the dashboard at `/`: a capability's figures for the viewer (what their role may
/// read), each block saying the period it covers. Blocks of the same `id` from several capabilities
/// show as one (the key figures: response time from the service desk, orders per customer and
/// repurchase rate from the orders, satisfaction from the surveys), their tiles side by side.
package struct DashboardBlock: Sendable {
    package var id: String
    /// Blocks are shown in this order, whichever capability brings them.
    package var position: Int
    package var title: String
    /// What the figures cover ("this month", "the last 30 days"); a tile may say its own.
    package var period: String
    package var tiles: [DashboardTile]
    package var rows: [DashboardRow]
    /// A link to the page with the figures behind the block.
    package var href: String?
    package init(id: String, position: Int, title: String, period: String, tiles: [DashboardTile] = [], rows: [DashboardRow] = [], href: String? = nil) {
        self.id = id; self.position = position; self.title = title; self.period = period; self.tiles = tiles; self.rows = rows; self.href = href
    }
}

package struct DashboardTile: Sendable {
    package var label: String
    package var value: String
    /// The tile's own period, when it differs from its block's.
    package var period: String?
    package init(_ label: String, _ value: String, period: String? = nil) { self.label = label; self.value = value; self.period = period }
}

/// A line of a block's list (a customer at risk and their value).
package struct DashboardRow: Sendable {
    package var label: String
    package var value: String
    package var href: String?
    package init(_ label: String, _ value: String, href: String? = nil) { self.label = label; self.value = value; self.href = href }
}

/// A capability's dashboard blocks for a viewer: (pages, the viewer's scope, the visit).
package typealias DashboardPart = @Sendable (Pages, Scope, PageContext) async throws -> [DashboardBlock]

extension Pages {
    /// The dashboard: every capability's blocks for this viewer, those of one id joined, in order.
    func dashboardPage(_ v: PageContext, _ scope: Scope) async throws -> Response {
        var blocks: [DashboardBlock] = []
        for part in dashboardParts {
            for b in try await part(self, scope, v) {
                if let i = blocks.firstIndex(where: { $0.id == b.id }) {
                    blocks[i].tiles += b.tiles; blocks[i].rows += b.rows
                    blocks[i].position = min(blocks[i].position, b.position)
                } else {
                    blocks.append(b)
                }
            }
        }
        blocks = blocks.filter { !$0.tiles.isEmpty || !$0.rows.isEmpty }.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
        let model: [String: Any] = [
            "blocks": blocks.map { b in
                Self.model(["id": b.id, "title": b.title, "period": b.period, "href": b.href,
                            // a tile's own period, never its block's (a section would fall back to it)
                            "tiles": b.tiles.map { ["label": $0.label, "value": $0.value, "hasTilePeriod": $0.period != nil, "tilePeriod": $0.period ?? ""] as [String: Any] },
                            "rows": b.rows.map { ["label": $0.label, "value": $0.value, "hasRowHref": $0.href != nil, "rowHref": $0.href ?? ""] as [String: Any] },
                            "hasRows": !b.rows.isEmpty])
            },
            "hasBlocks": !blocks.isEmpty, "customersHref": PlatformURL.start,
        ]
        return page("dashboard", model, title: v.text("dashboard"), visit: v)
    }

    static let dashboardTemplate = """
    <section class="dashboard">
      <h1>{{t.dashboard}}</h1>
      {{^hasBlocks}}<p class="empty">{{t.dashboard_empty}} <a href="{{customersHref}}">{{t.customers}}</a></p>{{/hasBlocks}}
      <div class="dash-grid">
      {{#blocks}}<section class="card dash-block" id="dash-{{id}}">
        <h2>{{#href}}<a href="{{href}}">{{title}}</a>{{/href}}{{^href}}{{title}}{{/href}}</h2>
        <p class="meta">{{period}}</p>
        <dl class="kpis">{{#tiles}}<div><dt>{{label}}</dt><dd>{{value}}</dd>{{#hasTilePeriod}}<dd class="meta">{{tilePeriod}}</dd>{{/hasTilePeriod}}</div>{{/tiles}}</dl>
        {{#hasRows}}<table class="list"><tbody>{{#rows}}<tr><td>{{#hasRowHref}}<a href="{{rowHref}}">{{label}}</a>{{/hasRowHref}}{{^hasRowHref}}{{label}}{{/hasRowHref}}</td><td class="num">{{value}}</td></tr>{{/rows}}</tbody></table>{{/hasRows}}
      </section>{{/blocks}}
      </div>
    </section>
    """

    static let dashboardCSS = """
    .dash-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1rem}
    .dash-block h2{margin:0;font-size:1.05rem}
    .dash-block .kpis{margin:.5rem 0}
    .dash-block .kpis dd.meta{font-size:.75rem;font-weight:400;color:var(--muted)}
    .dash-block td.num{text-align:right;white-space:nowrap}
    .dash-block td{overflow-wrap:anywhere}
    """
}
