import Foundation
import Testing
import GuanxiCore
@testable import GuanxiStore

@Suite("A stored event's JSON and what webhook filters find in it")
struct StoredEventJSONTests {
    static let event = StoredEvent(
        seq: 7, type: "track", event: "Order Completed", messageID: "m-1", anonymousID: "anon-1", userID: nil, sourceID: "src-1",
        timestamp: Date(millis: 1_790_000_000_123), receivedAt: Date(millis: 1_790_000_001_000),
        properties: .object(["total": .number(128), "ratio": .number(0.5), "paid": .bool(true), "item": .string("龙井茶 🍵"), "none": .null,
                             "tags": .array([.string("新客"), .string("vip")]), "address": .object(["city": .string("杭州")]),
                             "lines": .array([.object(["sku": .string("LJ-250")]), .object(["sku": .string("BL-100")])]),
                             "url": .string("https://shop.example/茶?a=1&b=<2>")]),
        customerID: "c-1")

    @Test func theWrittenJSONIsTheAPIEncoding() throws {
        let written = try Self.event.jsonBytes().withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }
        let encoded = try JSONParser.parse(String(decoding: JSONCoding.apiEncoder().encode(Self.event), as: UTF8.self))
        #expect(written == encoded)
        #expect(String(decoding: Self.event.jsonBytes(), as: UTF8.self) == String(decoding: try JSONCoding.apiEncoder().encode(Self.event), as: UTF8.self))
    }

    @Test func filtersFindTheSameValuesInTheEventAsInItsJSON() throws {
        let json = try Self.event.jsonBytes().withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }
        let paths = ["type", "event", "message_id", "anonymous_id", "user_id", "customer_id", "source_id", "timestamp", "received_at",
                     "properties", "properties.total", "properties.ratio", "properties.paid", "properties.item", "properties.none",
                     "properties.tags", "properties.address.city", "properties.address", "properties.lines.sku", "properties.url",
                     "properties.missing", "type.x", "seq", "nothing"]
        for path in paths {
            let p = path.split(separator: ".").map(String.init)[...]
            #expect(Self.event.filterTexts(at: p) == WebhookFilter.texts(at: p, in: json), "\(path)")
        }
        #expect(Self.event.filterTexts(at: ["properties", "tags"]) == ["新客", "vip"])
        #expect(WebhookFilter.matches(["event": ["Order Completed"], "properties.total": ["128"]], texts: Self.event.filterTexts))
        #expect(!WebhookFilter.matches(["event": ["Order Completed"], "user_id": ["u-1"]], texts: Self.event.filterTexts))
    }
}
