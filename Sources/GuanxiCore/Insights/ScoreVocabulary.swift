/// The values a customer's scores take (docs/INSIGHTS.md): what the list filters accept, what the
/// API declares and what the pages name. One list each, read by the store, the API and the pages.
package enum ScoreVocabulary {
    /// RFM segments as stored (the R `rfm` package's eleven, and everyone else).
    package static let segments = ["champions", "loyal_customers", "potential_loyalist", "new_customers", "promising", "need_attention",
                                   "about_to_sleep", "at_risk", "cant_lose_them", "hibernating", "lost", "others"]
    /// Customer classes, best first.
    package static let classes = ["top", "steady", "occasional", "drifting", "lapsed"]
    package static let churnRisks = ["low", "medium", "high"]
    /// 80/20 value tiers: A makes the first 80 % of value, B the next 15 %, C the rest.
    package static let valueTiers = ["A", "B", "C"]
}
