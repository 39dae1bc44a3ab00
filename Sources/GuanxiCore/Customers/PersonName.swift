/// A person's name from separate family and given parts, in the order the name's own culture
/// writes it: Chinese, Japanese and Korean names family-first with no space (王 + 小明 → 王小明),
/// others given-first with a space (Ada + Lovelace → Ada Lovelace). Guanxi stores the result as
/// the one display name and never reorders it afterwards, whatever the reader's language.
package enum PersonName {
    package static func compose(family: String?, given: String?) -> String? {
        let f = family?.trimmingCharacters(in: .whitespaces) ?? "", g = given?.trimmingCharacters(in: .whitespaces) ?? ""
        if f.isEmpty { return g.isEmpty ? nil : g }
        if g.isEmpty { return f }
        return isEastAsian(f) || isEastAsian(g) ? f + g : g + " " + f
    }

    /// True when the text holds a Han, kana or Hangul character.
    package static func isEastAsian(_ s: String) -> Bool {
        s.unicodeScalars.contains { u in
            switch u.value {
            case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
            default: false
            }
        }
    }
}
