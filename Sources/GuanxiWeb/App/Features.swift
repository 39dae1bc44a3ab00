import GuanxiStore
import GuanxiWebPlatform
import GuanxiWebAccess
import GuanxiWebCustomers
import GuanxiWebSales
import GuanxiWebService
import GuanxiWebIntegration
import GuanxiWebEvents
import GuanxiWebInsights
import GuanxiWebPortal
import GuanxiWebKnowledge
import GuanxiWebCalls
/// Every capability of the application, in the order it registers. Adding one: a folder per module
/// it touches, its `Feature` value declared in its web folder, and one line here.
package enum Features {
    package static let all: [Feature] = [
        .platform,
        .access,
        .customers,
        .sales,
        .orders,
        .service,
        .integration,
        .events,
        .insights,
        .portal,
        .knowledge,
        .calls,
    ]
}

extension Features {
    /// Every feature's migrations, in version order.
    package static var migrations: [Migration] { all.flatMap(\.migrations).sorted { $0.version < $1.version } }

    /// Every feature's page templates by name.
    package static var templates: [String: String] {
        all.reduce(into: [:]) { out, f in out.merge(f.templates) { first, _ in first } }
    }

    /// The schema migrator for a database, knowing every feature's migrations.
    package static func migrator(_ db: Database) -> Migrator { Migrator(db: db, migrations: migrations) }
}
