import Foundation
import SQLKit
import GuanxiCore

/// A record one user owns (nil: nobody, the pool), read and changed under its owner's reach.
protocol OwnedRecord: Sendable, Encodable, Equatable {
    var id: String { get }
    var ownerID: String? { get }
    var version: Int { get set }
    var updatedAt: Date { get set }
}

extension Lead: OwnedRecord {}
extension Deal: OwnedRecord {}
extension FollowUpTask: OwnedRecord {}
extension Quote: OwnedRecord {}
extension Order: OwnedRecord {}

/// One table of owned records: how a record is loaded and authorised, how far a scope's reading
/// reaches, how pages are cut and how an edit is guarded. Leads, deals, tasks, quotes and orders
/// answer these the same way (same 404s and 403s, same cursors), so the rules live here once.
///
/// The SQL text that never changes is joined once, when the description is made: lists and loads
/// are hot paths, and every fragment appended is work done again on each request.
struct OwnedRecords<Record: OwnedRecord>: Sendable {
    /// In audit events ("deals").
    let table: String
    let alias: String
    let object: AccessObject
    /// The record's name in messages ("deal").
    let name: String
    let decode: @Sendable (any SQLRow) throws -> Record
    private let byID: String
    private let andWorkspace: String
    private let inWorkspace: String
    private let mayNotRead: DomainMessage
    private let someoneElses: DomainMessage
    private let pooled: DomainMessage?

    /// `columns` may be bare or qualified with `alias`. `mayNotRead` and `pooled` (the 403 for an
    /// unowned record) replace the usual sentences where a record has always said something else.
    init(table: String, alias: String, columns: String, object: AccessObject, name: String, plural: String,
         mayNotRead: DomainMessage? = nil, pooled: DomainMessage? = nil, decode: @escaping @Sendable (any SQLRow) throws -> Record) {
        self.table = table; self.alias = alias; self.object = object; self.name = name; self.decode = decode
        byID = "SELECT \(columns) FROM \(table) \(alias) WHERE \(alias).id = "
        andWorkspace = " AND \(alias).workspace_id = "
        inWorkspace = "SELECT \(columns) FROM \(table) \(alias) WHERE \(alias).workspace_id = "
        self.mayNotRead = mayNotRead ?? "your role may not read \(plural)"
        someoneElses = "this \(name) belongs to someone else"
        self.pooled = pooled
    }

    /// The record if the scope may `action` it: 404 when it may not read it (or it is not there),
    /// 403 when it may read but not act. With `ifVersion` (If-Match), a changed record is a 412.
    func load(_ scope: Scope, _ id: String, for action: AccessAction, ifVersion: Int? = nil, sql: any SQLDatabase) async throws -> Record {
        guard ID.isValid(id) else { throw DomainError.notFound(name) }
        var q = SQLQueryString(byID)
        q.appendInterpolation(bind: id.lowercased())
        q.appendInterpolation(unsafeRaw: andWorkspace)
        q.appendInterpolation(bind: scope.workspaceID)
        guard let row = try await sql.raw(q).first() else { throw DomainError.notFound(name) }
        let r = try decode(row)
        try scope.authorize(object, action, ownerID: r.ownerID, name: name, forbidden: r.ownerID == nil ? pooled ?? someoneElses : someoneElses)
        try Self.checkVersion(r, ifVersion)
        return r
    }

    /// The record, if the scope may read it.
    func get(_ scope: Scope, _ id: String, in db: Database) async throws -> Record {
        try await db.read { sql in try await load(scope, id, for: .read, sql: sql) }
    }

    /// If-Match: the version the client saw must still be the record's.
    static func checkVersion(_ r: Record, _ ifVersion: Int?) throws(DomainError) {
        if let v = ifVersion, v != r.version { throw DomainError.staleVersion(current: r.version) }
    }

    /// The owner condition for the scope's reading (empty when it reads everything); 403 when it reads none.
    func readLimit(_ scope: Scope) throws -> SQLQueryString {
        guard let level = scope.level(object, .read) else { throw DomainError.forbidden(mayNotRead) }
        return AccessStore.readLimit(scope, object: object, level: level, alias: alias)
    }

    /// The read limit and a list's equality filters (those that are set, in order), for `page`.
    func clauses(_ scope: Scope, equal filters: KeyValuePairs<String, String?> = [:]) throws -> SQLQueryString {
        var q = try readLimit(scope)
        q += equal(filters)
        return q
    }

