/// Text preparation for customer search.
///
/// SQLite FTS5's trigram tokenizer cannot match queries shorter than three
/// characters, yet Chinese users search for two-character names (王芳) or a
/// single surname. Guanxi therefore keeps a second index of CJK bigrams built
/// by `bigramDocument`, queried with `bigramQuery`, next to the trigram index
/// fed with `foldForIndex`.
package enum SearchText {
    /// Maximum query length in characters; longer input is cut to keep SQL cheap.
    package static let maxQueryLength = 100

    /// Whether `scalar` is a CJK ideograph (URO, Ext A–I, compatibility), kana or hangul.
    package static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF,   // CJK Unified Ideographs
             0x3400...0x4DBF,   // Extension A
             0x20000...0x323AF, // Extensions B–H (supplementary planes)
             0x2EBF0...0x2EE5F, // Extension I
             0xF900...0xFAFF,   // Compatibility Ideographs
             0x2F800...0x2FA1F, // Compatibility Ideographs Supplement
             0x3005, 0x3007,    // 々 (iteration mark) and 〇 (ideographic zero) occur in names
             0x3040...0x309F,   // Hiragana
             0x30A0...0x30FF,   // Katakana
             0x31F0...0x31FF,   // Katakana Phonetic Extensions
             0xFF66...0xFF9D,   // Half-width Katakana
             0x1100...0x11FF,   // Hangul Jamo
             0x3130...0x318F,   // Hangul Compatibility Jamo
             0xAC00...0xD7AF:   // Hangul Syllables
            return true
        default:
            return false
        }
    }

    /// Builds the bigram index text for a document.
    ///
    /// Each maximal run of CJK characters contributes every adjacent pair, or the
    /// character itself when the run has length one. Non-CJK text is dropped (the
    /// trigram index covers it). Tokens are space-separated, duplicates removed,
    /// first occurrence order kept: "王小明 Acme 上海华为" → "王小 小明 上海 海华 华为".
    /// With `runEnds`, each run's last character is a token too ("王小 小明 明"), so that a
    /// one-character prefix query (`明*`) finds every character of the text, not only those a
    /// pair starts with: what ticket search needs, where one character can be anywhere.
    package static func bigramDocument(_ text: String, runEnds: Bool = false) -> String {
        var tokens: [String] = []
        var seen = Set<String>()
        var run: [Unicode.Scalar] = []

        func flush() {
            defer { run.removeAll(keepingCapacity: true) }
            if run.count == 1 {
                emit(String(run[0]))
                return
            }
            var i = 0
            while i + 1 < run.count {
                var pair = String.UnicodeScalarView()
                pair.append(run[i])
                pair.append(run[i + 1])
                emit(String(pair))
                i += 1
            }
            if runEnds { emit(String(run[run.count - 1])) }
        }
        func emit(_ token: String) {
            if seen.insert(token).inserted { tokens.append(token) }
        }

        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                run.append(scalar)
            } else if !run.isEmpty {
                flush()
            }
        }
        if !run.isEmpty { flush() }
        return tokens.joined(separator: " ")
    }

    /// Tokens for querying the bigram index, or `nil` when the trigram index should be used.
    ///
    /// Only a trimmed query of one or two CJK characters qualifies: two characters
    /// are one bigram token; one character is returned as-is and means a prefix
    /// match (`王*`), which finds both unigram tokens and bigrams starting with it.
    package static func bigramQuery(_ query: String) -> [String]? {
        let q = query.trimmed()
        let scalars = q.unicodeScalars
        let count = scalars.count
        guard count == 1 || count == 2, scalars.allSatisfy(isCJK) else { return nil }
        return [q]
    }

    /// Normalises a user's search input: trims, folds full-width ASCII to
    /// half-width, collapses whitespace runs to one space, lowercases, and caps
    /// the length at `maxQueryLength` characters.
    /// The text without control characters (NUL ends an FTS5 query and PostgreSQL refuses it in text).
    package static func withoutControls(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    package static func normalizeQuery(_ q: String) -> String {
        let folded = foldForIndex(withoutControls(q))
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        var length = 0
        for ch in folded {
            if ch.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                if length + 1 >= maxQueryLength { break }
                out.append(" ")
                length += 1
                pendingSpace = false
            }
            if length >= maxQueryLength { break }
            out.append(ch)
            length += 1
        }
        return out
    }

    /// Folds document text for the trigram index the same way queries are
    /// folded (lowercase, full-width → half-width), so search is case- and
    /// width-insensitive.
    package static func foldForIndex(_ s: String) -> String {
        WidthFolding.fold(s).lowercased()
    }
}
