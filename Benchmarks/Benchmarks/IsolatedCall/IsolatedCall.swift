import BatonCore
import BatonRuntime
import BatonSkills
import Benchmark
import BenchmarkSupport
import Foundation
import Logging
import NIOPosix

/// One skill call in the runtime's process beside the same call to a worker process
/// (`isolation: process`: the input, packed, and the reply cross two pipes, and two processes
/// wake up), for a 200-byte message; each through the hop to a pool thread the runtime makes,
/// and on the calling thread (the crossing alone).
///
/// The skills come from `BATON_SKILL_DIR`, or else from the root package's `.build/release`; the
/// workers run the `baton` executable named by `BATON_SKILL_HOST`, or else the one beside this
/// benchmark (`swift build -c release --product baton` in this folder puts it there).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        // No CPU time: sampling it reads /proc/self/stat around every iteration, which inflated
        // every row (the in-process C keyword score's p99 from 1.2 to 3.7 µs) and stretched the
        // pauses between calls past the workers' spin window.
        metrics: [.wallClock, .throughput],
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )
    let input = IsolatedCallFixture.input

    Benchmark("respond: EchoSkill in process (thread-pool hop)") { benchmark in
        let echo = IsolatedCallFixture.inProcessEcho
        for _ in benchmark.scaledIterations {
            blackHole(try await echo.respond(input))
        }
    }

    Benchmark("respond: EchoSkill isolated (one worker process)") { benchmark in
        let echo = IsolatedCallFixture.isolatedEcho
        for _ in benchmark.scaledIterations {
            blackHole(try await echo.respond(input))
        }
    }

    // The crossing alone, without the hop to a pool thread both calls make: the calling thread
    // writes the frame and waits on the pipe for the answer.
    Benchmark("respond: EchoSkill in process, calling thread") { benchmark in
        let echo = IsolatedCallFixture.inProcessEcho
        for _ in benchmark.scaledIterations {
            blackHole(try echo.respondOnCurrentThread(input))
        }
    }

    Benchmark("respond: EchoSkill isolated, calling thread") { benchmark in
        let echo = IsolatedCallFixture.isolatedEcho
        for _ in benchmark.scaledIterations {
            blackHole(try echo.respondOnCurrentThread(input))
        }
    }

    Benchmark("detect: KeywordEscalation in process, calling thread") { benchmark in
        let detector = IsolatedCallFixture.inProcessKeywords
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detectOnCurrentThread(input))
        }
    }

    Benchmark("detect: KeywordEscalation isolated, calling thread") { benchmark in
        let detector = IsolatedCallFixture.isolatedKeywords
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detectOnCurrentThread(input))
        }
    }

    // The crossing with next to no work on either side: a plain C keyword scan bound through
    // libffi (an `ffi:` entry), in process and in a worker.
    Benchmark("detect: C keyword score through libffi in process, calling thread") { benchmark in
        let detector = PlainFunctions.keywords
        let text = input.message.text ?? ""
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detect(text: text))
        }
    }

    Benchmark("detect: C keyword score through libffi isolated, calling thread") { benchmark in
        let detector = IsolatedCallFixture.isolatedPlainKeywords
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detectOnCurrentThread(input))
        }
    }

    // The same worker kept awake 2 ms after each answer and bound to the last CPU
    // (`worker_spin_us: 2000`, `worker_cpu`): run this benchmark under `taskset -c 0` to keep the
    // caller off that CPU.
    Benchmark("detect: C keyword score through libffi isolated, calling thread, spin 2 ms, own CPU") { benchmark in
        let detector = IsolatedCallFixture.isolatedPlainKeywordsPinned
        for _ in benchmark.scaledIterations {
            blackHole(try detector.detectOnCurrentThread(input))
        }
    }

    Benchmark("respond: EchoSkill isolated, calling thread, spin 2 ms, own CPU") { benchmark in
        let echo = IsolatedCallFixture.isolatedEchoPinned
        for _ in benchmark.scaledIterations {
            blackHole(try echo.respondOnCurrentThread(input))
        }
    }

    // A call to a worker that has slept past its spin window (1 ms idle before each call, not
    // measured): it pays one process wake-up, as the first call after a quiet spell does.
    Benchmark("respond: EchoSkill isolated, calling thread, worker idle 1 ms", configuration: .init(maxIterations: 3_000)) { benchmark in
        let echo = IsolatedCallFixture.isolatedEcho
        usleep(1000)
        benchmark.startMeasurement()
        blackHole(try echo.respondOnCurrentThread(input))
        benchmark.stopMeasurement()
    }

    // What the runtime adds to an isolated call's input: the fields and the document, packed.
    Benchmark("pack: the input for a worker") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(PackedSkillInput(input))
        }
    }

    Benchmark("detect: KeywordEscalation in process (thread-pool hop)") { benchmark in
        let detector = IsolatedCallFixture.inProcessKeywords
        for _ in benchmark.scaledIterations {
            blackHole(try await detector.detect(input))
        }
    }

    Benchmark("detect: KeywordEscalation isolated (one worker process)") { benchmark in
        let detector = IsolatedCallFixture.isolatedKeywords
        for _ in benchmark.scaledIterations {
            blackHole(try await detector.detect(input))
        }
    }
}

