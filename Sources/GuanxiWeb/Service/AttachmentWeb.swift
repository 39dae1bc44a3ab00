import Foundation
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// What the pages and the API share about ticket attachments: reading them from a multipart body,
/// answering a download, and listing a message's files.
enum AttachmentWeb {
    /// The files of a multipart body: every part named `attachments` that carries a file name.
    static func uploads(_ parts: [Multipart.Part]) -> [AttachmentUpload] {
        parts.filter { $0.name == "attachments" && $0.filename != nil }
            .map { AttachmentUpload(name: $0.filename ?? "", declaredType: $0.contentType, data: $0.data) }
    }

    /// A download: always saved rather than shown (`Content-Disposition: attachment` with the name
    /// in RFC 5987 form), images and PDF typed as what they are and everything else as bytes, never
    /// sniffed, and sandboxed should a browser render it anyway.
    static func download(_ a: TicketAttachment, _ data: Data) -> APIResponse {
        APIResponse(status: .ok, body: data, headers: [
            "Content-Disposition": AttachmentRules.contentDisposition(a.name),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, no-store",
        ], contentType: AttachmentRules.servedType(a.contentType))
    }

    /// A message's files for the conversation: name, size and the download link.
    static func rows(_ m: TicketMessage) -> [[String: Any]] {
        m.attachments.map { a in
            ["name": a.name, "size": AttachmentRules.size(a.size), "href": TicketURL.attachment(a.ticketID, a.id).path] as [String: Any]
        }
    }

    /// The refusals of a form's files, each naming its file, in the visitor's language.
    static func errors(_ e: DomainError?, _ uploads: [AttachmentUpload], _ v: PageContext) -> [String] {
        guard case .validation(let fields)? = e else { return [] }
        return uploads.indices.compactMap { i in
            fields["attachments[\(i)]"].map { AttachmentRules.cleanName(uploads[i].name) + ": " + v.localize($0) }
        }
    }
}
