import Foundation
import GuanxiCore

/// A chart drawn on the server as SVG: no script, no inline style (colours come from the
/// stylesheet's `chart-s0…` classes), so it passes the content security policy and prints. Every
/// chart is shown with its numbers as a table and offered as CSV (`table`, `csv`), so nothing is
/// only in the picture.
package struct Chart: Sendable {
    package enum Kind: Sendable {
        /// One horizontal bar per category and series (names of any length fit on a phone).
        case bars
        /// One horizontal bar per category, its series stacked.
        case stacked
        /// One line per series over the categories (days, weeks) left to right.
        case line
        /// A grid: one row per category, one cell per series, shaded by its value (the stylesheet's
        /// `chart-h0…chart-h5`, from the smallest to the largest value) with the value written in it
        /// (retention by cohort and month, customers by R and F score).
        case heatmap
    }
    package struct Series: Sendable {
        package var name: String
        package var values: [Double]
        package init(_ name: String, _ values: [Double]) { self.name = name; self.values = values }
    }

    package var title: String
    package var kind: Kind
    /// The category axis: department names, agents, days (a day or month as `YYYY-MM-DD`/`YYYY-MM`,
    /// which the CSV keeps, so a spreadsheet sorts it).
    package var categories: [String]
    /// How the categories read in the drawing and the page's table ("2026年1月", "Jan 2026"), when
    /// they are not words already.
    package var labels: [String]?
    package var series: [Series]
    /// How values are shown: decimals and a unit suffix ("h", "%").
    package var decimals = 0
    package var unit = ""
    /// The first table column's header (what the categories are).
    package var categoryHeader = ""
    /// The value axis reaches at least this (so near-zero values are not drawn as full bars).
    package var axisFloor = 1.0

    package init(title: String, kind: Kind, categories: [String], series: [Series], decimals: Int = 0, unit: String = "", categoryHeader: String = "") {
        self.title = title; self.kind = kind; self.categories = categories; self.series = series
        self.decimals = decimals; self.unit = unit; self.categoryHeader = categoryHeader
    }

    /// A value as the CSV keeps it: its decimals, no grouping.
    package func format(_ v: Double) -> String { String(format: "%.\(decimals)f", v) }

    /// A value as people read it in the drawing and the page's table: 1234567 → "1,234,567" (all
    /// three languages group by thousands with a comma).
    package func shown(_ v: Double) -> String {
        let s = format(v)
        let sign = s.hasPrefix("-") ? "-" : "", body = s.drop { $0 == "-" }
        let whole = body.prefix { $0 != "." }, rest = body.dropFirst(whole.count)
        var out = ""
        for (i, ch) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return sign + out + rest
    }

    /// The category at `i` as the page shows it.
    func label(_ i: Int) -> String { labels.flatMap { i < $0.count ? $0[i] : nil } ?? categories[i] }

    // MARK: Table and CSV

    /// The header row, then one row per category: the category, then each series' value, as the
    /// CSV keeps them.
    package var table: [[String]] { rows(label: { categories[$0] }, value: format) }

    /// The same as the page shows it (the categories' labels, values grouped).
    package var shownTable: [[String]] { rows(label: label, value: shown) }

    private func rows(label: (Int) -> String, value: (Double) -> String) -> [[String]] {
        [[categoryHeader] + series.map(\.name)] + categories.indices.map { i in
            [label(i)] + series.map { i < $0.values.count && $0.values[i].isFinite ? value($0.values[i]) : "" }
        }
    }

    /// The table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese).
    package var csv: Data { Self.csv(table) }

    /// A table (header row first, then a category and its values per row) as CSV: the category is
    /// text (neutralised when a spreadsheet would take it for a formula), the values are numbers.
    package static func csv(_ table: [[String]]) -> Data {
        CSVWriter.document(header: table.first ?? [], cells: table.dropFirst().map { row in
            row.enumerated().map { $0.offset == 0 ? .text($0.element) : .number($0.element) }
        }, bom: true)
    }

    // MARK: SVG

    /// The chart as an `<svg>` element sized by its view box (the stylesheet makes it as wide as its column).
    package var svg: String {
        switch kind {
        case .bars, .stacked: horizontalBars()
        case .line: lines()
        case .heatmap: grid()
        }
    }

    /// Round steps (1, 2, 5 × 10ⁿ) from 0 to at least `maximum`, about `count` of them.
    /// With `whole`, steps are whole numbers (counts).
    static func ticks(upTo maximum: Double, count: Int = 4, whole: Bool = false) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if whole { step = max(step.rounded(.up), 1) }
        return (0...Int((maximum / step).rounded(.up))).map { Double($0) * step }
    }

    /// The value axis for `maximum`: at least `axisFloor`, whole steps for whole-number charts.
    func axis(_ maximum: Double) -> [Double] { Self.ticks(upTo: max(maximum, axisFloor), whole: decimals == 0) }

    private var legend: String {
        guard series.count > 1 else { return "" }
        return "<g class=\"chart-legend\">" + series.enumerated().map { i, s in
            "<rect class=\"chart-s\(i % 6)\" x=\"\(8 + i * 140)\" y=\"6\" width=\"10\" height=\"10\"/>"
                + "<text x=\"\(22 + i * 140)\" y=\"15\">\(Self.escape(Self.clip(s.name, 9)))</text>"
        }.joined() + "</g>"
    }

    private func horizontalBars() -> String {
        let stacked = kind == .stacked
        let perRow = stacked ? 1 : max(series.count, 1)
        let barHeight = 14, rowGap = 10, labelWidth = 104, width = 420, top = series.count > 1 ? 28 : 8
        let rowHeight = perRow * barHeight + rowGap
        let height = top + categories.count * rowHeight + 24
        let plot = Double(width - labelWidth - 56)
        let totals = categories.indices.map { i in
            stacked ? series.reduce(0) { $0 + (i < $1.values.count ? max($1.values[i], 0) : 0) }
                    : series.map { i < $0.values.count ? $0.values[i] : 0 }.max() ?? 0
        }
        let scale = axis(totals.max() ?? 0)
        let top0 = scale.last ?? 1
        func x(_ v: Double) -> Double { Double(labelWidth) + plot * max(v, 0) / top0 }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(Self.escape(title))</title>" + legend
        for t in scale {
            out += "<line class=\"chart-grid\" x1=\"\(Self.n(x(t)))\" y1=\"\(top)\" x2=\"\(Self.n(x(t)))\" y2=\"\(height - 20)\"/>"
            out += "<text class=\"chart-tick\" x=\"\(Self.n(x(t)))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(Self.escape(shown(t)))</text>"
        }
        for (i, category) in categories.indices.map({ ($0, label($0)) }) {
            let y0 = top + i * rowHeight + rowGap / 2
            out += "<text class=\"chart-label\" x=\"\(labelWidth - 6)\" y=\"\(y0 + perRow * barHeight / 2 + 4)\" text-anchor=\"end\">\(Self.escape(Self.clip(category, 8)))</text>"
            var start = 0.0
            for (k, s) in series.enumerated() {
                let v = i < s.values.count ? s.values[i] : 0
                let y = stacked ? y0 : y0 + k * barHeight
                let (a, b) = stacked ? (x(start), x(start + max(v, 0))) : (x(0), x(v))
                out += "<rect class=\"chart-s\(k % 6)\" x=\"\(Self.n(a))\" y=\"\(y)\" width=\"\(Self.n(max(b - a, 0)))\" height=\"\(barHeight - 2)\">"
                    + "<title>\(Self.escape(category + " · " + s.name + ": " + shown(v) + unit))</title></rect>"
                if !stacked { out += "<text class=\"chart-value\" x=\"\(Self.n(b + 4))\" y=\"\(y + barHeight - 4)\">\(Self.escape(shown(v) + unit))</text>" }
                start += max(v, 0)
            }
            if stacked { out += "<text class=\"chart-value\" x=\"\(Self.n(x(start) + 4))\" y=\"\(y0 + barHeight - 4)\">\(Self.escape(shown(start) + unit))</text>" }
        }
        return out + "</svg>"
    }

    private func lines() -> String {
        let scale = axis(series.flatMap(\.values).max() ?? 0)
        // the value axis as wide as its longest label (about 7 units a digit at the chart's 12px): a
        // fixed 40 cut "300000" to "00000"
        let widest = scale.map { shown($0).count }.max() ?? 0
        let width = 420, height = 220, left = max(40, 10 + 7 * widest), right = 12, top = series.count > 1 ? 28 : 10, bottom = 36
        let plotW = Double(width - left - right), plotH = Double(height - top - bottom)
        let top0 = scale.last ?? 1
        let n = max(categories.count - 1, 1)
        func x(_ i: Int) -> Double { Double(left) + plotW * Double(i) / Double(n) }
        func y(_ v: Double) -> Double { Double(top) + plotH * (1 - max(v, 0) / top0) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(Self.escape(title))</title>" + legend
        for t in scale {
            out += "<line class=\"chart-grid\" x1=\"\(left)\" y1=\"\(Self.n(y(t)))\" x2=\"\(width - right)\" y2=\"\(Self.n(y(t)))\"/>"
            out += "<text class=\"chart-tick\" x=\"\(left - 4)\" y=\"\(Self.n(y(t) + 4))\" text-anchor=\"end\">\(Self.escape(shown(t)))</text>"
        }
        // about four category labels (the first, the last and evenly between), none running into
        // another: the first and last lean inwards, so one between keeps a label and a half clear of them
        let last = categories.count - 1, every = max(1, Int((Double(last) / 3).rounded(.up)))
        let clear = 1.5 * 7 * Double(min(categories.indices.map { label($0).count }.max() ?? 0, 10))
        for (i, c) in categories.indices.map({ ($0, label($0)) }) where i == 0 || i == last || (i % every == 0 && x(i) - x(0) >= clear && x(last) - x(i) >= clear) {
            // the first and last labels lean inwards so they stay inside the drawing
            let anchor = i == 0 ? "start" : i == categories.count - 1 ? "end" : "middle"
            out += "<text class=\"chart-tick\" x=\"\(Self.n(x(i)))\" y=\"\(height - bottom + 16)\" text-anchor=\"\(anchor)\">\(Self.escape(Self.clip(c, 10)))</text>"
        }
        for (k, s) in series.enumerated() {
            let points = s.values.prefix(categories.count).enumerated().map { "\(Self.n(x($0.offset))),\(Self.n(y($0.element)))" }.joined(separator: " ")
            out += "<polyline class=\"chart-line chart-s\(k % 6)\" points=\"\(points)\"/>"
            for (i, v) in s.values.prefix(categories.count).enumerated() {
                out += "<circle class=\"chart-s\(k % 6)\" cx=\"\(Self.n(x(i)))\" cy=\"\(Self.n(y(v)))\" r=\"2.5\"><title>\(Self.escape(label(i) + " · " + s.name + ": " + shown(v) + unit))</title></circle>"
            }
        }
        return out + "</svg>"
    }

    private func grid() -> String {
        let width = 420, labelWidth = 72, top = 22, rowHeight = 22
        let columns = max(series.count, 1)
        let cell = Double(width - labelWidth - 4) / Double(columns)
        let height = top + categories.count * rowHeight + 4
        let values = series.flatMap { $0.values.prefix(categories.count) }.filter(\.isFinite)
        let low = values.min() ?? 0, high = values.max() ?? 0
        func shade(_ v: Double) -> Int { high > low ? min(5, Int(((v - low) / (high - low) * 5).rounded())) : 0 }
        var out = "<svg class=\"chart chart-grid-map\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(Self.escape(title))</title>"
        // the columns' names over the grid, as many as fit
        let every = max(1, Int((34 / cell).rounded(.up)))
        for (k, s) in series.enumerated() where k % every == 0 {
            out += "<text class=\"chart-tick\" x=\"\(Self.n(Double(labelWidth) + cell * (Double(k) + 0.5)))\" y=\"14\" text-anchor=\"middle\">\(Self.escape(Self.clip(s.name, 6)))</text>"
        }
        let writeValues = cell >= 26
        for (i, category) in categories.indices.map({ ($0, label($0)) }) {
            let y = top + i * rowHeight
            out += "<text class=\"chart-label\" x=\"\(labelWidth - 6)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\">\(Self.escape(Self.clip(category, 9)))</text>"
            for (k, s) in series.enumerated() {
                guard i < s.values.count, s.values[i].isFinite else { continue }
                let v = s.values[i], x = Double(labelWidth) + cell * Double(k)
                out += "<rect class=\"chart-h\(shade(v))\" x=\"\(Self.n(x + 1))\" y=\"\(y + 1)\" width=\"\(Self.n(max(cell - 2, 1)))\" height=\"\(rowHeight - 2)\">"
                    + "<title>\(Self.escape(category + " · " + s.name + ": " + shown(v) + unit))</title></rect>"
                if writeValues {
                    out += "<text class=\"chart-cell chart-c\(shade(v))\" x=\"\(Self.n(x + cell / 2))\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\">\(Self.escape(shown(v)))</text>"
                }
            }
        }
        return out + "</svg>"
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    static func clip(_ s: String, _ max: Int) -> String { s.count <= max ? s : String(s.prefix(max - 1)) + "…" }

    /// Text as SVG (XML) content or attribute value.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // characters XML 1.0 cannot carry
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
