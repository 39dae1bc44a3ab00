import Foundation

/// Where the importer takes its records from, one at a time.
package protocol CSVRecordSource {
    /// How the bytes were read.
    var encoding: SourceEncoding { get }
    /// The next record, or the issue describing the next broken record; nil at the end.
    mutating func next() throws -> Result<CSVRecord, CSVIssue>?
    /// How far through its input the source is (0…1), for progress bars.
    var fraction: Double { get }
}

/// A document already in memory (an upload).
package struct CSVTextSource: CSVRecordSource {
    package let encoding: SourceEncoding
    var reader: CSVReader

    package init(_ data: Data) {
        let (text, encoding) = TextDecoding.decode(data)
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        self.encoding = encoding
        self.reader = CSVReader(text, delimiter: CSVReader.sniffDelimiter(String(firstLine)))
    }

    package mutating func next() throws -> Result<CSVRecord, CSVIssue>? { reader.next() }
    /// Unknown (uploads report no progress).
    package var fraction: Double { 0 }
}

/// A CSV file read and parsed in chunks, so a large file never sits in memory whole (nor do its
/// records): a first pass over the bytes finds the encoding (UTF-8, or GB18030 when it is not
/// valid UTF-8; UTF-16 files, rare and small, are read whole), then each chunk is turned into
/// UTF-8 and parsed as it comes. A record that reaches the end of what has been read waits for
/// the next chunk, so quoted fields may span chunks.
package struct CSVFileReader: CSVRecordSource {
    package private(set) var encoding: SourceEncoding = .utf8
    package let size: Int
    let handle: FileHandle
    let chunkSize: Int
    let observe: (ArraySlice<UInt8>) -> Void
    var pending: [UInt8] = []
    var cursor = CSVCursor(start: [UInt8]())
    var delimiter = UInt8(ascii: ",")
    var carry: [UInt8] = []   // GB18030 bytes after the chunk's last line feed
    var eof = false
    var read = 0
    var scratch: [UInt8] = []
    let maxLines = CSVReader.defaultMaxLinesPerRecord

    /// - Parameter observe: sees every byte of the file once, in order (the importer hashes it).
    package init(path: String, chunkSize: Int = 1 << 20, observe: @escaping (ArraySlice<UInt8>) -> Void = { _ in }) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CSVFileError.unreadable(path) }
        self.handle = handle
        self.chunkSize = max(64, chunkSize)
        self.observe = observe
        self.size = Int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? 0)
        let head = try handle.read(upToCount: 3).map { [UInt8]($0) } ?? []
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            // UTF-16: read whole
            try handle.seek(toOffset: 0)
            let all = try handle.readToEnd() ?? Data()
            observe(ArraySlice(all))
            let (text, enc) = TextDecoding.decode(all)
            encoding = enc
            pending = Array(text.utf8)
            eof = true
            read = all.count
        } else if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8BOM
            observe(ArraySlice(head))
            read = 3
        } else {
            try handle.seek(toOffset: 0)
            encoding = try Self.isUTF8(handle, chunkSize: self.chunkSize) ? .utf8 : .gb18030
            try handle.seek(toOffset: 0)
            if encoding == .gb18030, let first = try handle.read(upToCount: 64 * 1024), TextDecoding.looksLikeBig5([UInt8](first)) { encoding = .big5 }
            try handle.seek(toOffset: 0)
        }
        if !eof { try refill() }
        // the delimiter is sniffed from the header line
        let end = pending.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? pending.endIndex
        delimiter = CSVReader.sniffDelimiter(String(decoding: pending[..<end], as: UTF8.self)).asciiValue ?? UInt8(ascii: ",")
    }

    package var fraction: Double { size > 0 ? min(1, Double(read) / Double(size)) : 0 }

    package mutating func next() throws -> Result<CSVRecord, CSVIssue>? {
        while true {
            let before = cursor
            let final = eof
            let delimiter = self.delimiter, maxLines = self.maxLines
            var outcome: Result<CSVRecord, CSVIssue>??
            pending.withUnsafeBufferPointer { buf in
                outcome = CSVParserCore.next(buf, &cursor, delimiter: delimiter, maxLines: maxLines, scratch: &scratch, final: final)
            }
            if final { return outcome ?? nil }
            // not the end of the file: a record that ran to the end of what was read may go on
            if case .some(.some) = outcome, cursor.position < pending.count { return outcome! }
            cursor = before
            try refill()
        }
    }

    /// Drops what was parsed and appends the next chunk as UTF-8.
    mutating func refill() throws {
        if cursor.position > 0 {
            pending.removeSubrange(0..<cursor.position)
            cursor.position = 0
        }
        guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
            if !carry.isEmpty { pending += Self.convert(carry, encoding); carry = [] }
            eof = true
            try? handle.close()
            return
        }
        let bytes = [UInt8](data)
        read += bytes.count
        observe(bytes[...])
        switch encoding {
        case .gb18030, .big5:
            // a line feed never occurs inside a GB18030 or Big5 character, so whole lines convert alone
            carry += bytes
            if let lf = carry.lastIndex(of: 0x0A) {
                pending += Self.convert(Array(carry[...lf]), encoding)
                carry.removeSubrange(...lf)
            }
        default:
            pending += bytes
        }
    }

    static func convert(_ bytes: [UInt8], _ encoding: SourceEncoding) -> [UInt8] {
        Array((TextDecoding.decode(bytes, charset: encoding == .big5 ? "big5" : "gb18030")?.text ?? String(decoding: bytes, as: UTF8.self)).utf8)
    }

    /// Whether the whole file is valid UTF-8, checked a chunk at a time.
    static func isUTF8(_ handle: FileHandle, chunkSize: Int) throws -> Bool {
        var carry: [UInt8] = []
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            var bytes = carry + [UInt8](data)
            // keep an unfinished character for the next chunk (at most three bytes)
            var cut = bytes.count
            var back = 0
            while cut > 0, back < 3, bytes[cut - 1] & 0xC0 == 0x80 { cut -= 1; back += 1 }
            if cut > 0, bytes[cut - 1] >= 0xC0 { cut -= 1 }
            carry = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
            if String(validating: bytes, as: UTF8.self) == nil { return false }
        }
        return carry.isEmpty || String(validating: carry, as: UTF8.self) != nil
    }
}

package enum CSVFileError: Error, CustomStringConvertible {
    case unreadable(String)
    package var description: String {
        switch self { case .unreadable(let p): "cannot read \(p)" }
    }
}
