// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-bench", targets: ["ParleyBench"]),
        .executable(name: "parley-sample", targets: ["parley-sample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // zlib compresses the packs Parley writes itself (libgit2-dev depends on zlib1g-dev).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The terminal workspace draws through ncurses (Debian's libncurses-dev), never hand-written escape sequences.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "Git", dependencies: ["CLibGit2", "CZlib", .product(name: "Crypto", package: "swift-crypto")]),
        // The domain: records, rules, mailbox operations. No SQL, no libgit2, no network.
        .target(
            name: "ParleyCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The derived SQLite index (GRDB) and what reads it: inbox, search, reports, audit, evaluation, check, retention.
        .target(name: "ParleyIndex", dependencies: ["ParleyCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Text for a terminal: threads, the inbox, the log, reports and audits.
        .target(name: "ParleyRendering", dependencies: ["ParleyCore", "ParleyIndex"]),
        // The HTML report: one self-contained page (inline CSS and SVG) built with Plot.
        .target(name: "ParleyReportHTML", dependencies: ["ParleyCore", "ParleyIndex", "ParleyRendering", .product(name: "Plot", package: "Plot")]),
        // `parley tui`: the inbox and a thread on one screen, driven by single keys.
        .target(name: "ParleyTUI", dependencies: ["CNcurses", "ParleyCore", "ParleyIndex", "ParleyRendering"]),
        .target(name: "ParleyGitStore", dependencies: ["Git", "ParleyCore", "ParleyIndex", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "ParleyGateways",
            dependencies: [
                "ParleyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyCore",
                "ParleyIndex",
                "ParleyRendering",
                "ParleyGateways",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "ParleyCLI",
            dependencies: [
                "ParleyCore",
                "ParleyIndex",
                "ParleyRendering",
                "ParleyGitStore",
                "ParleyGateways",
                "ParleyServer",
                "ParleyReportHTML",
                "ParleyTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "parley", dependencies: ["ParleyCLI"]),
        // The demo's sample month, made from a seed (the generator is committed, not its thousands of files).
        .target(name: "ParleySample", dependencies: ["ParleyCore"]),
        .executableTarget(name: "parley-sample", dependencies: ["ParleySample"]),
        .executableTarget(
            name: "ParleyBench",
            dependencies: [
                "ParleyCore", "ParleyIndex", "ParleyRendering", "ParleyGitStore", "ParleyGateways", "ParleyServer", "ParleyTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                "ParleyCore", "ParleyIndex", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/ParleyTestSupport"
        ),
        .testTarget(name: "GitTests", dependencies: ["Git", "ParleyTestSupport"]),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore", "ParleyRendering", "ParleyTestSupport"]),
        .testTarget(name: "ParleyIndexTests", dependencies: ["ParleyIndex", "ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyGitStoreTests", dependencies: [
            "ParleyGitStore", "ParleyCore", "ParleyIndex", "Git", "ParleyTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(
            name: "ParleyGatewaysTests",
            dependencies: [
                "ParleyGateways", "ParleyCore", "ParleyTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer", "ParleyCore", "ParleyIndex", "ParleyGitStore", "ParleyGateways", "ParleyTestSupport", "parley",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ParleyCLITests", dependencies: ["ParleyCLI", "parley", "parley-sample", "ParleyCore", "ParleyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
