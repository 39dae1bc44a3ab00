import Foundation
import GuanxiCore

/// A page of results and the cursor for the next one (nil at the end).
package struct Page<T: Sendable & Encodable>: Sendable, Encodable {
    package var items: [T]
    package var nextCursor: String?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
}

extension Page: JSONWritable where T: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in w.key("items"); w.write(items); w.member("next_cursor", nextCursor) }
    }
    package var jsonSizeHint: Int { items.jsonSizeHint + 256 }
}

/// Opaque keyset cursors: base64url of a JSON array of the sort key and the id.
enum Cursor {
    static func encode(_ values: [JSONValue]) -> String {
        Data(JSONCoding.encode(values).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    /// The usual keyset: a time in milliseconds and an id.
    static func timeAndID(_ time: Date, _ id: String) -> String { encode([.number(Double(time.millis)), .string(id)]) }

    static func timeAndID(_ s: String) throws -> (Int64, String) {
        let v = try decode(s)
        guard case .number(let d) = v[0], let t = Int64(exactly: d), let id = v[1].stringValue else { throw DomainError.field("cursor", "is invalid") }
        return (t, id)
    }

    static func decode(_ s: String) throws -> [JSONValue] {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard let d = Data(base64Encoded: b), let v = try? JSONDecoder().decode([JSONValue].self, from: d), v.count == 2 else {
            throw DomainError.field("cursor", "is not a cursor this server issued")
        }
        return v
    }
}
