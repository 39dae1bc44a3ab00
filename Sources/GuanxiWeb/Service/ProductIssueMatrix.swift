import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the product-issue operations: an issue of the case's
/// workspace (`{issue}`; `{fixedIssue}` for telling its customers), and for linking the case's
/// ticket (`{ticket}`, made by the service fixture; linked already for unlinking).
enum ProductIssueMatrix {
    static let samples: [String: MatrixSample] = [
        "listProductIssues": MatrixSample("/api/v1/service/product-issues?sort=revenue"),
        "createProductIssue": MatrixSample("/api/v1/service/product-issues", body: #"{"title":"茶罐密封圈漏气 {n} 😢","status":"open"}"#),
        "getProductIssue": MatrixSample("/api/v1/service/product-issues/{issue}"),
        "updateProductIssue": MatrixSample("/api/v1/service/product-issues/{issue}", body: #"{"status":"planned","title":"密封圈 {n}"}"#),
        "listProductIssueTickets": MatrixSample("/api/v1/service/product-issues/{issue}/tickets"),
        "linkProductIssueTicket": MatrixSample("/api/v1/service/product-issues/{issue}/tickets", body: #"{"ticket_id":"{ticket}"}"#, record: .tickets),
        "unlinkProductIssueTicket": MatrixSample("/api/v1/service/product-issues/{issue}/tickets/{ticket}", record: .tickets),
        "getTicketProductIssues": MatrixSample("/api/v1/tickets/{ticket}/product-issues", record: .tickets),
        "pushProductIssue": MatrixSample("/api/v1/service/product-issues/{issue}/push"),
        "setProductIssueTrackerStatus": MatrixSample("/api/v1/service/product-issues/{issue}/status",
                                                     body: #"{"status":"in_progress","external_ref":"PROD-{n}"}"#),
        "notifyProductIssueCustomers": MatrixSample("/api/v1/service/product-issues/{fixedIssue}/notify", body: #"{"message":"已修复 ✅"}"#),
    ]

    /// Issues of the case's workspace; the case's ticket linked to `{issue}` when the call unlinks it.
    static func fixture(_ s: MatrixSetup, ticket: String?) async throws -> [String: String] {
        var out: [String: String] = [:]
        let issues = s.services.productIssues
        if s.wants("issue") {
            var c = ProductIssueChange(); c.title = "漏气 \(s.n)"
            let id = try await issues.create(s.scope, c).id
            out["issue"] = id
            if s.operationID == "unlinkProductIssueTicket", let ticket { _ = try await issues.link(s.scope, id: id, ticketID: ticket) }
        }
        if s.wants("fixedIssue") {
            var c = ProductIssueChange(); c.title = "已修复 \(s.n)"; c.status = ProductIssueStatus.fixed.rawValue
            out["fixedIssue"] = try await issues.create(s.scope, c).id
        }
        return out
    }
}
