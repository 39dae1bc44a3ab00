import Foundation
import Testing
import GuanxiTestSupport
import HTTPTypes
import Hummingbird
import GuanxiCore
import GuanxiStore
import SQLKit
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// Every API route × every built-in role × whose record it is (own, a teammate's, another team's,
/// another workspace's), generated from the route table and the samples each feature declares
/// (`Feature.matrix`): a route registered without one fails
/// `everyFeatureSamplesExactlyTheOperationsItRegisters`, so none can slip past authorisation testing.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Relation: String, CaseIterable { case own, teammate, otherTeam = "other team", otherWorkspace = "other workspace" }

    /// Each operation's sample, and the fixture of the feature that declares it.
    static let samples: [String: (sample: MatrixSample, fixture: MatrixFixture)] = Features.all.reduce(into: [:]) { out, f in
        for (op, sample) in f.matrix { out[op] = (sample, f.matrixFixture) }
    }

    /// The status the rules promise: 403 without the route's permission, 404 for a record the role
    /// cannot see (or another workspace's), 403 for one it sees but may not change, else success.
    static func expected(_ route: APIRoute, _ sample: MatrixSample, _ role: Role, _ relation: Relation) -> Int? {
        let p = role.permissions
        if case .permission(let o, let a) = route.needs, p.level(o, a) == nil { return 403 }
        if sample.adminOnly { return 403 }
        guard let object = sample.record else { return sample.allowed }
        let actions: [AccessAction]
        if let declared = sample.actions { actions = declared } else if case .permission(_, let a) = route.needs { actions = [a] } else { return sample.allowed }
        if relation == .otherWorkspace { return 404 }
        func reaches(_ l: AccessLevel?) -> Bool {
            guard let l else { return false }
            switch relation {
            case .own: return true
            case .teammate: return l >= .team
            case .otherTeam: return l == .all
            case .otherWorkspace: return false
            }
        }
        if !reaches(p.level(object, .read)) { return 404 }
        for a in actions + (relation == .own ? [] : sample.othersNeed) {
            let ok = a == .reveal ? reaches(p.level(.personalData, .read)) || reaches(p.level(.personalData, .reveal))
                                  : reaches(p.level(object, a))
            if !ok { return 403 }
        }
        return sample.allowed
    }

    /// Every feature declares a sample for each operation it registers, and for nothing else, so no
    /// route slips past authorisation testing.
    @Test(arguments: Backend.all) func everyFeatureSamplesExactlyTheOperationsItRegisters(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            var all: [String] = []
            for feature in Features.all {
                let table = RouteTable(group: Router(context: AppContext.self).group("/api/v1"), idempotency: env.services.idempotency)
                feature.api(env.services, table)
                let registered = Set(table.routes.map(\.operationID)), sampled = Set(feature.matrix.keys)
                #expect(registered.subtracting(sampled).isEmpty, "\(feature.name): operations without a sample: \(registered.subtracting(sampled).sorted())")
                #expect(sampled.subtracting(registered).isEmpty, "\(feature.name): samples of no operation: \(sampled.subtracting(registered).sorted())")
                all += registered
            }
            #expect(Set(all) == Set(env.table.routes.map(\.operationID)))
        }
    }

    @Test(arguments: Backend.all) func everyRouteAnswersEveryRoleAsTheRulesSay(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let access = env.services.access, store = env.services.customers
            let ws = env.workspaceA.id
            let owner = Scope(workspaceID: ws, userID: nil, role: .owner)
            // given one user per built-in role, all in team East with a teammate; a rival in team West
            var users: [Role: (id: String, token: String)] = [:]
            for role in Role.allCases {
                let u = try await access.createUser(email: "\(role.rawValue)@matrix.example", password: "password-matrix", name: nil, role: role, workspaceID: ws)
                users[role] = (u.id, try await access.createToken(userID: u.id, workspaceID: ws, name: "matrix").secret)
            }
            let mate = try await access.createUser(email: "mate@matrix.example", password: "password-matrix", name: nil, role: .salesRep, workspaceID: ws)
            let rival = try await access.createUser(email: "rival@matrix.example", password: "password-matrix", name: nil, role: .salesRep, workspaceID: ws)
            let spare = try await access.createUser(email: "spare@matrix.example", password: "password-matrix", name: nil, role: .salesRep, workspaceID: ws)
            _ = try await access.saveTeam(owner, name: "华东 East", kind: "sales", parentID: nil, managerID: nil,
                                          memberIDs: users.values.map(\.id) + [mate.id])
            _ = try await access.saveTeam(owner, name: "华西 West", kind: "sales", parentID: nil, managerID: nil, memberIDs: [rival.id])
            let spareTeam = try await access.saveTeam(owner, name: "备用", kind: "other", parentID: nil, managerID: nil, memberIDs: [])
            let ownerB = Scope(workspaceID: env.workspaceB.id, userID: nil, role: .owner)
            let pool = try await store.create(owner, { var d = CustomerDraft(); d.kind = .person; d.name = "公海客户"; return d }()).id

            var n = 0
            var mismatches: [String] = []
            for route in env.table.routes {
                guard let (declared, fixture) = Self.samples[route.operationID] else { continue }
                let relations: [Relation] = declared.record == nil ? [.own] : Relation.allCases
                for role in Role.allCases {
                    for relation in relations {
                        n += 1
                        // a fresh customer for this case, owned as the relation says, and what the feature's fixture makes
                        let (scope, ownerID): (Scope, String?) = switch relation {
                        case .own: (owner, users[role]!.id)
                        case .teammate: (owner, mate.id)
                        case .otherTeam: (owner, rival.id)
                        case .otherWorkspace: (ownerB, nil)
                        }
                        var d = CustomerDraft(); d.kind = .person; d.name = "客户\(n)"; d.ownerID = .some(ownerID); d.tags = ["VIP"]
                        d.emails = ["m\(n)@example.com"]
                        var values = ["customer": try await store.create(scope, d).id, "pool": pool, "n": "\(n)",
                                      "userID": users[role]!.id, "email": "\(role.rawValue)@matrix.example",
                                      "spareUserID": spare.id, "teamID": spareTeam.id]
                        let setup = MatrixSetup(services: env.services, operationID: route.operationID, scope: scope, ownerID: ownerID,
                                                admin: owner, wanted: declared.placeholders, values: values)
                        values.merge(try await fixture(setup)) { _, made in made }
                        let unfilled = declared.placeholders.subtracting(values.keys)
                        #expect(unfilled.isEmpty, "\(route.operationID): nothing made for \(unfilled.sorted())")
                        let c = declared.filled(values)
                        // when the role's user sends the request
                        let r = try await env.send(route.method, c.uri, as: .bearer(users[role]!.token), body: c.body.map { Data($0.utf8) },
                                                   contentType: c.body == nil ? nil : c.contentType, headers: c.headers)
                        // then the answer is the one the rules promise
                        let want = Self.expected(route, declared, role, relation)
                        let code = Int(r.status.code)
                        let fine = want.map { $0 == code } ?? (200..<300).contains(code)
                        if !fine {
                            mismatches.append("\(route.method) \(route.path) [\(route.operationID)] as \(role.rawValue) on \(relation.rawValue): "
                                              + "got \(code), want \(want.map(String.init) ?? "2xx") — \(r.text.prefix(160))")
                        }
                    }
                }
            }
            // let the background imports finish before the database goes away
            for _ in 0..<100 {
                let running = try await env.services.db.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM import_jobs WHERE status = 'running'").first()!.decode(column: "n", as: Int.self)
                }
                if running == 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(mismatches.isEmpty, Comment(rawValue: "\(mismatches.count) of \(n) cases differ:\n" + mismatches.joined(separator: "\n")))
            #expect(n > 500)
        }
    }
}
