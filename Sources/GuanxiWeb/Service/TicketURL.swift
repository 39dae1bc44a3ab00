import GuanxiWebPlatform
/// The service desk pages' addresses (see `PageAddress`): the queue, opening a ticket, a ticket
/// and its forms (`reply`, `status`, `assign`).
package enum TicketURL: PageAddress, Equatable {
    case tickets, newTicket, ticket(String), ticketAction(String, String)

    package var path: String {
        switch self {
        case .tickets: "/tickets"
        case .newTicket: "/tickets/new"
        case .ticket(let id): "/tickets/\(id)"
        case .ticketAction(let id, let action): "/tickets/\(id)/\(action)"
        }
    }
}
