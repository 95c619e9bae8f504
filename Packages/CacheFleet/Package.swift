// swift-tools-version:6.0
import Foundation
import PackageDescription

// CacheFleet: many instances of a service, each with its own in-process cache, kept coherent
// through PostgreSQL (an invalidation log written in the writer's transaction, LISTEN/NOTIFY, a
// lease) and registered in a table `cachetop fleet` reads. A package of its own so that users of
// the engine alone never resolve or build postgres-nio. It depends on the repository's root
// package by path; SwiftPM names a path dependency after its directory, so the name is read from
// where this manifest sits (the repository's clone may have any name).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cachetop = repositoryRoot.lastPathComponent.lowercased()

let package = Package(
    name: "cache-fleet",
    products: [
        .library(name: "CacheFleet", targets: ["CacheFleet"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "CacheFleet",
            dependencies: [
                .product(name: "CacheEngine", package: cachetop),
                .product(name: "CacheVocabulary", package: cachetop),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CacheFleetTests",
            dependencies: [
                "CacheFleet",
                .product(name: "CacheEngine", package: cachetop),
                .product(name: "CacheEngineTesting", package: cachetop),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
