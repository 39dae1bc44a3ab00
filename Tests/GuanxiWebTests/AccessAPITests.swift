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

@Suite("Access over the API: masking, reveal, tokens, audit")
struct AccessAPITests {
    @Test(arguments: Backend.all) func personalDataIsMaskedForRolesWithoutItAndRevealIsAudited(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the rep's customer with a phone, email, street and birthday
            let c = try await env.createCustomer(["name": str("王小明"), "phones": strs(["13812341234"]), "emails": strs(["xiaoming@example.com"]),
                                                  "addresses": .array([["city": "深圳", "street": "科技园路1号"]]), "birthday": str("1990-05-12")])
            let id = c["id"].string ?? "?"
            // then the rep (its owner) sees it plainly
            #expect(c["phones"][0].string == "+8613812341234" && c["masked"].isNull)
            // and a read-only user sees it masked, in the record, the list, search and export
            let viewer = try await env.get("/api/v1/customers/\(id)", as: .readOnly)
            #expect(viewer.json["phones"][0].string == "+86138****1234")
            #expect(viewer.json["emails"][0].string == "x***@example.com")
            #expect(viewer.json["addresses"][0]["street"].string == "***" && viewer.json["addresses"][0]["city"].string == "深圳")
            #expect(viewer.json["birthday"].string == "***" && viewer.json["masked"].bool == true)
            #expect(try await env.get("/api/v1/customers", as: .readOnly).json["items"][0]["phones"][0].string == "+86138****1234")
            #expect(try await env.get("/api/v1/search?q=\(q("王小明"))", as: .readOnly).json["items"][0]["emails"][0].string == "x***@example.com")
            // and a read-only user may not reveal
            #expect(try await env.send(.post, "/api/v1/customers/\(id)/reveal", as: .readOnly).status == .forbidden)
            // when an admin reveals, the audit log has it
            let revealed = try await env.send(.post, "/api/v1/customers/\(id)/reveal", as: .admin)
            #expect(revealed.status == .ok && revealed.json["phones"][0].string == "+8613812341234")
            let audit = try await env.get("/api/v1/audit?object=customers&object_id=\(id)", as: .admin)
            #expect(audit.json["items"].array.map { $0["action"].string } == ["reveal", "create"])
        }
    }

    @Test(arguments: Backend.all) func exportsAreMaskedLikeReads(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a marketer (export, but no personal data) and a customer with a phone
            let m = try await env.services.access.createUser(email: "mkt@example.com", password: "password-mkt", name: nil, role: .marketer,
                                                            workspaceID: env.workspaceA.id)
            let token = try await env.services.access.createToken(userID: m.id, workspaceID: env.workspaceA.id, name: "t").secret
            _ = try await env.createCustomer(["name": str("李雷"), "phones": strs(["13900001111"])])
            // when the marketer exports
            let r = try await env.get("/api/v1/exports/customers.csv", as: .bearer(token))
            // then the phone is masked there too, and the export is audited
            #expect(r.status == .ok && r.text.contains("+86139****1111") && !r.text.contains("13900001111"))
            let audit = try await env.get("/api/v1/audit?object=customers", as: .admin)
            #expect(audit.json["items"][0]["action"].string == "export")
        }
    }

    @Test(arguments: Backend.all) func aRepSeesTeammatesCustomersButNotOtherTeamsAndCannotChangeThem(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let access = env.services.access, ws = env.workspaceA.id
            let owner = Scope(workspaceID: ws, userID: nil, role: .owner)
            let rep = try #require(try await access.user(email: "rep-a@example.com"))
            let mate = try await access.createUser(email: "mate@example.com", password: "password-mate", name: "同事", role: .salesRep, workspaceID: ws)
            let rival = try await access.createUser(email: "rival@example.com", password: "password-rival", name: "对手", role: .salesRep, workspaceID: ws)
            _ = try await access.saveTeam(owner, name: "一部", kind: "sales", parentID: nil, managerID: nil, memberIDs: [rep.id, mate.id])
            _ = try await access.saveTeam(owner, name: "二部", kind: "sales", parentID: nil, managerID: nil, memberIDs: [rival.id])
            func make(_ name: String, _ ownerID: String) async throws -> String {
                var d = CustomerDraft(); d.kind = .person; d.name = name; d.ownerID = .some(ownerID); d.phones = ["1370000\(name.count)000"]
                return try await env.services.customers.create(owner, d).id
            }
            let mates = try await make("同事的客户", mate.id), rivals = try await make("别组客户", rival.id)
            // when the rep looks (a fresh token, so the new teams apply at once)
            let token = try await access.createToken(userID: rep.id, workspaceID: ws, name: "fresh").secret
            let list = try await env.get("/api/v1/customers", as: .bearer(token)).json["items"].array.compactMap { $0["id"].string }
            // then the teammate's customer is listed (masked), the other team's is not and answers 404
            #expect(list.contains(mates) && !list.contains(rivals))
            #expect(try await env.get("/api/v1/customers/\(mates)", as: .bearer(token)).json["masked"].bool == true)
            #expect(try await env.get("/api/v1/customers/\(rivals)", as: .bearer(token)).status == .notFound)
            // and changing the teammate's customer is refused
            #expect(try await env.send(.patch, "/api/v1/customers/\(mates)", as: .bearer(token), json: #"{"stage":"lead"}"#).status == .forbidden)
            // until it is shared with the rep
            #expect(try await env.send(.post, "/api/v1/customers/\(mates)/shares", as: .admin, json: #"{"user_id":"\#(rep.id)"}"#).status == .noContent)
            #expect(try await env.send(.patch, "/api/v1/customers/\(mates)", as: .bearer(token), json: #"{"stage":"lead"}"#).status == .ok)
        }
    }

    @Test(arguments: Backend.all) func tokensAreNarrowedRevocableAndExpire(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the rep issues themselves a read-only token
            let made = try await env.send(.post, "/api/v1/tokens", json: #"{"name":"只读脚本","permissions":["customers.read:own"]}"#)
            #expect(made.status == .created)
            let narrow = try #require(made.json["token"].string), narrowID = try #require(made.json["id"].string)
            // then it can read but not create
            #expect(try await env.get("/api/v1/customers", as: .bearer(narrow)).status == .ok)
            #expect(try await env.send(.post, "/api/v1/customers", as: .bearer(narrow), json: #"{"kind":"person","name":"甲"}"#).status == .forbidden)
            // and a token cannot be given more than its maker holds
            let wider = try await env.send(.post, "/api/v1/tokens", json: #"{"name":"x","permissions":["audit.read"]}"#)
            #expect(wider.status == .unprocessableContent && wider.json["error"]["fields"]["permissions"].string != nil)
            // nor can the narrow token mint a wider one
            let minted = try await env.send(.post, "/api/v1/tokens", as: .bearer(narrow), json: #"{"name":"y"}"#)
            let mintedToken = try #require(minted.json["token"].string)
            #expect(try await env.send(.post, "/api/v1/customers", as: .bearer(mintedToken), json: #"{"kind":"person","name":"乙"}"#).status == .forbidden)
            // the list shows it without its secret, and revoking ends it
            let listed = try await env.get("/api/v1/tokens").json["items"].array
            #expect(listed.contains { $0["id"].string == narrowID } && !listed.contains { $0["token"].string != nil })
            #expect(try await env.send(.delete, "/api/v1/tokens/\(narrowID)").status == .noContent)
            #expect(try await env.get("/api/v1/customers", as: .bearer(narrow)).status == .unauthorized)
            // a token that has expired is refused
            let past = try await env.send(.post, "/api/v1/tokens", json: #"{"name":"旧","expires_at":"2020-01-01T00:00:00Z"}"#)
            #expect(past.status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all) func aMalformedRoleOrMemberIsRefusedNotAServerError(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a member
            let rep = try #require(try await env.services.access.user(email: "rep-a@example.com"))
            // when a role change names a role with a NUL, an empty role, or a member id that is no id
            // (PostgreSQL refuses a NUL in text: this answered 500 there)
            let nul = try await env.send(.put, "/api/v1/users/\(rep.id)/role", as: .admin, json: #"{"role":"a\u0000b"}"#)
            let empty = try await env.send(.put, "/api/v1/users/\(rep.id)/role", as: .admin, json: #"{"role":""}"#)
            let noID = try await env.send(.put, "/api/v1/users/not-an-id/role", as: .admin, json: #"{"role":"read_only"}"#)
            let nulName = try await env.send(.post, "/api/v1/customers", as: .a, json: #"{"kind":"person","name":"a\u0000"}"#)
            let escaped = try await env.send(.put, "/api/v1/users/\(rep.id)/role", as: .admin, json: #"{"role":"a\\u0000"}"#)
            // then a NUL anywhere in a body is a bad request, the role a field error, the member not found
            #expect(nul.status == .badRequest && nulName.status == .badRequest, "\(nul.text) \(nulName.text)")
            #expect(escaped.status == .unprocessableContent && escaped.json["error"]["fields"]["role"].string == "no such role", "\(escaped.text)")
            #expect(empty.status == .unprocessableContent, "\(empty.text)")
            #expect(noID.status == .notFound, "\(noID.text)")
        }
    }

    @Test(arguments: Backend.all) func rolesCanBeDefinedAndAssignedButTheLastOwnerStays(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a custom role that may only read customers
            let role = try await env.send(.put, "/api/v1/roles/intern", as: .admin, json: #"{"name":"实习生","permissions":["customers.read:all"]}"#)
            #expect(role.status == .ok)
            let bad = try await env.send(.put, "/api/v1/roles/intern", as: .admin, json: #"{"name":"x","permissions":["customers.fly"]}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(try await env.send(.put, "/api/v1/roles/owner", as: .admin, json: #"{"name":"x","permissions":[]}"#).status == .unprocessableContent)
            // when the rep is given it
            let rep = try #require(try await env.services.access.user(email: "rep-a@example.com"))
            #expect(try await env.send(.put, "/api/v1/users/\(rep.id)/role", as: .admin, json: #"{"role":"intern"}"#).status == .noContent)
            // then (with a fresh token) they read but cannot create, and /me says so
            let t = try await env.services.access.createToken(userID: rep.id, workspaceID: env.workspaceA.id, name: "new").secret
            #expect(try await env.get("/api/v1/me", as: .bearer(t)).json["role"].string == "intern")
            #expect(try await env.send(.post, "/api/v1/customers", as: .bearer(t), json: #"{"kind":"person","name":"甲"}"#).status == .forbidden)
            // and an admin cannot crown an owner; the audit log records the role change
            #expect(try await env.send(.put, "/api/v1/users/\(rep.id)/role", as: .admin, json: #"{"role":"owner"}"#).status == .forbidden)
            let audit = try await env.get("/api/v1/audit?object=users&object_id=\(rep.id)", as: .admin).json["items"][0]
            #expect(audit["action"].string == "role_change" && audit["detail"]["after"].string == "intern")
            // and the chain verifies
            #expect(try await env.get("/api/v1/audit/verify", as: .admin).json["ok"].bool == true)
        }
    }

    @Test(arguments: Backend.all) func serverAdministratorsCreateWorkspacesAndOwnThem(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // the installation's first user (rep A in the seed) is a server administrator; admin A is not
            let made = try await env.send(.post, "/api/v1/workspaces", json: #"{"name":"深圳分公司","slug":"shenzhen"}"#)
            #expect(made.status == .created && made.json["role"].string == "owner")
            #expect(try await env.send(.post, "/api/v1/workspaces", as: .admin, json: #"{"name":"x","slug":"x-co"}"#).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/workspaces", json: #"{"name":"again","slug":"shenzhen"}"#).status == .conflict)
            // and the creator now belongs to both
            let mine = try await env.get("/api/v1/workspaces").json["items"].array.compactMap { $0["slug"].string }
            #expect(Set(mine) == ["default", "shenzhen"])
            // and can sign in to the new one
            let r = try await env.send(.post, "/api/v1/auth/sign-in", as: .none,
                                       json: #"{"email":"rep-a@example.com","password":"password-sales_rep","workspace":"shenzhen"}"#)
            #expect(r.json["workspace_id"].string == made.json["id"].string)
        }
    }
}
