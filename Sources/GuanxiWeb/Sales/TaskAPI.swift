import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` follow-up tasks, calls and visits: plan, list, change, complete, cancel, reopen,
/// record a visit; the user's day and the weekly visit summary.
struct TaskAPI {
    let tasks: TaskStore

    struct CompleteInput: Decodable { var outcome: String? }

    /// An ISO 8601 date-time as the JSON bodies take it.
    static func date(_ s: String) -> Date? { Timestamp.parse(s) }

    func register(_ t: RouteTable) {
        let tag = "Tasks"
        t.on(APIRoute(method: .get, path: "/tasks", operationID: "listTasks",
                      summary: "Tasks by due time (mine, owner, status, kind, due before/after, overdue, subject filters)", tag: tag,
                      needs: .can(.read, .tasks),
                      query: ["mine", "owner_id", "status", "kind", "due_before", "due_after", "overdue", "subject_kind", "subject_id", "cursor", "limit"],
                      responseSchema: "TaskPage", queryValues: ["status": .cases(TaskStatus.self), "kind": .cases(TaskKind.self), "subject_kind": .cases(TaskSubjectKind.self), "due_before": .dateTime, "due_after": .dateTime])) { req, _, scope in
            var f = TaskFilter()
            var e = FieldErrors()
            if let o = req.query("owner_id") { if ID.isValid(o) { f.ownerID = o.lowercased() } else { e.add("owner_id", "is not a valid id") } }
            if req.query("mine") == "true" { f.ownerID = scope.userID ?? "" }
            if let s = req.query("status") { if let v = TaskStatus(rawValue: s) { f.status = v } else { e.add("status", .oneOf(TaskStatus.self)) } }
            if let k = req.query("kind") { if let v = TaskKind(rawValue: k) { f.kind = v } else { e.add("kind", .oneOf(TaskKind.self)) } }
            for (key, apply) in [("due_before", { (d: Date) in f.dueBefore = d }), ("due_after", { f.dueAfter = $0 })] {
                if let raw = req.query(key) {
                    if let d = Self.date(raw) { apply(d) } else { e.add(key, "must be a date-time such as 2026-11-30T09:00:00Z") }
                }
            }
            f.overdue = req.query("overdue") == "true"
            if let k = req.query("subject_kind") {
                if let v = TaskSubjectKind(rawValue: k) { f.subjectKind = v } else { e.add("subject_kind", .oneOf(TaskSubjectKind.self)) }
            }
            if let s = req.query("subject_id") { if ID.isValid(s) { f.subjectID = s.lowercased() } else { e.add("subject_id", "is not a valid id") } }
            try e.throwIfAny()
            return .json(try await tasks.list(scope, filter: f, cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .post, path: "/tasks", operationID: "createTask",
                      summary: "Plan a task, call or visit (a visit needs a customer or lead) for yourself or, with tasks.assign, someone you reach",
                      tag: tag, needs: .can(.create, .tasks), requestSchema: "TaskInput", responseSchema: "Task", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await tasks.get(scope, id: id) }) { req, _, scope in
            let task = try await tasks.create(scope, try await APIBody.json(TaskDraft.self, req))
            return .json(task, status: .created, etag: task.version)
        }
        t.on(APIRoute(method: .get, path: "/tasks/my-day", operationID: "myDay",
                      summary: "The signed-in user's day: overdue tasks, tasks due today, due reminders, today's visits and overdue leads (workspace time zone)",
                      tag: tag, needs: .can(.read, .tasks), responseSchema: "MyDay")) { _, _, scope in
            .json(try await tasks.myDay(scope))
        }
        t.on(APIRoute(method: .get, path: "/tasks/{id}", operationID: "getTask", summary: "Read a task", tag: tag, needs: .can(.read, .tasks),
                      responseSchema: "Task")) { _, ctx, scope in
            let task = try await tasks.get(scope, id: try ctx.parameters.require("id"))
            return .json(task, etag: task.version)
        }
        t.on(APIRoute(method: .patch, path: "/tasks/{id}", operationID: "updateTask",
                      summary: "Change a task's title, notes, due or reminder time, priority, owner or subject (If-Match)", tag: tag,
                      needs: .can(.update, .tasks), requestSchema: "TaskPatch", responseSchema: "Task")) { req, ctx, scope in
            let task = try await tasks.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(TaskDraft.self, req),
                                              ifVersion: try req.ifMatchVersion())
            return .json(task, etag: task.version)
        }
        for (action, status, opID, summary) in [("complete", TaskStatus.done, "completeTask", "Complete an open task (a visit is recorded without notes)"),
                                                ("cancel", .cancelled, "cancelTask", "Cancel an open task"),
                                                ("reopen", .open, "reopenTask", "Reopen a done or cancelled task")] {
            t.on(APIRoute(method: .post, path: "/tasks/{id}/\(action)", operationID: opID, summary: summary, tag: tag, needs: .can(.update, .tasks),
                          requestSchema: action == "complete" ? "TaskCompleteInput" : nil, responseSchema: "Task")) { req, ctx, scope in
                let body = try await APIBody.bytes(req)
                let outcome = body.isEmpty ? nil : try APIBody.decode(CompleteInput.self, from: body).outcome
                let task = try await tasks.setStatus(scope, id: try ctx.parameters.require("id"), to: status, outcome: outcome, ifVersion: try req.ifMatchVersion())
                return .json(task, etag: task.version)
            }
        }
        t.on(APIRoute(method: .post, path: "/tasks/{id}/record", operationID: "recordVisit",
                      summary: "Record a planned visit: outcome, next step (with next_due_at a follow-up task), check-in coordinates; logged as a visit on the timeline",
                      tag: tag, needs: .can(.update, .tasks), requestSchema: "VisitReport", responseSchema: "Task", ifMatch: true)) { req, ctx, scope in
            let task = try await tasks.recordVisit(scope, id: try ctx.parameters.require("id"), try await APIBody.json(VisitReport.self, req),
                                                   ifVersion: try req.ifMatchVersion())
            return .json(task, etag: task.version)
        }
        t.on(APIRoute(method: .get, path: "/visits/summary", operationID: "visitSummary",
                      summary: "Planned versus recorded visits per person in an ISO week (week=2026-W48; default this week), within your reach",
                      tag: tag, needs: .can(.read, .tasks), query: ["week"], responseSchema: "VisitSummary")) { req, _, scope in
            .json(try await tasks.visitSummary(scope, week: req.query("week")))
        }
    }
}
