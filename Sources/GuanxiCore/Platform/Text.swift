import Foundation

/// Text as every feature stores it.
package enum Text {
    /// Trims and collapses control characters, so stored text never carries invisible junk.
    package static func clean(_ s: String) -> String {
        // Fast path (almost every value): no control characters (0xC2 also covers U+0080–U+009F)
        // and no white space at either end.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }),
           let f = s.unicodeScalars.first, let l = s.unicodeScalars.last,
           !f.properties.isWhitespace, !l.properties.isWhitespace { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) || $0 == "\n" }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// At most `n` characters (a text of at most `n` bytes is not counted: counting characters is slow).
    package static func cut(_ s: String, _ n: Int) -> String { s.utf8.count <= n || s.count <= n ? s : String(s.prefix(n)) }
}
