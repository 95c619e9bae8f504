// swift-tools-version:6.0
import PackageDescription

// Platforms: Linux only. Every target is built and tested on Linux (x86_64, Swift 6.3); the
// engine reads /proc, the control socket checks peers with SO_PEERCRED and the dashboard links
// ncursesw. No Apple platform is declared because none is built or tested.
let package = Package(
    name: "cachetop",
    products: [
        .library(name: "CacheEngine", targets: ["CacheEngine"]),
        .library(name: "CacheVocabulary", targets: ["CacheVocabulary"]),
        .library(name: "CacheWorkload", targets: ["CacheWorkload"]),
        .library(name: "CacheControl", targets: ["CacheControl"]),
        .library(name: "CacheEngineTesting", targets: ["CacheEngineTesting"]),
        .library(name: "CacheMetrics", targets: ["CacheMetrics"]),
        .executable(name: "cachetop", targets: ["cachetop"]),
        .executable(name: "cache-bench", targets: ["cache-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CPrefetch"),
        .target(name: "CThreadIndex"),
        .target(name: "CacheVocabulary"),
        .target(
            name: "CacheEngine",
            dependencies: [
                "CacheVocabulary",
                "CPrefetch",
                "CThreadIndex",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "CacheEngineTesting"),
        .target(
            name: "CacheWorkload",
            dependencies: ["CacheEngine"]
        ),
        .target(
            name: "CacheMetrics",
            dependencies: [
                "CacheEngine",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CacheControl",
            dependencies: [
                "CacheEngine",
                "CacheWorkload",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CacheDashboard",
            dependencies: ["CacheVocabulary"]
        ),
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw"
        ),
        .target(
            name: "TerminalBackend",
            dependencies: ["CacheDashboard", "CNcurses"]
        ),
        .executableTarget(
            name: "cachetop",
            dependencies: [
                "CacheEngine",
                "CacheWorkload",
                "CacheControl",
                "CacheDashboard",
                "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "cache-bench",
            dependencies: [
                "CacheEngine",
                "CacheWorkload",
                "CacheControl",
                "CacheDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CacheEngineTests",
            dependencies: [
                "CacheEngine",
                "CacheWorkload",
                "CacheEngineTesting",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CacheControlTests",
            dependencies: [
                "CacheControl",
                "CacheEngine",
                "CacheWorkload",
                "CacheEngineTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CacheMetricsTests",
            dependencies: [
                "CacheMetrics",
                "CacheEngine",
                "CacheEngineTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PublicAPITests",
            dependencies: [
                "CacheEngine",
                "CacheEngineTesting",
                "CacheMetrics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CacheDashboardTests",
            dependencies: ["CacheDashboard", "CacheVocabulary"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["cachetop"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
