import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/service/product-issues`: tickets of feedback and defects grouped for product, their
/// figures, the push to an external tracker (a signed webhook event) and the tracker's status back.
struct ProductIssueAPI {
    let issues: ProductIssueStore

    /// Title, product, status and the tracker's reference; `ticket_id` on create links that ticket.
    struct Input: Decodable {
        var change = ProductIssueChange()
        var ticketID: String?
        enum CodingKeys: String, CodingKey {
            case title, status, productID = "product_id", externalRef = "external_ref", externalURL = "external_url", ticketID = "ticket_id"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            change.title = try c.decodeIfPresent(String.self, forKey: .title)
            change.status = try c.decodeIfPresent(String.self, forKey: .status)
            // present and null clears; absent leaves as is
            if c.contains(.productID) { change.productID = .some(try c.decodeIfPresent(String.self, forKey: .productID)) }
            if c.contains(.externalRef) { change.externalRef = .some(try c.decodeIfPresent(String.self, forKey: .externalRef)) }
            if c.contains(.externalURL) { change.externalURL = .some(try c.decodeIfPresent(String.self, forKey: .externalURL)) }
            ticketID = try c.decodeIfPresent(String.self, forKey: .ticketID)
        }
    }
    struct StatusInput: Decodable {
        var status: String; var externalRef: String?; var externalURL: String?
        enum CodingKeys: String, CodingKey { case status, externalRef = "external_ref", externalURL = "external_url" }
    }
    struct LinkInput: Decodable {
        var ticketID: String
        enum CodingKeys: String, CodingKey { case ticketID = "ticket_id" }
    }
    struct NotifyInput: Decodable { var message: String? }
    /// A ticket's issues and the suggestion (`null` when none).
    struct TicketIssues: Encodable, Sendable {
        var linked: [ProductIssue]; var suggestion: ProductIssue?
        enum CodingKeys: String, CodingKey { case linked, suggestion }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(linked, forKey: .linked)
            try c.encode(suggestion, forKey: .suggestion)
        }
    }

    func register(_ t: RouteTable) {
        let tag = "Service"
        let base = "/service/product-issues"
        t.on(APIRoute(method: .get, path: base, operationID: "listProductIssues",
                      summary: "Product issues with their figures over the tickets the caller may read, ranked by customers (default), revenue or recent; status filters",
                      tag: tag, needs: .can(.read, .tickets), query: ["sort", "status"], responseSchema: "ProductIssueList", queryValues: ["status": .cases(ProductIssueStatus.self), "sort": .cases(ProductIssueSort.self)])) { req, _, scope in
            .json(Items(items: try await issues.list(scope, sort: req.query("sort"), status: req.query("status"))))
        }
        t.on(APIRoute(method: .post, path: base, operationID: "createProductIssue",
                      summary: "Create a product issue; with ticket_id, from that ticket (linked at once)", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "ProductIssueInput", responseSchema: "ProductIssue",
                      status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(Input.self, req)
            let issue = try await issues.create(scope, i.change, ticketID: i.ticketID)
            return .json(issue, status: .created, etag: issue.version)
        }
        t.on(APIRoute(method: .get, path: base + "/{id}", operationID: "getProductIssue", summary: "Read a product issue with its figures",
                      tag: tag, needs: .can(.read, .tickets), responseSchema: "ProductIssue")) { _, ctx, scope in
            let issue = try await issues.get(scope, id: try ctx.parameters.require("id"))
            return .json(issue, etag: issue.version)
        }
        t.on(APIRoute(method: .patch, path: base + "/{id}", operationID: "updateProductIssue",
                      summary: "Change title, product, status or the tracker's reference (If-Match)", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "ProductIssueInput", responseSchema: "ProductIssue")) { req, ctx, scope in
            let issue = try await issues.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(Input.self, req).change,
                                                ifVersion: try req.ifMatchVersion())
            return .json(issue, etag: issue.version)
        }
        t.on(APIRoute(method: .get, path: base + "/{id}/tickets", operationID: "listProductIssueTickets",
                      summary: "The issue's linked tickets the caller may read, newest first", tag: tag,
                      needs: .can(.read, .tickets), responseSchema: "ProductIssueTicketList")) { _, ctx, scope in
            .json(Items(items: try await issues.tickets(scope, id: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .post, path: base + "/{id}/tickets", operationID: "linkProductIssueTicket",
                      summary: "Link a ticket the caller may work to the issue (any type; linking again changes nothing)", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "ProductIssueLinkInput", responseSchema: "ProductIssue")) { req, ctx, scope in
            let issue = try await issues.link(scope, id: try ctx.parameters.require("id"), ticketID: try await APIBody.json(LinkInput.self, req).ticketID)
            return .json(issue, etag: issue.version)
        }
        t.on(APIRoute(method: .delete, path: base + "/{id}/tickets/{ticket_id}", operationID: "unlinkProductIssueTicket",
                      summary: "Remove a ticket from the issue", tag: tag, needs: .can(.update, .tickets), status: 204, ifMatch: false)) { _, ctx, scope in
            try await issues.unlink(scope, id: try ctx.parameters.require("id"), ticketID: try ctx.parameters.require("ticket_id"))
            return .noContent
        }
        t.on(APIRoute(method: .get, path: "/tickets/{id}/product-issues", operationID: "getTicketProductIssues",
                      summary: "The ticket's product issues, and for feedback and defects the existing issue suggested for it (never linked by itself)",
                      tag: tag, needs: .can(.read, .tickets), responseSchema: "TicketProductIssues")) { _, ctx, scope in
            let mine = try await issues.forTicket(scope, ticketID: try ctx.parameters.require("id"))
            return .json(TicketIssues(linked: mine.linked, suggestion: mine.suggestion))
        }
        t.on(APIRoute(method: .post, path: base + "/{id}/push", operationID: "pushProductIssue",
                      summary: "Send the issue with its figures to the tracker: publishes the signed webhook event product_issue.pushed", tag: tag,
                      needs: .can(.update, .tickets), responseSchema: "ProductIssue")) { _, ctx, scope in
            let issue = try await issues.push(scope, id: try ctx.parameters.require("id"))
            return .json(issue, etag: issue.version)
        }
        t.on(APIRoute(method: .post, path: base + "/{id}/status", operationID: "setProductIssueTrackerStatus",
                      summary: "The tracker's status and reference for the issue (an integration's API token); the same again changes nothing; publishes product_issue.updated",
                      tag: tag, needs: .can(.update, .tickets), requestSchema: "ProductIssueStatusInput", responseSchema: "ProductIssue")) { req, ctx, scope in
            let i = try await APIBody.json(StatusInput.self, req)
            let issue = try await issues.trackerStatus(scope, id: try ctx.parameters.require("id"), status: i.status, externalRef: i.externalRef,
                                                       externalURL: i.externalURL)
            return .json(issue, etag: issue.version)
        }
        t.on(APIRoute(method: .post, path: base + "/{id}/notify", operationID: "notifyProductIssueCustomers",
                      summary: "Tell a fixed issue's customers, once each, by a reply on their newest linked ticket (mailed as replies are)", tag: tag,
                      needs: .can(.update, .tickets), requestSchema: "ProductIssueNotifyInput", responseSchema: "ProductIssueNotices")) { req, ctx, scope in
            let body = try await APIBody.bytes(req)
            let message = body.isEmpty ? nil : try APIBody.decode(NotifyInput.self, from: body).message
            return .json(try await issues.notify(scope, id: try ctx.parameters.require("id"), message: message))
        }
    }
}

extension OpenAPIDocument {
    static func productIssueSchemas() -> [String: Any] {
        let statuses = ProductIssueStatus.allCases.map(\.rawValue)
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        var s: [String: Any] = [:]
        let money = obj(["currency": str, "minor": int], required: ["currency", "minor"])
        s["ProductIssueFigures"] = obj(["customers": int, "tickets": int, "revenue": ["oneOf": [arr(money), ["type": "null"]]],
                                        "first_seen": ntime, "last_seen": ntime], required: ["customers", "tickets", "revenue"])
        s["ProductIssue"] = obj(["id": str, "title": str, "product_id": nstr, "status": enumOf(statuses), "external_ref": nstr, "external_url": nstr,
                                 "pushed_at": ntime, "created_by": nstr, "created_at": time, "updated_at": time, "version": int,
                                 "figures": ref("ProductIssueFigures")], required: ["id", "title", "status", "version", "figures"])
        s["ProductIssueList"] = obj(["items": arr(ref("ProductIssue"))])
        s["ProductIssueTicketList"] = obj(["items": arr(ref("Ticket"))])
        // `ProductIssueRules.isWebAddress`: its pattern, at most 500 characters
        let web: [String: Any] = ["type": "string", "maxLength": 500, "pattern": ProductIssueRules.webAddressPattern]
        let externalRef: [String: Any] = ["type": "string", "maxLength": 100, "pattern": "^[^\\r\\n]*$"]
        s["ProductIssueInput"] = obj(["title": ["type": "string", "pattern": Pattern.words], "product_id": nstr, "status": enumOf(statuses), "external_ref": externalRef, "external_url": web,
                                      "ticket_id": str])
        s["ProductIssueStatusInput"] = obj(["status": enumOf(statuses), "external_ref": externalRef, "external_url": web], required: ["status"])
        s["ProductIssueLinkInput"] = obj(["ticket_id": str], required: ["ticket_id"])
        s["ProductIssueNotifyInput"] = obj(["message": str])
        s["TicketProductIssues"] = obj(["linked": arr(ref("ProductIssue")), "suggestion": ["oneOf": [ref("ProductIssue"), ["type": "null"]]]],
                                       required: ["linked", "suggestion"])
        s["ProductIssueNotices"] = obj(["notified": int, "skipped_no_email": int, "already_notified": int, "out_of_reach": int])
        return s
    }
}
