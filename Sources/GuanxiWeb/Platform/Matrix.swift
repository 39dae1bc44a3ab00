import Foundation
import GuanxiCore
import GuanxiStore

/// How the authorisation matrix (every operation × every role × whose record it is) calls one API
/// operation, declared by the feature that registers it. `{name}` in the URI, body and headers is
/// filled from the case's records: `customer` (owned as the case says), `second` (same owner),
/// `pool` (unowned), `n` (unique per case), `userID` and `email` (the acting user), `spareUserID`,
/// `teamID`, and whatever the feature's `MatrixFixture` made for it.
package struct MatrixSample: Sendable {
    package var uri: String
    package var body: String?
    package var contentType: String
    package var headers: [String: String]
    /// The kind of record whose owner decides the answer (nil: the role alone decides).
    package var record: AccessObject?
    /// What the operation does to that record; nil means the route's own action.
    package var actions: [AccessAction]?
    /// Further actions it takes on records the caller does not own (releasing someone else's customer).
    package var othersNeed: [AccessAction]
    /// Kept for server administrators: every workspace role is refused.
    package var adminOnly: Bool
    /// What a caller the rules let through gets, when it cannot be a success in the matrix's
    /// workspace (nothing there to pass the request on to); nil: a 2xx.
    package var allowed: Int?

    package init(_ uri: String, body: String? = nil, contentType: String = "application/json", headers: [String: String] = [:],
                 record: AccessObject? = nil, actions: [AccessAction]? = nil, othersNeed: [AccessAction] = [], adminOnly: Bool = false,
                 allowed: Int? = nil) {
        self.uri = uri; self.body = body; self.contentType = contentType; self.headers = headers
        self.record = record; self.actions = actions; self.othersNeed = othersNeed; self.adminOnly = adminOnly; self.allowed = allowed
    }

    /// The placeholder names it uses, so fixtures make only what a case needs.
    package var placeholders: Set<String> {
        var out: Set<String> = []
        for text in [uri, body ?? ""] + Array(headers.values) {
            var name: String? = nil   // letters and digits since the last "{"
            for ch in text {
                if ch == "{" { name = "" }
                else if ch == "}", let n = name, !n.isEmpty { out.insert(n); name = nil }
                else if name != nil, ch.isLetter || ch.isNumber { name!.append(ch) }
                else { name = nil }
            }
        }
        return out
    }

    /// The sample with its placeholders filled; names without a value stay as they are.
    package func filled(_ values: [String: String]) -> MatrixSample {
        func fill(_ s: String) -> String {
            values.reduce(s) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        var out = self
        out.uri = fill(uri); out.body = body.map(fill); out.headers = headers.mapValues(fill)
        return out
    }
}

/// What a feature's fixture gets to make the records one case needs.
package struct MatrixSetup: Sendable {
    package let services: AppServices
    package let operationID: String
    /// Where the case's records are made (the acting user's workspace, or another one).
    package let scope: Scope
    /// Who owns them, as the case's relation says (nil: unowned).
    package let ownerID: String?
    /// The owner of the acting user's workspace, for workspace settings a case needs.
    package let admin: Scope
    /// The placeholders the sample uses, and the values made so far.
    package let wanted: Set<String>
    package let values: [String: String]
    package var n: String { values["n"] ?? "0" }
    package func wants(_ name: String) -> Bool { wanted.contains(name) }

    package init(services: AppServices, operationID: String, scope: Scope, ownerID: String?, admin: Scope,
                 wanted: Set<String>, values: [String: String]) {
        self.services = services; self.operationID = operationID; self.scope = scope; self.ownerID = ownerID
        self.admin = admin; self.wanted = wanted; self.values = values
    }
}

/// Makes the records a feature's samples refer to, returning their placeholder values.
package typealias MatrixFixture = @Sendable (MatrixSetup) async throws -> [String: String]
