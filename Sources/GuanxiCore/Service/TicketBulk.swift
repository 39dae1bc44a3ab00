import Foundation

/// One change applied to many tickets from the queue: each ticket goes through the same rules as a
/// change made on its own page (`TicketFlow`, access, audit, webhooks) and succeeds or is skipped
/// with its reason.
package enum TicketBulkAction: Sendable, Equatable {
    case assign(userID: String?)
    case move(teamID: String?)
    case status(TicketStatus)
    case priority(TicketPriority)
    case tag(String)

    /// At most this many tickets at once.
    package static let limit = 500
    package static let types = ["assign", "move", "status", "priority", "tag"]

    /// The action from its fields (`type` and the one value it takes), or every bad field at once
    /// (`action.type`, `action.assignee_id` …). An empty assignee or department clears it.
    package static func parse(type: String?, assigneeID: String?, teamID: String?, status: String?, priority: String?,
                              tag: String?) throws(DomainError) -> TicketBulkAction {
        func blank(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        switch type {
        case "assign":
            if let a = blank(assigneeID), !ID.isValid(a) { throw DomainError.field("action.assignee_id", "must be an id") }
            return .assign(userID: blank(assigneeID)?.lowercased())
        case "move":
            if let t = blank(teamID), !ID.isValid(t) { throw DomainError.field("action.team_id", "must be an id") }
            return .move(teamID: blank(teamID)?.lowercased())
        case "status":
            guard let s = blank(status).flatMap(TicketStatus.init(rawValue:)) else {
                throw DomainError.field("action.status", "must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .status(s)
        case "priority":
            guard let p = blank(priority).flatMap(TicketPriority.init(rawValue:)) else {
                throw DomainError.field("action.priority", "must be one of \(TicketPriority.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .priority(p)
        case "tag":
            let t = Text.clean(tag ?? "").replacingOccurrences(of: "\n", with: " ")
            guard !t.isEmpty, t.count <= 40 else { throw DomainError.field("action.tag", "must be 1 to 40 characters") }
            return .tag(t)
        default:
            throw DomainError.field("action.type", "must be one of \(types.joined(separator: ", "))")
        }
    }

    /// The ids to change: 1 to `limit` valid ids, each once, in the order given (lower-cased).
    package static func ids(_ raw: [String]) throws(DomainError) -> [String] {
        guard !raw.isEmpty else { throw DomainError.field("ids", BulkWords.none) }
        guard raw.count <= limit else { throw DomainError.field("ids", BulkWords.tooMany(limit)) }
        if let bad = raw.first(where: { !ID.isValid($0) }) { throw DomainError.field("ids", BulkWords.badID(bad)) }
        var seen: Set<String> = []
        return raw.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }
}

/// What a bulk change did to one ticket.
package struct TicketBulkResult: Sendable, Equatable {
    package enum Outcome: String, Sendable { case updated, unchanged, skipped }
    package var id: String
    package var number: Int?
    package var outcome: Outcome
    package var error: DomainError?
    package init(id: String, number: Int?, outcome: Outcome, error: DomainError? = nil) {
        self.id = id; self.number = number; self.outcome = outcome; self.error = error
    }
}

package enum BulkWords {
    package static let none: DomainMessage = "choose at least one ticket"
    package static func tooMany(_ n: Int) -> DomainMessage { "at most \(n) tickets at once" }
    package static func badID(_ id: String) -> DomainMessage { "\(id) is not a ticket id" }
    /// A selected ticket changed between the queue being shown and the change.
    package static let changed: DomainMessage = "it changed after you selected it"
}
