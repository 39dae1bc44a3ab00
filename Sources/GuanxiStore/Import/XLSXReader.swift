import Foundation
import GuanxiCore

/// Reads the first sheet of an Excel workbook (`.xlsx`: a ZIP of XML parts) as rows of text, so a
/// workbook imports like the CSV Excel would have saved: shared and inline strings as written,
/// numbers as Excel shows them without grouping (a phone typed as a number keeps every digit),
/// cells formatted as dates as `YYYY-MM-DD` (`YYYY-MM-DD HH:MM` with a time), booleans TRUE/FALSE.
/// Row numbers are kept (empty rows stay empty lines), so an import's line N is the sheet's row N.
/// Inflate is the system's zlib; no part may grow past `limit` bytes (a ZIP bomb stops there).
package enum XLSXReader {
    package enum Failure: Error, Equatable {
        /// Not a ZIP archive, or a damaged one (also encrypted or ZIP64 archives).
        case notZip
        /// A ZIP without a workbook in it.
        case notWorkbook
        /// A part larger than the limit once inflated, or more rows than a sheet holds.
        case tooLarge
    }

    /// The first sheet as CSV text (UTF-8, comma-separated, CRLF as Guanxi's exports write it).
    package static func csv(_ data: Data, limit: Int = 256 << 20) throws -> String {
        var out = ""
        for row in try rows(data, limit: limit) { out += CSVWriter.row(row) }
        return out
    }

    package static func rows(_ data: Data, limit: Int = 256 << 20) throws -> [[String]] {
        let zip = try ZipArchive([UInt8](data))
        guard zip.has("xl/workbook.xml") else { throw Failure.notWorkbook }
        let workbook = try zip.part("xl/workbook.xml", limit: limit)
        let sheetPath = firstSheetPath(workbook: workbook, rels: try? zip.part("xl/_rels/workbook.xml.rels", limit: limit))
        guard zip.has(sheetPath) else { throw Failure.notWorkbook }
        let shared = zip.has("xl/sharedStrings.xml") ? sharedStrings(try zip.part("xl/sharedStrings.xml", limit: limit)) : []
        let dates = zip.has("xl/styles.xml") ? dateStyles(try zip.part("xl/styles.xml", limit: limit)) : []
        let date1904 = XMLScan(workbook).contains { if case .open("workbookPr", let a, _) = $0 { return a["date1904"] == "1" || a["date1904"] == "true" }; return false }
        return try sheet(try zip.part(sheetPath, limit: limit), shared: shared, dateStyles: dates, date1904: date1904)
    }

    // MARK: Parts

    /// The first `<sheet>` of the workbook, through its relationship; the usual name otherwise.
    static func firstSheetPath(workbook: [UInt8], rels: [UInt8]?) -> String {
        var rid: String?
        for e in XMLScan(workbook) {
            if case .open("sheet", let a, _) = e { rid = a.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value; break }
        }
        if let rid, let rels {
            for e in XMLScan(rels) {
                if case .open("Relationship", let a, _) = e, a["Id"] == rid, let target = a["Target"] {
                    return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                }
            }
        }
        return "xl/worksheets/sheet1.xml"
    }

    /// Each `<si>`'s text: its `<t>`s, without phonetic guides (`<rPh>`, the furigana of Japanese names).
    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var out: [String] = [], current = "", inT = false, phonetic = 0
        for e in XMLScan(xml) {
            switch e {
            case .open("si", _, _): current = ""
            case .close("si"): out.append(current)
            case .open("rPh", _, let empty): if !empty { phonetic += 1 }
            case .close("rPh"): phonetic -= 1
            case .open("t", _, let empty): inT = !empty
            case .close("t"): inT = false
            case .text(let s): if inT && phonetic == 0 { current += s }
            default: break
            }
        }
        return out
    }

    /// Indexes of the cell formats (`cellXfs`) that show a date: Excel's built-in date formats
    /// and custom formats with day, month or year parts outside quotes and brackets.
    static func dateStyles(_ xml: [UInt8]) -> Set<Int> {
        var custom: [Int: Bool] = [:], inXfs = false, index = 0, out = Set<Int>()
        let builtIn: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
        for e in XMLScan(xml) {
            switch e {
            case .open("numFmt", let a, _):
                if let id = a["numFmtId"].flatMap(Int.init) { custom[id] = isDateFormat(a["formatCode"] ?? "") }
            case .open("cellXfs", _, _): inXfs = true
            case .close("cellXfs"): inXfs = false
            case .open("xf", let a, _) where inXfs:
                if let id = a["numFmtId"].flatMap(Int.init), custom[id] ?? builtIn.contains(id) { out.insert(index) }
                index += 1
            default: break
            }
        }
        return out
    }

    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false
        for c in code.lowercased() {
            switch c {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "y", "d", "m": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    static let maxRows = 1_048_576, maxColumns = 16_384

    static func sheet(_ xml: [UInt8], shared: [String], dateStyles: Set<Int>, date1904: Bool) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = []
        var col = 0, type = "", style = 0, value = "", inValue = false, inInline = 0
        for e in XMLScan(xml) {
            switch e {
            case .open("row", let a, let empty):
                if let r = a["r"].flatMap(Int.init), r > rows.count + 1 {
                    guard r <= maxRows else { throw Failure.tooLarge }
                    rows += Array(repeating: [], count: r - 1 - rows.count)
                }
                row = []; col = 0
                if empty { rows.append([]) }
            case .close("row"):
                while row.last == "" { row.removeLast() }
                rows.append(row)
            case .open("c", let a, let empty):
                if let ref = a["r"], let c = columnIndex(ref) { col = c }
                guard col < maxColumns else { throw Failure.tooLarge }
                type = a["t"] ?? ""; style = a["s"].flatMap(Int.init) ?? 0; value = ""
                if empty { col += 1 }
            case .close("c"):
                let text: String = switch type {
                case "s": Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
                case "b": value == "1" ? "TRUE" : "FALSE"
                case "inlineStr", "str", "e": value
                default: dateStyles.contains(style) ? (excelDate(value, date1904: date1904) ?? number(value)) : number(value)
                }
                if row.count <= col { row += Array(repeating: "", count: col + 1 - row.count) }
                row[col] = text
                col += 1
            case .open("v", _, let empty): inValue = !empty
            case .close("v"): inValue = false
            case .open("is", _, let empty): if !empty { inInline += 1 }
            case .close("is"): inInline -= 1
            case .open("t", _, let empty) where inInline > 0: inValue = !empty
            case .close("t") where inInline > 0: inValue = false
            case .open("rPh", _, let empty) where inInline > 0: if !empty { inInline += 1000 }
            case .close("rPh") where inInline > 0: inInline -= 1000
            case .text(let s): if inValue && inInline < 1000 { value += s }
            default: break
            }
        }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows
    }

    /// "B12" → 1.
    static func columnIndex(_ ref: String) -> Int? {
        var n = 0, letters = 0
        for u in ref.utf8 {
            guard (65...90).contains(u) || (97...122).contains(u) else { break }
            n = n * 26 + Int((u | 0x20) - 96); letters += 1
        }
        return letters == 0 || letters > 3 ? nil : n - 1
    }

    /// A number as Excel shows it in a General cell, without grouping: whole numbers without
    /// an exponent or a decimal point (13812345678, not 1.3812345678E10).
    static func number(_ raw: String) -> String {
        guard raw.contains(where: { $0 == "E" || $0 == "e" || $0 == "." }), let d = Double(raw), d.isFinite else { return raw }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return raw.contains("E") || raw.contains("e") ? String(d) : raw
    }

    /// A date serial (days since 1899-12-30, or 1904-01-01) as `YYYY-MM-DD`, with `HH:MM` when it has a time.
    static func excelDate(_ raw: String, date1904: Bool) -> String? {
        guard let serial = Double(raw), serial >= 0, serial < 2_958_466 else { return nil }
        let minutes = Int64((serial * 1440).rounded())
        let days = minutes / 1440 + (date1904 ? 1462 : 0)
        let (y, m, d) = civil(days - 25569)   // 25569: 1970-01-01's serial
        let minute = minutes % 1440
        func pad(_ v: Int64, _ width: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, width - s.count)) + s }
        let date = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        return minute == 0 ? date : date + " " + pad(minute / 60, 2) + ":" + pad(minute % 60, 2)
    }

    /// Days since 1970-01-01 → proleptic Gregorian year, month, day (Howard Hinnant's algorithm).
    static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A ZIP archive's central directory, and its members inflated on demand.
