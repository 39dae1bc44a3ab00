import Foundation
import Hummingbird

/// What every list page (customers, leads, deals, orders) does the same way: its sort (one of the
/// keys its table is indexed on, either way, "-" first for newest or Z first), its place (after
/// `cursor`, or before `before` for the previous page), links that keep its filters, the sortable
/// column headers (a link that sorts by the column, again the other way; `aria-sort` on the
/// sorted one), the pager both ways, and the count line ("共 1,234 条线索", "more than 10,000 …").
/// The templates' side is the `sort_header` and `list_pager` partials.
package struct ListView {
    let path: String
    /// The list's filters, kept in every link it makes (nil: not set).
    let filters: [(String, String?)]
    let defaultSort: String
    package let sort: String
    package let cursor: String?
    package let before: String?
    /// A search answers one page of best matches: it neither sorts nor pages.
    let searching: Bool

    /// The page's query, as a form's GET sends it (a space as "+", which URLComponents keeps).
    package static func params(_ req: Request) -> [URLQueryItem] {
        URLComponents(string: "?" + (req.uri.query ?? "").replacingOccurrences(of: "+", with: "%20"))?.queryItems ?? []
    }

    package static func param(_ params: [URLQueryItem], _ name: String) -> String? {
        params.first { $0.name == name }?.value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `sorts` are the sort values the list takes; anything else is the default.
    package init(path: String, params: [URLQueryItem], filters: [(String, String?)], sorts: Set<String>, defaultSort: String, searching: Bool = false) {
        self.path = path; self.filters = filters; self.defaultSort = defaultSort; self.searching = searching
        sort = Self.param(params, "sort").flatMap { sorts.contains($0) ? $0 : nil } ?? defaultSort
        before = Self.param(params, "before")
        cursor = before == nil ? Self.param(params, "cursor") : nil
    }

    package var descending: Bool { sort.hasPrefix("-") }
    package var sortKey: String { String(sort.drop { $0 == "-" }) }

    /// The list with its filters and sort, and `extra` (a cursor).
    package func href(_ extra: [(String, String?)] = []) -> String {
        var comps = URLComponents(); comps.path = path
        let items = (filters + [("sort", sort == defaultSort ? nil : sort)] + extra).compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        comps.queryItems = items.isEmpty ? nil : items
        return comps.string ?? path
    }

    /// A sortable column's header model (for the `sort_header` partial).
    package func header(_ key: String, _ label: String, firstDescending: Bool) -> [String: Any] {
        let current = sortKey == key && !searching
        let nextSort = current ? (descending ? key : "-" + key) : (firstDescending ? "-" + key : key)
        var comps = URLComponents(); comps.path = path
        comps.queryItems = (filters + [("sort", nextSort)]).compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        return ["label": label, "href": searching ? "" : (comps.string ?? path), "sortable": !searching,
                "ariaSort": current ? (descending ? "descending" : "ascending") : "none", "arrow": current ? (descending ? "↓" : "↑") : "", "current": current]
    }

    /// On a phone the headers are hidden (a card per row) or folded away: the same sorts as a line of
    /// links above the list (for the `sort_choices` partial); nil while searching, which does not sort.
    package func choices(_ headers: [[String: Any]]) -> [String: Any]? {
        searching || headers.isEmpty ? nil : ["choices": headers]
    }

    /// The pager's model (for the `list_pager` partial) from the window's cursors.
    package func pager(next: String?, previous: String?) -> [String: Any] {
        Pages.model(["next": next.map { href([("cursor", $0)]) }, "previous": previous.map { href([("before", $0)]) },
                     "hasPaging": next != nil || previous != nil])
    }

    /// "共 {n} 条线索" with `key`, or "超过 {n} 条线索" with `key + "_more"` when the count stopped at its cap.
    package static func count(_ v: PageContext, _ key: String, _ n: Int, exact: Bool) -> String {
        v.text(exact ? key : key + "_more").replacingOccurrences(of: "{n}", with: v.fmt.number(n))
    }

    /// The partials every list's template includes.
    package static let templates: [String: String] = [
        "sort_header": """
        <th scope="col"{{#wide}} class="wide"{{/wide}} aria-sort="{{ariaSort}}">{{#sortable}}<a href="{{href}}">{{label}} <span aria-hidden="true">{{arrow}}</span></a>{{/sortable}}{{^sortable}}{{label}}{{/sortable}}</th>
        """,
        "sort_choices": """
        <p class="sort-choices"><span>{{t.sort_by}}</span>{{#choices}} <a href="{{href}}"{{#current}} aria-current="true"{{/current}}>{{label}}<span aria-hidden="true">{{arrow}}</span></a>{{/choices}}</p>
        """,
        "list_pager": """
        {{#hasPaging}}<nav class="pager" aria-label="{{t.pages}}">{{#previous}}<a class="button" href="{{previous}}" rel="prev">{{t.previous_page}}</a>{{/previous}} {{#next}}<a class="button" href="{{next}}" rel="next">{{t.next_page}}</a>{{/next}}</nav>{{/hasPaging}}
        """,
    ]
}
