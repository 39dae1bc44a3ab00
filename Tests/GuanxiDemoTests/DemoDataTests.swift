import Foundation
import Testing
@testable import GuanxiDemo
import GuanxiCore

@Suite("DemoData")
struct DemoDataTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func customers(_ count: Int, seed: UInt64, interactions: ClosedRange<Int> = 0...6) -> [DemoCustomer] {
        var result: [DemoCustomer] = []
        DemoData.generate(DemoConfig(customers: count, seed: seed, interactionsPerCustomer: interactions, now: now)) { result.append($0) }
        return result
    }

    /// A comparable fingerprint of everything a customer carries.
    static func fingerprint(_ c: DemoCustomer) -> String {
        let parts: [String?] = [c.kind.rawValue, c.name, c.organization, c.title, c.emails.joined(separator: ";"),
                                c.phones.joined(separator: ";"), c.wechat, c.stage, c.tier, c.source, c.country, c.province,
                                c.city, c.district, c.street, c.postcode, c.birthday, c.tags.joined(separator: ";"),
                                String(c.createdAt.timeIntervalSince1970)]
        let interactions = c.interactions.map {
            [$0.kind, $0.direction, $0.subject, $0.body, String($0.occurredAt.timeIntervalSince1970),
             String($0.durationSeconds ?? -1), $0.outcome ?? "-"].joined(separator: "|")
        }
        return (parts.map { $0 ?? "∅" } + interactions).joined(separator: "¦")
    }

    @Test func sameSeedGivesIdenticalCustomers() {
        // when
        let first = Self.customers(1000, seed: 7).map(Self.fingerprint)
        let second = Self.customers(1000, seed: 7).map(Self.fingerprint)
        // then
        #expect(first == second)
    }

    @Test func differentSeedGivesDifferentCustomers() {
        let a = Self.customers(1000, seed: 7).map(Self.fingerprint)
        let b = Self.customers(1000, seed: 8).map(Self.fingerprint)
        #expect(a != b)
    }

    @Test func customerAtIndexMatchesStreamedCustomer() {
        let config = DemoConfig(customers: 50, seed: 3, now: Self.now)
        let streamed = Self.customers(50, seed: 3)
        #expect(Self.fingerprint(DemoData.customer(at: 42, config: config)) == Self.fingerprint(streamed[42]))
    }

    @Test func emailsAndPhonesAreUniqueOver100kCustomers() {
        // given
        var emails = Set<String>()
        var phones = Set<String>()
        var emailCount = 0, phoneCount = 0
        // when
        DemoData.generate(DemoConfig(customers: 100_000, seed: 2024, interactionsPerCustomer: 0...0, now: Self.now)) { c in
            emailCount += c.emails.count
            phoneCount += c.phones.count
            emails.formUnion(c.emails)
            phones.formUnion(c.phones)
        }
        // then
        #expect(emailCount > 90_000)
        #expect(phoneCount > 90_000)
        #expect(emails.count == emailCount)
        #expect(phones.count == phoneCount)
    }

    @Test func identifiersPassTheNormalizersUnchanged() {
        for c in Self.customers(5000, seed: 11, interactions: 0...0) {
            for email in c.emails { #expect(IdentityNormalizer.email(email) == email) }
            for phone in c.phones { #expect(IdentityNormalizer.phone(phone) == phone) }
            if let wechat = c.wechat { #expect(IdentityNormalizer.wechatID(wechat) == wechat) }
        }
    }

    @Test func mixIsMostlyChinesePeopleWithSomeEnglishPeopleAndOrganisations() {
        // given
        let all = Self.customers(10_000, seed: 5, interactions: 0...0)
        // when
        let orgs = all.filter { $0.kind == .organization }.count
        let chinesePeople = all.filter { $0.kind == .person && ["CN", "HK", "TW"].contains($0.country) }.count
        // then
        #expect((700...800).contains(chinesePeople / 10))
        #expect((70...130).contains(orgs / 10))
    }

    @Test func attributesComeFromTheDocumentedVocabularies() {
        let stages: Set = ["prospect", "lead", "customer", "repeat", "loyal", "at_risk", "lost"]
        let tiers: Set = ["VIP", "A", "B", "C"]
        let countries: Set = ["CN", "HK", "TW", "US", "SG", "GB"]
        let kinds: Set = ["call", "email", "meeting", "visit", "chat", "wechat", "sms", "web", "app", "store", "social"]
        for c in Self.customers(2000, seed: 9) {
            #expect(stages.contains(c.stage))
            #expect(tiers.contains(c.tier))
            #expect(countries.contains(c.country))
            for i in c.interactions { #expect(kinds.contains(i.kind)) }
        }
    }

    @Test func datesLieWithinTheLastTwoYearsAndInteractionsAfterCreation() {
        let twoYearsAgo = Self.now.addingTimeInterval(-2 * 365 * 86_400)
        for c in Self.customers(2000, seed: 13, interactions: 0...6) {
            #expect(c.createdAt >= twoYearsAgo && c.createdAt < Self.now)
            for i in c.interactions { #expect(i.occurredAt > c.createdAt && i.occurredAt < Self.now) }
            #expect(c.interactions.map(\.occurredAt) == c.interactions.map(\.occurredAt).sorted())
        }
    }

    @Test func interactionCountStaysInConfiguredRange() {
        let counts = Self.customers(500, seed: 1, interactions: 2...4).map(\.interactions.count)
        #expect(counts.allSatisfy { (2...4).contains($0) })
    }

    @Test func birthdaysAreValidISODates() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        for c in Self.customers(2000, seed: 21, interactions: 0...0) {
            guard let birthday = c.birthday else { continue }
            #expect(formatter.date(from: birthday) != nil, "\(birthday)")
        }
    }

    @Test func searchDemoNamesAppearInSmallSets() {
        let names = Set(Self.customers(50, seed: 99, interactions: 0...0).map(\.name))
        #expect(names.isSuperset(of: ["王小明", "王芳", "王芳芳"]))
    }

    @Test func taiwanAndHongKongPeopleGetTraditionalAddresses() {
        let tw = Self.customers(3000, seed: 4, interactions: 0...0).filter { $0.country == "TW" && $0.kind == .person }
        #expect(!tw.isEmpty)
        #expect(tw.allSatisfy { $0.city?.hasSuffix("市") == true && $0.province == nil })
        #expect(tw.contains { $0.city == "臺北市" })
    }
}

@Suite("UniqueNumbers")
struct UniqueNumbersTests {
    @Test(arguments: [9_000 as UInt64, 90_000, 8_000])
    func permuteIsABijection(_ modulus: UInt64) {
        let images = Set((0..<modulus).map { UniqueNumbers.permute($0, modulus: modulus, salt: 12345) })
        #expect(images.count == Int(modulus))
        #expect(images.allSatisfy { $0 < modulus })
    }

    @Test func growingNumbersAreDistinctAcrossDigitLengths() {
        let values = (0..<20_000 as Range<UInt64>).map { UniqueNumbers.growing($0, minDigits: 2, salt: 99) }
        #expect(Set(values).count == values.count)
        #expect(values.allSatisfy { $0 >= 10 })
    }
}
