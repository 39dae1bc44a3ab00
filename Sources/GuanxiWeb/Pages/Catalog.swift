import Foundation
import GuanxiCore

/// The page languages. The user's choice (cookie) wins, else the browser's Accept-Language, else 简体中文.
package enum UILocale: String, CaseIterable, Sendable {
    case zhHans = "zh-Hans", zhHant = "zh-Hant", en

    package static func pick(cookie: String?, acceptLanguage: String?) -> UILocale {
        if let c = cookie, let l = UILocale(rawValue: c) { return l }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if tag.hasPrefix("zh-hant") || tag == "zh-tw" || tag == "zh-hk" || tag == "zh-mo" { return .zhHant }
            if tag.hasPrefix("zh") { return .zhHans }
            if tag.hasPrefix("en") { return .en }
        }
        return .zhHans
    }

    /// For date formatting.
    package var formatLocale: Locale { Locale(identifier: self == .zhHans ? "zh_Hans_CN" : self == .zhHant ? "zh_Hant_TW" : "en_US") }
    package var htmlLang: String { rawValue }
}

/// One feature's page words, per language.
package struct CatalogPart: Sendable {
    package var strings: [UILocale: [String: String]]
    package init(_ strings: [UILocale: [String: String]] = [:]) { self.strings = strings }
}

