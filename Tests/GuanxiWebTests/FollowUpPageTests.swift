import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Follow-up over HTTP: the tasks API, my day, visits and lead import")
struct FollowUpPageTests {
    func post(_ env: WebEnv, _ path: String, _ body: String, _ jar: [String: String], lang: String? = nil) async throws -> Reply {
        var h = jar
        if let lang { h["Accept-Language"] = lang }
        return try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: h)
    }

    func multipart(_ parts: [(name: String, filename: String?, data: Data)]) -> (Data, String) {
        let boundary = "gx-\(UUID().uuidString)"
        var body = Data()
        for p in parts {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(p.name)\"".utf8)
            if let f = p.filename { body += Data("; filename=\"\(f)\"\r\nContent-Type: text/csv".utf8) }
            body += Data("\r\n\r\n".utf8) + p.data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    func iso(_ d: Date) -> String { Timestamp.iso8601(d) }

    @Test(arguments: Backend.all) func theTasksAPIPlansChangesAndMovesTasksAndRefusesWhatTheRulesRefuse(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "客户甲")
            let due = Date().addingTimeInterval(3600)
            // create: 201 with an ETag; Chinese and emoji kept
            let made = try await env.send(.post, "/api/v1/tasks", json: json(["title": str("回电话 ☎️"), "due_at": str(iso(due)), "kind": str("call"),
                                                                               "subject_kind": str("customer"), "subject_id": str(customer)]))
            #expect(made.status == .created && made.header("ETag") == "\"1\"", "\(made.text)")
            let id = try #require(made.json["id"].string)
            #expect(made.json["title"].string == "回电话 ☎️" && made.json["status"].string == "open" && made.json["subject_id"].string == customer)
            // a field error names the field
            let bad = try await env.send(.post, "/api/v1/tasks", json: #"{"title":"","kind":"meeting"}"#)
            #expect(bad.status == .unprocessableContent && bad.json["error"]["fields"]["kind"].string != nil)
            let noDue = try await env.send(.post, "/api/v1/tasks", json: #"{"title":"x"}"#)
            #expect(noDue.status == .unprocessableContent && noDue.json["error"]["fields"]["due_at"].string != nil)
            // a stale If-Match is 412; the current one changes it
            let stale = try await env.send(.patch, "/api/v1/tasks/\(id)", json: #"{"priority":"high"}"#, headers: ["If-Match": "\"9\""])
            #expect(stale.status == .preconditionFailed)
            let patched = try await env.send(.patch, "/api/v1/tasks/\(id)", json: #"{"priority":"high","remind_at":null}"#, headers: ["If-Match": "\"1\""])
            #expect(patched.status == .ok && patched.json["priority"].string == "high" && patched.header("ETag") == "\"2\"")
            // complete, complete again (409 with a sentence), reopen, cancel
            let done = try await env.send(.post, "/api/v1/tasks/\(id)/complete", json: #"{"outcome":"已约下周"}"#)
            #expect(done.status == .ok && done.json["status"].string == "done" && done.json["outcome"].string == "已约下周")
            let twice = try await env.send(.post, "/api/v1/tasks/\(id)/complete")
            #expect(twice.status == .conflict && twice.json["error"]["message"].string == "the task is already done")
            let cancelDone = try await env.send(.post, "/api/v1/tasks/\(id)/cancel")
            #expect(cancelDone.status == .conflict && cancelDone.json["error"]["message"].string?.contains("reopen it first") == true)
            #expect(try await env.send(.post, "/api/v1/tasks/\(id)/reopen").json["status"].string == "open")
            #expect(try await env.send(.post, "/api/v1/tasks/\(id)/cancel").json["status"].string == "cancelled")
            // lists filter by status and subject; a bad filter is a field error
            #expect(try await env.get("/api/v1/tasks?status=cancelled&subject_kind=customer&subject_id=\(customer)").json["items"].array.count == 1)
            #expect(try await env.get("/api/v1/tasks?mine=true&status=open").json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/tasks?status=finished").status == .unprocessableContent)
            #expect(try await env.get("/api/v1/tasks?due_before=tomorrow").status == .unprocessableContent)
            // another workspace sees nothing; a read-only user may read (all) but not create
            #expect(try await env.get("/api/v1/tasks/\(id)", as: .b).status == .notFound)
            #expect(try await env.get("/api/v1/tasks/\(id)", as: .readOnly).status == .ok)
            #expect(try await env.send(.post, "/api/v1/tasks", as: .readOnly, json: json(["title": str("x"), "due_at": str(iso(due))])).status == .forbidden)
            // the timeline of the customer has the plan and the completion
            let tl = try await env.get("/api/v1/customers/\(customer)/timeline").json["items"].array.map { $0["kind"].string ?? "" }
            #expect(tl.contains("task_created") && tl.contains("task_done"))
        }
    }

    @Test(arguments: Backend.all) func visitsAreRecordedWithExactCoordinatesAndSummedPerWeek(_ backend: Backend) async throws {
        // a Wednesday noon in Shanghai: on the wall clock, a visit due in half an hour falls in next
        // week's summary for the last half hour of every Sunday
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_184_000))
        try await WebEnv.run(backend, clock: clock) { env in
            let customer = try await env.createCustomer(name: "华南客户")
            let due = clock.now().addingTimeInterval(1800)
            // a visit without a customer is refused
            let noCustomer = try await env.send(.post, "/api/v1/tasks", json: json(["title": str("拜访"), "kind": str("visit"), "due_at": str(iso(due))]))
            #expect(noCustomer.status == .unprocessableContent && noCustomer.json["error"]["fields"]["subject_id"].string != nil)
            let v = try await env.send(.post, "/api/v1/tasks", json: json(["title": str("拜访"), "kind": str("visit"), "due_at": str(iso(due)),
                                                                            "subject_kind": str("customer"), "subject_id": str(customer)]))
            let id = try #require(v.json["id"].string)
            // coordinates out of range are field errors, and nothing is recorded
            let far = try await env.send(.post, "/api/v1/tasks/\(id)/record", json: #"{"outcome":"x","latitude":91,"longitude":200}"#)
            #expect(far.status == .unprocessableContent && far.json["error"]["fields"]["latitude"].string != nil
                    && far.json["error"]["fields"]["longitude"].string != nil)
            // numbers and text both read exactly
            let r = try await env.send(.post, "/api/v1/tasks/\(id)/record",
                                       json: #"{"outcome":"签约意向强","latitude":31.230416,"longitude":"121.473701","accuracy_m":9.4,"next_step":"寄样品","next_due_at":"\#(iso(due.addingTimeInterval(86_400)))"}"#)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["check_in"]["latitude"].string == "31.230416" && r.json["check_in"]["longitude"].string == "121.473701"
                    && r.json["check_in"]["accuracy_m"].int == 9 && r.json["next_task_id"].string != nil)
            let tl = try await env.get("/api/v1/customers/\(customer)/timeline").json["items"].array
            #expect(tl.contains { $0["kind"].string == "interaction" && $0["channel"].string == "visit" && $0["body"].string == "签约意向强" })
            // this week's summary counts it; a bad week is a field error
            let s = try await env.get("/api/v1/visits/summary")
            #expect(s.status == .ok && s.json["rows"][0]["planned"].int == 1 && s.json["rows"][0]["done"].int == 1)
            #expect(try await env.get("/api/v1/visits/summary?week=2026-W60").status == .unprocessableContent)
            // the day view lists the follow-up (due tomorrow, so not yet)
            let day = try await env.get("/api/v1/tasks/my-day")
            #expect(day.status == .ok && day.json["time_zone"].string == "Asia/Shanghai" && day.json["overdue"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func myDayShowsWhatIsDueEscapedAndCompletesWithOnePlainForm(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let late = try await env.send(.post, "/api/v1/tasks", json: json(["title": str("<script>alert(1)</script> 逾期"),
                                                                               "due_at": str(iso(Date().addingTimeInterval(-3600)))]))
            let id = try #require(late.json["id"].string)
            // the header shows the count, and the day lists the task escaped
            let page = try await env.send(.get, "/today", as: .none, headers: jar)
            #expect(page.status == .ok && page.text.contains("class=\"count\">1<"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; 逾期") && !page.text.contains("<script>alert(1)"))
            #expect(page.text.contains("已逾期") && page.text.contains("action=\"/tasks/\(id)/complete\""))
            // one button completes it and comes back to the day
            let r = try await post(env, "/tasks/\(id)/complete", "_csrf=\(csrf)&version=1&back=%2Ftoday", jar)
            #expect(r.status == .seeOther && r.header("Location") == "/today")
            #expect(try await env.get("/api/v1/tasks/\(id)").json["status"].string == "done")
            #expect(!(try await env.send(.get, "/today", as: .none, headers: jar).text.contains("class=\"count\"")))
            // the same form once more says why, in the page's language
            let again = try await post(env, "/tasks/\(id)/complete", "_csrf=\(csrf)&version=2", jar, lang: "zh-TW")
            #expect(again.status == .conflict && again.text.contains("這個待辦已經是這個狀態了"))
            // a forged form is refused
            #expect(try await post(env, "/tasks/\(id)/reopen", "version=2", jar).status == .forbidden)
            // English and Traditional Chinese pages render
            let en = try await env.send(.get, "/today", as: .none, headers: jar.merging(["Accept-Language": "en"]) { a, _ in a })
            #expect(en.text.contains("My day") && en.text.contains("Visits planned and done"))
        }
    }

    @Test(arguments: Backend.all) func aVisitIsPlannedAndRecordedFromThePhonePage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let customer = try await env.createCustomer(name: "王总")
            // the customer page links to planning a task for it
            let cp = try await env.send(.get, "/customers/\(customer)", as: .none, headers: jar)
            #expect(cp.text.contains("/tasks/new?subject_kind=customer&amp;subject_id=\(customer)"))
            let form = try await env.send(.get, "/tasks/new?subject_kind=customer&subject_id=\(customer)&kind=visit", as: .none, headers: jar)
            #expect(form.status == .ok && form.text.contains("王总") && form.text.contains("value=\"visit\" selected"))
            // a missing due time is shown beside the field
            let bad = try await post(env, "/tasks/new", "_csrf=\(csrf)&title=\(q("拜访王总"))&kind=visit&subject_kind=customer&subject_id=\(customer)&due_at=", jar)
            #expect(bad.status == .unprocessableContent && bad.text.contains("e-due_at"))
            let ok = try await post(env, "/tasks/new", "_csrf=\(csrf)&title=\(q("拜访王总"))&kind=visit&subject_kind=customer&subject_id=\(customer)&due_at=2030-01-02T10%3A30", jar)
            #expect(ok.status == .seeOther && ok.header("Location") == "/customers/\(customer)")
            let task = try #require(try await env.get("/api/v1/tasks?kind=visit").json["items"].array.first)
            // 10:30 in Shanghai
            #expect(task["due_at"].string == "2030-01-02T02:30:00.000Z")
            let id = try #require(task["id"].string)
            // the visit page has the record form; the location button waits for JavaScript
            let page = try await env.send(.get, "/tasks/\(id)", as: .none, headers: jar)
            #expect(page.text.contains("name=\"latitude\"") && page.text.contains("data-geo hidden") && page.text.contains("inputmode=\"decimal\""))
            // a bad latitude is refused in the user's language and what was typed stays
            let wrong = try await post(env, "/tasks/\(id)/record", "_csrf=\(csrf)&version=1&outcome=\(q("谈得不错"))&latitude=95&longitude=121.4", jar)
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("须在 -90 到 90 之间") && wrong.text.contains("谈得不错"))
            let rec = try await post(env, "/tasks/\(id)/record", "_csrf=\(csrf)&version=1&outcome=\(q("谈得不错"))&latitude=31.2&longitude=121.4&accuracy_m=20", jar)
            #expect(rec.status == .seeOther)
            let after = try await env.get("/api/v1/tasks/\(id)").json
            #expect(after["status"].string == "done" && after["check_in"]["latitude"].string == "31.200000")
            let done = try await env.send(.get, "/tasks/\(id)", as: .none, headers: jar)
            #expect(done.text.contains("31.200000, 121.400000 ±20 m") && done.text.contains("重新打开"))
        }
    }

    @Test(arguments: Backend.all) func leadsAreImportedFromCSVByAPIAndPage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // text/csv, Chinese headers, one bad line
            let csv = "姓名,手机,公司,来源\n张三,13800000001,甲公司,展会\n李四,12,乙公司,展会\n"
            let dry = try await env.send(.post, "/api/v1/leads/import?dry_run=true", body: Data(csv.utf8), contentType: "text/csv")
            #expect(dry.status == .ok && dry.json["created"].int == 1 && dry.json["dry_run"].bool == true)
            #expect(try await env.get("/api/v1/leads").json["items"].array.isEmpty)
            let r = try await env.send(.post, "/api/v1/leads/import", body: Data(csv.utf8), contentType: "text/csv")
            #expect(r.json["created"].int == 1 && r.json["rejected"].int == 1 && r.json["errors"][0]["line"].int == 3
                    && r.json["errors"][0]["column"].string == "手机")
            let lead = try #require(try await env.get("/api/v1/leads").json["items"].array.first)
            #expect(lead["channel"].string == "import" && lead["owner_id"].string != nil)
            // multipart, GB18030
            let gb = try #require(TextDecoding.encodeGB18030("姓名,电话\n王五,13900000009\n"))
            let (body, type) = multipart([("file", "leads.csv", gb)])
            let m = try await env.send(.post, "/api/v1/leads/import", body: body, contentType: type)
            #expect(m.status == .ok && m.json["encoding"].string == "gb18030" && m.json["created"].int == 1, "\(m.text)")
            // a role without leads.create is refused
            #expect(try await env.send(.post, "/api/v1/leads/import", as: .readOnly, body: Data(csv.utf8), contentType: "text/csv").status == .forbidden)
            // the page: upload with dry run, then for real; errors are listed by line
            let (jar, csrf) = try await PageTests().signIn(env)
            let list = try await env.send(.get, "/leads", as: .none, headers: jar)
            #expect(list.text.contains("href=\"/leads/import\""))
            let form = try await env.send(.get, "/leads/import", as: .none, headers: jar)
            #expect(form.status == .ok && form.text.contains("enctype=\"multipart/form-data\""))
            let file = "name,phone,company\n赵六 <b>,13700000006,丙\n,,\n"
            let (b1, t1) = multipart([("_csrf", nil, Data(csrf.utf8)), ("dry_run", nil, Data("1".utf8)), ("file", "x.csv", Data(file.utf8))])
            let p1 = try await env.send(.post, "/leads/import", as: .none, body: b1, contentType: t1, headers: jar)
            #expect(p1.status == .ok && p1.text.contains("试运行结果") && p1.text.contains("<td>3</td>"))
            let (b2, t2) = multipart([("_csrf", nil, Data(csrf.utf8)), ("file", "x.csv", Data(file.utf8))])
            let p2 = try await env.send(.post, "/leads/import", as: .none, body: b2, contentType: t2, headers: jar)
            #expect(p2.status == .ok && p2.text.contains("导入结果"))
            #expect(try await env.get("/api/v1/leads").json["items"].array.contains { $0["name"].string == "赵六 <b>" })
            // without the CSRF field nothing happens
            let (b3, t3) = multipart([("file", "x.csv", Data(file.utf8))])
            #expect(try await env.send(.post, "/leads/import", as: .none, body: b3, contentType: t3, headers: jar).status == .forbidden)
        }
    }
}
