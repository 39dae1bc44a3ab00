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

@Suite("Service desk mail API: the quarantine, for administrators")
struct MailQuarantineAPITests {
    @Test(arguments: Backend.all) func administratorsSeeQuarantinedMailOfTheirWorkspaceOnly(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a mail without a sender taken into workspace A
            let raw = Array("Subject: =?UTF-8?B?\(Data("无名信".utf8).base64EncodedString())?=\r\n\r\n谁寄的？\r\n".utf8)
            let outcome = try await env.services.mailIntake.take(raw, workspaceID: env.workspaceA.id)
            #expect(outcome == .quarantined(reason: "the mail has no sender (From)"))
            // then A's administrator sees it with its reason, decoded subject, size and the start of the raw message
            let r = try await env.get("/api/v1/service/mail-quarantine", as: .admin)
            #expect(r.status.code == 200, "\(r.text)")
            let item = r.json["items"][0]
            #expect(item["reason"].string == "the mail has no sender (From)" && item["subject"].string == "无名信")
            #expect(item["sender"].isNull && item["size"].int == raw.count && item["preview"].string?.hasSuffix("谁寄的？\r\n") == true)
            #expect(item["received_at"].string?.hasSuffix("Z") == true)
            // and a sales rep may not, nor does workspace B's administrator see A's
            #expect(try await env.get("/api/v1/service/mail-quarantine", as: .a).status.code == 403)
            #expect(try await env.get("/api/v1/service/mail-quarantine", as: .b).json["items"].array.isEmpty)
        }
    }
}
