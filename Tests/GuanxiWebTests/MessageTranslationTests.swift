import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Domain messages: keyed where they are raised, translated by key on pages")
struct MessageTranslationTests {
    static let entries = Features.all.flatMap(\.translations)

    @Test func aLiteralRecordsItsTemplateAsKeyAndItsValuesAsArguments() {
        let raw = "x@", max = 50
        let m: DomainMessage = "'\(raw)' is not a valid email address"
        #expect(m.key == "'{0}' is not a valid email address" && m.arguments == ["x@"] && m.text == "'x@' is not a valid email address")
        // the call sites the domain uses take the message, not a String, for a literal
        guard case .validation(let f) = DomainError.field("tags", "at most \(max) tags") else { Issue.record("not a validation"); return }
        #expect(f["tags"]?.key == "at most {0} tags" && f["tags"]?.arguments == ["50"])
        var e = FieldErrors()
        e.add("name", "is required (at most \(100) characters)")
        #expect(e.messages["name"]?.key == "is required (at most {0} characters)")
        // a sentence that arrives as a String is its own key, so one without variable parts still translates
        let said: String = "the file is empty"
        e.add("file", said)
        #expect(e.messages["file"]?.key == "the file is empty" && Words.all.localize(e.messages["file"]!, .zhHans) == "文件是空的")
        // what the API, logs and stored reports see is the English text, as before
        #expect("\(DomainError.conflict("a \("open") task cannot become \("open"); reopen it first"))" == #"conflict("a open task cannot become open; reopen it first")"#)
        #expect(String(data: try! JSONEncoder().encode(["reason": m]), encoding: .utf8) == #"{"reason":"'x@' is not a valid email address"}"#)
        // and two messages that say the same thing are equal, however they were written
        #expect(DomainError.field("x", "at most \(3) tags") == .field("x", "at most 3 tags"))
    }

    @Test func pagesLookTheKeyUpAndPutTheArgumentsBack() {
        let w = Words.all
        let email = "'abc' is not a valid email address"
        #expect(w.localize("'\("abc")' is not a valid email address", .zhHans) == "「abc」不是有效的邮箱地址")
        #expect(w.localize("'\("abc")' is not a valid email address", .zhHant) == "「abc」不是有效的電子郵件地址")
        #expect(w.localize("'\("abc")' is not a valid email address", .en) == email)
        // two arguments, in the translation's own order
        #expect(w.localize("\("+8613812345678") already belongs to a customer owned by \("张三")", .zhHans) == "+8613812345678 已属于 张三 负责的客户（撞单）")
        // a message no feature translates stays English
        #expect(w.localize("something \("new")", .zhHans) == "something new")
        // coded and shared messages
        #expect(w.localize(.required, .zhHant) == "必填" && w.localize(.lineQuantity, .zhHans) == "须为 1 到 1000000 的整数")
        #expect(w.localize(.longerThan(200), .zhHant) == "超過 200 字")
        #expect(w.localize(.oneOf(TaskStatus.self), .zhHans) == "须为以下之一：open, done, cancelled")
    }

