// swift-tools-version:6.0
import Foundation
import PackageDescription

// The catalog service: the reference host of the cache engine, a package of its own so that
// users of the engine alone never build Hummingbird or postgres-nio. It depends on the
// repository's root package by path; SwiftPM names a path dependency after its directory, so the
// name is read from where this manifest sits (the repository's clone may have any name).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cachetop = repositoryRoot.lastPathComponent.lowercased()

let package = Package(
    name: "catalog-service",
    products: [
        .executable(name: "catalog-service", targets: ["catalog-service"]),
        .library(name: "CatalogService", targets: ["CatalogService"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(path: "../../Packages/CacheFleet"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "CatalogService",
            dependencies: [
                .product(name: "CacheEngine", package: cachetop),
                .product(name: "CacheControl", package: cachetop),
                .product(name: "CacheMetrics", package: cachetop),
                .product(name: "CacheFleet", package: "cachefleet"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "catalog-service",
            dependencies: [
                "CatalogService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CatalogServiceTests",
            dependencies: [
                "CatalogService",
                "catalog-service",
                .product(name: "CacheEngine", package: cachetop),
                .product(name: "CacheEngineTesting", package: cachetop),
                .product(name: "CacheFleet", package: "cachefleet"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