    /// " AND <alias>.<column> = ?" for each filter that is set, in order.
    func equal(_ filters: KeyValuePairs<String, String?>) -> SQLQueryString {
        var q = SQLQueryString("")
        for case let (column, value?) in filters {
            q.appendInterpolation(unsafeRaw: " AND \(alias).\(column) = ")
            q.appendInterpolation(bind: value)
        }
        return q
    }

    /// A sort order for pages: a time column and the id, both one way.
    struct Keyset: Sendable {
        fileprivate let column: String
        fileprivate let descending: Bool
        fileprivate let after: String
        fileprivate let orderBy: String
        fileprivate let key: @Sendable (Record) -> Date
    }

    /// Pages sorted by `column` (then id), newest first when `descending`; `key` is the record's value of it.
    func keyset(_ column: String, descending: Bool, key: @escaping @Sendable (Record) -> Date) -> Keyset {
        let c = "\(alias).\(column)", id = "\(alias).id"
        return Keyset(column: column, descending: descending, after: " AND (\(c), \(id)) \(descending ? "<" : ">") (",
                     orderBy: descending ? " ORDER BY \(c) DESC, \(id) DESC LIMIT " : " ORDER BY \(c), \(id) LIMIT ", key: key)
    }

    /// One page of the workspace's records meeting `clauses` (the read limit and filters, each
    /// starting with " AND"), after the cursor's place in `order`; `limit` is held to 1…200.
    func page(_ scope: Scope, where clauses: SQLQueryString, order: Keyset, cursor: String?, limit: Int, in db: Database) async throws -> Page<Record> {
        let limit = min(max(limit, 1), 200)
        var q = SQLQueryString(inWorkspace)
        q.appendInterpolation(bind: scope.workspaceID)
        q += clauses
        if let cursor {
            let (t, id) = try Cursor.timeAndID(cursor)
            q.appendInterpolation(unsafeRaw: order.after)
            q += "\(bind: t), \(bind: id))"
        }
        q.appendInterpolation(unsafeRaw: order.orderBy)
        q.appendInterpolation(literal: limit + 1)
        let query = q
        let rows = try await db.read { sql in try await sql.raw(query).all().map(decode) }
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last.map { Cursor.timeAndID(order.key($0), $0.id) } : nil
        return Page(items: items, nextCursor: next)
    }

    /// A page as people page through a list, in either direction: after `cursor` (the next page)
    /// or before `before` (the previous one, read backwards on the same index and turned round).
    /// Answers the cursors of the pages on either side: `next` when more follow, `previous` when
    /// this page is not the first.
    func window(_ scope: Scope, where clauses: SQLQueryString, order: Keyset, cursor: String?, before: String?, limit: Int,
                in db: Database) async throws -> (items: [Record], next: String?, previous: String?) {
        let backward = before != nil
        let read = backward ? keyset(order.column, descending: !order.descending, key: order.key) : order
        let found = try await page(scope, where: clauses, order: read, cursor: before ?? cursor, limit: limit, in: db)
        let more = found.nextCursor != nil
        let items = backward ? Array(found.items.reversed()) : found.items
        let key = { (r: Record?) in r.map { Cursor.timeAndID(order.key($0), $0.id) } }
        let next = backward || more ? key(items.last) : nil
        let previous = backward ? (more ? key(items.first) : nil) : (cursor != nil ? key(items.first) : nil)
        return (items, next, previous)
    }

    /// How many of the workspace's records meet `clauses`, counted up to `cap` (`ListCount`).
    func count(_ scope: Scope, where clauses: SQLQueryString, cap: Int = ListCount.cap, in db: Database) async throws -> (count: Int, exact: Bool) {
        var q = SQLQueryString("SELECT \(unsafeRaw: alias).id FROM \(unsafeRaw: table) \(unsafeRaw: alias) WHERE \(unsafeRaw: alias).workspace_id = \(bind: scope.workspaceID)")
        q += clauses
        return try await ListCount.capped(q, cap: cap, in: db)
    }

    /// An edit in a transaction of its own: loaded for update at the version the client saw,
    /// changed by `change`, and only if that changed something, given the next version, saved by
    /// `save` and audited as an update.
    func update(_ scope: Scope, _ id: String, ifVersion: Int?, now: Date, in db: Database,
                change: @Sendable (inout Record, any SQLDatabase) async throws -> Void,
                save: @Sendable (Record, any SQLDatabase) async throws -> Void) async throws -> Record {
        try await db.write(scope, at: now) { tx in
            var r = try await load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            let before = r
            try await change(&r, tx.sql)
            guard r != before else { return r }
            r.version += 1; r.updatedAt = now
            try await save(r, tx.sql)
            try await tx.audit("update", table, r.id, detail: AuditDetail.encoded(r))
            return r
        }
    }
}
