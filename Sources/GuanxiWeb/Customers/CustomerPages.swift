import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The customer pages: the list with its filters, saved views and bulk actions, the 360 page,
/// the form, merge and undo, the timeline, and the CSV import wizard.
extension Pages {
    var customerRoutes: [PageRoute] {
        [
            .get(CustomerURL.customers) { p, scope in try await customersPage(p.request, p.page, scope) },
            .post(CustomerURL.bulk) { p, scope in
                var v = p.page
                let f = p.form
                let ids = p.pairs.filter { $0.0 == "ids" }.map(\.1)
                var done = 0, failed: [String] = []
                for id in ids {
                    do {
                        switch f["action"] {
                        case "assign":
                            var d = CustomerDraft(); d.ownerID = .some(f["owner_id"].flatMap { $0.isEmpty ? nil : $0 })
                            _ = try await services.customers.update(scope, id: id, d, ifVersion: nil)
                        default:
                            let tag = (f["tag"] ?? "").trimmingCharacters(in: .whitespaces)
                            guard !tag.isEmpty else { throw DomainError.field("tag", .required) }
                            _ = try await services.customers.update(scope, id: id, ifVersion: nil) { c in var d = CustomerDraft(); d.tags = c.tags + [tag]; return d }
                        }
                        done += 1
                    } catch let e as DomainError {
                        failed.append(v.message(e))
                    }
                }
                // the list the form was on, with its filters; an error showing it is shown from there too
                v.next = Self.safeNext(f["back"])
                let text = v.text("bulk_done") + "\(done)" + (failed.isEmpty ? "" : " · " + v.text("bulk_failed") + Set(failed).sorted().joined(separator: "; "))
                do {
                    return try await customersPage(p.request, v, scope, flash: (failed.isEmpty ? "ok" : "bad", text), query: URLComponents(string: v.next)?.queryItems ?? [])
                } catch { return failure(error, v) }
            },
            .post(CustomerURL.saveView) { p, scope in
                let query = p.form["query"] ?? ""
                _ = try await services.views.save(scope, name: p.form["name"] ?? "", query: URLComponents(string: "?" + query)?.queryItems ?? [])
                return Self.redirect(CustomerURL.customers.path + (query.isEmpty ? "" : "?" + query))
            },
            .post(CustomerURL.deleteView(":id")) { p, scope in
                try await services.views.delete(scope, id: p.parameter("id"))
                return Self.redirect(CustomerURL.customers.path)
            },
            .get(CustomerURL.newCustomer) { p, _ in formPage(p.page, customer: nil, values: [:], errors: [:], flash: nil) },
            .post(CustomerURL.newCustomer) { p, scope in
                do {
                    let c = try await services.customers.create(scope, Self.draft(p.form, creating: true))
                    return Self.redirect(CustomerURL.customer(c.id).path)
                } catch let e as DomainError {
                    return formPage(p.page, customer: nil, values: p.form, errors: Self.fieldErrors(e), flash: ("bad", p.page.message(e)), status: .unprocessableContent)
                }
            },
            .get(CustomerURL.customer(":id")) { p, scope in
                let c = try await services.customers.get(scope, id: p.parameter("id"))
                return try await customerPage(p.page, scope, c, cursor: p.query("cursor"), mergedID: p.query("merged").flatMap { ID.isValid($0) ? $0 : nil })
            },
            .get(CustomerURL.mergeCustomer(":id", ":other")) { p, scope in
                let keep = try await services.customers.get(scope, id: p.parameter("id"))
                let other = try await services.customers.get(scope, id: p.parameter("other"))
                return try await mergePage(p.page, keep, other)
            },
            .post(CustomerURL.mergeCustomer(":id", ":other")) { p, scope in
                var choices = MergeChoices()
                for key in MergeChoices.choosable { if let side = p.form["f_" + key].flatMap(MergeSide.init(rawValue:)) { choices.fields[key] = side } }
                let (kept, record) = try await services.customers.merge(scope, survivorID: p.parameter("id"), mergedID: p.parameter("other"), choices: choices)
                return Self.redirect(CustomerURL.customer(kept.id).path + "?merged=" + record.id)
            },
            .post(CustomerURL.undoMerge(":id")) { p, scope in
                let (survivor, _) = try await services.customers.undoMerge(scope, mergeID: p.parameter("id"))
                return Self.redirect(CustomerURL.customer(survivor.id).path)
            },
            .post(CustomerURL.revealCustomer(":id")) { p, scope in
                let c = try await services.customers.reveal(scope, id: p.parameter("id"))
                return try await customerPage(p.page, scope, c, cursor: nil, mergedID: nil)
            },
            .post(CustomerURL.addActivity(":id")) { p, scope in
                let id = p.parameter("id"), f = p.form
                let kind = f["kind"] ?? "note"
                let draft = ActivityDraft(kind: InteractionKind(rawValue: kind), direction: kind == "note" ? nil : .outbound,
                                          subject: f["subject"].flatMap { $0.isEmpty ? nil : $0 }, body: f["body"].flatMap { $0.isEmpty ? nil : $0 })
                _ = try await services.timeline.add(scope, customerID: id, draft, isNote: kind == "note")
                return Self.redirect(CustomerURL.customer(id).path)
            },
            .get(CustomerURL.editCustomer(":id")) { p, scope in
                let c = try await services.customers.get(scope, id: p.parameter("id"))
                return formPage(p.page, customer: c, values: Self.values(c), errors: [:], flash: nil)
            },
            .post(CustomerURL.editCustomer(":id")) { p, scope in
                let v = p.page, id = p.parameter("id"), f = p.form
                do {
                    _ = try await services.customers.update(scope, id: id, Self.draft(f, creating: false), ifVersion: f["version"].flatMap { Int($0) })
                    return Self.redirect(CustomerURL.customer(id).path)
                } catch DomainError.staleVersion {
                    // Someone saved first: show their version, never silently overwrite it.
                    let latest = try await services.customers.get(scope, id: id)
                    return formPage(v, customer: latest, values: Self.values(latest), errors: [:],
                                    flash: ("bad", v.text("error_conflict")), status: .conflict)
                } catch let e as DomainError {
                    let c = try await services.customers.get(scope, id: id)
                    return formPage(v, customer: c, values: f, errors: Self.fieldErrors(e), flash: ("bad", v.message(e)), status: .unprocessableContent)
                }
            },
        ] + importRoutes
    }

