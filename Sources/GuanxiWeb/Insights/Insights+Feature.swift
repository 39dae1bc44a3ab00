import GuanxiStore
import GuanxiWebPlatform

extension Feature {
    /// Analytics on the CRM's own data: scoring runs over the workspace's orders (RFM, BG/NBD or
    /// Pareto/NBD, Gamma-Gamma, CLV, value tiers, classes, cross-sell) (docs/INSIGHTS.md).
    package static let insights: Feature = {
        var f = Feature(name: "Insights")
        f.migrations = [M026_Scores.migration]
        return f
    }()
}
