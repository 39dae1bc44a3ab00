import Foundation
import GuanxiCore

/// Whether a demo customer is a person or an organisation.
package enum DemoKind: String, Sendable {
    case person
    case organization
}

/// Parameters for `DemoData.generate`.
package struct DemoConfig: Sendable {
    /// Number of customers to produce.
    package var customers: Int
    /// Seed; the same seed (and other parameters) gives identical output everywhere.
    package var seed: UInt64
    /// Number of interactions per customer, drawn uniformly from this range.
    package var interactionsPerCustomer: ClosedRange<Int>
    /// Reference "now": `createdAt` lies within the two years before it and
    /// interactions between `createdAt` and it. Pass a fixed date for reproducibility.
    package var now: Date

    package init(customers: Int, seed: UInt64, interactionsPerCustomer: ClosedRange<Int> = 0...6, now: Date) {
        self.customers = customers
        self.seed = seed
        self.interactionsPerCustomer = interactionsPerCustomer
        self.now = now
    }
}

/// One generated customer.
package struct DemoCustomer: Sendable {
    /// Position in the generated sequence (0-based).
    package let index: Int
    package let kind: DemoKind
    package let name: String
    package let organization: String?
    package let title: String?
    /// Lowercase, unique within one generated set.
    package let emails: [String]
    /// E.164, unique within one generated set.
    package let phones: [String]
    package var wechat: String?
    /// prospect, lead, customer, repeat, loyal, at_risk or lost.
    package let stage: String
    /// VIP, A, B or C.
    package let tier: String
    /// wechat, taobao, jd, website, referral, exhibition, douyin, phone or store.
    package let source: String
    /// ISO 3166-1 alpha-2: CN, HK, TW, US, SG or GB.
    package let country: String
    package let province: String?
    package let city: String?
    package let district: String?
    package let street: String?
    package let postcode: String?
    /// `YYYY-MM-DD`.
    package let birthday: String?
    package let tags: [String]
    package let createdAt: Date
    /// Sorted by `occurredAt`.
    package let interactions: [DemoInteraction]
}

/// One generated interaction (call, e-mail, visit, …).
package struct DemoInteraction: Sendable {
    /// call, email, meeting, visit, chat, wechat, sms, web, app, store or social.
    package let kind: String
    /// inbound or outbound.
    package let direction: String
    package let subject: String
    package let body: String
    /// Strictly after the customer's `createdAt` and before `now`.
    package let occurredAt: Date
    /// Set for calls, meetings and visits.
    package let durationSeconds: Int?
    /// interested, follow_up, quoted, won, no_answer or not_interested.
    package let outcome: String?
}

