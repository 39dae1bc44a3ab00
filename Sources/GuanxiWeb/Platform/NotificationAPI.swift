import Foundation
import Hummingbird
import GuanxiCore
import GuanxiStore

/// `/api/v1/notifications`: the signed-in user's notifications and marking them read.
package struct NotificationAPI {
    package let notifications: NotificationStore

    package struct List: Encodable, Sendable { var items: [UserNotification]; var unread: Int }
    package struct ReadInput: Decodable { var id: String? }

    package func register(_ t: RouteTable) {
        let tag = "Notifications"
        t.on(APIRoute(method: .get, path: "/notifications", operationID: "listNotifications",
                      summary: "The caller's notifications (SLA warnings and escalations…), newest first, and how many are unread", tag: tag,
                      needs: .member, query: ["limit"], responseSchema: "NotificationList")) { req, _, scope in
            let (items, unread) = try await notifications.list(scope, limit: try APIPaging.limit(req, default: 50))
            return .json(List(items: items, unread: unread))
        }
        t.on(APIRoute(method: .post, path: "/notifications/read", operationID: "markNotificationsRead",
                      summary: "Mark one notification read (`id`), or all of them", tag: tag, needs: .member,
                      requestSchema: "NotificationReadInput", status: 204)) { req, _, scope in
            try await notifications.markRead(scope, id: try await APIBody.json(ReadInput.self, req).id)
            return .noContent
        }
    }
}

extension OpenAPIDocument {
    package static func notificationSchemas() -> [String: Any] {
        ["UserNotification": obj(["id": str, "kind": str, "subject": str, "link": nstr, "created_at": time,
                                  "read_at": ["type": ["string", "null"], "format": "date-time"]]),
         "NotificationList": obj(["items": arr(ref("UserNotification")), "unread": int]),
         "NotificationReadInput": obj(["id": nstr])]
    }
}
