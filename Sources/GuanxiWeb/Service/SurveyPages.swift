import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The satisfaction survey's public page, `/s/{token}`: opening the link shows the question and
/// records nothing (mail scanners open links); only pressing the button posts the answer, with the
/// survey's own nonce, once. In the visitor's language, no sign-in.
struct SurveyPages {
    let pages: Pages
    var services: AppServices { pages.services }

    var routes: [PageRoute] {
        [
            .open(TicketURL.survey(":token")) { p in
                do {
                    let visit = try await services.surveys.visit(token: p.parameter("token"))
                    return page(p.page, visit, token: p.parameter("token"))
                } catch DomainError.notFound("survey") {
                    return notice(p.page, "survey_unknown", status: .notFound)
                }
            },
            .open(TicketURL.survey(":token"), method: .post, body: .form, check: .sameOrigin) { p in
                let token = p.parameter("token"), f = p.form, v = p.page
                do {
                    switch try await services.surveys.answer(token: token, nonce: f["nonce"] ?? "", rating: f["rating"], nps: f["nps"],
                                                             comment: f["comment"]) {
                    case .recorded: return notice(v, "survey_thanks", kind: "ok")
                    case .alreadyAnswered: return notice(v, "survey_already", kind: "ok")
                    case .expired: return notice(v, "survey_expired", status: .gone)
                    }
                } catch DomainError.notFound("survey") {
                    return notice(v, "survey_unknown", status: .notFound)
                } catch let e as DomainError {
                    // stay on the form with what was typed and say why, in the visitor's language
                    let visit = try await services.surveys.visit(token: token)
                    return page(v, visit, token: token, typed: f, errors: Pages.fieldErrors(e), flash: ("bad", v.message(e)), status: Pages.status(e))
                }
            },
        ]
    }

    func page(_ v: PageContext, _ visit: SurveyVisit, token: String, typed: [String: String] = [:], errors: [String: DomainMessage] = [:],
              flash: (kind: String, text: String)? = nil, status: HTTPResponse.Status = .ok) -> Response {
        switch visit.state {
        case .answered: return notice(v, "survey_already", kind: "ok")
        case .expired: return notice(v, "survey_expired", status: .gone)
        case .open: break
        }
        let t = { (k: String) in v.text(k) }
        let model: [String: Any] = [
            "ask": true, "action": TicketURL.survey(token).path, "nonce": visit.nonce,
            "about": t("survey_about").replacingOccurrences(of: "{n}", with: String(visit.number)).replacingOccurrences(of: "{s}", with: visit.subject),
            "stars": (1...5).map { n in
                ["value": String(n), "label": t("survey_star_\(n)"), "checked": typed["rating"] == String(n)] as [String: Any]
            },
            "scores": (0...10).map { n in ["value": String(n), "checked": typed["nps"] == String(n)] as [String: Any] },
            "noScore": (typed["nps"] ?? "").isEmpty,
            "comment": typed["comment"] ?? "",
            "ratingError": errors["rating"].map { v.localize($0) } as Any,
            "npsError": errors["nps"].map { v.localize($0) } as Any,
            "commentError": errors["comment"].map { v.localize($0) } as Any,
        ]
        return finish(pages.page("survey", Pages.model(model), title: t("survey_heading"), visit: v, flash: flash, status: status, bare: true))
    }

    /// A page with one sentence: thanks, already answered, expired, unknown.
    func notice(_ v: PageContext, _ key: String, kind: String = "bad", status: HTTPResponse.Status = .ok) -> Response {
        finish(pages.page("survey", Pages.model(["ask": false, "notice": v.text(key), "noticeKind": kind]), title: v.text("survey_heading"),
                          visit: v, status: status, bare: true))
    }

    private func finish(_ response: Response) -> Response {
        var r = response
        r.headers[.cacheControl] = "no-store"
        r.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex"
        return r
    }

