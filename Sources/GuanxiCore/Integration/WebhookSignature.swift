import Foundation

/// The Standard Webhooks signature convention (standardwebhooks.com): a secret is `whsec_` and the
/// base64 of 24 to 64 random bytes; a delivery is signed with HMAC-SHA256 over
/// `webhook-id.webhook-timestamp.body` (timestamp in Unix seconds) and the `webhook-signature`
/// header carries `v1,` and the base64 of each signature, space-separated (two while a rotated
/// secret is still valid). The HMAC itself is computed by the store (it has the crypto library).
package enum WebhookSignature {
    package static let secretPrefix = "whsec_"
    package static let keyBytes = 24...64

    /// The key bytes of a secret (the `whsec_` prefix is optional), or nil when it is not one.
    package static func key(fromSecret secret: String) -> [UInt8]? {
        let body = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard !body.isEmpty, let data = Data(base64Encoded: body), keyBytes.contains(data.count) else { return nil }
        return Array(data)
    }

    /// The secret as Guanxi stores and shows it.
    package static func secret(key: [UInt8]) -> String { secretPrefix + Data(key).base64EncodedString() }

    /// A new secret of 32 random bytes.
    package static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return secret(key: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }

    /// The bytes that are signed.
    package static func content(id: String, timestamp: Int64, body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8) + body
    }

    /// The `webhook-signature` header for one signature per valid secret, newest first.
    package static func header(_ signatures: [[UInt8]]) -> String {
        signatures.map { "v1," + Data($0).base64EncodedString() }.joined(separator: " ")
    }

    /// The signatures a `webhook-signature` header carries (the `v1` ones, decoded).
    package static func parse(header: String) -> [[UInt8]] {
        header.split(separator: " ").compactMap { part in
            guard part.hasPrefix("v1,"), let d = Data(base64Encoded: String(part.dropFirst(3))) else { return nil }
            return Array(d)
        }
    }
}
