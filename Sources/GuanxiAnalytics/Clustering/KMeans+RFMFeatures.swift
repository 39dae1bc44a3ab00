import Foundation

extension KMeans {
    /// Standardises each column to z-scores using the population standard deviation (columns with
    /// zero spread become 0).
    package static func standardized(_ data: Matrix) -> Matrix {
        let n = data.count, d = data.dimensions
        var out = data.values
        for j in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += data.values[i * d + j] }
            mean /= Double(max(n, 1))
            var v = 0.0
            for i in 0..<n { let t = data.values[i * d + j] - mean; v += t * t }
            let sd = (v / Double(max(n, 1))).squareRoot()
            for i in 0..<n { out[i * d + j] = sd > 0 ? (data.values[i * d + j] - mean) / sd : 0 }
        }
        return Matrix(values: out, dimensions: d)
    }

    /// RFM features for clustering: z-scores of log(1+R), log(1+F), log(1+M), where R = days from the
    /// last purchase to `asOf`, F = distinct purchase days and M = total amount.
    package static func rfmFeatures(_ activity: CustomerActivity, asOf: Int) -> Matrix {
        let n = activity.count
        var values = [Double](repeating: 0, count: n * 3)
        for i in 0..<n {
            values[i * 3] = log1p(Double(asOf - Int(activity.lastDay[i])))
            values[i * 3 + 1] = log1p(Double(activity.purchaseDays[i]))
            values[i * 3 + 2] = log1p(activity.totalAmount[i])
        }
        return standardized(Matrix(values: values, dimensions: 3))
    }
}
