import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

/// Collects an XML document's text and attribute values (a parse error is kept).
final class SVGText: NSObject, XMLParserDelegate {
    var text = "", elements: [String] = [], error: (any Error)?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
        text += " " + attributes.values.joined(separator: " ")
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, parseErrorOccurred e: any Error) { error = e }

    static func parse(_ svg: String) -> SVGText {
        let t = SVGText()
        let p = XMLParser(data: Data(svg.utf8))
        p.delegate = t
        if !p.parse(), t.error == nil { t.error = p.parserError ?? CocoaError(.coderReadCorrupt) }
        return t
    }
}

@Suite("Insights charts: SVG drawn on the server with its table and CSV, on SQLite and PostgreSQL")
struct InsightsChartTests {
    @Test func everyKindParsesAsXMLAndHoldsItsTablesNumbers() {
        let nasty = "<b>&\"'客户🍵\u{1}"
        let heat: [Chart.Series] = (0..<12).map { (m: Int) -> Chart.Series in
            let second: Double = m < 6 ? Double(90 - m) : Double.nan
            return Chart.Series("M\(m)", [Double(100 - m * 7), second])
        }
        let charts: [Chart] = [
            Chart(title: nasty, kind: .bars, categories: ["甲", nasty], series: [.init("数", [3, 12.5])], decimals: 1),
            Chart(title: "堆叠", kind: .stacked, categories: ["a", "b"], series: [.init("低", [1, 2]), .init("高", [7, 0])]),
            Chart(title: "线", kind: .line, categories: ["2026-01", "2026-02", "2026-03"], series: [.init("收入", [120.5, 0, 99])], decimals: 1),
            Chart(title: "格", kind: .heatmap, categories: ["2026-01", "2026-02"], series: heat, unit: "%"),
        ]
        for c in charts {
            let parsed = SVGText.parse(c.svg)
            let kind = String(describing: c.kind)
            #expect(parsed.error == nil, "\(kind): \(String(describing: parsed.error))")
            #expect(parsed.elements.first == "svg" && !c.svg.contains("style=") && !c.svg.contains("<script"))
            for row in c.table.dropFirst() {
                for cell in row.dropFirst() where !cell.isEmpty {
                    let found: Bool = parsed.text.contains(cell)
                    #expect(found, "\(kind) lacks \(cell)")
                }
            }
        }
        // a missing heatmap cell is no number in the table (nor "nan")
        #expect(charts[3].table[2].last == "" && !charts[3].csv.isEmpty && !String(decoding: charts[3].csv, as: UTF8.self).contains("nan"))
        // the rules the figures follow
        #expect(Figures.ageingBucket(days: 0) == 0 && Figures.ageingBucket(days: 30) == 0 && Figures.ageingBucket(days: 31) == 1 && Figures.ageingBucket(days: 91) == 3)
        #expect(Figures.bands(upTo: 0) == [0] && Figures.bands(upTo: 1_234_500) == [0, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000])
        #expect(Figures.band(60_000, edges: [0, 20_000, 50_000]) == 2 && Figures.band(-5, edges: [0, 1]) == 0)
        #expect(Figures.paretoCurve([50, 30, 20]) == [50, 80, 100] && Figures.paretoCurve([0, 0]) == [0, 0])
    }

