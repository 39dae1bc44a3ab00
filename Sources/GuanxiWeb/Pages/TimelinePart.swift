import Foundation
import Hummingbird
import HTTPTypes
import Mustache
import GuanxiCore
import GuanxiStore

extension Pages {
    /// Timeline entries (a customer's or a lead's) as the page shows them.
    package func timelineModel(_ items: [TimelineEntry], _ v: PageContext, _ f: DateFormatter) -> [[String: Any]] {
        let t = { (k: String) in v.text(k) }
        return items.map { e in
            let label: String = switch e.kind {
            case .created where e.data?["channel"] != nil: t("event_lead_captured")
            case .note: t("note")
            case .interaction: e.channel.map { t($0 == .email ? "email_kind" : $0.rawValue) } ?? t("note")
            default: t("event_" + e.kind.rawValue)
            }
            var detail = e.body ?? ""
            if e.kind == .stageChanged, let to = e.data?["to"]?.stringValue, let s = LifecycleStage(rawValue: to) { detail = v.stage(s) }
            if e.kind == .tierChanged { detail = e.data?["to"]?.stringValue ?? "" }
            if e.kind == .dealOpened || e.kind == .dealMoved {
                var amount: String?
                if case .number(let n)? = e.data?["amount_minor"] { amount = v.fmt.money(minor: Int64(n), currency: e.data?["currency"]?.stringValue ?? "CNY") }
                detail = [e.data?["name"]?.stringValue, e.data?["to"]?.stringValue ?? e.data?["stage"]?.stringValue, amount, e.data?["reason"]?.stringValue]
                    .compactMap { $0 }.joined(separator: " · ")
            }
            if e.kind == .order || e.kind == .quote, let step = e.data?["step"]?.stringValue {
                // "SO-2026-000012 · 发货 · ¥1,234.00 · 顺丰速运 SF123…"
                var amount: String?
                if case .number(let n)? = e.data?["amount_minor"] ?? e.data?["total_minor"] {
                    amount = v.fmt.money(minor: Int64(n), currency: e.data?["currency"]?.stringValue ?? "CNY")
                }
                detail = [e.data?["number"]?.stringValue, t("audit_" + step), amount, e.data?["carrier"]?.stringValue,
                          e.data?["tracking_number"]?.stringValue, e.data?["reason"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
            }
            if e.kind == .converted {
                detail = [e.data?["source"], e.data?["campaign"], e.data?["utm_campaign"]].compactMap { $0?.stringValue }.joined(separator: " · ")
            }
            if e.kind == .created, let channel = e.data?["channel"]?.stringValue {
                detail = t("channel_" + channel) + (e.data?["source"]?.stringValue.map { " · " + $0 } ?? "")
            }
            if e.kind == .statusChanged, let to = e.data?["to"]?.stringValue {
                detail = t("lead_status_" + to) + (e.data?["reason"]?.stringValue.map { "：" + $0 } ?? "")
            }
            if e.kind == .taskCreated || e.kind == .taskDone {
                detail = [e.data?["title"]?.stringValue, e.data?["outcome"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
            }
            if e.kind == .ticket, let step = e.data?["step"]?.stringValue {
                // "#12 · 转交 · 品质部 · 检查罐子的质量": which ticket, what happened (a status change in its status's word)
                var number: String?, rating: String?
                if case .number(let n)? = e.data?["number"] { number = "#" + String(Int(n)) }
                if case .number(let n)? = e.data?["rating"] { rating = String(Int(n)) + " / 5" }
                detail = [number, TicketStatus(rawValue: step).map { t("ticket_status_" + $0.rawValue) } ?? t("ticket_event_" + step),
                          e.data?["department"]?.stringValue, e.data?["title"]?.stringValue ?? e.data?["subject"]?.stringValue, rating,
                          e.data?["note"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
            }
            if e.kind == .call, let step = e.data?["step"]?.stringValue {
                // "+8613800138000 · 已接听 · 3:25 · https://…/recording.wav": the number, what happened, how long, the recording
                var length: String?
                if case .number(let n)? = e.data?["duration_seconds"] { length = String(format: "%d:%02d", Int(n) / 60, Int(n) % 60) }
                detail = [e.data?["phone"]?.stringValue, t("call_step_" + step), length, e.data?["recording_url"]?.stringValue]
                    .compactMap { $0 }.joined(separator: " · ")
            }
            if e.kind == .ownerChanged, let reason = e.data?["reason"]?.stringValue, !["rule", "creator", "handover"].contains(reason) { detail = reason }
            return Self.model(["when": f.string(from: e.occurredAt), "iso": Timestamp.iso8601(e.occurredAt), "label": label,
                               "subject": e.subject, "body": detail.isEmpty ? nil : detail])
        }
    }
}
