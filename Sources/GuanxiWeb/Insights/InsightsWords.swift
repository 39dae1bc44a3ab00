import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The Insights pages' words in the three languages, and how a customer's scores read in one line.
enum InsightsWords {
    /// RFM segments as stored (the R `rfm` package's eleven, and everyone else).
    static let segments = ["champions", "loyal_customers", "potential_loyalist", "new_customers", "promising", "need_attention",
                           "about_to_sleep", "at_risk", "cant_lose_them", "hibernating", "lost", "others"]
    /// Customer classes, best first.
    static let classes = ["top", "steady", "occasional", "drifting", "lapsed"]

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "insights": "洞察", "insights_intro": "根据订单为每位客户打分：RFM 分群、未来 90 天预计购买次数、仍活跃的概率、流失风险、12 个月客户终身价值、价值等级（80/20）和客户类别。每晚自动更新，也可以现在更新。",
            "insights_run_now": "现在评分", "insights_last_run": "最近一次评分", "insights_none": "还没有评分。有了订单之后，点「现在评分」。",
            "insights_status": "状态", "insights_as_of": "截至", "insights_model": "模型", "insights_customers": "客户数", "insights_orders": "订单数",
            "insights_range": "订单日期", "insights_duration": "用时（毫秒）", "insights_parameters": "拟合参数", "insights_error": "错误",
            "insights_run_running": "进行中", "insights_run_done": "完成", "insights_run_failed": "失败", "insights_started": "评分已开始，稍后刷新本页查看结果。",
            "scores": "客户评分", "score_segment": "RFM 分群", "score_churn": "流失风险", "score_clv": "12 个月价值", "score_tier": "价值等级",
            "score_class": "客户类别", "score_expected": "90 天预计购买", "score_cross_sell": "可以推荐",
            "score_line": "共购买 {n} 次，最近一次在 {ago}，仍活跃的可能性 {p}%。", "score_line_once": "购买过 1 次，在 {ago}，仍活跃的可能性 {p}%。",
            "ago_today": "今天", "ago_days": "{n} 天前", "ago_weeks": "{n} 周前", "ago_months": "{n} 个月前",
            "churn_low": "低", "churn_medium": "中", "churn_high": "高",
            "tier_A": "A（贡献前 80% 价值）", "tier_B": "B（其后 15%）", "tier_C": "C（其余）",
            "class_top": "最佳客户", "class_steady": "稳定客户", "class_occasional": "偶尔购买", "class_drifting": "渐行渐远", "class_lapsed": "已流失",
            "segment_champions": "冠军客户", "segment_loyal_customers": "忠诚客户", "segment_potential_loyalist": "潜在忠诚客户",
            "segment_new_customers": "新客户", "segment_promising": "有潜力", "segment_need_attention": "需要关注", "segment_about_to_sleep": "即将沉睡",
            "segment_at_risk": "有流失风险", "segment_cant_lose_them": "不能失去", "segment_hibernating": "休眠", "segment_lost": "已流失",
            "segment_others": "其他",
        ],
        .zhHant: [
            "insights": "洞察", "insights_intro": "根據訂單為每位客戶評分：RFM 分群、未來 90 天預計購買次數、仍活躍的機率、流失風險、12 個月客戶終身價值、價值等級（80/20）和客戶類別。每晚自動更新，也可以現在更新。",
            "insights_run_now": "現在評分", "insights_last_run": "最近一次評分", "insights_none": "還沒有評分。有了訂單之後，點「現在評分」。",
            "insights_status": "狀態", "insights_as_of": "截至", "insights_model": "模型", "insights_customers": "客戶數", "insights_orders": "訂單數",
            "insights_range": "訂單日期", "insights_duration": "用時（毫秒）", "insights_parameters": "擬合參數", "insights_error": "錯誤",
            "insights_run_running": "進行中", "insights_run_done": "完成", "insights_run_failed": "失敗", "insights_started": "評分已開始，稍後重新整理本頁查看結果。",
            "scores": "客戶評分", "score_segment": "RFM 分群", "score_churn": "流失風險", "score_clv": "12 個月價值", "score_tier": "價值等級",
            "score_class": "客戶類別", "score_expected": "90 天預計購買", "score_cross_sell": "可以推薦",
            "score_line": "共購買 {n} 次，最近一次在 {ago}，仍活躍的可能性 {p}%。", "score_line_once": "購買過 1 次，在 {ago}，仍活躍的可能性 {p}%。",
            "ago_today": "今天", "ago_days": "{n} 天前", "ago_weeks": "{n} 週前", "ago_months": "{n} 個月前",
            "churn_low": "低", "churn_medium": "中", "churn_high": "高",
            "tier_A": "A（貢獻前 80% 價值）", "tier_B": "B（其後 15%）", "tier_C": "C（其餘）",
            "class_top": "最佳客戶", "class_steady": "穩定客戶", "class_occasional": "偶爾購買", "class_drifting": "漸行漸遠", "class_lapsed": "已流失",
            "segment_champions": "冠軍客戶", "segment_loyal_customers": "忠誠客戶", "segment_potential_loyalist": "潛在忠誠客戶",
            "segment_new_customers": "新客戶", "segment_promising": "有潛力", "segment_need_attention": "需要關注", "segment_about_to_sleep": "即將沉睡",
            "segment_at_risk": "有流失風險", "segment_cant_lose_them": "不能失去", "segment_hibernating": "休眠", "segment_lost": "已流失",
            "segment_others": "其他",
        ],
        .en: [
            "insights": "Insights", "insights_intro": "Every customer scored from their orders: RFM segment, expected purchases in the next 90 days, how likely they are still active, churn risk, 12-month lifetime value, value tier (80/20) and class. Updated every night, or now.",
            "insights_run_now": "Score now", "insights_last_run": "Last scoring run", "insights_none": "No scores yet. Once there are orders, press “Score now”.",
            "insights_status": "Status", "insights_as_of": "As of", "insights_model": "Model", "insights_customers": "Customers", "insights_orders": "Orders",
            "insights_range": "Order dates", "insights_duration": "Time (ms)", "insights_parameters": "Fitted parameters", "insights_error": "Error",
            "insights_run_running": "running", "insights_run_done": "done", "insights_run_failed": "failed", "insights_started": "Scoring has started; reload this page in a moment for the result.",
            "scores": "Scores", "score_segment": "RFM segment", "score_churn": "Churn risk", "score_clv": "12-month value", "score_tier": "Value tier",
            "score_class": "Class", "score_expected": "Expected purchases, 90 days", "score_cross_sell": "Worth offering",
            "score_line": "Bought {n} times, last {ago}, {p} % likely still active.", "score_line_once": "Bought once, {ago}, {p} % likely still active.",
            "ago_today": "today", "ago_days": "{n} days ago", "ago_weeks": "{n} weeks ago", "ago_months": "{n} months ago",
            "churn_low": "low", "churn_medium": "medium", "churn_high": "high",
            "tier_A": "A (the customers making 80 % of value)", "tier_B": "B (the next 15 %)", "tier_C": "C (the rest)",
            "class_top": "Top customers", "class_steady": "Steady customers", "class_occasional": "Occasional buyers", "class_drifting": "Drifting away", "class_lapsed": "Lapsed",
            "segment_champions": "Champions", "segment_loyal_customers": "Loyal customers", "segment_potential_loyalist": "Potential loyalists",
            "segment_new_customers": "New customers", "segment_promising": "Promising", "segment_need_attention": "Need attention", "segment_about_to_sleep": "About to sleep",
            "segment_at_risk": "At risk", "segment_cant_lose_them": "Can't lose them", "segment_hibernating": "Hibernating", "segment_lost": "Lost",
            "segment_others": "Others",
        ],
    ]

    /// The domain messages Insights raises, as pages show them.
    static let translations: [MessageTranslation] = [
        ("the header needs the columns {0}", "表头缺少这些列：{0}", "表頭缺少這些欄：{0}"),
        ("'{0}' is not a date (YYYY-MM-DD or an ISO 8601 time)", "「{0}」不是日期（YYYY-MM-DD 或 ISO 8601 时间）", "「{0}」不是日期（YYYY-MM-DD 或 ISO 8601 時間）"),
        ("'{0}' is not an amount (at most two decimals, not negative)", "「{0}」不是金额（最多两位小数，不能为负）", "「{0}」不是金額（最多兩位小數，不能為負）"),
        ("'{0}' is not a currency code", "「{0}」不是货币代码", "「{0}」不是貨幣代碼"),
        ("'{0}' is not a date (YYYY-MM-DD)", "「{0}」不是日期（YYYY-MM-DD）", "「{0}」不是日期（YYYY-MM-DD）"),
        ("must be day or week", "须为 day 或 week", "須為 day 或 week"),
        ("no customer could be found or made for this id", "无法按这个编号找到或建立客户", "無法依這個編號找到或建立客戶"),
        ("importing order history needs access to every order", "导入历史订单需要能查看所有订单", "匯入歷史訂單需要能查看所有訂單"),
        ("scoring needs analytics rights over the whole workspace", "评分需要整个工作区的分析权限", "評分需要整個工作區的分析權限"),
    ]

    /// "Bought 7 times, last 3 weeks ago, 92 % likely still active." in the reader's language.
    static func line(_ s: CustomerScore, _ v: PageContext) -> String {
        let d = s.recencyDays
        let ago = d <= 0 ? v.text("ago_today")
            : d < 14 ? v.text("ago_days").replacingOccurrences(of: "{n}", with: String(d))
            : d < 60 ? v.text("ago_weeks").replacingOccurrences(of: "{n}", with: String(d / 7))
            : v.text("ago_months").replacingOccurrences(of: "{n}", with: String(d / 30))
        let p = String(Int((s.pAlive * 100).rounded()))
        return v.text(s.purchases == 1 ? "score_line_once" : "score_line").replacingOccurrences(of: "{n}", with: String(s.purchases))
            .replacingOccurrences(of: "{ago}", with: ago).replacingOccurrences(of: "{p}", with: p)
    }
}
