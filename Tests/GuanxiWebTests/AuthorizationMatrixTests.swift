import Foundation
import Testing
import HTTPTypes
import GuanxiCore
import GuanxiStore
import SQLKit
@testable import GuanxiWeb

/// Every API route × every built-in role × whose record it is (own, a teammate's, another team's,
/// another workspace's), generated from the route table: a route added without a sample here
/// fails `everyRouteHasASample`, so none can slip past authorisation testing.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Relation: String, CaseIterable { case own, teammate, otherTeam = "other team", otherWorkspace = "other workspace" }

    /// The request one case sends. `targets` are the customers whose owner decides the answer.
    struct Case {
        var method: HTTPRequest.Method; var uri: String; var body: String? = nil; var contentType = "application/json"
        var headers: [String: String] = [:]
    }

    /// What the fixture prepared for one case.
    struct Ctx {
        var customer: String      // owned according to the relation
        var second: String        // same owner (merges)
        var pool: String          // unowned, same workspace as the acting user
        var mergeID: String
        var relationshipID: String
        var fieldKey: String
        var importID: String
        var tokenID: String
        var spareUserID: String
        var teamID: String
        var leaverID: String = ""
        var freshPool: String = ""
        var email: String = ""
        var resetToken: String = ""
        var totpCode: String = ""
        var lead: String = ""         // owned according to the relation
        var deal: String = ""         // owned according to the relation, with `customer`
        var stageID: String = ""      // another open stage of the deal's pipeline
        var ruleID: String = ""
        var sourceID: String = ""
        var hookKey: String = ""
        var hookSecret: String = ""
        var product: String = ""
        var priceList: String = ""
        var quote: String = ""        // owned according to the relation
        var order: String = ""        // owned according to the relation, with `customer`
        var orderLine: String = ""
        var userID: String = ""       // the acting user
        var task: String = ""         // owned according to the relation (a visit to `customer` for recordVisit; done for reopenTask)
        var n: Int
    }

    /// How to call each operation, by operationID.
    static let samples: [String: @Sendable (Ctx) -> Case] = [
        "leadFunnel": { _ in Case(method: .get, uri: "/api/v1/reports/lead-funnel?month=2026-11") },
        "dealCloseReasons": { _ in Case(method: .get, uri: "/api/v1/reports/close-reasons?from=2026-11-01&to=2026-11-30") },
        "overdueCollections": { _ in Case(method: .get, uri: "/api/v1/reports/overdue-collections") },
        "listTargets": { _ in Case(method: .get, uri: "/api/v1/targets?month=2026-12") },
        "setTargets": { c in Case(method: .put, uri: "/api/v1/targets",
                                  body: #"{"targets":[{"month":"2026-12","user_id":"\#(c.userID)","metric":"revenue","amount":{"minor":10000000,"currency":"CNY"}}]}"#) },
        "listProducts": { _ in Case(method: .get, uri: "/api/v1/products?q=%E8%8C%B6") },
        "createProduct": { c in Case(method: .post, uri: "/api/v1/products", body: #"{"sku":"SKU-\#(c.n)","name":"绿茶 \#(c.n)","tax_rate":13}"#) },
        "getProduct": { c in Case(method: .get, uri: "/api/v1/products/\(c.product)") },
        "updateProduct": { c in Case(method: .patch, uri: "/api/v1/products/\(c.product)", body: #"{"name":"新名字"}"#) },
        "listPriceLists": { _ in Case(method: .get, uri: "/api/v1/price-lists") },
        "createPriceList": { c in Case(method: .post, uri: "/api/v1/price-lists", body: #"{"name":"经销价\#(c.n)","currency":"CNY"}"#) },
        "updatePriceList": { c in Case(method: .patch, uri: "/api/v1/price-lists/\(c.priceList)", body: #"{"name":"改名\#(c.n)"}"#) },
        "listQuotes": { _ in Case(method: .get, uri: "/api/v1/quotes") },
        "createQuote": { c in Case(method: .post, uri: "/api/v1/quotes",
                                   body: #"{"customer_id":"\#(c.customer)","lines":[{"name":"报价行","quantity":2,"unit_price":5000}]}"#) },
        "getQuote": { c in Case(method: .get, uri: "/api/v1/quotes/\(c.quote)") },
        "updateQuote": { c in Case(method: .patch, uri: "/api/v1/quotes/\(c.quote)", body: #"{"title":"改标题"}"#) },
        "moveQuote": { c in Case(method: .post, uri: "/api/v1/quotes/\(c.quote)/status", body: #"{"status":"sent"}"#) },
        "reviseQuote": { c in Case(method: .post, uri: "/api/v1/quotes/\(c.quote)/revise") },
        "acceptQuote": { c in Case(method: .post, uri: "/api/v1/quotes/\(c.quote)/accept") },
        "listOrders": { _ in Case(method: .get, uri: "/api/v1/orders") },
        "createOrder": { c in Case(method: .post, uri: "/api/v1/orders",
                                   body: #"{"customer_id":"\#(c.customer)","external_id":"M\#(c.n)","lines":[{"name":"货品","quantity":1,"unit_price":100}]}"#) },
        "importOrders": { c in Case(method: .post, uri: "/api/v1/orders/batch",
                                    body: #"{"orders":[{"customer_id":"\#(c.customer)","external_id":"B\#(c.n)","lines":[{"name":"货品","quantity":1,"unit_price":100}]}]}"#) },
        "orderBoard": { _ in Case(method: .get, uri: "/api/v1/orders/board") },
        "getOrder": { c in Case(method: .get, uri: "/api/v1/orders/\(c.order)") },
        "payOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/payments", body: #"{"amount":100,"method":"支付宝"}"#) },
        "refundOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/refunds", body: #"{"amount":100,"note":"退款"}"#) },
        "planOrderCollection": { c in Case(method: .put, uri: "/api/v1/orders/\(c.order)/collection-plan",
                                           body: #"{"instalments":[{"due_date":"2027-01-31","amount":6000},{"due_date":"2027-02-28","amount":4000}]}"#) },
        "shipOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/shipments", body: #"{"carrier":"顺丰速运","tracking_number":"SF\#(c.n)"}"#) },
        "deliverOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/deliver") },
        "confirmOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/confirm") },
        "cancelOrder": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/cancel", body: #"{"reason":"客户取消"}"#) },
        "returnOrderGoods": { c in Case(method: .post, uri: "/api/v1/orders/\(c.order)/returns",
                                        body: #"{"reason":"破损","lines":[{"line_id":"\#(c.orderLine)","quantity":1}]}"#) },
        "listPipelines": { _ in Case(method: .get, uri: "/api/v1/pipelines") },
        "createPipeline": { c in Case(method: .post, uri: "/api/v1/pipelines",
                                      body: #"{"name":"大客户\#(c.n)","stages":[{"name":"接触","probability":20},{"name":"赢","probability":100,"kind":"won"},{"name":"输","probability":0,"kind":"lost"}]}"#) },
        "listDeals": { _ in Case(method: .get, uri: "/api/v1/deals") },
        "createDeal": { c in Case(method: .post, uri: "/api/v1/deals", body: #"{"name":"商机\#(c.n)","customer_id":"\#(c.customer)","amount":{"minor":100000,"currency":"CNY"}}"#) },
        "dealBoard": { _ in Case(method: .get, uri: "/api/v1/deals/board") },
        "dealForecast": { _ in Case(method: .get, uri: "/api/v1/deals/forecast") },
        "getDeal": { c in Case(method: .get, uri: "/api/v1/deals/\(c.deal)") },
        "updateDeal": { c in Case(method: .patch, uri: "/api/v1/deals/\(c.deal)", body: #"{"expected_close":"2027-01-15"}"#) },
        "moveDeal": { c in Case(method: .post, uri: "/api/v1/deals/\(c.deal)/move", body: #"{"stage_id":"\#(c.stageID)"}"#) },
        "listTasks": { _ in Case(method: .get, uri: "/api/v1/tasks?mine=true&status=open") },
        "createTask": { c in Case(method: .post, uri: "/api/v1/tasks", body: #"{"title":"回访\#(c.n)","due_at":"2026-12-01T02:00:00Z"}"#) },
        "myDay": { _ in Case(method: .get, uri: "/api/v1/tasks/my-day") },
        "getTask": { c in Case(method: .get, uri: "/api/v1/tasks/\(c.task)") },
        "updateTask": { c in Case(method: .patch, uri: "/api/v1/tasks/\(c.task)", body: #"{"priority":"high"}"#) },
        "completeTask": { c in Case(method: .post, uri: "/api/v1/tasks/\(c.task)/complete", body: #"{"outcome":"好"}"#) },
        "cancelTask": { c in Case(method: .post, uri: "/api/v1/tasks/\(c.task)/cancel") },
        "reopenTask": { c in Case(method: .post, uri: "/api/v1/tasks/\(c.task)/reopen") },
        "recordVisit": { c in Case(method: .post, uri: "/api/v1/tasks/\(c.task)/record", body: #"{"outcome":"顺利","latitude":"31.2","longitude":"121.4"}"#) },
        "visitSummary": { _ in Case(method: .get, uri: "/api/v1/visits/summary?week=2026-W48") },
        "importLeads": { c in Case(method: .post, uri: "/api/v1/leads/import", body: "姓名,来源\n导入线索\(c.n),展会\n", contentType: "text/csv") },
        "listLeads": { _ in Case(method: .get, uri: "/api/v1/leads") },
        "createLeads": { c in Case(method: .post, uri: "/api/v1/leads/batch", body: #"{"leads":[{"name":"批量\#(c.n)","source":"抖音"},{"email":"b\#(c.n)@example.cn"}]}"#) },
        "createLead": { c in Case(method: .post, uri: "/api/v1/leads", body: #"{"name":"线索\#(c.n)","source":"官网"}"#) },
        "getLead": { c in Case(method: .get, uri: "/api/v1/leads/\(c.lead)") },
        "setLeadStatus": { c in Case(method: .post, uri: "/api/v1/leads/\(c.lead)/status", body: #"{"status":"contacted"}"#) },
        "transferLead": { c in Case(method: .post, uri: "/api/v1/leads/\(c.lead)/transfer", body: #"{"owner_id":null,"reason":"调岗"}"#) },
        "addLeadActivity": { c in Case(method: .post, uri: "/api/v1/leads/\(c.lead)/activities", body: #"{"kind":"call","subject":"首次电话"}"#) },
        "getLeadTimeline": { c in Case(method: .get, uri: "/api/v1/leads/\(c.lead)/timeline") },
        "convertLead": { c in Case(method: .post, uri: "/api/v1/leads/\(c.lead)/convert", body: "{}") },
        "listAssignmentRules": { _ in Case(method: .get, uri: "/api/v1/assignment-rules") },
        "createAssignmentRule": { c in Case(method: .post, uri: "/api/v1/assignment-rules", body: #"{"name":"规则\#(c.n)","method":"pool"}"#) },
        "replaceAssignmentRule": { c in Case(method: .put, uri: "/api/v1/assignment-rules/\(c.ruleID)", body: #"{"name":"改\#(c.n)","method":"pool"}"#) },
        "deleteAssignmentRule": { c in Case(method: .delete, uri: "/api/v1/assignment-rules/\(c.ruleID)") },
        "listLeadSources": { _ in Case(method: .get, uri: "/api/v1/lead-sources") },
        "createLeadSource": { c in Case(method: .post, uri: "/api/v1/lead-sources", body: #"{"kind":"form","name":"官网表单\#(c.n)"}"#) },
        "disableLeadSource": { c in Case(method: .delete, uri: "/api/v1/lead-sources/\(c.sourceID)") },
        "receiveLeadWebhook": { c in
            let body = #"{"name":"广告线索\#(c.n)"}"#
            return Case(method: .post, uri: "/api/v1/hooks/leads/\(c.hookKey)", body: body,
                        headers: ["X-Guanxi-Signature": LeadSourceStore.sign(body: Array(body.utf8), secret: c.hookSecret, at: Date())])
        },
        "renameTag": { c in Case(method: .post, uri: "/api/v1/tags/rename", body: #"{"from":"VIP","to":"VIP\#(c.n)"}"#) },
        "listCustomers": { _ in Case(method: .get, uri: "/api/v1/customers") },
        "createCustomer": { c in Case(method: .post, uri: "/api/v1/customers", body: #"{"kind":"person","name":"新客户\#(c.n)"}"#) },
        "getCustomer": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)") },
        "updateCustomer": { c in Case(method: .patch, uri: "/api/v1/customers/\(c.customer)", body: #"{"stage":"lead"}"#) },
        "deleteCustomer": { c in Case(method: .delete, uri: "/api/v1/customers/\(c.customer)") },
        "restoreCustomer": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/restore") },
        "listIdentities": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/identities") },
        "addIdentity": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/identities", body: #"{"kind":"email","value":"new\#(c.n)@example.com"}"#) },
        "removeIdentity": { c in Case(method: .delete, uri: "/api/v1/customers/\(c.customer)/identities/email/m\(c.n)%40example.com") },
        "listTags": { _ in Case(method: .get, uri: "/api/v1/tags") },
        "addTags": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/tags", body: #"{"tags":["新"]}"#) },
        "removeTag": { c in Case(method: .delete, uri: "/api/v1/customers/\(c.customer)/tags/VIP") },
        "listCustomFields": { _ in Case(method: .get, uri: "/api/v1/custom-fields") },
        "createCustomField": { c in Case(method: .post, uri: "/api/v1/custom-fields", body: #"{"key":"k\#(c.n)","label":"字段","type":"text"}"#) },
        "deleteCustomField": { c in Case(method: .delete, uri: "/api/v1/custom-fields/\(c.fieldKey)") },
        "listNotes": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/notes") },
        "addNote": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/notes", body: #"{"body":"跟进"}"#) },
        "listInteractions": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/interactions") },
        "addInteraction": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/interactions", body: #"{"kind":"call","direction":"outbound","subject":"回访"}"#) },
        "getTimeline": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/timeline") },
        "listRelationships": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/relationships") },
        "addRelationship": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/relationships", body: #"{"to_id":"\#(c.pool)","kind":"family"}"#) },
        "deleteRelationship": { c in Case(method: .delete, uri: "/api/v1/customers/\(c.customer)/relationships/\(c.relationshipID)") },
        "customerDuplicates": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/duplicates") },
        "listDuplicates": { _ in Case(method: .get, uri: "/api/v1/duplicates") },
        "mergeCustomers": { c in Case(method: .post, uri: "/api/v1/merges", body: #"{"survivor_id":"\#(c.customer)","merged_id":"\#(c.second)"}"#) },
        "undoMerge": { c in Case(method: .post, uri: "/api/v1/merges/\(c.mergeID)/undo") },
        "listMerges": { c in Case(method: .get, uri: "/api/v1/customers/\(c.customer)/merges") },
        "search": { _ in Case(method: .get, uri: "/api/v1/search?q=%E5%AE%A2%E6%88%B7") },
        "startImport": { c in Case(method: .post, uri: "/api/v1/imports?filename=a.csv", body: "name\n导入\(c.n)\n", contentType: "text/csv") },
        "getImport": { c in Case(method: .get, uri: "/api/v1/imports/\(c.importID)") },
        "exportCustomers": { _ in Case(method: .get, uri: "/api/v1/exports/customers.csv") },
        "me": { _ in Case(method: .get, uri: "/api/v1/me") },
        "listRoles": { _ in Case(method: .get, uri: "/api/v1/roles") },
        "saveRole": { c in Case(method: .put, uri: "/api/v1/roles/custom_\(c.n)", body: #"{"name":"自定义","permissions":["customers.read:own"]}"#) },
        "setUserRole": { c in Case(method: .put, uri: "/api/v1/users/\(c.spareUserID)/role", body: #"{"role":"read_only"}"#) },
        "listTeams": { _ in Case(method: .get, uri: "/api/v1/teams") },
        "createTeam": { c in Case(method: .post, uri: "/api/v1/teams", body: #"{"name":"新团队\#(c.n)","kind":"sales"}"#) },
        "updateTeam": { c in Case(method: .put, uri: "/api/v1/teams/\(c.teamID)", body: #"{"name":"华南区","kind":"sales"}"#) },
        "shareCustomer": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/shares", body: #"{"user_id":"\#(c.spareUserID)"}"#) },
        "revealCustomer": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/reveal") },
        "listTokens": { _ in Case(method: .get, uri: "/api/v1/tokens") },
        "createToken": { _ in Case(method: .post, uri: "/api/v1/tokens", body: #"{"name":"脚本"}"#) },
        "revokeToken": { c in Case(method: .delete, uri: "/api/v1/tokens/\(c.tokenID)") },
        "handover": { c in Case(method: .post, uri: "/api/v1/users/\(c.leaverID)/handover", body: #"{"to_user_ids":["\#(c.spareUserID)"]}"#) },
        "getPoolRules": { _ in Case(method: .get, uri: "/api/v1/pool/rules") },
        "savePoolRules": { _ in Case(method: .put, uri: "/api/v1/pool/rules", body: #"{"caps":{"sales_rep":500},"recycle_days":{"*":30}}"#) },
        "claimCustomer": { c in Case(method: .post, uri: "/api/v1/customers/\(c.freshPool)/claim") },
        "releaseCustomer": { c in Case(method: .post, uri: "/api/v1/customers/\(c.customer)/release") },
        "signIn": { c in Case(method: .post, uri: "/api/v1/auth/sign-in", body: #"{"email":"\#(c.email)","password":"password-matrix"}"#) },
        "signOut": { _ in Case(method: .post, uri: "/api/v1/auth/sign-out") },
        "changePassword": { _ in Case(method: .post, uri: "/api/v1/auth/password", body: #"{"current_password":"password-matrix","new_password":"password-matrix"}"#) },
        "requestPasswordReset": { c in Case(method: .post, uri: "/api/v1/auth/password-reset", body: #"{"email":"\#(c.email)"}"#) },
        "resetPassword": { c in Case(method: .post, uri: "/api/v1/auth/password-reset/confirm", body: #"{"token":"\#(c.resetToken)","new_password":"password-matrix"}"#) },
        "enrollTOTP": { _ in Case(method: .post, uri: "/api/v1/auth/totp") },
        "confirmTOTP": { c in Case(method: .post, uri: "/api/v1/auth/totp/confirm", body: #"{"code":"\#(c.totpCode)"}"#) },
        "disableTOTP": { _ in Case(method: .post, uri: "/api/v1/auth/totp/disable", body: #"{"password":"password-matrix"}"#) },
        "listWorkspaces": { _ in Case(method: .get, uri: "/api/v1/workspaces") },
        "createWorkspace": { c in Case(method: .post, uri: "/api/v1/workspaces", body: #"{"name":"分公司\#(c.n)","slug":"branch-\#(c.n)"}"#) },
        "listUsers": { _ in Case(method: .get, uri: "/api/v1/users") },
        "listAudit": { _ in Case(method: .get, uri: "/api/v1/audit") },
        "verifyAudit": { _ in Case(method: .get, uri: "/api/v1/audit/verify") },
    ]

    /// Routes whose answer depends on whose customer it is, and what they do to it.
    static func recordActions(_ route: APIRoute) -> [AccessAction]? {
        switch route.operationID {
        case "mergeCustomers", "undoMerge": return [.update, .delete]
        case "convertLead": return [.update]
        case "transferLead": return [.update, .assign]
        case "acceptQuote": return [.update]
        case "revealCustomer": return [.reveal]
        case "claimCustomer": return nil   // always a pool customer
        default:
            guard ["/customers/{id}", "/leads/{id}", "/deals/{id}", "/quotes/{id}", "/orders/{id}", "/tasks/{id}"].contains(where: route.path.hasPrefix), case .permission(_, let a) = route.needs else { return nil }
            return [a]
        }
    }

    /// The status the rules promise: 403 without the route's permission, 404 for a record the role
    /// cannot see (or another workspace's), 403 for one it sees but may not change, else success.
    static func expected(_ route: APIRoute, _ role: Role, _ relation: Relation) -> Int? {
        let p = role.permissions
        if case .permission(let o, let a) = route.needs, p.level(o, a) == nil { return 403 }
        // Creating workspaces is for server administrators, not a workspace role.
        if route.operationID == "createWorkspace" { return 403 }
        guard let actions = recordActions(route) else { return nil }
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
        // the record is a lead on /leads/{id} routes, else a customer
        let object: AccessObject = route.path.hasPrefix("/leads/") ? .leads : route.path.hasPrefix("/deals/{id}") ? .deals
            : route.path.hasPrefix("/quotes/{id}") || route.path.hasPrefix("/orders/{id}") ? .orders
            : route.path.hasPrefix("/tasks/{id}") ? .tasks : .customers
        if !reaches(p.level(object, .read)) { return 404 }
        // releasing someone else's customer also takes the right to assign it
        let needed = route.operationID == "releaseCustomer" && relation != .own ? actions + [.assign] : actions
        for a in needed {
            let ok = a == .reveal ? reaches(p.level(.personalData, .read)) || reaches(p.level(.personalData, .reveal))
                                  : reaches(p.level(object, a))
            if !ok { return 403 }
        }
        return nil
    }

    @Test(arguments: Backend.all) func everyRouteHasASample(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let missing = env.table.routes.map(\.operationID).filter { Self.samples[$0] == nil }
            #expect(missing.isEmpty, "routes without an authorisation sample: \(missing)")
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
            let imports = env.services.imports

            var n = 0
            var mismatches: [String] = []
            for route in env.table.routes {
                guard let sample = Self.samples[route.operationID] else { continue }
                let relations: [Relation] = Self.recordActions(route) == nil ? [.own] : Relation.allCases
                for role in Role.allCases {
                    for relation in relations {
                        n += 1
                        // a fresh record for this case, owned as the relation says
                        let (scope, ownerID): (Scope, String?) = switch relation {
                        case .own: (owner, users[role]!.id)
                        case .teammate: (owner, mate.id)
                        case .otherTeam: (owner, rival.id)
                        case .otherWorkspace: (ownerB, nil)
                        }
                        func make(_ name: String, email: String? = nil) async throws -> String {
                            var d = CustomerDraft(); d.kind = .person; d.name = name; d.ownerID = .some(ownerID); d.tags = ["VIP"]
                            if let email { d.emails = [email] }
                            return try await store.create(scope, d).id
                        }
                        let customer = try await make("客户\(n)", email: "m\(n)@example.com")
                        let second = try await make("客户\(n)b")
                        let lead = try await env.services.leads.create(scope, { var d = LeadDraft(); d.name = "线索\(n)"; d.ownerID = ownerID; return d }()).id
                        let deal = try await env.services.deals.create(scope, { var d = DealDraft(); d.name = "商机\(n)"; d.customerID = customer
                                                                               d.ownerID = ownerID; return d }()).id
                        var ctx = Ctx(customer: customer, second: second, pool: pool, mergeID: "", relationshipID: "", fieldKey: "f\(n)",
                                      importID: "", tokenID: "", spareUserID: spare.id, teamID: spareTeam.id, n: n)
                        ctx.email = "\(role.rawValue)@matrix.example"
                        ctx.userID = users[role]!.id
                        ctx.lead = lead
                        ctx.deal = deal
                        ctx.stageID = try await env.services.deals.pipelines(scope)[0].stages[1].id
                        var td = TaskDraft(); td.title = "待办\(n)"; td.dueAt = Date().addingTimeInterval(3600); td.ownerID = ownerID
                        if route.operationID == "recordVisit" { td.kind = .visit; td.subjectKind = .some(.customer); td.subjectID = .some(customer) }
                        ctx.task = try await env.services.tasks.create(scope, td).id
                        if route.operationID == "reopenTask" { _ = try await env.services.tasks.setStatus(scope, id: ctx.task, to: .done, ifVersion: nil) }
                        switch route.operationID {
                        case "undoMerge":
                            ctx.mergeID = try await store.merge(scope, survivorID: customer, mergedID: second, choices: MergeChoices()).1.id
                        case "deleteRelationship":
                            let other = try await make("亲属\(n)")
                            ctx.relationshipID = try await store.addRelationship(scope, fromID: customer, toID: other, kind: .family, title: nil).id
                        case "deleteCustomField":
                            _ = try await env.services.customFields.create(owner, CustomFieldDefinition(key: ctx.fieldKey, label: "x", type: .text))
                        case "getImport":
                            ctx.importID = try await imports.start(owner, filename: "x.csv", data: Data("name\n甲\n".utf8), mapping: [:], dryRun: true).id
                        case "handover":
                            let leaver = try await access.createUser(email: "leaver\(n)@matrix.example", password: "password-matrix", name: nil,
                                                                     role: .salesRep, workspaceID: ws)
                            ctx.leaverID = leaver.id
                        case "claimCustomer":
                            ctx.freshPool = try await store.create(owner, { var d = CustomerDraft(); d.kind = .person; d.name = "公海\(n)"; return d }()).id
                        case "resetPassword":
                            ctx.resetToken = try await env.services.signIn.resetToken(email: "\(role.rawValue)@matrix.example") ?? ""
                        case "confirmTOTP":
                            let me = try #require(try await access.scope(userID: users[role]!.id, workspaceID: ws))
                            let secret = try await env.services.signIn.enrollTOTP(me).secret
                            ctx.totpCode = TOTP.code(secret: Base32.decode(secret) ?? [], at: Date())
                        case "replaceAssignmentRule", "deleteAssignmentRule":
                            ctx.ruleID = try await env.services.assignmentRules.save(owner, AssignmentRule(id: ID.make(), name: "r\(n)", position: 1, method: .pool)).id
                        case "disableLeadSource", "receiveLeadWebhook":
                            let src = try await env.services.leadSources.create(owner, kind: .webhook, name: "hook\(n)",
                                                                                sourceLabel: nil, campaign: nil)
                            ctx.sourceID = src.id; ctx.hookKey = src.publicKey; ctx.hookSecret = src.secret ?? ""
                        case "getProduct", "updateProduct":
                            var p = ProductDraft(); p.sku = "P-\(n)"; p.name = "产品\(n)"
                            ctx.product = try await env.services.products.save(owner, id: nil, p).id
                        case "updatePriceList":
                            ctx.priceList = try await env.services.products.savePriceList(owner, id: nil, PriceListDraft(name: "价目\(n)", currency: "USD")).id
                        case "getQuote", "updateQuote", "moveQuote", "reviseQuote", "acceptQuote":
                            var q = QuoteDraft(); q.customerID = customer; q.ownerID = ownerID
                            q.lines = [LineDraft(name: "报价", quantity: 1, unitPrice: 10_000, taxRate: Percent(basisPoints: 0))]
                            let made = try await env.services.quotes.create(scope, q)
                            if route.operationID == "acceptQuote" { _ = try await env.services.quotes.move(scope, id: made.id, to: .sent, reason: nil, ifVersion: nil) }
                            ctx.quote = made.id
                        case _ where route.path.hasPrefix("/orders/{id}"):
                            var d = OrderDraft(); d.customerID = customer; d.ownerID = ownerID
                            d.lines = [LineDraft(name: "货品", quantity: 2, unitPrice: 5_000, taxRate: Percent(basisPoints: 0))]
                            let o = try await env.services.orders.create(scope, d).0
                            let orders = env.services.orders
                            if ["refundOrder", "shipOrder", "deliverOrder", "confirmOrder", "returnOrderGoods"].contains(route.operationID) {
                                _ = try await orders.pay(scope, id: o.id, PaymentDraft(amount: 10_000))
                            }
                            if ["deliverOrder", "confirmOrder", "returnOrderGoods"].contains(route.operationID) {
                                _ = try await orders.ship(scope, id: o.id, ShipmentDraft(carrier: "顺丰速运"))
                            }
                            if route.operationID == "confirmOrder" { _ = try await orders.deliver(scope, id: o.id) }
                            ctx.order = o.id; ctx.orderLine = o.lines[0].item.id
                        case "revokeToken":
                            ctx.tokenID = try await access.createToken(userID: users[role]!.id, workspaceID: ws, name: "to revoke").id
                        default: break
                        }
                        // when the role's user sends the request
                        let c = sample(ctx)
                        let r = try await env.send(c.method, c.uri, as: .bearer(users[role]!.token), body: c.body.map { Data($0.utf8) },
                                                   contentType: c.body == nil ? nil : c.contentType, headers: c.headers)
                        // then the answer is the one the rules promise
                        let want = Self.expected(route, role, relation)
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
