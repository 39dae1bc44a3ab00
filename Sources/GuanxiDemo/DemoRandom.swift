/// SplitMix64: tiny, fast, and identical on every platform, unlike
/// `SystemRandomNumberGenerator`. Demo data must be reproducible from a seed.
struct DemoRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return DemoRNG.mix(state)
    }

    /// The SplitMix64 finaliser; also used to derive independent sub-seeds.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in `range`.
    @inline(__always)
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent`/100.
    @inline(__always)
    mutating func percent(_ percent: Int) -> Bool { below(100) < percent }

    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A table sampled proportionally to integer weights. Arrays only, so sampling
/// never depends on Dictionary/Set iteration order.
struct Weighted<T: Sendable>: Sendable {
    let items: [T]
    private let cumulative: [Int]

    init(_ pairs: [(T, Int)]) {
        items = pairs.map(\.0)
        var sum = 0
        cumulative = pairs.map { sum += $0.1; return sum }
    }

    func pick(_ rng: inout DemoRNG) -> T {
        let r = rng.below(cumulative.last!)
        // Binary search for the first cumulative weight above r.
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return items[lo]
    }
}

/// Bijective scrambles that turn a slot number into distinct-looking but
/// guaranteed-unique numbers, so e-mails and phones never collide.
enum UniqueNumbers {
    /// A bijection of `0..<modulus` that looks random: three rounds of an affine
    /// map (prime multipliers, so coprime with every modulus used here, which
    /// only has the factors 2, 3 and 5) each followed by transposing the number
    /// as a `high × low` digit grid. Plain affine maps made consecutive slots
    /// produce visibly consecutive phone numbers.
    static func permute(_ x: UInt64, modulus: UInt64, salt: UInt64) -> UInt64 {
        var low: UInt64 = 1
        while low * low * 100 <= modulus && modulus % (low * 10) == 0 { low *= 10 }
        let high = modulus / low
        var v = x % modulus
        let multipliers: [UInt64] = [1_000_003, 2_147_483_647, 4_294_967_291]
        for (round, a) in multipliers.enumerated() {
            let product = v.multipliedFullWidth(by: a % modulus)
            let r = modulus.dividingFullWidth((product.high, product.low)).remainder
            let offset = (salt &+ UInt64(round) &* 0x9E37_79B9) % modulus
            let (sum, overflow) = r.addingReportingOverflow(offset)
            v = overflow || sum >= modulus ? sum &- modulus : sum
            // v = q * low + r  →  r * high + q  (a bijection because q < high and r < low).
            v = (v % low) * high + v / low
        }
        return v
    }

    /// A unique positive number for each slot with at least `minDigits` digits:
    /// slots fill all `minDigits`-digit numbers first, then the next length, and
    /// different lengths never overlap. Used as e-mail suffixes ("wangxm4821").
    static func growing(_ slot: UInt64, minDigits: Int, salt: UInt64) -> UInt64 {
        var low: UInt64 = 1
        for _ in 1..<minDigits { low *= 10 }
        var s = slot
        while true {
            let count = low * 9 // numbers with this many digits
            if s < count { return low + permute(s, modulus: count, salt: salt) }
            s -= count
            low *= 10
        }
    }

    /// Zero-padded decimal of `value` with exactly `width` digits.
    static func padded(_ value: UInt64, width: Int) -> String {
        var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var v = value
        var i = width - 1
        while i >= 0 && v > 0 {
            bytes[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
