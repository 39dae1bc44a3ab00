import Foundation

/// The unit in which recency, age `T` and prediction horizons are expressed.
package enum TimeUnit: String, Sendable, CaseIterable {
    /// Calendar days.
    case days
    /// Weeks of seven days (the unit of the CDNOW literature).
    case weeks

    /// The length of one unit in days.
    package var lengthInDays: Double {
        switch self {
        case .days: return 1
        case .weeks: return 7
        }
    }
}
