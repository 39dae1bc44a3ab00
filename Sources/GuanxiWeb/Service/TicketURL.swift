import GuanxiWebPlatform
/// The service desk pages' addresses (see `PageAddress`): the queue, opening a ticket, a ticket
/// and its forms (`reply`, `status`, `assign`, `step`), a step's forms (`complete`, `decision`),
/// the routing settings with their forms (`save`, `delete`, `skills`, `members`), the month's
/// reports and each report's CSV, a ticket's attachment (a download), the canned replies with their
/// forms (`save`, `delete`), the queue's bulk change, and the product issues with their forms.
package enum TicketURL: PageAddress, Equatable {
    case tickets, newTicket, ticket(String), ticketAction(String, String), stepAction(String, String, String)
    case attachment(String, String)
    case routing, routingAction(String)
    case reports, reportCSV(String)
    case cannedReplies, cannedAction(String), bulk
    /// A satisfaction survey's public page, by its link's token.
    case survey(String)
    /// Product issues: the list, an issue, and its forms (`save`, `push`, `notify`, `unlink`).
    case productIssues, productIssue(String), productIssueAction(String, String)

    package var path: String {
        switch self {
        case .tickets: "/tickets"
        case .newTicket: "/tickets/new"
        case .ticket(let id): "/tickets/\(id)"
        case .ticketAction(let id, let action): "/tickets/\(id)/\(action)"
        case .reports: "/service/reports"
        case .reportCSV(let section): "/service/reports/\(section)"
        case .stepAction(let id, let step, let action): "/tickets/\(id)/steps/\(step)/\(action)"
        case .attachment(let id, let file): "/tickets/\(id)/attachments/\(file)"
        case .routing: "/service/routing"
        case .routingAction(let action): "/service/routing/\(action)"
        case .survey(let token): "/s/\(token)"
        case .cannedReplies: "/service/canned-replies"
        case .cannedAction(let action): "/service/canned-replies/\(action)"
        case .bulk: "/tickets/bulk"
        case .productIssues: "/service/product-issues"
        case .productIssue(let id): "/service/product-issues/\(id)"
        case .productIssueAction(let id, let action): "/service/product-issues/\(id)/\(action)"
        }
    }
}
