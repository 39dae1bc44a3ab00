import Foundation
import GuanxiCore
import GuanxiWebPlatform

extension OpenAPIDocument {
    /// Customers, their identities, tags, custom fields, timeline, relationships, duplicates, merges and imports.
    static func customerSchemas() -> [String: Any] {
        let identity = obj(["kind": enumOf(IdentityKind.allCases.map(\.rawValue)), "value": str, "namespace": nstr], required: ["kind", "value"])
        let address = obj(["label": nstr, "country": nstr, "province": nstr, "city": nstr, "district": nstr, "street": nstr, "postcode": nstr])
        let customerProps: [String: Any] = [
            "kind": enumOf(CustomerKind.allCases.map(\.rawValue)), "name": str, "organization_id": nstr, "title": nstr,
            "stage": enumOf(LifecycleStage.allCases.map(\.rawValue)), "tier": nstr, "owner_id": nstr, "source": nstr,
            "emails": arr(str), "phones": arr(str), "identities": arr(ref("Identity")), "addresses": arr(ref("Address")),
            "birthday": ["type": ["string", "null"], "format": "date"],
            "consent": ["type": "object", "additionalProperties": enumOf(ConsentStatus.allCases.map(\.rawValue))],
            "preferred_channel": ["type": ["string", "null"], "enum": ContactChannel.allCases.map(\.rawValue) + [NSNull()]],
            "tags": arr(str), "custom": ["type": "object", "additionalProperties": true],
        ]
        var stored = customerProps
        stored["id"] = str; stored["organization_name"] = nstr; stored["version"] = int
        stored["masked"] = ["type": "boolean"]
        stored["created_at"] = time; stored["updated_at"] = time; stored["deleted_at"] = ["type": ["string", "null"], "format": "date-time"]
        let entry = obj(["id": str, "customer_id": str, "kind": enumOf(TimelineKind.allCases.map(\.rawValue)), "occurred_at": time,
                         "channel": nstr, "direction": nstr, "subject": nstr, "body": nstr, "duration_seconds": ["type": ["integer", "null"]],
                         "outcome": nstr, "author_id": nstr, "data": ["type": ["object", "null"]], "created_at": time])
        var s: [String: Any] = [:]
        s["Identity"] = identity
        s["Address"] = address
        s["CustomerInput"] = obj(customerProps, required: ["kind", "name"])
        s["CustomerPatch"] = obj(customerProps)
        s["Customer"] = obj(stored, required: ["id", "kind", "name", "version"])
        s["CustomerPage"] = obj(["items": arr(ref("Customer")), "next_cursor": nstr])
        s["CustomerList"] = obj(["items": arr(ref("Customer"))])
        s["IdentityList"] = obj(["items": arr(ref("Identity"))])
        s["TagsInput"] = obj(["tags": arr(str)], required: ["tags"])
        s["TagList"] = obj(["items": arr(obj(["tag": str, "count": int]))])
        let tag: [String: Any] = ["type": "string", "pattern": Pattern.words]
        s["TagRenameInput"] = obj(["from": tag, "to": tag], required: ["from", "to"])
        s["TagRename"] = obj(["changed": int, "skipped": int])
        var options = arr(str)
        options["uniqueItems"] = true
        let field: [String: Any] = ["key": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"], "label": ["type": "string", "maxLength": 100, "pattern": Pattern.words],
                                    "type": enumOf(CustomFieldType.allCases.map(\.rawValue)), "options": options, "required": ["type": "boolean"],
                                    "sensitive": ["type": "boolean"], "applies_to": enumOf(CustomFieldTarget.allCases.map(\.rawValue))]
        // a new definition starts at version 1 whatever the request says: the version is only answered
        s["CustomFieldInput"] = obj(field, required: ["key", "label", "type"])
        s["CustomField"] = obj(field.merging(["version": int]) { a, _ in a }, required: ["key", "label", "type", "version"])
        s["CustomFieldList"] = obj(["items": arr(ref("CustomField"))])
        s["ActivityInput"] = obj(["kind": enumOf(InteractionKind.allCases.map(\.rawValue)), "direction": enumOf(Direction.allCases.map(\.rawValue)),
                                  "subject": str, "body": str, "occurred_at": time, "duration_seconds": int, "outcome": str])
        s["TimelineEntry"] = entry
        s["TimelinePage"] = obj(["items": arr(ref("TimelineEntry")), "next_cursor": nstr])
        s["RelationshipInput"] = obj(["to_id": str, "kind": enumOf(RelationKind.allCases.map(\.rawValue)), "title": nstr], required: ["to_id", "kind"])
        s["Relationship"] = obj(["id": str, "from_id": str, "to_id": str, "kind": str, "title": nstr, "created_at": time])
        s["RelationshipList"] = obj(["items": arr(ref("Relationship"))])
        s["Duplicate"] = obj(["customer": ref("Customer"), "other": ref("Customer"), "reason": str])
        s["DuplicateList"] = obj(["items": arr(ref("Duplicate"))])
        s["MergeInput"] = obj(["survivor_id": str, "merged_id": str,
                               "fields": ["type": "object", "additionalProperties": enumOf(["survivor", "merged"])]],
                              required: ["survivor_id", "merged_id"])
        s["Merge"] = obj(["id": str, "survivor_id": str, "merged_id": str, "created_at": time, "undone_at": ["type": ["string", "null"]]])
        s["MergeResult"] = obj(["merge": ref("Merge"), "customer": ref("Customer")])
        s["UndoResult"] = obj(["survivor": ref("Customer"), "restored": ref("Customer")])
        s["MergeList"] = obj(["items": arr(ref("Merge"))])
        s["ImportJob"] = obj(["id": str, "status": enumOf(["running", "finished", "failed"]), "filename": str,
                              "report": ["type": ["object", "null"]], "error": nstr, "created_at": time])
        return s
    }
}
