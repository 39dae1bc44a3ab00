/// Folds full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space
/// (U+3000) to their ASCII counterparts.
///
/// Chinese input methods happily produce `＠`, `．`, `１３８` or `（０１０）` when the
/// user forgets to switch modes, so every identity and search path folds first.
enum WidthFolding {
    /// Returns `s` with full-width ASCII and U+3000 folded to half-width.
    static func fold(_ s: String) -> String {
        // Fast path: nothing to fold in pure-ASCII text, which is the common case.
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            out.append(fold(scalar))
        }
        return String(out)
    }

    /// Folds one scalar; everything outside the full-width block passes through.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        if v >= 0xFF01 && v <= 0xFF5E {
            return Unicode.Scalar(v - 0xFEE0)!
        }
        if v == 0x3000 { return " " }
        return scalar
    }
}
