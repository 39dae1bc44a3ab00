import Foundation
import SQLKit
import GuanxiCore

extension TicketStore {
    /// Applies one action to each ticket, one at a time, through the same store functions as a
    /// change on the ticket's own page (`update`, `setStatus`: access, `TicketFlow`, audit,
    /// webhooks), each in its own transaction: a ticket refused is skipped with its reason and the
    /// others go on. `versions` (id → the version the caller saw) skips a ticket that changed since;
    /// another workspace's id is not found.
    package func bulk(_ scope: Scope, ids raw: [String], action: TicketBulkAction, versions: [String: Int] = [:]) async throws -> [TicketBulkResult] {
        try scope.require(.tickets, .update)
        if case .assign = action { try scope.require(.tickets, .assign) }
        if case .move = action { try scope.require(.tickets, .assign) }
        let ids = try TicketBulkAction.ids(raw)
        let seen = Dictionary(versions.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        var out: [TicketBulkResult] = []
        for id in ids {
            var number: Int?
            do {
                let before = try await get(scope, id: id)
                number = before.number
                if let v = seen[id], v != before.version { throw DomainError.conflict(BulkWords.changed) }
                let after: Ticket
                switch action {
                case .status(let s): after = try await setStatus(scope, id: id, to: s, ifVersion: before.version)
                default:
                    var change = TicketChange()
                    switch action {
                    case .assign(let user): change.assigneeID = .some(user)
                    case .move(let team): change.teamID = .some(team)
                    case .priority(let p): change.priority = p.rawValue
                    case .tag(let tag): change.addTags = [tag]
                    case .status: break
                    }
                    after = try await update(scope, id: id, change, ifVersion: before.version)
                }
                out.append(TicketBulkResult(id: id, number: number, outcome: after.version == before.version ? .unchanged : .updated))
            } catch let e as DomainError {
                out.append(TicketBulkResult(id: id, number: number, outcome: .skipped, error: e))
            }
        }
        return out
    }
}
