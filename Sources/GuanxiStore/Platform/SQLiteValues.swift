import Foundation
import SQLKit
import SQLiteNIO

// SQLite's SQL dialect and its value coders, ours: SQLKit over SQLiteNIO without SQLiteKit, whose
// dependency chain (AsyncKit, swift-nio's extras) the store module would otherwise wait for in a
// clean build. The dialect says what the bundled SQLite (3.4x) supports; values convert as
// SQLiteNIO's `SQLiteDataConvertible` says, optionals as NULL, anything else as JSON text.

struct SQLiteSQLDialect: SQLDialect {
    var name: String { "sqlite" }
    var identifierQuote: any SQLExpression { SQLRaw(#"""#) }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?\(position)") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TRUE" : "FALSE") }
    var literalDefault: any SQLExpression { SQLLiteral.null }
    var supportsIfExists: Bool { true }
    var supportsDropBehavior: Bool { false }
    var supportsAutoIncrement: Bool { false }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    var enumSyntax: SQLEnumSyntax { .unsupported }
    var triggerSyntax: SQLTriggerSyntax { .init(create: [.supportsBody, .supportsCondition, .supportsUpdateColumns], drop: []) }
    var alterTableSyntax: SQLAlterTableSyntax { .init(allowsBatch: false) }
    var upsertSyntax: SQLUpsertSyntax { .standard }
    var supportsReturning: Bool { true }
    var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except] }
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? {
        if case .bigint = dataType { return SQLDataType.int }
        return nil
    }
    func nestedSubpathExpression(in column: any SQLExpression, for path: [String]) -> (any SQLExpression)? {
        guard !path.isEmpty else { return nil }
        return SQLFunction("json_extract", args: [column, SQLLiteral.string("$.\(path.joined(separator: "."))")])
    }
}

enum SQLiteValues {
    /// A bound value as SQLite data.
    static func data(_ value: any Encodable) throws -> SQLiteData {
        if let d = (value as? any SQLiteDataConvertible)?.sqliteData { return d }
        let single = SingleEncoder()
        do {
            try value.encode(to: single)
            if let d = single.value { return d }
        } catch is NotSingle {}
        return .text(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    /// A column's value as `T`: converted directly when SQLiteNIO can, NULL as an optional's nil,
    /// JSON text otherwise.
    static func decode<T: Decodable>(_ type: T.Type, from data: SQLiteData) throws -> T {
        if let convertible = type as? any SQLiteDataConvertible.Type {
            guard let v = convertible.init(sqliteData: data) else {
                throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "cannot read \(data) as \(T.self)"))
            }
            return v as! T
        }
        do {
            return try T(from: SingleDecoder(data: data))
        } catch is NotSingle {
            let bytes: Data = switch data {
            case .text(let s): Data(s.utf8)
            case .blob(let b): Data(b.readableBytesView)
            case .integer(let n): Data(String(n).utf8)
            case .float(let x): Data(String(x).utf8)
            case .null: Data()
            }
            return try JSONDecoder().decode(T.self, from: bytes)
        }
    }

    struct NotSingle: Error {}

    /// Reads one value (an optional's wrapped value, or a type that wraps one).
    struct SingleDecoder: Decoder, SingleValueDecodingContainer {
        let data: SQLiteData
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key> { throw NotSingle() }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw NotSingle() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
        func decodeNil() -> Bool { data == .null }
        func decode<V: Decodable>(_: V.Type) throws -> V { try SQLiteValues.decode(V.self, from: data) }
    }

    /// Writes one value (NULL for an optional's nil).
    final class SingleEncoder: Encoder, SingleValueEncodingContainer {
        var value: SQLiteData?
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(Refusing<Key>()) }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { RefusingList() }
        func singleValueContainer() -> any SingleValueEncodingContainer { self }
        func encodeNil() throws { value = .null }
        func encode<V: Encodable>(_ v: V) throws { value = try SQLiteValues.data(v) }
    }

    struct Refusing<Key: CodingKey>: KeyedEncodingContainerProtocol {
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { throw NotSingle() }
        mutating func encode<V: Encodable>(_ value: V, forKey key: Key) throws { throw NotSingle() }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> { KeyedEncodingContainer(Refusing<N>()) }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { RefusingList() }
        mutating func superEncoder() -> any Encoder { SingleEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { SingleEncoder() }
    }

    struct RefusingList: UnkeyedEncodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }
        mutating func encodeNil() throws { throw NotSingle() }
        mutating func encode<V: Encodable>(_ value: V) throws { throw NotSingle() }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type) -> KeyedEncodingContainer<N> { KeyedEncodingContainer(Refusing<N>()) }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { RefusingList() }
        mutating func superEncoder() -> any Encoder { SingleEncoder() }
    }
}
