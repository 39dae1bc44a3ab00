/// Names a workspace is given before anyone types one (the default pipeline and its stages, the
/// default price list). Such a record keeps the key it was seeded with until someone renames it,
/// and pages show the key's word in the reader's language (catalog key `seeded_<key>`); the stored
/// name stays the Simplified Chinese text, which the API answers beside the key.
package enum SeededName {
    package static let pipeline = "pipeline"
    package static let stages = ["stage_contact", "stage_needs", "stage_proposal", "stage_negotiation", "stage_won", "stage_lost"]
    package static let priceList = "price_list_standard"

    /// The text each key is stored with (what workspaces made before keys existed hold).
    package static let texts: [String: String] = [
        pipeline: "销售管道", "stage_contact": "初步接触", "stage_needs": "需求确认", "stage_proposal": "方案报价",
        "stage_negotiation": "商务谈判", "stage_won": "赢单", "stage_lost": "输单", priceList: "标准价",
    ]

    package static func text(_ key: String) -> String { texts[key] ?? key }

    /// The key a record keeps after its name is set to `newName`: kept while the name is still the
    /// seeded text, gone once it is something else.
    package static func key(_ key: String?, after newName: String) -> String? {
        guard let key, texts[key] == newName else { return nil }
        return key
    }
}
