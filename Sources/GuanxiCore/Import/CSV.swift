import Foundation

/// One parsed CSV record and the 1-based physical line it starts on.
package struct CSVRecord: Sendable, Equatable {
    /// Physical line (1-based) of the record's first byte, for error messages.
    package let line: Int
    /// Field values with quoting removed.
    package let fields: [String]

    package init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A record that could not be parsed; the importer shows these to the user.
package struct CSVIssue: Error, Sendable, Equatable {
    /// Physical line (1-based) where the broken record starts.
    package let line: Int
    /// Human-readable description of the problem (English).
    package let message: DomainMessage

    package init(line: Int, message: DomainMessage) {
        self.line = line
        self.message = message
    }
}

/// RFC 4180 CSV reader that keeps going after broken rows.
///
/// Spreadsheet exports from real CRMs contain stray quotes; failing the whole
/// import for one row is hostile, so a broken record becomes a `CSVIssue` and
/// parsing resumes at the next physical line after the record's start. A quoted
/// field that never closes (or spans more than `maxLinesPerRecord` lines) is
/// reported at its start line and cannot swallow the rest of the file.
///
/// Completely empty lines are skipped. A leading UTF-8 BOM is ignored. Parsing
/// works on UTF-8 bytes, which is what makes million-row imports fast.
///
/// Use `parse(_:delimiter:)` for a whole document, or iterate a `CSVReader` to
/// receive records one at a time.
package struct CSVReader: Sequence, IteratorProtocol, Sendable {
    /// Default cap on how many physical lines one quoted record may span.
    package static let defaultMaxLinesPerRecord = 1000

    private let bytes: [UInt8]
    private var cursor: CSVCursor
    private let delimiterByte: UInt8
    private let maxLinesPerRecord: Int
    private var scratch: [UInt8] = []

    /// Creates a streaming reader over `text`.
    ///
    /// - Parameter delimiter: an ASCII delimiter; non-ASCII values fall back to `,`.
    package init(_ text: String, delimiter: Character = ",", maxLinesPerRecord: Int = CSVReader.defaultMaxLinesPerRecord) {
        let bytes = Array(text.utf8)
        self.bytes = bytes
        self.delimiterByte = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.maxLinesPerRecord = Swift.max(1, maxLinesPerRecord)
        self.cursor = CSVCursor(start: bytes)
    }

    /// Creates a streaming reader over file bytes: decodes them with
    /// `TextDecoding` and sniffs the delimiter from the first line.
    package init(data: Data, maxLinesPerRecord: Int = CSVReader.defaultMaxLinesPerRecord) {
        let text = TextDecoding.decode(data).text
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        self.init(text, delimiter: CSVReader.sniffDelimiter(String(firstLine)), maxLinesPerRecord: maxLinesPerRecord)
    }

    /// The next record, or the issue describing the next broken record; `nil` at the end.
    package mutating func next() -> Result<CSVRecord, CSVIssue>? {
        let delimiter = delimiterByte
        let maxLines = maxLinesPerRecord
        return bytes.withUnsafeBufferPointer { buf in
            CSVParserCore.next(buf, &cursor, delimiter: delimiter, maxLines: maxLines, scratch: &scratch)
        }
    }

    /// Parses a whole document.
    ///
    /// - Returns: good records in file order, and one issue per broken record.
    package static func parse(_ text: String, delimiter: Character = ",") -> (records: [CSVRecord], issues: [CSVIssue]) {
        parse(text, delimiter: delimiter, maxLinesPerRecord: defaultMaxLinesPerRecord)
    }

    /// Parses a whole document with a custom cap on lines per quoted record.
    package static func parse(_ text: String, delimiter: Character, maxLinesPerRecord: Int) -> (records: [CSVRecord], issues: [CSVIssue]) {
        var text = text
        text.makeContiguousUTF8()
        let delimiterByte = delimiter.asciiValue ?? UInt8(ascii: ",")
        let maxLines = Swift.max(1, maxLinesPerRecord)
        return text.utf8.withContiguousStorageIfAvailable { buf in
            var records: [CSVRecord] = []
            var issues: [CSVIssue] = []
            var cursor = CSVCursor(start: buf)
            var scratch: [UInt8] = []
            while let outcome = CSVParserCore.next(buf, &cursor, delimiter: delimiterByte, maxLines: maxLines, scratch: &scratch) {
                switch outcome {
                case .success(let record): records.append(record)
                case .failure(let issue): issues.append(issue)
                }
            }
            return (records, issues)
        }!
    }

    /// Guesses the delimiter of a file from its header line: whichever of
    /// `,`, `;` and tab occurs most often outside quotes (ties and none → `,`).
    ///
    /// European Excel writes `;`, and "Unicode text" exports use tabs.
    package static func sniffDelimiter(_ headerLine: String) -> Character {
        var comma = 0, semicolon = 0, tab = 0
        var inQuotes = false
        for b in headerLine.utf8 {
            switch b {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ",") where !inQuotes: comma += 1
            case UInt8(ascii: ";") where !inQuotes: semicolon += 1
            case UInt8(ascii: "\t") where !inQuotes: tab += 1
            default: break
            }
        }
        if tab > comma && tab >= semicolon { return "\t" }
        if semicolon > comma { return ";" }
        return ","
    }
}

