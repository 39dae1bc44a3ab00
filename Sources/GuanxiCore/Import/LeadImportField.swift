/// The columns a lead import understands. Raw values are the lead API's field names (`LeadDraft.set`).
package enum LeadImportField: String, CaseIterable, Sendable {
    case name, company, title, phone, email, wechat, province, city
    case productInterest = "product_interest"
    case tier, source, campaign, message
    case utmSource = "utm_source", utmMedium = "utm_medium", utmCampaign = "utm_campaign", utmTerm = "utm_term", utmContent = "utm_content"

    /// Customer columns mean the same on a lead sheet (姓名, 手机, 公司…), so their aliases are reused;
    /// the lead-only columns (意向产品, 活动, utm_*) come first so "utm_source" is never read as 来源.
    static let aliases: [(LeadImportField, [String])] = [
        (.utmSource, ["utmsource"]), (.utmMedium, ["utmmedium"]), (.utmCampaign, ["utmcampaign"]),
        (.utmTerm, ["utmterm"]), (.utmContent, ["utmcontent"]),
        (.productInterest, ["productinterest", "product", "interest", "interestedin", "意向产品", "意向產品", "意向", "产品", "產品",
                            "感兴趣的产品", "感興趣的產品", "咨询产品", "諮詢產品"]),
        (.campaign, ["campaign", "campaignname", "活动", "活動", "推广活动", "推廣活動", "活动名称", "活動名稱", "广告计划", "廣告計劃"]),
        (.name, HeaderMapping.aliases(of: .name)),
        (.company, HeaderMapping.aliases(of: .organization)),
        (.title, HeaderMapping.aliases(of: .title)),
        (.phone, HeaderMapping.aliases(of: .phone)),
        (.email, HeaderMapping.aliases(of: .email)),
        (.wechat, HeaderMapping.aliases(of: .wechat)),
        (.province, HeaderMapping.aliases(of: .province)),
        (.city, HeaderMapping.aliases(of: .city)),
        (.tier, HeaderMapping.aliases(of: .tier)),
        (.source, HeaderMapping.aliases(of: .source)),
        (.message, ["message", "留言", "咨询内容", "諮詢內容", "需求", "需求描述"] + HeaderMapping.aliases(of: .note)),
    ]

    static let matcher = HeaderMatcher(aliases)

    /// Maps column index → lead field for a header row (Chinese or English, either script).
    package static func guess(_ headers: [String]) -> [Int: LeadImportField] { matcher.guess(headers) }
}
