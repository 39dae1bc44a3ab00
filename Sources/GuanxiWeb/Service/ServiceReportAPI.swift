import Foundation
import Hummingbird
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/service/reports`: the month's service figures as numbers (the reports page draws the same).
struct ServiceReportAPI {
    let services: AppServices

    struct SpreadView: Encodable, Sendable {
        var count: Int, p50: Double?, p90: Double?
        init(_ s: Spread) { count = s.count; p50 = s.p50; p90 = s.p90 }
    }
    struct KPIView: Encodable, Sendable {
        var key: String?, name: String?, tickets: Int, firstResponseHours: SpreadView, resolutionHours: SpreadView
        var breached: Int, reopened: Int, open: Int, breachRate: Double?, reopenRate: Double?
        var surveysAnswered: Int, csatAverage: Double?, satisfiedRate: Double?, npsAnswers: Int, nps: Double?
        init(_ k: ServiceKPIs, name: String?) {
            key = k.key; self.name = name; tickets = k.tickets; firstResponseHours = SpreadView(k.firstResponse); resolutionHours = SpreadView(k.resolution)
            breached = k.breached; reopened = k.reopened; open = k.open; breachRate = k.breachRate; reopenRate = k.reopenRate
            surveysAnswered = k.satisfaction.rated; csatAverage = k.csatAverage; satisfiedRate = k.satisfiedRate
            npsAnswers = k.satisfaction.npsAnswers; nps = k.nps
        }
        enum CodingKeys: String, CodingKey {
            case key, name, tickets, firstResponseHours = "first_response_hours", resolutionHours = "resolution_hours", breached, reopened, open,
                 breachRate = "breach_rate", reopenRate = "reopen_rate", surveysAnswered = "surveys_answered", csatAverage = "csat_average",
                 satisfiedRate = "satisfied_rate", npsAnswers = "nps_answers", nps
        }
    }
    struct DayCount: Encodable, Sendable { var day: String, tickets: Int }
    struct Answer: Encodable, Sendable {
        var month: String, from: Date, to: Date, total: KPIView, byDepartment: [KPIView], byAgent: [KPIView], byType: [KPIView], perDay: [DayCount]
        var complaints: Int, orders: Int?, complaintsPer1000Orders: Double?
        enum CodingKeys: String, CodingKey {
            case month, from, to, total, byDepartment = "by_department", byAgent = "by_agent", byType = "by_type", perDay = "per_day",
                 complaints, orders, complaintsPer1000Orders = "complaints_per_1000_orders"
        }
    }

    func register(_ t: RouteTable) {
        t.on(APIRoute(method: .get, path: "/service/reports", operationID: "getServiceReport",
                      summary: "A month's service figures: first response and resolution hours (median, 90th percentile) by department, agent and type, breach and reopen rates, the still open, complaints per 1,000 orders, tickets per day, CSAT (average stars, % satisfied) and NPS of the surveys answered for the month's tickets",
                      tag: "Service", needs: .can(.read, .tickets), query: ["month"], responseSchema: "ServiceReport")) { req, _, scope in
            let (month, from, to, tz) = try await ServiceReportPages.period(services, scope, month: req.query("month"))
            let data = try await services.serviceReports.data(scope, from: from, to: to)
            let now = services.clock.now()
            func views(_ key: (TicketFact) -> String?, _ name: (String) -> String?) -> [KPIView] {
                ServiceKPI.grouped(data.facts, at: now, by: key).map { KPIView($0, name: $0.key.flatMap(name)) }
            }
            return .json(Answer(
                month: month, from: from, to: to, total: KPIView(ServiceKPI.summary(data.facts, at: now), name: nil),
                byDepartment: views({ $0.teamID }, { data.teamNames[$0] }), byAgent: views({ $0.assigneeID }, { data.userNames[$0] }),
                byType: views({ $0.type.rawValue }, { $0 }),
                perDay: ServiceKPI.perDay(data.facts, from: from, to: to, timeZone: TimeZone(identifier: tz) ?? .current).map { DayCount(day: $0.day, tickets: $0.count) },
                complaints: data.complaints, orders: data.orders,
                complaintsPer1000Orders: data.complaintRate))
        }
    }
}
