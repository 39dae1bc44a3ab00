import Testing
@testable import GuanxiCore

@Suite("Portal rules: one-time codes as typed, what a customer may send, who sees what")
struct PortalRulesTests {
    @Test func codesAreSixDigitsAndReadAsTyped() {
        for _ in 0..<50 {
            let c = PortalRules.newCode()
            #expect(c.count == 6 && c.allSatisfy(\.isNumber))
        }
        #expect(PortalRules.code("123 456") == "123456" && PortalRules.code("１２３-４５６") == "123456" && PortalRules.code("123　456") == "123456")
        #expect(PortalRules.code("12345") == nil && PortalRules.code("1234567") == nil && PortalRules.code("12345a") == nil)
        #expect(PortalRules.code("' OR 1=1") == nil && PortalRules.code("١٢٣٤٥٦") == nil)
    }

    @Test func aRequestNamesEveryBadFieldAndAcceptsOnlyTheCustomersTypes() throws {
        let ok = try PortalRules.request(subject: "  茶叶罐破损 😡 ", body: "见照片", type: nil)
        #expect(ok.subject == "茶叶罐破损 😡" && ok.type == .inquiry)
        #expect(throws: DomainError.self) { try PortalRules.request(subject: "x", body: "y", type: "defect") }
        do {
            _ = try PortalRules.request(subject: "", body: String(repeating: "长", count: 50_001), type: "nonsense")
            Issue.record("accepted")
        } catch let DomainError.validation(f) {
            #expect(Set(f.keys) == ["subject", "body", "type"])
        } catch { Issue.record("\(error)") }
    }

    @Test func aMemberSeesTheOrganisationsDocumentsAndOnlyAnAdministratorItsRequests() {
        var v = PortalVisitor(workspaceID: "w", customerID: "me", name: "钱多", email: "q@x.cn", organizationID: "org", organizationName: "茶庄",
                              role: .member, csrf: "t")
        #expect(v.documentCustomers == ["me", "org"] && v.requestCustomers == ["me"])
        #expect(v.mayAccept(quoteFor: "me") && !v.mayAccept(quoteFor: "org") && !v.mayAccept(quoteFor: "other"))
        v.role = .admin
        #expect(v.requestCustomers == ["me", "org"] && v.mayAccept(quoteFor: "org") && !v.mayAccept(quoteFor: "other"))
        v.organizationID = nil
        #expect(v.documentCustomers == ["me"] && !v.mayAccept(quoteFor: "org"))
    }
}
