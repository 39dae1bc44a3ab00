import Foundation

/// A satisfaction survey: one per resolution of a ticket, answered once through its link — stars
/// (CSAT, 1–5), an optional comment and an optional NPS score (0–10). A low answer is negative
/// feedback, which an agent's reply must meet within a day.
package struct TicketSurvey: Sendable, Equatable, Encodable {
    package var id: String
    package var ticketID: String
    package var createdAt: Date
    package var expiresAt: Date
    package var answeredAt: Date?
    package var rating: Int?
    package var nps: Int?
    package var comment: String?
    /// Set when the answer was negative: the reply is due by then.
    package var replyDueAt: Date?
    /// The first agent reply after a negative answer.
    package var repliedAt: Date?
    /// Where the reply to negative feedback stood when the survey was read (`SurveyRules.replyState`).
    package var replyState: FeedbackReplyState?

    package init(id: String, ticketID: String, createdAt: Date, expiresAt: Date, answeredAt: Date? = nil, rating: Int? = nil, nps: Int? = nil,
                 comment: String? = nil, replyDueAt: Date? = nil, repliedAt: Date? = nil) {
        self.id = id; self.ticketID = ticketID; self.createdAt = createdAt; self.expiresAt = expiresAt; self.answeredAt = answeredAt
        self.rating = rating; self.nps = nps; self.comment = comment; self.replyDueAt = replyDueAt; self.repliedAt = repliedAt
    }

    package var negative: Bool { rating.map { SurveyRules.isNegative(rating: $0, nps: nps) } ?? false }

    enum CodingKeys: String, CodingKey {
        case id, rating, nps, comment, negative
        case ticketID = "ticket_id", createdAt = "created_at", expiresAt = "expires_at", answeredAt = "answered_at"
        case replyDueAt = "reply_due_at", repliedAt = "replied_at", replyState = "reply_state"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(ticketID, forKey: .ticketID)
        try c.encode(createdAt, forKey: .createdAt); try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(answeredAt, forKey: .answeredAt); try c.encode(rating, forKey: .rating); try c.encode(nps, forKey: .nps)
        try c.encode(comment, forKey: .comment); try c.encode(negative, forKey: .negative)
        try c.encode(replyDueAt, forKey: .replyDueAt); try c.encode(repliedAt, forKey: .repliedAt)
        try c.encode(replyState?.rawValue, forKey: .replyState)
    }
}

/// Where a survey link stands for its visitor.
package enum SurveyState: String, Sendable { case open, answered, expired }

/// Where the reply to negative feedback stands.
package enum FeedbackReplyState: String, Sendable { case due, overdue, met }

/// A survey answer as the form sends it, checked.
package struct SurveyAnswer: Sendable, Equatable {
    package var rating: Int
    package var nps: Int?
    package var comment: String
}

/// The field messages of a survey answer (English; the pages show them in the visitor's language).
package enum SurveyWords {
    package static let rating: DomainMessage = "choose 1 to 5 stars"
    package static let nps: DomainMessage = "must be a whole number from 0 to 10"
    package static let comment: DomainMessage = "keep the comment to 2000 characters"
}

/// The survey's rules, pure: what an answer is, when it is negative, when the reply is due.
package enum SurveyRules {
    /// How long a survey link may be answered.
    package static let lifetime: TimeInterval = 30 * 86_400
    /// How soon negative feedback must be replied to.
    package static let replyTarget: TimeInterval = 24 * 3600
    package static let maxComment = 2000

    /// Checks the form's fields (`rating` 1–5, `nps` 0–10 or empty, `comment`), each error naming its field.
    package static func answer(rating: String?, nps: String?, comment: String?) throws -> SurveyAnswer {
        var e = FieldErrors()
        let r = Int((rating ?? "").trimmingCharacters(in: .whitespaces)).flatMap { (1...5).contains($0) ? $0 : nil }
        if r == nil { e.add("rating", SurveyWords.rating) }
        let npsText = (nps ?? "").trimmingCharacters(in: .whitespaces)
        var n: Int?
        if !npsText.isEmpty {
            n = Int(npsText).flatMap { (0...10).contains($0) ? $0 : nil }
            if n == nil { e.add("nps", SurveyWords.nps) }
        }
        let c = Text.clean(comment ?? "")
        if c.count > maxComment { e.add("comment", SurveyWords.comment) }
        try e.throwIfAny()
        return SurveyAnswer(rating: r!, nps: n, comment: c)
    }

    /// 1–2 stars, or an NPS of 0–6 (a detractor), is negative feedback.
    package static func isNegative(rating: Int, nps: Int?) -> Bool { rating <= 2 || (nps.map { $0 <= 6 } ?? false) }

    /// The negative feedback's reply target, from the moment it was given.
    package static func replyDue(answeredAt: Date) -> Date { answeredAt.addingTimeInterval(replyTarget) }

    package static func expiry(createdAt: Date) -> Date { createdAt.addingTimeInterval(lifetime) }

    /// Answered, expired, or open for an answer at `now`.
    package static func state(_ s: TicketSurvey, at now: Date) -> SurveyState {
        if s.answeredAt != nil { return .answered }
        return now >= s.expiresAt ? .expired : .open
    }

    /// The negative feedback's reply: met once replied, else due until its time, then overdue; nil when none is owed.
    package static func replyState(_ s: TicketSurvey, at now: Date) -> FeedbackReplyState? {
        guard let due = s.replyDueAt else { return nil }
        if s.repliedAt != nil { return .met }
        return now >= due ? .overdue : .due
    }
}

/// CSAT and NPS of a group's answered surveys.
package struct SatisfactionFigures: Sendable, Equatable {
    /// Answered surveys (stars given).
    package var rated = 0
    package var starSum = 0
    /// 4 or 5 stars.
    package var satisfied = 0
    /// Answers with an NPS score, and of those the promoters (9–10) and detractors (0–6).
    package var npsAnswers = 0
    package var promoters = 0
    package var detractors = 0
    package init() {}

    package mutating func add(rating: Int, nps: Int?) {
        rated += 1; starSum += rating
        if rating >= 4 { satisfied += 1 }
        if let nps {
            npsAnswers += 1
            if nps >= 9 { promoters += 1 } else if nps <= 6 { detractors += 1 }
        }
    }

    /// The average of the stars; nil without answers.
    package var csatAverage: Double? { rated == 0 ? nil : Double(starSum) / Double(rated) }
    /// Percent of answers with 4 or 5 stars.
    package var satisfiedRate: Double? { rated == 0 ? nil : Double(satisfied) * 100 / Double(rated) }
    /// Promoters minus detractors, in percent of NPS answers (−100 … 100).
    package var nps: Double? { npsAnswers == 0 ? nil : Double(promoters - detractors) * 100 / Double(npsAnswers) }
}
