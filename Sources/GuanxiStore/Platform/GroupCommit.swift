import Foundation

/// Group commit: requests that arrive while a write is running are written together in the next
/// transaction, and each caller gets its own answer back only after the commit. Under load this
/// turns many small transactions (each paying for the writer hand-off, the commit and the per-write
/// look-ups) into a few large ones. If a group fails as a whole, its items are retried one by one,
/// so one bad item fails alone.
actor GroupCommit<Input: Sendable, Output: Sendable> {
    struct Item {
        let input: Input
        let continuation: CheckedContinuation<Output, any Error>
    }

    private var pending: [Item] = []
    private var flushing = false
    private let maxBatch: Int
    private let write: @Sendable ([Input]) async throws -> [Output]

    /// `write` stores a group in one transaction and answers one output per input, in order.
    init(maxBatch: Int = 256, write: @escaping @Sendable ([Input]) async throws -> [Output]) {
        self.maxBatch = maxBatch; self.write = write
    }

    func submit(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { c in
            pending.append(Item(input: input, continuation: c))
            if !flushing {
                flushing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            do {
                let out = try await write(batch.map(\.input))
                for (item, o) in zip(batch, out) { item.continuation.resume(returning: o) }
            } catch {
                for item in batch {
                    do { item.continuation.resume(returning: try await write([item.input])[0]) } catch { item.continuation.resume(throwing: error) }
                }
            }
        }
        flushing = false
    }
}
