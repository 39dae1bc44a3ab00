import Foundation
import Testing
@testable import GuanxiCore

@Suite("JSON writer and parser")
struct JSONTests {
    static let tricky = ["王小明 😀", "quote \" backslash \\ slash /", "tab\tline\nreturn\r", "bell\u{07} nul\u{00} esc\u{1B}",
                         "<script>alert(1)</script>", "'; DROP TABLE customers; --", "𠀀 emoji 👩‍👩‍👧", ""]

    @Test func parsesWhatTheWriterWrites() throws {
        for s in Self.tricky {
            #expect(try JSONParser.parse(JSONCoding.quote(s)) == .string(s))
            #expect(try JSONParser.parse(JSONCoding.encode(strings: [s, s])) == .array([.string(s), .string(s)]))
        }
    }

    @Test func stringArraysReadDirectlyAsTheGeneralParserReadsThem() {
        let texts = [JSONCoding.encode(strings: Self.tricky), "[]", " [ \"a\" , \"b\" ] ", #"["\u738b\ud83d\ude00"]"#,
                     #"[1, "a", null, "b"]"#, #"{"a": "b"}"#, #""a""#, "[", #"["a",]"#, #"["a" "b"]"#, #"["a"] x"#, "", "null", #"["a\x"]"#]
        for t in texts {
            #expect(JSONParser.strings(t) == ((try? JSONParser.parse(t)) ?? .null).strings, "\(t)")
        }
        #expect(JSONParser.strings(JSONCoding.encode(strings: Self.tricky)) == Self.tricky)
    }

    @Test func flatStringObjectsReadDirectlyAsTheGeneralParserReadsThem() {
        let object = JSONCoding.encode(object: Self.tricky.enumerated().map { ("k\($0.offset) \($0.element)", $0.element) })
        let objects = [object, "{}", #" { "a" : "b" , "c":"\u738b" } "#, #"{"a": 1}"#, #"{"a": null}"#, #"{"a": "b",}"#, #"{"a" "b"}"#,
                       #"{"a": "b"} x"#, "", "[]", #"{"a": "1", "a": "2"}"#, #"{"a": {"b": "c"}}"#]
        func general(_ t: String) -> [String: String]? {
            guard let o = (try? JSONParser.parse(t))?.objectValue else { return nil }
            let strings = o.compactMapValues(\.stringValue)
            return strings.count == o.count ? strings : nil
        }
        func direct(_ members: [(String, String)]?) -> [String: String]? {
            members.map { Dictionary($0, uniquingKeysWith: { _, last in last }) }
        }
        for t in objects {
            #expect(direct(JSONParser.stringMembers(t)) == general(t), "\(t)")
            let list = "[" + t + "," + t + "]"
            let lists = JSONParser.stringMemberLists(list)
            #expect(lists.map { $0.map { direct($0) } } == (general(t) != nil ? [general(t), general(t)] : nil), "\(list)")
        }
        #expect(JSONParser.stringMemberLists("[]")?.isEmpty == true)
        #expect(JSONParser.stringMemberLists(#"["a"]"#) == nil && JSONParser.stringMemberLists("[{}") == nil)
        #expect(JSONParser.stringMembers(object)?.map(\.1) == Self.tricky)
    }

    @Test func escapesFoundAtEveryOffsetOfTheEightByteScan() throws {
        // every character that must be escaped, and neighbours that must not, at each offset of 1–3 words
        let specials: [Character] = ["\u{00}", "\u{01}", "\u{1F}", "\"", "\\", "\n"]
        let plain: [Character] = [" ", "!", "#", "[", "]", "\u{7F}", "é", "王", "😀"]
        for c in specials + plain {
            for at in 0..<24 {
                let s = String(repeating: "a", count: at) + String(c) + String(repeating: "b", count: 24 - at)
                let written = JSONCoding.quote(s)
                #expect(try JSONParser.parse(written) == .string(s), "\(at) \(c.unicodeScalars.first!.value)")
                #expect(written.utf8.count == s.utf8.count + 2 + (specials.contains(c) ? (c.asciiValue! < 0x20 && c != "\n" ? 5 : 1) : 0))
            }
        }
    }

    @Test func parsesWhatFoundationWrites() throws {
        let value: JSONValue = .object(["a": .array([.number(1), .number(-2.5), .number(1e21), .bool(true), .null]),
                                        "b": .string(Self.tricky.joined(separator: "|")), "c": .object([:])])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONParser.parse(String(decoding: data, as: UTF8.self)) == value)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\u738b\ud83d\ude00\/\b\f""#) == .string("王😀/\u{08}\u{0C}"))
        #expect(try JSONParser.parse(" [ 1 , 2.50 , -0.5e1 ] ") == .array([.number(1), .number(2.5), .number(-5)]))
    }

    @Test(arguments: ["", "[", "[1,]", "{\"a\" 1}", "\"abc", "\"\\x\"", "\"\\ud800\"", "01x", "tru", "[1] 2", "\"a\u{01}\"", "-", "1.", "1e"])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func timestampsAreReadExactlyInTheDocumentedForm() {
        for ms: Int64 in [0, 1, 999, 951_782_400_000, 1_795_000_123_456, -1, -86_400_001, 253_402_300_799_999] {
            #expect(Timestamp.parse(Timestamp.iso8601(Date(millis: ms)))?.millis == ms, "\(ms)")
        }
        #expect(Timestamp.parse("2026-10-09T10:30:00+08:00")?.millis == Timestamp.parse("2026-10-09T02:30:00Z")?.millis)
        #expect(Timestamp.parse("2026-10-09T10:30:00-05:30")?.millis == Timestamp.parse("2026-10-09T16:00:00Z")?.millis)
        #expect(Timestamp.parse("2024-02-29T00:00:00.123456Z")?.timeIntervalSince1970 == 1_709_164_800.123456)
        #expect(Timestamp.parse("0047-09-24T05:57:47.5Z") != nil)
        for bad in ["0047-09-24T05:57:47.577259Z*", "2026-10-09T10:30:00", "2026-10-09 10:30:00Z", "2026-10-09T10:30:00z",
                    "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-10-09T24:00:00Z",
                    "2026-10-09T10:60:00Z", "2026-10-09T10:30:60Z", "2026-10-09T10:30:00.Z", "2026-10-09T10:30:00.1234567Z",
                    "2026-10-09T10:30:00+0800", "2026-10-09T10:30:00+24:00", " 2026-10-09T10:30:00Z", "2026-10-09T10:30:00Z ",
                    "２０２６-10-09T10:30:00Z", "2026-1-09T10:30:00Z", ""] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func timestampsMatchISO8601WithMilliseconds() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for ms: Int64 in [0, 1, 999, 86_399_999, 951_782_400_000, 1_795_000_123_456, -1, -86_400_001, 253_402_300_799_999, 4_107_542_400_000] {
            let d = Date(millis: ms)
            #expect(Timestamp.iso8601(d) == f.string(from: d), "\(ms)")
        }
    }

    @Test func hexIsLowerCase() {
        #expect(Hex.string([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }
}
