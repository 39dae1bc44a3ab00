import Foundation

/// A request body read from `JSONParser`'s value by hand instead of Foundation's decoder (hot write
/// paths). It must accept and refuse exactly what its Codable conformance would; tests compare both.
package protocol JSONReadable {
    init(json object: [String: JSONValue]) throws(DomainError)
}

/// Member readers with the decoder's rules: absent or null is nil; any other type names the field.
package enum JSONReading {
    package static func string(_ o: [String: JSONValue], _ key: String) throws(DomainError) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw DomainError.field(key, "has the wrong type (expected a string)")
        }
    }

    package static func stringMap(_ o: [String: JSONValue], _ key: String) throws(DomainError) -> [String: String]? {
        switch o[key] {
        case nil, .null?: return nil
        case .object(let m)?:
            var out: [String: String] = [:]
            for (k, v) in m {
                guard case .string(let s) = v else {
                    throw DomainError.field(key + "." + k, v == .null ? "must not be null" : "has the wrong type (expected a string)")
                }
                out[k] = s
            }
            return out
        default: throw DomainError.field(key, "has the wrong type (expected an object)")
        }
    }
}
