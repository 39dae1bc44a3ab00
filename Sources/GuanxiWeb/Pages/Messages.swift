import Foundation
import GuanxiCore

/// The domain speaks English (stores, API); pages show its most common messages in the user's
/// language: coded ones (`FieldMessage`) by their code, the rest by English patterns. Unknown
/// messages stay as they are, so nothing is ever hidden.
/// (pattern, zh-Hans, zh-Hant); `$1`, `$2` are the pattern's captures.
package typealias MessagePattern = (pattern: String, hans: String, hant: String)
/// A coded field message's translations (zh-Hans, zh-Hant), looked up by its code.
package typealias FieldTranslation = (message: FieldMessage, hans: String, hant: String)

enum Messages {
    static let table: [MessagePattern] = [
        ("^'(.+)' is not a valid email address$", "「$1」不是有效的邮箱地址", "「$1」不是有效的電子郵件地址"),
        ("^'(.+)' is not a valid phone number$", "「$1」不是有效的手机号码", "「$1」不是有效的手機號碼"),
        ("^a name, email or phone is required$", "名称、邮箱、手机至少填一项", "名稱、電子郵件、手機至少填一項"),
        ("^(.+) already belongs to one of your customers$", "$1 已属于你的另一位客户", "$1 已屬於你的另一位客戶"),
        ("^(.+) already belongs to a customer in the public pool$", "$1 已属于公海中的客户", "$1 已屬於公海中的客戶"),
        ("^(.+) already belongs to a customer owned by (.+)$", "$1 已属于 $2 负责的客户（撞单）", "$1 已屬於 $2 負責的客戶（撞單）"),
        ("^(.+) already belongs to another customer$", "$1 已属于另一位客户", "$1 已屬於另一位客戶"),
        ("^must be one of: (.+)$", "须为以下之一：$1", "須為以下之一：$1"),
        ("^must be a past date \\(YYYY-MM-DD\\)$", "须为过去的日期（YYYY-MM-DD）", "須為過去的日期（YYYY-MM-DD）"),
        ("^is not a valid WeChat id$", "不是有效的微信号", "不是有效的微信號"),
        ("^is required \\(at most 100 characters\\)$", "必填（最多 100 个字）", "必填（最多 100 字）"),
        ("^is required: person or organization$", "必填：个人或机构", "必填：個人或機構"),
        ("^kind must be person or organization$", "类型须为个人或机构", "類型須為個人或機構"),
        ("^is longer than (\\d+) characters$", "超过 $1 个字", "超過 $1 字"),
        ("^a tag is longer than 50 characters$", "有标签超过 50 个字", "有標籤超過 50 字"),
        ("^at most (\\d+) tags$", "最多 $1 个标签", "最多 $1 個標籤"),
        ("^at most (\\d+) addresses$", "最多 $1 个地址", "最多 $1 個地址"),
        ("^at most (\\d+)$", "最多 $1 个", "最多 $1 個"),
        ("^an address field is longer than 200 characters$", "地址有一项超过 200 个字", "地址有一項超過 200 字"),
        ("^cannot be changed after creation$", "创建后不能修改", "建立後不能修改"),
        ("^cannot point to itself$", "不能指向自己", "不能指向自己"),
        ("^an organisation cannot work at an organisation$", "机构不能任职于另一个机构", "機構不能任職於另一個機構"),
        ("^is not a valid id$", "不是有效的编号", "不是有效的編號"),
        ("^is not a Guanxi id$", "不是关系 CRM 的客户编号", "不是關係 CRM 的客戶編號"),
        ("^is not a valid email address$", "不是有效的邮箱地址", "不是有效的電子郵件地址"),
        ("^is not an organisation$", "不是机构", "不是機構"),
        ("^no such customer$", "没有这位客户", "沒有這位客戶"),
        ("^no such organisation$", "没有这个机构", "沒有這個機構"),
        ("^no such role$", "没有这个角色", "沒有這個角色"),
        ("^no such team$", "没有这个团队", "沒有這個團隊"),
        ("^is a built-in role$", "是内置角色，不能修改", "是內建角色，不能修改"),
        ("^external_id must be namespace:value$", "外部编号须为「命名空间:值」", "外部編號須為「命名空間:值」"),
        ("^unknown stage '(.+)'$", "未知的阶段「$1」", "未知的階段「$1」"),
        ("^no user with email (.+) in this workspace$", "本工作区没有邮箱为 $1 的用户", "本工作區沒有電子郵件為 $1 的使用者"),
        ("^(.+) is not an active user of this workspace$", "$1 不是本工作区的在职用户", "$1 不是本工作區的在職使用者"),
        ("^is not a user of this workspace$", "不是本工作区的用户", "不是本工作區的使用者"),
        ("^you may not assign customers to or from this user$", "你无权把客户分配给此用户或从其名下转出", "你無權把客戶分派給此使用者或從其名下轉出"),
        ("^a customer cannot be related to itself$", "客户不能与自己建立关系", "客戶不能與自己建立關係"),
        ("^works_at must point to an organisation$", "「任职于」须指向机构", "「任職於」須指向機構"),
        ("^cannot merge a customer into itself$", "不能把客户合并到自己", "不能把客戶合併到自己"),
        ("^a subject or a body is required$", "主题和内容至少填一项", "主旨和內容至少填一項"),
        ("^must be at least 8 characters$", "至少 8 个字符", "至少 8 個字元"),
        ("^must be at most (\\d+) characters$", "最多 $1 个字符", "最多 $1 個字元"),
        ("^must be at most 72 bytes$", "最多 72 字节", "最多 72 位元組"),
        ("^is wrong$", "不正确", "不正確"),
        ("^is not the code your app shows now$", "与验证器应用当前显示的验证码不符", "與驗證器 App 目前顯示的驗證碼不符"),
        ("^this reset link is invalid, used or expired$", "重置链接无效、已使用或已过期", "重設連結無效、已使用或已過期"),
        ("^must start with a letter and use only a-z, 0-9 and _ \\(at most 40\\)$", "须以字母开头，只用 a-z、0-9 和 _（最多 40 个）", "須以字母開頭，只用 a-z、0-9 和 _（最多 40 個）"),
        ("^use a-z, 0-9 and _ \\(at most 40, starting with a letter\\)$", "只用 a-z、0-9 和 _（最多 40 个，以字母开头）", "只用 a-z、0-9 和 _（最多 40 個，以字母開頭）"),
        ("^a select field needs at least one option$", "下拉字段至少需要一个选项", "下拉欄位至少需要一個選項"),
        ("^options must be unique$", "选项不能重复", "選項不能重複"),
        ("^would make the team its own ancestor$", "会让团队成为自己的上级", "會讓團隊成為自己的上級"),
        ("^name at least one user$", "至少选择一位用户", "至少選擇一位使用者"),
        ("^cannot hand over to the same user$", "不能交接给同一个人", "不能交接給同一個人"),
        ("^this user has no team manager to hand over to$", "此用户没有可交接的团队经理", "此使用者沒有可交接的團隊經理"),
        ("^the file is empty$", "文件是空的", "檔案是空的"),
        ("^the upload is empty$", "上传的内容是空的", "上傳的內容是空的"),
        ("^no column could be read as a name, email or phone; headers were: (.+)$", "没有任何列能识别为名称、邮箱或手机；表头为：$1", "沒有任何欄位能辨識為名稱、電子郵件或手機；標題列為：$1"),
        ("^the form expired; reload the page and try again$", "表单已过期，请刷新页面后重试", "表單已過期，請重新整理頁面後再試"),
        ("^renaming tags needs the settings permission$", "修改标签名需要设置权限", "修改標籤名稱需要設定權限"),
        ("^is too far in the future$", "时间太远", "時間太遠"),
        ("^must be between -90 and 90$", "须在 -90 到 90 之间", "須在 -90 到 90 之間"),
        ("^must be between -180 and 180$", "须在 -180 到 180 之间", "須在 -180 到 180 之間"),
        ("^must be a decimal number of degrees$", "须为以度为单位的小数", "須為以度為單位的小數"),
        ("^is required with a (longitude|latitude)$", "经纬度须同时填写", "經緯度須同時填寫"),
        ("^must be between 0 and 100000 metres$", "须在 0 到 100000 米之间", "須在 0 到 100000 公尺之間"),
        ("^the task is already (open|done|cancelled)$", "这个待办已经是这个状态了", "這個待辦已經是這個狀態了"),
        ("^an? (open|done|cancelled) task cannot become (open|done|cancelled); reopen it first$", "这个待办不能这样改，请先重新打开", "這個待辦不能這樣改，請先重新開啟"),
        ("^a visit needs the customer \\(or lead\\) to visit$", "拜访需要关联要拜访的客户（或线索）", "拜訪需要關聯要拜訪的客戶（或名單）"),
        ("^must not be after the due time$", "不能晚于截止时间", "不能晚於截止時間"),
        ("^only a visit can be recorded; complete this task instead$", "只有拜访可以记录，请直接完成这个待办", "只有拜訪可以記錄，請直接完成這個待辦"),
        ("^say what the next step is$", "请写明下一步", "請寫明下一步"),
        ("^is required \\(at most 200 characters\\)$", "必填（最多 200 个字）", "必填（最多 200 字）"),
        ("^must be an ISO week such as 2026-W48$", "须为 ISO 周，例如 2026-W48", "須為 ISO 週，例如 2026-W48"),
        ("^at most (\\d+) leads per file$", "每个文件最多 $1 条线索", "每個檔案最多 $1 筆名單"),
        ("^you may not give tasks to or take them from this user$", "你无权把待办分配给此用户或从其名下转出", "你無權把待辦分派給此使用者或從其名下轉出"),
        ("^give both subject_kind and subject_id, or neither$", "关联记录的类型和编号须同时提供", "關聯紀錄的類型和編號須同時提供"),
        ("^must be in the future$", "须为将来的时间", "須為未來的時間"),
    ]

