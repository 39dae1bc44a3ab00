import Foundation
import Mustache

/// Makes swift-mustache cheaper per look-up (measured: its dynamic casts and per-character escaping
/// were most of a page's CPU): page models are wrapped in a non-generic class the runtime checks
/// quickly, and HTML is escaped byte by byte, returning the string untouched when nothing needs it.
package enum Rendering {
    package static let contentType = "GX_HTML"
    package static let registered: Void = MustacheContentTypes.register(FastHTML(), named: contentType)

    /// The template with the fast escaper selected.
    package static func prepare(_ template: String) -> String {
        _ = registered
        return "{{% CONTENT_TYPE: \(contentType)}}" + template
    }

    /// Replaces dictionaries (at any depth) with `Node`s.
    package static func wrap(_ value: Any) -> Any {
        switch value {
        case let d as [String: Any]: return Node(d.mapValues(wrap))
        case let a as [Any]: return a.map(wrap)
        default: return value
        }
    }

    /// Immutable once made (a page's model, or a language's words shared by every page).
    package final class Node: MustacheParent, @unchecked Sendable {
        package let values: [String: Any]
        package init(_ values: [String: Any]) { self.values = values }
        package func child(named name: String) -> Any? { values[name] }
    }

    package struct FastHTML: MustacheContentType {
        package init() {}
        package func escapeText(_ text: String) -> String {
            var needs = false
            for b in text.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 { needs = true; break }
            guard needs else { return text }
            var out = [UInt8]()
            out.reserveCapacity(text.utf8.count + 16)
            for b in text.utf8 {
                switch b {
                case 0x26: out += Array("&amp;".utf8)
                case 0x3C: out += Array("&lt;".utf8)
                case 0x3E: out += Array("&gt;".utf8)
                case 0x22: out += Array("&quot;".utf8)
                case 0x27: out += Array("&#39;".utf8)
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
