import Foundation
import GuanxiCore

/// Builds the OpenAPI 3.1 document from the route table plus the component schemas every feature declares.
package enum OpenAPIDocument {
    package static func build(routes: [APIRoute], schemas: [String: Any]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for r in routes {
            var op: [String: Any] = ["operationId": r.operationID, "summary": r.summary, "tags": [r.tag]]
            // Public operations (sign-in, sign-out, password reset) take no token; the rest need one.
            op["security"] = r.needs == .anyone ? [[String: [String]]]() : [["bearer": [String]()]]
            var params: [[String: Any]] = r.pathParameters.map { name in
                var s = r.queryValues[name].map(schema(of:)) ?? ["type": "string"]
                s["minLength"] = 1
                return ["name": name, "in": "path", "required": true, "schema": s]
            }
            params += r.query.map { name in
                var s = schema(of: r.queryValues[name] ?? QueryValue.named(name))
                let required = r.requiredQuery.contains(name)
                if required, s["type"] as? String == "string" { s["minLength"] = 1 }
                // Objects are not spread over several parameters: `limit[a]=1` is not a limit.
                return ["name": name, "in": "query", "required": required, "style": "form", "explode": false, "schema": s]
            }
            if r.idempotent {
                params.append(["name": "Idempotency-Key", "in": "header", "required": false,
                               "schema": ["type": "string", "minLength": 1, "maxLength": 200, "pattern": Pattern.words],
                               "description": "Repeat a POST safely: the same key and body replays the first answer (1 to 200 characters)."])
            }
            if r.readsIfMatch {
                params.append(["name": "If-Match", "in": "header", "required": false, "schema": ["type": "string", "pattern": Pattern.etag],
                               "description": "The ETag you read; any other tag (stale, or not one this server issued) answers 412."])
            }
            if !params.isEmpty { op["parameters"] = params }
            if let s = r.requestSchema {
                let schema: [String: Any] = r.requestContentType == "text/csv" ? ["type": "string", "minLength": 1] : ["$ref": "#/components/schemas/\(s)"]
                var content: [String: Any] = [r.requestContentType: ["schema": schema]]
                if let m = r.multipartSchema { content["multipart/form-data"] = ["schema": ["$ref": "#/components/schemas/\(m)"]] }
                op["requestBody"] = ["required": true, "content": content]
            }
            var responses: [String: Any] = [:]
            for status in [r.status] + r.alsoStatus {
                if let s = r.responseSchema {
                    var content: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/\(s)"]]]
                    for type in r.alsoResponds { content[type] = ["schema": ["type": "string"]] }
                    // a success status, or the answer of a request Guanxi passed on that failed further along (the body says how)
                    responses["\(status)"] = ["description": status < 400 ? "OK" : "Passed on, and refused or not answered there", "content": content]
                } else {
                    responses["\(status)"] = ["description": "OK"]
                }
            }
            for (code, text) in [("400", "Malformed request"), ("401", "No or bad token"), ("403", "Role may not do this"),
                                 ("404", "Not found (also another workspace's ids)"), ("409", "Duplicate or conflict"),
                                 ("412", "Stale If-Match"), ("413", "Body too large"), ("422", "Invalid fields")] {
                responses[code] = ["description": text, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            }
            // Sign-in, password and two-factor attempts are limited (the account locks for a while).
            if r.needs == .anyone || r.path.hasPrefix("/auth/") {
                responses["429"] = ["description": "Too many attempts", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            }
            op["responses"] = responses
            paths[r.fullPath, default: [:]][r.method.rawValue.lowercased()] = op
        }
        var schemas = schemas
        tightenRequestSchemas(&schemas, roots: Set(routes.flatMap { [$0.requestSchema, $0.multipartSchema].compactMap { $0 } }))
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

    /// Regular expressions (ECMA 262, as JSON Schema reads them) for the values every operation shares.
    package enum Pattern {
        /// `ID.isValid`: a UUID of any version, either case.
        package static let id = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
        /// An entity tag this server issues (`"3"`, weak or strong), `*`, or nothing (as if absent).
        package static let etag = "^(|\\*|(W/)?\"[0-9]{1,18}\")$"
        /// A month and a day that every year has (February stops at the 28th).
        static let monthDay = "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
        /// `Dates.parseDay`'s canonical form, 1900 to 2200.
        package static let day = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-" + monthDay + "$"
        /// `SalesTarget.month`.
        package static let month = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"
        /// `ISOWeek`: a year and a week number.
        package static let week = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-W(0[1-9]|[1-4][0-9]|5[0-2])$"
        /// RFC 3339 as `Timestamp.parse` reads it (UTC `Z` or an offset, up to six fractional digits).
        package static let dateTime = "^[0-9]{4}-" + monthDay + "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
        /// At least one character that is not a space.
        package static let words = "\\S"
        /// ISO 4217 as `Money.currencyCode` reads it.
        package static let currency = "^[A-Za-z]{3}$"
    }

    /// Text fields that must hold at least one visible character whenever they are given.
    static let wordFields: Set<String> = ["name", "body", "subject", "reason", "carrier", "sku"]

    /// Declares in the request bodies what the validators check by field name: ids are UUIDs, times
    /// RFC 3339, days `YYYY-MM-DD`, currencies ISO 4217, names not blank.
    static func tightenRequestSchemas(_ schemas: inout [String: Any], roots: Set<String>) {
        var done: Set<String> = []
        var pending = Array(roots)
        func walk(_ v: Any) -> Any {
            if var o = v as? [String: Any] {
                // The server's integers are 64-bit: a larger number is not one it can read.
                let type = (o["type"] as? [String]) ?? [(o["type"] as? String) ?? ""]
                if type.contains("integer") {
                    o["format"] = "int64"
                    if o["minimum"] == nil { o["minimum"] = Int64.min }
                    if o["maximum"] == nil { o["maximum"] = Int64.max }
                }
                if let ref = o["$ref"] as? String { pending.append(String(ref.dropFirst("#/components/schemas/".count))); return o }
                if var props = o["properties"] as? [String: Any] {
                    let required = Set(o["required"] as? [String] ?? [])
                    for (k, p) in props {
                        guard var q = walk(p) as? [String: Any] else { continue }
                        // an optional record decodes null as absent too
                        if !required.contains(k), q["$ref"] != nil { props[k] = ["anyOf": [q, ["type": "null"]]]; continue }
                        var types = (q["type"] as? [String]) ?? [(q["type"] as? String) ?? ""]
                        // An optional field decodes null as absent.
                        if !required.contains(k), q["type"] != nil, !types.contains("null") {
                            types.append("null"); q["type"] = types
                            if let e = q["enum"] as? [Any] { q["enum"] = e + [NSNull()] }
                        }
                        if types.contains("string"), q["enum"] == nil, q["pattern"] == nil {
                            if q["format"] as? String == "date-time" { q["pattern"] = Pattern.dateTime }
                            else if q["format"] as? String == "date" { q["pattern"] = Pattern.day }
                            else if k.hasSuffix("_id") && k != "external_id" { q["pattern"] = Pattern.id }
                            else if k == "currency" { q["pattern"] = Pattern.currency }
                            else if k == "month" { q["pattern"] = Pattern.month }
                            else if wordFields.contains(k) { q["pattern"] = Pattern.words }
                        }
                        props[k] = q
                    }
                    o["properties"] = props
                }
                for key in ["items", "additionalProperties"] where o[key] is [String: Any] { o[key] = walk(o[key]!) }
                for key in ["oneOf", "anyOf", "allOf"] { if let a = o[key] as? [Any] { o[key] = a.map(walk) } }
                return o
            }
            return v
        }
        while let name = pending.popLast() {
            guard !done.contains(name), let s = schemas[name] else { continue }
            done.insert(name)
            schemas[name] = walk(s)
        }
    }

    /// A query parameter's schema; an empty value counts as absent (`Request.query`), so it is allowed too.
    static func schema(of v: QueryValue) -> [String: Any] {
        func orEmpty(_ p: String) -> String { "^(" + p.dropFirst().dropLast() + ")?$" }
        return switch v {
        case .text: ["type": "string"]
        case .words(let max): ["type": "string", "maxLength": max]
        case .id: ["type": "string", "pattern": orEmpty(Pattern.id)]
        case .whole(let r) where r == 1...200: ["type": "string", "pattern": "^([1-9][0-9]?|1[0-9]{2}|200)?$", "description": "1 to 200"]
        case .whole(let r): ["type": "integer", "minimum": r.lowerBound, "maximum": r.upperBound]
        case .oneOf(let values): ["type": "string", "enum": [""] + values]
        case .day: ["type": "string", "pattern": orEmpty(Pattern.day)]
        case .month: ["type": "string", "pattern": orEmpty(Pattern.month)]
        case .week: ["type": "string", "pattern": orEmpty(Pattern.week)]
        case .dateTime: ["type": "string", "pattern": orEmpty(Pattern.dateTime)]
        case .flag: ["type": "string", "enum": ["", "true", "false"]]
        case .matching(let p): ["type": "string", "pattern": orEmpty(p)]
        case .dayOrDateTime: ["type": "string", "pattern": "^(" + Pattern.day.dropFirst().dropLast() + "|" + Pattern.dateTime.dropFirst().dropLast() + ")?$"]
        }
    }

    package static func obj(_ props: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    package static var str: [String: Any] { ["type": "string"] }
    package static var nstr: [String: Any] { ["type": ["string", "null"]] }
    package static var int: [String: Any] { ["type": "integer"] }
    package static var time: [String: Any] { ["type": "string", "format": "date-time"] }
    package static func arr(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    package static func ref(_ s: String) -> [String: Any] { ["$ref": "#/components/schemas/\(s)"] }
    package static func enumOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    /// The error body every failure answers with, and money.
    package static func platformSchemas() -> [String: Any] {
        var s: [String: Any] = [:]
        s["Error"] = obj(["error": obj(["code": str, "message": str, "fields": ["type": "object", "additionalProperties": str],
                                        "existing_id": str, "current_version": int, "request_id": str], required: ["code", "message"])], required: ["error"])
        s["Money"] = obj(["minor": int, "currency": str], required: ["minor", "currency"])
        let nint: [String: Any] = ["type": ["integer", "null"]], ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        s["Status"] = obj([
            "version": str, "started_at": time,
            "schema": obj(["current": int, "latest": int], required: ["current", "latest"]),
            "database": obj(["kind": enumOf(["sqlite", "postgres"]), "size_bytes": nint, "wal_bytes": nint], required: ["kind"]),
            "last_backup": ["oneOf": [["type": "null"], obj(["taken_at": time, "kind": str, "location": nstr, "size_bytes": nint], required: ["taken_at", "kind"])]],
            "queues": arr(obj(["name": str, "depth": int], required: ["name", "depth"])),
            "jobs": arr(obj(["name": str, "runs": int, "failures": int, "last_run_at": ntime, "last_failure_at": ntime], required: ["name", "runs", "failures"])),
            "recent_errors": arr(obj(["at": time, "request_id": str, "method": str, "route": str, "status": int],
                                     required: ["at", "request_id", "method", "route", "status"])),
        ], required: ["version", "started_at", "schema", "database", "queues", "jobs", "recent_errors"])
        return s
    }
}
