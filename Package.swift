// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target of Baton shares.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// C skills export only their entry symbol: everything else is hidden.
let skillCSettings: [CSetting] = [.unsafeFlags(["-fvisibility=hidden"])]

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
        // The only module that touches dlopen and unsafe pointers.
        .target(
            name: "BatonSkills",
            dependencies: [
                "CBatonSkill",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure decision core: events, thread control, policy. No I/O.
        .target(name: "BatonCore", swiftSettings: swiftSettings),
        .target(
            name: "BatonStore",
            dependencies: [
                "BatonCore", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BatonGraph",
            dependencies: [
                "BatonCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BatonRuntime",
            dependencies: [
                "BatonCore", "BatonStore", "BatonGraph", "BatonSkills",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Messenger Platform stand-in: Graph API, Conversation Routing, signed webhooks.
        .target(
            name: "BatonSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The test kit for skill teams: simulator + runtime wired together, transcripts.
        .target(
            name: "BatonTesting",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonSkills", "BatonStore", "BatonCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BatonCLI",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonSkills", "BatonTesting", "BatonCore", "BatonStore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Example skills (Plugins/).
        .target(name: "EchoSkill", dependencies: ["CBatonSkill"], path: "Plugins/EchoSkill", publicHeadersPath: "", cSettings: skillCSettings),
        .target(name: "KeywordEscalation", dependencies: ["CBatonSkill"], path: "Plugins/KeywordEscalation"),
        .target(name: "FAQSkill", dependencies: ["CBatonSkill"], path: "Plugins/FAQSkill"),

        .testTarget(
            name: "BatonSkillsTests",
            dependencies: ["BatonSkills", "CBatonSkill"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonCoreTests",
            dependencies: ["BatonCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonGraphTests",
            dependencies: ["BatonGraph", "BatonCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonStoreTests",
            dependencies: ["BatonStore", "BatonCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonSimulatorTests",
            dependencies: [
                "BatonSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatonRuntimeTests",
            dependencies: [
                "BatonRuntime", "BatonSimulator", "BatonTesting", "BatonStore", "BatonGraph", "BatonCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
