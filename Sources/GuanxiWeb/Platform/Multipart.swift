import Foundation

/// Reads `multipart/form-data` bodies (file uploads from plain HTML forms).
package enum Multipart {
    package struct Part { package var name: String; package var filename: String?; package var data: Data }

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
            var name: String?, filename: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
                for item in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    if item.hasPrefix("name=") { name = String(item.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                    if item.hasPrefix("filename=") { filename = String(item.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                }
            }
            if let name { parts.append(Part(name: name, filename: filename, data: Data(chunk[(h + 4)...]))) }
        }
        return parts
    }
}
