import Foundation

/// What a follow-up is: something to do, a call to make, or a visit to pay (a visit plan, recorded
/// when it happened). One table holds all three.
package enum TaskKind: String, Codable, Sendable, CaseIterable {
    case todo, call, visit
}

package enum TaskPriority: String, Codable, Sendable, CaseIterable {
    case low, normal, high
}

/// Where a task stands. `done` and `cancelled` may be reopened; nothing else moves.
package enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case open, done, cancelled

    package static let moves: [TaskStatus: Set<TaskStatus>] = [
        .open: [.done, .cancelled],
        .done: [.open],
        .cancelled: [.open],
    ]

    /// Throws a sentence saying why unless `self → to` is allowed (the same status is refused too:
    /// completing a done task twice is a mistake worth telling).
    package func check(to: TaskStatus) throws(DomainError) {
        if to == self { throw DomainError.conflict("the task is already \(rawValue)") }
        guard Self.moves[self]?.contains(to) == true else {
            throw DomainError.conflict("a \(rawValue) task cannot become \(to.rawValue); reopen it first")
        }
    }
}

/// The record a task is about (at most one).
package enum TaskSubjectKind: String, Codable, Sendable, CaseIterable {
    case customer, lead, deal
}

/// A check-in position, kept as integer micro-degrees so it never drifts through floating point;
/// shown and accepted as decimal text ("31.230416").
package struct CheckIn: Codable, Sendable, Equatable {
    package var latitudeMicro: Int64
    package var longitudeMicro: Int64
    /// Metres, as the device reports it.
    package var accuracyMetres: Int?

    package init(latitudeMicro: Int64, longitudeMicro: Int64, accuracyMetres: Int?) {
        self.latitudeMicro = latitudeMicro; self.longitudeMicro = longitudeMicro; self.accuracyMetres = accuracyMetres
    }

    package var latitude: String { Self.text(latitudeMicro) }
    package var longitude: String { Self.text(longitudeMicro) }

    enum CodingKeys: String, CodingKey { case latitude, longitude, accuracyMetres = "accuracy_m" }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(latitude, forKey: .latitude)
        try c.encode(longitude, forKey: .longitude)
        try c.encodeIfPresent(accuracyMetres, forKey: .accuracyMetres)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latitudeMicro = Self.micro(try c.decode(String.self, forKey: .latitude)) ?? 0
        longitudeMicro = Self.micro(try c.decode(String.self, forKey: .longitude)) ?? 0
        accuracyMetres = try c.decodeIfPresent(Int.self, forKey: .accuracyMetres)
    }

    /// "-12.5" → -12500000. Up to 6 decimals are kept exactly; more are rounded half away from zero
    /// in integers. Nil when it is not a decimal number.
    package static func micro(_ raw: String) -> Int64? {
        var s = Substring(raw.trimmingCharacters(in: .whitespaces))
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2, whole.count <= 4,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        guard frac.count <= 20, frac.allSatisfy({ $0.isASCII && $0.isNumber }), !(whole.isEmpty && frac.isEmpty) else { return nil }
        let roundUp = frac.count > 6 && frac[frac.index(frac.startIndex, offsetBy: 6)] >= "5"
        frac = String((frac + "000000").prefix(6))
        var v = (Int64(whole) ?? 0) * 1_000_000 + Int64(frac)!
        if roundUp { v += 1 }
        return negative ? -v : v
    }

    static func text(_ micro: Int64) -> String {
        let sign = micro < 0 ? "-" : ""
        let m = micro.magnitude
        let frac = String(m % 1_000_000)
        return sign + String(m / 1_000_000) + "." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    /// A check-in from the texts a person or a browser sends, or field errors (latitude −90…90,
    /// longitude −180…180, accuracy 0…100000 m; both coordinates or neither).
    package static func parse(latitude: String?, longitude: String?, accuracy: String?) throws(DomainError) -> CheckIn? {
        func blank(_ s: String?) -> Bool { (s ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if blank(latitude) && blank(longitude) && blank(accuracy) { return nil }
        var e = FieldErrors()
        let lat = blank(latitude) ? nil : micro(latitude!)
        let lon = blank(longitude) ? nil : micro(longitude!)
        if blank(latitude) { e.add("latitude", "is required with a longitude") }
        else if let l = lat { if l < -90_000_000 || l > 90_000_000 { e.add("latitude", "must be between -90 and 90") } }
        else { e.add("latitude", "must be a decimal number of degrees") }
        if blank(longitude) { e.add("longitude", "is required with a latitude") }
        else if let l = lon { if l < -180_000_000 || l > 180_000_000 { e.add("longitude", "must be between -180 and 180") } }
        else { e.add("longitude", "must be a decimal number of degrees") }
        var acc: Int?
        if !blank(accuracy) {
            // browsers report accuracy with decimals; whole metres are plenty
            if let m = micro(accuracy!), m >= 0, m <= 100_000_000_000 { acc = Int((m + 500_000) / 1_000_000) }
            else { e.add("accuracy_m", "must be between 0 and 100000 metres") }
        }
        try e.throwIfAny()
        return CheckIn(latitudeMicro: lat!, longitudeMicro: lon!, accuracyMetres: acc)
    }
}

/// A follow-up: a to-do, a call or a visit plan, with its owner (assignee), due time and the record it is about.
package struct FollowUpTask: Codable, Sendable, Equatable {
    package var id: String
    package var kind: TaskKind
    package var title: String
    package var notes: String?
    package var dueAt: Date
    package var remindAt: Date?
    package var priority: TaskPriority
    package var status: TaskStatus
    package var ownerID: String?
    package var subjectKind: TaskSubjectKind?
    package var subjectID: String?
    package var completedAt: Date?
    /// What came of it (a visit's outcome notes, or a note on completion).
    package var outcome: String?
    package var nextStep: String?
    /// The follow-up task created when the visit was recorded.
    package var nextTaskID: String?
    package var checkIn: CheckIn?
    package var createdBy: String?
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, kind: TaskKind, title: String, notes: String?, dueAt: Date, remindAt: Date?, priority: TaskPriority,
                status: TaskStatus, ownerID: String?, subjectKind: TaskSubjectKind?, subjectID: String?, completedAt: Date? = nil,
                outcome: String? = nil, nextStep: String? = nil, nextTaskID: String? = nil, checkIn: CheckIn? = nil, createdBy: String?,
                version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.kind = kind; self.title = title; self.notes = notes; self.dueAt = dueAt; self.remindAt = remindAt
        self.priority = priority; self.status = status; self.ownerID = ownerID; self.subjectKind = subjectKind; self.subjectID = subjectID
        self.completedAt = completedAt; self.outcome = outcome; self.nextStep = nextStep; self.nextTaskID = nextTaskID; self.checkIn = checkIn
        self.createdBy = createdBy; self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// Open and past its due time.
    package func isOverdue(at now: Date) -> Bool { status == .open && dueAt < now }

    /// The earliest moment it needs attention: its reminder, or its due time (stored for the header count).
    package var alertAt: Date { min(dueAt, remindAt ?? dueAt) }

    enum CodingKeys: String, CodingKey {
        case id, kind, title, notes, priority, status, outcome, version
        case dueAt = "due_at", remindAt = "remind_at", ownerID = "owner_id", subjectKind = "subject_kind", subjectID = "subject_id"
        case completedAt = "completed_at", nextStep = "next_step", nextTaskID = "next_task_id", checkIn = "check_in"
        case createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a client sends to create or change a task (absent fields stay as they are; `remind_at: null` clears the reminder).
package struct TaskDraft: Codable, Sendable {
    package var kind: TaskKind?
    package var title: String?
    package var notes: String??
    package var dueAt: Date?
    package var remindAt: Date??
    package var priority: TaskPriority?
    package var ownerID: String?
    package var subjectKind: TaskSubjectKind??
    package var subjectID: String??

    package init() {}

    enum CodingKeys: String, CodingKey {
        case kind, title, notes, priority
        case dueAt = "due_at", remindAt = "remind_at", ownerID = "owner_id", subjectKind = "subject_kind", subjectID = "subject_id"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(TaskKind.self, forKey: .kind)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        if c.contains(.notes) { notes = .some(try c.decodeIfPresent(String.self, forKey: .notes)) }
        dueAt = try c.decodeIfPresent(Date.self, forKey: .dueAt)
        if c.contains(.remindAt) { remindAt = .some(try c.decodeIfPresent(Date.self, forKey: .remindAt)) }
        priority = try c.decodeIfPresent(TaskPriority.self, forKey: .priority)
        ownerID = try c.decodeIfPresent(String.self, forKey: .ownerID)
        if c.contains(.subjectKind) { subjectKind = .some(try c.decodeIfPresent(TaskSubjectKind.self, forKey: .subjectKind)) }
        if c.contains(.subjectID) { subjectID = .some(try c.decodeIfPresent(String.self, forKey: .subjectID)) }
    }

    /// Field errors in the draft itself (the subject and owner are checked by the store).
    package func validate(creating: Bool) throws(DomainError) {
        var e = FieldErrors()
        if let t = title.map(Text.clean) { if t.isEmpty || t.count > 200 { e.add("title", "is required (at most 200 characters)") } }
        else if creating { e.add("title", "is required") }
        if creating && dueAt == nil { e.add("due_at", "is required") }
        if let n = notes ?? nil, n.count > 5000 { e.add("notes", .longerThan(5000)) }
        if let o = ownerID, !ID.isValid(o) { e.add("owner_id", "is not a valid id") }
        if let s = subjectID ?? nil, !ID.isValid(s) { e.add("subject_id", "is not a valid id") }
        let k = subjectKind ?? nil, s = subjectID ?? nil
        if (k == nil) != (s == nil) && (subjectKind != nil || subjectID != nil) { e.add("subject_id", "give both subject_kind and subject_id, or neither") }
        try e.throwIfAny()
    }
}

/// How a visit went: outcome notes, the next step (optionally a follow-up task) and where the rep checked in.
package struct VisitReport: Codable, Sendable {
    package var outcome: String?
    package var nextStep: String?
    /// When set, a follow-up task (`next_step` as its title) is created for the same record and owner.
    package var nextDueAt: Date?
    package var checkIn: CheckIn?
    package var occurredAt: Date?

    package init(outcome: String? = nil, nextStep: String? = nil, nextDueAt: Date? = nil, checkIn: CheckIn? = nil, occurredAt: Date? = nil) {
        self.outcome = outcome; self.nextStep = nextStep; self.nextDueAt = nextDueAt; self.checkIn = checkIn; self.occurredAt = occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case outcome, latitude, longitude
        case nextStep = "next_step", nextDueAt = "next_due_at", occurredAt = "occurred_at", accuracy = "accuracy_m"
    }

    /// Coordinates arrive as numbers or decimal text; numbers are read through their 6-decimal text
    /// (a double carries 15 significant digits, so nothing drifts at micro-degrees).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
        nextStep = try c.decodeIfPresent(String.self, forKey: .nextStep)
        nextDueAt = try c.decodeIfPresent(Date.self, forKey: .nextDueAt)
        occurredAt = try c.decodeIfPresent(Date.self, forKey: .occurredAt)
        func text(_ k: CodingKeys) throws -> String? {
            if let s = try? c.decodeIfPresent(String.self, forKey: k) { return s }
            if let d = try c.decodeIfPresent(Double.self, forKey: k) { return String(format: "%.7f", d) }
            return nil
        }
        checkIn = try CheckIn.parse(latitude: try text(.latitude), longitude: try text(.longitude), accuracy: try text(.accuracy))
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(outcome, forKey: .outcome)
        try c.encodeIfPresent(nextStep, forKey: .nextStep)
        try c.encodeIfPresent(nextDueAt, forKey: .nextDueAt)
        try c.encodeIfPresent(checkIn?.latitude, forKey: .latitude)
        try c.encodeIfPresent(checkIn?.longitude, forKey: .longitude)
        try c.encodeIfPresent(checkIn?.accuracyMetres, forKey: .accuracy)
    }

    package func validate() throws(DomainError) {
        var e = FieldErrors()
        if let o = outcome, o.count > 5000 { e.add("outcome", .longerThan(5000)) }
        if let n = nextStep.map(Text.clean), n.count > 200 { e.add("next_step", .longerThan(200)) }
        if nextDueAt != nil && (nextStep.map(Text.clean) ?? "").isEmpty { e.add("next_step", "say what the next step is") }
        try e.throwIfAny()
    }
}

/// ISO 8601 weeks ("2026-W48") in a time zone: Monday 00:00 to the next Monday 00:00.
package enum ISOWeek {
    package static func calendar(_ timeZone: String) -> Calendar {
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        return cal
    }

    /// The week's start and end, or nil when `text` is not a real ISO week.
    package static func range(_ text: String, timeZone: String) -> (start: Date, end: Date)? {
        let parts = text.uppercased().split(separator: "-W")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let w = Int(parts[1]), (1...53).contains(w) else { return nil }
        let cal = calendar(timeZone)
        var dc = DateComponents()
        dc.yearForWeekOfYear = y; dc.weekOfYear = w; dc.weekday = 2; dc.hour = 0
        guard let start = cal.date(from: dc), cal.component(.weekOfYear, from: start) == w,
              cal.component(.yearForWeekOfYear, from: start) == y, let end = cal.date(byAdding: .day, value: 7, to: start) else { return nil }
        return (start, end)
    }

    /// The ISO week `date` falls in.
    package static func name(_ date: Date, timeZone: String) -> String {
        let cal = calendar(timeZone)
        let c = cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 0, c.weekOfYear ?? 0)
    }

    /// Today's start and end in the time zone.
    package static func day(_ date: Date, timeZone: String) -> (start: Date, end: Date) {
        let cal = calendar(timeZone)
        let start = cal.startOfDay(for: date)
        return (start, cal.date(byAdding: .day, value: 1, to: start)!)
    }
}
