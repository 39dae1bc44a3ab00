import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` customer operations. Handlers decode, call a store, and encode; rules live in the stores.
struct CustomerAPI {
    let customers: CustomerStore
    let timeline: TimelineStore
    let fields: CustomFieldStore
    let imports: ImportJobStore
    /// The fields other capabilities add to the answer (`Feature.customerFields`).
    let extras: @Sendable (Scope, _ customerID: String) async throws -> [(String, JSONValue)]

    struct TagsInput: Decodable { var tags: [String] }
    struct RelationshipInput: Decodable {
        var toID: String; var kind: RelationKind; var title: String?
        enum CodingKeys: String, CodingKey { case toID = "to_id", kind, title }
    }
    struct MergeInput: Decodable {
        var survivorID: String; var mergedID: String; var fields: [String: MergeSide]?
        enum CodingKeys: String, CodingKey { case survivorID = "survivor_id", mergedID = "merged_id", fields }
    }
    struct MergeResult: Encodable, Sendable { var merge: MergeRecord; var customer: Customer }
    struct UndoResult: Encodable, Sendable { var survivor: Customer; var restored: Customer }

    func register(_ t: RouteTable) {
        let tag = "Customers"
        t.on(APIRoute(method: .get, path: "/customers", operationID: "listCustomers", summary: "List customers (filters, custom.<key>=value for custom fields, sort, keyset cursor)", tag: tag, needs: .can(.read, .customers),
                      query: ["kind", "stage", "tier", "owner_id", "tag", "source", "organization_id", "created_from", "created_to",
                              "updated_from", "updated_to", "deleted"] + Self.scoreQuery + ["sort", "cursor", "limit"],
                      responseSchema: "CustomerPage", queryValues: Self.scoreValues.merging(["kind": .cases(CustomerKind.self), "stage": .cases(LifecycleStage.self),
                                    "created_from": .dayOrDateTime, "created_to": .dayOrDateTime, "updated_from": .dayOrDateTime, "updated_to": .dayOrDateTime,
                                    "sort": .oneOf(CustomerSort.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] })]) { a, _ in a })) { req, _, scope in
            let (filter, sort, desc) = try Self.filter(req)
            let page = try await customers.listJSON(scope, filter: filter, sort: sort, descending: desc, cursor: req.query("cursor"),
                                                limit: try APIPaging.limit(req, default: 50))
            return .json(page)
        }
        t.on(APIRoute(method: .post, path: "/customers", operationID: "createCustomer", summary: "Create a customer", tag: tag, needs: .can(.create, .customers),
                      requestSchema: "CustomerInput", responseSchema: "Customer", status: 201, idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await customers.get(scope, id: id, includeDeleted: true) }) { req, _, scope in
            let c = try await customers.create(scope, try await APIBody.json(CustomerDraft.self, req))
            var r = APIResponse.json(c, status: .created, etag: c.version)
            r.headers["Location"] = "/api/v1/customers/\(c.id)"
            return r
        }
        t.on(APIRoute(method: .get, path: "/customers/{id}", operationID: "getCustomer", summary: "Read a customer", tag: tag, needs: .can(.read, .customers),
                      query: ["include_deleted"], responseSchema: "Customer")) { req, ctx, scope in
            let id = try ctx.parameters.require("id")
            let c = try await customers.getJSON(scope, id: id, includeDeleted: req.query("include_deleted") == "true")
            let more = try await extras(scope, id.lowercased())
            guard !more.isEmpty, c.json.bytes.last == UInt8(ascii: "}") else { return .json(c.json, etag: c.version) }
            var bytes = Array(c.json.bytes.dropLast())
            var added: [UInt8] = []
            for (name, value) in more { added += Array(",\(JSONCoding.encode(JSONValue.string(name))):\(JSONCoding.encode(value))".utf8) }
            bytes += added
            bytes.append(UInt8(ascii: "}"))
            // the answer changes when what other capabilities add does (a new scoring run), not only
            // with the customer's version; If-Match still names the version (`ifMatchVersion`)
            var r = APIResponse.json(RenderedJSON(bytes))
            r.headers["ETag"] = "\"\(c.version)-\(Self.digest(added))\""
            return r
        }
        t.on(APIRoute(method: .patch, path: "/customers/{id}", operationID: "updateCustomer", summary: "Change a customer (If-Match)", tag: tag, needs: .can(.update, .customers),
                      requestSchema: "CustomerPatch", responseSchema: "Customer")) { req, ctx, scope in
            let c = try await customers.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(CustomerDraft.self, req),
                                               ifVersion: try req.ifMatchVersion())
            return .json(c, etag: c.version)
        }
        t.on(APIRoute(method: .delete, path: "/customers/{id}", operationID: "deleteCustomer", summary: "Delete a customer (restorable)", tag: tag, needs: .can(.delete, .customers),
                      status: 204)) { req, ctx, scope in
            try await customers.delete(scope, id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .noContent
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/restore", operationID: "restoreCustomer", summary: "Restore a deleted customer", tag: tag, needs: .can(.delete, .customers),
                      responseSchema: "Customer", idempotent: true)) { _, ctx, scope in
            let c = try await customers.restore(scope, id: try ctx.parameters.require("id"))
            return .json(c, etag: c.version)
        }

        // Identities
        t.on(APIRoute(method: .get, path: "/customers/{id}/identities", operationID: "listIdentities", summary: "A customer's identities", tag: "Identities", needs: .can(.read, .customers),
                      responseSchema: "IdentityList")) { _, ctx, scope in
            .json(Items(items: try await customers.get(scope, id: try ctx.parameters.require("id")).allIdentities))
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/identities", operationID: "addIdentity", summary: "Add an identity (normalised, unique per workspace)",
                      tag: "Identities", needs: .can(.update, .customers), requestSchema: "Identity", responseSchema: "Customer", idempotent: true, ifMatch: true)) { req, ctx, scope in
            let ident = try await APIBody.json(Identity.self, req)
            let id = try ctx.parameters.require("id")
            let updated = try await customers.update(scope, id: id, ifVersion: try req.ifMatchVersion()) { c in
                var d = CustomerDraft()
                switch ident.kind {
                case .email: d.emails = c.emails + [ident.value]
                case .phone: d.phones = c.phones + [ident.value]
                default: d.identities = c.identities + [ident]
                }
                return d
            }
            return .json(updated, etag: updated.version)
        }
        t.on(APIRoute(method: .delete, path: "/customers/{id}/identities/{kind}/{value}", operationID: "removeIdentity",
                      summary: "Remove an identity", tag: "Identities", needs: .can(.update, .customers), responseSchema: "Customer")) { req, ctx, scope in
            let id = try ctx.parameters.require("id")
            guard let kind = IdentityKind(rawValue: try ctx.parameters.require("kind")) else { throw DomainError.notFound("identity") }
            let value = try ctx.parameters.require("value").removingPercentEncoding ?? ""
            let updated = try await customers.update(scope, id: id, ifVersion: try req.ifMatchVersion()) { c in
            var d = CustomerDraft()
            switch kind {
            case .email:
                let v = IdentityNormalizer.email(value) ?? value
                guard c.emails.contains(v) else { throw DomainError.notFound("identity") }
                d.emails = c.emails.filter { $0 != v }
            case .phone:
                let v = IdentityNormalizer.phone(value) ?? value
                guard c.phones.contains(v) else { throw DomainError.notFound("identity") }
                d.phones = c.phones.filter { $0 != v }
            default:
                guard c.identities.contains(where: { $0.kind == kind && ($0.uniqueKey == value || $0.value == value) }) else { throw DomainError.notFound("identity") }
                d.identities = c.identities.filter { !($0.kind == kind && ($0.uniqueKey == value || $0.value == value)) }
            }
            return d
            }
            return .json(updated, etag: updated.version)
        }

        // Tags
        t.on(APIRoute(method: .get, path: "/tags", operationID: "listTags", summary: "Tags in use, with counts", tag: "Tags", needs: .can(.read, .customers),
                      responseSchema: "TagList")) { _, _, scope in
            .json(Items(items: try await customers.tags(scope)))
        }
        t.on(APIRoute(method: .post, path: "/tags/rename", operationID: "renameTag", summary: "Rename a tag on every customer (merges into an existing tag)",
                      tag: "Tags", needs: .can(.update, .settings), requestSchema: "TagRenameInput", responseSchema: "TagRename")) { req, _, scope in
            struct Input: Decodable { var from: String; var to: String }
            let i = try await APIBody.json(Input.self, req)
            return .json(try await customers.renameTag(scope, from: i.from, to: i.to))
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/tags", operationID: "addTags", summary: "Add tags to a customer", tag: "Tags", needs: .can(.update, .customers),
                      requestSchema: "TagsInput", responseSchema: "Customer", idempotent: true, ifMatch: true)) { req, ctx, scope in
            let input = try await APIBody.json(TagsInput.self, req)
            let id = try ctx.parameters.require("id")
            let updated = try await customers.update(scope, id: id, ifVersion: try req.ifMatchVersion()) { c in
                var d = CustomerDraft(); d.tags = c.tags + input.tags; return d
            }
            return .json(updated, etag: updated.version)
        }
        t.on(APIRoute(method: .delete, path: "/customers/{id}/tags/{tag}", operationID: "removeTag", summary: "Remove a tag from a customer",
                      tag: "Tags", needs: .can(.update, .customers), responseSchema: "Customer")) { req, ctx, scope in
            let id = try ctx.parameters.require("id")
            let tagName = try ctx.parameters.require("tag").removingPercentEncoding ?? ""
            let updated = try await customers.update(scope, id: id, ifVersion: try req.ifMatchVersion()) { c in
                guard c.tags.contains(tagName) else { throw DomainError.notFound("tag") }
                var d = CustomerDraft(); d.tags = c.tags.filter { $0 != tagName }; return d
            }
            return .json(updated, etag: updated.version)
        }

        // Custom fields
        t.on(APIRoute(method: .get, path: "/custom-fields", operationID: "listCustomFields", summary: "Custom field definitions", tag: "Custom fields", needs: .can(.read, .customers),
                      responseSchema: "CustomFieldList")) { _, _, scope in
            .json(Items(items: try await fields.list(scope)))
        }
        t.on(APIRoute(method: .post, path: "/custom-fields", operationID: "createCustomField", summary: "Define a custom field", tag: "Custom fields", needs: .can(.update, .settings),
                      requestSchema: "CustomFieldInput", responseSchema: "CustomField", status: 201, idempotent: true),
             replay: Replay.readBack(field: "key") { scope, key in
                 guard try await fields.list(scope).contains(where: { $0.key == key }) else { throw DomainError.notFound("custom field") }
             }) { req, _, scope in
            struct Input: Decodable {
                var key: String; var label: String; var type: CustomFieldType; var options: [String]?; var required: Bool?; var sensitive: Bool?
                var appliesTo: CustomFieldTarget?
                enum CodingKeys: String, CodingKey { case key, label, type, options, required, sensitive, appliesTo = "applies_to" }
            }
            let i = try await APIBody.json(Input.self, req)
            let d = try await fields.create(scope, CustomFieldDefinition(key: i.key, label: i.label, type: i.type, options: i.options ?? [],
                                                                         required: i.required ?? false, sensitive: i.sensitive ?? false,
                                                                         appliesTo: i.appliesTo ?? .customers))
            return .json(d, status: .created)
        }
        t.on(APIRoute(method: .delete, path: "/custom-fields/{key}", operationID: "deleteCustomField", summary: "Remove a custom field definition",
                      tag: "Custom fields", needs: .can(.update, .settings), status: 204, ifMatch: false)) { _, ctx, scope in
            try await fields.delete(scope, key: try ctx.parameters.require("key"))
            return .noContent
        }

        // Notes, interactions, timeline
        for (isNote, name) in [(true, "notes"), (false, "interactions")] {
            let kinds: [TimelineKind] = isNote ? [.note] : [.interaction]
            let label = isNote ? "Note" : "Interaction"
            t.on(APIRoute(method: .get, path: "/customers/{id}/\(name)", operationID: "list\(label)s", summary: "A customer's \(name), newest first",
                          tag: "Timeline", needs: .can(.read, .customers), query: ["cursor", "limit"], responseSchema: "TimelinePage")) { req, ctx, scope in
                .json(try await timeline.list(scope, customerID: try ctx.parameters.require("id"), kinds: kinds,
                                              cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
            }
            t.on(APIRoute(method: .post, path: "/customers/{id}/\(name)", operationID: "add\(label)", summary: isNote ? "Add a note" : "Log an interaction",
                          tag: "Timeline", needs: .can(.update, .customers), requestSchema: "ActivityInput", responseSchema: "TimelineEntry", status: 201, idempotent: true)) { req, ctx, scope in
                let e = try await timeline.add(scope, customerID: try ctx.parameters.require("id"), try await APIBody.json(ActivityDraft.self, req), isNote: isNote)
                return .json(e, status: .created)
            }
        }
        t.on(APIRoute(method: .get, path: "/customers/{id}/timeline", operationID: "getTimeline", summary: "Everything that happened, newest first",
                      tag: "Timeline", needs: .can(.read, .customers), query: ["kinds", "cursor", "limit"], responseSchema: "TimelinePage",
                      queryValues: ["kinds": .matching({ k in "^(\(k))(,(\(k)))*$" }(TimelineKind.allCases.map(\.rawValue).joined(separator: "|")))])) { req, ctx, scope in
            let kinds = try req.query("kinds").map { try $0.split(separator: ",").map { s -> TimelineKind in
                guard let k = TimelineKind(rawValue: String(s)) else { throw DomainError.field("kinds", "unknown kind '\(s)'") }
                return k
            } }
            return .json(try await timeline.list(scope, customerID: try ctx.parameters.require("id"), kinds: kinds,
                                                 cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }

        // Relationships
        t.on(APIRoute(method: .get, path: "/customers/{id}/relationships", operationID: "listRelationships", summary: "Relationships of a customer",
                      tag: "Relationships", needs: .can(.read, .customers), responseSchema: "RelationshipList")) { _, ctx, scope in
            .json(Items(items: try await customers.relationships(scope, customerID: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/relationships", operationID: "addRelationship", summary: "Relate two customers",
                      tag: "Relationships", needs: .can(.update, .customers), requestSchema: "RelationshipInput", responseSchema: "Relationship", status: 201, idempotent: true)) { req, ctx, scope in
            let i = try await APIBody.json(RelationshipInput.self, req)
            return .json(try await customers.addRelationship(scope, fromID: try ctx.parameters.require("id"), toID: i.toID, kind: i.kind, title: i.title),
                         status: .created)
        }
        t.on(APIRoute(method: .delete, path: "/customers/{id}/relationships/{relationship_id}", operationID: "deleteRelationship",
                      summary: "Remove a relationship", tag: "Relationships", needs: .can(.update, .customers), status: 204, ifMatch: false)) { _, ctx, scope in
            try await customers.deleteRelationship(scope, customerID: try ctx.parameters.require("id"),
                                                   relationshipID: try ctx.parameters.require("relationship_id"))
            return .noContent
        }

        // Duplicates and merges
        t.on(APIRoute(method: .get, path: "/customers/{id}/duplicates", operationID: "customerDuplicates", summary: "Likely duplicates of a customer",
                      tag: "Duplicates", needs: .can(.read, .customers), responseSchema: "DuplicateList")) { _, ctx, scope in
            .json(Items(items: try await customers.duplicates(scope, of: try ctx.parameters.require("id"))))
        }
        t.on(APIRoute(method: .get, path: "/duplicates", operationID: "listDuplicates", summary: "Likely duplicate pairs in the workspace",
                      tag: "Duplicates", needs: .can(.read, .customers), query: ["limit"], responseSchema: "DuplicateList")) { req, _, scope in
            .json(Items(items: try await customers.duplicatePairs(scope, limit: try APIPaging.limit(req, default: 50))))
        }
        t.on(APIRoute(method: .post, path: "/merges", operationID: "mergeCustomers", summary: "Merge one customer into another, choosing fields",
                      tag: "Duplicates", needs: .can(.update, .customers), requestSchema: "MergeInput", responseSchema: "MergeResult", status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(MergeInput.self, req)
            let (c, m) = try await customers.merge(scope, survivorID: i.survivorID, mergedID: i.mergedID, choices: MergeChoices(fields: i.fields ?? [:]))
            return .json(MergeResult(merge: m, customer: c), status: .created)
        }
        t.on(APIRoute(method: .post, path: "/merges/{id}/undo", operationID: "undoMerge", summary: "Undo a merge, restoring both customers exactly",
                      tag: "Duplicates", needs: .can(.update, .customers), responseSchema: "UndoResult", idempotent: true)) { _, ctx, scope in
            let (s, r) = try await customers.undoMerge(scope, mergeID: try ctx.parameters.require("id"))
            return .json(UndoResult(survivor: s, restored: r))
        }
        t.on(APIRoute(method: .get, path: "/customers/{id}/merges", operationID: "listMerges", summary: "Merges involving a customer",
                      tag: "Duplicates", needs: .can(.read, .customers), responseSchema: "MergeList")) { _, ctx, scope in
            .json(Items(items: try await customers.merges(scope, customerID: try ctx.parameters.require("id"))))
        }

        // Search
        t.on(APIRoute(method: .get, path: "/search", operationID: "search", summary: "Search names, organisations, emails, phones, ids and tags",
                      tag: "Search", needs: .can(.read, .customers), query: ["q", "limit"], responseSchema: "CustomerList", requiredQuery: ["q"])) { req, _, scope in
            guard let q = req.query("q") else { throw DomainError.field("q", .required) }
            return .json(try await customers.searchJSON(scope, query: q, limit: try APIPaging.limit(req, default: 20)))
        }

        // Import and export
        t.on(APIRoute(method: .post, path: "/imports", operationID: "startImport", summary: "Upload a customer CSV (UTF-8 or GB18030); answers a job",
                      tag: "Import", needs: .can(.create, .customers), query: ["filename", "dry_run", "mapping"], requestSchema: "CSV", requestContentType: "text/csv",
                      responseSchema: "ImportJob", status: 202, idempotent: true),
             replay: { scope, stored in
                 // a job that failed (a crash it could not resume from, say) frees its key for a new attempt
                 guard let id = Replay.recordID(stored) else { return .replay }
                 return try await imports.get(scope, id: id).status == "failed" ? .retry : .replay
             }) { req, _, scope in
            let data = try await APIBody.bytes(req, limit: APIBody.maxUpload)
            if data.isEmpty { throw DomainError.field("file", "the upload is empty") }
            var mapping: [String: ImportField] = [:]
            if let m = req.query("mapping") {
                guard let parsed = HeaderMapping.parse(mapping: m) else { throw DomainError.field("mapping", "use header=field pairs separated by commas") }
                mapping = parsed
            }
            let job = try await imports.start(scope, filename: req.query("filename") ?? "upload.csv", data: data, mapping: mapping,
                                              dryRun: req.query("dry_run") == "true")
            var r = APIResponse.json(job, status: .accepted)
            r.headers["Location"] = "/api/v1/imports/\(job.id)"
            return r
        }
        t.on(APIRoute(method: .get, path: "/imports/{id}", operationID: "getImport", summary: "An import's state and report", tag: "Import", needs: .can(.create, .customers),
                      responseSchema: "ImportJob")) { _, ctx, scope in
            .json(try await imports.get(scope, id: try ctx.parameters.require("id")))
        }
        t.on(APIRoute(method: .get, path: "/exports/customers.csv", operationID: "exportCustomers", summary: "All customers as CSV (same columns as import)",
                      tag: "Import", needs: .can(.export, .customers), query: ["stage", "tier", "tag", "source", "owner_id"] + Self.scoreQuery,
                      queryValues: Self.scoreValues.merging(["stage": .cases(LifecycleStage.self)]) { a, _ in a })) { req, _, scope in
            let (filter, _, _) = try Self.filter(req)
            var out = Data()
            _ = try await CustomerExporter(store: customers).export(scope, filter: filter) { out.append($0) }
            var r = APIResponse(status: .ok, body: out, headers: ["Content-Disposition": "attachment; filename=\"customers.csv\""])
            r.contentType = "text/csv; charset=utf-8"
            return r
        }
    }

    /// A short stable digest (FNV-1a, 64 bits, hex) of bytes: the ETag's part for the added fields.
    static func digest(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// The score filters (the last scoring run's values; analytics readers only) and what each takes.
    static let scoreVocabulary: [(String, [String])] = [("rfm_segment", ScoreVocabulary.segments), ("churn_risk", ScoreVocabulary.churnRisks),
                                                        ("value_tier", ScoreVocabulary.valueTiers), ("class", ScoreVocabulary.classes)]
    static let scoreQuery = scoreVocabulary.map(\.0)
    static let scoreValues: [String: QueryValue] = Dictionary(uniqueKeysWithValues: scoreVocabulary.map { ($0.0, QueryValue.oneOf($0.1)) })

    static func filter(_ req: Request) throws -> (CustomerFilter, CustomerSort, Bool) {
        var f = CustomerFilter()
        var e = FieldErrors()
        if let v = req.query("kind") { if let k = CustomerKind(rawValue: v) { f.kind = k } else { e.add("kind", "must be person or organization") } }
        if let v = req.query("stage") {
            if let s = LifecycleStage(rawValue: v) { f.stage = s } else { e.add("stage", .oneOf(LifecycleStage.self)) }
        }
        f.tier = req.query("tier"); f.tag = req.query("tag"); f.source = req.query("source")
        if let v = req.query("owner_id") { if ID.isValid(v) { f.ownerID = v } else { e.add("owner_id", "is not a valid id") } }
        if let v = req.query("organization_id") { if ID.isValid(v) { f.organizationID = v } else { e.add("organization_id", "is not a valid id") } }
        func date(_ name: String) -> Date? {
            guard let v = req.query(name) else { return nil }
            if let d = Timestamp.parse(v) { return d }
            if let day = Dates.parseDay(v), let d = Timestamp.parse(day + "T00:00:00Z") { return d }
            e.add(name, "must be a date (YYYY-MM-DD) or an ISO 8601 date-time")
            return nil
        }
        f.createdFrom = date("created_from"); f.createdTo = date("created_to")
        f.updatedFrom = date("updated_from"); f.updatedTo = date("updated_to")
        f.deleted = req.query("deleted") == "true"
        for (k, v) in req.uri.queryParameters where k.hasPrefix("custom.") {
            f.custom[String(k.dropFirst(7))] = String(v)
        }
        for (name, values) in Self.scoreVocabulary {
            guard let v = req.query(name) else { continue }
            guard values.contains(v) else { e.add(name, "must be one of \(values.joined(separator: ", "))"); continue }
            switch name {
            case "rfm_segment": f.rfmSegment = v
            case "churn_risk": f.churnRisk = v
            case "value_tier": f.valueTier = v
            default: f.customerClass = v
            }
        }
        var sort = CustomerSort.createdAt, desc = true
        if var s = req.query("sort") {
            desc = s.hasPrefix("-")
            if desc { s.removeFirst() }
            if let v = CustomerSort(rawValue: s) { sort = v } else { e.add("sort", "must be created_at, updated_at, name, clv or p_alive, optionally prefixed with -") }
        }
        try e.throwIfAny()
        return (f, sort, desc)
    }
}
