import GuanxiWebPlatform
import GuanxiCore

/// The words the events capability shows (the customer page's recent events), per language, and
/// the domain messages it can raise.
enum EventsCatalog {
    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "events_recent": "最近行为", "event_type_identify": "识别", "event_type_track": "事件", "event_type_page": "浏览页面",
            "event_type_screen": "浏览屏幕", "event_type_group": "组织", "event_type_alias": "别名",
            "error_not_found_event source": "找不到这个事件来源。",
            "field_allowed_origins": "允许的来源网址",
        ],
        .zhHant: [
            "events_recent": "最近行為", "event_type_identify": "識別", "event_type_track": "事件", "event_type_page": "瀏覽頁面",
            "event_type_screen": "瀏覽畫面", "event_type_group": "組織", "event_type_alias": "別名",
            "error_not_found_event source": "找不到這個事件來源。",
            "field_allowed_origins": "允許的來源網址",
        ],
        .en: [
            "events_recent": "Recent behaviour", "event_type_identify": "identified", "event_type_track": "event", "event_type_page": "page view",
            "event_type_screen": "screen view", "event_type_group": "organisation", "event_type_alias": "alias",
            "error_not_found_event source": "There is no such event source.",
            "field_allowed_origins": "Allowed origins",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("'{0}' is not a web origin (scheme://host[:port] or *)", "「{0}」不是网址来源（scheme://host[:port] 或 *）", "「{0}」不是網址來源（scheme://host[:port] 或 *）"),
        ("at most {0} origins", "最多 {0} 个来源", "最多 {0} 個來源"),
    ]
}
