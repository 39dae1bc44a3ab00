import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("Service reports: figures by department, agent and type, charts with their numbers and CSV, in three languages")
struct ServiceReportTests {
    /// Monday 2026-10-12 09:00 in Shanghai.
    static let monday9am = Date(timeIntervalSince1970: 1_791_766_800)

    func page(_ env: WebEnv, _ jar: [String: String], _ path: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    func open(_ env: WebEnv, _ customer: String, _ subject: String, type: String = "complaint") async throws -> String {
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
            "customer_id": str(customer), "subject": str(subject), "body": str("内容"), "type": str(type), "channel": str("phone")]))
        #expect(r.status == .created, "\(r.text)")
        return r.json["id"].string ?? ""
    }

    @Test(arguments: Backend.all) func theMonthsFiguresChartsAndNumbersAgree(_ backend: Backend) async throws {
        let clock = ManualClock(Self.monday9am)
        try await WebEnv.run(backend, clock: clock) { env in
            // given three tickets this month: one answered after 2 hours, one answered after 4 hours and resolved, one not answered
            let customer = try await env.createCustomer(name: "杭州茶庄")
            let a = try await open(env, customer, "茶叶罐破损")
            let b = try await open(env, customer, "发票抬头错误", type: "inquiry")
            _ = try await open(env, customer, "物流太慢")
            clock.set(Self.monday9am.addingTimeInterval(2 * 3600))
            #expect(try await env.send(.post, "/api/v1/tickets/\(a)/messages", as: .admin, json: #"{"kind":"reply","body":"马上处理"}"#).status == .created)
            clock.set(Self.monday9am.addingTimeInterval(4 * 3600))
            #expect(try await env.send(.post, "/api/v1/tickets/\(b)/messages", as: .admin, json: #"{"kind":"reply","body":"已重开发票"}"#).status == .created)
            #expect(try await env.send(.post, "/api/v1/tickets/\(b)/status", as: .admin, json: #"{"status":"resolved"}"#).status == .ok)
            clock.set(Self.monday9am.addingTimeInterval(6 * 3600))
            // when the API is asked for the month
            let r = try await env.send(.get, "/api/v1/service/reports?month=2026-10", as: .admin)
            #expect(r.status == .ok, "\(r.text)")
            // then the totals count three tickets, two answered (median 3 h), one resolved after 4 h, one still unanswered past its due
            #expect(r.json["total"]["tickets"].int == 3)
            #expect(r.json["total"]["first_response_hours"]["count"].int == 2)
            #expect(r.json["total"]["first_response_hours"]["p50"].value == .number(3))
            #expect(r.json["total"]["resolution_hours"]["p50"].value == .number(4))
            #expect(r.json["total"]["breached"].int == 1 && r.json["total"]["open"].int == 2)
            #expect(r.json["by_type"].array.map { $0["key"].string } == ["complaint", "inquiry"])
            #expect(r.json["per_day"].array.count == 31 && r.json["per_day"][11]["tickets"].int == 3)
            // and the page shows the same as tiles, SVG charts and their tables, in each language
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let hans = try await page(env, admin, "/service/reports?month=2026-10")
            #expect(hans.status == .ok)
            #expect(hans.text.contains("客服报表") && hans.text.contains("<svg class=\"chart\"") && hans.text.contains("首次响应中位数"))
            #expect(hans.text.contains("<td>投诉</td>") && hans.text.contains("下载 CSV"))
            let hant = try await page(env, admin, "/service/reports?month=2026-10", lang: "zh-Hant")
            #expect(hant.text.contains("客服報表") && hant.text.contains("<td>客訴</td>"))
            let en = try await page(env, admin, "/service/reports?month=2026-10", lang: "en")
            #expect(en.text.contains("Service reports") && en.text.contains("Breach rate"))
            // and each chart's numbers download as CSV with a byte-order mark
            let csv = try await page(env, admin, "/service/reports/types?month=2026-10")
            #expect(csv.status == .ok && csv.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(csv.body.starts(with: [0xEF, 0xBB, 0xBF]))
            let lines = csv.text.dropFirst().split(separator: "\r\n")
            #expect(lines.count == 3 && lines[1] == "投诉,2,2.0,2.0,,,50.0,0.0,2", "\(lines)")
            #expect(try await page(env, admin, "/service/reports/nope?month=2026-10").status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func badMonthsWrongRolesAndOtherWorkspacesSeeNothing(_ backend: Backend) async throws {
        try await WebEnv.run(backend, clock: ManualClock(Self.monday9am)) { env in
            let customer = try await env.createCustomer(name: "测试客户")
            _ = try await open(env, customer, "投诉一")
            // a malformed month is a field error, in the user's language on the page
            let bad = try await env.send(.get, "/api/v1/service/reports?month=2026-13", as: .admin)
            #expect(bad.status == .unprocessableContent && bad.json["error"]["fields"]["month"].string != nil)
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let badPage = try await page(env, admin, "/service/reports?month='%3E%3Cscript%3E")
            #expect(badPage.status == .badRequest && badPage.text.contains("须为月份（YYYY-MM）") && !badPage.text.contains("<script>"))
            // workspace B's admin sees none of A's tickets
            let other = try await env.send(.get, "/api/v1/service/reports?month=2026-10", as: .b)
            #expect(other.status == .ok && other.json["total"]["tickets"].int == 0)
            // without a session the page sends the visitor to sign in
            let anonymous = try await env.send(.get, "/service/reports", as: .none)
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func chartsEscapeTheirTextAndCSVDisarmsFormulas() {
        let c = Chart(title: "<script>alert(1)</script>", kind: .bars, categories: ["=cmd|' /C calc'!A0", "售后 & 质检 \"部\""],
                      series: [.init("中位数", [1.5, 3]), .init("P90", [2, 7.75])], decimals: 1, unit: " h", categoryHeader: "部门")
        let svg = c.svg
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("售后 &amp; 质检"))
        #expect(svg.hasPrefix("<svg class=\"chart\"") && svg.hasSuffix("</svg>") && !svg.contains("style="))
        let text = String(decoding: c.csv, as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}部门,中位数,P90\r\n'=cmd|' /C calc'!A0,1.5,2.0\r\n"))
        #expect(text.contains("\"售后 & 质检 \"\"部\"\"\",3.0,7.8"))
        #expect(Chart.ticks(upTo: 7.75) == [0, 2, 4, 6, 8])
        #expect(Chart.ticks(upTo: 0) == [0, 1] && Chart.ticks(upTo: 2, whole: true) == [0, 1, 2])
        #expect(Chart(title: "", kind: .bars, categories: ["a"], series: [.init("h", [0.0003])], decimals: 1).axis(0.0003).last == 1)
        let line = Chart(title: "每日", kind: .line, categories: (1...31).map { String(format: "2026-10-%02d", $0) }, series: [.init("新建", Array(repeating: 2, count: 31))])
        #expect(line.svg.components(separatedBy: "<circle").count == 32)
        // a month's days are labelled on the 1st, 11th, 21st and 31st: none runs into the next on a phone
        let labels = line.svg.components(separatedBy: "class=\"chart-tick\"").dropFirst().compactMap { $0.firstMatch(of: /(2026-10-\d\d)</)?.1 }
        #expect(labels == ["2026-10-01", "2026-10-11", "2026-10-21", "2026-10-31"])
    }

    @Test func chartsShowMonthsAndLargeNumbersAsPeopleReadThemAndTheCSVKeepsThemSortable() {
        var c = Chart(title: "每月收入", kind: .line, categories: ["2026-01", "2026-02", "2026-03"], series: [.init("收入 CNY", [361_250.4, 1_234_567, 0])],
                      categoryHeader: "月份")
        c.labels = ["2026年1月", "2026年2月", "2026年3月"]
        // the drawing: the reader's months, the axis grouped by thousands
        #expect(c.svg.contains(">2026年1月</text>") && !c.svg.contains(">2026-01<") && c.svg.contains(">1,000,000</text>"))
        #expect(c.svg.contains("<title>2026年2月 · 收入 CNY: 1,234,567</title>"))
        // the page's table in the same words
        #expect(c.shownTable == [["月份", "收入 CNY"], ["2026年1月", "361,250"], ["2026年2月", "1,234,567"], ["2026年3月", "0"]])
        // the CSV: ISO months and plain numbers, which a spreadsheet sorts and sums
        let text = String(decoding: c.csv, as: UTF8.self)
        #expect(text.contains("2026-01,361250") && text.contains("2026-02,1234567\r\n"))
        #expect(Chart(title: "", kind: .bars, categories: ["a"], series: [.init("x", [-12345.678])], decimals: 2).shown(-12345.678) == "-12,345.68")
    }
}
