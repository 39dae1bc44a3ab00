import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze …`: customer analytics over CSV exports.
///
/// Every subcommand prints one JSON document to stdout with `--format json`, a readable report
/// otherwise; progress for large inputs goes to stderr.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Customer analytics: CLV, RFM, k-means, association rules, cohorts and churn.",
        subcommands: [
            AnalyzeCLVCommand.self, AnalyzeRFMCommand.self, AnalyzeKMeansCommand.self,
            AnalyzeRulesCommand.self, AnalyzeCohortsCommand.self, AnalyzeChurnCommand.self,
            AnalyzeScoreCommand.self,
        ])
}

/// Output format shared by the analyze subcommands.
enum AnalyzeFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
