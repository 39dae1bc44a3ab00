import Foundation

/// The domain speaks English (stores, API); pages show its most common messages in the user's
/// language. Unknown messages stay as they are, so nothing is ever hidden.
enum Messages {
    /// (pattern, zh-Hans, zh-Hant); `$1`, `$2` are the pattern's captures.
    static let table: [(String, String, String)] = [
        ("^is required$", "必填", "必填"),
        ("^'(.+)' is not a valid email address$", "「$1」不是有效的邮箱地址", "「$1」不是有效的電子郵件地址"),
        ("^'(.+)' is not a valid phone number$", "「$1」不是有效的手机号码", "「$1」不是有效的手機號碼"),
        ("^a name, email or phone is required$", "名称、邮箱、手机至少填一项", "名稱、電子郵件、手機至少填一項"),
        ("^(.+) already belongs to one of your customers$", "$1 已属于你的另一位客户", "$1 已屬於你的另一位客戶"),
        ("^(.+) already belongs to a customer in the public pool$", "$1 已属于公海中的客户", "$1 已屬於公海中的客戶"),
        ("^(.+) already belongs to a customer owned by (.+)$", "$1 已属于 $2 负责的客户（撞单）", "$1 已屬於 $2 負責的客戶（撞單）"),
        ("^(.+) already belongs to another customer$", "$1 已属于另一位客户", "$1 已屬於另一位客戶"),
        ("^must be one of: (.+)$", "须为以下之一：$1", "須為以下之一：$1"),
        ("^must be a date \\(YYYY-MM-DD\\)$", "须为日期（YYYY-MM-DD）", "須為日期（YYYY-MM-DD）"),
        ("^must be a past date \\(YYYY-MM-DD\\)$", "须为过去的日期（YYYY-MM-DD）", "須為過去的日期（YYYY-MM-DD）"),
        ("^must be a number$", "须为数字", "須為數字"),
        ("^must be a whole number$", "须为整数", "須為整數"),
        ("^is not a valid WeChat id$", "不是有效的微信号", "不是有效的微信號"),
        ("^is required \\(at most 100 characters\\)$", "必填（最多 100 个字）", "必填（最多 100 字）"),
    ]

    static let compiled: [(NSRegularExpression, String, String)] = table.map { (try! NSRegularExpression(pattern: $0.0), $0.1, $0.2) }

    static func localize(_ message: String, _ l: UILocale) -> String {
        guard l != .en else { return message }
        let range = NSRange(message.startIndex..., in: message)
        for (re, hans, hant) in compiled where re.firstMatch(in: message, range: range) != nil {
            return re.stringByReplacingMatches(in: message, range: range, withTemplate: l == .zhHant ? hant : hans)
        }
        return message
    }
}