    @Test func aKeyThatNamesAnArgumentsValueWinsOverTheGeneralOne() throws {
        let w = Words.all
        func refusal(_ step: OrderStep, _ s: OrderState) -> DomainMessage? {
            do { try OrderRules.check(step, s); return nil } catch { if case .conflict(let m) = error { return m }; return nil }
        }
        let placed = OrderState(status: .placed, total: 100, netPaid: 0, hasPlan: false, anythingShipped: false)
        let paid = OrderState(status: .paid, total: 100, netPaid: 100, hasPlan: false, anythingShipped: false)
        let shipped = OrderState(status: .shipped, total: 100, netPaid: 100, hasPlan: false, anythingShipped: true)
        // "cannot pay a {1} order: {2}" — paying has its own words, whatever the reason
        #expect(w.localize(try #require(refusal(.pay, paid)), .zhHans) == "这张订单现在不能收款")
        // "cannot cancel a {1} order: money has been received; refund it first"
        #expect(w.localize(try #require(refusal(.cancel, paid)), .zhHans) == "已收到款项，请先退款再取消")
        #expect(w.localize(try #require(refusal(.cancel, shipped)), .zhHant) == "已出貨的訂單不能取消，請改為退貨")
        // "cannot ship a placed order: {2}"
        #expect(w.localize(try #require(refusal(.ship, placed)), .zhHans) == "订单尚未付清：请先记录收款，或约定回款计划后赊销发货")
        // otherwise the general sentence, with the reason as the domain gives it
        #expect(w.localize(try #require(refusal(.deliver, paid)), .zhHans) == "订单当前状态不允许此操作（nothing has been shipped yet）")
        // the same rule for tickets: a closed one, a resolved one, then any other
        #expect(w.localize("a \("closed") ticket cannot become \("new")", .zhHans) == "已关闭的工单只能重新打开")
        #expect(w.localize("a \("resolved") ticket cannot become \("new")", .zhHans) == "已解决的工单只能关闭或重新打开")
        #expect(w.localize("a \("open") ticket cannot become \("new")", .zhHant) == "工單不能改回新建")
        #expect(w.localize("a \("pending") ticket cannot become \("reopened")", .zhHans) == "只有已解决或已关闭的工单才能重新打开")
        // and the tasks' own state machine
        #expect(throws: DomainError.self) { try TaskStatus.done.check(to: .cancelled) }
        do { try TaskStatus.done.check(to: .cancelled) } catch {
            guard case .conflict(let m) = error else { Issue.record("\(error)"); return }
            #expect(w.localize(m, .zhHant) == "這個待辦不能這樣改，請先重新開啟")
        }
    }

