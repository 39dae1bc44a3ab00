import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` sales reports and targets. Pipeline by stage is `/deals/board`, the forecast
/// `/deals/forecast`, the order status board `/orders/board`, overdue leads `/leads?overdue=true`
/// and overdue tasks `/tasks?overdue=true`; the rest is here.
struct ReportAPI {
    let reports: ReportStore
    let targets: TargetStore
    let access: AccessStore

    struct TargetsInput: Decodable { var targets: [SalesTarget] }

    /// `month=YYYY-MM`, or `from`/`to` days (to inclusive), in the workspace's time zone; default this month.
    static func period(_ req: Request, timeZone: String) throws(DomainError) -> (Date, Date) {
        if req.query("from") != nil || req.query("to") != nil {
            // Both or neither: a lone bound would silently report the current month instead.
            guard let f = req.query("from") else { throw DomainError.field("from", .required) }
            guard let t = req.query("to") else { throw DomainError.field("to", .required) }
            guard let a = Dates.parseDay(f) else { throw DomainError.field("from", .date) }
            guard let b = Dates.parseDay(t) else { throw DomainError.field("to", .date) }
            guard let (s, _) = Dates.monthRange(String(a.prefix(7)), timeZone: timeZone), let (e, _) = Dates.monthRange(String(b.prefix(7)), timeZone: timeZone) else {
                throw DomainError.field("from", .date)
            }
            let start = s.addingTimeInterval(Double((Int(a.suffix(2)) ?? 1) - 1) * 86_400)
            let end = e.addingTimeInterval(Double(Int(b.suffix(2)) ?? 1) * 86_400)
            guard start < end else { throw DomainError.field("to", "must not be before from") }
            return (start, end)
        }
        let month = req.query("month") ?? String(Dates.day(Date(), timeZone: timeZone).prefix(7))
        guard let r = Dates.monthRange(month, timeZone: timeZone) else { throw DomainError.field("month", "must be a month (YYYY-MM)") }
        return r
    }

    func tz(_ scope: Scope) async throws -> String { try await access.workspace(id: scope.workspaceID)?.timeZone ?? "Asia/Shanghai" }

    func register(_ t: RouteTable) {
        let tag = "Reports"
        t.on(APIRoute(method: .get, path: "/reports/lead-funnel", operationID: "leadFunnel",
                      summary: "Leads captured in a period (month, or from/to): how many were contacted, qualified, converted, by source",
                      tag: tag, needs: .can(.read, .leads), query: ["month", "from", "to"], responseSchema: "LeadFunnel", queryValues: ["from": .day, "to": .day])) { req, _, scope in
            let (a, b) = try Self.period(req, timeZone: try await tz(scope))
            return .json(try await reports.leadFunnel(scope, from: a, to: b))
        }
        t.on(APIRoute(method: .get, path: "/reports/close-reasons", operationID: "dealCloseReasons",
                      summary: "Deals won and lost in a period, by reason, with amounts per currency", tag: tag, needs: .can(.read, .deals),
                      query: ["month", "from", "to"], responseSchema: "CloseReasonList", queryValues: ["from": .day, "to": .day])) { req, _, scope in
            let (a, b) = try Self.period(req, timeZone: try await tz(scope))
            return .json(Items(items: try await reports.closeReasons(scope, from: a, to: b)))
        }
        t.on(APIRoute(method: .get, path: "/reports/overdue-collections", operationID: "overdueCollections",
                      summary: "Collection-plan instalments past due and not yet covered, oldest first", tag: tag, needs: .can(.read, .orders),
                      responseSchema: "OverdueCollectionList")) { _, _, scope in
            .json(Items(items: try await reports.overdueCollections(scope)))
        }
        t.on(APIRoute(method: .get, path: "/targets", operationID: "listTargets",
                      summary: "A month's revenue and collection targets (users and teams the caller may see) with attainment", tag: tag,
                      needs: .can(.read, .orders), query: ["month"], responseSchema: "AttainmentList")) { req, _, scope in
            let zone = try await tz(scope)
            let month = req.query("month") ?? String(Dates.day(Date(), timeZone: zone).prefix(7))
            return .json(Items(items: try await targets.attainment(scope, month: month)))
        }
        t.on(APIRoute(method: .put, path: "/targets", operationID: "setTargets",
                      summary: "Set monthly targets (amount 0 removes one); managers for the people they reach, administrators for all",
                      tag: tag, needs: .can(.assign, .deals), requestSchema: "TargetsInput", responseSchema: "TargetList")) { req, _, scope in
            .json(Items(items: try await targets.save(scope, try await APIBody.json(TargetsInput.self, req).targets)))
        }
    }
}