    @Test(arguments: Backend.all) func theInsightsPageDrawsEveryChartFromTheCRMsData(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            // a year of order history ending this month, an unpaid order and a deal
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let f = DateFormatter()
            f.calendar = cal; f.timeZone = cal.timeZone; f.dateFormat = "yyyy-MM-dd"; f.locale = Locale(identifier: "en_US_POSIX")
            var csv = "customer_external_id,placed_at,amount,product\n"
            for c in 0..<40 {
                for k in 0...(c % 6) {
                    let day = cal.date(byAdding: .day, value: -(3 + ((c * 37 + k * 53) % 330)), to: Date())!
                    csv += "老客户-\(c),\(f.string(from: day)),\(50 + c * 11 + k * 3).00,\(["绿茶", "红茶", "乌龙"][(c + k) % 3])\n"
                }
            }
            let imported = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
            #expect(imported.rejected == 0)
            let buyer = try await env.services.customers.create(admin, { var d = CustomerDraft(); d.kind = .person; d.name = "欠款客户"; return d }())
            var order = OrderDraft(); order.customerID = buyer.id
            order.lines = [LineDraft(name: "茶具", quantity: 2, unitPrice: 25_000, discount: Percent(basisPoints: 0), taxRate: Percent(basisPoints: 0))]
            _ = try await env.services.orders.create(admin, order)
            _ = try await env.services.deals.create(admin, { var d = DealDraft(); d.name = "年框 🍵"; d.customerID = buyer.id; return d }())
            let run = try await env.services.scores.run(admin, asOf: nil, period: "week")
            #expect(run.status == "done" && run.customers == 40)
            // the run keeps its model check and cohorts
            guard case .object(let p)? = run.parameters, case .object(let calibration)? = p["calibration"], case .array(let cohorts)? = p["cohorts"] else {
                Issue.record("no model check: \(String(describing: run.parameters))"); return
            }
            #expect(calibration["rows"] != nil && !cohorts.isEmpty)

            let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2Finsights".utf8),
                                            contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/insights", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok)
            let ids = ["revenue", "orders", "pareto", "rfm", "clv", "churn", "cohorts", "calibration", "funnel", "ageing"]
            for id in ids {
                // each chart: its SVG parses as XML and holds every number of its table, and its CSV is the same table
                let start = try #require(page.text.range(of: "id=\"chart-\(id)\""), "no \(id) chart")
                let end = try #require(page.text.range(of: "</figure>", range: start.upperBound..<page.text.endIndex))
                let html = String(page.text[start.lowerBound..<end.upperBound])
                let svg = try #require(html.firstMatch(of: /<svg[\s\S]*<\/svg>/).map { String($0.output) })
                let parsed = SVGText.parse(svg)
                #expect(parsed.error == nil, "\(id): \(String(describing: parsed.error))")
                let cells = html.matches(of: /<td>([^<]*)<\/td>/).map { String($0.output.1) }
                #expect(!cells.isEmpty, "\(id) has no table")
                let csv = try await env.send(.get, "/insights/charts/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
                #expect(csv.status == .ok && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
                let csvCells = Set(csv.text.split(whereSeparator: { $0 == "," || $0.isNewline }).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}")) })
                for (i, cell) in cells.enumerated() where !cell.isEmpty && Double(cell) != nil {
                    #expect(parsed.text.contains(cell), "\(id): the SVG lacks \(cell) (cell \(i))")
                    #expect(csvCells.contains(cell), "\(id): the CSV lacks \(cell)")
                }
            }
            // the figures agree with the data: 40 customers in the RFM grid, the Pareto curve ends at 100 %,
            // the unpaid order is owed in the newest bucket, the deal is in the funnel
            let figures = try await env.services.scores.figures(admin)
            #expect(figures.rfmGrid.joined().reduce(0, +) == 40 && figures.pareto.last.map { abs($0 - 100) < 1e-9 } == true)
            #expect(try await env.services.orders.dashboard(admin).owed == [50_000, 0, 0, 0] && figures.funnel?.map(\.deals).reduce(0, +) == 1)
            #expect(figures.months?.count == 12 && figures.months?.map(\.orders).reduce(0, +) ?? 0 >= 40)
            // roles without analytics see no charts, not even their CSV; another workspace's charts hold none of A's figures
            let viewerSigned = try await env.send(.post, "/sign-in", as: .none, body: Data("email=viewer-a%40example.com&password=password-read_only&next=%2Finsights".utf8),
                                                  contentType: "application/x-www-form-urlencoded")
            let viewer = try #require(viewerSigned.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            for path in ["/insights", "/insights/charts/pareto"] {
                let refused = try await env.send(.get, path, as: .none, headers: ["Cookie": viewer])
                // (no chart figure: a bare "R5" may turn up in the page's random session token)
                #expect(refused.status == .forbidden && !refused.text.contains("<svg") && !refused.text.contains("id=\"chart-"), "\(path): \(refused.status)")
            }
            #expect(try await env.send(.get, "/insights/charts/nothing", as: .none, headers: ["Cookie": cookie]).status == .notFound)
            let other = try await env.services.scores.figures(Scope(workspaceID: env.workspaceB.id, userID: nil, role: .admin))
            #expect(other.rfmGrid.joined().reduce(0, +) == 0 && other.months?.map(\.orders).reduce(0, +) == 0)
        }
    }

    @Test(arguments: Backend.all) func aRunLeftRunningByAStoppedServerIsMarkedFailed(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            let started = try await env.services.scores.start(admin, asOf: "2026-06-30", period: "week")
            #expect(try await env.services.scores.run(admin, id: started.id).status == "running")
            try await Task.sleep(for: .milliseconds(5))
            // on SQLite one server owns the file: every running run is interrupted; a server database waits an hour
            let n = try await env.services.scores.failInterrupted(stale: backend == .sqlite ? .seconds(3600) : .zero)
            #expect(n == 1)
            let failed = try await env.services.scores.run(admin, id: started.id)
            #expect(failed.status == "failed" && failed.error?.contains("interrupted") == true && failed.finishedAt != nil)
            #expect(try await env.services.scores.failInterrupted() == 0)
        }
    }
}
