import Foundation
import GuanxiCore
import Synchronization

/// Numbers, money and dates as each page language writes them. One place, so every page agrees.
/// Money arrives as exact integer minor units with its ISO currency code and is never
/// converted through floating point.
package struct Formats {
    package let locale: UILocale

    /// 1234567 → "1,234,567" (all three languages group by thousands with a comma).
    package func number(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
    package func number(_ n: Int) -> String { number(Int64(n)) }

    /// A decimal with up to `digits` fraction digits, trailing zeros dropped: 1234.5 → "1,234.5".
    package func decimal(_ d: Double, digits: Int = 2) -> String {
        var unit: Int64 = 1
        for _ in 0..<digits { unit *= 10 }
        guard d.isFinite, d.magnitude * Double(unit) < 9e18 else { return String(d) }
        let scaled = Int64((d.magnitude * Double(unit)).rounded())
        var frac = String(scaled % unit)
        frac = String(repeating: "0", count: digits - frac.count) + frac
        while frac.last == "0" { frac.removeLast() }
        let sign = d < 0 && scaled != 0 ? "-" : ""
        return sign + number(scaled / unit) + (frac.isEmpty ? "" : "." + frac)
    }

    /// ISO 4217 minor-unit digits for the currencies Guanxi's users trade in (default 2).
    package static func minorDigits(_ currency: String) -> Int {
        switch currency.uppercased() { case "JPY", "KRW", "VND": 0; case "BHD", "KWD", "OMR": 3; default: 2 }
    }

    /// The currency sign a reader of this language expects: ¥ for renminbi on Simplified pages,
    /// NT$ for New Taiwan dollars, $ for US dollars on English pages (US$ on Chinese ones).
    package func symbol(_ currency: String) -> String {
        switch (currency.uppercased(), locale) {
        case ("CNY", .zhHans): "¥"
        case ("CNY", _): "CN¥"
        case ("TWD", _): "NT$"
        case ("USD", .en): "$"
        case ("USD", _): "US$"
        case ("HKD", _): "HK$"
        case ("EUR", _): "€"
        case ("GBP", _): "£"
        case ("JPY", .en): "¥"
        case ("JPY", _): "JP¥"
        case (let code, _): code + " "
        }
    }

    /// 123450 CNY → "¥1,234.50"; -500 USD → "-$5.00".
    package func money(minor: Int64, currency: String) -> String {
        let digits = Self.minorDigits(currency)
        var unit: Int64 = 1
        for _ in 0..<digits { unit *= 10 }
        let m = minor.magnitude, u = UInt64(unit)
        let whole: String = number(Int64(m / u))
        var frac = ""
        if digits > 0 {
            let f = String(m % u)
            frac = "." + String(repeating: "0", count: digits - f.count) + f
        }
        let sign = minor < 0 ? "-" : ""
        return sign + symbol(currency) + whole + frac
    }

    /// Date and time in the workspace's time zone, e.g. "2026年11月30日 19:05" or "Nov 30, 2026, 7:05 PM".
    package func dateTime(_ d: Date, timeZone: String) -> String { Self.formatter(locale, timeZone).string(from: d) }

    /// A span of time to the minute, as a countdown reads it: "2天3小时", "1小时20分", "15分钟"
    /// (繁體 "1小時20分", "15分鐘"; English "2 d 3 h", "1 h 20 min", "15 min"); under a minute
    /// "不到1分钟" / "<1 min". Days drop the minutes and hours drop nothing; zero parts are left out.
    package func duration(seconds: Int) -> String {
        let minutes = max(seconds, 0) / 60
        let (d, h, m) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60)
        let (day, hour, minute, alone, under): (String, String, String, String, String) = switch locale {
        case .zhHans: ("天", "小时", "分", "分钟", "不到1分钟")
        case .zhHant: ("天", "小時", "分", "分鐘", "不到1分鐘")
        case .en: (" d", " h", " min", " min", "<1 min")
        }
        let gap = locale == .en ? " " : ""
        func part(_ n: Int, _ unit: String) -> String? { n > 0 ? String(n) + unit : nil }
        if d > 0 { return [part(d, day), part(h, hour)].compactMap { $0 }.joined(separator: gap) }
        if h > 0 { return [part(h, hour), part(m, minute)].compactMap { $0 }.joined(separator: gap) }
        return m > 0 ? String(m) + alone : under
    }

    // MARK: Days, months, weeks and phone numbers as people read them

    static let monthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// A calendar day kept as `YYYY-MM-DD` (a close date, a due date, a birthday): "2026年12月31日",
    /// "Dec 31, 2026". Anything that is not such a day is shown as it is.
    package func day(_ iso: String) -> String {
        let p = iso.split(separator: "-")
        guard iso.count == 10, p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d) else { return iso }
        return locale == .en ? "\(Self.monthsShort[m - 1]) \(d), \(y)" : "\(y)年\(m)月\(d)日"
    }

    /// A day without its year, for ranges inside one heading: "12月31日", "Dec 31".
    func shortDay(_ y: Int, _ m: Int, _ d: Int) -> String {
        locale == .en ? "\(Self.monthsShort[m - 1]) \(d)" : "\(m)月\(d)日"
    }

    /// A month kept as `YYYY-MM`: "2026年12月", "December 2026"; anything else as it is.
    package func month(_ key: String) -> String {
        let p = key.split(separator: "-")
        guard key.count == 7, p.count == 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return key }
        return locale == .en ? "\(Self.monthsLong[m - 1]) \(y)" : "\(y)年\(m)月"
    }

    /// The same month short, for a chart's axis: "2026年12月", "Dec 2026".
    package func shortMonth(_ key: String) -> String {
        let p = key.split(separator: "-")
        guard key.count == 7, p.count == 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return key }
        return locale == .en ? "\(Self.monthsShort[m - 1]) \(y)" : "\(y)年\(m)月"
    }

    /// An ISO week kept as `YYYY-Www`, with its Monday-to-Sunday days: "2026年第49周（11月30日–12月6日）",
    /// "Week 49, 2026 (Nov 30 – Dec 6)"; anything else as it is.
    package func week(_ key: String) -> String {
        let p = key.split(separator: "-")
        guard p.count == 2, let y = Int(p[0]), p[1].first == "W", let w = Int(p[1].dropFirst()), (1...53).contains(w) else { return key }
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let monday = cal.date(from: DateComponents(weekday: 2, weekOfYear: w, yearForWeekOfYear: y)),
              let sunday = cal.date(byAdding: .day, value: 6, to: monday) else { return key }
        let a = cal.dateComponents([.year, .month, .day], from: monday), b = cal.dateComponents([.year, .month, .day], from: sunday)
        let range = shortDay(a.year!, a.month!, a.day!) + (locale == .en ? " – " : "–") + shortDay(b.year!, b.month!, b.day!)
        return switch locale {
        case .zhHans: "\(y)年第\(w)周（\(range)）"
        case .zhHant: "\(y)年第\(w)週（\(range)）"
        case .en: "Week \(w), \(y) (\(range))"
        }
    }

    /// A phone number kept as E.164, grouped for reading. Numbers of the reader's own region read
    /// as they are dialled there (a Simplified Chinese page: 138 1234 5678, 010 8888 6666; a
    /// Traditional one: 0912 345 678), the rest with their country code (+86 138 1234 5678,
    /// +852 9123 4567, +1 415 555 0100). What is not E.164 (a masked number) is shown as it is.
    package func phone(_ e164: String) -> String {
        guard e164.first == "+", e164.dropFirst().allSatisfy(\.isASCII), e164.dropFirst().allSatisfy(\.isNumber) else { return e164 }
        let digits = Array(e164.dropFirst())
        func groups(_ d: ArraySlice<Character>, _ sizes: [Int]) -> String {
            var out: [String] = [], i = d.startIndex
            for (n, size) in sizes.enumerated() {
                guard i < d.endIndex else { break }
                let end = n == sizes.count - 1 ? d.endIndex : min(i + size, d.endIndex)
                out.append(String(d[i..<end])); i = end
            }
            return out.joined(separator: " ")
        }
        let s = String(digits)
        if s.hasPrefix("86") {
            let n = digits.dropFirst(2)
            let national: String
            var trunk = "0"
            if n.count == 11 && n.first == "1" { national = groups(n, [3, 4, 4]); trunk = "" }
            else if n.count == 10 && (n.starts(with: ["4", "0", "0"]) || n.starts(with: ["8", "0", "0"])) { national = groups(n, [3, 3, 4]); trunk = "" }
            else if n.first == "1" || n.first == "2" { national = groups(n, [2, 4, 4]) }   // 10, 2x: two-digit area codes
            else { national = groups(n, [3, 4, 4]) }
            return locale == .zhHans ? trunk + national : "+86 " + national
        }
        if s.hasPrefix("886") {
            let n = digits.dropFirst(3)
            let mobile = n.first == "9"
            let national = mobile ? groups(n, [3, 3, 3]) : groups(n, [1, 4, 4])
            return locale == .zhHant ? "0" + national : "+886 " + national
        }
        if s.hasPrefix("852") || s.hasPrefix("853") { return "+" + s.prefix(3) + " " + groups(digits.dropFirst(3), [4, 4]) }
        if s.hasPrefix("1") && digits.count == 11 { return "+1 " + groups(digits.dropFirst(1), [3, 3, 4]) }
        return e164
    }

    /// Formatters are costly to make and safe to share once configured: one per language and time zone.
    package static func formatter(_ locale: UILocale, _ timeZone: String) -> DateFormatter {
        formatters.withLock { cache in
            let key = locale.rawValue + "|" + timeZone
            if let f = cache[key] { return f }
            let f = DateFormatter()
            f.locale = locale.formatLocale
            f.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")
            f.dateStyle = .medium; f.timeStyle = .short
            cache[key] = f
            return f
        }
    }
    static let formatters = Mutex<[String: DateFormatter]>([:])

    /// Full-width digits and points typed with Chinese input methods as their ASCII twins, trimmed.
    package static func halfWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            (0xFF10...0xFF19).contains(u.value) || u.value == 0xFF0E ? Unicode.Scalar(u.value - 0xFEE0)! : u
        })).trimmingCharacters(in: .whitespaces)
    }
}

