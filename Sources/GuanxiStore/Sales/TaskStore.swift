import Foundation
import SQLKit
import GuanxiCore

package struct TaskFilter: Sendable {
    package var ownerID: String?
    package var status: TaskStatus?
    package var kind: TaskKind?
    package var dueBefore: Date?
    package var dueAfter: Date?
    /// Open and past their due time.
    package var overdue = false
    package var subjectKind: TaskSubjectKind?
    package var subjectID: String?
    package init() {}
}

/// The signed-in user's day: what is late, what is due today, reminders that have come due, leads
/// waiting past their first-response deadline and today's planned visits.
package struct MyDay: Sendable, Encodable {
    package var timeZone: String
    package var dayStart: Date
    package var dayEnd: Date
    package var overdue: [FollowUpTask] = []
    package var dueToday: [FollowUpTask] = []
    package var reminders: [FollowUpTask] = []
    package var visits: [FollowUpTask] = []
    package var overdueLeads: [Lead] = []
    enum CodingKeys: String, CodingKey {
        case overdue, reminders, visits
        case timeZone = "time_zone", dayStart = "day_start", dayEnd = "day_end", dueToday = "due_today", overdueLeads = "overdue_leads"
    }
}

/// Planned versus recorded visits of one person in one ISO week.
package struct VisitSummaryRow: Codable, Sendable, Equatable {
    package var ownerID: String?
    package var planned: Int
    package var done: Int
    enum CodingKeys: String, CodingKey { case planned, done, ownerID = "owner_id" }
}

package struct VisitSummary: Encodable, Sendable {
    package var week: String
    package var timeZone: String
    package var start: Date
    package var end: Date
    package var rows: [VisitSummaryRow]
    enum CodingKeys: String, CodingKey { case week, start, end, rows, timeZone = "time_zone" }
}

