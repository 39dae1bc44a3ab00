import Testing
@testable import GuanxiCore

@Suite("HeaderMapping")
struct HeaderMappingTests {
    @Test func mapsChineseExcelHeaderRow() {
        // given: a typical header row exported from a Chinese spreadsheet
        let headers = ["客户名称", "手机号", "邮箱", "公司名称", "职位", "省份", "城市", "区县", "详细地址",
                       "邮编", "标签", "来源", "生日", "微信号", "客户等级", "客户阶段", "负责人", "备注", "国家", "不认识的列"]
        // when
        let mapping = HeaderMapping.guess(headers)
        // then
        let expected: [Int: ImportField] = [
            0: .name, 1: .phone, 2: .email, 3: .organization, 4: .title, 5: .province, 6: .city, 7: .district,
            8: .street, 9: .postcode, 10: .tags, 11: .source, 12: .birthday, 13: .wechat, 14: .tier, 15: .stage,
            16: .owner, 17: .note, 18: .country,
        ]
        #expect(mapping == expected)
    }

    @Test func mapsTraditionalChineseHeaders() {
        let headers = ["客戶名稱", "手機號碼", "電子郵件", "單位", "職務", "區", "郵遞區號", "標籤", "來源", "等級", "階段", "負責人", "備註", "國家"]
        let mapping = HeaderMapping.guess(headers)
        #expect(mapping == [0: .name, 1: .phone, 2: .email, 3: .organization, 4: .title, 5: .district, 6: .postcode,
                            7: .tags, 8: .source, 9: .tier, 10: .stage, 11: .owner, 12: .note, 13: .country])
    }

    @Test func mapsEnglishHeadersIgnoringCaseSpacesAndPunctuation() {
        let headers = ["Full Name", "E-mail", "Mobile", "Company", "Job Title", "ZIP Code", "external_id", "Date of Birth"]
        let mapping = HeaderMapping.guess(headers)
        #expect(mapping == [0: .name, 1: .email, 2: .phone, 3: .organization, 4: .title, 5: .postcode, 6: .externalID, 7: .birthday])
    }

    @Test func mapsEachFieldAtMostOnceFirstColumnWins() {
        let mapping = HeaderMapping.guess(["手机", "电话", "姓名"])
        #expect(mapping == [0: .phone, 2: .name])
    }

    @Test func recognisesAliasAtEndOfLongerHeader() {
        // given: headers with qualifiers; the noun at the end decides
        let mapping = HeaderMapping.guess(["联系人手机", "客户邮箱地址（必填）", "Customer Email"])
        // then
        #expect(mapping[0] == .phone)
        #expect(mapping[1] == .email)
        #expect(mapping[2] == nil) // email already taken by column 1
    }

    @Test func exportHeadersMapBackToTheirFields() {
        let headers = ImportField.allCases.map(\.rawValue)
        let mapping = HeaderMapping.guess(headers)
        #expect(mapping == Dictionary(uniqueKeysWithValues: ImportField.allCases.enumerated().map { ($0.offset, $0.element) }))
    }

    @Test func parsesMappingSpec() {
        let mapping = HeaderMapping.parse(mapping: "客户名称=name, 手机=phone，外部编号=external_id")
        #expect(mapping == ["客户名称": .name, "手机": .phone, "外部编号": .externalID])
    }

    @Test(arguments: ["", "客户名称", "客户名称=nonsense", "=name"])
    func rejectsMalformedMappingSpec(_ spec: String) {
        #expect(HeaderMapping.parse(mapping: spec) == nil)
    }

    @Test func resolveAppliesOverridesBeforeGuessing() {
        // given: "编号" is unknown, and the user says 电话 is the WeChat column
        let headers = ["姓名", "电话", "手机", "编号"]
        let overrides: [String: ImportField] = ["电话": .wechat, "编号": .externalID]
        // when
        let mapping = HeaderMapping.resolve(headers, overrides: overrides)
        // then
        #expect(mapping == [0: .name, 1: .wechat, 2: .phone, 3: .externalID])
    }
}

@Suite("TagList")
struct TagListTests {
    @Test func splitsOnAllSeparatorsTrimsAndDedupes() {
        let tags = TagList.split(" 高意向；老客户，华东、B2B | VIP客户;高意向,, 电商 ")
        #expect(tags == ["高意向", "老客户", "华东", "B2B", "VIP客户", "电商"])
    }

    @Test func emptyInputGivesNoTags() {
        #expect(TagList.split("  ;，、 ").isEmpty)
    }

    @Test func cleanTrimsUnicodeSpaceAndDropsControlCharacters() {
        #expect(Text.clean("王小明") == "王小明")
        #expect(Text.clean("  王 小明 ") == "王 小明")
        #expect(Text.clean("\u{3000}全角空格\u{3000}") == "全角空格")
        #expect(Text.clean("\u{00A0}nbsp\u{2003}") == "nbsp")
        #expect(Text.clean("a\u{07}b\u{0085}c\u{7F}d") == "abcd")
        #expect(Text.clean("line1\nline2") == "line1\nline2")
        #expect(Text.clean("©2024 😀") == "©2024 😀")
        #expect(Text.clean("") == "")
    }
}