    // MARK: Import wizard

    var importRoutes: [PageRoute] {
        [
            .get(CustomerURL.newImport) { p, _ in importNewPage(p.page, error: nil) },
            .post(CustomerURL.newImport, body: .multipart) { p, scope in
                // the file is checked as it arrives; a refusal shows this page again, in the reader's
                // language, with what to do and the file picker to choose another
                do {
                    guard let file = p.parts.first(where: { $0.name == "file" }), !file.data.isEmpty else {
                        throw DomainError.field("file", .csvFile)
                    }
                    let id = try await services.imports.saveUpload(scope, filename: file.filename ?? "upload.csv", data: file.data)
                    return Self.redirect(CustomerURL.importUpload(id).path)
                } catch let e as DomainError {
                    if case .forbidden = e { throw e }
                    return importNewPage(p.page, error: e)
                }
            },
            .get(CustomerURL.importUpload(":id")) { p, scope in
                let v = p.page, id = p.parameter("id")
                let (filename, data) = try await services.imports.upload(scope, id: id)
                let (text, encoding) = TextDecoding.decode(data)
                let records = CSVReader.parse(text, delimiter: CSVReader.sniffDelimiter(Self.firstLine(text))).records
                let header = records.first?.fields ?? []
                let mapping = HeaderMapping.resolve(header, overrides: [:])
                let t = { (k: String) in v.text(k) }
                let columns: [[String: Any]] = header.enumerated().map { i, h in
                    ["header": h, "index": i,
                     "options": ImportField.allCases.map { f in ["value": f.rawValue, "label": t("field_" + f.rawValue), "selected": mapping[i] == f] as [String: Any] },
                     "samples": records.dropFirst().prefix(3).map { $0.fields.indices.contains(i) ? $0.fields[i] : "" }]
                }
                return page("import_map", ["csrf": v.csrf, "filename": filename, "action": CustomerURL.importUpload(id).path, "columns": columns,
                                           "rowCount": v.fmt.number(max(records.count - 1, 0)) + " " + t("rows"), "encoding": encoding.rawValue],
                            title: t("map_columns"), visit: v)
            },
            .post(CustomerURL.importUpload(":id")) { p, scope in
                let id = p.parameter("id")
                let (filename, data) = try await services.imports.upload(scope, id: id)
                let header = Self.header(of: data)
                var overrides: [String: ImportField] = [:]
                for (i, h) in header.enumerated() { if let raw = p.form["col_\(i)"], let field = ImportField(rawValue: raw) { overrides[h] = field } }
                let job = try await services.imports.start(scope, filename: filename, data: data, mapping: overrides, dryRun: p.form["mode"] == "dry_run")
                return Self.redirect(CustomerURL.importJob(job.id).path + "?upload=" + id)
            },
            .get(CustomerURL.importJob(":id")) { p, scope in
                let v = p.page
                let job = try await services.imports.get(scope, id: p.parameter("id"))
                var model: [String: Any] = ["csrf": v.csrf, "filename": job.filename, "running": job.status == "running",
                                            "failed": job.status == "failed", "selfHref": v.next]
                if let e = job.error { model["error"] = e }
                if let r = job.report {
                    var report: [String: Any] = ["dryRun": r.dryRun, "total": v.fmt.number(r.total), "created": v.fmt.number(r.created), "updated": v.fmt.number(r.updated), "rejected": v.fmt.number(r.rejected),
                                                 "hasErrors": !r.errors.isEmpty, "errorsHref": CustomerURL.importErrors(job.id).path,
                                                 "errors": r.errors.prefix(500).map { ["line": $0.line, "column": $0.column ?? "",
                                                                                      "reason": v.localize($0.reason)] as [String: Any] }]
                    if r.dryRun, let upload = p.query("upload"), ID.isValid(upload) {
                        // the same mapping again, for "import now"
                        let (_, data) = try await services.imports.upload(scope, id: upload)
                        let header = Self.header(of: data)
                        report["uploadHref"] = CustomerURL.importUpload(upload).path
                        report["mapping"] = header.enumerated().compactMap { i, h in r.mapping[h].map { ["name": "col_\(i)", "value": $0] } }
                    }
                    model["report"] = report
                }
                return page("import_job", model, title: v.text("import"), visit: v)
            },
            .get(CustomerURL.importErrors(":id")) { p, scope in
                let job = try await services.imports.get(scope, id: p.parameter("id"))
                var csv = "\u{FEFF}" + CSVWriter.row(["line", "column", "reason"])
                for e in job.report?.errors ?? [] { csv += CSVWriter.row(cells: [.number(String(e.line)), .text(e.column ?? ""), .text(e.reason.text)]) }
                var h = HTTPFields()
                h[.contentType] = "text/csv; charset=utf-8"
                h[.contentDisposition] = "attachment; filename=\"import-errors.csv\""
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: csv)))
            },
        ]
    }

    func importNewPage(_ v: PageContext, error: DomainError?) -> Response {
        var model: [String: Any] = ["csrf": v.csrf]
        if let error { model["fileError"] = Self.fieldErrors(error)["file"].map(v.localize) ?? v.message(error) }
        return page("import_new", model, title: v.text("import"), visit: v, flash: error.map { ("bad", v.message($0)) },
                    status: error.map { Pages.status($0) } ?? .ok)
    }

    static func firstLine(_ text: String) -> String {
        String(text.prefix(while: { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }))
    }

    /// An uploaded CSV's header row (in its own encoding and delimiter).
    static func header(of data: Data) -> [String] {
        let line = firstLine(TextDecoding.decode(data).text)
        return CSVReader.parse(line, delimiter: CSVReader.sniffDelimiter(line)).records.first?.fields ?? []
    }

    // MARK: Page models

    func customersPage(_ req: Request, _ v: PageContext, _ scope: Scope, flash: (kind: String, text: String)? = nil, query: [URLQueryItem]? = nil) async throws -> Response {
        // the list's own parameters (after a bulk post they come from the page the form was on)
        // a form's GET writes a space as "+", which URLComponents leaves as it is
        let params: [URLQueryItem] = query ?? ListView.params(req)
        let param = { (n: String) -> String? in ListView.param(params, n) }
        let q = param("q") ?? ""
        var items: [Customer]
        var next: String?, previous: String?
        var others: [SearchHit] = []
        var filter = CustomerFilter()
        filter.stage = param("stage").flatMap(LifecycleStage.init(rawValue:))
        filter.tier = param("tier"); filter.tag = param("tag"); filter.source = param("source")
        filter.ownerID = param("owner_id").flatMap { ID.isValid($0) ? $0 : nil }
        // the scores' filters and order, for those who may read analytics (others never see scores)
        let analytics = scope.level(.analytics, .read) != nil
        let scoreParams: [(name: String, values: [String], label: String, word: (String) -> String)] = !analytics ? [] : [
            ("rfm_segment", ScoreVocabulary.segments, "score_segment", { v.text("segment_" + $0) }),
            ("churn_risk", ScoreVocabulary.churnRisks, "score_churn", { v.text("churn_" + $0) }),
            ("value_tier", ScoreVocabulary.valueTiers, "score_tier", { v.text("tier_" + $0) }),
            ("class", ScoreVocabulary.classes, "score_class", { v.text("class_" + $0) }),
        ]
        var chosen: [String: String] = [:]
        for p in scoreParams { if let val = param(p.name), p.values.contains(val) { chosen[p.name] = val } }
        filter.rfmSegment = chosen["rfm_segment"]; filter.churnRisk = chosen["churn_risk"]
        filter.valueTier = chosen["value_tier"]; filter.customerClass = chosen["class"]
        // sorting on the indexed keys (name, updated, created), "-" first for newest or Z first; by a score for analytics readers
        let sortChoices = analytics ? Self.scoreSorts : []
        var kept: [(String, String?)] = [("stage", filter.stage?.rawValue), ("tier", filter.tier), ("tag", filter.tag), ("source", filter.source),
                                          ("owner_id", filter.ownerID)]
        for p in scoreParams { kept.append((p.name, chosen[p.name])) }
        let list = ListView(path: CustomerURL.customers.path, params: params, filters: kept, sorts: Self.listSorts.union(sortChoices),
                            defaultSort: "-created_at", searching: !q.isEmpty)
        let sortParam = list.sort
        let sort = CustomerSort(rawValue: list.sortKey) ?? .createdAt
        let descending = list.descending
        let countText: String
        if !q.isEmpty {
            items = try await services.customers.search(scope, query: q, limit: 50)
            countText = ListView.count(v, "count_customers", items.count, exact: items.count < 50)
            // leads and orders the same words find, each capability's own (the seam: `Feature.searchPart`)
            for part in searchParts { others += try await part(self, scope, q, v) }
        } else {
            let page = try await services.customers.window(scope, filter: filter, sort: sort, descending: descending,
                                                           cursor: list.cursor, before: list.before, limit: 50)
            items = page.items
            (next, previous) = (page.next, page.previous)
            let (n, exact) = try await services.customers.count(scope, filter: filter)
            countText = ListView.count(v, "count_customers", n, exact: exact)
        }
        let ws = try await services.access.workspace(id: scope.workspaceID)
        let f = formatter(v, ws)
        let rows: [[String: Any]] = items.map { c in
            ["id": c.id, "href": CustomerURL.customer(c.id).path, "name": c.name, "tags": c.tags, "organization": c.organizationName ?? "",
             "stage": v.stage(c.stage), "tier": c.tier ?? "", "phone": c.phones.first.map(v.fmt.phone) ?? "", "updated": f.string(from: c.updatedAt),
             "created": f.string(from: c.createdAt)]
        }
        // the same filters as CSV (the API export honours masking and is audited)
        var exportHref: String?
        if scope.level(.customers, .export) != nil {
            let kept: [URLQueryItem] = params.filter { (["stage", "tier", "tag", "source", "owner_id"] + scoreParams.map(\.name)).contains($0.name) && !($0.value ?? "").isEmpty }
            var comps = URLComponents(); comps.path = "/api/v1/exports/customers.csv"; comps.queryItems = kept
            exportHref = comps.string
        }
        // assigning needs the right to; the choice is the workspace's active members
        let members = scope.level(.settings, .read) != nil ? try await services.access.members(scope).filter(\.active) : []
        let owners: [[String: Any]] = scope.level(.customers, .assign) == nil ? [] : members.map { m in ["id": m.id, "name": m.name] }
        // the owner filter: "mine", then everyone the user may see
        let mine = scope.userID.map { [(id: $0, name: v.text("mine"))] } ?? []
        let ownerChoices: [[String: Any]] = (mine + members.filter { $0.id != scope.userID }.map { (id: $0.id, name: $0.name) }).map { o in
            ["value": o.id, "label": o.name, "selected": o.id == filter.ownerID]
        }
        var current = URLComponents()
        current.queryItems = params.filter { SavedViewStore.parameters.contains($0.name) && !($0.value ?? "").isEmpty }
        let currentQuery = current.percentEncodedQuery ?? ""
        let views: [[String: Any]] = try await services.views.list(scope).map { view in
            ["name": view.name, "href": CustomerURL.customers.path + (view.query.isEmpty ? "" : "?" + view.query), "current": view.query == currentQuery,
             "deleteHref": CustomerURL.deleteView(view.id).path, "csrf": v.csrf]
        }
        // the orders a list may take by a score (analytics readers), beside the sortable columns
        let sortNames: [(String, String)] = sortChoices.isEmpty ? [] : [("-created_at", "sort_newest"), ("-clv", "sort_clv"), ("-p_alive", "sort_p_alive")]
        let sorts: [[String: Any]] = sortNames.map { value, key in ["value": value, "label": v.text(key), "selected": sortParam == value] }
        let otherGroups: [[String: Any]] = Dictionary(grouping: others, by: \.kind).sorted { $0.key < $1.key }.map { group in
            ["kind": group.key, "hits": group.value.map { ["title": $0.title, "detail": $0.detail, "href": $0.href] }]
        }
        let sortName = list.header("name", v.text("name"), firstDescending: false)
        let sortUpdated = list.header("updated_at", v.text("updated"), firstDescending: true).merging(["wide": true]) { a, _ in a }
        let sortCreated = list.header("created_at", v.text("created"), firstDescending: true).merging(["wide": true]) { a, _ in a }
        let filtering = [filter.stage?.rawValue, filter.tier, filter.tag, filter.source, filter.ownerID].contains { $0 != nil } || !chosen.isEmpty
        let model = Self.model([
            "q": q, "tag": filter.tag ?? "", "source": filter.source ?? "", "ownerChoices": ownerChoices, "rows": rows, "hasRows": !rows.isEmpty,
            "pager": list.pager(next: next, previous: previous), "count": countText, "views": views, "query": currentQuery,
            "others": otherGroups, "hasOthers": !others.isEmpty, "filtering": filtering,
            "sortName": sortName, "sortUpdated": sortUpdated, "sortCreated": sortCreated, "sortChoices": list.choices([sortName, sortUpdated, sortCreated]),
            "exportHref": exportHref, "csrf": v.csrf, "back": v.next, "owners": owners, "hasOwners": !owners.isEmpty,
            "stages": LifecycleStage.allCases.map { ["value": $0.rawValue, "label": v.stage($0), "selected": $0 == filter.stage] as [String: Any] },
            "tiers": (ws?.tiers ?? []).map { ["value": $0, "selected": $0 == filter.tier] as [String: Any] },
            "scoreFilters": scoreParams.map { p in
                ["name": p.name, "label": v.text(p.label),
                 "options": p.values.map { ["value": $0, "label": p.word($0), "selected": chosen[p.name] == $0] as [String: Any] }] as [String: Any]
            },
            "hasSorts": !sortChoices.isEmpty,
            "sorts": sorts,
        ])
        return page("customers", model, title: v.text("customers"), visit: v, q: q, flash: flash)
    }

    /// The list's sort choices: the indexed keys, each either way.
    static let listSorts: Set<String> = ["name", "-name", "updated_at", "-updated_at", "created_at", "-created_at"]
    /// And by a score, highest first, for those who may read analytics.
    static let scoreSorts: Set<String> = ["-clv", "-p_alive"]

    func mergePage(_ v: PageContext, _ keep: Customer, _ other: Customer) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        func owner(_ c: Customer) async throws -> String { try await userName(c.ownerID) ?? t("pool") }
        let rows: [(String, String, String, String)] = [
            ("name", t("name"), keep.name, other.name), ("title", t("title"), keep.title ?? "", other.title ?? ""),
            ("stage", t("stage"), v.stage(keep.stage), v.stage(other.stage)),
            ("tier", t("tier"), keep.tier ?? "", other.tier ?? ""), ("owner_id", t("owner"), try await owner(keep), try await owner(other)),
            ("source", t("source"), keep.source ?? "", other.source ?? ""), ("birthday", t("birthday"), keep.birthday ?? "", other.birthday ?? ""),
        ]
        let model: [String: Any] = [
            "csrf": v.csrf, "action": CustomerURL.mergeCustomer(keep.id, other.id).path,
            "keepHref": CustomerURL.customer(keep.id).path, "keepName": keep.name, "otherHref": CustomerURL.customer(other.id).path, "otherName": other.name,
            "fields": rows.map { ["key": $0.0, "label": $0.1, "left": $0.2, "right": $0.3] },
        ]
        return page("merge", model, title: t("merge_title"), visit: v)
    }

    func customerPage(_ v: PageContext, _ scope: Scope, _ c: Customer, cursor: String?, mergedID: String?) async throws -> Response {
        let f = try await formatter(v, scope)
        let tl = try await services.timeline.list(scope, customerID: c.id, cursor: cursor, limit: 50)
        let owner = try await userName(c.ownerID)
        let t = { (k: String) in v.text(k) }
        let timeline = timelineModel(tl.items, v, f)
        let customer = Self.model(["name": c.name, "organizationName": c.organizationName, "title": c.title, "tier": c.tier ?? "",
                                   "tags": c.tags, "emails": c.emails, "birthday": c.birthday.map(v.fmt.day)])
        let addresses = c.addresses.map { a in [a.province, a.city, a.district, a.street, a.postcode].compactMap { $0 }.joined(separator: " ") }
        let defs = try await services.customFields.list(scope, for: .customers)
        let custom: [[String: Any]] = defs.compactMap { d in
            guard let val = c.custom[d.key], val != .null else { return nil }
            let text: String = switch val {
            case .string(let s): s
            case .number(let n): v.fmt.decimal(n, digits: 6)
            case .bool(let b): b ? "✓" : "✗"
            case .array(let a): a.compactMap(\.stringValue).joined(separator: ", ")
            default: ""
            }
            return ["label": d.label, "value": text]
        }
        let kinds: [(String, String)] = [("note", "note"), ("call", "call"), ("visit", "visit"), ("wechat", "wechat"), ("meeting", "meeting"), ("email", "email_kind"), ("sms", "sms")]
        let model = Self.model([
            "c": customer, "phones": c.phones.map { ["tel": $0, "text": v.fmt.phone($0)] }, "kindLabel": t(c.kind.rawValue), "stageLabel": v.stage(c.stage), "owner": owner ?? t("pool"),
            "addresses": addresses, "custom": custom, "masked": c.masked == true, "csrf": v.csrf,
            "editHref": CustomerURL.editCustomer(c.id).path, "revealHref": CustomerURL.revealCustomer(c.id).path, "activityHref": CustomerURL.addActivity(c.id).path,
            "activityKinds": kinds.map { ["value": $0.0, "label": t($0.1)] },
            "timeline": timeline, "moreHref": tl.nextCursor.map { CustomerURL.customer(c.id).path + "?cursor=" + $0 },
        ])
        var withRelated = model
        // related people and organisations the user may see, and likely duplicates
        var related: [[String: Any]] = []
        if let org = c.organizationID, let name = c.organizationName {
            related.append(["href": CustomerURL.customer(org).path, "name": name, "label": t("relation_works_at")])
        }
        for r in try await services.customers.relationships(scope, customerID: c.id) {
            let otherID = r.fromID == c.id ? r.toID : r.fromID
            guard let o = try? await services.customers.get(scope, id: otherID) else { continue }
            related.append(["href": CustomerURL.customer(o.id).path, "name": o.name, "label": t("relation_" + r.kind.rawValue)])
        }
        if c.kind == .organization {
            var f = CustomerFilter(); f.organizationID = c.id
            for m in try await services.customers.list(scope, filter: f, limit: 20).items {
                related.append(["href": CustomerURL.customer(m.id).path, "name": m.name, "label": m.title ?? t("relation_member")])
            }
        }
        // every other capability's part: the customer's deals, orders, tasks, tickets, and links to start one
        for part in customerParts { withRelated.merge(try await part(self, scope, c.id, v)) { a, _ in a } }
        withRelated["related"] = related
        withRelated["hasRelated"] = !related.isEmpty
        let duplicates = try await services.customers.duplicates(scope, of: c.id, limit: 5).map { d in
            ["href": CustomerURL.customer(d.other.id).path, "name": d.other.name, "mergeHref": CustomerURL.mergeCustomer(c.id, d.other.id).path]
        }
        withRelated["duplicates"] = Array(duplicates)
        withRelated["hasDuplicates"] = !duplicates.isEmpty
        if let mergedID {
            withRelated["mergedID"] = mergedID
            withRelated["undoHref"] = CustomerURL.undoMerge(mergedID).path
        }
        return page("customer", withRelated, title: c.name, visit: v)
    }


    func formPage(_ v: PageContext, customer c: Customer?, values: [String: String], errors: [String: DomainMessage],
                  flash: (kind: String, text: String)?, status: HTTPResponse.Status = .ok) -> Response {
        let t = { (k: String) in v.text(k) }
        let specs: [(String, String, Bool, String?)] = [("name", "name", true, nil), ("title", "title", false, nil), ("phones", "phones", false, nil),
                                                         ("emails", "emails", false, nil), ("tier", "tier", false, nil),
                                                         ("tags", "tags", false, t("tags_hint")), ("source", "source", false, nil)]
        let fields: [[String: Any]] = specs.map { name, key, required, hint in
            // phones and emails are lists typed with commas: a phone keyboard, an email keyboard that takes several
            Self.model(["name": name, "label": t(key), "value": values[name] ?? "", "required": required, "hint": hint,
                        "type": name == "phones" ? "tel" : name == "emails" ? "email" : nil, "multiple": name == "emails",
                        "autocomplete": name == "phones" ? "tel" : name == "emails" ? "email" : nil,
                        "error": errors[name].map { v.localize($0) }])
        }
        let stage = LifecycleStage(rawValue: values["stage"] ?? "") ?? c?.stage ?? .prospect
        let model: [String: Any] = [
            "heading": c == nil ? t("new_customer") : c!.name, "action": c.map { CustomerURL.editCustomer($0.id).path } ?? CustomerURL.newCustomer.path,
            "csrf": v.csrf, "version": c.map { String($0.version) } ?? "", "editing": c != nil, "isPerson": (values["kind"] ?? "person") == "person",
            "fields": fields, "cancelHref": c.map { CustomerURL.customer($0.id).path } ?? CustomerURL.customers.path,
            "stages": LifecycleStage.allCases.map { ["value": $0.rawValue, "label": v.stage($0), "selected": $0 == stage] as [String: Any] },
        ]
        return page("customer_form", model, title: c?.name ?? t("new_customer"), visit: v, flash: flash, status: status)
    }

    // MARK: Form ↔ draft

    static func draft(_ f: [String: String], creating: Bool) -> CustomerDraft {
        var d = CustomerDraft()
        if creating { d.kind = CustomerKind(rawValue: f["kind"] ?? "person") ?? .person }
        d.name = f["name"] ?? ""
        func opt(_ k: String) -> String?? { let v = (f[k] ?? "").trimmingCharacters(in: .whitespaces); return .some(v.isEmpty ? nil : v) }
        d.title = opt("title"); d.tier = opt("tier"); d.source = opt("source")
        d.phones = list(f["phones"]); d.emails = list(f["emails"]); d.tags = list(f["tags"])
        d.stage = LifecycleStage(rawValue: f["stage"] ?? "")
        return d
    }

    static func values(_ c: Customer) -> [String: String] {
        ["name": c.name, "title": c.title ?? "", "phones": c.phones.joined(separator: ", "), "emails": c.emails.joined(separator: ", "),
         "tier": c.tier ?? "", "tags": c.tags.joined(separator: ", "), "source": c.source ?? "", "stage": c.stage.rawValue, "kind": c.kind.rawValue]
    }
}