    /// The survey panel of the ticket page (nil before the ticket's first resolution).
    static func panel(_ s: TicketSurvey?, _ f: DateFormatter, _ v: PageContext, now: Date) -> [String: Any]? {
        guard let s else { return nil }
        let t = { (k: String) in v.text(k) }
        var m: [String: Any] = ["answered": s.answeredAt != nil, "negative": s.negative]
        if let rating = s.rating {
            m["stars"] = String(repeating: "★", count: rating) + String(repeating: "☆", count: 5 - rating)
            m["ratingLabel"] = t("survey_rating_of").replacingOccurrences(of: "{n}", with: String(rating))
            m["nps"] = s.nps.map { "NPS \($0)" } as Any
            m["comment"] = s.comment as Any
        } else {
            m["stateText"] = (SurveyRules.state(s, at: now) == .expired ? t("survey_staff_expired") : t("survey_staff_waiting"))
                .replacingOccurrences(of: "{t}", with: f.string(from: s.expiresAt))
        }
        if let due = s.replyDueAt, let state = SurveyRules.replyState(s, at: now) {
            m["replyText"] = t("survey_reply_" + state.rawValue).replacingOccurrences(of: "{t}", with: f.string(from: state == .met ? s.repliedAt ?? due : due))
            m["replyClass"] = state == .overdue ? "bad" : state == .met ? "ok" : "warn"
        }
        return Pages.model(m)
    }
}

/// The survey's words and templates.
enum SurveyTemplates {
    static let survey = """
    <section class="card narrow survey-form">
      <h1>{{t.survey_heading}}</h1>
      {{#ask}}<p class="hint">{{about}}</p>
      <form method="post" action="{{action}}" novalidate>
        <input type="hidden" name="nonce" value="{{nonce}}">
        <fieldset class="{{#ratingError}}invalid{{/ratingError}}"><legend>{{t.survey_stars}} <span aria-hidden="true">*</span></legend>
          {{#stars}}<label class="choice"><input type="radio" name="rating" value="{{value}}" required{{#checked}} checked{{/checked}}> {{label}}</label>{{/stars}}
          {{#ratingError}}<small class="error" id="e-rating">{{ratingError}}</small>{{/ratingError}}</fieldset>
        <label class="{{#commentError}}invalid{{/commentError}}">{{t.survey_comment}}<textarea name="comment" rows="3" maxlength="2000">{{comment}}</textarea>{{#commentError}}<small class="error" id="e-comment">{{commentError}}</small>{{/commentError}}</label>
        <fieldset class="nps{{#npsError}} invalid{{/npsError}}"><legend>{{t.survey_nps}}</legend>
          <label class="choice"><input type="radio" name="nps" value=""{{#noScore}} checked{{/noScore}}> {{t.survey_nps_skip}}</label>
          {{#scores}}<label class="choice"><input type="radio" name="nps" value="{{value}}"{{#checked}} checked{{/checked}}> {{value}}</label>{{/scores}}
          {{#npsError}}<small class="error" id="e-nps">{{npsError}}</small>{{/npsError}}</fieldset>
        <button class="primary">{{t.survey_submit}}</button>
      </form>{{/ask}}
      {{^ask}}<p class="flash {{noticeKind}}" role="status">{{notice}}</p>{{/ask}}
    </section>
    """