struct ZipArchive {
    struct Entry { var method: Int; var compressed: Int; var size: Int; var offset: Int; var flags: Int }
    let bytes: [UInt8]
    var entries: [String: Entry] = [:]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        // the end-of-central-directory record, within the last 64 KiB + 22 bytes
        let n = bytes.count
        guard n >= 22 else { throw XLSXReader.Failure.notZip }
        var eocd = -1
        var i = n - 22
        while i >= max(0, n - 22 - 65_535) {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw XLSXReader.Failure.notZip }
        let count = u16(eocd + 10), cdOffset = u32(eocd + 16)
        var p = cdOffset
        for _ in 0..<count {
            guard p + 46 <= n, u32(p) == 0x0201_4B50 else { throw XLSXReader.Failure.notZip }
            let nameLength = u16(p + 28), extra = u16(p + 30), comment = u16(p + 32)
            guard p + 46 + nameLength <= n else { throw XLSXReader.Failure.notZip }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: u16(p + 10), compressed: u32(p + 20), size: u32(p + 24), offset: u32(p + 42), flags: u16(p + 8))
            p += 46 + nameLength + extra + comment
        }
    }

    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }

    func has(_ name: String) -> Bool { entries[name] != nil }

    func part(_ name: String, limit: Int) throws -> [UInt8] {
        guard let e = entries[name] else { throw XLSXReader.Failure.notWorkbook }
        // encrypted members, and ZIP64 sizes, are not read
        guard e.flags & 1 == 0, e.compressed != 0xFFFF_FFFF, e.offset + 30 <= bytes.count, u32(e.offset) == 0x0403_4B50 else { throw XLSXReader.Failure.notZip }
        let start = e.offset + 30 + u16(e.offset + 26) + u16(e.offset + 28)
        guard start + e.compressed <= bytes.count else { throw XLSXReader.Failure.notZip }
        let raw = bytes[start..<(start + e.compressed)]
        switch e.method {
        case 0:
            guard raw.count <= limit else { throw XLSXReader.Failure.tooLarge }
            return Array(raw)
        case 8: return try Self.inflateRaw(Array(raw), limit: limit)
        default: throw XLSXReader.Failure.notZip
        }
    }

    /// Inflates a raw deflate stream (no zlib or gzip wrapper), as ZIP members store it.
    static func inflateRaw(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        do { return try Inflate.run(input, .raw, limit: limit) } catch Inflate.Failure.tooLarge { throw XLSXReader.Failure.tooLarge } catch {
            throw XLSXReader.Failure.notZip
        }
    }
}

