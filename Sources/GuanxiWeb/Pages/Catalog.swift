import Foundation
import GuanxiCore

/// The page languages. The user's choice (cookie) wins, else the browser's Accept-Language, else 简体中文.
public enum UILocale: String, CaseIterable, Sendable {
    case zhHans = "zh-Hans", zhHant = "zh-Hant", en

    public static func pick(cookie: String?, acceptLanguage: String?) -> UILocale {
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
    var formatLocale: Locale { Locale(identifier: self == .zhHans ? "zh_Hans_CN" : self == .zhHant ? "zh_Hant_TW" : "en_US") }
    public var htmlLang: String { rawValue }
}

/// Every visible string of the pages, per language. A test checks all three have the same keys.
public enum Catalog {
    public static func text(_ key: String, _ locale: UILocale) -> String {
        strings[locale]?[key] ?? strings[.en]?[key] ?? key
    }

    /// The keys as a dictionary templates read as `{{t.key}}`.
    static func table(_ locale: UILocale) -> [String: String] { strings[locale] ?? [:] }

    public static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "mine": "我的", "rename_tag": "改名", "rename_to": "新名称：", "rename_tag_hint": "改成已有的标签名即合并两个标签；每位客户的修改都记入时间线和审计日志。", "customers_count": "客户数",
            "view_name": "视图名称", "save_view": "保存当前筛选",
            "bulk_action": "批量操作", "bulk_tag": "添加标签", "bulk_assign": "分配负责人", "apply_selected": "应用到勾选的客户", "select": "选择", "bulk_done": "已更新的客户数：", "bulk_failed": "未能更新：",
            "export": "导出",
            "related": "关联", "relation_works_at": "任职于", "relation_family": "家人", "relation_referred_by": "推荐人", "relation_other": "其他关系", "relation_member": "成员", "duplicates_title": "可能重复的客户", "merge": "合并", "merge_title": "合并两个客户", "keep_this": "保留", "merged_into_it": "并入左侧", "merge_hint": "逐项选择保留哪一边的值；联系方式、标签、时间线和关联会全部并到保留的客户上。合并后可以撤销。", "merged_flash": "已合并。", "undo": "撤销合并",
            "verify_chain": "校验哈希链",
            "settings": "设置", "users": "成员", "teams": "团队", "roles": "角色", "fields_tab": "自定义字段", "tokens": "API 令牌", "audit": "审计日志", "role": "角色", "active": "状态", "yes": "是", "no": "否", "members": "成员", "manager": "负责人", "new_team": "新建团队", "create": "创建", "permissions": "权限", "key": "键", "label": "显示名", "type": "类型", "sensitive": "敏感（按权限隐藏）", "new_field": "新建字段", "delete": "删除", "token_name": "名称", "days": "有效天数（留空为永久）", "new_token": "生成令牌", "token_shown_once": "请立即复制，令牌只显示这一次：", "prefix": "前缀", "last_used": "最近使用", "expires": "过期", "revoke": "吊销", "revoked": "已吊销", "time": "时间", "actor": "操作人", "action": "操作", "object": "对象", "record": "记录", "audit_ok": "哈希链完整：", "audit_broken": "审计日志被改动：", "entries": "条记录", "change_role": "更改", "none": "无",
            "import": "导入", "import_hint": "上传 CSV 文件（UTF-8 或 GB18030，例如 Excel 另存为 CSV）。下一步可以核对列的对应关系并先试运行。", "upload_file": "CSV 文件", "next_step": "下一步", "map_columns": "核对列", "column": "列", "maps_to": "导入为", "preview": "示例", "not_imported": "（自动识别）", "dry_run": "试运行", "import_now": "开始导入", "start_over": "重新上传", "status_running": "正在导入……", "refresh": "刷新", "dry_run_result": "试运行结果（未写入）：", "rows_total": "共", "created_n": "新建", "updated_n": "更新", "rejected_n": "拒绝", "line": "行", "reason": "原因", "download_errors": "下载错误报告", "rows": "行数据", "field_id": "客户编号", "field_kind": "类型", "field_name": "名称", "field_family_name": "姓", "field_given_name": "名", "field_organization": "所属机构", "field_title": "职位", "field_email": "邮箱", "field_phone": "手机", "field_wechat": "微信号", "field_external_id": "外部编号", "field_stage": "阶段", "field_tier": "等级", "field_owner": "负责人邮箱", "field_source": "来源", "field_country": "国家/地区", "field_province": "省份", "field_city": "城市", "field_district": "区县", "field_street": "街道地址", "field_postcode": "邮编", "field_birthday": "生日", "field_tags": "标签", "field_note": "备注",
            "chat": "在线聊天", "web": "网站", "app": "App", "store": "门店", "social": "社交媒体",
            "app_name": "关系 CRM", "sign_in": "登录", "sign_out": "退出", "email": "邮箱", "password": "密码", "totp_code": "验证码（如已开启两步验证）",
            "customers": "客户", "new_customer": "新建客户", "search": "搜索", "search_placeholder": "姓名、公司、手机、邮箱或标签",
            "name": "名称", "kind": "类型", "person": "个人", "organization": "机构", "organization_name": "所属机构", "title": "职位",
            "stage": "阶段", "tier": "等级", "owner": "负责人", "tags": "标签", "tags_hint": "用逗号分隔", "source": "来源",
            "phones": "手机", "emails": "邮箱", "addresses": "地址", "birthday": "生日", "custom_fields": "自定义字段",
            "updated": "更新于", "created": "创建于", "all": "全部", "filter": "筛选", "next_page": "下一页", "no_customers": "没有符合条件的客户。",
            "save": "保存", "cancel": "取消", "edit": "编辑", "reveal": "显示完整信息", "masked_note": "部分联系方式已按权限隐藏。",
            "timeline": "时间线", "more": "更多", "nothing_yet": "还没有记录。", "log_activity": "记录跟进", "activity_kind": "方式",
            "note": "备注", "call": "电话", "visit": "拜访", "wechat": "微信", "meeting": "会议", "email_kind": "邮件", "sms": "短信",
            "subject": "主题", "body": "内容", "add": "添加", "language": "语言",
            "stage_prospect": "潜在客户", "stage_lead": "线索", "stage_customer": "客户", "stage_repeat": "复购客户", "stage_loyal": "忠诚客户",
            "stage_at_risk": "流失风险", "stage_lost": "已流失",
            "event_created": "创建了客户", "event_stage_changed": "阶段变更", "event_tier_changed": "等级变更", "event_owner_changed": "负责人变更",
            "event_merged": "合并了客户", "event_merge_undone": "撤销合并", "event_deleted": "删除", "event_restored": "恢复", "event_imported": "导入",
            "error_fields": "请修改标红的字段。", "error_conflict": "别人已经修改了这条记录。下面是最新内容，请重新编辑后保存。",
            "error_sign_in": "邮箱或密码不正确。", "skip_to_content": "跳到主要内容", "search_hint": "输入后用上下方向键选择结果，回车打开。", "results_one": "找到 1 位客户", "results_many": "找到 {n} 位客户", "actions": "操作", "audit_claim": "领取", "audit_create": "新建", "audit_delete": "删除", "audit_export": "导出", "audit_handover": "交接", "audit_import": "导入", "audit_merge": "合并", "audit_merge_undo": "撤销合并", "audit_password_change": "修改密码", "audit_password_reset": "重置密码", "audit_recycle": "回收到公海", "audit_release": "退回公海", "audit_restore": "恢复", "audit_reveal": "查看完整联系方式", "audit_revoke": "吊销", "audit_role_change": "变更角色", "audit_sign_in": "登录", "audit_sign_in_failed": "登录失败", "audit_totp_disabled": "关闭两步验证", "audit_totp_enabled": "开启两步验证", "audit_update": "修改", "audit_use": "使用", "audit_share": "共享", "audit_unshare": "取消共享", "audit_deactivate": "停用", "audit_api_tokens": "API 令牌", "audit_custom_fields": "自定义字段", "audit_customers": "客户", "audit_relationships": "客户关系", "audit_users": "用户", "audit_workspaces": "工作区", "audit_pool_rules": "公海规则", "audit_roles": "角色", "audit_teams": "团队", "audit_notes": "备注", "audit_interactions": "互动记录", "audit_shares": "共享", "audit_memberships": "成员资格", "error_try_again": "请稍后重试。", "error_generic": "出错了：", "error_not_found": "找不到这个客户，或你没有权限查看。",
            "error_forbidden": "你没有权限执行这个操作。", "signed_out": "你已退出。", "pool": "公海",
        ],
        .zhHant: [
            "mine": "我的", "rename_tag": "改名", "rename_to": "新名稱：", "rename_tag_hint": "改成既有的標籤名稱即合併兩個標籤；每位客戶的修改都記入時間軸與稽核紀錄。", "customers_count": "客戶數",
            "view_name": "檢視名稱", "save_view": "儲存目前篩選",
            "bulk_action": "批次操作", "bulk_tag": "新增標籤", "bulk_assign": "指派負責人", "apply_selected": "套用到勾選的客戶", "select": "選擇", "bulk_done": "已更新的客戶數：", "bulk_failed": "未能更新：",
            "export": "匯出",
            "related": "關聯", "relation_works_at": "任職於", "relation_family": "家人", "relation_referred_by": "推薦人", "relation_other": "其他關係", "relation_member": "成員", "duplicates_title": "可能重複的客戶", "merge": "合併", "merge_title": "合併兩位客戶", "keep_this": "保留", "merged_into_it": "併入左側", "merge_hint": "逐項選擇保留哪一邊的值；聯絡方式、標籤、時間軸與關聯會全部併到保留的客戶。合併後可以復原。", "merged_flash": "已合併。", "undo": "復原合併",
            "verify_chain": "驗證雜湊鏈",
            "settings": "設定", "users": "成員", "teams": "團隊", "roles": "角色", "fields_tab": "自訂欄位", "tokens": "API 權杖", "audit": "稽核紀錄", "role": "角色", "active": "狀態", "yes": "是", "no": "否", "members": "成員", "manager": "主管", "new_team": "新增團隊", "create": "建立", "permissions": "權限", "key": "鍵", "label": "顯示名稱", "type": "類型", "sensitive": "敏感（依權限隱藏）", "new_field": "新增欄位", "delete": "刪除", "token_name": "名稱", "days": "有效天數（留空為永久）", "new_token": "產生權杖", "token_shown_once": "請立即複製，權杖只顯示這一次：", "prefix": "前綴", "last_used": "最近使用", "expires": "到期", "revoke": "撤銷", "revoked": "已撤銷", "time": "時間", "actor": "操作者", "action": "操作", "object": "對象", "record": "紀錄", "audit_ok": "雜湊鏈完整：", "audit_broken": "稽核紀錄遭改動：", "entries": "筆", "change_role": "變更", "none": "無",
            "import": "匯入", "import_hint": "上傳 CSV 檔（UTF-8 或 GB18030，例如 Excel 另存為 CSV）。下一步可核對欄位對應並先試跑。", "upload_file": "CSV 檔案", "next_step": "下一步", "map_columns": "核對欄位", "column": "欄位", "maps_to": "匯入為", "preview": "範例", "not_imported": "（自動辨識）", "dry_run": "試跑", "import_now": "開始匯入", "start_over": "重新上傳", "status_running": "正在匯入……", "refresh": "重新整理", "dry_run_result": "試跑結果（未寫入）：", "rows_total": "共", "created_n": "新增", "updated_n": "更新", "rejected_n": "拒絕", "line": "行", "reason": "原因", "download_errors": "下載錯誤報告", "rows": "列資料", "field_id": "客戶編號", "field_kind": "類型", "field_name": "名稱", "field_family_name": "姓", "field_given_name": "名", "field_organization": "所屬機構", "field_title": "職稱", "field_email": "電子郵件", "field_phone": "手機", "field_wechat": "微信號", "field_external_id": "外部編號", "field_stage": "階段", "field_tier": "等級", "field_owner": "負責人郵件", "field_source": "來源", "field_country": "國家/地區", "field_province": "省份", "field_city": "城市", "field_district": "區", "field_street": "街道地址", "field_postcode": "郵遞區號", "field_birthday": "生日", "field_tags": "標籤", "field_note": "備註",
            "chat": "線上聊天", "web": "網站", "app": "App", "store": "門市", "social": "社群媒體",
            "app_name": "關係 CRM", "sign_in": "登入", "sign_out": "登出", "email": "電子郵件", "password": "密碼", "totp_code": "驗證碼（如已開啟兩步驟驗證）",
            "customers": "客戶", "new_customer": "新增客戶", "search": "搜尋", "search_placeholder": "姓名、公司、手機、郵件或標籤",
            "name": "名稱", "kind": "類型", "person": "個人", "organization": "機構", "organization_name": "所屬機構", "title": "職稱",
            "stage": "階段", "tier": "等級", "owner": "負責人", "tags": "標籤", "tags_hint": "以逗號分隔", "source": "來源",
            "phones": "手機", "emails": "電子郵件", "addresses": "地址", "birthday": "生日", "custom_fields": "自訂欄位",
            "updated": "更新於", "created": "建立於", "all": "全部", "filter": "篩選", "next_page": "下一頁", "no_customers": "沒有符合條件的客戶。",
            "save": "儲存", "cancel": "取消", "edit": "編輯", "reveal": "顯示完整資訊", "masked_note": "部分聯絡方式已依權限隱藏。",
            "timeline": "時間軸", "more": "更多", "nothing_yet": "尚無紀錄。", "log_activity": "記錄跟進", "activity_kind": "方式",
            "note": "備註", "call": "電話", "visit": "拜訪", "wechat": "微信", "meeting": "會議", "email_kind": "郵件", "sms": "簡訊",
            "subject": "主旨", "body": "內容", "add": "新增", "language": "語言",
            "stage_prospect": "潛在客戶", "stage_lead": "線索", "stage_customer": "客戶", "stage_repeat": "回購客戶", "stage_loyal": "忠誠客戶",
            "stage_at_risk": "流失風險", "stage_lost": "已流失",
            "event_created": "建立了客戶", "event_stage_changed": "階段變更", "event_tier_changed": "等級變更", "event_owner_changed": "負責人變更",
            "event_merged": "合併了客戶", "event_merge_undone": "復原合併", "event_deleted": "刪除", "event_restored": "還原", "event_imported": "匯入",
            "error_fields": "請修正標紅的欄位。", "error_conflict": "其他人已修改這筆紀錄。以下是最新內容，請重新編輯後儲存。",
            "error_sign_in": "電子郵件或密碼不正確。", "skip_to_content": "跳到主要內容", "search_hint": "輸入後用上下方向鍵選擇結果，按 Enter 開啟。", "results_one": "找到 1 位客戶", "results_many": "找到 {n} 位客戶", "actions": "操作", "audit_claim": "領取", "audit_create": "新增", "audit_delete": "刪除", "audit_export": "匯出", "audit_handover": "交接", "audit_import": "匯入", "audit_merge": "合併", "audit_merge_undo": "復原合併", "audit_password_change": "變更密碼", "audit_password_reset": "重設密碼", "audit_recycle": "回收到公海", "audit_release": "退回公海", "audit_restore": "還原", "audit_reveal": "檢視完整聯絡方式", "audit_revoke": "撤銷", "audit_role_change": "變更角色", "audit_sign_in": "登入", "audit_sign_in_failed": "登入失敗", "audit_totp_disabled": "關閉兩步驟驗證", "audit_totp_enabled": "開啟兩步驟驗證", "audit_update": "修改", "audit_use": "使用", "audit_share": "共用", "audit_unshare": "取消共用", "audit_deactivate": "停用", "audit_api_tokens": "API 權杖", "audit_custom_fields": "自訂欄位", "audit_customers": "客戶", "audit_relationships": "客戶關係", "audit_users": "使用者", "audit_workspaces": "工作區", "audit_pool_rules": "公海規則", "audit_roles": "角色", "audit_teams": "團隊", "audit_notes": "備註", "audit_interactions": "互動紀錄", "audit_shares": "共用", "audit_memberships": "成員資格", "error_try_again": "請稍後再試。", "error_generic": "發生錯誤：", "error_not_found": "找不到這位客戶，或你沒有權限檢視。",
            "error_forbidden": "你沒有權限執行這個操作。", "signed_out": "你已登出。", "pool": "公海",
        ],
        .en: [
            "mine": "Mine", "rename_tag": "Rename", "rename_to": "New name for", "rename_tag_hint": "Renaming to a tag already in use merges the two; each customer’s change goes on its timeline and in the audit log.", "customers_count": "Customers",
            "view_name": "View name", "save_view": "Save these filters",
            "bulk_action": "For the selected", "bulk_tag": "Add a tag", "bulk_assign": "Assign an owner", "apply_selected": "Apply to the selected customers", "select": "Select", "bulk_done": "Customers updated: ", "bulk_failed": "Not updated: ",
            "export": "Export",
            "related": "Related", "relation_works_at": "works at", "relation_family": "family", "relation_referred_by": "referred by", "relation_other": "related", "relation_member": "member", "duplicates_title": "Possible duplicates", "merge": "Merge", "merge_title": "Merge two customers", "keep_this": "keeps", "merged_into_it": "merges into the left", "merge_hint": "Choose which side each value comes from; contacts, tags, the timeline and relationships all move to the kept customer. You can undo the merge.", "merged_flash": "Merged.", "undo": "Undo the merge",
            "verify_chain": "Verify the hash chain",
            "settings": "Settings", "users": "Members", "teams": "Teams", "roles": "Roles", "fields_tab": "Custom fields", "tokens": "API tokens", "audit": "Audit log", "role": "Role", "active": "Active", "yes": "yes", "no": "no", "members": "Members", "manager": "Manager", "new_team": "New team", "create": "Create", "permissions": "Permissions", "key": "Key", "label": "Label", "type": "Type", "sensitive": "Sensitive (masked by permission)", "new_field": "New field", "delete": "Delete", "token_name": "Name", "days": "Days valid (empty: never expires)", "new_token": "Create token", "token_shown_once": "Copy it now; the token is shown only once:", "prefix": "Prefix", "last_used": "Last used", "expires": "Expires", "revoke": "Revoke", "revoked": "revoked", "time": "Time", "actor": "Actor", "action": "Action", "object": "Object", "record": "Record", "audit_ok": "Hash chain intact:", "audit_broken": "The audit log was altered:", "entries": "entries", "change_role": "Change", "none": "none",
            "import": "Import", "import_hint": "Upload a CSV file (UTF-8 or GB18030, e.g. Excel’s Save as CSV). Next you can check how columns map and try a dry run.", "upload_file": "CSV file", "next_step": "Next", "map_columns": "Check the columns", "column": "Column", "maps_to": "Imports as", "preview": "Sample", "not_imported": "(detect)", "dry_run": "Dry run", "import_now": "Import", "start_over": "Upload another", "status_running": "Importing…", "refresh": "Refresh", "dry_run_result": "Dry run (nothing written):", "rows_total": "Rows", "created_n": "created", "updated_n": "updated", "rejected_n": "rejected", "line": "Line", "reason": "Reason", "download_errors": "Download the error report", "rows": "data rows", "field_id": "Customer id", "field_kind": "Kind", "field_name": "Name", "field_family_name": "Family name", "field_given_name": "Given name", "field_organization": "Organisation", "field_title": "Title", "field_email": "Email", "field_phone": "Phone", "field_wechat": "WeChat id", "field_external_id": "External id", "field_stage": "Stage", "field_tier": "Tier", "field_owner": "Owner email", "field_source": "Source", "field_country": "Country", "field_province": "Province", "field_city": "City", "field_district": "District", "field_street": "Street", "field_postcode": "Postcode", "field_birthday": "Birthday", "field_tags": "Tags", "field_note": "Note",
            "chat": "Chat", "web": "Web", "app": "App", "store": "Store visit", "social": "Social",
            "app_name": "Guanxi CRM", "sign_in": "Sign in", "sign_out": "Sign out", "email": "Email", "password": "Password", "totp_code": "Code (if two-factor is on)",
            "customers": "Customers", "new_customer": "New customer", "search": "Search", "search_placeholder": "Name, company, phone, email or tag",
            "name": "Name", "kind": "Kind", "person": "Person", "organization": "Organisation", "organization_name": "Organisation", "title": "Title",
            "stage": "Stage", "tier": "Tier", "owner": "Owner", "tags": "Tags", "tags_hint": "separated by commas", "source": "Source",
            "phones": "Phones", "emails": "Emails", "addresses": "Addresses", "birthday": "Birthday", "custom_fields": "Custom fields",
            "updated": "Updated", "created": "Created", "all": "All", "filter": "Filter", "next_page": "Next page", "no_customers": "No customers match.",
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
            "error_sign_in": "The email or password is wrong.", "skip_to_content": "Skip to content", "search_hint": "Type, then use the arrow keys to pick a result and Enter to open it.", "results_one": "1 customer found", "results_many": "{n} customers found", "actions": "Actions", "audit_claim": "Claim", "audit_create": "Create", "audit_delete": "Delete", "audit_export": "Export", "audit_handover": "Handover", "audit_import": "Import", "audit_merge": "Merge", "audit_merge_undo": "Undo merge", "audit_password_change": "Password change", "audit_password_reset": "Password reset", "audit_recycle": "Recycle to pool", "audit_release": "Release to pool", "audit_restore": "Restore", "audit_reveal": "Reveal contacts", "audit_revoke": "Revoke", "audit_role_change": "Role change", "audit_sign_in": "Sign-in", "audit_sign_in_failed": "Failed sign-in", "audit_totp_disabled": "2FA off", "audit_totp_enabled": "2FA on", "audit_update": "Update", "audit_use": "Use", "audit_share": "Share", "audit_unshare": "Unshare", "audit_deactivate": "Deactivate", "audit_api_tokens": "API tokens", "audit_custom_fields": "Custom fields", "audit_customers": "Customers", "audit_relationships": "Relationships", "audit_users": "Users", "audit_workspaces": "Workspaces", "audit_pool_rules": "Pool rules", "audit_roles": "Roles", "audit_teams": "Teams", "audit_notes": "Notes", "audit_interactions": "Interactions", "audit_shares": "Shares", "audit_memberships": "Memberships", "error_try_again": "please try again later.", "error_generic": "Something went wrong: ", "error_not_found": "This customer does not exist, or you may not see it.",
            "error_forbidden": "You may not do that.", "signed_out": "You have signed out.", "pool": "Public pool",
        ],
    ]

    /// Field error messages from the domain are English; pages show them next to the field as given,
    /// prefixed by the localised "please fix" banner. (A message catalog for domain errors is a later step.)
    static func stage(_ s: LifecycleStage, _ l: UILocale) -> String { text("stage_" + s.rawValue, l) }
}
