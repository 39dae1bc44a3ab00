import Foundation

/// A problem found while reading analytics input; `line` is 1-based and counts the header.
package struct AnalyticsInputError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The 1-based line number in the input (the header is line 1); 0 when not tied to a line.
    package var line: Int
    /// What is wrong with the line.
    package var message: String

    /// Creates an error for a line.
    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    package var description: String {
        line > 0 ? "line \(line): \(message)" : message
    }
}
