import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the service-desk operations (see `MatrixSample`).
enum ServiceMatrix {
    static let samples: [String: MatrixSample] = [
        "createTicket": MatrixSample("/api/v1/tickets",
                                     body: #"{"customer_id":"{customer}","subject":"退货申请{n}","body":"收到的茶叶罐破损 😢","type":"return_refund","priority":"high","channel":"phone"}"#),
        "listTickets": MatrixSample("/api/v1/tickets?status=new"),
        "getTicket": MatrixSample("/api/v1/tickets/{ticket}", record: .tickets),
        "updateTicket": MatrixSample("/api/v1/tickets/{ticket}", body: #"{"priority":"urgent"}"#, record: .tickets),
        "setTicketStatus": MatrixSample("/api/v1/tickets/{ticket}/status", body: #"{"status":"waiting_customer"}"#, record: .tickets),
        "listTicketMessages": MatrixSample("/api/v1/tickets/{ticket}/messages", record: .tickets),
        "addTicketMessage": MatrixSample("/api/v1/tickets/{ticket}/messages", body: #"{"kind":"reply","body":"您好，已为您安排换货。"}"#, record: .tickets),
        "listBusinessCalendars": MatrixSample("/api/v1/service/calendars"),
        "saveBusinessCalendar": MatrixSample("/api/v1/service/calendars/cal{n}",
                                             body: #"{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:30","18:00"]]},"holidays":["2026-10-01"],"workdays":["2026-09-27"]}"#),
        "listSLAPolicies": MatrixSample("/api/v1/service/sla-policies"),
        "saveSLAPolicy": MatrixSample("/api/v1/service/sla-policies/p{n}",
                                      body: #"{"name":"VIP {n}","tiers":["A"],"targets":{"urgent":{"first_response":15,"resolution":120}}}"#),
        "deleteSLAPolicy": MatrixSample("/api/v1/service/sla-policies/p{n}"),
        "listMailQuarantine": MatrixSample("/api/v1/service/mail-quarantine"),
        "getServiceReport": MatrixSample("/api/v1/service/reports?month=2026-10"),
    ]

    /// A ticket of the case's customer, assigned to the case's owner (whose ticket it is).
    static let fixture: MatrixFixture = { s in
        guard s.wants("ticket") else { return [:] }
        var d = TicketDraft(); d.customerID = s.values["customer"]!; d.subject = "咨询\(s.n)"; d.body = "请问发货时间？"
        d.assigneeID = s.ownerID
        return ["ticket": try await s.services.tickets.create(s.scope, d).id]
    }
}
