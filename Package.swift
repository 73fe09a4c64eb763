// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target of Baton shares.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// C skills export only their entry symbol: everything else is hidden.
let skillCSettings: [CSetting] = [.unsafeFlags(["-fvisibility=hidden"])]

/// The external modules Baton's targets use, each named once.
enum External {
    static let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
    static let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
    static let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
    static let hummingbirdCore = Target.Dependency.product(name: "HummingbirdCore", package: "hummingbird")
    static let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
    static let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
    static let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
    static let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
    static let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
    static let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
    static let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
    static let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
    static let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
    static let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
    static let yams = Target.Dependency.product(name: "Yams", package: "Yams")

    /// An HTTP server and client over SwiftNIO, with signatures: what the runtime's intake and
    /// the simulator both serve with.
    static let httpStack: [Target.Dependency] = [asyncHTTPClient, crypto, hummingbird, httpTypes, logging, nioCore, nioHTTP1]
}

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["BatonCLI"]),
        .library(name: "BatonSkills", targets: ["BatonSkills"]),
        .library(name: "BatonCore", targets: ["BatonCore"]),
        .library(name: "BatonRuntime", targets: ["BatonRuntime"]),
        .library(name: "BatonSimulator", targets: ["BatonSimulator"]),
        .library(name: "BatonTesting", targets: ["BatonTesting"]),
        // Example skills, built as lib<Name>.so.
        .library(name: "EchoSkill", type: .dynamic, targets: ["EchoSkill"]),
        .library(name: "KeywordEscalation", type: .dynamic, targets: ["KeywordEscalation"]),
        .library(name: "FAQSkill", type: .dynamic, targets: ["FAQSkill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    ],
    targets: [
        // The skill ABI: include/baton/skill.h, imported by Swift exactly as skill authors see it.
        .target(name: "CBatonSkill", path: "Sources/CBatonSkill"),
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libffi, for plain C functions bound as skills (Sources/BatonSkills/FFI).
        .systemLibrary(name: "CLibFFI", path: "Sources/CLibFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        // The few Linux calls Swift cannot import (macros, _GNU_SOURCE): a worker's CPU affinity.
        .target(name: "CBatonSystem", path: "Sources/CBatonSystem"),
        // Pure decision core: events, thread control, policy, the reply type. No I/O.
        .target(name: "BatonCore", swiftSettings: swiftSettings),
        // Skill loading: the only module that calls dlopen and calls into skills through unsafe
        // pointers. (Unsafe pointers also appear, confined, in BatonStore's SQLite C calls and in
        // BatonTesting's socket probe for free ports.)
        .target(
            name: "BatonSkills",
            dependencies: ["BatonCore", "CBatonSkill", "CLibFFI", External.logging, External.nioPosix],
            swiftSettings: swiftSettings
        ),
        // Durable state behind the BatonStore protocol; SQLite.
        .target(name: "BatonStore", dependencies: ["BatonCore", "CSQLite", External.logging], swiftSettings: swiftSettings),
        // The Graph API client.
        .target(
            name: "BatonGraph",
            dependencies: ["BatonCore", External.asyncHTTPClient, External.crypto, External.logging, External.nioCore, External.nioHTTP1],
            swiftSettings: swiftSettings
        ),
        // The server: configuration, intake, scheduling, processing, metrics, services.
        .target(
            name: "BatonRuntime",
            dependencies: ["BatonCore", "BatonStore", "BatonGraph", "BatonSkills", "CBatonSystem"] + External.httpStack + [
                External.hummingbirdCore, External.nioPosix, External.serviceLifecycle, External.unixSignals,
                External.yams, External.metrics, External.prometheus,
            ],
            swiftSettings: swiftSettings
        ),
        // The Messenger Platform stand-in: Graph API, Conversation Routing, signed webhooks.
        // Depends on no other Baton module.
        .target(name: "BatonSimulator", dependencies: External.httpStack + [External.serviceLifecycle], swiftSettings: swiftSettings),
        // The test kit for skill teams: simulator + runtime wired together, transcripts, the checker.
        .target(
            name: "BatonTesting",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonSkills", "BatonStore", "BatonCore", "CBatonSkill",
                External.logging, External.nioPosix, External.yams,
            ],
            // The project templates of `baton skill new`, read through Bundle.module.
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        // The `baton` command: thin wrappers over the libraries.
        .executableTarget(
            name: "BatonCLI",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonSkills", "BatonTesting", "BatonCore", "BatonStore",
                External.yams, External.argumentParser, External.serviceLifecycle, External.unixSignals, External.logging,
            ],
            swiftSettings: swiftSettings
        ),

        // Example skills (Plugins/).
        .target(name: "EchoSkill", dependencies: ["CBatonSkill"], path: "Plugins/EchoSkill", publicHeadersPath: "", cSettings: skillCSettings),
        .target(name: "KeywordEscalation", dependencies: ["CBatonSkill"], path: "Plugins/KeywordEscalation"),
        .target(name: "FAQSkill", dependencies: ["CBatonSkill"], path: "Plugins/FAQSkill"),

        // What every test target shares: free ports, temporary folders, waiting on a condition,
        // compiling C skills, a seeded generator, a signed-webhook receiver, loopback HTTP.
        .target(
            name: "BatonTestSupport",
            dependencies: ["BatonTesting", "BatonSimulator"] + External.httpStack,
            path: "Tests/BatonTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonSkillsTests",
            dependencies: ["BatonSkills", "BatonCore", "CBatonSkill", "BatonTestSupport", External.logging, External.nioPosix],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BatonCoreTests", dependencies: ["BatonCore", "BatonTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BatonGraphTests",
            dependencies: ["BatonGraph", "BatonCore", "BatonTestSupport", External.asyncHTTPClient, External.logging, External.nioCore],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BatonStoreTests", dependencies: ["BatonStore", "BatonCore", "BatonTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BatonSimulatorTests",
            dependencies: ["BatonSimulator", "BatonTestSupport"] + External.httpStack,
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonRuntimeTests",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonTesting", "BatonStore", "BatonGraph", "BatonCore", "BatonTestSupport",
                External.yams,
            ] + External.httpStack,
            swiftSettings: swiftSettings
        ),
    ]
)