/// The platform's own page words (every feature declares its part; `Words` merges them).
package enum Catalog {
    package static let core: [UILocale: [String: String]] = [
        .zhHans: [
            "pick_customer": "先选择客户",
            "seeded_pipeline": "销售管道", "seeded_stage_contact": "初步接触", "seeded_stage_needs": "需求确认", "seeded_stage_proposal": "方案报价", "seeded_stage_negotiation": "商务谈判", "seeded_stage_won": "赢单", "seeded_stage_lost": "输单", "seeded_price_list_standard": "标准价",
            "mine": "我的", "rename_tag": "改名", "rename_to": "新名称：", "rename_tag_hint": "改成已有的标签名即合并两个标签；每位客户的修改都记入时间线和审计日志。", "customers_count": "客户数",
            "view_name": "视图名称", "save_view": "保存当前筛选",
            "bulk_action": "批量操作", "bulk_tag": "添加标签", "bulk_assign": "分配负责人", "apply_selected": "应用到勾选的客户", "select": "选择", "bulk_done": "已更新的客户数：", "bulk_failed": "未能更新：",
            "export": "导出",
            "related": "关联", "relation_works_at": "任职于", "relation_family": "家人", "relation_referred_by": "推荐人", "relation_other": "其他关系", "relation_member": "成员", "duplicates_title": "可能重复的客户", "merge": "合并", "merge_title": "合并两个客户", "keep_this": "保留", "merged_into_it": "并入左侧", "merge_hint": "逐项选择保留哪一边的值；联系方式、标签、时间线和关联会全部并到保留的客户上。合并后可以撤销。", "merged_flash": "已合并。", "undo": "撤销合并",
            "verify_chain": "校验哈希链",
            "settings": "设置", "field_applies_to": "用于", "field_for_customers": "客户", "field_for_tickets": "工单", "users": "成员", "teams": "团队", "roles": "角色", "fields_tab": "自定义字段", "tokens": "API 令牌", "audit": "审计日志", "role": "角色", "active": "状态", "yes": "是", "no": "否", "members": "成员", "manager": "负责人", "new_team": "新建团队", "create": "创建", "permissions": "权限", "key": "键", "label": "显示名", "type": "类型", "sensitive": "敏感（按权限隐藏）", "new_field": "新建字段", "delete": "删除", "token_name": "名称", "days": "有效天数（留空为永久）", "new_token": "生成令牌", "token_shown_once": "请立即复制，令牌只显示这一次：", "prefix": "前缀", "last_used": "最近使用", "expires": "过期", "revoke": "吊销", "revoked": "已吊销", "time": "时间", "actor": "操作人", "action": "操作", "object": "对象", "record": "记录", "audit_ok": "哈希链完整：", "audit_broken": "审计日志被改动：", "entries": "条记录", "change_role": "更改", "none": "无",
            "import": "导入", "import_hint": "上传 CSV 文件（UTF-8 或 GB18030，例如 Excel 另存为 CSV）。下一步可以核对列的对应关系并先试运行。", "upload_file": "CSV 文件", "next_step": "下一步", "map_columns": "核对列", "column": "列", "maps_to": "导入为", "preview": "示例", "not_imported": "（自动识别）", "dry_run": "试运行", "import_now": "开始导入", "start_over": "重新上传", "status_running": "正在导入……", "refresh": "刷新", "dry_run_result": "试运行结果（未写入）：", "rows_total": "共", "created_n": "新建", "updated_n": "更新", "rejected_n": "拒绝", "line": "行", "reason": "原因", "download_errors": "下载错误报告", "rows": "行数据", "field_id": "客户编号", "field_kind": "类型", "field_name": "名称", "field_family_name": "姓", "field_given_name": "名", "field_organization": "所属机构", "field_title": "职位", "field_email": "邮箱", "field_phone": "手机", "field_wechat": "微信号", "field_external_id": "外部编号", "field_stage": "阶段", "field_tier": "等级", "field_owner": "负责人邮箱", "field_source": "来源", "field_country": "国家/地区", "field_province": "省份", "field_city": "城市", "field_district": "区县", "field_street": "街道地址", "field_postcode": "邮编", "field_birthday": "生日", "field_tags": "标签", "field_note": "备注",
            "chat": "在线聊天", "web": "网站", "app": "App", "store": "门店", "social": "社交媒体",
            "app_name": "关系 CRM", "sign_in": "登录", "sign_out": "退出", "email": "邮箱", "password": "密码", "totp_code": "验证码（如已开启两步验证）",
            "customers": "客户", "new_customer": "新建客户", "search": "搜索", "search_placeholder": "姓名、公司、手机、邮箱或标签",
            "name": "名称", "kind": "类型", "person": "个人", "organization": "机构", "organization_name": "所属机构", "title": "职位",
            "stage": "阶段", "tier": "等级", "owner": "负责人", "tags": "标签", "tags_hint": "用逗号分隔", "source": "来源",
            "phones": "手机", "emails": "邮箱", "addresses": "地址", "birthday": "生日", "custom_fields": "自定义字段",
            "updated": "更新于", "created": "创建于", "all": "全部", "filter": "筛选", "dashboard": "工作台", "dashboard_empty": "你的角色在这里没有可看的数字。去看看：", "dash_kpis": "关键指标", "dash_kpis_period": "各项注明统计期间", "dash_revenue": "收入", "dash_collections": "应收款", "dash_pipeline": "销售管道",
            "dash_at_risk": "可能流失的高价值客户", "dash_this_month": "本月", "dash_last_30_days": "最近 30 天", "dash_last_12_months": "最近 12 个月", "dash_now": "当前",
            "dash_days": "天", "dash_orders_per_customer": "客户平均订单数", "dash_repurchase_rate": "复购率", "dash_revenue_month": "本月收入",
            "dash_revenue_previous": "上月收入", "dash_orders_month": "本月订单", "dash_owed_total": "未收款合计", "dash_open_deals": "进行中的商机",
            "dash_open_amount": "商机金额", "dash_weighted": "加权金额", "dash_response_time": "客服首次响应（中位数）", "dash_satisfaction": "客户满意度", "list_sort": "排序", "sort_newest": "最新创建", "sort_clv": "12 个月价值从高到低", "sort_p_alive": "仍活跃可能性从高到低", "next_page": "下一页", "no_customers": "没有符合条件的客户。",
            "save": "保存", "cancel": "取消", "edit": "编辑", "reveal": "显示完整信息", "masked_note": "部分联系方式已按权限隐藏。",
            "timeline": "时间线", "more": "更多", "nothing_yet": "还没有记录。", "log_activity": "记录跟进", "activity_kind": "方式",
            "note": "备注", "call": "电话", "visit": "拜访", "wechat": "微信", "meeting": "会议", "email_kind": "邮件", "sms": "短信",
            "subject": "主题", "body": "内容", "add": "添加", "language": "语言",
            "stage_prospect": "潜在客户", "stage_lead": "线索", "stage_customer": "客户", "stage_repeat": "复购客户", "stage_loyal": "忠诚客户",
            "stage_at_risk": "流失风险", "stage_lost": "已流失",
            "event_created": "创建了客户", "event_stage_changed": "阶段变更", "event_tier_changed": "等级变更", "event_owner_changed": "负责人变更",
            "event_merged": "合并了客户", "event_merge_undone": "撤销合并", "event_deleted": "删除", "event_restored": "恢复", "event_imported": "导入",
            "error_fields": "请修改标红的字段。", "error_conflict": "别人已经修改了这条记录。下面是最新内容，请重新编辑后保存。",
            "error_sign_in": "邮箱或密码不正确。", "skip_to_content": "跳到主要内容", "search_hint": "输入后用上下方向键选择结果，回车打开。", "results_one": "找到 1 位客户", "results_many": "找到 {n} 位客户", "actions": "操作", "audit_claim": "领取", "audit_create": "新建", "audit_delete": "删除", "audit_export": "导出", "audit_handover": "交接", "audit_import": "导入", "audit_merge": "合并", "audit_merge_undo": "撤销合并", "audit_password_change": "修改密码", "audit_password_reset": "重置密码", "audit_recycle": "回收到公海", "audit_release": "退回公海", "audit_restore": "恢复", "audit_reveal": "查看完整联系方式", "audit_revoke": "吊销", "audit_role_change": "变更角色", "audit_sign_in": "登录", "audit_sign_in_failed": "登录失败", "audit_totp_disabled": "关闭两步验证", "audit_totp_enabled": "开启两步验证", "audit_update": "修改", "audit_use": "使用", "audit_share": "共享", "audit_unshare": "取消共享", "audit_deactivate": "停用", "audit_api_tokens": "API 令牌", "audit_custom_fields": "自定义字段", "audit_customers": "客户", "audit_relationships": "客户关系", "audit_users": "用户", "audit_workspaces": "工作区", "audit_pool_rules": "公海规则", "audit_roles": "角色", "audit_teams": "团队", "audit_notes": "备注", "audit_interactions": "互动记录", "audit_shares": "共享", "audit_memberships": "成员资格", "leads": "线索", "new_lead": "新建线索", "no_leads": "没有符合条件的线索。", "lead_name": "姓名", "lead_company": "公司", "lead_title": "职位", "lead_phone": "手机", "lead_email": "邮箱", "lead_wechat": "微信号", "lead_province": "省份", "lead_city": "城市", "lead_product_interest": "意向产品", "lead_source": "来源", "lead_campaign": "活动", "lead_utm": "UTM 参数", "lead_due": "首次响应期限", "lead_responded": "首次响应于", "lead_created": "获取于", "lead_message": "留言", "lead_status": "状态", "lead_status_new": "新线索", "lead_status_contacted": "已联系", "lead_status_qualified": "已确认", "lead_status_disqualified": "无效", "lead_status_converted": "已转化", "lead_overdue": "已超时", "lead_converted_to": "已转化为客户，点此打开", "lead_duplicate_customer": "同一手机/邮箱已是现有客户。", "lead_duplicate_lead": "之前已有同一联系方式的线索。", "open": "打开", "lead_move": "更新状态", "lead_reason": "原因", "lead_convert": "转化为客户", "lead_join_existing": "并入现有客户", "lead_convert_hint": "会新建客户（有公司时也新建或复用机构），线索的全部记录随之转到客户时间线。", "lead_transfer": "转交", "lead_form_thanks": "已收到，我们会尽快联系您。", "lead_website": "网站", "lead_submit": "提交", "event_status_changed": "状态变更", "event_converted": "由线索转化", "audit_leads": "线索", "audit_assignment_rules": "分配规则", "audit_lead_sources": "线索表单与接口", "audit_transfer": "转交", "audit_convert": "转化", "audit_disable": "停用", "lead_rules": "线索分配", "lead_sources": "线索表单与接口", "rule_conditions": "条件", "rule_method": "分配方式", "rule_to": "分给", "rule_response_minutes": "响应时限（分钟）", "rule_any": "任何线索", "rule_method_round_robin": "团队轮流", "rule_method_least_loaded": "最空闲的人", "rule_method_user": "指定的人", "rule_method_pool": "放入公海", "rules_hint": "按序号从小到大，第一条条件符合的规则决定线索分给谁；条件留空表示不限，多个值用逗号分隔。", "new_rule": "新建分配规则", "rule_position": "序号", "rule_team": "团队", "rule_user": "指定用户", "source_address": "地址", "source_kind_form": "网页表单", "source_kind_webhook": "Webhook 接口", "disable": "停用", "sources_hint": "网页表单可嵌入官网（iframe）；Webhook 用创建时显示一次的密钥签名（X-Guanxi-Signature: t=时间戳,v1=HMAC-SHA256）。", "new_source": "新建表单或接口", "event_lead_captured": "获取线索", "channel_api": "接口/手工录入", "channel_form": "网页表单", "channel_webhook": "Webhook", "channel_import": "导入", "deals": "商机", "new_deal": "新建商机", "pipelines": "销售管道", "board_hint": "把卡片拖到另一列即可移动；也可以在卡片上选择阶段后按「移动」。输单需要填写原因（在商机页）。", "weighted": "加权", "deal_idle": "停滞", "deal_move_to": "移动到", "deal_move": "移动", "and_more": "另有", "deal_name": "商机名称", "deal_amount": "金额", "deal_expected_close": "预计成交日", "deal_currency": "币种", "deal_stage": "阶段", "deal_status": "状态", "deal_status_open": "进行中", "deal_status_won": "赢单", "deal_status_lost": "输单", "deal_weighted": "加权金额", "deal_close_reason": "赢单/输单原因", "deal_closed_at": "结束于", "event_deal_opened": "新建商机", "event_deal_moved": "商机阶段变更", "audit_deals": "商机", "audit_pipelines": "销售管道", "audit_move": "移动", "my_day": "今日", "needs_attention": "项待办已到期", "new_task": "新建待办", "lead_import": "导入线索", "lead_import_hint": "上传 CSV 文件（UTF-8 或 GB18030，表头可用中文或英文：姓名、手机、邮箱、微信、公司、省份、城市、意向产品、来源、活动、utm_*）。每条线索都像接口录入一样查重并按分配规则分配；有问题的行会逐行列出，其余照常导入。", "lead_import_now": "导入", "lead_import_result": "导入结果：", "lead_import_duplicates": "疑似重复", "lead_import_assigned": "已分配", "task_kind_todo": "待办", "task_kind_call": "电话", "task_kind_visit": "拜访", "priority_low": "低", "priority_normal": "普通", "priority_high": "紧急", "task_status_open": "未完成", "task_status_done": "已完成", "task_status_cancelled": "已取消", "task_subject_customer": "客户", "task_subject_lead": "线索", "task_subject_deal": "商机", "tasks_overdue": "已逾期", "visits_today": "今日拜访", "tasks_due_today": "今日到期", "tasks_reminders": "提醒", "nothing_due": "没有需要处理的事项。", "leads_overdue": "超时未响应的线索", "visit_summary": "拜访计划与完成", "week_previous": "上一周", "week_next": "下一周", "visits_planned": "计划", "visits_done": "已完成", "no_visits": "这一周没有拜访计划。", "task_title": "事项", "task_due": "截止时间", "task_remind": "提醒时间", "task_priority": "优先级", "task_notes": "备注", "task_kind": "类型", "task_status": "状态", "task_completed_at": "完成于", "visit_outcome": "拜访结果", "visit_next_step": "下一步", "visit_next_task": "后续待办", "visit_check_in": "签到位置", "visit_record": "记录拜访", "visit_next_due": "下一步截止时间", "latitude": "纬度", "longitude": "经度", "accuracy_m": "精度（米）", "use_my_location": "使用当前位置", "location_failed": "无法获取位置，请手动填写。", "task_complete": "完成", "task_cancel": "取消待办", "task_reopen": "重新打开", "event_task_created": "新建待办", "event_task_done": "完成待办", "audit_tasks": "待办", "audit_complete": "完成", "audit_cancel": "取消", "audit_reopen": "重新打开", "audit_record": "记录拜访", "due_at": "截止时间", "remind_at": "提醒时间", "next_due_at": "下一步截止时间", "outcome": "结果", "subject_id": "关联记录", "error_try_again": "请稍后重试。", "error_generic": "出错了：", "error_not_found": "找不到这个客户，或你没有权限查看。",
            "error_forbidden": "你没有权限执行这个操作。", "signed_out": "你已退出。", "pool": "公海",
        ],
        .zhHant: [
            "pick_customer": "先選擇客戶",
            "seeded_pipeline": "銷售管道", "seeded_stage_contact": "初步接觸", "seeded_stage_needs": "需求確認", "seeded_stage_proposal": "方案報價", "seeded_stage_negotiation": "商務談判", "seeded_stage_won": "贏單", "seeded_stage_lost": "輸單", "seeded_price_list_standard": "標準價",
            "mine": "我的", "rename_tag": "改名", "rename_to": "新名稱：", "rename_tag_hint": "改成既有的標籤名稱即合併兩個標籤；每位客戶的修改都記入時間軸與稽核紀錄。", "customers_count": "客戶數",
            "view_name": "檢視名稱", "save_view": "儲存目前篩選",
            "bulk_action": "批次操作", "bulk_tag": "新增標籤", "bulk_assign": "指派負責人", "apply_selected": "套用到勾選的客戶", "select": "選擇", "bulk_done": "已更新的客戶數：", "bulk_failed": "未能更新：",
            "export": "匯出",
            "related": "關聯", "relation_works_at": "任職於", "relation_family": "家人", "relation_referred_by": "推薦人", "relation_other": "其他關係", "relation_member": "成員", "duplicates_title": "可能重複的客戶", "merge": "合併", "merge_title": "合併兩位客戶", "keep_this": "保留", "merged_into_it": "併入左側", "merge_hint": "逐項選擇保留哪一邊的值；聯絡方式、標籤、時間軸與關聯會全部併到保留的客戶。合併後可以復原。", "merged_flash": "已合併。", "undo": "復原合併",
            "verify_chain": "驗證雜湊鏈",
            "settings": "設定", "field_applies_to": "用於", "field_for_customers": "客戶", "field_for_tickets": "工單", "users": "成員", "teams": "團隊", "roles": "角色", "fields_tab": "自訂欄位", "tokens": "API 權杖", "audit": "稽核紀錄", "role": "角色", "active": "狀態", "yes": "是", "no": "否", "members": "成員", "manager": "主管", "new_team": "新增團隊", "create": "建立", "permissions": "權限", "key": "鍵", "label": "顯示名稱", "type": "類型", "sensitive": "敏感（依權限隱藏）", "new_field": "新增欄位", "delete": "刪除", "token_name": "名稱", "days": "有效天數（留空為永久）", "new_token": "產生權杖", "token_shown_once": "請立即複製，權杖只顯示這一次：", "prefix": "前綴", "last_used": "最近使用", "expires": "到期", "revoke": "撤銷", "revoked": "已撤銷", "time": "時間", "actor": "操作者", "action": "操作", "object": "對象", "record": "紀錄", "audit_ok": "雜湊鏈完整：", "audit_broken": "稽核紀錄遭改動：", "entries": "筆", "change_role": "變更", "none": "無",
            "import": "匯入", "import_hint": "上傳 CSV 檔（UTF-8 或 GB18030，例如 Excel 另存為 CSV）。下一步可核對欄位對應並先試跑。", "upload_file": "CSV 檔案", "next_step": "下一步", "map_columns": "核對欄位", "column": "欄位", "maps_to": "匯入為", "preview": "範例", "not_imported": "（自動辨識）", "dry_run": "試跑", "import_now": "開始匯入", "start_over": "重新上傳", "status_running": "正在匯入……", "refresh": "重新整理", "dry_run_result": "試跑結果（未寫入）：", "rows_total": "共", "created_n": "新增", "updated_n": "更新", "rejected_n": "拒絕", "line": "行", "reason": "原因", "download_errors": "下載錯誤報告", "rows": "列資料", "field_id": "客戶編號", "field_kind": "類型", "field_name": "名稱", "field_family_name": "姓", "field_given_name": "名", "field_organization": "所屬機構", "field_title": "職稱", "field_email": "電子郵件", "field_phone": "手機", "field_wechat": "微信號", "field_external_id": "外部編號", "field_stage": "階段", "field_tier": "等級", "field_owner": "負責人郵件", "field_source": "來源", "field_country": "國家/地區", "field_province": "省份", "field_city": "城市", "field_district": "區", "field_street": "街道地址", "field_postcode": "郵遞區號", "field_birthday": "生日", "field_tags": "標籤", "field_note": "備註",
            "chat": "線上聊天", "web": "網站", "app": "App", "store": "門市", "social": "社群媒體",
            "app_name": "關係 CRM", "sign_in": "登入", "sign_out": "登出", "email": "電子郵件", "password": "密碼", "totp_code": "驗證碼（如已開啟兩步驟驗證）",
            "customers": "客戶", "new_customer": "新增客戶", "search": "搜尋", "search_placeholder": "姓名、公司、手機、郵件或標籤",
            "name": "名稱", "kind": "類型", "person": "個人", "organization": "機構", "organization_name": "所屬機構", "title": "職稱",
            "stage": "階段", "tier": "等級", "owner": "負責人", "tags": "標籤", "tags_hint": "以逗號分隔", "source": "來源",
            "phones": "手機", "emails": "電子郵件", "addresses": "地址", "birthday": "生日", "custom_fields": "自訂欄位",
            "updated": "更新於", "created": "建立於", "all": "全部", "filter": "篩選", "dashboard": "工作台", "dashboard_empty": "你的角色在這裡沒有可看的數字。去看看：", "dash_kpis": "關鍵指標", "dash_kpis_period": "各項註明統計期間", "dash_revenue": "收入", "dash_collections": "應收款", "dash_pipeline": "銷售管道",
            "dash_at_risk": "可能流失的高價值客戶", "dash_this_month": "本月", "dash_last_30_days": "最近 30 天", "dash_last_12_months": "最近 12 個月", "dash_now": "目前",
            "dash_days": "天", "dash_orders_per_customer": "客戶平均訂單數", "dash_repurchase_rate": "回購率", "dash_revenue_month": "本月收入",
            "dash_revenue_previous": "上月收入", "dash_orders_month": "本月訂單", "dash_owed_total": "未收款合計", "dash_open_deals": "進行中的商機",
            "dash_open_amount": "商機金額", "dash_weighted": "加權金額", "dash_response_time": "客服首次回應（中位數）", "dash_satisfaction": "客戶滿意度", "list_sort": "排序", "sort_newest": "最新建立", "sort_clv": "12 個月價值由高到低", "sort_p_alive": "仍活躍可能性由高到低", "next_page": "下一頁", "no_customers": "沒有符合條件的客戶。",
            "save": "儲存", "cancel": "取消", "edit": "編輯", "reveal": "顯示完整資訊", "masked_note": "部分聯絡方式已依權限隱藏。",
            "timeline": "時間軸", "more": "更多", "nothing_yet": "尚無紀錄。", "log_activity": "記錄跟進", "activity_kind": "方式",
            "note": "備註", "call": "電話", "visit": "拜訪", "wechat": "微信", "meeting": "會議", "email_kind": "郵件", "sms": "簡訊",
            "subject": "主旨", "body": "內容", "add": "新增", "language": "語言",
            "stage_prospect": "準客戶", "stage_lead": "潛在客戶", "stage_customer": "客戶", "stage_repeat": "回購客戶", "stage_loyal": "忠誠客戶",
            "stage_at_risk": "流失風險", "stage_lost": "已流失",
            "event_created": "建立了客戶", "event_stage_changed": "階段變更", "event_tier_changed": "等級變更", "event_owner_changed": "負責人變更",
            "event_merged": "合併了客戶", "event_merge_undone": "復原合併", "event_deleted": "刪除", "event_restored": "還原", "event_imported": "匯入",
            "error_fields": "請修正標紅的欄位。", "error_conflict": "其他人已修改這筆紀錄。以下是最新內容，請重新編輯後儲存。",
            "error_sign_in": "電子郵件或密碼不正確。", "skip_to_content": "跳到主要內容", "search_hint": "輸入後用上下方向鍵選擇結果，按 Enter 開啟。", "results_one": "找到 1 位客戶", "results_many": "找到 {n} 位客戶", "actions": "操作", "audit_claim": "領取", "audit_create": "新增", "audit_delete": "刪除", "audit_export": "匯出", "audit_handover": "交接", "audit_import": "匯入", "audit_merge": "合併", "audit_merge_undo": "復原合併", "audit_password_change": "變更密碼", "audit_password_reset": "重設密碼", "audit_recycle": "回收到公海", "audit_release": "退回公海", "audit_restore": "還原", "audit_reveal": "檢視完整聯絡方式", "audit_revoke": "撤銷", "audit_role_change": "變更角色", "audit_sign_in": "登入", "audit_sign_in_failed": "登入失敗", "audit_totp_disabled": "關閉兩步驟驗證", "audit_totp_enabled": "開啟兩步驟驗證", "audit_update": "修改", "audit_use": "使用", "audit_share": "共用", "audit_unshare": "取消共用", "audit_deactivate": "停用", "audit_api_tokens": "API 權杖", "audit_custom_fields": "自訂欄位", "audit_customers": "客戶", "audit_relationships": "客戶關係", "audit_users": "使用者", "audit_workspaces": "工作區", "audit_pool_rules": "公海規則", "audit_roles": "角色", "audit_teams": "團隊", "audit_notes": "備註", "audit_interactions": "互動紀錄", "audit_shares": "共用", "audit_memberships": "成員資格", "leads": "潛在客戶", "new_lead": "新增潛在客戶", "no_leads": "沒有符合條件的潛在客戶。", "lead_name": "姓名", "lead_company": "公司", "lead_title": "職稱", "lead_phone": "手機", "lead_email": "電子郵件", "lead_wechat": "微信號", "lead_province": "省份", "lead_city": "城市", "lead_product_interest": "意向產品", "lead_source": "來源", "lead_campaign": "活動", "lead_utm": "UTM 參數", "lead_due": "首次回應期限", "lead_responded": "首次回應於", "lead_created": "取得於", "lead_message": "留言", "lead_status": "狀態", "lead_status_new": "新潛在客戶", "lead_status_contacted": "已聯繫", "lead_status_qualified": "已確認", "lead_status_disqualified": "無效", "lead_status_converted": "已轉換", "lead_overdue": "已逾時", "lead_converted_to": "已轉換為客戶，點此開啟", "lead_duplicate_customer": "同一手機/電子郵件已是現有客戶。", "lead_duplicate_lead": "之前已有同一聯絡方式的潛在客戶。", "open": "開啟", "lead_move": "更新狀態", "lead_reason": "原因", "lead_convert": "轉換為客戶", "lead_join_existing": "併入現有客戶", "lead_convert_hint": "會新增客戶（有公司時也新增或沿用機構），潛在客戶的所有紀錄隨之移到客戶時間軸。", "lead_transfer": "轉交", "lead_form_thanks": "已收到，我們會盡快與您聯絡。", "lead_website": "網站", "lead_submit": "送出", "event_status_changed": "狀態變更", "event_converted": "由潛在客戶轉換", "audit_leads": "潛在客戶", "audit_assignment_rules": "分派規則", "audit_lead_sources": "潛在客戶表單與介面", "audit_transfer": "轉交", "audit_convert": "轉換", "audit_disable": "停用", "lead_rules": "潛在客戶分派", "lead_sources": "潛在客戶表單與介面", "rule_conditions": "條件", "rule_method": "分派方式", "rule_to": "分給", "rule_response_minutes": "回應時限（分鐘）", "rule_any": "任何潛在客戶", "rule_method_round_robin": "團隊輪流", "rule_method_least_loaded": "最空閒的人", "rule_method_user": "指定的人", "rule_method_pool": "放入公海", "rules_hint": "依序號由小到大，第一條條件符合的規則決定潛在客戶分給誰；條件留空表示不限，多個值以逗號分隔。", "new_rule": "新增分派規則", "rule_position": "序號", "rule_team": "團隊", "rule_user": "指定使用者", "source_address": "網址", "source_kind_form": "網頁表單", "source_kind_webhook": "Webhook 介面", "disable": "停用", "sources_hint": "網頁表單可嵌入官網（iframe）；Webhook 以建立時顯示一次的金鑰簽章（X-Guanxi-Signature: t=時間戳,v1=HMAC-SHA256）。", "new_source": "新增表單或介面", "event_lead_captured": "取得潛在客戶", "channel_api": "介面/手動輸入", "channel_form": "網頁表單", "channel_webhook": "Webhook", "channel_import": "匯入", "deals": "商機", "new_deal": "新增商機", "pipelines": "銷售管道", "board_hint": "把卡片拖到另一欄即可移動；也可以在卡片上選擇階段後按「移動」。輸單需要填寫原因（在商機頁）。", "weighted": "加權", "deal_idle": "停滯", "deal_move_to": "移動到", "deal_move": "移動", "and_more": "另有", "deal_name": "商機名稱", "deal_amount": "金額", "deal_expected_close": "預計成交日", "deal_currency": "幣別", "deal_stage": "階段", "deal_status": "狀態", "deal_status_open": "進行中", "deal_status_won": "贏單", "deal_status_lost": "輸單", "deal_weighted": "加權金額", "deal_close_reason": "贏單/輸單原因", "deal_closed_at": "結束於", "event_deal_opened": "新增商機", "event_deal_moved": "商機階段變更", "audit_deals": "商機", "audit_pipelines": "銷售管道", "audit_move": "移動", "my_day": "今日", "needs_attention": "項待辦已到期", "new_task": "新增待辦", "lead_import": "匯入潛在客戶", "lead_import_hint": "上傳 CSV 檔案（UTF-8 或 GB18030，標題列可用中文或英文：姓名、手機、電子郵件、微信、公司、省份、城市、意向產品、來源、活動、utm_*）。每筆潛在客戶都像 API 建立一樣查重並依分派規則分派；有問題的列會逐列列出，其餘照常匯入。", "lead_import_now": "匯入", "lead_import_result": "匯入結果：", "lead_import_duplicates": "疑似重複", "lead_import_assigned": "已分派", "task_kind_todo": "待辦", "task_kind_call": "電話", "task_kind_visit": "拜訪", "priority_low": "低", "priority_normal": "一般", "priority_high": "緊急", "task_status_open": "未完成", "task_status_done": "已完成", "task_status_cancelled": "已取消", "task_subject_customer": "客戶", "task_subject_lead": "潛在客戶", "task_subject_deal": "商機", "tasks_overdue": "已逾期", "visits_today": "今日拜訪", "tasks_due_today": "今日到期", "tasks_reminders": "提醒", "nothing_due": "沒有需要處理的事項。", "leads_overdue": "逾時未回應的潛在客戶", "visit_summary": "拜訪計畫與完成", "week_previous": "上一週", "week_next": "下一週", "visits_planned": "計畫", "visits_done": "已完成", "no_visits": "這一週沒有拜訪計畫。", "task_title": "事項", "task_due": "截止時間", "task_remind": "提醒時間", "task_priority": "優先順序", "task_notes": "備註", "task_kind": "類型", "task_status": "狀態", "task_completed_at": "完成於", "visit_outcome": "拜訪結果", "visit_next_step": "下一步", "visit_next_task": "後續待辦", "visit_check_in": "簽到位置", "visit_record": "記錄拜訪", "visit_next_due": "下一步截止時間", "latitude": "緯度", "longitude": "經度", "accuracy_m": "精確度（公尺）", "use_my_location": "使用目前位置", "location_failed": "無法取得位置，請手動填寫。", "task_complete": "完成", "task_cancel": "取消待辦", "task_reopen": "重新開啟", "event_task_created": "新增待辦", "event_task_done": "完成待辦", "audit_tasks": "待辦", "audit_complete": "完成", "audit_cancel": "取消", "audit_reopen": "重新開啟", "audit_record": "記錄拜訪", "due_at": "截止時間", "remind_at": "提醒時間", "next_due_at": "下一步截止時間", "outcome": "結果", "subject_id": "關聯紀錄", "error_try_again": "請稍後再試。", "error_generic": "發生錯誤：", "error_not_found": "找不到這位客戶，或你沒有權限檢視。",
            "error_forbidden": "你沒有權限執行這個操作。", "signed_out": "你已登出。", "pool": "公海",
        ],
        .en: [
            "pick_customer": "First choose the customer",
            "seeded_pipeline": "Sales pipeline", "seeded_stage_contact": "First contact", "seeded_stage_needs": "Needs confirmed", "seeded_stage_proposal": "Proposal", "seeded_stage_negotiation": "Negotiation", "seeded_stage_won": "Won", "seeded_stage_lost": "Lost", "seeded_price_list_standard": "Standard price",
            "mine": "Mine", "rename_tag": "Rename", "rename_to": "New name for", "rename_tag_hint": "Renaming to a tag already in use merges the two; each customer’s change goes on its timeline and in the audit log.", "customers_count": "Customers",
            "view_name": "View name", "save_view": "Save these filters",
            "bulk_action": "For the selected", "bulk_tag": "Add a tag", "bulk_assign": "Assign an owner", "apply_selected": "Apply to the selected customers", "select": "Select", "bulk_done": "Customers updated: ", "bulk_failed": "Not updated: ",
            "export": "Export",
            "related": "Related", "relation_works_at": "works at", "relation_family": "family", "relation_referred_by": "referred by", "relation_other": "related", "relation_member": "member", "duplicates_title": "Possible duplicates", "merge": "Merge", "merge_title": "Merge two customers", "keep_this": "keeps", "merged_into_it": "merges into the left", "merge_hint": "Choose which side each value comes from; contacts, tags, the timeline and relationships all move to the kept customer. You can undo the merge.", "merged_flash": "Merged.", "undo": "Undo the merge",
            "verify_chain": "Verify the hash chain",
            "settings": "Settings", "field_applies_to": "Applies to", "field_for_customers": "Customers", "field_for_tickets": "Tickets", "users": "Members", "teams": "Teams", "roles": "Roles", "fields_tab": "Custom fields", "tokens": "API tokens", "audit": "Audit log", "role": "Role", "active": "Active", "yes": "yes", "no": "no", "members": "Members", "manager": "Manager", "new_team": "New team", "create": "Create", "permissions": "Permissions", "key": "Key", "label": "Label", "type": "Type", "sensitive": "Sensitive (masked by permission)", "new_field": "New field", "delete": "Delete", "token_name": "Name", "days": "Days valid (empty: never expires)", "new_token": "Create token", "token_shown_once": "Copy it now; the token is shown only once:", "prefix": "Prefix", "last_used": "Last used", "expires": "Expires", "revoke": "Revoke", "revoked": "revoked", "time": "Time", "actor": "Actor", "action": "Action", "object": "Object", "record": "Record", "audit_ok": "Hash chain intact:", "audit_broken": "The audit log was altered:", "entries": "entries", "change_role": "Change", "none": "none",
            "import": "Import", "import_hint": "Upload a CSV file (UTF-8 or GB18030, e.g. Excel’s Save as CSV). Next you can check how columns map and try a dry run.", "upload_file": "CSV file", "next_step": "Next", "map_columns": "Check the columns", "column": "Column", "maps_to": "Imports as", "preview": "Sample", "not_imported": "(detect)", "dry_run": "Dry run", "import_now": "Import", "start_over": "Upload another", "status_running": "Importing…", "refresh": "Refresh", "dry_run_result": "Dry run (nothing written):", "rows_total": "Rows", "created_n": "created", "updated_n": "updated", "rejected_n": "rejected", "line": "Line", "reason": "Reason", "download_errors": "Download the error report", "rows": "data rows", "field_id": "Customer id", "field_kind": "Kind", "field_name": "Name", "field_family_name": "Family name", "field_given_name": "Given name", "field_organization": "Organisation", "field_title": "Title", "field_email": "Email", "field_phone": "Phone", "field_wechat": "WeChat id", "field_external_id": "External id", "field_stage": "Stage", "field_tier": "Tier", "field_owner": "Owner email", "field_source": "Source", "field_country": "Country", "field_province": "Province", "field_city": "City", "field_district": "District", "field_street": "Street", "field_postcode": "Postcode", "field_birthday": "Birthday", "field_tags": "Tags", "field_note": "Note",
            "chat": "Chat", "web": "Web", "app": "App", "store": "Store visit", "social": "Social",
            "app_name": "Guanxi CRM", "sign_in": "Sign in", "sign_out": "Sign out", "email": "Email", "password": "Password", "totp_code": "Code (if two-factor is on)",
            "customers": "Customers", "new_customer": "New customer", "search": "Search", "search_placeholder": "Name, company, phone, email or tag",
            "name": "Name", "kind": "Kind", "person": "Person", "organization": "Organisation", "organization_name": "Organisation", "title": "Title",
            "stage": "Stage", "tier": "Tier", "owner": "Owner", "tags": "Tags", "tags_hint": "separated by commas", "source": "Source",
            "phones": "Phones", "emails": "Emails", "addresses": "Addresses", "birthday": "Birthday", "custom_fields": "Custom fields",
            "updated": "Updated", "created": "Created", "all": "All", "filter": "Filter", "dashboard": "Dashboard", "dashboard_empty": "Your role has no figures to show here. Go to", "dash_kpis": "Key figures", "dash_kpis_period": "Each says its period", "dash_revenue": "Revenue", "dash_collections": "Collections", "dash_pipeline": "Pipeline",
            "dash_at_risk": "Valuable customers likely to leave", "dash_this_month": "This month", "dash_last_30_days": "The last 30 days", "dash_last_12_months": "The last 12 months", "dash_now": "Now",
            "dash_days": "days", "dash_orders_per_customer": "Orders per customer", "dash_repurchase_rate": "Repurchase rate", "dash_revenue_month": "Revenue this month",
            "dash_revenue_previous": "Revenue last month", "dash_orders_month": "Orders this month", "dash_owed_total": "Owed in all", "dash_open_deals": "Open deals",
            "dash_open_amount": "Open amount", "dash_weighted": "Weighted", "dash_response_time": "First response to customers (median)", "dash_satisfaction": "Customer satisfaction", "list_sort": "Order", "sort_newest": "Newest first", "sort_clv": "12-month value, highest first", "sort_p_alive": "Likely still active, most first", "next_page": "Next page", "no_customers": "No customers match.",
            "save": "Save", "cancel": "Cancel", "edit": "Edit", "reveal": "Show full details", "masked_note": "Some contact details are hidden by your permissions.",
            "timeline": "Timeline", "more": "More", "nothing_yet": "Nothing recorded yet.", "log_activity": "Log a follow-up", "activity_kind": "How",
            "note": "Note", "call": "Call", "visit": "Visit", "wechat": "WeChat", "meeting": "Meeting", "email_kind": "Email", "sms": "SMS",
            "subject": "Subject", "body": "Details", "add": "Add", "language": "Language",
            "stage_prospect": "Prospect", "stage_lead": "Lead", "stage_customer": "Customer", "stage_repeat": "Repeat", "stage_loyal": "Loyal",
            "stage_at_risk": "At risk", "stage_lost": "Lost",
            "event_created": "Created the customer", "event_stage_changed": "Stage changed", "event_tier_changed": "Tier changed",
            "event_owner_changed": "Owner changed", "event_merged": "Merged a customer", "event_merge_undone": "Merge undone", "event_deleted": "Deleted",
            "event_restored": "Restored", "event_imported": "Imported",
            "error_fields": "Please fix the fields marked in red.", "error_conflict": "Someone else changed this record first. Here is the latest; edit again and save.",
            "error_sign_in": "The email or password is wrong.", "skip_to_content": "Skip to content", "search_hint": "Type, then use the arrow keys to pick a result and Enter to open it.", "results_one": "1 customer found", "results_many": "{n} customers found", "actions": "Actions", "audit_claim": "Claim", "audit_create": "Create", "audit_delete": "Delete", "audit_export": "Export", "audit_handover": "Handover", "audit_import": "Import", "audit_merge": "Merge", "audit_merge_undo": "Undo merge", "audit_password_change": "Password change", "audit_password_reset": "Password reset", "audit_recycle": "Recycle to pool", "audit_release": "Release to pool", "audit_restore": "Restore", "audit_reveal": "Reveal contacts", "audit_revoke": "Revoke", "audit_role_change": "Role change", "audit_sign_in": "Sign-in", "audit_sign_in_failed": "Failed sign-in", "audit_totp_disabled": "2FA off", "audit_totp_enabled": "2FA on", "audit_update": "Update", "audit_use": "Use", "audit_share": "Share", "audit_unshare": "Unshare", "audit_deactivate": "Deactivate", "audit_api_tokens": "API tokens", "audit_custom_fields": "Custom fields", "audit_customers": "Customers", "audit_relationships": "Relationships", "audit_users": "Users", "audit_workspaces": "Workspaces", "audit_pool_rules": "Pool rules", "audit_roles": "Roles", "audit_teams": "Teams", "audit_notes": "Notes", "audit_interactions": "Interactions", "audit_shares": "Shares", "audit_memberships": "Memberships", "leads": "Leads", "new_lead": "New lead", "no_leads": "No leads match.", "lead_name": "Name", "lead_company": "Company", "lead_title": "Title", "lead_phone": "Phone", "lead_email": "Email", "lead_wechat": "WeChat id", "lead_province": "Province", "lead_city": "City", "lead_product_interest": "Product interest", "lead_source": "Source", "lead_campaign": "Campaign", "lead_utm": "UTM", "lead_due": "First response due", "lead_responded": "First response", "lead_created": "Captured", "lead_message": "Message", "lead_status": "Status", "lead_status_new": "New", "lead_status_contacted": "Contacted", "lead_status_qualified": "Qualified", "lead_status_disqualified": "Disqualified", "lead_status_converted": "Converted", "lead_overdue": "Overdue", "lead_converted_to": "Converted to a customer: open it", "lead_duplicate_customer": "This phone or email already belongs to a customer.", "lead_duplicate_lead": "An earlier lead has the same contact details.", "open": "Open", "lead_move": "Update status", "lead_reason": "Reason", "lead_convert": "Convert to customer", "lead_join_existing": "Join the existing customer", "lead_convert_hint": "Creates the customer (and the company as an organisation, or reuses it); the lead's history moves to the customer's timeline.", "lead_transfer": "Transfer", "lead_form_thanks": "Thank you, we will be in touch soon.", "lead_website": "Website", "lead_submit": "Send", "event_status_changed": "Status changed", "event_converted": "Converted from a lead", "audit_leads": "Leads", "audit_assignment_rules": "Assignment rules", "audit_lead_sources": "Lead forms and webhooks", "audit_transfer": "Transfer", "audit_convert": "Convert", "audit_disable": "Disable", "lead_rules": "Lead assignment", "lead_sources": "Lead forms & webhooks", "rule_conditions": "Conditions", "rule_method": "Method", "rule_to": "Goes to", "rule_response_minutes": "Response within (minutes)", "rule_any": "Any lead", "rule_method_round_robin": "Team, in turn", "rule_method_least_loaded": "Least loaded", "rule_method_user": "A named user", "rule_method_pool": "Public pool", "rules_hint": "Rules run in order of their number; the first whose conditions match places the lead. Empty conditions match anything; separate values with commas.", "new_rule": "New assignment rule", "rule_position": "Number", "rule_team": "Team", "rule_user": "User", "source_address": "Address", "source_kind_form": "Web form", "source_kind_webhook": "Webhook", "disable": "Disable", "sources_hint": "Web forms can be embedded in your site (iframe); webhooks are signed with the secret shown once at creation (X-Guanxi-Signature: t=timestamp,v1=HMAC-SHA256).", "new_source": "New form or webhook", "event_lead_captured": "Lead captured", "channel_api": "API or by hand", "channel_form": "Web form", "channel_webhook": "Webhook", "channel_import": "Import", "deals": "Deals", "new_deal": "New deal", "pipelines": "Pipelines", "board_hint": "Drag a card to another column to move it, or pick a stage on the card and press Move. Losing a deal needs a reason (on the deal's page).", "weighted": "weighted", "deal_idle": "Idle", "deal_move_to": "Move to", "deal_move": "Move", "and_more": "and more:", "deal_name": "Deal name", "deal_amount": "Amount", "deal_expected_close": "Expected close", "deal_currency": "Currency", "deal_stage": "Stage", "deal_status": "Status", "deal_status_open": "Open", "deal_status_won": "Won", "deal_status_lost": "Lost", "deal_weighted": "Weighted amount", "deal_close_reason": "Won/lost reason", "deal_closed_at": "Closed", "event_deal_opened": "Deal opened", "event_deal_moved": "Deal moved", "audit_deals": "Deals", "audit_pipelines": "Pipelines", "audit_move": "Move", "my_day": "My day", "needs_attention": "tasks need you now", "new_task": "New task", "lead_import": "Import leads", "lead_import_hint": "Upload a CSV file (UTF-8 or GB18030; Chinese or English headers: name, phone, email, wechat, company, province, city, product_interest, source, campaign, utm_*). Each lead is duplicate-checked and assigned by the rules like one sent to the API; bad lines are listed one by one and the rest are imported.", "lead_import_now": "Import", "lead_import_result": "Import result:", "lead_import_duplicates": "Possible duplicates", "lead_import_assigned": "Assigned", "task_kind_todo": "To-do", "task_kind_call": "Call", "task_kind_visit": "Visit", "priority_low": "Low", "priority_normal": "Normal", "priority_high": "Urgent", "task_status_open": "Open", "task_status_done": "Done", "task_status_cancelled": "Cancelled", "task_subject_customer": "Customer", "task_subject_lead": "Lead", "task_subject_deal": "Deal", "tasks_overdue": "Overdue", "visits_today": "Today's visits", "tasks_due_today": "Due today", "tasks_reminders": "Reminders", "nothing_due": "Nothing needs you here.", "leads_overdue": "Leads past their response deadline", "visit_summary": "Visits planned and done", "week_previous": "Previous week", "week_next": "Next week", "visits_planned": "Planned", "visits_done": "Done", "no_visits": "No visits planned this week.", "task_title": "Task", "task_due": "Due", "task_remind": "Remind me", "task_priority": "Priority", "task_notes": "Notes", "task_kind": "Kind", "task_status": "Status", "task_completed_at": "Completed", "visit_outcome": "Outcome", "visit_next_step": "Next step", "visit_next_task": "Follow-up task", "visit_check_in": "Check-in", "visit_record": "Record the visit", "visit_next_due": "Next step due", "latitude": "Latitude", "longitude": "Longitude", "accuracy_m": "Accuracy (m)", "use_my_location": "Use my location", "location_failed": "Could not get your location; please type it.", "task_complete": "Done", "task_cancel": "Cancel task", "task_reopen": "Reopen", "event_task_created": "Task planned", "event_task_done": "Task done", "audit_tasks": "Tasks", "audit_complete": "Complete", "audit_cancel": "Cancel", "audit_reopen": "Reopen", "audit_record": "Record visit", "due_at": "Due", "remind_at": "Reminder", "next_due_at": "Next step due", "outcome": "Outcome", "subject_id": "Related record", "error_try_again": "please try again later.", "error_generic": "Something went wrong: ", "error_not_found": "This customer does not exist, or you may not see it.",
            "error_forbidden": "You may not do that.", "signed_out": "You have signed out.", "pool": "Public pool",
        ],
    ]
}

