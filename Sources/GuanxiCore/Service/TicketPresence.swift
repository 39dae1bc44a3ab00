import Foundation

/// Someone with a ticket's page open: since when (this visit), when last seen, and whether they
/// were writing in its reply form (a canned reply picked, a refused reply shown again).
package struct TicketViewer: Sendable, Equatable, Encodable {
    package var userID: String
    package var name: String
    package var since: Date
    package var seenAt: Date
    package var replying: Bool
    package init(userID: String, name: String = "", since: Date, seenAt: Date, replying: Bool) {
        self.userID = userID; self.name = name; self.since = since; self.seenAt = seenAt; self.replying = replying
    }
    enum CodingKeys: String, CodingKey { case name, since, replying, userID = "user_id", seenAt = "seen_at" }
}

/// Collision notices: who else has a ticket open. Presence is kept in the database (every server
/// instance sees it), touched on each view of the page.
package enum TicketPresence {
    /// Another agent counts as there when seen within this long.
    package static let window: TimeInterval = 120
    /// Rows older than this are pruned.
    package static let keep: TimeInterval = 600

    /// A row seen this recently is not written again on a view that changes nothing else.
    package static let fresh: TimeInterval = 30

    package static func isFresh(_ v: TicketViewer, at now: Date) -> Bool {
        v.seenAt <= now && now.timeIntervalSince(v.seenAt) < fresh
    }

    /// The row after a view at `now`: a visit goes on while the page is seen again within the
    /// window (its `since` stays), else a new one starts.
    package static func touch(_ before: TicketViewer?, userID: String, at now: Date, replying: Bool) -> TicketViewer {
        guard let b = before, now.timeIntervalSince(b.seenAt) <= window, b.seenAt <= now else {
            return TicketViewer(userID: userID, since: now, seenAt: now, replying: replying)
        }
        return TicketViewer(userID: userID, name: b.name, since: b.since, seenAt: now, replying: replying)
    }

    /// The others there at `now`, earliest first.
    package static func others(_ viewers: [TicketViewer], me: String?, at now: Date) -> [TicketViewer] {
        viewers.filter { $0.userID != me && now.timeIntervalSince($0.seenAt) <= window && $0.seenAt <= now.addingTimeInterval(1) }
            .sorted { ($0.since, $0.userID) < ($1.since, $1.userID) }
    }
}

/// What happened to a ticket while someone had it open, read from its audit entries, for the
/// page that refuses their reply on a changed version.
package struct TicketChangeNote: Sendable, Equatable {
    package enum Kind: String, Sendable { case reply, note, customer, status, assignment, step, other }
    package var kind: Kind
    package var actorID: String?
    package var at: Date
    /// The status moved to (`status`).
    package var status: String?
    package init(kind: Kind, actorID: String?, at: Date, status: String? = nil) {
        self.kind = kind; self.actorID = actorID; self.at = at; self.status = status
    }

    /// One note per audit entry of the ticket (action and detail as `TicketStore` writes them), in
    /// order, leaving out what `me` did.
    package static func notes(_ entries: [(action: String, actorID: String?, at: Date, detail: JSONValue?)], me: String?) -> [TicketChangeNote] {
        entries.compactMap { e in
            guard e.actorID == nil || e.actorID != me else { return nil }
            func field(_ k: String) -> String? { if case .object(let o)? = e.detail, case .string(let s)? = o[k] { return s }; return nil }
            switch e.action {
            case "message":
                return TicketChangeNote(kind: field("kind") == "customer" ? .customer : .reply, actorID: e.actorID, at: e.at)
            case "note": return TicketChangeNote(kind: .note, actorID: e.actorID, at: e.at)
            case "status": return TicketChangeNote(kind: .status, actorID: e.actorID, at: e.at, status: field("to"))
            case "update", "route", "bulk": return TicketChangeNote(kind: .assignment, actorID: e.actorID, at: e.at)
            case "step_add", "handoff_start", "handoff", "step_done", "approve", "reject": return TicketChangeNote(kind: .step, actorID: e.actorID, at: e.at)
            case "create", "mention": return nil
            default: return TicketChangeNote(kind: .other, actorID: e.actorID, at: e.at)
            }
        }
    }
}
