import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the events operations: sources are workspace settings
/// (owners and administrators); a customer's events follow the customer's read.
enum EventsMatrix {
    static let samples: [String: MatrixSample] = [
        "listEventSources": MatrixSample("/api/v1/event-sources"),
        "createEventSource": MatrixSample("/api/v1/event-sources", body: #"{"name":"网店 {n} 🛒","allowed_origins":["https://shop.example.cn"]}"#),
        "rotateEventSourceKey": MatrixSample("/api/v1/event-sources/{source}/rotate-key"),
        "disableEventSource": MatrixSample("/api/v1/event-sources/{source}/disable"),
        "enableEventSource": MatrixSample("/api/v1/event-sources/{source}/enable"),
        "listCustomerEvents": MatrixSample("/api/v1/customers/{customer}/events", record: .customers),
        "deleteCustomerEvents": MatrixSample("/api/v1/customers/{customer}/events", record: .customers),
        "listEvents": MatrixSample("/api/v1/events?event=Viewed&property.%E5%90%8D%E7%A7%B0=%E9%BE%99%E4%BA%95"),
        "getEventSettings": MatrixSample("/api/v1/event-settings"),
        "updateEventSettings": MatrixSample("/api/v1/event-settings", body: #"{"retention_days":365,"overwrite":["city"]}"#),
        "listCustomerEventLinks": MatrixSample("/api/v1/customers/{customer}/event-links", record: .customers),
    ]

    /// A source of the case's workspace.
    static let fixture: MatrixFixture = { s in
        guard s.wants("source") else { return [:] }
        let store = EventStore(db: s.services.db, clock: s.services.clock)
        return ["source": try await store.createSource(s.admin, name: "App \(s.n)").source.id]
    }
}
