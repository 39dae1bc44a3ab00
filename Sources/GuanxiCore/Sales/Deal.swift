import Foundation

package enum DealStatus: String, Codable, Sendable, CaseIterable {
    case open, won, lost
}

/// A stage of a pipeline. `won` and `lost` stages close the deal.
package struct PipelineStage: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var position: Int
    /// Chance of winning, 0–100, for the weighted forecast.
    package var probability: Int
    package var kind: DealStatus
    /// Set while the stage keeps the name it was seeded with (`SeededName`), so pages say it in the
    /// reader's language; nil for names people typed.
    package var nameKey: String?
    package init(id: String, name: String, position: Int, probability: Int, kind: DealStatus, nameKey: String? = nil) {
        self.id = id; self.name = name; self.position = position; self.probability = probability; self.kind = kind; self.nameKey = nameKey
    }
    enum CodingKeys: String, CodingKey { case id, name, position, probability, kind, nameKey = "name_key" }
}

package struct Pipeline: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var position: Int
    package var stages: [PipelineStage]
    /// As `PipelineStage.nameKey`.
    package var nameKey: String?
    package init(id: String, name: String, position: Int, stages: [PipelineStage], nameKey: String? = nil) {
        self.id = id; self.name = name; self.position = position; self.stages = stages; self.nameKey = nameKey
    }
    enum CodingKeys: String, CodingKey { case id, name, position, stages, nameKey = "name_key" }

    /// The pipeline every workspace starts with (renamable later).
    package static func seeded(id: String, makeID: () -> String) -> Pipeline {
        Pipeline(id: id, name: SeededName.text(SeededName.pipeline), position: 1, stages: defaultStages(makeID: makeID), nameKey: SeededName.pipeline)
    }

    /// The stages every workspace starts with (renamable later).
    package static func defaultStages(makeID: () -> String) -> [PipelineStage] {
        zip(SeededName.stages, [(10, DealStatus.open), (25, .open), (50, .open), (75, .open), (100, .won), (0, .lost)]).enumerated().map { i, s in
            PipelineStage(id: makeID(), name: SeededName.text(s.0), position: i + 1, probability: s.1.0, kind: s.1.1, nameKey: s.0)
        }
    }

    /// Checks names, probabilities, and that there is at least one open, one won and one lost stage.
    package func validate() throws(DomainError) {
        var e = FieldErrors()
        let n = Text.clean(name)
        if n.isEmpty || n.count > 100 { e.add("name", "is required (at most 100 characters)") }
        for (i, s) in stages.enumerated() {
            if Text.clean(s.name).isEmpty || s.name.count > 60 { e.add("stages[\(i)].name", "is required (at most 60 characters)") }
            if !(0...100).contains(s.probability) { e.add("stages[\(i)].probability", "must be between 0 and 100") }
        }
        for k in DealStatus.allCases where !stages.contains(where: { $0.kind == k }) {
            e.add("stages", "needs at least one \(k.rawValue) stage")
        }
        try e.throwIfAny()
    }
}

/// A sales opportunity with a customer: how much, how likely, when.
package struct Deal: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var pipelineID: String
    package var stageID: String
    package var status: DealStatus
    package var customerID: String
    package var ownerID: String?
    package var amount: Money
    /// YYYY-MM-DD.
    package var expectedClose: String?
    package var probability: Int
    package var closeReason: String?
    package var leadID: String?
    package var stageChangedAt: Date
    package var lastActivityAt: Date
    package var closedAt: Date?
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, name: String, pipelineID: String, stageID: String, status: DealStatus, customerID: String, ownerID: String?,
                amount: Money, expectedClose: String?, probability: Int, closeReason: String?, leadID: String?, stageChangedAt: Date,
                lastActivityAt: Date, closedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.name = name; self.pipelineID = pipelineID; self.stageID = stageID; self.status = status; self.customerID = customerID
        self.ownerID = ownerID; self.amount = amount; self.expectedClose = expectedClose; self.probability = probability
        self.closeReason = closeReason; self.leadID = leadID; self.stageChangedAt = stageChangedAt; self.lastActivityAt = lastActivityAt
        self.closedAt = closedAt; self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// Open and untouched (no stage move, no logged activity) for `days`.
    package func isIdle(at now: Date, days: Int) -> Bool {
        status == .open && now.timeIntervalSince(max(stageChangedAt, lastActivityAt)) > Double(days) * 86_400
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, amount, probability, version
        case pipelineID = "pipeline_id", stageID = "stage_id", customerID = "customer_id", ownerID = "owner_id"
        case expectedClose = "expected_close", closeReason = "close_reason", leadID = "lead_id"
        case stageChangedAt = "stage_changed_at", lastActivityAt = "last_activity_at", closedAt = "closed_at"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a client sends to open or change a deal (absent fields stay as they are).
package struct DealDraft: Codable, Sendable {
    package var name: String?
    package var pipelineID: String?
    package var stageID: String?
    package var customerID: String?
    package var ownerID: String?
    package var amount: Money?
    package var expectedClose: String?
    package init() {}
    enum CodingKeys: String, CodingKey {
        case name, amount
        case pipelineID = "pipeline_id", stageID = "stage_id", customerID = "customer_id", ownerID = "owner_id", expectedClose = "expected_close"
    }

    /// Field errors in the draft itself (references are checked by the store).
    package func validate(creating: Bool) throws(DomainError) {
        var e = FieldErrors()
        if let n = name.map(Text.clean) { if n.isEmpty || n.count > 200 { e.add("name", "is required (at most 200 characters)") } }
        else if creating { e.add("name", "is required") }
        if creating && customerID == nil { e.add("customer_id", "is required") }
        if let c = customerID, !ID.isValid(c) { e.add("customer_id", "is not a valid id") }
        if let o = ownerID, !ID.isValid(o) { e.add("owner_id", "is not a valid id") }
        if let a = amount {
            if a.minor < 0 { e.add("amount.minor", "must not be negative") }
            if Money.currencyCode(a.currency) == nil { e.add("amount.currency", "must be an ISO 4217 code such as CNY, TWD or USD") }
        }
        if let d = expectedClose, Dates.parseDay(d) == nil { e.add("expected_close", "must be a date (YYYY-MM-DD)") }
        try e.throwIfAny()
    }
}