/// Just enough XML for a workbook's parts: elements (namespace prefixes dropped from their names,
/// attributes with entities resolved), text with entities resolved, CDATA; comments, processing
/// instructions and declarations skipped. Not a validating parser: what it cannot read it skips.
struct XMLScan: Sequence, IteratorProtocol {
    enum Event: Equatable {
        case open(String, [String: String], Bool)   // name, attributes, self-closing
        case close(String)
        case text(String)
    }
    let b: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { b = bytes }

    mutating func next() -> Event? {
        let n = b.count
        while i < n {
            if b[i] != 0x3C {   // text up to the next '<'
                let start = i
                while i < n && b[i] != 0x3C { i += 1 }
                return .text(Self.unescape(b[start..<i]))
            }
            let special = i + 1 < n && (b[i + 1] == 0x21 || b[i + 1] == 0x3F)   // "<!" or "<?"
            if special && starts("<![CDATA[") {
                let start = i + 9
                i = find("]]>", from: start)
                let text = String(decoding: b[start..<Swift.min(i, n)], as: UTF8.self)
                i = Swift.min(i + 3, n)
                return .text(text)
            }
            if special && starts("<!--") { i = Swift.min(find("-->", from: i + 4) + 3, n); continue }
            if special { i = Swift.min(find(">", from: i) + 1, n); continue }
            // a tag
            i += 1
            let closing = i < n && b[i] == 0x2F
            if closing { i += 1 }
            let nameStart = i
            while i < n && !Self.isSpace(b[i]) && b[i] != 0x3E && b[i] != 0x2F { i += 1 }
            let name = Self.local(b[nameStart..<i])
            var attrs: [String: String] = [:]
            var selfClosing = false
            while i < n && b[i] != 0x3E {
                if b[i] == 0x2F { selfClosing = true; i += 1; continue }
                if Self.isSpace(b[i]) { i += 1; continue }
                let aStart = i
                while i < n && b[i] != 0x3D && b[i] != 0x3E && !Self.isSpace(b[i]) { i += 1 }
                let aName = String(decoding: b[aStart..<i], as: UTF8.self)
                while i < n && Self.isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == 0x3D else { continue }
                i += 1
                while i < n && Self.isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == 0x22 || b[i] == 0x27 else { continue }
                let quote = b[i]; i += 1
                let vStart = i
                while i < n && b[i] != quote { i += 1 }
                attrs[aName] = Self.unescape(b[vStart..<Swift.min(i, n)])
                i += 1
                selfClosing = false
            }
            i += 1
            return closing ? .close(name) : .open(name, attrs, selfClosing)
        }
        return nil
    }

    func starts(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
    }

    func find(_ s: String, from: Int) -> Int {
        let u = Array(s.utf8)
        var j = from
        while j + u.count <= b.count {
            if b[j] == u[0] && Array(b[j..<(j + u.count)]) == u { return j }
            j += 1
        }
        return b.count
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// "x:row" → "row".
    static func local(_ s: ArraySlice<UInt8>) -> String {
        let name = s.lastIndex(of: 0x3A).map { s[($0 + 1)...] } ?? s
        return String(decoding: name, as: UTF8.self)
    }

    static func unescape(_ s: ArraySlice<UInt8>) -> String {
        let text = String(decoding: s, as: UTF8.self)
        guard text.contains("&") else { return text }
        var out = "", rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else { out += "&"; rest = rest[rest.index(after: amp)...]; continue }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32? = entity.hasPrefix("#x") || entity.hasPrefix("#X") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar, let u = Unicode.Scalar(scalar) { out.unicodeScalars.append(u) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
