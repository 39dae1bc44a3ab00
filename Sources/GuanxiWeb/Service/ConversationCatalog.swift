import GuanxiCore
import GuanxiWebPlatform

/// Words of the agent's daily tools (canned replies, mentions, collision notices, bulk changes)
/// per language, and their domain messages as pages show them.
enum ConversationCatalog {
    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "canned_replies": "快捷回复", "canned_intro": "客服在回复框里选用的现成回复。每种语言各写一份，可以用这些占位符：",
            "canned_title": "标题", "canned_languages": "语言", "canned_type_any": "任何类型", "canned_active": "启用（客服可以选用）",
            "canned_inactive": "已停用", "canned_new": "新建快捷回复", "canned_none": "还没有快捷回复。",
            "canned_body_zh_hans": "简体中文", "canned_body_zh_hant": "繁体中文", "canned_body_en": "英文",
            "canned_lang_zh_hans": "简", "canned_lang_zh_hant": "繁", "canned_lang_en": "EN",
            "canned_pick": "快捷回复", "canned_insert": "插入",
            "ticket_mention_hint": "内部备注里用 @姓名 或 @邮箱 提醒同事，对方会收到通知。",
            "presence_viewing": "{name} 也在查看这张工单（{t} 起）", "presence_replying": "{name} 正在回复这张工单（{t} 起）",
            "ticket_changed_since": "你打开这张工单之后，有人做了这些更改：", "ticket_change_someone": "有人",
            "ticket_change_reply": "回复了客户", "ticket_change_note": "添加了内部备注", "ticket_change_customer": "记录了客户留言",
            "ticket_change_status": "将状态改为「{s}」", "ticket_change_assignment": "更改了分配、优先级或标签",
            "ticket_change_step": "更改了处理环节", "ticket_change_other": "更改了工单",
            "ticket_bulk_actions": "批量操作（先勾选工单）", "ticket_bulk_select": "选择 {n}", "ticket_bulk_assign": "分配给", "ticket_bulk_move": "转到部门",
            "ticket_bulk_status": "状态改为", "ticket_bulk_priority": "优先级改为", "ticket_bulk_tag": "添加标签", "ticket_bulk_apply": "应用",
            "ticket_bulk_summary": "{u} 张已更新，{s} 张跳过", "ticket_bulk_unchanged": "，{n} 张无需更改", "ticket_bulk_skipped_lead": "：",
            "field_bodies": "内容", "field_action": "批量操作", "field_ids": "工单", "field_language": "语言",
        ],
        .zhHant: [
            "canned_replies": "快捷回覆", "canned_intro": "客服在回覆框裡選用的現成回覆。每種語言各寫一份，可以使用這些預留位置：",
            "canned_title": "標題", "canned_languages": "語言", "canned_type_any": "任何類型", "canned_active": "啟用（客服可以選用）",
            "canned_inactive": "已停用", "canned_new": "新增快捷回覆", "canned_none": "還沒有快捷回覆。",
            "canned_body_zh_hans": "簡體中文", "canned_body_zh_hant": "繁體中文", "canned_body_en": "英文",
            "canned_lang_zh_hans": "簡", "canned_lang_zh_hant": "繁", "canned_lang_en": "EN",
            "canned_pick": "快捷回覆", "canned_insert": "插入",
            "ticket_mention_hint": "內部備註裡用 @姓名 或 @電郵 提醒同事，對方會收到通知。",
            "presence_viewing": "{name} 也在查看這張工單（{t} 起）", "presence_replying": "{name} 正在回覆這張工單（{t} 起）",
            "ticket_changed_since": "你開啟這張工單之後，有人做了這些變更：", "ticket_change_someone": "有人",
            "ticket_change_reply": "回覆了客戶", "ticket_change_note": "新增了內部備註", "ticket_change_customer": "記錄了客戶留言",
            "ticket_change_status": "將狀態改為「{s}」", "ticket_change_assignment": "變更了指派、優先順序或標籤",
            "ticket_change_step": "變更了處理環節", "ticket_change_other": "變更了工單",
            "ticket_bulk_actions": "批次操作（先勾選工單）", "ticket_bulk_select": "選擇 {n}", "ticket_bulk_assign": "指派給", "ticket_bulk_move": "轉到部門",
            "ticket_bulk_status": "狀態改為", "ticket_bulk_priority": "優先順序改為", "ticket_bulk_tag": "新增標籤", "ticket_bulk_apply": "套用",
            "ticket_bulk_summary": "{u} 張已更新，{s} 張略過", "ticket_bulk_unchanged": "，{n} 張無需變更", "ticket_bulk_skipped_lead": "：",
            "field_bodies": "內容", "field_action": "批次操作", "field_ids": "工單", "field_language": "語言",
        ],
        .en: [
            "canned_replies": "Canned replies", "canned_intro": "Ready-made answers agents pick in the reply form. Write each language's words; these placeholders are filled in:",
            "canned_title": "Title", "canned_languages": "Languages", "canned_type_any": "Any type", "canned_active": "Active (offered to agents)",
            "canned_inactive": "Inactive", "canned_new": "New canned reply", "canned_none": "No canned replies yet.",
            "canned_body_zh_hans": "Simplified Chinese", "canned_body_zh_hant": "Traditional Chinese", "canned_body_en": "English",
            "canned_lang_zh_hans": "简", "canned_lang_zh_hant": "繁", "canned_lang_en": "EN",
            "canned_pick": "Canned reply", "canned_insert": "Insert",
            "ticket_mention_hint": "In an internal note, @name or @email tells a colleague; they are notified.",
            "presence_viewing": "{name} is also viewing this ticket (since {t})", "presence_replying": "{name} is replying to this ticket (since {t})",
            "ticket_changed_since": "Since you opened this ticket, others made these changes:", "ticket_change_someone": "Someone",
            "ticket_change_reply": "replied to the customer", "ticket_change_note": "added an internal note", "ticket_change_customer": "recorded the customer's words",
            "ticket_change_status": "changed the status to “{s}”", "ticket_change_assignment": "changed the assignment, priority or tags",
            "ticket_change_step": "changed the handling steps", "ticket_change_other": "changed the ticket",
            "ticket_bulk_actions": "Bulk actions (tick tickets first)", "ticket_bulk_select": "Select {n}", "ticket_bulk_assign": "Assign to", "ticket_bulk_move": "Move to department",
            "ticket_bulk_status": "Set status", "ticket_bulk_priority": "Set priority", "ticket_bulk_tag": "Add tag", "ticket_bulk_apply": "Apply",
            "ticket_bulk_summary": "{u} updated, {s} skipped", "ticket_bulk_unchanged": ", {n} unchanged", "ticket_bulk_skipped_lead": ":",
            "field_bodies": "Words", "field_action": "Bulk action", "field_ids": "Tickets", "field_language": "Language",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("has an unknown placeholder: {0}", "含有未知的占位符：{0}", "含有未知的預留位置：{0}"),
        (CannedReplyText.unknownLanguage.key, "须为 zh-Hans、zh-Hant 或 en", "須為 zh-Hans、zh-Hant 或 en"),
        (CannedReplyText.noBody.key, "至少要写一种语言的内容", "至少要寫一種語言的內容"),
        ("must be at most 100 characters", "最多 100 个字", "最多 100 字"),
        ("must be at most 10000 characters", "最多 10000 个字", "最多 10000 字"),
        ("must be 1 to 40 characters", "须为 1 到 40 个字", "須為 1 到 40 字"),
        (BulkWords.none.key, "请至少勾选一张工单", "請至少勾選一張工單"),
        ("at most {0} tickets at once", "一次最多 {0} 张工单", "一次最多 {0} 張工單"),
        ("{0} is not a ticket id", "{0} 不是工单编号", "{0} 不是工單編號"),
        (BulkWords.changed.key, "勾选之后它已被别人更改", "勾選之後它已被別人變更"),
    ]
}
