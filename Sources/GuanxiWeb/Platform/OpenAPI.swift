import Foundation
import GuanxiCore

/// Builds the OpenAPI 3.1 document from the route table plus the component schemas every feature declares.
package enum OpenAPIDocument {
    package static func build(routes: [APIRoute], schemas: [String: Any]) -> Data {
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
                               "description": "The ETag you read; any other tag (stale, or not one this server issued) answers 412."])
            }
            if !params.isEmpty { op["parameters"] = params }
            if let s = r.requestSchema {
                let schema: [String: Any] = r.requestContentType == "text/csv" ? ["type": "string"] : ["$ref": "#/components/schemas/\(s)"]
                var content: [String: Any] = [r.requestContentType: ["schema": schema]]
                if let m = r.multipartSchema { content["multipart/form-data"] = ["schema": ["$ref": "#/components/schemas/\(m)"]] }
                op["requestBody"] = ["required": true, "content": content]
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
