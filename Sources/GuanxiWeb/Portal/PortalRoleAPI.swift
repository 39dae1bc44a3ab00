import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Staff's side of the portal in `/api/v1`: a contact's role in the portal for their organisation
/// (`admin` also sees the organisation's requests and accepts its quotes; `member` is the default).
/// Setting it takes what changing the customer takes.
struct PortalRoleAPI {
    let portal: PortalStore

    struct Input: Decodable { var role: PortalRole }
    struct Answer: Encodable { var customerID: String; var role: String
        enum CodingKeys: String, CodingKey { case role, customerID = "customer_id" } }

    func register(_ t: RouteTable) {
        t.on(APIRoute(method: .put, path: "/customers/{id}/portal-role", operationID: "setPortalRole",
                      summary: "Set a contact's role in the customer portal for their organisation (admin or member)", tag: "Portal",
                      needs: .can(.update, .customers), requestSchema: "PortalRoleInput", responseSchema: "PortalRole")) { req, ctx, scope in
            let input = try await APIBody.json(Input.self, req)
            let id = try ctx.parameters.require("id").lowercased()
            try await portal.setRole(scope, customerID: id, role: input.role)
            return .json(Answer(customerID: id, role: input.role.rawValue))
        }
    }

    static let samples: [String: MatrixSample] = [
        "setPortalRole": MatrixSample("/api/v1/customers/{customer}/portal-role", body: #"{"role":"admin"}"#, record: .customers),
    ]
}

extension OpenAPIDocument {
    static func portalSchemas() -> [String: Any] {
        let role = enumOf(PortalRole.allCases.map(\.rawValue))
        return [
            "PortalRoleInput": obj(["role": role], required: ["role"]),
            "PortalRole": obj(["customer_id": ["type": "string"], "role": role], required: ["customer_id", "role"]),
        ]
    }
}
