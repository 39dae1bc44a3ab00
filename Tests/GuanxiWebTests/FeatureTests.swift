import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// The feature list is the one place capabilities are wired: what they declare must not collide,
/// and everything the application serves must come from it.
@Suite("Feature seam")
struct FeatureTests {
    @Test func featureNamesAreUnique() {
        let names = Features.all.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
    }

    @Test func migrationVersionsRunOneToNAcrossFeaturesWithoutGapsOrTwins() {
        // given every feature's migrations
        let versions = Features.all.flatMap(\.migrations).map(\.version).sorted()
        // then they are exactly 1…n (a twin or a gap would apply twice or never)
        #expect(versions == Array(1...versions.count), "\(versions)")
        #expect(Features.migrations.map(\.version) == versions)
    }

    @Test func noTwoFeaturesDeclareTheSameWordTemplateSchemaOrPermission() {
        func twins<K: Hashable>(_ keys: [K]) -> [K] {
            Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.map(\.key)
        }
        for l in UILocale.allCases {
            let keys = Features.all.flatMap { Array(($0.catalog.strings[l] ?? [:]).keys) }
            #expect(twins(keys).isEmpty, "\(l.rawValue) words declared twice: \(twins(keys).sorted())")
        }
        let templates = Features.all.flatMap { Array($0.templates.keys) }
        #expect(twins(templates).isEmpty, "templates declared twice: \(twins(templates).sorted())")
        let schemas = Features.all.flatMap { Array($0.schemas().keys) }
        #expect(twins(schemas).isEmpty, "schemas declared twice: \(twins(schemas).sorted())")
        let objects = Features.all.flatMap(\.permissions)
        #expect(twins(objects).isEmpty, "permission objects claimed twice: \(twins(objects))")
    }

    @Test func theNavigationIsInTheOrderOfItsPositionsWithOneBadge() {
        let nav = Pages.navigation(Features.all)
        #expect(nav.map(\.position) == nav.map(\.position).sorted() && Set(nav.map(\.position)).count == nav.count,
                "navigation positions must be distinct: \(nav.map { ($0.label, $0.position) })")
        #expect(nav.filter(\.badge).map(\.label) == ["my_day"])
        #expect(nav.prefix(2).map(\.label) == ["customers", "leads"])
    }

    @Test(arguments: Backend.all) func theMainNavigationShowsEveryFeaturesLinksInOrder(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an administrator, who may open every page
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            // when any page is shown
            let html = try await env.send(.get, "/customers", as: .none, headers: admin.merging(["Accept-Language": "en"]) { a, _ in a }).text
            // then its main navigation links are the features' links in the order of their positions, then settings
            let bar = try #require(html.firstMatch(of: /<nav class="main-nav"[^>]*>(.*?)<\/nav>/)?.output.1)
            let hrefs = bar.matches(of: /href="([^"]+)"/).map { String($0.output.1) }
            #expect(hrefs.dropLast() == Pages.navigation(Features.all).map(\.href)[...])
            #expect(hrefs.last?.hasPrefix(SettingsURL.home.path) == true)
        }
    }

    @Test(arguments: Backend.all) func aRoleIsShownOnlyTheLinksItCanOpen(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a marketer, who may not read tickets
            _ = try await env.services.access.createUser(email: "marketer@example.com", password: "password-marketer", name: "市场部",
                                                         role: .marketer, workspaceID: env.workspaceA.id)
            let (marketer, _) = try await PageTests().signIn(env, email: "marketer@example.com", password: "password-marketer")
            let (rep, _) = try await PageTests().signIn(env)
            func bar(_ jar: [String: String]) async throws -> String {
                let html = try await env.send(.get, "/customers", as: .none, headers: jar).text
                return String(try #require(html.firstMatch(of: /<nav class="main-nav"[^>]*>(.*?)<\/nav>/)?.output.1))
            }
            // then the service desk's link is not in the marketer's bar, and is in a sales rep's (who follows their customers' tickets)
            #expect(try await !bar(marketer).contains(#"href="/tickets""#))
            #expect(try await bar(rep).contains(#"href="/tickets""#))
        }
    }

    @Test(arguments: Backend.all) func everyRouteTheOpenAPIDocumentNamesBelongsToAFeature(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the application built from the feature list
            // when every operation's tag is looked at
            let tags = Set(env.table.routes.map(\.tag))
            // then operations exist, and the stylesheet holds every feature's part
            #expect(!tags.isEmpty)
            let css = try await env.get("/assets/app.css", as: .none)
            #expect(css.status == .ok)
            for f in Features.all where !f.stylesheet.isEmpty {
                #expect(css.text.contains(f.stylesheet), "\(f.name)'s stylesheet is not served")
            }
        }
    }
}
