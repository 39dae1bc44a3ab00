import Foundation

/// Reads `multipart/form-data` bodies (file uploads from plain HTML forms).
package enum Multipart {
    package struct Part {
        package var name: String; package var filename: String?; package var data: Data
        /// The part's declared `Content-Type`, if any.
        package var contentType: String? = nil
        package init(name: String, filename: String?, data: Data, contentType: String? = nil) {
            self.name = name; self.filename = filename; self.data = data; self.contentType = contentType
        }
        /// The part as text (a form field).
        package var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// A header's parameters (`form-data; name="a"; filename="x;y.png"`): split at `;` outside
    /// quotes, quoted values unescaped, names lower-cased.
    package static func parameters(_ header: String) -> [String: String] {
        var out: [String: String] = [:]
        var items: [String] = [], current = "", quoted = false, escaped = false
        for ch in header {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted && ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted { items.append(current); current = ""; continue }
            current.append(ch)
        }
        items.append(current)
        for item in items.dropFirst() {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let key = item[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            // the first of a repeated parameter counts (a name cannot add a second one)
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    package static func boundary(_ contentType: String?) -> String? {
        guard let ct = contentType, ct.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for p in ct.split(separator: ";") {
            let kv = p.trimmingCharacters(in: .whitespaces)
            if kv.lowercased().hasPrefix("boundary=") {
                return String(kv.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    package static func parse(_ body: Data, boundary: String) -> [Part] {
        let bytes = [UInt8](body)
        let delimiter = Array(("--" + boundary).utf8)
        var positions: [Int] = []
        var i = 0
        while i + delimiter.count <= bytes.count {
            if bytes[i] == delimiter[0] && bytes[i..<(i + delimiter.count)].elementsEqual(delimiter) { positions.append(i); i += delimiter.count } else { i += 1 }
        }
        var parts: [Part] = []
        for (a, b) in zip(positions, positions.dropFirst()) {
            var start = a + delimiter.count
            if start + 1 < bytes.count && bytes[start] == 13 && bytes[start + 1] == 10 { start += 2 }
            var end = b
            if end >= 2 && bytes[end - 2] == 13 && bytes[end - 1] == 10 { end -= 2 }
            guard start <= end else { continue }
            let chunk = Array(bytes[start..<end])
            // headers end at the first blank line
            var h = 0
            while h + 3 < chunk.count && !(chunk[h] == 13 && chunk[h + 1] == 10 && chunk[h + 2] == 13 && chunk[h + 3] == 10) { h += 1 }
            guard h + 3 < chunk.count else { continue }
            let headers = String(decoding: chunk[0..<h], as: UTF8.self)
            var name: String?, filename: String?, type: String?
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    let p = parameters(String(line.dropFirst("content-disposition:".count)))
                    name = p["name"]
                    // browsers send the name as UTF-8 (quotes and line breaks percent-encoded); filename* as RFC 5987
                    filename = p["filename*"].flatMap { v in v.lowercased().hasPrefix("utf-8''") ? String(v.dropFirst(7)).removingPercentEncoding : nil }
                        ?? p["filename"]
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            if let name { parts.append(Part(name: name, filename: filename, data: Data(chunk[(h + 4)...]), contentType: type)) }
        }
        return parts
    }
}
