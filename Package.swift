// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let webDependencies: [Target.Dependency] = [
    "GuanxiCore",
    "GuanxiStore",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
    .product(name: "Mustache", package: "swift-mustache"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "Logging", package: "swift-log"),
]

/// The capabilities' web modules: each compiles its folders of Sources/GuanxiWeb on the platform
/// module (sales and orders share one: the sales reports count orders), and may use the modules listed
/// after its folders (the settings pages list the sales capability's lead sources and rules) and
/// products of its own (outgoing webhooks speak HTTP/1.1 and TLS straight on SwiftNIO).
let webFeatures: [(name: String, folders: [String], uses: [String], products: [Target.Dependency])] = [
    ("Customers", ["Customers"], [], []),
    ("Sales", ["Sales", "Orders"], [], []),
    ("Service", ["Service"], [], []),
    ("Access", ["Access"], ["Sales"], []),
    ("Insights", ["Insights"], [], [.target(name: "GuanxiAnalytics")]),
    ("Integration", ["Integration"], [], [.product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                                         .product(name: "NIOSSL", package: "swift-nio-ssl")]),
    // behaviour events: tracking clients send gzip-compressed batches (the store's Inflate)
    ("Events", ["Events"], [], []),
    ("Portal", ["Portal"], [], []),
    ("Knowledge", ["Knowledge"], [], []),
    // the call centre dials out through the outgoing webhooks' HTTP client
    ("Calls", ["Calls"], ["Integration"], []),
]

func webFeature(_ f: (name: String, folders: [String], uses: [String], products: [Target.Dependency])) -> Target {
    .target(
        name: "GuanxiWeb" + f.name,
        dependencies: webDependencies + ["GuanxiWebPlatform"] + f.uses.map { .target(name: "GuanxiWeb" + $0) } + f.products,
        path: "Sources/GuanxiWeb",
        sources: f.folders,
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "guanxi",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "guanxi", targets: ["guanxi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "GuanxiCore",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        // The system's zlib (gzip request bodies of the behaviour-event intake, Excel workbooks an import reads).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "GuanxiAnalytics",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GuanxiStore",
            dependencies: [
                "GuanxiCore",
                // scoring runs (Insights) fit the analytics engine's models on the CRM's own orders
                "GuanxiAnalytics",
                .product(name: "SQLKit", package: "sql-kit"),
                // SQLiteNIO also brings its C module VaporCSQLite (SQLiteDirect calls the bundled SQLite in place);
                // the SQL dialect and value coders over it are ours (SQLiteValues), not SQLiteKit's
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // the system's zlib: imports read Excel workbooks (.xlsx, a ZIP), event intake gzip bodies
                "CZlib",
            ],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL's driver, apart so the store, web and demo modules compile beside it, not after it.
        .target(
            name: "GuanxiPostgres",
            dependencies: [
                "GuanxiCore", "GuanxiStore",
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Demo data (bilingual customers, orders) and its loader: used by `guanxi demo`, benchmarks and tests, never by the server.
        .target(
            name: "GuanxiDemo",
            dependencies: ["GuanxiCore", "GuanxiStore", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        // The web layer is one module per capability folder of Sources/GuanxiWeb, so the compiler holds
        // each capability to the seam (it sees the platform, never another capability) and a release
        // build compiles them side by side instead of in one long optimising job.
        .target(
            name: "GuanxiWebPlatform",
            dependencies: webDependencies,
            path: "Sources/GuanxiWeb",
            sources: ["Platform", "Pages"],
            swiftSettings: swiftSettings
        ),
    ] + webFeatures.map(webFeature) + [
        // The application: the feature list, the router and the service group that wire them.
        .target(
            name: "GuanxiWeb",
            dependencies: webDependencies + ["GuanxiWebPlatform"] + webFeatures.map { .target(name: "GuanxiWeb" + $0.name) },
            path: "Sources/GuanxiWeb/App",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "guanxi",
            dependencies: [
                "GuanxiCore",
                "GuanxiStore",
                "GuanxiWeb",
                "GuanxiWebPlatform",
                "GuanxiPostgres",
                "GuanxiAnalytics",
                "GuanxiDemo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // One database harness for store and web tests (SQLite, and PostgreSQL when the environment names a server).
        .target(
            name: "GuanxiTestSupport",
            dependencies: ["GuanxiCore", "GuanxiStore", "GuanxiWeb", "GuanxiWebPlatform", "GuanxiPostgres"],
            path: "Tests/GuanxiTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GuanxiCoreTests", dependencies: ["GuanxiCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GuanxiAnalyticsTests", dependencies: ["GuanxiAnalytics"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "GuanxiStoreTests",
            dependencies: [
                "GuanxiStore", "GuanxiCore", "GuanxiWeb", "GuanxiWebPlatform", "GuanxiDemo", "GuanxiTestSupport", "GuanxiAnalytics",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GuanxiDemoTests", dependencies: ["GuanxiDemo", "GuanxiCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GuanxiWebTests",
            dependencies: [
                "GuanxiWeb", "GuanxiWebPlatform", "GuanxiStore", "GuanxiCore", "GuanxiTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                // the webhook receiver in the tests checks signatures on its own
                .product(name: "Crypto", package: "swift-crypto"),
            ] + webFeatures.map { .target(name: "GuanxiWeb" + $0.name) },
            // reviewed page snapshots, read by the tests from the source tree
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
    ]
)
