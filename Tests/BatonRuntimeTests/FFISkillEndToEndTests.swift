import BatonCore
import BatonRuntime
import BatonSimulator
import BatonSkills
import BatonTesting
import BatonTestSupport
import Foundation
import NIOPosix
import Testing

/// Plain C functions bound through libffi in a real runtime: an ffi detector escalates and an
/// ffi responder answers through the simulator; deadlines, `baton serve`'s refusals,
/// `baton skill check --ffi` and the `--lang c --ffi` template.
@Suite("Plain C functions in a real runtime")
struct FFISkillEndToEndTests {
    /// `Tests/Fixtures/skills/plain_functions.c`, compiled once per test run.
    static let library: Result<String, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-ffi-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let library = folder + "/libplain_functions.so"
        try compileC(TestPaths.skillFixtures.appendingPathComponent("plain_functions.c").path, to: library, flags: ["-pthread"])
        return library
    }

    static let responder = "int refund_reply(const char *text, size_t length, char *out, size_t out_capacity)"

    @Test func anFFIDetectorEscalatesAndAnFFIResponderAnswers() async throws {
        let library = try Self.library.get()
        let harness = try await ConversationHarness.start(
            skills: [
                .init(ffi: .init(library: library, prototype: "int wants_human(const char *text)"), kind: .detector, name: "human-detector"),
                .init(ffi: .init(library: library, prototype: Self.responder), kind: .responder),
            ],
            logger: testLogger())
        let (sim, page, bot) = (harness.simulator, harness.pageID, ConversationHarness.botAppID)
        let user = await harness.newUser()

        try await harness.userSays("I want a refund", user: user)
        try await harness.userSays("hello", user: user)
        let texts = await sim.sentMessages(page: page, user: user, byApp: bot).compactMap(\.text)
        #expect(texts == ["Refunds take 5 days (15 bytes read).", harness.configuration.handover.fallbackMessage])
        #expect(await sim.threadOwner(page: page, user: user) == bot)

        try await harness.userSays("can a human help me?", user: user)
        #expect(await sim.threadOwner(page: page, user: user) == AppID.pageInbox.rawValue)
        let pass = try #require(await sim.timeline(page: page, user: user).compactMap(\.control).first { $0.action == .pass })
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data((pass.metadata ?? "").utf8)) as? [String: Any])
        #expect(metadata["reason"] as? String == "detector")
        #expect(metadata["skill"] as? String == "human-detector")
        #expect(metadata["score"] as? Double == 1)

        let metrics = harness.server.metrics
        #expect(metrics.value(.skillCalls, [.skill: "human-detector", .op: "detect", .result: "ok"]) == 3)
        #expect(metrics.value(.skillCalls, [.skill: "refund_reply", .op: "respond", .result: "ok"]) == 2)
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func anFFIFunctionUnderProcessIsolationThatCrashesCostsOneCallAndItsWorker() async throws {
        let library = try Self.library.get()
        var detector = BatonConfiguration.Skill(
            ffi: .init(library: library, prototype: "double boom_score(const char *text)"), kind: .detector, name: "boom")
        detector.isolation = .process
        var responder = BatonConfiguration.Skill(ffi: .init(library: library, prototype: Self.responder), kind: .responder)
        responder.isolation = .process
        responder.workers = 2
        let harness = try await ConversationHarness.start(skills: [detector, responder], logger: testLogger())
        let pool = try #require(harness.server.skills.detectors.first?.instance as? WorkerPool, "the function runs in workers")
        #expect(pool.version == "ffi")
        #expect(await pool.workerPIDs.allSatisfy { $0 != getpid() && $0 > 0 })
        let (sim, page, bot) = (harness.simulator, harness.pageID, ConversationHarness.botAppID)
        let victim = await harness.newUser()
        let other = await harness.newUser()

        // In this process the NULL dereference would end the test run; in a worker it costs that worker.
        try await harness.userSays("boom, refund please", user: victim)
        try await harness.userSays("a refund?", user: other)
        #expect(await sim.sentMessages(page: page, user: other, byApp: bot).compactMap(\.text) == ["Refunds take 5 days (9 bytes read)."])
        let victimTexts = await sim.sentMessages(page: page, user: victim, byApp: bot).compactMap(\.text)
        #expect(victimTexts == ["Refunds take 5 days (19 bytes read)."], "the failed detector scores nothing; the responder still answers")
        let metrics = harness.server.metrics
        #expect(metrics.value(.skillCalls, [.skill: "boom", .op: "detect", .result: "error"]) == 1)
        try await waitUntil("the crashed worker was replaced") {
            metrics.value("baton_skill_worker_restarts_total", [("skill", "boom"), ("reason", "crash")]) == 1
        }
        try await waitUntil("a replacement scores") { (try? await pool.detect(Self.input("calm"))) == SkillScore(score: 0.1) }
        await harness.stop()
    }

    static func input(_ text: String) -> SkillInput {
        SkillInput(message: .init(mid: "m_1", timestamp: 1, text: text), conversation: .init(pageID: "109876543210987", psid: "5012345678901234"))
    }

    @Test func anFFICallPastItsDeadlineIsAbandonedAndCounted() async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let blocked = try FFISkill.bind(
            library: Self.library.get(), function: "double blocked_score(const char *text)", kind: .detector, threadPool: pool,
            logger: testLogger())
        let metrics = RuntimeMetrics()
        let skills = SkillSet(entries: [.init(blocked, timeout: .milliseconds(100))], metrics: metrics, logger: testLogger())
        let input = SkillInput(
            message: .init(mid: "m_1", timestamp: 1_730_462_400_000, text: "hello"),
            conversation: .init(pageID: "109876543210987", psid: "5012345678901234"))
        #expect(await skills.detect(input).isEmpty)
        #expect(metrics.value(.skillCalls, [.skill: "blocked_score", .op: "detect", .result: "timeout"]) == 1)
        // The abandoned call still holds a pool thread until released.
        #expect(try blocked.detect(text: "release") == SkillScore(score: 0))
        try await pool.shutdownGracefully()
    }

    @Test func serveExitsTwoNamingTheKeyOfABadFunctionEntry() async throws {
        let library = try Self.library.get()
        func entry(_ lines: String) -> String { "skills:\n  - " + lines.replacingOccurrences(of: "\n", with: "\n    ") }
        let cases: [(String, String)] = [
            (
                entry("kind: detector\nffi:\n  library: \(library)\n  function: \"double refund_score(long double x)\""),
                "config skills[0].ffi.function: unknown type 'long double' in parameter 1"
            ),
            (
                entry("kind: detector\nffi:\n  library: \(library)\n  function: \"double refund_scor(const char *text, size_t length)\""),
                "config skills[0].ffi.function: symbol 'refund_scor' not found in \(library)"
            ),
            (
                entry("kind: responder\nffi:\n  library: \(library)\n  function: \"int refund_reply(const char *text, size_t length)\""),
                "config skills[0].ffi.function: a responder needs the out buffer pair (char *out, size_t out_capacity) as its last two parameters"
            ),
            (
                entry("ffi:\n  library: \(library)\n  function: \"double refund_score(const char *text, size_t length)\""),
                "config skills[0].kind: is required with ffi: responder or detector"
            ),
            (
                entry("path: \(library)\nkind: detector\nffi:\n  library: \(library)\n  function: \"double refund_score(const char *text)\""),
                "config skills[0]: has both path and ffi: an entry is either a skill library or a plain C function"
            ),
            (
                entry("kind: detector\nffi:\n  library: \(library).gone\n  function: \"double refund_score(const char *text)\""),
                "config skills[0].ffi.library: cannot open \(library).gone: file not found"
            ),
            (
                entry("kind: detector\nisolation: process\nffi:\n  library: \(library)\n  function: \"double refund_scor(const char *text)\""),
                "config skills[0].ffi.function: symbol 'refund_scor' not found in \(library)"
            ),
            (
                entry("kind: detector\nisolation: process\nffi:\n  library: \(library).gone\n  function: \"double refund_score(const char *text)\""),
                "config skills[0].ffi.library: cannot open \(library).gone: file not found"
            ),
            (
                entry("kind: detector\nworker_cpu: 0\nffi:\n  library: \(library)\n  function: \"double refund_score(const char *text, size_t length)\""),
                "config skills[0].worker_cpu: applies to isolation: process only"
            ),
            (
                entry("kind: detector\nworker_spin_us: 500\nffi:\n  library: \(library)\n  function: \"double refund_score(const char *text, size_t length)\""),
                "config skills[0].worker_spin_us: applies to isolation: process only"
            ),
        ]
        for (skills, expected) in cases {
            let folder = try TemporaryDirectory(prefix: "baton-ffi-serve")
            let path = try CommandLineTests.writeConfig(CommandLineTests.config(extra: skills), in: folder)
            let run = try await CommandLineTests.baton(
                ["serve", "--config", path], environment: CommandLineTests.environment, timeout: .seconds(30))
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(run.stderr.hasPrefix(expected), "\(run.stderr)")
        }
    }

    @Test func theReaderChecksAnFFIEntryAcrossItsKeys() throws {
        let base = "messenger:\n  app_id: \"1\"\n  app_secret: s\n  verify_token: v\n  pages:\n    - id: \"2\"\n      access_token: t\nskills:\n  - "
        func parse(_ entry: String) throws -> BatonConfiguration {
            try BatonConfiguration.parse(
                yaml: base + entry.replacingOccurrences(of: "\n", with: "\n    "), baseDirectory: "/srv/baton", environment: [:])
        }
        let good = try parse("name: refunds\nkind: detector\ntimeout_ms: 200\nffi:\n  library: lib/librefund.so\n  function: \"double refund_score(const char *text, size_t length)\"")
        #expect(good.skills[0].ffi == .init(library: "/srv/baton/lib/librefund.so", prototype: "double refund_score(const char *text, size_t length)"))
        #expect(good.skills[0].kind == .detector)
        #expect(good.skills[0].name == "refunds")
        #expect(good.skills[0].timeoutMilliseconds == 200)
        let function = "ffi:\n  library: ./l.so\n  function: \"double f(const char *text)\""
        let cases: [(String, String)] = [
            ("config: {}", "config skills[0].path: is required (or ffi: for a plain C function)"),
            ("path: ./l.so\nname: x", "config skills[0].name: is for ffi entries: a skill library's descriptor gives its name"),
            ("path: ./l.so\nkind: detector", "config skills[0].kind: is for ffi entries: a skill library's descriptor gives its kind"),
            ("kind: robot\n" + function, "config skills[0].kind: must be responder or detector, got 'robot'"),
            ("kind: detector\nconfig: {a: 1}\n" + function, "config skills[0].config: is for skill libraries: a plain C function takes no configuration"),
            ("kind: detector\nffi:\n  library: ./l.so", "config skills[0].ffi.function: is required"),
            ("kind: detector\nffi:\n  function: \"double f(const char *text)\"", "config skills[0].ffi.library: is required"),
            ("kind: detector\nffi:\n  library: ./l.so\n  function: \"double f(const char *text)\"\n  symbol: f", "config skills[0].ffi.symbol: unknown key (expected one of library, function)"),
            ("kind: detector\nffi:\n  library: ./l.so\n  function: f", "config skills[0].ffi.function: cannot parse 'f': expected 'TYPE NAME(PARAMETERS)'"),
            ("kind: responder\n" + function, "config skills[0].ffi.function: return type 'double' does not fit a responder"),
        ]
        for (entry, expected) in cases {
            let error = #expect(throws: (any Error).self) { _ = try parse(entry) }
            #expect(error.map { "\($0)" }?.hasPrefix(expected) == true, "\(String(describing: error))")
        }
    }

    @Test func skillCheckCallsTheFunctionInAChildAndContainsACrash() async throws {
        let library = try Self.library.get()
        let good = try await CommandLineTests.baton(
            ["skill", "check", "--ffi", "double refund_score(const char *text, size_t length)", library], timeout: .seconds(60))
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("PASS  prototype: double refund_score(const char *text, size_t length): a detector"))
        #expect(good.stdout.contains("PASS  symbol: 'refund_score' found in \(library)"))
        #expect(good.stdout.contains("PASS  detect: plain text: score 0.1"))
        #expect(good.stdout.contains("PASS  concurrent calls: 16 concurrent calls agree"))

        let reply = try await CommandLineTests.baton(["skill", "check", "--ffi", Self.responder, library], timeout: .seconds(60))
        #expect(reply.status == 0, "\(reply.stdout)\(reply.stderr)")
        #expect(reply.stdout.contains("PASS  respond: plain text: no answer"))

        let missing = try await CommandLineTests.baton(
            ["skill", "check", "--ffi", "double refund_scor(const char *text, size_t length)", library], timeout: .seconds(60))
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("FAIL  symbol: symbol 'refund_scor' not found in \(library)"), "\(missing.stdout)")

        let high = try await CommandLineTests.baton(["skill", "check", "--ffi", "double score_too_high(const char *text)", library], timeout: .seconds(60))
        #expect(high.status == 1)
        #expect(high.stdout.contains("FAIL  detect: plain text: skill score_too_high: detect failed (-1): score 1.5 is outside [0, 1]"), "\(high.stdout)")

        let crash = try await CommandLineTests.baton(["skill", "check", "--ffi", "double crash_score(const char *text)", library], timeout: .seconds(60))
        #expect(crash.status == 1)
        #expect(
            crash.stdout.contains("FAIL  no crash: the skill crashed the process with signal 11 (SIGSEGV) during 'detect: plain text'"),
            "\(crash.stdout)")
    }

    @Test func theCFFITemplateBuildsWithCcAndItsFunctionsBind() async throws {
        let parent = try TemporaryDirectory(prefix: "baton-skill-new-ffi")
        let folder = parent.url.appendingPathComponent("hello_ffi")
        let new = try await CommandLineTests.baton(
            ["skill", "new", "hello_ffi", "--lang", "c", "--ffi", "--output", folder.path], timeout: .seconds(30))
        try #require(new.status == 0, "\(new.stdout)\(new.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["Makefile", "README.md", "hello_ffi.c", "skills.yaml"])
        let make = try await SkillCheckCommandTests.run("/usr/bin/env", ["make"], in: folder.path)
        try #require(make.status == 0, "make: \(make.stdout)\(make.stderr)")
        let library = folder.appendingPathComponent("libhello_ffi.so").path
        let (detector, responder) = SkillTemplates.functionPrototypes(name: "hello_ffi")

        // The configuration snippet parses, and binds in a runtime's way.
        let snippet = try String(contentsOf: folder.appendingPathComponent("skills.yaml"), encoding: .utf8)
        let base = "messenger:\n  app_id: \"1\"\n  app_secret: s\n  verify_token: v\n  pages:\n    - id: \"2\"\n      access_token: t\n"
        let configuration = try BatonConfiguration.parse(yaml: base + snippet, baseDirectory: folder.path, environment: [:])
        #expect(configuration.skills.map(\.ffi) == [.init(library: library, prototype: detector), .init(library: library, prototype: responder)])
        #expect(configuration.skills.map(\.kind) == [.detector, .responder])

        let score = try FFISkill.bind(library: library, function: detector, kind: .detector, threadPool: .singleton, logger: testLogger())
        let reply = try FFISkill.bind(library: library, function: responder, kind: .responder, threadPool: .singleton, logger: testLogger())
        func input(_ text: String) -> SkillInput {
            SkillInput(
                message: .init(mid: "m_1", timestamp: 1, text: text), conversation: .init(pageID: "109876543210987", psid: "5012345678901234"))
        }
        #expect(try await score.detect(input("I need a HUMAN")) == SkillScore(score: 0.9))
        #expect(try await score.detect(input("hello")) == SkillScore(score: 0))
        #expect(try await reply.respond(input("hi")) == .text("Hello from hello_ffi: hi"))
        let long = try #require(try await reply.respond(input(String(repeating: "é", count: 70_000)))?.text)
        #expect(long.unicodeScalars.count == 2000)

        for prototype in [detector, responder] {
            let check = try await CommandLineTests.baton(["skill", "check", "--ffi", prototype, library], timeout: .seconds(60))
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        let wrongLanguage = try await CommandLineTests.baton(
            ["skill", "new", "x", "--lang", "rust", "--ffi", "--output", parent.file("x")], timeout: .seconds(30))
        #expect(wrongLanguage.status == 2)
        #expect(wrongLanguage.stderr == "skill new: --ffi writes plain C functions: use it with --lang c\n")
    }
}