/// The skills, in process and in workers, made once per process.
enum IsolatedCallFixture {
    /// A 200-byte message without any of KeywordEscalation's keywords, and one earlier turn.
    static let input: SkillInput = {
        let sentence = "Hello, I ordered a blue jacket last week and the tracking page still shows it in the warehouse. "
        let text = String(String(repeating: sentence, count: 3).utf8.prefix(200))!
        return SkillInput(
            message: .init(mid: "m_benchmark", timestamp: 1_730_462_400_000, text: text),
            conversation: .init(
                pageID: "109876543210987", psid: "5012345678901234",
                recentTurns: [.init(from: .bot, text: "Hi! How can I help?", timestamp: 1_730_462_300_000)],
                secondsSinceLastUserMessage: 12.5))
    }()

    /// The folder with `libEchoSkill.so` and `libKeywordEscalation.so`.
    static let skillDirectory: String = {
        if let directory = ProcessInfo.processInfo.environment["BATON_SKILL_DIR"], !directory.isEmpty { return directory }
        // Benchmarks/Benchmarks/IsolatedCall/IsolatedCall.swift -> the root package's .build/release
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/release").path
    }()

    static let logger = Logger(label: "benchmark")
    static let loader = SkillLoader(logger: logger, threadPool: NIOThreadPool.singleton)

    static let inProcessEcho = instance(of: "EchoSkill")
    static let inProcessKeywords = instance(of: "KeywordEscalation")
    static let isolatedEcho = pool(of: "EchoSkill")
    static let isolatedKeywords = pool(of: "KeywordEscalation")

    private static func instance(of name: String) -> SkillInstance {
        let path = skillDirectory + "/lib\(name).so"
        do { return try loader.load(path: path).makeInstance(configJSON: "{}") } catch {
            fatalError("cannot load \(path) (run `swift build -c release` at the root or set BATON_SKILL_DIR): \(error)")
        }
    }

    static let isolatedPlainKeywords = plainKeywords(spinMicroseconds: nil, cpu: nil)
    static let isolatedPlainKeywordsPinned = plainKeywords(spinMicroseconds: 2_000, cpu: lastCPU)
    static let isolatedEchoPinned = pool(of: "EchoSkill", spinMicroseconds: 2_000, cpu: lastCPU)

    /// The highest-numbered CPU online.
    static let lastCPU = max(0, ProcessInfo.processInfo.activeProcessorCount - 1)

    private static func plainKeywords(spinMicroseconds: Int?, cpu: Int?) -> WorkerPool {
        let function = WorkerFunction(prototype: PlainFunctions.keywordsPrototype, kind: .detector, name: "keyword_score")
        do {
            return try WorkerPool(
                library: PlainFunctions.library, function: function, spinMicroseconds: spinMicroseconds, cpu: cpu, logger: logger)
        } catch {
            fatalError("cannot start a worker for \(PlainFunctions.library) (build baton beside this benchmark or set BATON_SKILL_HOST): \(error)")
        }
    }

    private static func pool(of name: String, spinMicroseconds: Int? = nil, cpu: Int? = nil) -> WorkerPool {
        let path = skillDirectory + "/lib\(name).so"
        do { return try WorkerPool(library: path, spinMicroseconds: spinMicroseconds, cpu: cpu, logger: logger) } catch {
            fatalError("cannot start a worker for \(path) (build baton beside this benchmark or set BATON_SKILL_HOST): \(error)")
        }
    }
}
