import Foundation

/// A file offered with a ticket message: from the reply form, the API, or a customer's mail.
package struct AttachmentUpload: Sendable, Equatable {
    /// The name as the sender gave it (cleaned by `AttachmentRules.cleanName`).
    package var name: String
    /// The type the sender declared (not trusted: the type kept is the one the extension and the
    /// content agree on).
    package var declaredType: String?
    package var data: Data
    package init(name: String, declaredType: String? = nil, data: Data) { self.name = name; self.declaredType = declaredType; self.data = data }
}

/// An attachment that passed the rules: its clean name, the type its extension and content agree on.
package struct CheckedAttachment: Sendable, Equatable {
    package var name: String
    package var contentType: String
    package var data: Data
    package init(name: String, contentType: String, data: Data) { self.name = name; self.contentType = contentType; self.data = data }
}

/// What a ticket message may carry: at most `maxCount` files, each at most `maxFileBytes`, all
/// together at most `maxTotalBytes`, each of an allowed kind (images, PDF, plain text and CSV,
/// Office documents, ZIP) whose extension and first bytes agree. HTML, SVG, scripts and programs are
/// never taken, whatever they are called.
package enum AttachmentRules {
    package static let maxFileBytes = 10 * 1024 * 1024
    package static let maxTotalBytes = 25 * 1024 * 1024
    package static let maxCount = 10

    /// An allowed kind: its content type and how its content starts.
    struct Kind { let type: String; let matches: @Sendable ([UInt8]) -> Bool }

    static func starts(_ prefixes: [UInt8]...) -> @Sendable ([UInt8]) -> Bool { { b in prefixes.contains { b.starts(with: $0) } } }
    static let zip = starts([0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06])
    static let ole = starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    static let kinds: [String: Kind] = [
        "png": Kind(type: "image/png", matches: starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
        "jpg": Kind(type: "image/jpeg", matches: starts([0xFF, 0xD8, 0xFF])),
        "jpeg": Kind(type: "image/jpeg", matches: starts([0xFF, 0xD8, 0xFF])),
        "gif": Kind(type: "image/gif", matches: starts(Array("GIF87a".utf8), Array("GIF89a".utf8))),
        "webp": Kind(type: "image/webp", matches: { b in b.starts(with: Array("RIFF".utf8)) && b.count >= 12 && Array(b[8..<12]) == Array("WEBP".utf8) }),
        "pdf": Kind(type: "application/pdf", matches: starts(Array("%PDF-".utf8))),
        "txt": Kind(type: "text/plain", matches: isPlainText),
        "csv": Kind(type: "text/csv", matches: isPlainText),
        "docx": Kind(type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", matches: zip),
        "xlsx": Kind(type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", matches: zip),
        "pptx": Kind(type: "application/vnd.openxmlformats-officedocument.presentationml.presentation", matches: zip),
        "zip": Kind(type: "application/zip", matches: zip),
        "doc": Kind(type: "application/msword", matches: ole),
        "xls": Kind(type: "application/vnd.ms-excel", matches: ole),
        "ppt": Kind(type: "application/vnd.ms-powerpoint", matches: ole),
    ]

    /// Text with no NUL byte and nothing a browser would take for markup at its start.
    static let isPlainText: @Sendable ([UInt8]) -> Bool = { b in
        let head = b.prefix(1024)
        guard !head.contains(0) else { return false }
        let lower = String(decoding: head, as: UTF8.self).lowercased()
        return !["<html", "<script", "<svg", "<!doctype", "<body", "<head", "<iframe", "<?xml", "<img", "<object"].contains { lower.contains($0) }
    }

    /// The extension of a name, lower case, without its dot.
    package static func ext(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// A file name fit to keep and show: its last path part (no `/`, `\`), without control and
    /// direction-changing characters, quotes or the characters Windows refuses, at most 120
    /// characters (the extension kept); Chinese and emoji stay. "attachment" when nothing is left.
    package static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let bidi: ClosedRange<UInt32> = 0x202A...0x202E, isolates: ClosedRange<UInt32> = 0x2066...0x2069
        var scalars = String.UnicodeScalarView()
        for s in last.unicodeScalars {
            if s.properties.generalCategory == .control || bidi.contains(s.value) || isolates.contains(s.value)
                || [0x200E, 0x200F, 0x061C, 0xFEFF].contains(s.value) { continue }
            scalars.append("\"<>:*?|;".unicodeScalars.contains(s) ? "_" : s)
        }
        var name = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.count > 120 {
            let e = ext(name)
            name = String(name.prefix(e.isEmpty || e.count > 10 ? 120 : 119 - e.count)) + (e.isEmpty || e.count > 10 ? "" : "." + e)
        }
        return name.isEmpty ? "attachment" : name
    }

    /// One file's refusal, or its checked form.
    package static func check(_ u: AttachmentUpload) -> Result<CheckedAttachment, Refusal> {
        let name = cleanName(u.name)
        if u.data.isEmpty { return .failure(Refusal(name: name, message: "the file is empty")) }
        if u.data.count > maxFileBytes { return .failure(Refusal(name: name, message: "is larger than the \(maxFileBytes / 1024 / 1024) MB limit")) }
        let e = ext(name)
        guard let kind = kinds[e] else {
            return .failure(Refusal(name: name, message: "is not an allowed file type (images, PDF, text, CSV, Office documents, ZIP)"))
        }
        guard kind.matches(Array(u.data.prefix(1024))) else { return .failure(Refusal(name: name, message: "does not look like a .\(e) file")) }
        return .success(CheckedAttachment(name: name, contentType: kind.type, data: u.data))
    }

    package struct Refusal: Error, Sendable, Equatable { package var name: String; package var message: DomainMessage
        package static func == (a: Refusal, b: Refusal) -> Bool { a.name == b.name && a.message.text == b.message.text }
    }

    /// Sorts a message's files: the ones kept, in order, and each refused one by its position
    /// (too many, too much together, or its own fault). Files sent empty and nameless (a file input
    /// left blank) are not counted.
    package static func sort(_ uploads: [AttachmentUpload]) -> (kept: [CheckedAttachment], refused: [(index: Int, refusal: Refusal)]) {
        var kept: [CheckedAttachment] = [], refused: [(index: Int, refusal: Refusal)] = []
        var total = 0
        for (i, u) in uploads.enumerated() where !(u.name.isEmpty && u.data.isEmpty) {
            switch check(u) {
            case .failure(let r): refused.append((i, r))
            case .success(let c):
                if kept.count >= maxCount {
                    refused.append((i, Refusal(name: c.name, message: "at most \(maxCount) attachments per message")))
                } else if total + c.data.count > maxTotalBytes {
                    refused.append((i, Refusal(name: c.name, message: "attachments together are larger than the \(maxTotalBytes / 1024 / 1024) MB limit")))
                } else {
                    kept.append(c); total += c.data.count
                }
            }
        }
        return (kept, refused)
    }

    /// The files of a form or API call: all kept, or every refusal as a field error
    /// (`attachments[0]` …) naming the file.
    package static func checked(_ uploads: [AttachmentUpload], into e: inout FieldErrors) -> [CheckedAttachment] {
        let (kept, refused) = sort(uploads)
        for (i, r) in refused { e.add("attachments[\(i)]", r.message) }
        return kept
    }

    /// The type a download is served as: images and PDF as what they are, anything else as bytes.
    package static func servedType(_ contentType: String) -> String {
        ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"].contains(contentType) ? contentType : "application/octet-stream"
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 and 5987): an ASCII stand-in for
    /// old clients, the exact name percent-encoded for the rest.
    package static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { s -> Character in
            s.isASCII && s.value >= 0x20 && s.value < 0x7F && !"\"\\;%".unicodeScalars.contains(s) ? Character(s) : "_"
        })
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "attachment"
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// A size for people: "512 B", "38 KB", "2.4 MB".
    package static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\((bytes + 1023) / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
