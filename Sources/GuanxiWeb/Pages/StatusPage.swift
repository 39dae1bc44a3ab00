import Foundation
import Hummingbird
import GuanxiCore
import GuanxiStore

/// The status page (`/settings/status`, those who may read workspace settings): the build, schema,
/// database, last backup, queues, background jobs and the last server errors with their request ids.
package enum StatusPage {
    static func render(_ r: StatusReport, pages: Pages, visit v: PageContext, formatter f: DateFormatter) -> Response {
        let t = { (k: String) in v.text(k) }
        let behind = r.schema.current != r.schema.latest
        let model: [String: Any] = Pages.model([
            "version": r.version,
            "started": f.string(from: r.startedAt),
            "schema": "\(r.schema.current) / \(r.schema.latest)",
            "schemaBehind": behind ? true : nil,
            "database": r.database.kind == "sqlite" ? "SQLite" : "PostgreSQL",
            "size": r.database.sizeBytes.map(bytes) ?? "—",
            "wal": r.database.walBytes.map(bytes),
            "backup": r.lastBackup.map { b in f.string(from: b.takenAt) + " · " + b.kind + (b.location.map { " · " + $0 } ?? "") } ?? t("ops_never"),
            "queues": r.queues.map { ["label": t("queue_" + $0.name), "depth": String($0.depth), "busy": $0.depth > 0 ? true : nil] as [String: Any?] }
                .map(Pages.model),
            "jobs": r.jobs.map { j in Pages.model(["label": t("job_" + j.name), "runs": String(j.runs), "failures": String(j.failures),
                                                   "failed": j.failures > 0 ? true : nil,
                                                   "lastRun": j.lastRunAt.map(f.string(from:)) ?? "—"]) },
            "hasJobs": r.jobs.isEmpty ? nil : true,
            "errors": r.recentErrors.map { e in ["at": f.string(from: e.at), "status": String(e.status), "route": e.method + " " + e.route, "id": e.requestID] },
            "hasErrors": r.recentErrors.isEmpty ? nil : true,
        ])
        return pages.page("status", model, title: t("ops_status"), visit: v)
    }

    /// 1.2 MB, in powers of 1024 with the units every language writes the same.
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n), i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[i])
    }

    static let template = """
    <section class="status">
      <p><a href="/settings/users">{{t.settings}}</a></p>
      <h1>{{t.ops_status}}</h1>
      <dl class="facts">
        <div><dt>{{t.ops_version}}</dt><dd>{{version}}</dd></div>
        <div><dt>{{t.ops_started}}</dt><dd>{{started}}</dd></div>
        <div><dt>{{t.ops_schema}}</dt><dd>{{schema}}{{#schemaBehind}} <span class="tag bad">{{t.ops_schema_behind}}</span>{{/schemaBehind}}</dd></div>
        <div><dt>{{t.ops_database}}</dt><dd>{{database}} · {{size}}{{#wal}} <small class="meta">{{t.ops_wal}} {{wal}}</small>{{/wal}}</dd></div>
        <div><dt>{{t.ops_last_backup}}</dt><dd>{{backup}}</dd></div>
      </dl>
      <h2>{{t.ops_queues}}</h2>
      <div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.ops_queue}}</th><th scope="col">{{t.ops_depth}}</th></tr></thead>
        <tbody>{{#queues}}<tr><td>{{label}}</td><td>{{#busy}}<strong>{{/busy}}{{depth}}{{#busy}}</strong>{{/busy}}</td></tr>{{/queues}}</tbody>
      </table></div>
      <h2>{{t.ops_jobs}}</h2>
      {{#hasJobs}}<div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.ops_job}}</th><th scope="col">{{t.ops_runs}}</th><th scope="col">{{t.ops_failures}}</th><th scope="col">{{t.ops_last_run}}</th></tr></thead>
        <tbody>{{#jobs}}<tr><td>{{label}}</td><td>{{runs}}</td><td>{{#failed}}<span class="tag bad">{{/failed}}{{failures}}{{#failed}}</span>{{/failed}}</td><td>{{lastRun}}</td></tr>{{/jobs}}</tbody>
      </table></div>{{/hasJobs}}
      {{^hasJobs}}<p class="empty">{{t.ops_no_jobs}}</p>{{/hasJobs}}
      <h2>{{t.ops_errors}}</h2>
      <p class="meta">{{t.ops_errors_hint}}</p>
      {{#hasErrors}}<div class="scroll"><table class="list status-errors">
        <thead><tr><th scope="col">{{t.ops_at}}</th><th scope="col">{{t.ops_code}}</th><th scope="col">{{t.ops_route}}</th><th scope="col">{{t.ops_request_id}}</th></tr></thead>
        <tbody>{{#errors}}<tr><td>{{at}}</td><td>{{status}}</td><td>{{route}}</td><td><code>{{id}}</code></td></tr>{{/errors}}</tbody>
      </table></div>{{/hasErrors}}
      {{^hasErrors}}<p class="empty">{{t.ops_no_errors}}</p>{{/hasErrors}}
    </section>
    """

    static let css = """
    .status h2{margin-top:1.4rem}
    .status-errors code{word-break:break-all;font-size:.8rem}
    """

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "ops_status": "系统状态", "ops_version": "版本", "ops_started": "启动于", "ops_schema": "数据库结构（已应用 / 本版本）",
            "ops_schema_behind": "需要迁移", "ops_database": "数据库", "ops_wal": "预写日志", "ops_last_backup": "最近备份", "ops_never": "从未备份",
            "ops_queues": "队列", "ops_queue": "队列", "ops_depth": "待处理",
            "ops_jobs": "后台任务", "ops_job": "任务", "ops_runs": "运行次数", "ops_failures": "失败次数", "ops_last_run": "最近运行",
            "ops_no_jobs": "服务器启动后还没有运行过后台任务。",
            "ops_errors": "最近的服务器错误", "ops_errors_hint": "本工作区请求的最近 50 个 5xx 错误；按请求编号可在服务器日志中找到对应记录。",
            "ops_no_errors": "没有服务器错误。", "ops_at": "时间", "ops_code": "状态码", "ops_route": "请求", "ops_request_id": "请求编号",
            "queue_ingest": "等待写入（线索、工单、订单）",
            "job_sla_watch": "SLA 监控", "job_mail_watch": "邮件收发", "job_webhook_watch": "Webhook 发送", "job_housekeeping": "例行维护",
            "job_search_index": "搜索索引", "job_text_messages": "短信发送",
        ],
        .zhHant: [
            "ops_status": "系統狀態", "ops_version": "版本", "ops_started": "啟動於", "ops_schema": "資料庫結構（已套用 / 本版本）",
            "ops_schema_behind": "需要遷移", "ops_database": "資料庫", "ops_wal": "預寫日誌", "ops_last_backup": "最近備份", "ops_never": "從未備份",
            "ops_queues": "佇列", "ops_queue": "佇列", "ops_depth": "待處理",
            "ops_jobs": "背景工作", "ops_job": "工作", "ops_runs": "執行次數", "ops_failures": "失敗次數", "ops_last_run": "最近執行",
            "ops_no_jobs": "伺服器啟動後尚未執行過背景工作。",
            "ops_errors": "最近的伺服器錯誤", "ops_errors_hint": "本工作區請求的最近 50 個 5xx 錯誤；依請求編號可在伺服器日誌中找到對應紀錄。",
            "ops_no_errors": "沒有伺服器錯誤。", "ops_at": "時間", "ops_code": "狀態碼", "ops_route": "請求", "ops_request_id": "請求編號",
            "queue_ingest": "等待寫入（潛在客戶、工單、訂單）",
            "job_sla_watch": "SLA 監控", "job_mail_watch": "郵件收發", "job_webhook_watch": "Webhook 傳送", "job_housekeeping": "例行維護",
            "job_search_index": "搜尋索引", "job_text_messages": "簡訊傳送",
        ],
        .en: [
            "ops_status": "Status", "ops_version": "Version", "ops_started": "Running since", "ops_schema": "Schema (applied / this build)",
            "ops_schema_behind": "needs migrating", "ops_database": "Database", "ops_wal": "log", "ops_last_backup": "Last backup", "ops_never": "Never",
            "ops_queues": "Queues", "ops_queue": "Queue", "ops_depth": "Waiting",
            "ops_jobs": "Background jobs", "ops_job": "Job", "ops_runs": "Runs", "ops_failures": "Failures", "ops_last_run": "Last run",
            "ops_no_jobs": "No background job has run since the server started.",
            "ops_errors": "Recent server errors", "ops_errors_hint": "The last 50 answers with a 5xx status to this workspace's requests; the request id finds the line in the server's log.",
            "ops_no_errors": "No server errors.", "ops_at": "When", "ops_code": "Status", "ops_route": "Request", "ops_request_id": "Request id",
            "queue_ingest": "Waiting to be written (leads, tickets, orders)",
            "job_sla_watch": "SLA monitor", "job_mail_watch": "Mail", "job_webhook_watch": "Webhook sender", "job_housekeeping": "Housekeeping",
            "job_search_index": "Search index", "job_text_messages": "Text messages",
        ],
    ]
}
