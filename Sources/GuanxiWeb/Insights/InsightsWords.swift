import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The Insights pages' words in the three languages, and how a customer's scores read in one line.
enum InsightsWords {
    static let segments = ScoreVocabulary.segments
    static let classes = ScoreVocabulary.classes

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "insights": "洞察", "insights_intro": "根据订单为每位客户打分：RFM 分群、未来 90 天预计购买次数、仍活跃的概率、流失风险、12 个月客户终身价值、价值等级（80/20）和客户类别。每晚自动更新，也可以现在更新。",
            "insights_run_now": "现在评分", "insights_run_full": "全部重新拟合", "insights_kind": "方式", "insights_kind_full": "全部重新拟合",
            "insights_kind_incremental": "增量（只重算订单有变化的客户）", "insights_touched": "涉及客户", "insights_phase_reading": "正在读取订单……",
            "insights_phase_fitting": "正在拟合模型……", "insights_phase_scoring": "正在为客户评分……", "insights_phase_writing": "正在保存评分……",
            "insights_progress": "已评分 {done} / {total} 位客户", "insights_failed_because": "上次评分失败：", "insights_last_run": "最近一次评分", "insights_none": "还没有评分。有了订单之后，点「现在评分」。",
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
            "chart_download_csv": "下载 CSV", "chart_numbers": "数据表", "chart_revenue": "每月收入", "chart_orders": "每月订单数",
            "chart_pareto": "帕累托曲线（80/20）：最有价值的客户贡献的价值占比", "chart_rfm": "按最近购买（R）和购买频次（F）评分的客户数",
            "chart_clv": "按 12 个月价值分布的客户数", "chart_churn": "各 RFM 分群的流失风险", "chart_cohorts": "按首次购买月份的客户留存（当月仍购买的比例）",
            "chart_calibration": "模型检验：验证期内的重复购买，实际与预计", "chart_funnel": "销售漏斗：各阶段的商机数", "chart_ageing": "应收账龄：未收款项按下单天数",
            "chart_period_year": "最近 12 个月", "chart_period_run": "截至 {day} 的评分", "chart_period_holdout": "以 {from} 之前的订单拟合，检验至 {to}",
            "chart_period_now": "当前", "chart_days": "天",
            "chart_col_month": "月份", "chart_col_revenue": "收入", "chart_col_orders": "订单数", "chart_col_value_share": "价值占比",
            "chart_col_customer_share": "客户（价值从高到低）", "chart_col_recency": "R 评分", "chart_col_customers": "客户数", "chart_col_value_band": "12 个月价值",
            "chart_col_segment": "分群", "chart_col_cohort": "首次购买月份", "chart_col_actual": "实际", "chart_col_expected": "预计",
            "chart_col_frequency": "拟合期内重复购买次数", "chart_col_deals": "商机数", "chart_col_stage": "阶段", "chart_col_owed": "未收款", "chart_col_age": "下单至今",
        ],
        .zhHant: [
            "insights": "洞察", "insights_intro": "根據訂單為每位客戶評分：RFM 分群、未來 90 天預計購買次數、仍活躍的機率、流失風險、12 個月客戶終身價值、價值等級（80/20）和客戶類別。每晚自動更新，也可以現在更新。",
            "insights_run_now": "現在評分", "insights_run_full": "全部重新擬合", "insights_kind": "方式", "insights_kind_full": "全部重新擬合",
            "insights_kind_incremental": "增量（只重算訂單有變動的客戶）", "insights_touched": "涉及客戶", "insights_phase_reading": "正在讀取訂單……",
            "insights_phase_fitting": "正在擬合模型……", "insights_phase_scoring": "正在為客戶評分……", "insights_phase_writing": "正在儲存評分……",
            "insights_progress": "已評分 {done} / {total} 位客戶", "insights_failed_because": "上次評分失敗：", "insights_last_run": "最近一次評分", "insights_none": "還沒有評分。有了訂單之後，點「現在評分」。",
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
            "chart_download_csv": "下載 CSV", "chart_numbers": "資料表", "chart_revenue": "每月收入", "chart_orders": "每月訂單數",
            "chart_pareto": "柏拉圖曲線（80/20）：最有價值的客戶貢獻的價值佔比", "chart_rfm": "按最近購買（R）和購買頻次（F）評分的客戶數",
            "chart_clv": "按 12 個月價值分布的客戶數", "chart_churn": "各 RFM 分群的流失風險", "chart_cohorts": "按首次購買月份的客戶留存（當月仍購買的比例）",
            "chart_calibration": "模型檢驗：驗證期內的重複購買，實際與預計", "chart_funnel": "銷售漏斗：各階段的商機數", "chart_ageing": "應收帳齡：未收款項按下單天數",
            "chart_period_year": "最近 12 個月", "chart_period_run": "截至 {day} 的評分", "chart_period_holdout": "以 {from} 之前的訂單擬合，檢驗至 {to}",
            "chart_period_now": "目前", "chart_days": "天",
            "chart_col_month": "月份", "chart_col_revenue": "收入", "chart_col_orders": "訂單數", "chart_col_value_share": "價值佔比",
            "chart_col_customer_share": "客戶（價值由高到低）", "chart_col_recency": "R 評分", "chart_col_customers": "客戶數", "chart_col_value_band": "12 個月價值",
            "chart_col_segment": "分群", "chart_col_cohort": "首次購買月份", "chart_col_actual": "實際", "chart_col_expected": "預計",
            "chart_col_frequency": "擬合期內重複購買次數", "chart_col_deals": "商機數", "chart_col_stage": "階段", "chart_col_owed": "未收款", "chart_col_age": "下單至今",
        ],
        .en: [
            "insights": "Insights", "insights_intro": "Every customer scored from their orders: RFM segment, expected purchases in the next 90 days, how likely they are still active, churn risk, 12-month lifetime value, value tier (80/20) and class. Updated every night, or now.",
            "insights_run_now": "Score now", "insights_run_full": "Refit everyone", "insights_kind": "Kind", "insights_kind_full": "full refit",
            "insights_kind_incremental": "incremental (only customers whose orders changed)", "insights_touched": "customers touched", "insights_phase_reading": "Reading orders…",
            "insights_phase_fitting": "Fitting the models…", "insights_phase_scoring": "Scoring customers…", "insights_phase_writing": "Saving the scores…",
            "insights_progress": "{done} of {total} customers scored", "insights_failed_because": "The last scoring run failed:", "insights_last_run": "Last scoring run", "insights_none": "No scores yet. Once there are orders, press “Score now”.",
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
            "chart_download_csv": "Download CSV", "chart_numbers": "The numbers", "chart_revenue": "Revenue per month", "chart_orders": "Orders per month",
            "chart_pareto": "Pareto curve (80/20): share of value from the most valuable customers", "chart_rfm": "Customers by recency (R) and frequency (F) score",
            "chart_clv": "Customers by 12-month value", "chart_churn": "Churn risk by RFM segment", "chart_cohorts": "Retention by month of first purchase (share buying that month)",
            "chart_calibration": "Model check: repeat purchases in the hold-out period, actual and expected", "chart_funnel": "Pipeline: deals in each stage", "chart_ageing": "Collections: money owed by days since the order",
            "chart_period_year": "The last 12 months", "chart_period_run": "Scoring run as of {day}", "chart_period_holdout": "Fitted on the orders up to {from}, checked to {to}",
            "chart_period_now": "Now", "chart_days": "days",
            "chart_col_month": "Month", "chart_col_revenue": "Revenue", "chart_col_orders": "Orders", "chart_col_value_share": "Share of value",
            "chart_col_customer_share": "Customers, most valuable first", "chart_col_recency": "R score", "chart_col_customers": "Customers", "chart_col_value_band": "12-month value",
            "chart_col_segment": "Segment", "chart_col_cohort": "First purchase", "chart_col_actual": "Actual", "chart_col_expected": "Expected",
            "chart_col_frequency": "Repeat purchases while fitting", "chart_col_deals": "Deals", "chart_col_stage": "Stage", "chart_col_owed": "Owed", "chart_col_age": "Since the order",
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
        ("'{0}' is not a period (2026-12, 2026-Q4 or 2026)", "「{0}」不是期间（如 2026-12、2026-Q4 或 2026）", "「{0}」不是期間（如 2026-12、2026-Q4 或 2026）"),
        ("your role may not read orders, so it has no scorecard", "你的角色不能查看订单，所以没有计分卡", "你的角色不能查看訂單，所以沒有計分卡"),
        ("the full run this run builds on has no model to reuse; score in full", "这次评分所依据的完整评分没有可以沿用的模型，请全部重新拟合",
         "這次評分所依據的完整評分沒有可以沿用的模型，請全部重新擬合"),
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
