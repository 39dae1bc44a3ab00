import GuanxiWebPlatform
import GuanxiCore

/// The words of the webhook pages, per language (merged into `Catalog`), and the domain messages
/// those pages can show.
enum IntegrationCatalog {
    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "webhooks": "Webhook", "webhook_endpoints": "Webhook 端点", "webhook_intro": "Guanxi 把所选事件签名后发送到这些地址（Standard Webhooks 规范），失败后 24 小时内按指数退避重试。",
            "webhook_none": "还没有端点。", "webhook_new": "添加端点", "webhook_url": "地址（http 或 https）", "webhook_description": "说明",
            "webhook_events": "事件", "webhook_all_events": "全部事件", "webhook_enabled": "已启用", "webhook_disabled": "已停用",
            "webhook_state": "状态", "webhook_last_success": "最近成功", "webhook_failing_since": "失败始于",
            "webhook_secret": "签名密钥", "webhook_secret_once": "请立即复制签名密钥，它只完整显示这一次：",
            "webhook_rotate": "更换密钥", "webhook_rotated_note": "旧密钥在 24 小时内仍然有效，期间每次发送都带两个签名。",
            "webhook_enable": "启用", "webhook_disable": "停用", "webhook_delete": "删除端点", "webhook_replay_dead": "重发全部死信",
            "webhook_deliveries": "发送记录", "webhook_dead_letters": "死信", "webhook_no_deliveries": "还没有发送记录。",
            "webhook_event": "事件", "webhook_record": "记录", "webhook_attempts": "尝试次数", "webhook_status": "响应状态",
            "webhook_duration": "耗时（毫秒）", "webhook_created": "产生于", "webhook_next": "下次尝试", "webhook_replay": "重发",
            "webhook_delivery": "发送详情", "webhook_request": "请求", "webhook_response": "响应", "webhook_error": "错误",
            "webhook_body": "内容", "webhook_headers": "请求头", "webhook_back": "返回端点",
            "webhook_state_pending": "等待发送", "webhook_state_delivering": "发送中", "webhook_state_delivered": "已送达", "webhook_state_dead": "死信",
            "webhook_disabled_reason": "停用原因",
            "error_not_found_webhook": "找不到这个 Webhook 端点。", "error_not_found_webhook_delivery": "找不到这条发送记录。",
            "field_url": "地址", "field_events": "事件", "field_filters": "筛选条件", "field_secret": "签名密钥",
        ],
        .zhHant: [
            "webhooks": "Webhook", "webhook_endpoints": "Webhook 端點", "webhook_intro": "Guanxi 把所選事件簽章後傳送到這些位址（Standard Webhooks 規範），失敗後 24 小時內以指數退避重試。",
            "webhook_none": "尚無端點。", "webhook_new": "新增端點", "webhook_url": "位址（http 或 https）", "webhook_description": "說明",
            "webhook_events": "事件", "webhook_all_events": "全部事件", "webhook_enabled": "已啟用", "webhook_disabled": "已停用",
            "webhook_state": "狀態", "webhook_last_success": "最近成功", "webhook_failing_since": "失敗始於",
            "webhook_secret": "簽章金鑰", "webhook_secret_once": "請立即複製簽章金鑰，它只完整顯示這一次：",
            "webhook_rotate": "更換金鑰", "webhook_rotated_note": "舊金鑰在 24 小時內仍然有效，期間每次傳送都帶兩個簽章。",
            "webhook_enable": "啟用", "webhook_disable": "停用", "webhook_delete": "刪除端點", "webhook_replay_dead": "重送全部死信",
            "webhook_deliveries": "傳送紀錄", "webhook_dead_letters": "死信", "webhook_no_deliveries": "尚無傳送紀錄。",
            "webhook_event": "事件", "webhook_record": "紀錄", "webhook_attempts": "嘗試次數", "webhook_status": "回應狀態",
            "webhook_duration": "耗時（毫秒）", "webhook_created": "產生於", "webhook_next": "下次嘗試", "webhook_replay": "重送",
            "webhook_delivery": "傳送詳情", "webhook_request": "請求", "webhook_response": "回應", "webhook_error": "錯誤",
            "webhook_body": "內容", "webhook_headers": "請求標頭", "webhook_back": "返回端點",
            "webhook_state_pending": "等待傳送", "webhook_state_delivering": "傳送中", "webhook_state_delivered": "已送達", "webhook_state_dead": "死信",
            "webhook_disabled_reason": "停用原因",
            "error_not_found_webhook": "找不到這個 Webhook 端點。", "error_not_found_webhook_delivery": "找不到這筆傳送紀錄。",
            "field_url": "位址", "field_events": "事件", "field_filters": "篩選條件", "field_secret": "簽章金鑰",
        ],
        .en: [
            "webhooks": "Webhooks", "webhook_endpoints": "Webhook endpoints", "webhook_intro": "Guanxi signs the chosen events and sends them to these addresses (the Standard Webhooks convention), retrying with exponential backoff for 24 hours.",
            "webhook_none": "No endpoints yet.", "webhook_new": "Add an endpoint", "webhook_url": "Address (http or https)", "webhook_description": "Description",
            "webhook_events": "Events", "webhook_all_events": "Every event", "webhook_enabled": "Enabled", "webhook_disabled": "Disabled",
            "webhook_state": "State", "webhook_last_success": "Last success", "webhook_failing_since": "Failing since",
            "webhook_secret": "Signing secret", "webhook_secret_once": "Copy the signing secret now; it is shown in full only this once:",
            "webhook_rotate": "Rotate secret", "webhook_rotated_note": "The old secret stays valid for 24 hours; meanwhile every delivery carries both signatures.",
            "webhook_enable": "Enable", "webhook_disable": "Disable", "webhook_delete": "Delete endpoint", "webhook_replay_dead": "Replay all dead letters",
            "webhook_deliveries": "Deliveries", "webhook_dead_letters": "Dead letters", "webhook_no_deliveries": "No deliveries yet.",
            "webhook_event": "Event", "webhook_record": "Record", "webhook_attempts": "Attempts", "webhook_status": "Response status",
            "webhook_duration": "Time (ms)", "webhook_created": "Raised", "webhook_next": "Next attempt", "webhook_replay": "Replay",
            "webhook_delivery": "Delivery", "webhook_request": "Request", "webhook_response": "Response", "webhook_error": "Error",
            "webhook_body": "Body", "webhook_headers": "Headers", "webhook_back": "Back to the endpoint",
            "webhook_state_pending": "pending", "webhook_state_delivering": "sending", "webhook_state_delivered": "delivered", "webhook_state_dead": "dead letter",
            "webhook_disabled_reason": "Why disabled",
            "error_not_found_webhook": "No such webhook endpoint.", "error_not_found_webhook_delivery": "No such delivery.",
            "field_url": "Address", "field_events": "Events", "field_filters": "Filters", "field_secret": "Signing secret",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("must start with http:// or https://", "须以 http:// 或 https:// 开头", "須以 http:// 或 https:// 開頭"),
        ("must not carry a user name or password", "地址中不能包含用户名或密码", "位址中不能包含使用者名稱或密碼"),
        ("is not an absolute URL", "不是完整的网址", "不是完整的網址"),
        ("must name a host", "须包含主机名", "須包含主機名稱"),
        ("must not have a #fragment", "不能包含 # 片段", "不能包含 # 片段"),
        ("must not contain spaces", "不能包含空格", "不能包含空格"),
        ("must name at least one event type", "至少选择一个事件", "至少選擇一個事件"),
        ("'{0}' is not an event type (see GET /api/v1/webhooks/event-types), a record's events such as order.* or *",
         "“{0}”不是可订阅的事件", "「{0}」不是可訂閱的事件"),
        ("must be whsec_ followed by base64 of 24 to 64 random bytes", "须为 whsec_ 加 24 到 64 个随机字节的 base64", "須為 whsec_ 加 24 到 64 個隨機位元組的 base64"),
        ("the delivery is still {0}; only delivered or parked ones are replayed", "这条记录仍在发送中，只能重发已送达或死信记录",
         "這筆紀錄仍在傳送中，只能重送已送達或死信紀錄"),
    ]
}