/// Position of a parser in its byte buffer.
struct CSVCursor: Sendable {
    var position: Int
    var line: Int

    init<C: Collection>(start bytes: C) where C.Element == UInt8 {
        // Skip a UTF-8 BOM so it does not end up in the first header name.
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        line = 1
    }
}

/// The byte-level state machine shared by `CSVReader.parse` and the streaming iterator.
enum CSVParserCore {
    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    private enum Failure {
        case quoteInUnquotedField
        case junkAfterClosingQuote
        case unterminated
        case tooManyLines(Int)

        var message: DomainMessage {
            switch self {
            case .quoteInUnquotedField: return "unexpected quote inside an unquoted field"
            case .junkAfterClosingQuote: return "unexpected character after a closing quote"
            case .unterminated: return "quoted field is never closed"
            case .tooManyLines(let n): return "quoted field spans more than \(n) lines; quote probably not closed"
            }
        }
    }

    static func next(
        _ buf: UnsafeBufferPointer<UInt8>, _ cursor: inout CSVCursor,
        delimiter: UInt8, maxLines: Int, scratch: inout [UInt8], final: Bool = true
    ) -> Result<CSVRecord, CSVIssue>? {
        let n = buf.count
        var pos = cursor.position
        var line = cursor.line
        // Skip blank lines between records.
        while pos < n, buf[pos] == lf || buf[pos] == cr {
            pos += (buf[pos] == cr && pos + 1 < n && buf[pos + 1] == lf) ? 2 : 1
            line += 1
        }
        guard pos < n else {
            cursor.position = pos
            cursor.line = line
            return nil
        }
        let startPos = pos
        let startLine = line
        var fields: [String] = []
        fields.reserveCapacity(8)

        func fail(_ failure: Failure) -> Result<CSVRecord, CSVIssue> {
            // Resync at the physical line after the record's start, so a runaway quote
            // costs at most that one line.
            var p = startPos
            while p < n, buf[p] != lf, buf[p] != cr { p += 1 }
            if p < n { p += (buf[p] == cr && p + 1 < n && buf[p + 1] == lf) ? 2 : 1 }
            cursor.position = p
            cursor.line = startLine + 1
            return .failure(CSVIssue(line: startLine, message: failure.message))
        }

        while true {
            if pos < n, buf[pos] == quote {
                // Quoted field: copy segments between doubled quotes.
                pos += 1
                var segmentStart = pos
                var usedScratch = false
                while true {
                    // Scan to the next quote or newline.
                    while pos < n {
                        let b = buf[pos]
                        if b == quote { break }
                        if b == lf || b == cr {
                            if !(b == cr && pos + 1 < n && buf[pos + 1] == lf) {
                                line += 1
                                if line - startLine >= maxLines { return fail(.tooManyLines(maxLines)) }
                            }
                        }
                        pos += 1
                    }
                    // more of the file may close it (`final` false: the caller reads on and asks again)
                    if pos >= n { return final ? fail(.unterminated) : nil }
                    if pos + 1 < n, buf[pos + 1] == quote {
                        // Doubled quote: keep one.
                        if !usedScratch { scratch.removeAll(keepingCapacity: true); usedScratch = true }
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segmentStart...pos]))
                        pos += 2
                        segmentStart = pos
                        continue
                    }
                    break
                }
                if usedScratch {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segmentStart..<pos]))
                    fields.append(String(decoding: scratch, as: UTF8.self))
                } else {
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: buf[segmentStart..<pos]), as: UTF8.self))
                }
                pos += 1 // closing quote
                if pos >= n { break }
                let b = buf[pos]
                if b == delimiter { pos += 1; continue }
                if b == lf || b == cr { break }
                return fail(.junkAfterClosingQuote)
            } else {
                let fieldStart = pos
                while pos < n {
                    let b = buf[pos]
                    if b == delimiter || b == lf || b == cr { break }
                    if b == quote { return fail(.quoteInUnquotedField) }
                    pos += 1
                }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: buf[fieldStart..<pos]), as: UTF8.self))
                if pos < n, buf[pos] == delimiter { pos += 1; continue }
                break
            }
        }
        // Consume the record terminator.
        if pos < n {
            pos += (buf[pos] == cr && pos + 1 < n && buf[pos + 1] == lf) ? 2 : 1
            line += 1
        }
        cursor.position = pos
        cursor.line = line
        // a cell our own export neutralised (`CSVWriter.neutralise`) reads back as it was
        for i in fields.indices where fields[i].utf8.first == UInt8(ascii: "'") { fields[i] = CSVWriter.restore(fields[i]) }
        return .success(CSVRecord(line: startLine, fields: fields))
    }
}

