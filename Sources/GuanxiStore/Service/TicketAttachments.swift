import Foundation
import SQLKit
import GuanxiCore

/// A file of a ticket message.
package struct TicketAttachment: Sendable, Encodable, Equatable {
    package var id: String
    package var ticketID: String
    package var messageID: String
    package var name: String
    package var contentType: String
    package var size: Int
    package var sha256: String
    package var uploadedBy: String?
    package var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, name, size, sha256, ticketID = "ticket_id", messageID = "message_id", contentType = "content_type",
             uploadedBy = "uploaded_by", createdAt = "created_at"
    }
}

extension TicketAttachment: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("content_type", contentType); w.member("created_at", createdAt); w.member("id", id); w.member("message_id", messageID)
            w.member("name", name); w.member("sha256", sha256); w.member("size", size); w.member("ticket_id", ticketID)
            w.key("uploaded_by"); if let uploadedBy { w.string(uploadedBy) } else { w.null() }
        }
    }
}

/// A checked file already on disk, waiting for the transaction that records it.
package struct StoredFile: Sendable, Equatable {
    package var name: String
    package var contentType: String
    package var size: Int
    package var sha256: String
}

/// Rows of `ticket_attachments`, written inside the transaction of the message they belong to.
enum TicketAttachments {
    /// Puts the checked files on disk (before the transaction: an orphan is harmless, a row without its file is not).
    static func store(_ files: [CheckedAttachment], in disk: AttachmentFiles?) throws -> [StoredFile] {
        guard !files.isEmpty else { return [] }
        guard let disk else { throw DomainError.badRequest("attachments are not kept on this server") }
        return try files.map { StoredFile(name: $0.name, contentType: $0.contentType, size: $0.data.count, sha256: try disk.put($0.data)) }
    }

    /// Records `files` as message `m`'s, with one audit entry each and the ticket's timeline entry naming them.
    @discardableResult
    static func attach(_ files: [StoredFile], to m: TicketMessage, of t: Ticket, tx: Tx) async throws -> [TicketAttachment] {
        guard !files.isEmpty else { return [] }
        var out: [TicketAttachment] = []
        for (position, f) in files.enumerated() {
            let a = TicketAttachment(id: ID.make(at: tx.now), ticketID: t.id, messageID: m.id, name: f.name, contentType: f.contentType,
                                     size: f.size, sha256: f.sha256, uploadedBy: m.kind == .customer ? nil : tx.scope.userID, createdAt: tx.now)
            try await tx.sql.raw("""
                INSERT INTO ticket_attachments (id, workspace_id, ticket_id, message_id, position, name, content_type, size, sha256, uploaded_by, created_at)
                VALUES (\(bind: a.id), \(bind: tx.scope.workspaceID), \(bind: a.ticketID), \(bind: a.messageID), \(bind: position), \(bind: a.name),
                  \(bind: a.contentType), \(bind: a.size), \(bind: a.sha256), \(bind: a.uploadedBy), \(bind: a.createdAt.millis))
                """).run()
            try await tx.audit("attachment_upload", "tickets", t.id, detail: ["attachment_id": .string(a.id), "message_id": .string(m.id),
                                                                             "name": .string(a.name), "size": .number(Double(a.size)),
                                                                             "sha256": .string(a.sha256)])
            out.append(a)
        }
        try await tx.timeline(t.customerID, .ticket, data: ["step": "attachments", "ticket_id": .string(t.id), "number": .number(Double(t.number)),
                                                          "message_id": .string(m.id), "kind": .string(m.kind.rawValue),
                                                          "files": .array(out.map { .string($0.name) })])
        return out
    }

    static let columns = "id, ticket_id, message_id, name, content_type, size, sha256, uploaded_by, created_at"

    /// A ticket's attachments, oldest first.
    static func of(ticket id: String, sql: any SQLDatabase) async throws -> [TicketAttachment] {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM ticket_attachments WHERE ticket_id = \(bind: id) ORDER BY created_at, position, id")
            .all().map(decode)
    }

    static func of(message id: String, sql: any SQLDatabase) async throws -> [TicketAttachment] {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM ticket_attachments WHERE message_id = \(bind: id) ORDER BY created_at, position, id")
            .all().map(decode)
    }

    static func decode(_ r: any SQLRow) throws -> TicketAttachment {
        TicketAttachment(id: try r.decode(column: "id", as: String.self), ticketID: try r.decode(column: "ticket_id", as: String.self),
                         messageID: try r.decode(column: "message_id", as: String.self), name: try r.decode(column: "name", as: String.self),
                         contentType: try r.decode(column: "content_type", as: String.self), size: try r.decode(column: "size", as: Int.self),
                         sha256: try r.decode(column: "sha256", as: String.self), uploadedBy: try r.decode(column: "uploaded_by", as: String?.self),
                         createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
    }
}