    @Test(arguments: Backend.all) func anImportReportKeepsItsReasonsKeysForThePageAndItsTextForTheAPI(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let csv = "name,email\n王小明,not-an-email\n"
            let r = try await env.send(.post, "/api/v1/imports?filename=n.csv", body: Data(csv.utf8), contentType: "text/csv")
            let id = try #require(r.json["id"].string, "\(r.text)")
            let job = try await ListAndImportTests.pollImport(env, id)
            // the API reads as it always has: the English sentence
            #expect(job["report"]["errors"][0]["reason"].string == "'not-an-email' is not a valid email address", "\(job)")
            // the page, reading the stored report later, still has the key to translate it by
            let (jar, _) = try await PageTests().signIn(env)
            let page = try await env.send(.get, "/imports/\(id)", as: .none, headers: jar.merging(["Cookie": jar["Cookie"]! + "; gx_lang=zh-Hant"]) { _, b in b })
            #expect(page.status == .ok && page.text.contains("「not-an-email」不是有效的電子郵件地址"), "\(page.text)")
        }
    }

    @Test func noKeyIsTranslatedTwiceAndTheLanguagesUseTheKeysPlaceholders() {
        var seen: [String: Int] = [:]
        for e in Self.entries { seen[e.key, default: 0] += 1 }
        #expect(seen.filter { $0.value > 1 }.isEmpty, "translated twice: \(seen.filter { $0.value > 1 }.keys.sorted())")
        for e in Self.entries {
            let inKey = Self.placeholders(e.key), hans = Self.placeholders(e.hans), hant = Self.placeholders(e.hant)
            #expect(hans == hant, "\(e.key): 简体 uses \(hans.sorted()), 繁體 \(hant.sorted())")
            #expect(hans.isSubset(of: inKey), "\(e.key): the translation uses \(hans.subtracting(inKey).sorted()), which the key does not have")
        }
    }

    /// Every key a feature translates is a message the code can raise: the template of a string
    /// literal somewhere in `Sources/` (outside the translation tables themselves), or that template
    /// with some of its arguments' values written in. A message reworded or removed without its
    /// translation fails here instead of silently falling back to English.
    @Test func everyTranslatedKeyIsAMessageTheCodeRaises() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var templates = Set<String>()
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains("MessageTranslation") { continue }
            templates.formUnion(Self.literalKeys(text))
        }
        #expect(templates.contains("'{0}' is not a valid email address") && templates.contains("is required"), "the source scan finds nothing")
        let stale = Self.entries.map(\.key).filter { key in !templates.contains(key) && !templates.contains { Self.key(key, fills: $0) } }
        #expect(stale.isEmpty, "translated, but no message in Sources/ says it: \(stale)")
    }

    static func placeholders(_ s: String) -> Set<Int> {
        var out = Set<Int>(), rest = s[...]
        while let open = rest.firstIndex(of: "{") {
            rest = rest[rest.index(after: open)...]
            if let close = rest.firstIndex(of: "}"), let i = Int(rest[..<close]) { out.insert(i) }
        }
        return out
    }

    /// Whether `key` is `template` with some of its placeholders replaced by values.
    static func key(_ key: String, fills template: String) -> Bool {
        let k = Array(key), t = Array(template)
        func match(_ i: Int, _ j: Int) -> Bool {
            if j == t.count { return i == k.count }
            if t[j] == "{", let close = t[j...].firstIndex(of: "}"), Int(String(t[(j + 1)..<close])) != nil {
                let placeholder = t[j...close]
                if k[i...].starts(with: placeholder), match(i + placeholder.count, close + 1) { return true }
                // a value: at least one character
                return i < k.count && (i + 1...k.count).contains { match($0, close + 1) }
            }
            return i < k.count && k[i] == t[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    /// The keys the one-line string literals of a Swift file make (`DomainMessage`'s own
    /// interpolation builds them, so the scan and the code agree on what a key is).
    static func literalKeys(_ source: String) -> [String] {
        var out: [String] = []
        let s = Array(source)
        var i = 0
        // returns the index after the literal's closing quote, and its key (nil: not a one-line literal)
        func literal(from start: Int) -> (Int, String?) {
            var m = DomainMessage.Interpolation(literalCapacity: 0, interpolationCount: 0)
            var j = start, text = ""
            while j < s.count {
                switch s[j] {
                case "\n": return (j, nil)
                case "\"":
                    m.appendLiteral(text)
                    return (j + 1, DomainMessage(stringInterpolation: m).key)
                case "\\" where j + 1 < s.count && s[j + 1] == "(":
                    m.appendLiteral(text); text = ""
                    var depth = 1
                    j += 2
                    while j < s.count && depth > 0 {
                        if s[j] == "\"" { j = literal(from: j + 1).0; continue }
                        if s[j] == "(" { depth += 1 } else if s[j] == ")" { depth -= 1 }
                        j += 1
                    }
                    m.appendInterpolation("")
                case "\\" where j + 1 < s.count:
                    let escaped: [Character: Character] = ["n": "\n", "t": "\t", "0": "\0", "r": "\r"]
                    text.append(escaped[s[j + 1]] ?? s[j + 1]); j += 2
                default:
                    text.append(s[j]); j += 1
                }
            }
            return (j, nil)
        }
        while i < s.count {
            if s[i] == "/" && i + 1 < s.count && s[i + 1] == "/" {
                while i < s.count && s[i] != "\n" { i += 1 }
            } else if s[i...].starts(with: "\"\"\"") {
                i += 3
                while i < s.count && !s[i...].starts(with: "\"\"\"") { i += 1 }
                i += 3
            } else if s[i] == "#" && i + 1 < s.count && s[i + 1] == "\"" {
                i += 2
                while i + 1 < s.count && !(s[i] == "\"" && s[i + 1] == "#") { i += 1 }
                i += 2
            } else if s[i] == "\"" {
                let (next, key) = literal(from: i + 1)
                if let key { out.append(key) }
                i = next
            } else {
                i += 1
            }
        }
        return out
    }
}