/// RFC 4180 CSV output, as Excel and Numbers expect it, and never a formula a spreadsheet would run.
///
/// Every export writes through here. A text cell that starts like a formula — `=`, `+`, `-`, `@`,
/// a tab or a carriage return, after any apostrophes — gets one more apostrophe in front (OWASP's
/// advice against CSV injection), so Excel and WPS show it as text. A cell the exporter knows is a
/// number (`Cell.number`, e.g. a negative amount) is written as it is when it is a plain decimal
/// number. `CSVReader` removes that one apostrophe again, so an export imports back unchanged.
package enum CSVWriter {
    /// What a cell holds: text (neutralised when it starts like a formula), or a number the exporter
    /// wrote itself (kept readable as a number; anything else in it is treated as text).
    package enum Cell: Sendable, Equatable {
        case text(String)
        case number(String)

        /// The cell as written to the file, before quoting.
        package var written: String {
            switch self {
            case .text(let s): CSVWriter.neutralise(s)
            case .number(let s): CSVWriter.isPlainNumber(s) ? s : CSVWriter.neutralise(s)
            }
        }
    }

    /// The characters a spreadsheet takes as the start of a formula (or that hide one, tab and CR).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `'` + text when the text, after any leading apostrophes, starts like a formula; else the text.
    /// The apostrophes are counted so that `restore` can tell our prefix from the user's own.
    package static func neutralise(_ s: String) -> String {
        guard let first = s.unicodeScalars.first(where: { $0 != "'" }), formulaStarts.contains(first) else { return s }
        return "'" + s
    }

    /// Undoes `neutralise`: a cell of one or more apostrophes followed by a formula start loses its
    /// first apostrophe; any other cell stays as it is. `restore(neutralise(s)) == s` for every `s`.
    package static func restore(_ s: String) -> String {
        guard s.utf8.first == UInt8(ascii: "'"), let first = s.unicodeScalars.first(where: { $0 != "'" }),
              formulaStarts.contains(first) else { return s }
        return String(s.unicodeScalars.dropFirst())
    }

    /// `-12`, `3.5`, `0`: an optional minus, digits, optionally a point and digits. Empty counts too.
    static func isPlainNumber(_ s: String) -> Bool { s.isEmpty || s.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?/) != nil }

    /// Formats one record of text cells terminated by CRLF (see `row(cells:)`).
    package static func row(_ fields: [String], delimiter: Character = ",") -> String {
        row(cells: fields.map(Cell.text), delimiter: delimiter)
    }

    /// Formats one record terminated by CRLF. Fields containing the delimiter, a quote, CR or LF are
    /// quoted, with inner quotes doubled.
    package static func row(cells: [Cell], delimiter: Character = ",") -> String {
        let delimiterByte = delimiter.asciiValue ?? UInt8(ascii: ",")
        var out = ""
        for (i, cell) in cells.enumerated() {
            let field = cell.written
            if i > 0 { out.append(delimiter) }
            let needsQuotes = field.utf8.contains {
                $0 == delimiterByte || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
            }
            if needsQuotes {
                out.append("\"")
                for ch in field.unicodeScalars {
                    if ch == "\"" { out.append("\"\"") } else { out.unicodeScalars.append(ch) }
                }
                out.append("\"")
            } else {
                out.append(field)
            }
        }
        out.append("\r\n")
        return out
    }

    /// A complete CSV file of text cells as UTF-8.
    ///
    /// - Parameter bom: prepend a UTF-8 BOM; Excel needs it to open UTF-8 CSV
    ///   with Chinese text correctly instead of guessing the ANSI code page.
    package static func document(header: [String], rows: [[String]], bom: Bool) -> Data {
        document(header: header, cells: rows.map { $0.map(Cell.text) }, bom: bom)
    }

    /// A complete CSV file as UTF-8: a header of text, then rows of cells.
    package static func document(header: [String], cells rows: [[Cell]], bom: Bool) -> Data {
        var text = row(header)
        for r in rows { text += row(cells: r) }
        var data = Data()
        data.reserveCapacity(text.utf8.count + 3)
        if bom { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        data.append(contentsOf: text.utf8)
        return data
    }
}
