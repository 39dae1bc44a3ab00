import Foundation
import GuanxiCore
import SQLKit

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

/// A list's count as its page shows it: an exact count walks every match, so past `cap` the
/// answer is "more than cap" (`exact` false). Every list (customers, leads, deals, orders) counts so.
package enum ListCount {
    package static let cap = 10_000

    /// `select` is the list's query for its ids (no order, no limit).
    static func capped(_ select: SQLQueryString, cap: Int = cap, in db: Database) async throws -> (count: Int, exact: Bool) {
        var q = SQLQueryString("SELECT COUNT(*) AS n FROM (")
        q += select
        q += " LIMIT \(literal: cap + 1)) x"
        let query = q
        let n = try await db.read { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0 }
        return n > cap ? (cap, false) : (n, true)
    }
}

/// Opaque keyset cursors: base64url of a JSON array of the sort key and the id.
enum Cursor {
    static func encode(_ values: [JSONValue]) -> String {
        Data(JSONCoding.encode(values).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    /// The usual keyset: a time in milliseconds and an id.
    static func timeAndID(_ time: Date, _ id: String) -> String { encode([.number(Double(time.millis)), .string(id)]) }

    /// A keyset of a sequence number (a place in the order of changes) and the id.
    static func sequenceAndID(_ seq: Int64, _ id: String) -> String { encode([.number(Double(seq)), .string(id)]) }
    static func sequence(_ s: String) throws -> Int64 { try timeAndID(s).0 }

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