/// Follow-up tasks, calls and visits. A task is authorised by its owner like leads and deals; the
/// record it is about must be readable. Creating, completing and recording write the customer's
/// (or lead's) timeline and the audit log in the same transaction.
package struct TaskStore: Sendable {
    let db: Database
    let leads: LeadStore
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock, leads: LeadStore) { self.db = db; self.leads = leads; self.clock = clock }

    static let columns = """
        id, kind, title, notes, due_at, remind_at, priority, status, owner_id, subject_kind, subject_id, completed_at, outcome, next_step,
        next_task_id, latitude_micro, longitude_micro, accuracy_m, created_by, version, created_at, updated_at
        """

    static func decode(_ r: any SQLRow) throws -> FollowUpTask {
        func s(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        func d(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        var check: CheckIn?
        if let lat = try r.decode(column: "latitude_micro", as: Int64?.self), let lon = try r.decode(column: "longitude_micro", as: Int64?.self) {
            check = CheckIn(latitudeMicro: lat, longitudeMicro: lon, accuracyMetres: try r.decode(column: "accuracy_m", as: Int?.self))
        }
        return FollowUpTask(id: try r.decode(column: "id", as: String.self), kind: TaskKind(rawValue: try s("kind") ?? "") ?? .todo,
                            title: try r.decode(column: "title", as: String.self), notes: try s("notes"), dueAt: try d("due_at") ?? Date(),
                            remindAt: try d("remind_at"), priority: TaskPriority(rawValue: try s("priority") ?? "") ?? .normal,
                            status: TaskStatus(rawValue: try s("status") ?? "") ?? .open, ownerID: try s("owner_id"),
                            subjectKind: try s("subject_kind").flatMap(TaskSubjectKind.init(rawValue:)), subjectID: try s("subject_id"),
                            completedAt: try d("completed_at"), outcome: try s("outcome"), nextStep: try s("next_step"),
                            nextTaskID: try s("next_task_id"), checkIn: check, createdBy: try s("created_by"),
                            version: try r.decode(column: "version", as: Int.self), createdAt: try d("created_at") ?? Date(),
                            updatedAt: try d("updated_at") ?? Date())
    }

    static let records = OwnedRecords(table: "tasks", alias: "t", columns: columns, object: .tasks, name: "task", plural: "tasks", decode: decode)
    static let soonestDue = records.keyset("due_at", descending: false) { $0.dueAt }

    package func get(_ scope: Scope, id: String) async throws -> FollowUpTask {
        try await Self.records.get(scope, id, in: db)
    }

    // MARK: Subjects

    /// Checks the scope may read the record, and answers whose timeline its entries go on
    /// (a deal's go on its customer's).
    static func readableSubject(_ scope: Scope, _ kind: TaskSubjectKind, _ id: String, sql: any SQLDatabase) async throws -> String {
        switch kind {
        case .customer:
            guard ID.isValid(id) else { throw DomainError.notFound("customer") }
            return try await CustomerStore.load(scope, id.lowercased(), for: .read, sql: sql).id
        case .lead: return try await LeadStore.records.load(scope, id, for: .read, sql: sql).id
        case .deal: return try await DealStore.records.load(scope, id, for: .read, sql: sql).customerID
        }
    }

    /// Where entries about a task go: its customer, its lead (or the customer a converted lead became),
    /// its deal's customer; nil for a task about nothing.
    static func timelineID(_ t: FollowUpTask, workspaceID: String, sql: any SQLDatabase) async throws -> String? {
        guard let k = t.subjectKind, let id = t.subjectID else { return nil }
        switch k {
        case .customer: return id
        case .lead:
            let converted = try await sql.raw("SELECT converted_customer_id FROM leads WHERE id = \(bind: id) AND workspace_id = \(bind: workspaceID)")
                .first()?.decode(column: "converted_customer_id", as: String?.self)
            return converted ?? id
        case .deal:
            return try await sql.raw("SELECT customer_id FROM deals WHERE id = \(bind: id) AND workspace_id = \(bind: workspaceID)")
                .first()?.decode(column: "customer_id", as: String.self)
        }
    }

    /// Giving a task to someone else needs `tasks.assign` reaching them, and they must be active here.
    func checkOwner(_ scope: Scope, from old: String?, to new: String?, sql: any SQLDatabase) async throws {
        guard let new else { return }
        let others = [old, new].compactMap { $0 }.filter { $0 != scope.userID }
        if !others.isEmpty {
            let assign = try scope.require(.tasks, .assign)
            for o in others where !scope.covers(assign, RecordAccess(ownerID: o)) {
                throw DomainError.forbidden("you may not give tasks to or take them from this user")
            }
        }
        if new != scope.userID, !(try await AccessStore.activeMember(new, scope.workspaceID, sql: sql)) {
            throw DomainError.field("owner_id", "\(new) is not an active user of this workspace")
        }
    }

    static func checkShape(_ t: FollowUpTask) throws(DomainError) {
        if t.kind == .visit && t.subjectKind != .customer && t.subjectKind != .lead {
            throw DomainError.field("subject_id", "a visit needs the customer (or lead) to visit")
        }
        if let r = t.remindAt, r > t.dueAt { throw DomainError.field("remind_at", "must not be after the due time") }
    }

    // MARK: Writes

    /// Plans a task for the acting user (or, with `tasks.assign`, for someone they reach).
    package func create(_ scope: Scope, _ draft: TaskDraft) async throws -> FollowUpTask {
        try scope.require(.tasks, .create)
        try draft.validate(creating: true)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in try await insert(draft, ownerChecked: false, tx: tx) }
    }

    /// Inside the caller's transaction (recording a visit creates its follow-up with it).
    func insert(_ draft: TaskDraft, ownerChecked: Bool, tx: Tx) async throws -> FollowUpTask {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        let subjectKind = draft.subjectKind ?? nil, subjectID = (draft.subjectID ?? nil)?.lowercased()
        var timeline: String?
        if let k = subjectKind, let s = subjectID { timeline = try await Self.readableSubject(scope, k, s, sql: sql) }
        let owner = draft.ownerID?.lowercased() ?? scope.userID
        if !ownerChecked { try await checkOwner(scope, from: nil, to: owner, sql: sql) }
        let notes = (draft.notes ?? nil).map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        let t = FollowUpTask(id: ID.make(at: now), kind: draft.kind ?? .todo, title: Text.clean(draft.title ?? ""), notes: notes,
                             dueAt: draft.dueAt ?? now, remindAt: draft.remindAt ?? nil, priority: draft.priority ?? .normal, status: .open,
                             ownerID: owner, subjectKind: subjectID == nil ? nil : subjectKind, subjectID: subjectID, createdBy: scope.userID,
                             version: 1, createdAt: now, updatedAt: now)
        try Self.checkShape(t)
        try await sql.raw("""
            INSERT INTO tasks (id, workspace_id, kind, title, notes, due_at, remind_at, alert_at, priority, status, owner_id, subject_kind, subject_id,
              created_by, version, created_at, updated_at)
            VALUES (\(bind: t.id), \(bind: scope.workspaceID), \(bind: t.kind.rawValue), \(bind: t.title), \(bind: t.notes), \(bind: t.dueAt.millis),
              \(bind: t.remindAt?.millis), \(bind: t.alertAt.millis), \(bind: t.priority.rawValue), 'open', \(bind: t.ownerID),
              \(bind: t.subjectKind?.rawValue), \(bind: t.subjectID), \(bind: t.createdBy), 1, \(bind: now.millis), \(bind: now.millis))
            """).run()
        if let timeline { try await tx.timeline(timeline, .taskCreated, data: Self.entryData(t)) }
        try await tx.audit("create", "tasks", t.id, detail: AuditDetail.encoded(t))
        return t
    }

    static func entryData(_ t: FollowUpTask) -> [String: JSONValue] {
        var d: [String: JSONValue] = ["task_id": .string(t.id), "title": .string(t.title), "kind": .string(t.kind.rawValue),
                                      "due_at": .number(Double(t.dueAt.millis))]
        if let o = t.outcome { d["outcome"] = .string(o) }
        return d
    }

    /// Changes what, when, who or what about (If-Match guards against two people editing at once).
    package func update(_ scope: Scope, id: String, _ draft: TaskDraft, ifVersion: Int?) async throws -> FollowUpTask {
        try draft.validate(creating: false)
        let now = clock.now()
        return try await Self.records.update(scope, id, ifVersion: ifVersion, now: now, in: db, change: { t, sql in
            if let k = draft.kind { t.kind = k }
            if let title = draft.title { t.title = Text.clean(title) }
            if let n = draft.notes { t.notes = n.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 } }
            if let d = draft.dueAt { t.dueAt = d }
            if let r = draft.remindAt { t.remindAt = r }
            if let p = draft.priority { t.priority = p }
            if draft.subjectKind != nil || draft.subjectID != nil {
                let k = draft.subjectKind ?? t.subjectKind, s = (draft.subjectID ?? t.subjectID)?.lowercased()
                if let k, let s {
                    if k != t.subjectKind || s != t.subjectID { _ = try await Self.readableSubject(scope, k, s, sql: sql) }
                    t.subjectKind = k; t.subjectID = s
                } else { t.subjectKind = nil; t.subjectID = nil }
            }
            if let o = draft.ownerID?.lowercased(), o != t.ownerID {
                try await checkOwner(scope, from: t.ownerID, to: o, sql: sql)
                t.ownerID = o
            }
            try Self.checkShape(t)
        }, save: { t, sql in
            try await sql.raw("""
                UPDATE tasks SET kind = \(bind: t.kind.rawValue), title = \(bind: t.title), notes = \(bind: t.notes), due_at = \(bind: t.dueAt.millis),
                  remind_at = \(bind: t.remindAt?.millis), alert_at = \(bind: t.alertAt.millis), priority = \(bind: t.priority.rawValue),
                  owner_id = \(bind: t.ownerID), subject_kind = \(bind: t.subjectKind?.rawValue), subject_id = \(bind: t.subjectID),
                  version = \(bind: t.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: t.id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
        })
    }

    /// Completes (`done`), cancels or reopens (`open`) a task; other moves are refused with a sentence.
    /// Completing a visit records it (without notes): the visit is logged like any other.
    package func setStatus(_ scope: Scope, id: String, to status: TaskStatus, outcome: String? = nil, ifVersion: Int?) async throws -> FollowUpTask {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var t = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: sql)
            if status == .done && t.kind == .visit {
                return try await record(t, VisitReport(outcome: outcome), tx: tx)
            }
            try t.status.check(to: status)
            let from = t.status
            t.status = status
            t.completedAt = status == .done ? now : nil
            if status == .done, let o = outcome.map(Text.clean), !o.isEmpty { t.outcome = String(o.prefix(5000)) }
            t.version += 1; t.updatedAt = now
            try await sql.raw("""
                UPDATE tasks SET status = \(bind: status.rawValue), completed_at = \(bind: t.completedAt?.millis), outcome = \(bind: t.outcome),
                  version = \(bind: t.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: t.id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
            if status == .done, let timeline = try await Self.timelineID(t, workspaceID: scope.workspaceID, sql: sql) {
                try await tx.timeline(timeline, .taskDone, data: Self.entryData(t))
            }
            let verb = status == .done ? "complete" : status == .cancelled ? "cancel" : "reopen"
            try await tx.audit(verb, "tasks", t.id, detail: ["from": .string(from.rawValue), "to": .string(status.rawValue)])
            return t
        }
    }

    /// Records a planned visit: logs a visit interaction on the customer's (or lead's) timeline through
    /// the same path as any logged visit, completes the plan with its outcome and check-in, and creates
    /// the follow-up task when a next step has a due time.
    package func recordVisit(_ scope: Scope, id: String, _ report: VisitReport, ifVersion: Int?) async throws -> FollowUpTask {
        try report.validate()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let t = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            guard t.kind == .visit else { throw DomainError.conflict("only a visit can be recorded; complete this task instead") }
            return try await record(t, report, tx: tx)
        }
    }

    func record(_ task: FollowUpTask, _ report: VisitReport, tx: Tx) async throws -> FollowUpTask {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        var t = task
        try t.status.check(to: .done)
        guard let kind = t.subjectKind, let subject = t.subjectID, kind != .deal else {
            throw DomainError.field("subject_id", "a visit needs the customer (or lead) to visit")
        }
        let outcome = report.outcome.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        let step = report.nextStep.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        let activity = ActivityDraft(kind: .visit, direction: .outbound, subject: t.title, body: outcome, occurredAt: report.occurredAt ?? now)
        var data: [String: JSONValue] = ["task_id": .string(t.id)]
        if let c = report.checkIn {
            data["latitude"] = .string(c.latitude); data["longitude"] = .string(c.longitude)
            if let a = c.accuracyMetres { data["accuracy_m"] = .number(Double(a)) }
        }
        // the visit is logged as any visit is: a customer's open deals are no longer idle, a lead's first response is answered
        var lead: Lead?
        if kind == .lead {
            let l = try await LeadStore.records.load(scope, subject, for: .update, sql: sql)
            if l.status != .converted { lead = l }
        }
        if let lead {
            _ = try await LeadStore.log(lead: lead, activity, isNote: false, data: data, tx: tx)
        } else {
            guard let customerID = try await Self.timelineID(t, workspaceID: scope.workspaceID, sql: sql) else { throw DomainError.notFound("customer") }
            let c = try await CustomerStore.load(scope, customerID, for: .update, sql: sql)
            _ = try await TimelineStore.log(customerID: c.id, activity, isNote: false, data: data, tx: tx)
        }
        if let due = report.nextDueAt, let step {
            var d = TaskDraft()
            d.kind = .todo; d.title = step; d.dueAt = due; d.ownerID = t.ownerID
            d.subjectKind = .some(t.subjectKind); d.subjectID = .some(t.subjectID)
            // the follow-up stays with the visit's owner, whom the recorder may already act for
            t.nextTaskID = try await insert(d, ownerChecked: true, tx: tx).id
        }
        t.status = .done; t.completedAt = report.occurredAt ?? now; t.outcome = outcome; t.nextStep = step; t.checkIn = report.checkIn
        t.version += 1; t.updatedAt = now
        try await sql.raw("""
            UPDATE tasks SET status = 'done', completed_at = \(bind: t.completedAt?.millis), outcome = \(bind: t.outcome), next_step = \(bind: t.nextStep),
              next_task_id = \(bind: t.nextTaskID), latitude_micro = \(bind: t.checkIn?.latitudeMicro), longitude_micro = \(bind: t.checkIn?.longitudeMicro),
              accuracy_m = \(bind: t.checkIn?.accuracyMetres), version = \(bind: t.version), updated_at = \(bind: now.millis)
            WHERE id = \(bind: t.id) AND workspace_id = \(bind: scope.workspaceID)
            """).run()
        var detail = data
        if let n = t.nextTaskID { detail["next_task_id"] = .string(n) }
        try await tx.audit("record", "tasks", t.id, detail: .object(detail))
        return t
    }

    // MARK: Reads

    /// By due time, soonest first, within the scope's read reach.
    package func list(_ scope: Scope, filter: TaskFilter, cursor: String?, limit: Int = 50) async throws -> Page<FollowUpTask> {
        var q = try Self.records.clauses(scope, equal: ["owner_id": filter.ownerID, "status": filter.status?.rawValue, "kind": filter.kind?.rawValue])
        if let b = filter.dueBefore { q += " AND t.due_at < \(bind: b.millis)" }
        if let a = filter.dueAfter { q += " AND t.due_at >= \(bind: a.millis)" }
        if filter.overdue { q += " AND t.status = 'open' AND t.due_at < \(bind: clock.now().millis)" }
        q += Self.records.equal(["subject_id": filter.subjectID, "subject_kind": filter.subjectKind?.rawValue])
        return try await Self.records.page(scope, where: q, order: Self.soonestDue, cursor: cursor, limit: limit, in: db)
    }

    /// The workspace's time zone (days and weeks are counted in it).
    func timeZone(_ scope: Scope) async throws -> String {
        try await db.read { sql in
            try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: scope.workspaceID)").first()?.decode(column: "time_zone", as: String.self)
        } ?? "Asia/Shanghai"
    }

    /// The acting user's day in the workspace's time zone: one index range over their open tasks
    /// needing attention before midnight, sorted into late, due today, reminders and visits, plus
    /// their overdue leads (the leads list's own overdue query).
    package func myDay(_ scope: Scope) async throws -> MyDay {
        try scope.require(.tasks, .read)
        let now = clock.now()
        let tz = try await timeZone(scope)
        let (start, end) = ISOWeek.day(now, timeZone: tz)
        var day = MyDay(timeZone: tz, dayStart: start, dayEnd: end)
        guard let me = scope.userID else { return day }
        let open = try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM tasks WHERE workspace_id = \(bind: scope.workspaceID) AND owner_id = \(bind: me)
                AND status = 'open' AND alert_at < \(bind: end.millis) ORDER BY alert_at LIMIT 500
                """).all().map(Self.decode)
        }
        for t in open.sorted(by: { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }) {
            if t.kind == .visit && t.dueAt >= start && t.dueAt < end { day.visits.append(t) }
            else if t.dueAt < now { day.overdue.append(t) }
            else if t.dueAt < end { day.dueToday.append(t) }
            else if let r = t.remindAt, r <= now { day.reminders.append(t) }
        }
        if scope.level(.leads, .read) != nil {
            var f = LeadFilter()
            f.overdue = true; f.ownerID = me
            day.overdueLeads = try await leads.list(scope, filter: f, cursor: nil, limit: 50).items
        }
        return day
    }

    /// Overdue tasks and due reminders of the acting user: one COUNT over the attention index (the header badge).
    package func attentionCount(_ scope: Scope) async throws -> Int {
        guard let me = scope.userID, scope.level(.tasks, .read) != nil else { return 0 }
        let now = clock.now()
        return try await db.read { sql in
            try await sql.raw("""
                SELECT COUNT(*) AS n FROM tasks WHERE workspace_id = \(bind: scope.workspaceID) AND owner_id = \(bind: me)
                AND status = 'open' AND alert_at <= \(bind: now.millis)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Planned (visit tasks due in the ISO week, cancelled ones aside) versus done (recorded) per
    /// owner, within the scope's read reach: a rep sees their own row, a manager their team's.
    package func visitSummary(_ scope: Scope, week: String?) async throws -> VisitSummary {
        let reach = try Self.records.readLimit(scope)
        let tz = try await timeZone(scope)
        let name = week ?? ISOWeek.name(clock.now(), timeZone: tz)
        guard let (start, end) = ISOWeek.range(name, timeZone: tz) else { throw DomainError.field("week", "must be an ISO week such as 2026-W48") }
        let rows = try await db.read { sql in
            var q = SQLQueryString("""
                SELECT t.owner_id, COUNT(*) AS planned, CAST(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) AS BIGINT) AS done
                FROM tasks t WHERE t.workspace_id = \(bind: scope.workspaceID) AND t.kind = 'visit'
                AND t.due_at >= \(bind: start.millis) AND t.due_at < \(bind: end.millis) AND t.status <> 'cancelled'
                """)
            q += reach
            q += " GROUP BY t.owner_id ORDER BY t.owner_id"
            return try await sql.raw(q).all().map { r in
                VisitSummaryRow(ownerID: try r.decode(column: "owner_id", as: String?.self), planned: try r.decode(column: "planned", as: Int.self),
                                done: try r.decode(column: "done", as: Int.self))
            }
        }
        return VisitSummary(week: name.uppercased(), timeZone: tz, start: start, end: end, rows: rows)
    }
}
