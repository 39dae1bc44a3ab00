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
