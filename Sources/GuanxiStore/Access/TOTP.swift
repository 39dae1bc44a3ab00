import Foundation
import Crypto
import GuanxiCore

/// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30 s steps, 6 digits) and the Base32
/// (RFC 4648) that authenticator apps exchange secrets in.
package enum TOTP {
    package static let step: Int64 = 30

    package static func code(secret: [UInt8], at time: Date, digits: Int = 6) -> String {
        code(secret: secret, counter: UInt64(max(0, Int64(time.timeIntervalSince1970) / step)), digits: digits)
    }

    package static func code(secret: [UInt8], counter: UInt64, digits: Int = 6) -> String {
        var c = counter.bigEndian
        let msg = withUnsafeBytes(of: &c) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: msg, using: SymmetricKey(data: secret)))
        let o = Int(mac[mac.count - 1] & 0x0f)
        let bin = (UInt32(mac[o] & 0x7f) << 24) | (UInt32(mac[o + 1]) << 16) | (UInt32(mac[o + 2]) << 8) | UInt32(mac[o + 3])
        var mod: UInt32 = 1
        for _ in 0..<digits { mod *= 10 }
        let s = String(bin % mod)
        return String(repeating: "0", count: digits - s.count) + s
    }

    /// True when `code` matches this step or the one before or after (clock drift), compared in constant time.
    package static func verify(_ code: String, secret: [UInt8], at time: Date) -> Bool {
        let c = code.filter(\.isNumber)
        guard c.count == 6 else { return false }
        let now = Int64(time.timeIntervalSince1970) / step
        var ok = false
        for d in -1...1 where now + Int64(d) >= 0 {
            ok = Secret.equal(Self.code(secret: secret, counter: UInt64(now + Int64(d))), c) || ok
        }
        return ok
    }

    package static func newSecret() -> [UInt8] { Secret.randomBytes(20) }

    /// `otpauth://` URI for authenticator apps.
    package static func uri(secret: [UInt8], account: String, issuer: String = "Guanxi") -> String {
        let enc = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return "otpauth://totp/\(enc(issuer)):\(enc(account))?secret=\(Base32.encode(secret))&issuer=\(enc(issuer))&algorithm=SHA1&digits=6&period=30"
    }
}

package enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b); bits += 8
            while bits >= 5 { out.append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5 }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    package static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for ch in s.uppercased().utf8 where ch != UInt8(ascii: "=") && ch != UInt8(ascii: " ") {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            buffer = (buffer << 5) | v; bits += 5
            if bits >= 8 { out.append(UInt8((buffer >> (bits - 8)) & 0xff)); bits -= 8 }
        }
        return out
    }
}

/// Secrets: random bytes, URL-safe text, hashes for storage and constant-time comparison.
package enum Secret {
    package static func randomBytes(_ n: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// `prefix` + 32 random bytes in base64url.
    package static func token(prefix: String) -> String {
        prefix + Data(randomBytes(32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    package static func hash(_ s: String) -> String { Hex.string(SHA256.hash(data: Data(s.utf8))) }

    /// Compares without stopping at the first difference, so timing does not reveal how much matched.
    package static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}
