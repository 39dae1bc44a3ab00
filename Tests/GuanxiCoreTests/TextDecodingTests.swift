import Foundation
import Testing
@testable import GuanxiCore

@Suite("TextDecoding")
struct TextDecodingTests {
    @Test func decodesGB18030BytesOfChineseCSVRow() {
        // given: "王小明,13812345678" as Excel (Chinese) saves it
        let bytes: [UInt8] = [0xCD, 0xF5, 0xD0, 0xA1, 0xC3, 0xF7] + Array(",13812345678".utf8)
        // when
        let (text, encoding) = TextDecoding.decode(Data(bytes))
        // then
        #expect(text == "王小明,13812345678")
        #expect(encoding == .gb18030)
    }

    @Test func encodeGB18030RoundTripsThroughDecode() throws {
        // given
        let original = "客戶名稱,手机\n王芳芳,😀"
        // when
        let data = try #require(TextDecoding.encodeGB18030(original))
        let (text, encoding) = TextDecoding.decode(data)
        // then
        #expect(text == original)
        #expect(encoding == .gb18030)
    }

    @Test func plainUTF8IsDetected() {
        let (text, encoding) = TextDecoding.decode(Data("姓名,email\n".utf8))
        #expect(text == "姓名,email\n")
        #expect(encoding == .utf8)
    }

    @Test func utf8BOMIsStripped() {
        // given
        let data = Data([0xEF, 0xBB, 0xBF] + Array("姓名".utf8))
        // when
        let (text, encoding) = TextDecoding.decode(data)
        // then
        #expect(text == "姓名")
        #expect(encoding == .utf8BOM)
    }

    @Test func utf16LittleEndianBOMIsHonoured() {
        // given
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "王a😀".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        // when
        let (text, encoding) = TextDecoding.decode(Data(bytes))
        // then
        #expect(text == "王a😀")
        #expect(encoding == .utf16LE)
    }

    @Test func utf16BigEndianBOMIsHonoured() {
        // given
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in "王a".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        // when
        let (text, encoding) = TextDecoding.decode(Data(bytes))
        // then
        #expect(text == "王a")
        #expect(encoding == .utf16BE)
    }

    @Test func invalidBytesBecomeReplacementCharactersWithoutCrashing() {
        // given: a valid GB18030 character, a lone lead byte in the middle, and a truncated sequence at the end
        let bytes: [UInt8] = [0xCD, 0xF5, 0x81, 0x20, 0x41, 0xCD]
        // when
        let (text, encoding) = TextDecoding.decode(Data(bytes))
        // then
        #expect(encoding == .gb18030)
        #expect(text.hasPrefix("王"))
        #expect(text.contains("\u{FFFD}"))
        #expect(text.contains("A"))
    }

    @Test func emptyDataDecodesToEmptyString() {
        let (text, encoding) = TextDecoding.decode(Data())
        #expect(text.isEmpty)
        #expect(encoding == .utf8)
    }
}
