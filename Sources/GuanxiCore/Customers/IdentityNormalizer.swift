/// Canonical forms for the identifiers Guanxi uses to recognise the same customer
/// across imports: e-mail addresses, phone numbers (E.164), WeChat IDs and
/// namespaced external IDs.
///
/// Every function returns `nil` when the input is not plausible, so callers can
/// treat `nil` as "do not use this value for matching" rather than storing junk
/// that would later produce false duplicates.
package enum IdentityNormalizer {
    // MARK: - E-mail

    /// Normalises an e-mail address to lowercase and validates a practical shape.
    ///
    /// Full-width characters (`＠`, `．`) and the ideographic full stop `。` are folded
    /// first, a leading `mailto:` is dropped, and the result must look like
    /// `local@domain.tld`: exactly one `@`, no whitespace, a local part of at most
    /// 64 characters without leading/trailing/double dots, a domain of ASCII
    /// labels with at least one dot and an alphabetic TLD, and at most 254
    /// characters overall. Full RFC 5322 syntax (quoted locals, IP literals) is
    /// deliberately rejected: such addresses are almost always typos in CRM data.
    ///
    /// - Returns: the lowercased address, or `nil` when invalid.
    package static func email(_ raw: String) -> String? {
        var s = WidthFolding.fold(raw)
        if s.contains("。") { s = s.replacingAll("。", with: ".") }
        s = s.trimmed().lowercased()
        if s.hasPrefix("mailto:") { s.removeFirst(7) }
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 254 else { return nil }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")),
              bytes.lastIndex(of: UInt8(ascii: "@")) == at else { return nil }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard isValidLocal(local), isValidDomain(domain) else { return nil }
        return s
    }

    private static func isValidLocal(_ local: ArraySlice<UInt8>) -> Bool {
        guard !local.isEmpty, local.count <= 64 else { return false }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for b in local {
            let isDot = b == UInt8(ascii: ".")
            if isDot && previousDot { return false }
            previousDot = isDot
            if isAlnum(b) || isDot { continue }
            // RFC 5322 atext specials; whitespace, quotes, commas and brackets are not allowed.
            switch b {
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
                 UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"),
                 UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"),
                 UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    private static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        guard domain.count >= 3, domain.count <= 253 else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63 else { return false }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        // A TLD is alphabetic (or an IDN "xn--" label); all-numeric means an IP or a typo.
        let tld = labels.last!
        let isPunycode = tld.starts(with: "xn--".utf8)
        guard tld.count >= 2, isPunycode || tld.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            return false
        }
        return true
    }

    @inline(__always)
    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    // MARK: - Phone

    /// Normalises a phone number to E.164 (`+8613812345678`).
    ///
    /// Accepts the formats found in Chinese and international CRM exports:
    /// spaces, dashes, dots, slashes and (full-width) parentheses as separators;
    /// full-width digits; `+86`, `0086` or a bare `86` in front of a mainland
    /// mobile; plain mainland mobiles (`1[3-9]` + 9 digits); mainland landlines
    /// with area code (`010-12345678`, `0755 1234 5678`); 400/800 service numbers;
    /// Hong Kong (`+852` + 8 digits); Taiwan (`+886`, mobile `09xxxxxxxx`);
    /// US/Canada (`+1` + 10 digits, or 10 bare digits starting 2–9); and any other
    /// explicit `+CC…`/`00CC…` of 8–15 digits. Extension suffixes (`x123`,
    /// `ext. 123`, `转123`, `轉123`, `分机123`, `#123`) are dropped because an
    /// extension does not identify a person.
    ///
    /// - Parameter defaultCountryCode: country code assumed for numbers written
    ///   without one, digits only (e.g. `"86"`, `"852"`, `"1"`).
    /// - Returns: the E.164 string, or `nil` when the input is not a plausible phone.
    package static func phone(_ raw: String, defaultCountryCode: String = "86") -> String? {
        let folded = stripPhoneLabel(WidthFolding.fold(raw).trimmed())
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var hasPlus = false
        var sawDigit = false
        scan: for scalar in folded.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value))
                sawDigit = true
            case "+":
                // A plus is only meaningful before the first digit.
                if sawDigit || hasPlus { return nil }
                hasPlus = true
            case " ", "-", ".", "(", ")", "/", "\t", "\u{00A0}", "\u{2013}", "\u{2014}", "\u{2212}":
                continue
            case "x", "X", "e", "E", "#", "转", "轉", "分", ",", ";", "~", "*":
                // Extension / alternative-number markers: keep what came before.
                if !sawDigit { return nil }
                break scan
            default:
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        let defaultCC = Array(defaultCountryCode.utf8.filter { $0 >= 0x30 && $0 <= 0x39 })

        if hasPlus {
            return international(digits)
        }
        if digits.starts(with: [0x30, 0x30]) {
            // 00 is the international call prefix in China and most of the world.
            return international(Array(digits.dropFirst(2)))
        }
        if defaultCC == Array("1".utf8), digits.count == 11, digits[0] == UInt8(ascii: "1") {
            return international(digits)
        }
        // Mainland mobile, with or without a bare "86" in front.
        if isMainlandMobile(digits[...]) { return e164("86", digits[...]) }
        if digits.count == 13, digits.starts(with: Array("86".utf8)), isMainlandMobile(digits.dropFirst(2)) {
            return e164("86", digits.dropFirst(2))
        }
        // Bare "852"/"886" prefixes are unambiguous: no mainland number starts that way with this length.
        if digits.count == 11, digits.starts(with: Array("852".utf8)), isHongKong(digits.dropFirst(3)) {
            return e164("852", digits.dropFirst(3))
        }
        if digits.count == 12, digits.starts(with: Array("8869".utf8)) {
            return e164("886", digits.dropFirst(3))
        }
        // Taiwan mobile 09xxxxxxxx: a 10-digit number cannot be a mainland landline.
        if digits.count == 10, digits.starts(with: Array("09".utf8)) {
            return e164("886", digits.dropFirst(1))
        }
        if defaultCC == Array("86".utf8) {
            if digits[0] == UInt8(ascii: "0"), let national = mainlandLandline(digits.dropFirst()) {
                return e164("86", national)
            }
            if isMainlandServiceNumber(digits[...]) { return e164("86", digits[...]) }
            // 10 digits starting 2–9 are not a mainland format: North American.
            if digits.count == 10, digits[0] >= UInt8(ascii: "2"), digits[3] >= UInt8(ascii: "2") {
                return e164("1", digits[...])
            }
            return nil
        }
        // Any other default country: drop a trunk "0" and trust the length check.
        var national = digits[...]
        if national.first == UInt8(ascii: "0") { national = national.dropFirst() }
        return international(defaultCC + Array(national))
    }

    /// Drops a leading "tel:", "Mobile:", "手机：" style label copied along with the number.
    private static func stripPhoneLabel(_ s: String) -> String {
        let labels = ["tel", "phone", "mobile", "cell", "手机号码", "手机号", "手机", "手機", "电话", "電話"]
        let lower = s.lowercased()
        for label in labels where lower.hasPrefix(label) {
            var rest = Substring(s.unicodeScalars.dropFirst(label.unicodeScalars.count))
            while let c = rest.first, c == ":" || c == "：" || c == " " || c == "." { rest = rest.dropFirst() }
            return String(rest)
        }
        return s
    }

    /// Validates a number given with an explicit country code (digits after `+`/`00`).
    private static func international(_ digits: [UInt8]) -> String? {
        guard digits.count >= 8, digits.count <= 15, digits.first != UInt8(ascii: "0") else { return nil }
        if digits.starts(with: Array("86".utf8)) {
            var national = digits.dropFirst(2)
            // "+86 (0)10 …" style: the trunk zero is not dialled from abroad.
            if national.first == UInt8(ascii: "0") { national = national.dropFirst() }
            if isMainlandMobile(national) || isMainlandServiceNumber(national) { return e164("86", national) }
            if let landline = mainlandLandline(national) { return e164("86", landline) }
            return nil
        }
        if digits.starts(with: Array("852".utf8)) {
            let national = digits.dropFirst(3)
            return isHongKong(national) ? e164("852", national) : nil
        }
        if digits.starts(with: Array("886".utf8)) {
            var national = digits.dropFirst(3)
            if national.first == UInt8(ascii: "0") { national = national.dropFirst() }
            // Mobiles are 9 + 8 digits; landlines 8–9 digits including the area code.
            guard national.count == 8 || national.count == 9, national.first != UInt8(ascii: "0") else { return nil }
            return e164("886", national)
        }
        if digits.first == UInt8(ascii: "1") {
            // NANP: area code and exchange both start 2–9.
            let national = digits.dropFirst(1)
            guard national.count == 10,
                  national[national.startIndex] >= UInt8(ascii: "2"),
                  national[national.startIndex + 3] >= UInt8(ascii: "2") else { return nil }
            return e164("1", national)
        }
        return "+" + String(decoding: digits, as: UTF8.self)
    }

    private static func isMainlandMobile(_ d: ArraySlice<UInt8>) -> Bool {
        guard d.count == 11, d.first == UInt8(ascii: "1") else { return false }
        let second = d[d.startIndex + 1]
        return second >= UInt8(ascii: "3") && second <= UInt8(ascii: "9")
    }

    /// 400/800 nationwide service numbers (10 digits, no area code).
    private static func isMainlandServiceNumber(_ d: ArraySlice<UInt8>) -> Bool {
        d.count == 10 && (d.starts(with: Array("400".utf8)) || d.starts(with: Array("800".utf8)))
    }

    /// Validates a mainland landline given without its trunk zero
    /// (`10 12345678`, `755 12345678`, `571 8765432`) and returns it unchanged.
    private static func mainlandLandline(_ d: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let first = d.first, first != UInt8(ascii: "0"), first != UInt8(ascii: "1") || d.starts(with: [0x31, 0x30]) else {
            return nil
        }
        // Two-digit area codes: 10 (Beijing) and 2x (Shanghai, Guangzhou, …) with 8-digit subscribers.
        let twoDigitArea = first == UInt8(ascii: "1") || first == UInt8(ascii: "2")
        let subscriberLength = d.count - (twoDigitArea ? 2 : 3)
        guard twoDigitArea ? subscriberLength == 8 : (subscriberLength == 7 || subscriberLength == 8) else { return nil }
        // Real subscriber numbers start with 2–9, but "12345678"-style placeholders are
        // common in spreadsheets and the spec treats them as valid; only reject a 0.
        guard d[d.startIndex + (twoDigitArea ? 2 : 3)] != UInt8(ascii: "0") else { return nil }
        return d
    }

    /// Hong Kong numbers are 8 digits starting 2, 3 (fixed) or 4–9 (mobile, pager).
    private static func isHongKong(_ d: ArraySlice<UInt8>) -> Bool {
        guard d.count == 8, let first = d.first else { return false }
        return first >= UInt8(ascii: "2")
    }

    private static func e164(_ cc: String, _ national: ArraySlice<UInt8>) -> String {
        "+" + cc + String(decoding: national, as: UTF8.self)
    }

    /// The digits of a phone number, for "last digits" search (`+86138…` → `86138…`).
    package static func phoneDigits(_ e164: String) -> String {
        String(decoding: e164.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
    }

    // MARK: - WeChat and external IDs

    /// Validates a WeChat ID: 6–64 characters of `[A-Za-z0-9_-]` after trimming.
    ///
    /// Case is preserved because WeChat treats IDs case-sensitively for display,
    /// and a lowercased ID pasted back into WeChat would look wrong to the user.
    package static func wechatID(_ raw: String) -> String? {
        let s = WidthFolding.fold(raw).trimmed()
        let bytes = s.utf8
        guard bytes.count >= 6, bytes.count <= 64 else { return nil }
        for b in bytes {
            let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            if !ok { return nil }
        }
        return s
    }

    /// Validates a namespaced external ID such as `("shopify", "1234567")`.
    ///
    /// The namespace is trimmed and lowercased and must match `[a-z0-9_.-]{1,40}`
    /// so it can safely appear in URLs and `namespace:value` export cells; the value
    /// is trimmed, must be non-empty and at most 200 characters, and keeps its case
    /// because foreign systems often use case-sensitive keys.
    package static func externalID(namespace: String, value: String) -> (namespace: String, value: String)? {
        let ns = namespace.trimmed().lowercased()
        guard !ns.isEmpty, ns.utf8.count <= 40 else { return nil }
        for b in ns.utf8 {
            let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            if !ok { return nil }
        }
        let v = value.trimmed()
        guard !v.isEmpty, v.count <= 200 else { return nil }
        return (ns, v)
    }
}

extension String {
    /// Trims Unicode whitespace and newlines (including U+3000) from both ends.
    package func trimmed() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if start == scalars.startIndex && end == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[start...end])
    }

    /// Replaces every occurrence of `target` (stdlib-only, no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
