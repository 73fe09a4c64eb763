import BatonCore
import BatonSkills
import Benchmark
import BenchmarkSupport
import Foundation
import Logging
import NIOPosix

/// One skill call through the C ABI (JSON encoding of the input, a hop to the thread
/// pool, the skill, the host builders) beside the same logic called directly in Swift,
/// for a 200-byte message.
///
/// The skills come from `BATON_SKILL_DIR`, or else from the root package's `.build/release`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )

    let input = SkillCallFixture.input
    let text = SkillCallFixture.text
    let keywords = SkillCallFixture.keywords

    Benchmark("respond: EchoSkill through the ABI") { benchmark in
        let echo = SkillCallFixture.echo
        for _ in benchmark.scaledIterations {
            blackHole(try await echo.respond(input))
        }
    }

    // The same call without the hop to the thread pool: the bare ABI cost (JSON
    // encoding, call context, the C function, the builders' copies and checks).
    Benchmark("respond: EchoSkill through the ABI, calling thread") { benchmark in
        let echo = SkillCallFixture.echo
        for _ in benchmark.scaledIterations {
            blackHole(try echo.respondOnCurrentThread(input))
        }
    }

    Benchmark("encode: the input JSON alone") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(input.jsonString())
        }
    }

    Benchmark("respond: Swift echo, direct") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DirectLogic.echo(text))
        }
    }

    Benchmark("detect: KeywordEscalation through the ABI") { benchmark in
        let detector = SkillCallFixture.keywordEscalation
        for _ in benchmark.scaledIterations {
            blackHole(try await detector.detect(input))
        }
    }

    Benchmark("detect: KeywordEscalation through the ABI, calling thread") { benchmark in
        let detector = SkillCallFixture.keywordEscalation
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detectOnCurrentThread(input))
        }
    }

    Benchmark("detect: Swift keyword scan, direct") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DirectLogic.keyword(in: text, keywords: keywords))
        }
    }

    // Plain C functions through libffi beside the ABI calls above (PlainFunctions.swift).
    Benchmark("respond: C echo through libffi") { benchmark in
        let echo = PlainFunctions.echo
        for _ in benchmark.scaledIterations {
            blackHole(try await echo.respond(input))
        }
    }

    Benchmark("respond: C echo through libffi, calling thread") { benchmark in
        let echo = PlainFunctions.echo
        for _ in benchmark.scaledIterations {
            blackHole(try echo.respond(text: text))
        }
    }

    Benchmark("detect: C keyword score through libffi") { benchmark in
        let detector = PlainFunctions.keywords
        for _ in benchmark.scaledIterations {
            blackHole(try await detector.detect(input))
        }
    }

    Benchmark("detect: C keyword score through libffi, calling thread") { benchmark in
        let detector = PlainFunctions.keywords
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detect(text: text))
        }
    }
}

/// The skills and the message, made once per process.
enum SkillCallFixture {
    /// A 200-byte message that contains none of the keywords (the whole text is scanned).
    static let text: String = {
        let sentence = "Hello, I ordered a blue jacket last week and the tracking page still shows it in the warehouse. "
        var text = String(repeating: sentence, count: 3)
        text = String(text.utf8.prefix(200))!
        precondition(text.utf8.count == 200)
        return text
    }()

    /// KeywordEscalation's default keywords.
    static let keywords = ["human", "agent", "person", "representative", "operator"]

    /// The input document both calls receive.
    static let input = SkillInput(
        message: .init(mid: "m_benchmark", timestamp: 1_730_462_400_000, text: text),
        conversation: .init(
            pageID: "109876543210987",
            psid: "5012345678901234",
            recentTurns: [.init(from: .bot, text: "Hi! How can I help?", timestamp: 1_730_462_300_000)],
            secondsSinceLastUserMessage: 12.5
        )
    )

    /// The folder with `libEchoSkill.so` and `libKeywordEscalation.so`.
    static let skillDirectory: String = {
        if let directory = ProcessInfo.processInfo.environment["BATON_SKILL_DIR"], !directory.isEmpty {
            return directory
        }
        // Benchmarks/Benchmarks/SkillCall/SkillCall.swift -> the root package's .build/release
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/release").path
    }()

    /// One loader for both skills.
    static let loader = SkillLoader(logger: Logger(label: "benchmark"), threadPool: NIOThreadPool.singleton)

    static let echo: SkillInstance = instance(of: "EchoSkill")
    static let keywordEscalation: SkillInstance = instance(of: "KeywordEscalation")

    private static func instance(of name: String) -> SkillInstance {
        let path = skillDirectory + "/lib\(name).so"
        do {
            return try loader.load(path: path).makeInstance(configJSON: "{}")
        } catch {
            fatalError("cannot load \(path) (run `swift build -c release` at the root or set BATON_SKILL_DIR): \(error)")
        }
    }
}
