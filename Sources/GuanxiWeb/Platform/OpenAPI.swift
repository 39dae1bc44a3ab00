import Foundation
import GuanxiCore

/// Builds the OpenAPI 3.1 document from the route table plus the shared component schemas.
public enum OpenAPIDocument {
    public static func build(routes: [APIRoute]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for r in routes {
            var op: [String: Any] = [
                "operationId": r.operationID, "summary": r.summary, "tags": [r.tag],
                "security": [["bearer": [String]()]],
            ]
            var params: [[String: Any]] = r.pathParameters.map {
                ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            params += r.query.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
            if r.idempotent {
                params.append(["name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string", "maxLength": 200],
                               "description": "Repeat a POST safely: the same key and body replays the first answer."])
            }
            if r.method == .patch || r.method == .delete {
                params.append(["name": "If-Match", "in": "header", "required": false, "schema": ["type": "string"],
                               "description": "The ETag you read; a stale one answers 412."])
            }
            if !params.isEmpty { op["parameters"] = params }
            if let s = r.requestSchema {
                let schema: [String: Any] = r.requestContentType == "text/csv" ? ["type": "string"] : ["$ref": "#/components/schemas/\(s)"]
                op["requestBody"] = ["required": true, "content": [r.requestContentType: ["schema": schema]]]
            }
            var responses: [String: Any] = [:]
            if let s = r.responseSchema {
                responses["\(r.status)"] = ["description": "OK", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(s)"]]]]
            } else {
                responses["\(r.status)"] = ["description": "OK"]
            }
            for (code, text) in [("400", "Malformed request"), ("401", "No or bad token"), ("403", "Role may not do this"),
                                 ("404", "Not found (also another workspace's ids)"), ("409", "Duplicate or conflict"),
                                 ("412", "Stale If-Match"), ("413", "Body too large"), ("422", "Invalid fields")] {
                responses[code] = ["description": text, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            }
            op["responses"] = responses
            paths[r.fullPath, default: [:]][r.method.rawValue.lowercased()] = op
        }
        let doc: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Guanxi API", "version": "1.0.0",
                     "description": "The Guanxi CRM REST API. Authenticate with `Authorization: Bearer <token>`."],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas,
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
    }

    static func obj(_ props: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    static var str: [String: Any] { ["type": "string"] }
    static var nstr: [String: Any] { ["type": ["string", "null"]] }
    static var int: [String: Any] { ["type": "integer"] }
    static var time: [String: Any] { ["type": "string", "format": "date-time"] }
    static func arr(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    static func ref(_ s: String) -> [String: Any] { ["$ref": "#/components/schemas/\(s)"] }
    static func enumOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    static var schemas: [String: Any] {
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
        var leadInput: [String: Any] = ["owner_id": nstr, "utm": ["type": "object", "additionalProperties": str]]
        for f in LeadDraft.fields where !f.hasPrefix("utm_") { leadInput[f] = nstr }
        var leadStored = leadInput
        for k in ["id", "name", "channel", "status"] { leadStored[k] = str }
        for k in ["disqualify_reason", "rule_id", "duplicate_of_customer_id", "duplicate_of_lead_id", "converted_customer_id"] { leadStored[k] = nstr }
        for k in ["assigned_at", "response_due_at", "responded_at", "converted_at"] { leadStored[k] = ["type": ["string", "null"], "format": "date-time"] }
        leadStored["version"] = int; leadStored["created_at"] = time; leadStored["updated_at"] = time
        let list = arr(str)
        let dealInput: [String: Any] = ["name": str, "pipeline_id": nstr, "stage_id": nstr, "customer_id": str, "owner_id": nstr,
                                        "amount": ref("Money"), "expected_close": ["type": ["string", "null"], "format": "date"]]
        var dealStored = dealInput
        for k in ["id", "status"] { dealStored[k] = str }
        for k in ["close_reason", "lead_id"] { dealStored[k] = nstr }
        dealStored["probability"] = int; dealStored["version"] = int
        for k in ["stage_changed_at", "last_activity_at", "created_at", "updated_at"] { dealStored[k] = time }
        dealStored["closed_at"] = ["type": ["string", "null"], "format": "date-time"]
        let ruleProps: [String: Any] = [
            "name": str, "position": int, "active": ["type": "boolean"], "method": enumOf(AssignmentMethod.allCases.map(\.rawValue)),
            "team_id": nstr, "user_id": nstr, "response_minutes": ["type": ["integer", "null"]],
            "conditions": obj(["sources": list, "provinces": list, "cities": list, "products": list, "tiers": list]),
        ]
        let nTime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let taskInput: [String: Any] = [
            "kind": enumOf(TaskKind.allCases.map(\.rawValue)), "title": str, "notes": nstr, "due_at": time, "remind_at": nTime,
            "priority": enumOf(TaskPriority.allCases.map(\.rawValue)), "owner_id": nstr,
            "subject_kind": ["type": ["string", "null"], "enum": TaskSubjectKind.allCases.map(\.rawValue) + [NSNull()]], "subject_id": nstr,
        ]
        var taskStored = taskInput
        for k in ["id", "kind", "status"] { taskStored[k] = str }
        for k in ["outcome", "next_step", "next_task_id", "created_by"] { taskStored[k] = nstr }
        taskStored["status"] = enumOf(TaskStatus.allCases.map(\.rawValue))
        taskStored["completed_at"] = nTime; taskStored["version"] = int; taskStored["created_at"] = time; taskStored["updated_at"] = time
        taskStored["check_in"] = ["oneOf": [ref("CheckIn"), ["type": "null"]]]
        return [
            "Task": obj(taskStored, required: ["id", "kind", "title", "due_at", "status", "version"]),
            "TaskInput": obj(taskInput, required: ["title", "due_at"]),
            "TaskPatch": obj(taskInput),
            "TaskPage": obj(["items": arr(ref("Task")), "next_cursor": nstr]),
            "TaskCompleteInput": obj(["outcome": nstr]),
            "CheckIn": obj(["latitude": ["type": "string", "description": "decimal degrees, exact to 6 places"], "longitude": str,
                            "accuracy_m": ["type": ["integer", "null"]]], required: ["latitude", "longitude"]),
            "VisitReport": obj(["outcome": nstr, "next_step": nstr, "next_due_at": nTime, "occurred_at": nTime,
                                "latitude": ["type": ["string", "number", "null"], "description": "-90…90"],
                                "longitude": ["type": ["string", "number", "null"], "description": "-180…180"],
                                "accuracy_m": ["type": ["number", "null"]]]),
            "MyDay": obj(["time_zone": str, "day_start": time, "day_end": time, "overdue": arr(ref("Task")), "due_today": arr(ref("Task")),
                          "reminders": arr(ref("Task")), "visits": arr(ref("Task")), "overdue_leads": arr(ref("Lead"))]),
            "VisitSummary": obj(["week": str, "time_zone": str, "start": time, "end": time,
                                 "rows": arr(obj(["owner_id": nstr, "planned": int, "done": int]))]),
            "LeadImportReport": obj(["total": int, "created": int, "rejected": int, "duplicates": int, "assigned": int, "encoding": str,
                                     "dry_run": ["type": "boolean"], "mapping": ["type": "object", "additionalProperties": str],
                                     "errors": arr(obj(["line": int, "column": nstr, "reason": str]))]),
            "Error": obj(["error": obj(["code": str, "message": str, "fields": ["type": "object", "additionalProperties": str],
                                        "existing_id": str, "current_version": int], required: ["code", "message"])], required: ["error"]),
            "Identity": identity,
            "Address": address,
            "CustomerInput": obj(customerProps, required: ["kind", "name"]),
            "CustomerPatch": obj(customerProps),
            "Customer": obj(stored, required: ["id", "kind", "name", "version"]),
            "CustomerPage": obj(["items": arr(ref("Customer")), "next_cursor": nstr]),
            "CustomerList": obj(["items": arr(ref("Customer"))]),
            "IdentityList": obj(["items": arr(ref("Identity"))]),
            "TagsInput": obj(["tags": arr(str)], required: ["tags"]),
            "TagList": obj(["items": arr(obj(["tag": str, "count": int]))]),
            "TagRenameInput": obj(["from": str, "to": str], required: ["from", "to"]),
            "TagRename": obj(["changed": int, "skipped": int]),
            "CustomField": obj(["key": str, "label": str, "type": enumOf(CustomFieldType.allCases.map(\.rawValue)),
                                "options": arr(str), "required": ["type": "boolean"], "sensitive": ["type": "boolean"], "version": int],
                               required: ["key", "label", "type"]),
            "CustomFieldList": obj(["items": arr(ref("CustomField"))]),
            "ActivityInput": obj(["kind": enumOf(InteractionKind.allCases.map(\.rawValue)), "direction": enumOf(Direction.allCases.map(\.rawValue)),
                                  "subject": str, "body": str, "occurred_at": time, "duration_seconds": int, "outcome": str]),
            "TimelineEntry": entry,
            "TimelinePage": obj(["items": arr(ref("TimelineEntry")), "next_cursor": nstr]),
            "RelationshipInput": obj(["to_id": str, "kind": enumOf(RelationKind.allCases.map(\.rawValue)), "title": nstr], required: ["to_id", "kind"]),
            "Relationship": obj(["id": str, "from_id": str, "to_id": str, "kind": str, "title": nstr, "created_at": time]),
            "RelationshipList": obj(["items": arr(ref("Relationship"))]),
            "Duplicate": obj(["customer": ref("Customer"), "other": ref("Customer"), "reason": str]),
            "DuplicateList": obj(["items": arr(ref("Duplicate"))]),
            "MergeInput": obj(["survivor_id": str, "merged_id": str,
                               "fields": ["type": "object", "additionalProperties": enumOf(["survivor", "merged"])]],
                              required: ["survivor_id", "merged_id"]),
            "Merge": obj(["id": str, "survivor_id": str, "merged_id": str, "created_at": time, "undone_at": ["type": ["string", "null"]]]),
            "MergeResult": obj(["merge": ref("Merge"), "customer": ref("Customer")]),
            "UndoResult": obj(["survivor": ref("Customer"), "restored": ref("Customer")]),
            "MergeList": obj(["items": arr(ref("Merge"))]),
            "Me": obj(["user_id": nstr, "workspace_id": str, "role": str, "permissions": arr(str), "team_ids": arr(str)]),
            "Role": obj(["key": str, "name": str, "built_in": ["type": "boolean"], "permissions": arr(str)]),
            "RoleList": obj(["items": arr(ref("Role"))]),
            "RoleInput": obj(["name": str, "permissions": arr(str)], required: ["name", "permissions"]),
            "RoleAssignment": obj(["role": str], required: ["role"]),
            "Team": obj(["id": str, "name": str, "kind": str, "parent_id": nstr, "manager_id": nstr, "member_ids": arr(str)]),
            "TeamList": obj(["items": arr(ref("Team"))]),
            "TeamInput": obj(["name": str, "kind": str, "parent_id": nstr, "manager_id": nstr, "member_ids": arr(str)], required: ["name"]),
            "ShareInput": obj(["user_id": str, "team_id": str]),
            "Token": obj(["id": str, "name": str, "prefix": str, "user_id": str, "permissions": ["type": ["array", "null"], "items": str],
                          "created_at": time, "expires_at": ["type": ["string", "null"]], "last_used_at": ["type": ["string", "null"]],
                          "revoked_at": ["type": ["string", "null"]]]),
            "TokenList": obj(["items": arr(ref("Token"))]),
            "TokenInput": obj(["name": str, "expires_at": time, "permissions": arr(str)], required: ["name"]),
            "NewToken": obj(["id": str, "token": str]),
            "AuditEntry": obj(["seq": int, "id": str, "at": time, "actor_user_id": nstr, "actor_token_id": nstr, "action": str, "object": str,
                               "object_id": nstr, "detail": ["type": ["object", "array", "string", "number", "boolean", "null"]], "prev_hash": str, "hash": str]),
            "AuditPage": obj(["items": arr(ref("AuditEntry")), "next_cursor": nstr]),
            "AuditVerification": obj(["workspace_id": str, "entries": int, "ok": ["type": "boolean"], "broken_at": ["type": ["integer", "null"]],
                                      "problem": nstr]),
            "HandoverInput": obj(["to_user_ids": arr(str), "to_manager": ["type": "boolean"], "deactivate": ["type": "boolean"]]),
            "HandoverResult": obj(["moved": ["type": "object", "additionalProperties": int], "recipients": arr(str), "deactivated": ["type": "boolean"]]),
            "PoolRules": obj(["caps": ["type": "object", "additionalProperties": int], "recycle_days": ["type": "object", "additionalProperties": int]]),
            "SignInInput": obj(["email": str, "password": str, "code": str, "workspace": str], required: ["email", "password"]),
            "SignedIn": obj(["user_id": str, "workspace_id": str, "csrf_token": str, "expires_at": time]),
            "PasswordInput": obj(["current_password": str, "new_password": str], required: ["current_password", "new_password"]),
            "ResetRequest": obj(["email": str], required: ["email"]),
            "ResetInput": obj(["token": str, "new_password": str], required: ["token", "new_password"]),
            "TOTPEnrolment": obj(["secret": str, "uri": str]),
            "CodeInput": obj(["code": str], required: ["code"]),
            "RecoveryCodes": obj(["recovery_codes": arr(str)]),
            "PasswordOnly": obj(["password": str], required: ["password"]),
            "WorkspaceEntry": obj(["id": str, "name": str, "slug": str, "role": str]),
            "WorkspaceList": obj(["items": arr(ref("WorkspaceEntry"))]),
            "WorkspaceInput": obj(["name": str, "slug": str], required: ["name", "slug"]),
            "Member": obj(["id": str, "email": str, "name": str, "role": str, "active": ["type": "boolean"]]),
            "MemberList": obj(["items": arr(ref("Member"))]),
            "LeadInput": obj(leadInput),
            "Lead": obj(leadStored, required: ["id", "name", "status", "version"]),
            "LeadPage": obj(["items": arr(ref("Lead")), "next_cursor": nstr]),
            "LeadStatusInput": obj(["status": enumOf(LeadStatus.allCases.map(\.rawValue)), "reason": nstr], required: ["status"]),
            "LeadTransferInput": obj(["owner_id": nstr, "reason": str], required: ["reason"]),
            "LeadConversionInput": obj(["customer_id": nstr, "create_organization": ["type": "boolean"],
                                        "stage": enumOf(LifecycleStage.allCases.map(\.rawValue)), "deal": ref("DealPatch")]),
            "LeadConversion": obj(["lead": ref("Lead"), "customer": ref("Customer"), "organization": ["oneOf": [ref("Customer"), ["type": "null"]]],
                                   "deal": ["oneOf": [ref("Deal"), ["type": "null"]]]]),
            "AssignmentRuleInput": obj(ruleProps, required: ["name", "method"]),
            "AssignmentRule": obj(ruleProps.merging(["id": str, "version": int]) { a, _ in a }, required: ["id", "name", "method"]),
            "AssignmentRuleList": obj(["items": arr(ref("AssignmentRule"))]),
            "LeadSourceInput": obj(["kind": enumOf(LeadSourceKind.allCases.map(\.rawValue)), "name": str,
                                    "mapping": ["type": "object", "additionalProperties": str], "source_label": nstr, "campaign": nstr,
                                    "double_opt_in": ["type": "boolean"]],
                                   required: ["kind", "name"]),
            "LeadSource": obj(["id": str, "workspace_id": str, "kind": enumOf(LeadSourceKind.allCases.map(\.rawValue)), "name": str,
                               "public_key": str, "secret": nstr, "mapping": ["type": "object", "additionalProperties": str],
                               "source_label": nstr, "campaign": nstr, "disabled": ["type": "boolean"], "double_opt_in": ["type": "boolean"], "created_at": time]),
            "LeadSourceList": obj(["items": arr(ref("LeadSource"))]),
            "WebhookPayload": ["type": "object", "additionalProperties": true],
            "LeadReceipt": obj(["id": str], required: ["id"]),
            "Money": obj(["minor": int, "currency": str], required: ["minor", "currency"]),
            "PipelineStage": obj(["id": str, "name": str, "position": int, "probability": int, "kind": enumOf(DealStatus.allCases.map(\.rawValue))]),
            "Pipeline": obj(["id": str, "name": str, "position": int, "stages": arr(ref("PipelineStage"))]),
            "PipelineList": obj(["items": arr(ref("Pipeline"))]),
            "PipelineInput": obj(["name": str, "stages": arr(obj(["name": str, "probability": int, "kind": enumOf(DealStatus.allCases.map(\.rawValue))],
                                                                 required: ["name", "probability"]))], required: ["name", "stages"]),
            "DealInput": obj(dealInput, required: ["name", "customer_id"]),
            "DealPatch": obj(dealInput),
            "Deal": obj(dealStored, required: ["id", "name", "status", "amount", "version"]),
            "DealPage": obj(["items": arr(ref("Deal")), "next_cursor": nstr]),
            "DealMoveInput": obj(["stage_id": str, "reason": nstr], required: ["stage_id"]),
            "DealBoard": obj(["pipeline": ref("Pipeline"), "columns": arr(obj(["stage": ref("PipelineStage"), "count": int, "totals": arr(ref("Money")),
                                                                              "weighted": arr(ref("Money")), "deals": arr(ref("Deal"))]))]),
            "ForecastList": obj(["items": arr(obj(["month": str, "owner_id": nstr, "team_id": nstr, "count": int, "amount": ref("Money"), "weighted": ref("Money")]))]),
            "ImportJob": obj(["id": str, "status": enumOf(["running", "finished", "failed"]), "filename": str,
                              "report": ["type": ["object", "null"]], "error": nstr, "created_at": time]),
        ].merging(orderSchemas) { a, _ in a }
    }

    /// Products, price lists, quotes and orders. Money is integer minor units; percentages are
    /// numbers or strings with at most two decimals (13, "12.5").
    static var orderSchemas: [String: Any] {
        let pct: [String: Any] = ["type": ["number", "string"], "description": "percent, at most two decimals"]
        let nint: [String: Any] = ["type": ["integer", "null"]]
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let lineInput = obj(["product_id": nstr, "sku": nstr, "name": nstr, "unit": nstr, "quantity": int, "unit_price": nint,
                             "discount": pct, "tax_rate": pct], required: ["quantity"])
        let line = obj(["id": str, "product_id": nstr, "sku": nstr, "name": str, "unit": nstr, "quantity": int, "unit_price": int, "discount": pct,
                        "tax_rate": pct, "gross": int, "discount_amount": int, "net": int, "tax": int, "total": int])
        var orderLineProps: [String: Any] = (line["properties"] as? [String: Any]) ?? [:]
        orderLineProps["shipped"] = int; orderLineProps["returned"] = int
        let totals = obj(["currency": str, "gross": int, "discount": int, "net": int, "tax": int, "total": int])
        let quoteInput: [String: Any] = ["customer_id": str, "deal_id": nstr, "owner_id": nstr, "price_list_id": nstr, "currency": nstr, "title": nstr,
                                         "valid_until": ["type": ["string", "null"], "format": "date"], "lines": arr(lineInput), "message": nstr,
                                         "terms": nstr, "inquiry": ["type": "boolean"]]
        let shipLine = obj(["line_id": str, "quantity": int], required: ["line_id", "quantity"])
        let payment = obj(["id": str, "kind": enumOf(["payment", "refund"]), "amount": int, "method": nstr, "reference": nstr, "note": nstr,
                           "paid_at": time, "created_by": nstr])
        let orderInput: [String: Any] = ["external_id": nstr, "source": nstr, "customer_id": nstr, "customer": ref("Buyer"), "owner_id": nstr,
                                         "deal_id": nstr, "price_list_id": nstr, "currency": nstr, "lines": arr(lineInput), "note": nstr, "placed_at": ntime]
        return [
            "PriceListInput": obj(["name": str, "currency": str, "is_default": ["type": "boolean"], "active": ["type": "boolean"]]),
            "PriceList": obj(["id": str, "name": str, "currency": str, "is_default": ["type": "boolean"], "active": ["type": "boolean"]]),
            "PriceListList": obj(["items": arr(ref("PriceList"))]),
            "ProductInput": obj(["sku": str, "name": str, "unit": nstr, "tax_rate": pct, "active": ["type": "boolean"],
                                 "prices": arr(obj(["price_list_id": str, "unit_price": nint], required: ["price_list_id"]))]),
            "Product": obj(["id": str, "sku": str, "name": str, "unit": nstr, "tax_rate": pct, "active": ["type": "boolean"],
                            "prices": arr(obj(["price_list_id": str, "unit_price": ref("Money")])), "version": int, "created_at": time, "updated_at": time]),
            "ProductList": obj(["items": arr(ref("Product"))]),
            "QuoteInput": obj(quoteInput),
            "Quote": obj(["id": str, "number": str, "revision": int, "previous_id": nstr, "status": enumOf(QuoteStatus.allCases.map(\.rawValue)),
                          "customer_id": str, "deal_id": nstr, "owner_id": nstr, "price_list_id": nstr, "title": str,
                          "valid_until": ["type": ["string", "null"], "format": "date"], "lines": arr(line), "totals": totals, "message": nstr,
                          "terms": nstr, "reason": nstr, "order_id": nstr, "sent_at": ntime, "version": int, "created_at": time, "updated_at": time]),
            "QuotePage": obj(["items": arr(ref("Quote")), "next_cursor": nstr]),
            "QuoteStatusInput": obj(["status": enumOf([QuoteStatus.draft, .sent, .rejected].map(\.rawValue)), "reason": nstr], required: ["status"]),
            "QuoteAccepted": obj(["quote": ref("Quote"), "order": ref("Order")]),
            "Buyer": obj(["external_id": nstr, "name": nstr, "phone": nstr, "email": nstr]),
            "OrderInput": obj(orderInput, required: ["lines"]),
            "LeadBatchInput": obj(["leads": arr(ref("LeadInput"))], required: ["leads"]),
            "LeadBatchResult": obj(["items": arr(obj(["index": int, "result": enumOf(["created", "failed"]), "id": nstr, "owner_id": nstr,
                                                      "duplicate_of_customer_id": nstr, "duplicate_of_lead_id": nstr, "error": nstr,
                                                      "fields": ["type": ["object", "null"], "additionalProperties": str]]))]),
            "OrderBatchInput": obj(["orders": arr(ref("OrderInput"))], required: ["orders"]),
            "OrderBatchResult": obj(["items": arr(obj(["index": int, "result": enumOf(["created", "existing", "failed"]), "id": nstr, "number": nstr,
                                                       "status": nstr, "error": nstr, "fields": ["type": ["object", "null"], "additionalProperties": str]]))]),
            "Order": obj(["id": str, "number": str, "source": str, "external_id": nstr, "status": enumOf(OrderStatus.allCases.map(\.rawValue)),
                          "customer_id": str, "owner_id": nstr, "quote_id": nstr, "deal_id": nstr, "lines": arr(obj(orderLineProps)), "totals": totals,
                          "paid": int, "refunded": int, "outstanding": int, "note": nstr, "cancel_reason": nstr, "placed_at": time, "confirmed_at": ntime,
                          "version": int, "created_at": time, "updated_at": time, "payments": arr(payment),
                          "plan": arr(obj(["due_date": str, "amount": int, "covered": int, "overdue": ["type": "boolean"]])),
                          "shipments": arr(obj(["id": str, "carrier": str, "tracking_number": nstr, "lines": arr(shipLine), "shipped_at": time,
                                                "delivered_at": ntime]))]),
            "OrderPage": obj(["items": arr(ref("Order")), "next_cursor": nstr]),
            "OrderBoard": obj(["items": arr(obj(["status": enumOf(OrderStatus.allCases.map(\.rawValue)), "count": int, "totals": arr(ref("Money"))]))]),
            "PaymentInput": obj(["amount": int, "method": nstr, "reference": nstr, "note": nstr, "paid_at": ntime], required: ["amount"]),
            "CollectionPlanInput": obj(["instalments": arr(obj(["due_date": str, "amount": int], required: ["due_date", "amount"]))], required: ["instalments"]),
            "ShipmentInput": obj(["carrier": str, "tracking_number": nstr, "lines": arr(shipLine)], required: ["carrier"]),
            "DeliverInput": obj(["shipment_id": nstr]),
            "ReasonInput": obj(["reason": str], required: ["reason"]),
            "ReturnInput": obj(["lines": arr(shipLine), "reason": str], required: ["lines", "reason"]),
            "LeadFunnel": obj(["captured": int, "contacted": int, "qualified": int, "converted": int, "disqualified": int,
                               "by_source": arr(obj(["source": str, "captured": int, "converted": int]))]),
            "CloseReasonList": obj(["items": arr(obj(["status": enumOf(["won", "lost"]), "reason": nstr, "count": int, "amount": ref("Money")]))]),
            "OverdueCollectionList": obj(["items": arr(obj(["order_id": str, "number": str, "customer_id": str, "owner_id": nstr, "due_date": str,
                                                            "due": ref("Money")]))]),
            "SalesTarget": obj(["month": str, "user_id": nstr, "team_id": nstr, "metric": enumOf(TargetMetric.allCases.map(\.rawValue)), "amount": ref("Money")],
                               required: ["month", "metric", "amount"]),
            "TargetsInput": obj(["targets": arr(ref("SalesTarget"))], required: ["targets"]),
            "TargetList": obj(["items": arr(ref("SalesTarget"))]),
            "AttainmentList": obj(["items": arr(obj(["target": ref("SalesTarget"), "achieved": ref("Money"), "percent": nint]))]),
        ]
    }
}
