import Foundation

/// Per-customer aggregates after collapsing same-day purchases into one (amounts summed per day),
/// in columnar form. Built once from a ``TransactionTable`` and shared by the summary, RFM, k-means
/// and churn features.
package struct CustomerActivity: Sendable {
    /// Customer identifiers.
    package var ids: [String]
    /// Day number of the first purchase.
    package var firstDay: [Int32]
    /// Day number of the last purchase.
    package var lastDay: [Int32]
    /// Number of distinct purchase days.
    package var purchaseDays: [Int32]
    /// Total amount over all purchases.
    package var totalAmount: [Double]
    /// Total amount of the purchase days after the first one (the "repeat" transactions).
    package var repeatAmount: [Double]
    /// Distinct purchase days after the cut-off day (holdout period), when a cut-off was given.
    package var holdoutPurchaseDays: [Int32]
    /// Total amount after the cut-off day, when a cut-off was given.
    package var holdoutAmount: [Double]

    /// Number of customers.
    package var count: Int { ids.count }
}

extension CustomerActivity {
    /// Aggregates transactions per customer.
    ///
    /// - Parameters:
    ///   - table: the transactions.
    ///   - cutoff: when given, only transactions on or before this day number form the calibration
    ///     aggregates; customers whose first purchase is after it are left out; later transactions up to
    ///     `observationEnd` count in the holdout columns.
    ///   - observationEnd: the last day counted in the holdout (defaults to the last transaction day).
    package static func build(from table: TransactionTable, cutoff: Int? = nil, observationEnd: Int? = nil) -> CustomerActivity {
        let customers = table.customerCount
        let n = table.count
        precondition(n < Int(Int32.max), "too many transactions")
        // Counting sort of the transactions by customer (CSR layout) into one packed (day, amount)
        // record per transaction, so the random-access scatter writes one cache line, not two.
        // Large tables are counted and scattered in `parts` contiguous parts on all cores: part t's
        // transactions of a customer go after those of parts < t, so the layout is exactly the serial
        // one (input order kept within each customer).
        let parts = n >= 1_000_000 && customers > 0 ? max(1, min(Parallel.cores, 8)) : 1
        // cursor[t * customers + c]: next slot of part t for customer c.
        var cursor = [Int32](repeating: 0, count: parts * customers)
        var offsets = [Int](repeating: 0, count: customers + 1)
        var records = [DayAmount](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        table.customerIndex.withUnsafeBufferPointer { ci in
            table.day.withUnsafeBufferPointer { d in
                table.amount.withUnsafeBufferPointer { a in
                    cursor.withUnsafeMutableBufferPointer { cur in
                        let counts = cur
                        Parallel.forEach(chunks: parts) { t in
                            let base = t * customers
                            for i in (n * t / parts)..<(n * (t + 1) / parts) { counts[base + Int(ci[i])] += 1 }
                        }
                        var running = 0
                        for c in 0..<customers {
                            offsets[c] = running
                            for t in 0..<parts {
                                let k = Int(counts[t * customers + c])
                                counts[t * customers + c] = Int32(running)
                                running += k
                            }
                        }
                        offsets[customers] = running
                        records.withUnsafeMutableBufferPointer { rr in
                            let out = rr
                            Parallel.forEach(chunks: parts) { t in
                                let base = t * customers
                                for i in (n * t / parts)..<(n * (t + 1) / parts) {
                                    let c = base + Int(ci[i])
                                    let slot = Int(counts[c])
                                    counts[c] = Int32(slot + 1)
                                    out[slot] = DayAmount(amount: a[i], day: d[i])
                                }
                            }
                        }
                    }
                }
            }
        }
        cursor = []
        let cut = cutoff.map { Int32(truncatingIfNeeded: $0) } ?? Int32.max
        let obsEnd = observationEnd.map { Int32(truncatingIfNeeded: $0) } ?? Int32.max
        var first = [Int32](repeating: Int32.max, count: customers)
        var last = [Int32](repeating: Int32.min, count: customers)
        var distinct = [Int32](repeating: 0, count: customers)
        var total = [Double](repeating: 0, count: customers)
        var repeatTotal = [Double](repeating: 0, count: customers)
        var holdDays = [Int32](repeating: 0, count: customers)
        var holdAmount = [Double](repeating: 0, count: customers)
        let chunks = customers >= 50_000 ? 8 : 1
        records.withUnsafeMutableBufferPointer { rr in
            first.withUnsafeMutableBufferPointer { fp in
                last.withUnsafeMutableBufferPointer { lp in
                    distinct.withUnsafeMutableBufferPointer { np in
                        total.withUnsafeMutableBufferPointer { tp in
                            repeatTotal.withUnsafeMutableBufferPointer { rp in
                                holdDays.withUnsafeMutableBufferPointer { hp in
                                    holdAmount.withUnsafeMutableBufferPointer { hap in
                                        offsets.withUnsafeBufferPointer { off in
                                            let rec = rr
                                            Parallel.forEach(chunks: chunks) { chunk in
                                                let lo = customers * chunk / chunks
                                                let hi = customers * (chunk + 1) / chunks
                                                for c in lo..<hi {
                                                    let s = off[c], e = off[c + 1]
                                                    sortSlice(rec, s, e)
                                                    var f = Int32.max, l = Int32.min
                                                    var k: Int32 = 0
                                                    var sum = 0.0, rep = 0.0
                                                    var hk: Int32 = 0
                                                    var hsum = 0.0
                                                    var prev = Int32.min
                                                    var prevHold = Int32.min
                                                    for i in s..<e {
                                                        let d = rec[i].day
                                                        let a = rec[i].amount
                                                        if d <= cut {
                                                            if d != prev {
                                                                k += 1
                                                                prev = d
                                                            }
                                                            if f == Int32.max { f = d }
                                                            l = d
                                                            sum += a
                                                            if d != f { rep += a }
                                                        } else if d <= obsEnd {
                                                            if d != prevHold { hk += 1; prevHold = d }
                                                            hsum += a
                                                        }
                                                    }
                                                    fp[c] = f
                                                    lp[c] = l
                                                    np[c] = k
                                                    tp[c] = sum
                                                    rp[c] = rep
                                                    hp[c] = hk
                                                    hap[c] = hsum
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var activity = CustomerActivity(
            ids: table.customerIDs, firstDay: first, lastDay: last, purchaseDays: distinct,
            totalAmount: total, repeatAmount: repeatTotal, holdoutPurchaseDays: holdDays, holdoutAmount: holdAmount)
        if cutoff != nil, distinct.contains(0) {
            activity = activity.filtered { distinct[$0] > 0 }
        }
        return activity
    }

    /// One transaction in the per-customer layout.
    struct DayAmount {
        var amount: Double
        var day: Int32
    }

    /// The customers whose index satisfies `keep`, in the same order.
    package func filtered(_ keep: (Int) -> Bool) -> CustomerActivity {
        let kept = (0..<count).filter(keep)
        return CustomerActivity(
            ids: kept.map { ids[$0] }, firstDay: kept.map { firstDay[$0] }, lastDay: kept.map { lastDay[$0] },
            purchaseDays: kept.map { purchaseDays[$0] }, totalAmount: kept.map { totalAmount[$0] },
            repeatAmount: kept.map { repeatAmount[$0] }, holdoutPurchaseDays: kept.map { holdoutPurchaseDays[$0] },
            holdoutAmount: kept.map { holdoutAmount[$0] })
    }

    /// Sorts `records[s..<e]` by day, stably (insertion sort for the usual short slices).
    @inline(__always)
    static func sortSlice(_ records: UnsafeMutableBufferPointer<DayAmount>, _ s: Int, _ e: Int) {
        var sorted = true
        var i = s + 1
        while i < e {
            if records[i].day < records[i - 1].day { sorted = false; break }
            i += 1
        }
        if sorted { return }
        if e - s <= 48 {
            var j = s + 1
            while j < e {
                let r = records[j]
                var k = j - 1
                while k >= s, records[k].day > r.day {
                    records[k + 1] = records[k]
                    k -= 1
                }
                records[k + 1] = r
                j += 1
            }
        } else {
            // Swift's sort is stable, so equal days keep their input order.
            var slice = UnsafeMutableBufferPointer(rebasing: records[s..<e])
            slice.sort { $0.day < $1.day }
        }
    }
}
