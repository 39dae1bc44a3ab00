import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the customer operations (see `MatrixSample`).
enum CustomerMatrix {
    static let samples: [String: MatrixSample] = [
        "renameTag": MatrixSample("/api/v1/tags/rename", body: #"{"from":"VIP","to":"VIP{n}"}"#),
        "listCustomers": MatrixSample("/api/v1/customers"),
        "createCustomer": MatrixSample("/api/v1/customers", body: #"{"kind":"person","name":"新客户{n}"}"#),
        "getCustomer": MatrixSample("/api/v1/customers/{customer}", record: .customers),
        "updateCustomer": MatrixSample("/api/v1/customers/{customer}", body: #"{"stage":"lead"}"#, record: .customers),
        "deleteCustomer": MatrixSample("/api/v1/customers/{customer}", record: .customers),
        "restoreCustomer": MatrixSample("/api/v1/customers/{customer}/restore", record: .customers),
        "listIdentities": MatrixSample("/api/v1/customers/{customer}/identities", record: .customers),
        "addIdentity": MatrixSample("/api/v1/customers/{customer}/identities", body: #"{"kind":"email","value":"new{n}@example.com"}"#, record: .customers),
        "removeIdentity": MatrixSample("/api/v1/customers/{customer}/identities/email/m{n}%40example.com", record: .customers),
        "listTags": MatrixSample("/api/v1/tags"),
        "addTags": MatrixSample("/api/v1/customers/{customer}/tags", body: #"{"tags":["新"]}"#, record: .customers),
        "removeTag": MatrixSample("/api/v1/customers/{customer}/tags/VIP", record: .customers),
        "listCustomFields": MatrixSample("/api/v1/custom-fields"),
        "createCustomField": MatrixSample("/api/v1/custom-fields", body: #"{"key":"k{n}","label":"字段","type":"text"}"#),
        "deleteCustomField": MatrixSample("/api/v1/custom-fields/{fieldKey}"),
        "listNotes": MatrixSample("/api/v1/customers/{customer}/notes", record: .customers),
        "addNote": MatrixSample("/api/v1/customers/{customer}/notes", body: #"{"body":"跟进"}"#, record: .customers),
        "listInteractions": MatrixSample("/api/v1/customers/{customer}/interactions", record: .customers),
        "addInteraction": MatrixSample("/api/v1/customers/{customer}/interactions", body: #"{"kind":"call","direction":"outbound","subject":"回访"}"#, record: .customers),
        "getTimeline": MatrixSample("/api/v1/customers/{customer}/timeline", record: .customers),
        "listRelationships": MatrixSample("/api/v1/customers/{customer}/relationships", record: .customers),
        "addRelationship": MatrixSample("/api/v1/customers/{customer}/relationships", body: #"{"to_id":"{pool}","kind":"family"}"#, record: .customers),
        "deleteRelationship": MatrixSample("/api/v1/customers/{customer}/relationships/{relationshipID}", record: .customers),
        "customerDuplicates": MatrixSample("/api/v1/customers/{customer}/duplicates", record: .customers),
        "listDuplicates": MatrixSample("/api/v1/duplicates"),
        "mergeCustomers": MatrixSample("/api/v1/merges", body: #"{"survivor_id":"{customer}","merged_id":"{second}"}"#, record: .customers, actions: [.update, .delete]),
        "undoMerge": MatrixSample("/api/v1/merges/{mergeID}/undo", record: .customers, actions: [.update, .delete]),
        "listMerges": MatrixSample("/api/v1/customers/{customer}/merges", record: .customers),
        "search": MatrixSample("/api/v1/search?q=%E5%AE%A2%E6%88%B7"),
        "startImport": MatrixSample("/api/v1/imports?filename=a.csv", body: "name\n导入{n}\n", contentType: "text/csv"),
        "getImport": MatrixSample("/api/v1/imports/{importID}"),
        "exportCustomers": MatrixSample("/api/v1/exports/customers.csv")
    ]

    static let fixture: MatrixFixture = { s in
        let customers = s.services.customers
        var v: [String: String] = [:]
        if s.wants("second") || s.wants("mergeID") {
            var d = CustomerDraft(); d.kind = .person; d.name = "客户\(s.n)b"; d.ownerID = .some(s.ownerID)
            v["second"] = try await customers.create(s.scope, d).id
        }
        if s.wants("mergeID") {
            v["mergeID"] = try await customers.merge(s.scope, survivorID: s.values["customer"]!, mergedID: v["second"]!, choices: MergeChoices()).1.id
        }
        if s.wants("relationshipID") {
            var d = CustomerDraft(); d.kind = .person; d.name = "亲属\(s.n)"; d.ownerID = .some(s.ownerID)
            let other = try await customers.create(s.scope, d).id
            v["relationshipID"] = try await customers.addRelationship(s.scope, fromID: s.values["customer"]!, toID: other, kind: .family, title: nil).id
        }
        if s.wants("fieldKey") {
            v["fieldKey"] = "f\(s.n)"
            _ = try await s.services.customFields.create(s.admin, CustomFieldDefinition(key: "f\(s.n)", label: "x", type: .text))
        }
        if s.wants("importID") {
            v["importID"] = try await s.services.imports.start(s.admin, filename: "x.csv", data: Data("name\n甲\n".utf8), mapping: [:], dryRun: true).id
        }
        return v
    }
}