extension Formats {
    /// "1,234.5" in the currency's units → exact minor units; refuses more decimals than the currency has.
    package static func money(_ text: String, currency: String) throws(DomainError) -> Money {
        guard let code = Money.currencyCode(currency) else { throw DomainError.field("currency", "must be an ISO 4217 code such as CNY, TWD or USD") }
        let digits = Formats.minorDigits(code)
        let t = Formats.halfWidth(text).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return Money(minor: 0, currency: code) }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, parts.count == 1 || (parts[1].count <= digits && parts[1].allSatisfy(\.isASCII)),
              let frac = parts.count == 2 ? Int64(parts[1].isEmpty ? "0" : String(parts[1]) + String(repeating: "0", count: digits - parts[1].count)) : 0
        else { throw DomainError.field("amount", .number) }
        var unit: Int64 = 1
        for _ in 0..<digits { unit *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: unit)
        let (sum, o2) = m.addingReportingOverflow(frac)
        guard !o1, !o2 else { throw DomainError.field("amount", .number) }
        return Money(minor: sum, currency: code)
    }

    package static func plain(_ m: Money) -> String {
        let digits = Formats.minorDigits(m.currency)
        guard digits > 0 else { return String(m.minor) }
        var unit: Int64 = 1
        for _ in 0..<digits { unit *= 10 }
        let frac = String(m.minor % unit)
        return "\(m.minor / unit)." + String(repeating: "0", count: digits - frac.count) + frac
    }
}
