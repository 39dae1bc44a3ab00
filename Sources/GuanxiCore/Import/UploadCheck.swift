import Foundation

/// What an uploaded file is, read from its first bytes: the name and the browser's type say little
/// (a picture renamed `.csv`, a workbook sent as `text/csv`).
package enum UploadKind: Equatable, Sendable {
    case text, image, pdf, zip, oldExcel, binary

    package static func of(_ bytes: [UInt8]) -> UploadKind {
        func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
        if starts([0x89, 0x50, 0x4E, 0x47]) || starts([0xFF, 0xD8, 0xFF]) || starts(Array("GIF8".utf8))
            || (starts(Array("RIFF".utf8)) && bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8)) {
            return .image
        }
        if starts(Array("%PDF".utf8)) { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oldExcel }
        // text has no NUL bytes, except UTF-16, which the decoder recognises
        let head = bytes.prefix(8192)
        if head.contains(0), !starts([0xFF, 0xFE]), !starts([0xFE, 0xFF]), TextDecoding.utf16WithoutBOM(bytes) == nil { return .binary }
        return .text
    }
}

/// The checks an import makes when a file arrives, before anything is mapped or written: a table
/// in text (what kind of file it is), characters that decode, and a first row that names columns.
/// Each refusal says what to do next in words a spreadsheet user knows.
package enum UploadCheck {
    /// The refusal for a file that is not a table in text (nil for text; a ZIP may still be a
    /// workbook, which the store reads).
    package static func refusal(_ kind: UploadKind) -> DomainError? {
        switch kind {
        case .text, .zip: nil
        case .image: .field("file", "this file is a picture, not a table: in Excel choose File › Save As › CSV UTF-8, then upload that file")
        case .pdf: .field("file", "this file is a PDF, not a table: in Excel choose File › Save As › CSV UTF-8, then upload that file")
        case .oldExcel: .field("file", "this is an older Excel workbook (.xls): in Excel choose File › Save As › CSV UTF-8 (or Excel Workbook .xlsx), then upload that file")
        case .binary: .field("file", "this file is not text: in Excel choose File › Save As › CSV UTF-8, then upload that file")
        }
    }

    /// Decodes an uploaded table and checks what a person would check first.
    /// - Returns: the text, its encoding and the header row's cells.
    /// - Throws: a field error on `file` saying what is wrong and what to do.
    package static func text(_ data: Data) throws -> (text: String, encoding: SourceEncoding, header: [String]) {
        if data.isEmpty { throw DomainError.field("file", "the upload is empty") }
        let bytes = [UInt8](data)
        if let refusal = refusal(UploadKind.of(bytes)) { throw refusal }
        if UploadKind.of(bytes) == .zip {
            throw DomainError.field("file", "this file is a compressed archive, not a table: in Excel choose File › Save As › CSV UTF-8, then upload that file")
        }
        let (text, encoding) = TextDecoding.decode(data)
        // characters that did not decode: a few in a long file are the file's own; many mean
        // the encoding is not one Guanxi reads
        var chars = 0, bad = 0
        for u in text.unicodeScalars.prefix(200_000) {
            chars += 1
            if u == "\u{FFFD}" { bad += 1 }
        }
        if bad > 0 && bad * 100 > chars {
            throw DomainError.field("file", "the file's characters could not be read: in Excel choose File › Save As › CSV UTF-8, then upload that file")
        }
        let firstLine = String(text.prefix(while: { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }))
        let header = CSVReader.parse(firstLine, delimiter: CSVReader.sniffDelimiter(firstLine)).records.first?.fields ?? []
        let named = header.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let unreadable = header.contains { h in h.unicodeScalars.contains { $0 == "\u{FFFD}" || ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) } }
        if named.isEmpty || unreadable {
            throw DomainError.field("file", "the first row should name the columns (name, phone, email …) but could not be read: check the file, or save it from Excel as CSV UTF-8")
        }
        return (text, encoding, header)
    }
}
