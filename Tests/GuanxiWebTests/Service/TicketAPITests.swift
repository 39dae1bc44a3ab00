import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Service desk API: tickets, their SLA on business calendars, and who sees them")
struct TicketAPITests {
    /// Saturday 2026-10-10 17:00 in Shanghai: a make-up working day in the calendar below.
    static let saturday5pm = Date(timeIntervalSince1970: 1_791_622_800)
    static let calendar = """
        {"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:30","18:00"]],"tue":[["09:00","12:00"],["13:30","18:00"]],
         "wed":[["09:00","12:00"],["13:30","18:00"]],"thu":[["09:00","12:00"],["13:30","18:00"]],"fri":[["09:00","12:00"],["13:30","18:00"]]},
         "holidays":["2026-10-01","2026-10-02","2026-10-05","2026-10-06","2026-10-07"],"workdays":["2026-09-27","2026-10-10"]}
        """

    @Test(arguments: Backend.all) func aTicketIsOpenedWithItsFirstResponseDueAndListedByStatus(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer
            let customer = try await env.createCustomer(name: "王芳")
            // when a ticket is opened as the contract says
            let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
                "customer_id": str(customer), "subject": str("茶叶罐破损 😢"), "body": str("收到时罐子已经压扁了。"),
                "type": str("complaint"), "priority": str("high"), "channel": str("phone")]))
            // then it answers 201 with its id, status and first-response due time
            #expect(r.status.code == 201, "\(r.text)")
            let id = try #require(r.json["id"].string)
            #expect(r.json["status"].string == "new" && r.json["number"].int == 1)
            #expect(r.json["first_response_due_at"].string?.hasSuffix("Z") == true)
            // and the list by status has it; another status does not
            #expect(try await env.get("/api/v1/tickets?status=new", as: .admin).json["items"].array.map { $0["id"].string } == [id])
            #expect(try await env.get("/api/v1/tickets?status=closed", as: .admin).json["items"].array.isEmpty)
            // and the conversation starts with the customer's words, the customer's timeline shows the ticket
            #expect(try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"][0]["body"].string == "收到时罐子已经压扁了。")
            #expect(try await env.get("/api/v1/customers/\(customer)/timeline", as: .admin).text.contains(#""kind":"ticket""#))
            // and workspace B sees none of it
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .b).status.code == 404)
            #expect(try await env.get("/api/v1/tickets", as: .b).json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func dueTimesFollowTheCalendarAndMoveWhenThePolicyChanges(_ backend: Backend) async throws {
        let clock = ManualClock(Self.saturday5pm)
        try await WebEnv.run(backend, clock: clock) { env in
            // given the workspace's default calendar: lunch breaks, the National Day holidays, Saturday 10 October a make-up day
            let saved = try await env.send(.put, "/api/v1/service/calendars/default", as: .admin, json: Self.calendar)
            #expect(saved.status.code == 200, "\(saved.text)")
            let customer = try await env.createCustomer(name: "李雷")
            // when a normal ticket (240 business minutes to answer) is opened at 17:00 on the make-up Saturday
            let t = try await env.send(.post, "/api/v1/tickets", as: .admin,
                                       json: json(["customer_id": str(customer), "subject": str("发票"), "body": str("请开发票")]))
            // then one hour counts on Saturday, none on Sunday, three on Monday morning: due Monday 12:00 (04:00Z)
            #expect(t.json["first_response_due_at"].string == "2026-10-12T04:00:00.000Z", "\(t.text)")
            let id = try #require(t.json["id"].string)
            // when the standard policy is replaced by one answering normal tickets within an hour
            let p = try await env.send(.put, "/api/v1/service/sla-policies/standard", as: .admin,
                                       json: #"{"name":"标准","calendar":"default","targets":{"normal":{"first_response":60,"resolution":600}}}"#)
            #expect(p.status.code == 200, "\(p.text)")
            // then the open ticket's due time is planned again: Saturday 18:00
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .admin).json["first_response_due_at"].string == "2026-10-10T10:00:00.000Z")
            // when an agent answers on Monday at 09:30 and then waits on the customer
            clock.set(Date(timeIntervalSince1970: 1_791_768_600))
            let reply = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin,
                                           json: #"{"kind":"reply","body":"您好，发票已开具。","status":"waiting_customer"}"#)
            #expect(reply.status.code == 201, "\(reply.text)")
            #expect(reply.json["ticket"]["status"].string == "waiting_customer")
            #expect(reply.json["ticket"]["first_responded_at"].string == "2026-10-12T01:30:00.000Z")
            #expect(reply.json["ticket"]["sla_paused_since"].string == "2026-10-12T01:30:00.000Z")
            // and a bad calendar is refused with its fields named, keeping the saved one
            let bad = try await env.send(.put, "/api/v1/service/calendars/default", as: .admin,
                                         json: #"{"time_zone":"Mars/Olympus","week":{"mon":[["13:00","12:00"]]}}"#)
            #expect(bad.status.code == 422 && bad.text.contains("time_zone") && bad.text.contains("week.mon"), "\(bad.text)")
            #expect(try await env.get("/api/v1/service/calendars", as: .admin).text.contains("2026-10-10"))
        }
    }

    @Test(arguments: Backend.all) func aSalesRepFollowsTheirCustomersTicketsButDoesNotWorkThem(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer of the rep (workspace A's default user) and one of nobody
            let mine = try await env.createCustomer(name: "张伟", as: .a)
            let pool = try await env.createCustomer(name: "公海客户", as: .admin)
            // when the rep opens a ticket for their customer
            let t = try await env.send(.post, "/api/v1/tickets", as: .a, json: json(["customer_id": str(mine), "subject": str("咨询"), "body": str("何时发货？")]))
            #expect(t.status.code == 201, "\(t.text)")
            let id = try #require(t.json["id"].string)
            // then they read it, but may not reply or change it
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .a).status.code == 200)
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .a, json: #"{"body":"好的"}"#).status.code == 403)
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/status", as: .a, json: #"{"status":"closed"}"#).status.code == 403)
            // and a ticket of a customer they do not own stays out of their sight
            let other = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(pool), "subject": str("退款"), "body": str("x")]))
            let otherID = try #require(other.json["id"].string)
            #expect(try await env.get("/api/v1/tickets/\(otherID)", as: .a).status.code == 404)
            #expect(try await env.get("/api/v1/tickets", as: .a).json["items"].array.map { $0["id"].string } == [id])
            // read-only users read, and may not open tickets
            #expect(try await env.get("/api/v1/tickets/\(otherID)", as: .readOnly).status.code == 200)
            #expect(try await env.send(.post, "/api/v1/tickets", as: .readOnly, json: json(["customer_id": str(pool), "subject": str("x"), "body": str("y")])).status.code == 403)
        }
    }

    @Test(arguments: Backend.all) func badInputIsRefusedFieldByFieldAndStaleVersionsLose(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "Ellen 陈")
            // unknown values and missing words are named together
            let bad = try await env.send(.post, "/api/v1/tickets", as: .admin,
                                         json: json(["customer_id": str(customer), "subject": str(" "), "body": str("x"), "type": str("gripe"), "priority": str("p0")]))
            #expect(bad.status.code == 422)
            #expect(Set(bad.json["error"]["fields"].keys) == ["subject", "type", "priority"], "\(bad.text)")
            // an injection string is just a customer id that does not exist
            let injected = try await env.send(.post, "/api/v1/tickets", as: .admin,
                                              json: json(["customer_id": str("' OR 1=1 --"), "subject": str("s"), "body": str("b")]))
            #expect(injected.status.code == 422)
            let missing = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(ID.make()), "subject": str("s"), "body": str("b")]))
            #expect(missing.status.code == 404)
            #expect(try await env.get("/api/v1/tickets?status=lost", as: .admin).status.code == 422)
            // a change made against an old version is refused
            let t = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(customer), "subject": str("s"), "body": str("b")]))
            let id = try #require(t.json["id"].string)
            let first = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"priority":"urgent"}"#, headers: ["If-Match": "\"1\""])
            #expect(first.status.code == 200 && first.json["priority"].string == "urgent")
            let stale = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"priority":"low"}"#, headers: ["If-Match": "\"1\""])
            #expect(stale.status.code == 412)
            // a closed ticket cannot go straight back to open
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/status", as: .admin, json: #"{"status":"closed"}"#).status.code == 200)
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/status", as: .admin, json: #"{"status":"open"}"#).status.code == 409)
        }
    }
}
