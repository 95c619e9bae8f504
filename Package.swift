// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cachetop",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CacheEngine", targets: ["CacheEngine"]),
        .executable(name: "cachetop", targets: ["cachetop"]),
        .executable(name: "cache-bench", targets: ["cache-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CacheEngine",
            dependencies: [
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "cachetop",
            dependencies: [
                "CacheEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "cache-bench",
            dependencies: [
                "CacheEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CacheEngineTests",
            dependencies: [
                "CacheEngine",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