/// Every visible string of the pages and every domain message as pages show it, merged once from
/// the features the application is built with (`Pages` holds it; each `PageContext` carries it).
/// A test checks the three languages have the same keys and no two features define one key.
package final class Words: Sendable {
    package let strings: [UILocale: [String: String]]
    /// The features' translations of domain messages, by the message's key.
    let translations: [String: (hans: String, hant: String)]
    /// Each language's words as the node templates read (`{{t.key}}`), made once: wrapping the
    /// dictionary for every page copied all of its words twice per page.
    let nodes: [UILocale: Rendering.Node]

    package init(features: [Feature]) {
        strings = features.reduce(into: [:]) { out, f in
            for (l, words) in f.catalog.strings { out[l, default: [:]].merge(words) { first, _ in first } }
        }
        translations = Dictionary(features.flatMap(\.translations).map { ($0.key, ($0.hans, $0.hant)) }, uniquingKeysWith: { first, _ in first })
        nodes = strings.mapValues { Rendering.Node($0) }
    }

    package func text(_ key: String, _ locale: UILocale) -> String {
        strings[locale]?[key] ?? strings[.en]?[key] ?? key
    }

    /// The keys as a dictionary templates read as `{{t.key}}`.
    package func table(_ locale: UILocale) -> [String: String] { strings[locale] ?? [:] }
    package func node(_ locale: UILocale) -> Rendering.Node { nodes[locale] ?? Rendering.Node([:]) }

    package func stage(_ s: LifecycleStage, _ l: UILocale) -> String { text("stage_" + s.rawValue, l) }

    /// A record's name as the reader sees it: the seeded name's word in their language while the
    /// record keeps its seeded key (`SeededName`), else the name as typed.
    package func named(_ name: String, key: String?, _ l: UILocale) -> String {
        guard let key, let word = strings[l]?["seeded_" + key] else { return name }
        return word
    }

    /// A domain message in the user's language: the translation of its key, with its arguments put
    /// back in; else as it is.
    package func localize(_ message: DomainMessage, _ l: UILocale) -> String {
        guard l != .en else { return message.text }
        for key in Self.keys(of: message) {
            if let words = translations[key] { return Self.fill(l == .zhHant ? words.hant : words.hans, message.arguments) }
        }
        return message.text
    }

    /// The keys a message may be translated under, the most specific first: its key with some of
    /// its arguments written in (all of them, then all but one …), down to its key as it is. Among
    /// keys that write in as many, those that write in the earlier arguments come first.
    static func keys(of m: DomainMessage) -> [String] {
        let n = m.arguments.count
        guard n > 0 else { return [m.key] }
        // beyond four arguments only the whole sentence and the bare key (no message has that many)
        let sets: [[Int]] = n > 4 ? [Array(0..<n), []]
            : (0..<(1 << n)).map { mask in (0..<n).filter { mask & (1 << $0) != 0 } }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        return sets.map { fixed in fill(m.key, m.arguments, only: Set(fixed)) }
    }

    /// `template` with `{i}` replaced by `arguments[i]` (for `i` in `only`, when given); other
    /// braces stay as they are.
    static func fill(_ template: String, _ arguments: [String], only: Set<Int>? = nil) -> String {
        var out = "", rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let i = Int(after[..<close]), arguments.indices.contains(i), only?.contains(i) ?? true {
                out += arguments[i]
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// Any error as one sentence in the user's language; field problems name their fields.
    package func message(_ error: any Error, _ l: UILocale) -> String {
        let t = { (k: String) in self.text(k, l) }
        guard let e = error as? DomainError else { return t("error_generic") + t("error_try_again") }
        switch e {
        case .validation(let fields) where fields.count == 1 && fields.keys.first.map({ ["form", "file", "query"].contains($0) }) == true:
            return localize(fields.values.first!, l)
        case .validation(let fields):
            let named = fields.sorted { $0.key < $1.key }.map { k, m in
                let base = String(k.prefix { $0 != "[" && $0 != "." })
                let label = strings[l]?[base] ?? strings[l]?["field_" + base] ?? k
                return label + "：" + localize(m, l)
            }
            return t("error_fields") + " " + named.joined(separator: "；")
        case .duplicate(_, _, let m): return localize(m, l)
        case .staleVersion: return t("error_conflict")
        // a record kind with words of its own ("error_not_found_ticket"), else the customer's
        case .notFound(let what): return strings[l]?["error_not_found_" + what] ?? t("error_not_found")
        case .forbidden(let m): return t("error_forbidden") + " " + localize(m, l)
        case .conflict(let m), .badRequest(let m), .tooManyAttempts(let m), .unauthorized(let m): return t("error_generic") + localize(m, l)
        }
    }
}
