import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("k-means")
struct KMeansTests {
    static func cdnowFeatures() throws -> KMeans.Matrix {
        let table = try Fixtures.cdnowTransactions()
        let activity = CustomerActivity.build(from: table)
        return KMeans.rfmFeatures(activity, asOf: table.lastDay! + 1)
    }

    /// scikit-learn 1.8.0 `KMeans(n_clusters=4, n_init=10, random_state=0)` on the same z-scored
    /// log-RFM features of the CDNOW sample (as of 1998-07-01): inertia 1591.8810765752773.
    @Test func reachesScikitLearnInertiaWithinOneTenthOfAPercent() throws {
        // given
        let features = try Self.cdnowFeatures()
        // when
        let result = KMeans.fit(features, k: 4, seed: 0, initializations: 10)
        // then
        #expect(result.inertia <= 1591.8810765752773 * 1.001)
        #expect(result.sizes.reduce(0, +) == 2357)
    }

    @Test func sameSeedGivesSameClustering() throws {
        // given
        let features = try Self.cdnowFeatures()
        // when
        let first = KMeans.fit(features, k: 5, seed: 7, initializations: 3)
        let second = KMeans.fit(features, k: 5, seed: 7, initializations: 3)
        // then
        #expect(first.labels == second.labels)
        #expect(first.inertia == second.inertia)
    }

    @Test func separatesObviousClusters() {
        // given two tight, far-apart groups
        var rows: [[Double]] = []
        for i in 0..<20 {
            let offset: Double = i < 10 ? 0 : 100
            rows.append([offset + Double(i) * 0.01, offset])
        }
        // when
        let result = KMeans.fit(KMeans.Matrix(rows: rows), k: 2, seed: 1)
        // then
        #expect(result.sizes.sorted() == [10, 10])
        #expect(Set(result.labels[0..<10]).count == 1)
        #expect(KMeans.silhouette(KMeans.Matrix(rows: rows), labels: result.labels) > 0.99)
    }

    @Test func aSampledSilhouetteIsTheSampleOwnAndCostsTheSampleOnly() {
        // given 400,000 points in two tight, far-apart groups, and a labelling that puts one point in ten in the wrong group
        var values: [Double] = [], good: [Int32] = [], bad: [Int32] = []
        for i in 0..<400_000 {
            let group = Int32(i % 2)
            values += [Double(group) * 100 + Double(i % 7) * 0.01, Double(group) * 100]
            good.append(group)
            bad.append(i % 10 == 0 ? 1 - group : group)
        }
        let data = KMeans.Matrix(values: values, dimensions: 2)
        // when
        let started = ContinuousClock.now
        let right = KMeans.silhouette(data, labels: good, sampleSize: 2_000, seed: 3)
        let wrong = KMeans.silhouette(data, labels: bad, sampleSize: 2_000, seed: 3)
        let took = ContinuousClock.now - started
        // then the sample tells the labellings apart as the whole would, in far less than the whole's time
        #expect(right > 0.99 && wrong < 0.9, "\(right) \(wrong)")
        #expect(took < .seconds(2), "\(took)")
        // and it is the exact silhouette of the sampled points, distances among them only
        let (sample, rows) = data.sample(2_000, seed: 3)
        #expect(KMeans.silhouette(sample, labels: rows.map { good[$0] }) == right)
    }

    @Test func beyondTheClassSampleKIsChosenOnASampleAndFittedOnEveryone() {
        // given 60,000 customers' standardised features in three far-apart groups (more than the 50,000 k is chosen on)
        var values: [Double] = []
        let centres: [[Double]] = [[-3, 0, 0], [3, 3, 0], [0, -3, 3]]
        var rng = SplitMix64(seed: 5)
        for i in 0..<60_000 { for j in 0..<3 { values.append(centres[i % 3][j] + (rng.nextUnit() - 0.5) * 0.2) } }
        // when
        let (found, ranks) = CustomerScoring.classes(KMeans.Matrix(values: values, dimensions: 3), options: .init(asOf: 0))
        // then three classes, their centres the groups' (fitted on everyone: within a hundredth), ranked by value
        #expect(found.count == 3 && Set(ranks) == [0, 1, 2])
        for c in centres {
            #expect(found.contains { f in zip(f, c).allSatisfy { abs($0 - $1) < 0.01 } }, "\(c) not among \(found)")
        }
    }

    @Test func elbowInertiaFallsWithK() throws {
        // given
        let features = try Self.cdnowFeatures()
        // when
        let curve = KMeans.elbow(features, ks: [1, 2, 3, 4], initializations: 2)
        // then
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0.inertia > $1.inertia })
        #expect(abs(curve[0].inertia - 3 * 2357) < 1e-6)
    }
}
