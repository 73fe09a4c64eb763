// swift-tools-version:6.1
import PackageDescription

// Baton's benchmarks, kept out of the root package so that building Baton never needs the
// benchmark package. Run from this folder after `swift build -c release` at the root:
//   swift package benchmark
let package = Package(
    name: "BatonBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that `package: "Baton"` below does not depend on the checkout's folder name.
        .package(name: "Baton", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // What both benchmarks share: plain C functions compiled on first use.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "BatonSkills", package: "Baton"),
            ],
            path: "Benchmarks/Support",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        .executableTarget(
            name: "SkillCall",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "BatonCore", package: "Baton"),
                .product(name: "BatonSkills", package: "Baton"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SkillCall",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // An isolated call (a worker process, docs/skill-isolation.md) beside an in-process one.
        .executableTarget(
            name: "IsolatedCall",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "BatonCore", package: "Baton"),
                .product(name: "BatonSkills", package: "Baton"),
                .product(name: "BatonRuntime", package: "Baton"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/IsolatedCall",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
