import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

/// A `multipart/form-data` body as a browser or curl sends it: text fields, then files
/// (`filename` written as given, so tests can send what a hostile client would).
struct FormBody {
    static let boundary = "----GuanxiTestBoundary7MA4YWxkTrZu0gW"
    static let contentType = "multipart/form-data; boundary=\(boundary)"
    var data = Data()

    init(_ fields: [(String, String)], files: [(name: String, filename: String, type: String, data: Data)] = []) {
        for (k, v) in fields {
            data += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        for f in files {
            data += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\"; filename=\"\(f.filename)\"\r\nContent-Type: \(f.type)\r\n\r\n".utf8)
            data += f.data + Data("\r\n".utf8)
        }
        data += Data("--\(Self.boundary)--\r\n".utf8)
    }
}

@Suite("Ticket attachments on the pages and the API: upload, download headers, limits, who may fetch")
struct AttachmentWebTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    static let pdf = Data("%PDF-1.7\n1 0 obj\n".utf8)
    static let html = Data("<!doctype html><html><body><script>fetch('/api/v1/customers')</script></body></html>".utf8)

    func ticket(_ env: WebEnv, as auth: Auth = .admin) async throws -> (ticket: String, customer: String) {
        let customer = try await env.createCustomer(name: "杭州茶庄", as: auth)
        let r = try await env.send(.post, "/api/v1/tickets", as: auth, json: json([
            "customer_id": str(customer), "subject": str("茶叶罐破损"), "body": str("收到的茶叶罐压扁了"), "type": str("complaint")]))
        #expect(r.status == .created, "\(r.text)")
        return (r.json["id"].string ?? "missing", customer)
    }

    func upload(_ env: WebEnv, _ id: String, as auth: Auth = .admin, body: String = "照片见附件",
                _ files: [(filename: String, type: String, data: Data)]) async throws -> Reply {
        let form = FormBody([("kind", "reply"), ("body", body)], files: files.map { (name: "attachments", filename: $0.filename, type: $0.type, data: $0.data) })
        return try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: auth, body: form.data, contentType: FormBody.contentType)
    }

    @Test(arguments: Backend.all) func filesSentWithAReplyComeBackAsDownloadsThatAreNeverShownInline(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (id, _) = try await ticket(env)
            // when a reply is sent as multipart with a photo, an invoice with Chinese and emoji in its name, and a text file
            let r = try await upload(env, id, [("破损照片 📷.png", "image/png", Self.png), ("发票 2026-10 🧾.pdf", "application/pdf", Self.pdf),
                                               ("说明.txt", "text/html", Data("第一行\n第二行\n".utf8))])
            // then the message answers with its files, the names as sent, the types their content shows
            #expect(r.status == .created, "\(r.text)")
            let files = r.json["message"]["attachments"].array
            #expect(files.map { $0["name"].string } == ["破损照片 📷.png", "发票 2026-10 🧾.pdf", "说明.txt"])
            #expect(files.map { $0["content_type"].string } == ["image/png", "application/pdf", "text/plain"])
            #expect(files[0]["size"].int == Self.png.count && files[0]["sha256"].string?.count == 64)
            // and the conversation lists them under the message
            let list = try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"].array
            #expect(list.map { $0["attachments"].array.count } == [0, 3])

            // when each is downloaded through the API
            let pic = try await env.get("/api/v1/tickets/\(id)/attachments/\(files[0]["id"].string!)", as: .admin)
            let pdf = try await env.get("/api/v1/tickets/\(id)/attachments/\(files[1]["id"].string!)", as: .admin)
            let txt = try await env.get("/api/v1/tickets/\(id)/attachments/\(files[2]["id"].string!)", as: .admin)
            // then the bytes come back as a saved file, never sniffed, sandboxed; only images and PDF keep their type
            #expect(pic.status == .ok && pic.body == Self.png && pic.header("Content-Type") == "image/png")
            #expect(pdf.body == Self.pdf && pdf.header("Content-Type") == "application/pdf")
            #expect(txt.header("Content-Type") == "application/octet-stream" && txt.text == "第一行\n第二行\n")
            for d in [pic, pdf, txt] {
                #expect(d.header("Content-Disposition")?.hasPrefix("attachment; filename=\"") == true)
                #expect(d.header("X-Content-Type-Options") == "nosniff" && d.header("Content-Security-Policy")?.hasPrefix("sandbox") == true)
            }
            #expect(pdf.header("Content-Disposition") == "attachment; filename=\"__ 2026-10 _.pdf\"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%202026-10%20%F0%9F%A7%BE.pdf")
            // and the download is in the audit log (who saw what)
            let audit = try await env.services.audit.list(Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner), object: "tickets", objectID: id).items
            #expect(audit.filter { $0.action == "attachment_download" }.count == 3 && audit.filter { $0.action == "attachment_upload" }.count == 3)

            // another workspace finds nothing; a rep who does not reach the ticket neither; an unknown id is 404
            #expect(try await env.get("/api/v1/tickets/\(id)/attachments/\(files[0]["id"].string!)", as: .b).status == .notFound)
            #expect(try await env.get("/api/v1/tickets/\(id)/attachments/\(files[0]["id"].string!)", as: .a).status == .notFound)
            #expect(try await env.get("/api/v1/tickets/\(id)/attachments/nope", as: .admin).status == .notFound)
        }
    }

    @Test(arguments: Backend.all) func disguisedAndOversizedFilesAreRefusedFieldByField(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (id, _) = try await ticket(env)
            // HTML dressed as a photo, a program, an SVG: each named by its place
            let bad = try await upload(env, id, [("photo.png", "image/png", Self.html), ("ok.png", "image/png", Self.png),
                                                 ("setup.exe", "application/octet-stream", Data([0x4D, 0x5A, 0x90, 0])),
                                                 ("logo.svg", "image/svg+xml", Data("<svg onload=alert(1)/>".utf8))])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["error"]["fields"].keys == ["attachments[0]", "attachments[2]", "attachments[3]"])
            #expect(bad.json["error"]["fields"]["attachments[0]"].string == "does not look like a .png file")
            // one file over 10 MB
            let big = try await upload(env, id, [("大.pdf", "application/pdf", Self.pdf + Data(count: 10 * 1024 * 1024))])
            #expect(big.status == .unprocessableContent && big.json["error"]["fields"]["attachments[0]"].string == "is larger than the 10 MB limit")
            // eleven files
            let many = try await upload(env, id, (0..<11).map { ("图\($0).png", "image/png", Self.png) })
            #expect(many.status == .unprocessableContent && many.json["error"]["fields"].keys == ["attachments[10]"])
            // a body over the limit is refused before it is read further
            let huge = try await upload(env, id, (0..<3).map { ("大\($0).pdf", "application/pdf", Self.pdf + Data(count: 9_500_000)) })
            #expect(huge.status == .contentTooLarge)
            // nothing was added
            #expect(try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"].array.count == 1)
            // a name meant to break out of the header or the directory is only a name
            let sly = try await upload(env, id, [("\\\"; filename=x.html.png", "image/png", Self.png), ("../../etc/passwd.png", "image/png", Self.png)])
            #expect(sly.status == .created, "\(sly.text)")
            let names = sly.json["message"]["attachments"].array.map { $0["name"].string }
            #expect(names == ["__ filename=x.html.png", "passwd.png"])
            let d = try await env.get("/api/v1/tickets/\(id)/attachments/\(sly.json["message"]["attachments"][0]["id"].string!)", as: .admin)
            #expect(d.header("Content-Disposition") == "attachment; filename=\"__ filename=x.html.png\"; filename*=UTF-8''__%20filename%3Dx.html.png")
            // the same message as JSON still works, and a multipart one without a body is named
            let noBody = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin,
                                            body: FormBody([("kind", "reply")]).data, contentType: FormBody.contentType)
            #expect(noBody.status == .unprocessableContent && noBody.json["error"]["fields"].keys == ["body"])
        }
    }

    @Test(arguments: Backend.all) func theReplyFormAndTheNewTicketPageTakeFilesAndSayWhatIsWrongInTheUsersLanguage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "王芳")
            func post(_ path: String, _ fields: [(String, String)], _ files: [(String, String, Data)], lang: String = "zh-Hans") async throws -> Reply {
                let form = FormBody(fields, files: files.map { (name: "attachments", filename: $0.0, type: $0.1, data: $0.2) })
                return try await env.send(.post, path, as: .none, body: form.data, contentType: FormBody.contentType,
                                          headers: ["Cookie": admin["Cookie"]! + "; gx_lang=" + lang])
            }
            // the new-ticket page opens a ticket with the customer's photo
            let made = try await post("/tickets/new", [("_csrf", csrf), ("customer_id", customer), ("subject", "空调不制冷"), ("type", "repair"),
                                                       ("priority", "high"), ("channel", "phone"), ("body", "室外机照片见附件")],
                                      [("室外机 📷.png", "image/png", Self.png)])
            #expect(made.status == .seeOther, "\(made.text)")
            let path = try #require(made.header("Location"))
            var shown = try await env.send(.get, path, as: .none, headers: admin)
            #expect(shown.text.contains("室外机 📷.png") && shown.text.contains("16 B") && shown.text.contains("enctype=\"multipart/form-data\""))
            let href = try #require(shown.text.firstMatch(of: /href="(\/tickets\/[^"]+\/attachments\/[^"]+)"/).map { String($0.output.1) })
            // the page's download carries the same headers as the API's
            let d = try await env.send(.get, href, as: .none, headers: admin)
            #expect(d.status == .ok && d.body == Self.png && d.header("Content-Security-Policy")?.hasPrefix("sandbox") == true)
            #expect(d.header("Content-Disposition")?.contains("filename*=UTF-8''%E5%AE%A4%E5%A4%96%E6%9C%BA%20%F0%9F%93%B7.png") == true)

            // a reply with HTML dressed as a PDF comes back with the reason beside the file, what was typed kept
            let id = String(path.dropFirst("/tickets/".count))
            let bad = try await post("/tickets/\(id)/reply", [("_csrf", csrf), ("version", "1"), ("kind", "reply"), ("body", "发票见附件 <b>")],
                                     [("发票.pdf", "application/pdf", Self.html)])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("发票.pdf: 内容与 .pdf 文件不符") && bad.text.contains("发票见附件 &lt;b&gt;") && bad.text.contains("请重新选择要上传的文件"))
            let en = try await post("/tickets/\(id)/reply", [("_csrf", csrf), ("version", "1"), ("kind", "reply"), ("body", "x")],
                                    [("run.exe", "application/octet-stream", Data([0x4D, 0x5A]))], lang: "en")
            #expect(en.text.contains("run.exe: is not an allowed file type"))
            // without the session's token the form is refused
            #expect(try await post("/tickets/\(id)/reply", [("version", "1"), ("body", "x")], [("a.png", "image/png", Self.png)]).status == .forbidden)
            // a good reply is on the page with its file; the plain forms still work beside it
            let ok = try await post("/tickets/\(id)/reply", [("_csrf", csrf), ("version", "1"), ("kind", "note"), ("body", "内部：保修卡")],
                                    [("保修卡.jpg", "image/jpeg", Data([0xFF, 0xD8, 0xFF, 0xE0]))])
            #expect(ok.status == .seeOther)
            shown = try await env.send(.get, path, as: .none, headers: admin)
            #expect(shown.text.contains("保修卡.jpg"))
            let status = try await env.send(.post, "/tickets/\(id)/status", as: .none, body: Data("_csrf=\(csrf)&status=waiting_customer&version=2".utf8),
                                            contentType: "application/x-www-form-urlencoded", headers: admin)
            #expect(status.status == .seeOther)
            // another workspace's admin gets nothing on the page either
            let (other, _) = try await PageTests().signIn(env, email: "admin-b@example.com", password: "password-admin")
            #expect(try await env.send(.get, href, as: .none, headers: other).status == .notFound)
        }
    }
}
