import Testing
@testable import GuanxiCore

@Suite("IdentityNormalizer.email")
struct EmailNormalizerTests {
    @Test func lowercasesAndTrimsAValidAddress() {
        // given
        let raw = "  WangXM88@163.COM \n"
        // when
        let email = IdentityNormalizer.email(raw)
        // then
        #expect(email == "wangxm88@163.com")
    }

    @Test func foldsFullWidthAtSignAndDot() {
        // given
        let raw = "wangxm＠qq．com"
        // when
        let email = IdentityNormalizer.email(raw)
        // then
        #expect(email == "wangxm@qq.com")
    }

    @Test func dropsMailtoPrefix() {
        #expect(IdentityNormalizer.email("mailto:a.b@example.org") == "a.b@example.org")
    }

    @Test(arguments: [
        "", "plainaddress", "a@b", "a@@b.com", "a@b@c.com", "wang xm@163.com", "wangxm@163 .com",
        "@163.com", "wangxm@", ".wang@163.com", "wang.@163.com", "wang..xm@163.com", "wang@-163.com",
        "wang@163..com", "wang@163.c", "wang@163.123", "wang,xm@163.com", "\"wang\"@163.com",
    ])
    func rejectsMalformedAddress(_ raw: String) {
        #expect(IdentityNormalizer.email(raw) == nil)
    }

    @Test func rejectsAddressLongerThan254Characters() {
        // given
        let raw = String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 60) + "."
            + String(repeating: "c", count: 60) + "." + String(repeating: "d", count: 60) + ".example.com"
        // when / then
        #expect(raw.count > 254)
        #expect(IdentityNormalizer.email(raw) == nil)
    }
}

@Suite("IdentityNormalizer.phone")
struct PhoneNormalizerTests {
    @Test(arguments: [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("+86-138.1234.5678", "+8613812345678"),
        ("0086 13812345678", "+8613812345678"),
        ("8613812345678", "+8613812345678"),
        ("（+86）１３８１２３４５６７８", "+8613812345678"),
        ("１３８－１２３４－５６７８", "+8613812345678"),
        ("手机：13812345678", "+8613812345678"),
        ("010-12345678", "+861012345678"),
        ("(010) 1234 5678", "+861012345678"),
        ("0755 1234 5678", "+8675512345678"),
        ("0571-8765432", "+865718765432"),
        ("+86 (0)21 6123 4567", "+862161234567"),
        ("400-810-8888", "+864008108888"),
        ("+852 9123 4567", "+85291234567"),
        ("852 9123 4567", "+85291234567"),
        ("00852-2345-6789", "+85223456789"),
        ("0912-345-678", "+886912345678"),
        ("+886 912 345 678", "+886912345678"),
        ("+886 2 2345 6789", "+886223456789"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("(415) 555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+65 8123 4567", "+6581234567"),
        ("138 1234 5678 x123", "+8613812345678"),
        ("010-12345678转123", "+861012345678"),
        ("010-12345678轉123", "+861012345678"),
        ("Tel: +86 138 1234 5678 ext. 9", "+8613812345678"),
    ])
    func normalisesToE164(_ raw: String, _ expected: String) {
        #expect(IdentityNormalizer.phone(raw) == expected)
    }

    @Test(arguments: [
        "", "abc", "12345", "1381234567", "138123456789", "12812345678", "+86 12812345678", "+852 1234 5678",
        "+1 015 555 2671", "+123", "+1234567890123456", "13812345678abc", "138+12345678", "12345678",
    ])
    func rejectsImplausibleNumber(_ raw: String) {
        #expect(IdentityNormalizer.phone(raw) == nil)
    }

    @Test func usesDefaultCountryCodeForNationalNumbers() {
        // given a Hong Kong team importing bare local numbers
        let raw = "9123 4567"
        // when
        let phone = IdentityNormalizer.phone(raw, defaultCountryCode: "852")
        // then
        #expect(phone == "+85291234567")
    }

    @Test func phoneDigitsKeepsOnlyDigits() {
        #expect(IdentityNormalizer.phoneDigits("+8613812345678") == "8613812345678")
    }
}

@Suite("IdentityNormalizer WeChat and external IDs")
struct OtherIdentifierTests {
    @Test func wechatIDIsTrimmedAndKeepsCase() {
        #expect(IdentityNormalizer.wechatID("  WangXM_1988 ") == "WangXM_1988")
    }

    @Test(arguments: ["abc12", "wang xm88", "王小明123", String(repeating: "a", count: 65), "wang.xm88"])
    func wechatIDRejectsWrongLengthOrCharacters(_ raw: String) {
        #expect(IdentityNormalizer.wechatID(raw) == nil)
    }

    @Test func externalIDLowercasesNamespaceAndKeepsValueCase() {
        // when
        let id = IdentityNormalizer.externalID(namespace: " Shopify ", value: " Cust-AbC1 ")
        // then
        #expect(id?.namespace == "shopify")
        #expect(id?.value == "Cust-AbC1")
    }

    @Test func externalIDRejectsBadNamespaceOrEmptyValue() {
        #expect(IdentityNormalizer.externalID(namespace: "shop ify", value: "1") == nil)
        #expect(IdentityNormalizer.externalID(namespace: "", value: "1") == nil)
        #expect(IdentityNormalizer.externalID(namespace: String(repeating: "a", count: 41), value: "1") == nil)
        #expect(IdentityNormalizer.externalID(namespace: "shopify", value: "   ") == nil)
        #expect(IdentityNormalizer.externalID(namespace: "shopify", value: String(repeating: "x", count: 201)) == nil)
    }
}