    static let coded: [FieldTranslation] = [
        (.required, "必填", "必填"),
        (.number, "须为数字", "須為數字"),
        (.wholeNumber, "须为整数", "須為整數"),
        (.date, "须为日期（YYYY-MM-DD）", "須為日期（YYYY-MM-DD）"),
        (.dateTime, "须为日期和时间（YYYY-MM-DD HH:MM）", "須為日期和時間（YYYY-MM-DD HH:MM）"),
        (.csvFile, "请选择 CSV 文件", "請選擇 CSV 檔案"),
    ]

    /// Every feature's coded translations by code, and the code of each coded message's text: the
    /// domain still sends text, so a page finds the code from it, then the words from the code.
    static let byCode: [String: (hans: String, hant: String)] = Dictionary(
        Features.all.flatMap(\.fieldMessages).map { ($0.message.code, ($0.hans, $0.hant)) }, uniquingKeysWith: { first, _ in first })
    static let codes: [String: String] = Dictionary(
        Features.all.flatMap(\.fieldMessages).map { ($0.message.text, $0.message.code) }, uniquingKeysWith: { first, _ in first })

    static let compiled: [(NSRegularExpression, String, String)] = Features.all.flatMap(\.messages).map { (try! NSRegularExpression(pattern: $0.pattern), $0.hans, $0.hant) }

    static func localize(_ message: String, _ l: UILocale) -> String {
        guard l != .en else { return message }
        if let code = codes[message], let words = byCode[code] { return l == .zhHant ? words.hant : words.hans }
        let range = NSRange(message.startIndex..., in: message)
        for (re, hans, hant) in compiled where re.firstMatch(in: message, range: range) != nil {
            return re.stringByReplacingMatches(in: message, range: range, withTemplate: l == .zhHant ? hant : hans)
        }
        return message
    }
}