    /// The survey panel on the ticket page.
    static let panel = """
    {{#survey}}<section class="card survey{{#negative}} negative{{/negative}}" aria-labelledby="survey-title"><h2 id="survey-title">{{t.survey_title}}</h2>
      {{#answered}}<p><span class="stars" aria-hidden="true">{{stars}}</span> {{ratingLabel}}{{#nps}} · {{nps}}{{/nps}}{{#negative}} <span class="tag bad">{{t.survey_negative}}</span>{{/negative}}</p>
      {{#comment}}<blockquote class="body">{{comment}}</blockquote>{{/comment}}{{/answered}}
      {{^answered}}<p>{{stateText}}</p>{{/answered}}
      {{#replyText}}<p><strong class="{{replyClass}}">{{replyText}}</strong></p>{{/replyText}}
    </section>{{/survey}}
    """

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "survey_heading": "服务满意度评价", "survey_about": "工单 #{n}「{s}」", "survey_stars": "您对这次服务满意吗？",
            "survey_star_1": "1 星 · 很不满意", "survey_star_2": "2 星 · 不满意", "survey_star_3": "3 星 · 一般", "survey_star_4": "4 星 · 满意",
            "survey_star_5": "5 星 · 非常满意", "survey_comment": "意见或建议（选填）",
            "survey_nps": "您有多大可能向朋友或同事推荐我们？（0 = 完全不可能，10 = 非常可能；选填）", "survey_nps_skip": "不回答",
            "survey_submit": "提交评价", "survey_thanks": "感谢您的评价！", "survey_already": "这份问卷已经回答过了，感谢您的反馈。",
            "survey_expired": "这份问卷已过期（30 天内有效）。如需帮助，请直接回复我们的邮件。",
            "survey_unknown": "找不到这份问卷，请检查链接是否完整。",
            "survey_title": "满意度评价", "survey_rating_of": "{n} / 5 星", "survey_negative": "差评",
            "survey_staff_waiting": "已发出评价邀请，客户尚未回答（{t} 前有效）", "survey_staff_expired": "评价邀请已于 {t} 过期，客户未回答",
            "survey_reply_due": "差评须在 {t} 前回复", "survey_reply_overdue": "差评回复已逾期（时限 {t}）", "survey_reply_met": "差评已于 {t} 回复",
            "svc_report_csat": "满意度（CSAT）", "svc_report_satisfied": "满意率（4–5 星）", "svc_report_nps": "净推荐值（NPS）",
        ],
        .zhHant: [
            "survey_heading": "服務滿意度評價", "survey_about": "工單 #{n}「{s}」", "survey_stars": "您對這次服務滿意嗎？",
            "survey_star_1": "1 星 · 很不滿意", "survey_star_2": "2 星 · 不滿意", "survey_star_3": "3 星 · 普通", "survey_star_4": "4 星 · 滿意",
            "survey_star_5": "5 星 · 非常滿意", "survey_comment": "意見或建議（選填）",
            "survey_nps": "您有多大可能向朋友或同事推薦我們？（0 = 完全不可能，10 = 非常可能；選填）", "survey_nps_skip": "不回答",
            "survey_submit": "送出評價", "survey_thanks": "感謝您的評價！", "survey_already": "這份問卷已經回答過了，感謝您的回饋。",
            "survey_expired": "這份問卷已過期（30 天內有效）。如需協助，請直接回覆我們的郵件。",
            "survey_unknown": "找不到這份問卷，請檢查連結是否完整。",
            "survey_title": "滿意度評價", "survey_rating_of": "{n} / 5 星", "survey_negative": "負評",
            "survey_staff_waiting": "已寄出評價邀請，客戶尚未回答（{t} 前有效）", "survey_staff_expired": "評價邀請已於 {t} 過期，客戶未回答",
            "survey_reply_due": "負評須在 {t} 前回覆", "survey_reply_overdue": "負評回覆已逾期（時限 {t}）", "survey_reply_met": "負評已於 {t} 回覆",
            "svc_report_csat": "滿意度（CSAT）", "svc_report_satisfied": "滿意率（4–5 星）", "svc_report_nps": "淨推薦值（NPS）",
        ],
        .en: [
            "survey_heading": "How did we do?", "survey_about": "Ticket #{n} “{s}”", "survey_stars": "How satisfied are you with our service?",
            "survey_star_1": "1 star · very dissatisfied", "survey_star_2": "2 stars · dissatisfied", "survey_star_3": "3 stars · neutral",
            "survey_star_4": "4 stars · satisfied", "survey_star_5": "5 stars · very satisfied", "survey_comment": "Comments (optional)",
            "survey_nps": "How likely are you to recommend us to a friend or colleague? (0 = not at all, 10 = extremely; optional)",
            "survey_nps_skip": "No answer", "survey_submit": "Send", "survey_thanks": "Thank you for your feedback!",
            "survey_already": "This survey has already been answered. Thank you for your feedback.",
            "survey_expired": "This survey has expired (it was open for 30 days). If you need help, just reply to our mail.",
            "survey_unknown": "We cannot find this survey; please check that the link is complete.",
            "survey_title": "Satisfaction", "survey_rating_of": "{n} of 5 stars", "survey_negative": "Negative feedback",
            "survey_staff_waiting": "Survey sent, not answered yet (open until {t})", "survey_staff_expired": "Survey expired unanswered on {t}",
            "survey_reply_due": "Reply to the negative feedback by {t}", "survey_reply_overdue": "Reply to the negative feedback overdue (due {t})",
            "survey_reply_met": "Negative feedback replied to on {t}",
            "svc_report_csat": "CSAT (average stars)", "svc_report_satisfied": "Satisfied (4–5 stars)", "svc_report_nps": "NPS",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("choose 1 to 5 stars", "请选择 1 到 5 星", "請選擇 1 到 5 星"),
        ("must be a whole number from 0 to 10", "须为 0 到 10 的整数", "須為 0 到 10 的整數"),
        ("keep the comment to 2000 characters", "最多 2000 个字", "最多 2000 字"),
    ]
}
