import Foundation

/// A box that lets a non-`Sendable` value cross into `concurrentPerform`; callers guarantee that
/// concurrent iterations touch disjoint memory.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
}

/// Data-parallel helpers over index ranges (each chunk writes only its own slots).
enum Parallel {
    /// Number of cores available.
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body(chunk)` for `chunk` in `0..<chunks` concurrently and waits for all of them.
    static func forEach(chunks: Int, _ body: (Int) -> Void) {
        if chunks <= 1 {
            if chunks == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { box.value($0) }
        }
    }

    /// Runs `body(lo, hi)` over `0..<count` split into chunks and returns the results in chunk order.
    static func map<R>(count: Int, minimumPerChunk: Int, _ body: (Int, Int) -> R) -> [R] {
        let chunks = max(1, min(cores * 2, count / max(1, minimumPerChunk)))
        if chunks == 1 { return [body(0, count)] }
        var results = [R?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            forEach(chunks: chunks) { c in
                out[c] = body(count * c / chunks, count * (c + 1) / chunks)
            }
        }
        return results.map { $0! }
    }
}
