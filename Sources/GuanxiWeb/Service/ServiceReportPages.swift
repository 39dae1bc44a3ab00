import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The service desk's reports for one month: response and resolution times (median and 90th
/// percentile) by department, agent and type, breach and reopen rates, how many are still open, complaints
/// per 1,000 orders, and tickets per day. Every chart is SVG drawn here, with its numbers as a
/// table beside it and as CSV. Each role sees the figures of the tickets it may read.
struct ServiceReportPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .get(TicketURL.reports, needs: .can(.read, .tickets)) { p, scope in try await page(p, scope) },
            .get(TicketURL.reportCSV(":section"), needs: .can(.read, .tickets)) { p, scope in
                let (report, _) = try await Self.report(services, scope, month: p.query("month"), v: p.page)
                guard let section = report.sections.first(where: { $0.id == p.parameter("section") }) else { throw DomainError.notFound("report") }
                var h = HTTPFields()
                h[.contentType] = "text/csv; charset=utf-8"
                h[.contentDisposition] = "attachment; filename=\"service-\(section.id)-\(report.month).csv\""
                h[.cacheControl] = "no-store"
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: Chart.csv(section.table))))
            },
        ]
    }

    /// One report section: its chart and the table (and CSV) of its numbers.
    struct Section {
        var id: String
        var chart: Chart
        /// As the CSV keeps it; `shown`, when set, as the page shows it.
        var table: [[String]]
        var shown: [[String]]? = nil
    }

    struct Report {
        var month: String
        var tiles: [(label: String, value: String)]
        var sections: [Section]
    }

    func page(_ p: PageRequest, _ scope: Scope) async throws -> Response {
        let v = p.page
        let (report, _) = try await Self.report(services, scope, month: p.query("month"), v: v)
        let model: [String: Any] = [
            "month": v.fmt.month(report.month),
            "prevHref": TicketURL.reports.path + "?month=" + Dates.shiftMonth(report.month, -1),
            "nextHref": TicketURL.reports.path + "?month=" + Dates.shiftMonth(report.month, 1),
            "tiles": report.tiles.map { ["label": $0.label, "value": $0.value] },
            "sections": report.sections.map { s in
                ["id": s.id, "title": s.chart.title, "svg": s.chart.svg,
                 "csvHref": TicketURL.reportCSV(s.id).path + "?month=" + report.month,
                 "header": s.table.first ?? [], "rows": (s.shown ?? s.table).dropFirst().map { ["cells": $0] }] as [String: Any]
            },
        ]
        return pages.page("service_reports", model, title: v.text("service_reports"), visit: v)
    }

    /// The month's figures as the page, its CSV and (as values) the API show them.
    static func report(_ services: AppServices, _ scope: Scope, month requested: String?, v: PageContext) async throws -> (Report, ServiceReportData) {
        let t = { (k: String) in v.text(k) }
        let (month, from, to, tz) = try await period(services, scope, month: requested)
        let data = try await services.serviceReports.data(scope, from: from, to: to)
        let now = services.clock.now()
        let all = ServiceKPI.summary(data.facts, at: now)
        let hours = { (x: Double?) in x.map { v.fmt.decimal($0, digits: 1) + " " + t("svc_report_hours") } ?? "—" }
        let percent = { (x: Double?) in x.map { v.fmt.decimal($0, digits: 1) + "%" } ?? "—" }
        var tiles: [(String, String)] = [
            (t("svc_report_tickets_opened"), v.fmt.number(all.tickets)),
            (t("svc_report_first_response_median"), hours(all.firstResponse.p50)),
            (t("svc_report_resolution_median"), hours(all.resolution.p50)),
            (t("svc_report_breach_rate"), percent(all.breachRate)),
            (t("svc_report_reopen_rate"), percent(all.reopenRate)),
            (t("svc_report_still_open"), v.fmt.number(all.open)),
        ]
        if data.orders != nil {
            tiles.append((t("svc_report_complaints_per_1000_orders"), data.complaintRate.map { v.fmt.decimal($0, digits: 1) } ?? "—"))
        }
        // satisfaction of the surveys answered for the month's tickets
        tiles.append((t("svc_report_csat"), all.csatAverage.map { v.fmt.decimal($0, digits: 1) + " / 5" } ?? "—"))
        tiles.append((t("svc_report_satisfied"), percent(all.satisfiedRate)))
        tiles.append((t("svc_report_nps"), all.nps.map { v.fmt.decimal($0, digits: 0) } ?? "—"))
        // the call centre's month (docs/CALLS.md): shown once the workspace has taken a call
        let calls = try await services.calls.stats(scope, from: from, to: to)
        if calls.inbound + calls.outbound > 0 {
            tiles.append((t("call_answered_rate"), percent(calls.answeredRate.map { $0 * 100 })))
            tiles.append((t("call_aht"), calls.averageHandlingSeconds.map { String(format: "%d:%02d", $0 / 60, $0 % 60) } ?? "—"))
            tiles.append((t("call_called_back"), v.fmt.number(calls.calledBackWithinSLA) + " / " + v.fmt.number(calls.missed)))
        }
        // tickets opened per day
        let days = ServiceKPI.perDay(data.facts, from: from, to: to, timeZone: TimeZone(identifier: tz) ?? .current)
        var perDay = Chart(title: t("svc_report_per_day"), kind: .line, categories: days.map(\.day),
                           series: [.init(t("svc_report_tickets_opened"), days.map { Double($0.count) })], categoryHeader: t("svc_report_day"))
        perDay.labels = days.map { v.fmt.day($0.day) }
        var sections = [Section(id: "daily", chart: perDay, table: perDay.table, shown: perDay.shownTable)]
        // the same figures by department, agent and type
        let none = t("svc_report_none")
        let groupings: [(String, String, (TicketFact) -> String?, (String?) -> String)] = [
            ("departments", t("svc_report_by_department"), { $0.teamID }, { $0.flatMap { data.teamNames[$0] } ?? none }),
            ("agents", t("svc_report_by_agent"), { $0.assigneeID }, { $0.flatMap { data.userNames[$0] } ?? none }),
            ("types", t("svc_report_by_type"), { $0.type.rawValue }, { $0.map { t("ticket_type_" + $0) } ?? none }),
        ]
        for (id, title, key, name) in groupings {
            let rows = ServiceKPI.grouped(data.facts, at: now, by: key).prefix(20)
            let chart = Chart(title: title, kind: .bars, categories: rows.map { name($0.key) },
                              series: [.init(t("svc_report_first_response_median"), rows.map { $0.firstResponse.p50 ?? 0 }),
                                       .init(t("svc_report_resolution_median"), rows.map { $0.resolution.p50 ?? 0 })],
                              decimals: 1, unit: " " + t("svc_report_hours"))
            let header = [t("svc_report_group"), t("svc_report_tickets_opened"), t("svc_report_first_response_median"), t("svc_report_first_response_p90"),
                          t("svc_report_resolution_median"), t("svc_report_resolution_p90"), t("svc_report_breach_rate"), t("svc_report_reopen_rate"), t("svc_report_still_open")]
            let fmt1 = { (x: Double?) in x.map { String(format: "%.1f", $0) } ?? "" }
            let table = [header] + rows.map { r in
                [name(r.key), String(r.tickets), fmt1(r.firstResponse.p50), fmt1(r.firstResponse.p90), fmt1(r.resolution.p50), fmt1(r.resolution.p90),
                 fmt1(r.breachRate), fmt1(r.reopenRate), String(r.open)]
            }
            sections.append(Section(id: id, chart: chart, table: table))
        }
        return (Report(month: month, tiles: tiles, sections: sections), data)
    }

    /// The requested month (`YYYY-MM`, else this month) as instants in the workspace's time zone.
    static func period(_ services: AppServices, _ scope: Scope, month requested: String?) async throws -> (String, Date, Date, String) {
        let tz = try await services.access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai"
        let month = requested.flatMap { $0.isEmpty ? nil : $0 } ?? String(Dates.day(services.clock.now(), timeZone: tz).prefix(7))
        guard let (from, to) = Dates.monthRange(month, timeZone: tz) else { throw DomainError.field("month", "must be a month (YYYY-MM)") }
        return (month, from, to, tz)
    }
}
