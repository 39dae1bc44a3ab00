import Foundation

/// A numeric design matrix read from a CSV of customer features, for the churn model.
///
/// Numeric columns are used as they are (blank cells take the column mean); other columns are
/// one-hot encoded with their levels sorted and the first level dropped. The label column maps
/// `1`, `yes`, `true` (any case) to 1 and everything else to 0.
package struct FeatureTable: Sendable {
    /// Names of the encoded columns.
    package var columns: [String]
    /// One row per example.
    package var rows: [[Double]]
    /// Labels (1 = churned).
    package var labels: [Double]

    /// Parses CSV text (header required; fields may not contain commas).
    ///
    /// - Parameters:
    ///   - label: name of the label column.
    ///   - exclude: columns to ignore (e.g. identifiers).
    package static func parse(_ text: String, label: String, exclude: Set<String> = []) throws -> FeatureTable {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let header = lines.first else { throw AnalyticsInputError(line: 0, message: "empty feature file") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let labelIndex = names.firstIndex(of: label) else {
            throw AnalyticsInputError(line: 1, message: "no label column '\(label)'")
        }
        var cells: [[String]] = []
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == names.count else {
                throw AnalyticsInputError(line: k + 2, message: "expected \(names.count) fields, found \(fields.count)")
            }
            cells.append(fields)
        }
        var columns: [String] = []
        var encoded: [[Double]] = Array(repeating: [], count: cells.count)
        for (j, name) in names.enumerated() where j != labelIndex && !exclude.contains(name) {
            let values = cells.map { $0[j] }
            let numeric = values.map { Double($0) }
            let nonBlank = values.filter { !$0.isEmpty }
            if nonBlank.allSatisfy({ Double($0) != nil }) {
                let present = numeric.compactMap { $0 }
                let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
                columns.append(name)
                for i in cells.indices { encoded[i].append(numeric[i] ?? mean) }
            } else {
                let levels = Array(Set(values)).sorted()
                for level in levels.dropFirst() {
                    columns.append("\(name)=\(level)")
                    for i in cells.indices { encoded[i].append(values[i] == level ? 1 : 0) }
                }
            }
        }
        let labels = cells.map { row -> Double in
            let v = row[labelIndex].lowercased()
            return (v == "1" || v == "yes" || v == "true") ? 1 : 0
        }
        return FeatureTable(columns: columns, rows: encoded, labels: labels)
    }
}