/// Deterministic, realistic bilingual demo data (about 75% Chinese people,
/// 15% English-named people in US/GB/SG, 10% organisations).
///
/// Each customer is derived only from (seed, index), so generation streams in
/// constant memory and customer *i* does not depend on how many are generated.
/// E-mails and phones are built from bijective scrambles of the index, so they
/// are unique within a set of up to 4,000,000 customers without any bookkeeping.
package enum DemoData {
    /// Names placed at fixed positions so search demos ("王小明", "王芳") always
    /// have a hit even in tiny data sets; the pools also produce them naturally.
    private static let showcase: [Int: (String, String)] = [3: ("王 王 wang", "小明 小明 xiao ming"),
                                                          11: ("王 王 wang", "芳 芳 fang"),
                                                          17: ("王 王 wang", "芳芳 芳芳 fang fang")]

    /// Streams `config.customers` customers to `body`, in index order.
    package static func generate(_ config: DemoConfig, body: (DemoCustomer) throws -> Void) rethrows {
        let context = Context(config)
        for index in 0..<max(0, config.customers) {
            try body(context.customer(index))
        }
    }

    /// The customer at `index` for `config` (identical to the one `generate` yields).
    package static func customer(at index: Int, config: DemoConfig) -> DemoCustomer {
        Context(config).customer(index)
    }

    /// Precomputed per-config values.
    private struct Context {
        let config: DemoConfig
        let baseSeed: UInt64
        let salt: UInt64
        let nowSeconds: Int64

        init(_ config: DemoConfig) {
            self.config = config
            baseSeed = DemoRNG.mix(config.seed ^ 0x6775_616E_7869_2121)
            salt = DemoRNG.mix(config.seed &+ 0x5EED)
            nowSeconds = Int64(config.now.timeIntervalSince1970.rounded(.down))
        }

        func customer(_ index: Int) -> DemoCustomer {
            var rng = DemoRNG(seed: DemoRNG.mix(baseSeed &+ DemoRNG.mix(UInt64(index) &+ 1)))
            var b = Builder(index: index, salt: salt)
            let segment = rng.below(100)
            if index < 18, let (surname, given) = DemoData.showcase[index] {
                b.chinesePerson(&rng, country: .cn, surname: DemoTables.hanzi(surname), given: DemoTables.hanzi(given))
            } else if segment < 10 {
                b.organization(&rng)
            } else if segment < 25 {
                b.englishPerson(&rng)
            } else {
                let r = rng.below(100)
                b.chinesePerson(&rng, country: r < 86 ? .cn : (r < 93 ? .hk : .tw), surname: nil, given: nil)
            }
            b.common(&rng)

            // Created within the last two years, at least an hour ago.
            let age = 3600 + Int64(rng.below(2 * 365 * 86_400 - 3600))
            let created = nowSeconds - age
            let interactions = makeInteractions(&rng, builder: b, created: created)
            return DemoCustomer(
                index: index, kind: b.kind, name: b.name, organization: b.organization, title: b.title,
                emails: b.emails, phones: b.phones, wechat: b.wechat, stage: b.stage, tier: b.tier, source: b.source,
                country: b.country, province: b.province, city: b.city, district: b.district, street: b.street,
                postcode: b.postcode, birthday: b.birthday, tags: b.tags,
                createdAt: Date(timeIntervalSince1970: TimeInterval(created)), interactions: interactions)
        }

        private func makeInteractions(_ rng: inout DemoRNG, builder b: Builder, created: Int64) -> [DemoInteraction] {
            let range = config.interactionsPerCustomer
            let count = range.lowerBound < 0 ? 0 : rng.inRange(range)
            guard count > 0 else { return [] }
            let span = nowSeconds - created
            var times = (0..<count).map { _ in created + 1 + Int64(rng.below(Int(max(1, span - 1)))) }
            times.sort()
            var result: [DemoInteraction] = []
            result.reserveCapacity(count)
            for t in times {
                let kind = DemoTables.interactionKinds.pick(&rng)
                let template: (String, String)
                let product: String
                switch b.language {
                case .simplified:
                    template = rng.pick(DemoTables.cnTemplates[kind]!)
                    product = rng.pick(DemoTables.cnProducts)
                case .traditional:
                    template = rng.pick(DemoTables.traditionalTemplates[kind]!)
                    product = rng.pick(DemoTables.traditionalProducts)
                case .english:
                    template = rng.pick(DemoTables.englishTemplates[kind]!)
                    product = rng.pick(DemoTables.englishProducts)
                }
                let number = String(1000 + rng.below(9000))
                let inbound = kind == "web" || kind == "app" || kind == "store" || kind == "social"
                let direction = inbound ? "inbound" : (rng.percent(60) ? "outbound" : "inbound")
                let duration: Int?
                switch kind {
                case "call": duration = rng.inRange(30...1800)
                case "meeting": duration = rng.inRange(900...5400)
                case "visit": duration = rng.inRange(1800...7200)
                default: duration = nil
                }
                let outcome = duration != nil || rng.percent(30) ? DemoTables.outcomes.pick(&rng) : nil
                result.append(DemoInteraction(
                    kind: kind, direction: direction,
                    subject: fill(template.0, name: b.name, product: product, number: number),
                    body: fill(template.1, name: b.name, product: product, number: number),
                    occurredAt: Date(timeIntervalSince1970: TimeInterval(t)),
                    durationSeconds: duration, outcome: outcome))
            }
            return result
        }

        /// Substitutes `{n}`, `{p}` and `{#}` in one pass.
        private func fill(_ template: String, name: String, product: String, number: String) -> String {
            var out = ""
            var rest = Substring(template)
            while let open = rest.firstIndex(of: "{") {
                out += rest[..<open]
                let after = rest[open...]
                if after.hasPrefix("{n}") { out += name } else if after.hasPrefix("{p}") { out += product } else if after.hasPrefix("{#}") { out += number } else {
                    out += "{"
                    rest = rest[rest.index(after: open)...]
                    continue
                }
                rest = rest[rest.index(open, offsetBy: 3)...]
            }
            out += rest
            return out
        }
    }

    private enum Language { case simplified, traditional, english }

    /// Internal country tag; comparing enums is much cheaper than comparing strings in the hot loop.
    private enum Country: String {
        case cn = "CN", hk = "HK", tw = "TW", us = "US", sg = "SG", gb = "GB"
    }

    // Literal arrays hoisted out of the hot path (a literal allocates on every call).
    private static let hkMobileLead = ["5", "6", "9"]
    private static let sgMobileLead = ["8", "9"]
    private static let gbMobileLead = ["4", "5", "7", "8", "9"]
    private static let hkOfficeLead = ["2", "3"]
    private static let hkFlatLetters = ["A", "B", "C", "D"]
    private static let cnMailboxes = ["sales", "info", "contact", "service", "purchase", "hr"]
    private static let enMailboxes = ["sales", "info", "contact", "hello", "orders"]
    private static let tagCounts = [0, 0, 1, 1, 1, 2, 2, 3]
    private static let wxidAlphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Mutable scratch for assembling one customer.
    private struct Builder {
        let index: Int
        let salt: UInt64
        var kind: DemoKind = .person
        var language: Language = .simplified
        var name = ""
        var organization: String?
        var title: String?
        var emails: [String] = []
        var phones: [String] = []
        var wechat: String?
        var stage = ""
        var tier = ""
        var source = ""
        var countryTag: Country = .cn
        var country: String { countryTag.rawValue }
        var province: String?
        var city: String?
        var district: String?
        var street: String?
        var postcode: String?
        var birthday: String?
        var tags: [String] = []
        var place: DemoTables.City?
        /// Domain of the customer's employer, for work e-mails.
        var companyDomain: String?

        init(index: Int, salt: UInt64) {
            self.index = index
            self.salt = salt
        }

        /// Slot `k` (0 or 1) of this customer in the unique-number spaces.
        private func slot(_ k: Int) -> UInt64 { UInt64(index) * 2 + UInt64(k) }

        private func uniqueSuffix(_ k: Int, minDigits: Int = 2) -> String {
            String(UniqueNumbers.growing(slot(k), minDigits: minDigits, salt: salt))
        }

        private func scrambled(_ k: Int, width: Int) -> String {
            var modulus: UInt64 = 1
            for _ in 0..<width { modulus *= 10 }
            return UniqueNumbers.padded(UniqueNumbers.permute(slot(k), modulus: modulus, salt: salt &+ 7), width: width)
        }

        // MARK: Chinese people

        mutating func chinesePerson(_ rng: inout DemoRNG, country: Country, surname fixedSurname: DemoTables.Hanzi?, given fixedGiven: DemoTables.Hanzi?) {
            countryTag = country
            language = countryTag == .cn ? .simplified : .traditional
            let surname = fixedSurname ?? DemoTables.surnames.pick(&rng)
            let given: DemoTables.Hanzi
            if let fixedGiven {
                given = fixedGiven
            } else if rng.percent(65) {
                given = DemoTables.givenNames.pick(&rng)
            } else {
                let pool = rng.percent(50) ? DemoTables.maleChars : DemoTables.femaleChars
                let first = rng.pick(pool)
                if rng.percent(30) {
                    given = first
                } else {
                    let second = rng.pick(pool)
                    given = DemoTables.Hanzi(simplified: first.simplified + second.simplified,
                                             traditional: first.traditional + second.traditional,
                                             pinyin: first.pinyin + " " + second.pinyin)
                }
            }
            name = language == .simplified ? surname.simplified + given.simplified : surname.traditional + given.traditional

            let family = surname.joined
            let givenJoined = given.joined
            let initials = given.initials
            let handle: String
            switch rng.below(5) {
            case 0: handle = family + initials                 // wangxm
            case 1: handle = givenJoined + "." + family        // xiaoming.wang
            case 2: handle = family + givenJoined              // wangxiaoming
            case 3: handle = initials + "_" + family           // xm_wang
            default: handle = family + "." + givenJoined       // wang.xiaoming
            }

            pickPlace(&rng)
            if rng.percent(45) {
                let (org, domain) = chineseCompany(&rng)
                organization = org
                companyDomain = domain
                title = rng.pick(language == .simplified ? DemoTables.cnTitles : DemoTables.traditionalTitles)
            }

            if rng.percent(92) {
                if countryTag == .cn && rng.percent(30) {
                    emails.append(uniqueSuffix(0, minDigits: 6) + "@qq.com") // QQ mail addresses are QQ numbers
                } else {
                    let domain: String
                    switch countryTag {
                    case .hk: domain = rng.pick(DemoTables.hkDomains)
                    case .tw: domain = rng.pick(DemoTables.twDomains)
                    default: domain = DemoTables.cnPersonalDomains.pick(&rng)
                    }
                    emails.append(handle + uniqueSuffix(0) + "@" + domain)
                }
            }
            if let companyDomain, rng.percent(35) {
                emails.append(family + initials + uniqueSuffix(1) + "@" + companyDomain)
            }

            phones.append(mobile(0, &rng))
            if rng.percent(15) { phones.append(mobile(1, &rng)) }

            let wechatShare = countryTag == .cn ? 65 : (countryTag == .hk ? 30 : 20)
            if rng.percent(wechatShare) {
                if rng.percent(25) {
                    var id = Array("wxid_".utf8)
                    for _ in 0..<14 { id.append(rng.pick(DemoData.wxidAlphabet)) }
                    wechat = String(decoding: id, as: UTF8.self)
                } else {
                    let base = rng.percent(50) ? family + initials : givenJoined + family.prefix(1)
                    wechat = base + "_" + String(rng.inRange(100...9999))
                }
            }
            if rng.percent(55) { birthday = randomBirthday(&rng) }
            source = DemoTables.chineseSources.pick(&rng)
        }

        private mutating func mobile(_ k: Int, _ rng: inout DemoRNG) -> String {
            switch countryTag {
            case .hk: return "+852" + rng.pick(DemoData.hkMobileLead) + scrambled(k, width: 7)
            case .tw: return "+8869" + scrambled(k, width: 8)
            case .sg: return "+65" + rng.pick(DemoData.sgMobileLead) + scrambled(k, width: 7)
            case .gb: return "+447" + rng.pick(DemoData.gbMobileLead) + scrambled(k, width: 8)
            case .us: return usNumber(k, &rng)
            default: return "+86" + rng.pick(DemoTables.mobilePrefixes) + scrambled(k, width: 8)
            }
        }

        private func usNumber(_ k: Int, _ rng: inout DemoRNG) -> String {
            // Exchange 200–999 and line 0000–9999 from one scramble of 8,000,000 values.
            let p = UniqueNumbers.permute(slot(k), modulus: 8_000_000, salt: salt &+ 11)
            let area = place.map { rng.pick($0.areaCodes) } ?? "415"
            return "+1" + area + String(200 + p / 10_000) + UniqueNumbers.padded(p % 10_000, width: 4)
        }

        private mutating func chineseCompany(_ rng: inout DemoRNG) -> (String, String) {
            let brand = rng.pick(DemoTables.companyBrands)
            let industry = rng.pick(DemoTables.industries)
            let name: String
            let tld: String
            switch countryTag {
            case .hk:
                name = (rng.percent(40) ? "香港" : "") + brand.traditional + industry.traditional + "有限公司"
                tld = ".com.hk"
            case .tw:
                name = brand.traditional + industry.traditional + "股份有限公司"
                tld = ".com.tw"
            default:
                let prefix = place?.short ?? "上海"
                name = prefix + brand.simplified + industry.simplified + (rng.percent(80) ? "有限公司" : "股份有限公司")
                tld = rng.percent(50) ? ".com.cn" : ".com"
            }
            return (name, brand.pinyin + "-" + industry.pinyin + tld)
        }

        // MARK: English-named people

        mutating func englishPerson(_ rng: inout DemoRNG) {
            language = .english
            let r = rng.below(100)
            countryTag = r < 45 ? .us : (r < 75 ? .gb : .sg)
            let first = rng.pick(DemoTables.englishFirstNames)
            let last = rng.pick(countryTag == .sg ? DemoTables.singaporeSurnames : DemoTables.westernSurnames)
            name = first + " " + last
            let f = first.lowercased(), l = last.lowercased()
            let handle: String
            switch rng.below(4) {
            case 0: handle = f + "." + l
            case 1: handle = f + l.prefix(1)
            case 2: handle = f.prefix(1) + "." + l
            default: handle = f + "_" + l
            }
            pickPlace(&rng)
            if rng.percent(50) {
                let (org, domain) = englishCompany(&rng)
                organization = org
                companyDomain = domain
                title = rng.pick(DemoTables.englishTitles)
            }
            if rng.percent(95) { emails.append(handle + uniqueSuffix(0) + "@" + rng.pick(DemoTables.englishDomains)) }
            if let companyDomain, rng.percent(50) { emails.append(f + "." + l + uniqueSuffix(1) + "@" + companyDomain) }
            if rng.percent(85) { phones.append(mobile(0, &rng)) }
            if countryTag == .sg && rng.percent(15) {
                wechat = f + l.prefix(1) + "_" + String(rng.inRange(100...9999))
            }
            if rng.percent(40) { birthday = randomBirthday(&rng) }
            source = DemoTables.englishSources.pick(&rng)
        }

        private mutating func englishCompany(_ rng: inout DemoRNG) -> (String, String) {
            let base = rng.pick(DemoTables.englishCompanyNames)
            let industry = rng.pick(DemoTables.englishIndustries)
            let suffix: String, tld: String
            switch countryTag {
            case .gb: suffix = "Ltd"; tld = ".co.uk"
            case .sg: suffix = "Pte. Ltd."; tld = ".com.sg"
            default: suffix = rng.percent(50) ? "Inc." : "LLC"; tld = ".com"
            }
            let domain = String((base + industry).lowercased().filter { $0 != " " }) + tld
            return (base + " " + industry + " " + suffix, domain)
        }

        // MARK: Organisations

        mutating func organization(_ rng: inout DemoRNG) {
            kind = .organization
            if rng.percent(70) {
                let r = rng.below(100)
                countryTag = r < 80 ? .cn : (r < 90 ? .hk : .tw)
                language = countryTag == .cn ? .simplified : .traditional
                pickPlace(&rng)
                let (orgName, domain) = chineseCompany(&rng)
                name = orgName
                emails.append(rng.pick(DemoData.cnMailboxes) + uniqueSuffix(0) + "@" + domain)
                source = DemoTables.chineseSources.pick(&rng)
            } else {
                language = .english
                let r = rng.below(100)
                countryTag = r < 50 ? .us : (r < 80 ? .gb : .sg)
                pickPlace(&rng)
                let (orgName, domain) = englishCompany(&rng)
                name = orgName
                emails.append(rng.pick(DemoData.enMailboxes) + uniqueSuffix(0) + "@" + domain)
                source = DemoTables.englishSources.pick(&rng)
            }
            phones.append(officeNumber(&rng))
            if rng.percent(30) { phones.append(mobile(1, &rng)) }
        }

        private func officeNumber(_ rng: inout DemoRNG) -> String {
            let lead = String(rng.inRange(2...8))
            switch countryTag {
            case .hk: return "+852" + rng.pick(DemoData.hkOfficeLead) + scrambled(0, width: 7)
            case .tw: return "+886" + (place?.areaCodes.first ?? "2") + lead + scrambled(0, width: 7)
            case .sg: return "+656" + scrambled(0, width: 7)
            case .gb: return "+44207" + scrambled(0, width: 7)
            case .us: return usNumber(0, &rng)
            default: return "+86" + (place?.areaCodes.first ?? "21") + lead + scrambled(0, width: 7)
            }
        }

        // MARK: Shared attributes

        private mutating func pickPlace(_ rng: inout DemoRNG) {
            let p: DemoTables.City
            switch countryTag {
            case .hk: p = DemoTables.hongKong
            case .tw: p = DemoTables.taiwanCities.pick(&rng)
            case .sg: p = DemoTables.singapore
            case .us: p = DemoTables.usCities.pick(&rng)
            case .gb: p = DemoTables.gbCities.pick(&rng)
            default: p = DemoTables.mainlandCities.pick(&rng)
            }
            place = p
            province = p.province
            city = p.city
            let d = rng.pick(p.districts)
            let number = rng.inRange(1...399)
            switch countryTag {
            case .us:
                postcode = (d.postcode ?? "100") + UniqueNumbers.padded(UInt64(rng.below(100)), width: 2)
                street = String(number * 10 + rng.below(10)) + " " + rng.pick(DemoTables.usStreetNames) + " " + rng.pick(DemoTables.usStreetTypes)
                    + (rng.percent(30) ? ", Suite \(rng.inRange(100...999))" : "")
            case .gb:
                district = d.name
                postcode = (d.postcode ?? "EC1A") + " " + String(rng.below(10))
                    + rng.pick(DemoTables.gbPostcodeLetters) + rng.pick(DemoTables.gbPostcodeLetters)
                street = String(number) + " " + rng.pick(DemoTables.gbStreetNames) + " " + rng.pick(DemoTables.gbStreetTypes)
            case .sg:
                district = d.name
                postcode = (d.postcode ?? "04") + UniqueNumbers.padded(UInt64(rng.below(10_000)), width: 4)
                street = "\(number) \(rng.pick(p.streets))" + (rng.percent(50)
                    ? " #\(UniqueNumbers.padded(UInt64(rng.inRange(2...30)), width: 2))-\(UniqueNumbers.padded(UInt64(rng.inRange(1...20)), width: 2))"
                    : "")
            case .hk:
                district = d.name
                street = "\(rng.pick(p.streets))\(number)號" + (rng.percent(60) ? "\(rng.inRange(2...40))樓\(rng.pick(DemoData.hkFlatLetters))室" : "")
            case .tw:
                district = d.name
                postcode = d.postcode
                street = "\(rng.pick(p.streets))\(number)號" + (rng.percent(60) ? "\(rng.inRange(2...20))樓" : "")
            default:
                district = d.name
                postcode = d.postcode
                var s = rng.pick(p.streets) + String(number) + "号"
                if rng.percent(50) {
                    s += String(rng.inRange(1...20)) + "栋" + String(rng.inRange(1...32)) + "0" + String(rng.inRange(1...8)) + "室"
                }
                street = s
            }
            // Not every CRM row has a full address.
            if rng.percent(20) { street = nil }
            if rng.percent(10) { district = nil; postcode = nil; street = nil }
        }

        mutating func common(_ rng: inout DemoRNG) {
            stage = DemoTables.stages.pick(&rng)
            tier = stage == "loyal" && rng.percent(40) ? "VIP" : DemoTables.tiers.pick(&rng)
            let pool: [String]
            switch language {
            case .simplified: pool = DemoTables.cnTags
            case .traditional: pool = DemoTables.traditionalTags
            case .english: pool = DemoTables.englishTags
            }
            let count = DemoData.tagCounts[rng.below(8)]
            for _ in 0..<count {
                let tag = rng.pick(pool)
                if !tags.contains(tag) { tags.append(tag) }
            }
            if kind == .organization && !tags.contains("B2B") && rng.percent(50) { tags.append("B2B") }
            if let region = place?.region, rng.percent(30) { tags.append(region) }
            if tier == "VIP" && language == .simplified && !tags.contains("VIP客户") && rng.percent(50) { tags.append("VIP客户") }
        }

        private func randomBirthday(_ rng: inout DemoRNG) -> String {
            let year = rng.inRange(1960...2004)
            let month = rng.inRange(1...12)
            let days: Int
            switch month {
            case 2: days = (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
            case 4, 6, 9, 11: days = 30
            default: days = 31
            }
            let day = rng.inRange(1...days)
            return String(year) + "-" + UniqueNumbers.padded(UInt64(month), width: 2) + "-" + UniqueNumbers.padded(UInt64(day), width: 2)
        }
    }
}
