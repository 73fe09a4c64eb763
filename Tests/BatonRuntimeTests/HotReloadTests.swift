import BatonCore
import BatonRuntime
import BatonSkills
import BatonSimulator
import BatonTestSupport
import BatonTesting
import Crypto
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hot reload: SIGHUP (or ``BatonServer/reloadSkills(from:)``) loads a changed skill library
/// from a content-addressed copy and sends new messages to it while calls in flight finish on
/// the old one; a new version that fails its checks is refused in one line and the old one
/// keeps answering.
@Suite("Hot reload of skills", .serialized)
struct HotReloadTests {
    static let page = ServeWorld.page
    static let bot = ServeWorld.bot
    static let users = 200

    /// Builds `versioned.c` (answers "<tag>: <text>", descriptor version `version`) beside
    /// `library`, then renames it over `library`, as a deploy replaces a file in place.
    static func install(tag: String, version: String, at library: String, flags: [String] = []) throws {
        let fresh = library + ".building"
        try compileC(
            TestPaths.skillFixtures.appendingPathComponent("versioned.c").path, to: fresh,
            flags: ["-DVERSION_TAG=\"\(tag)\"", "-DVERSION_STRING=\"\(version)\""] + flags)
        guard rename(fresh, library) == 0 else { throw TestSupportError("cannot rename \(fresh) over \(library): errno \(errno)") }
    }

    /// The first 12 hex digits of the SHA-256 of the file at `path`, as log lines show it.
    static func digest(_ path: String) throws -> String {
        return String(try fullDigest(path).prefix(12))
    }

    /// `user` sends `text` and the harness's bot answers `answer` (its latest reply).
    static func says(_ text: String, _ answer: String, user: String, in harness: ConversationHarness) async throws {
        let (simulator, page) = (harness.simulator, harness.pageID)
        _ = await simulator.userSends(text: text, page: page, user: user)
        try await waitUntil("'\(text)' was answered '\(answer)'") {
            await simulator.sentMessages(page: page, user: user, byApp: ConversationHarness.botAppID).compactMap(\.text).last == answer
        }
    }

    /// The SHA-256 of the file at `path`, all 64 hex digits (a content-addressed copy's name).
    static func fullDigest(_ path: String) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Under load, in a real baton serve

    /// Where the test was when a user sent a message; only the test's own flow moves it on.
    enum Phase: Int, Comparable, Sendable {
        case v1Serving, fileReplaced, signalled, reloaded, brokenReplaced, refused
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    /// The messages the users sent, each with the phase it was sent in.
    final class Traffic: Sendable {
        struct Sent: Sendable {
            var user: Int
            var text: String
            var phase: Phase
        }
        private let state = Mutex<(phase: Phase, stopped: Bool, sent: [Sent])>((.v1Serving, false, []))

        var phase: Phase {
            get { state.withLock { $0.phase } }
            set { state.withLock { $0.phase = newValue } }
        }
        var stopped: Bool { state.withLock { $0.stopped } }
        var sent: [Sent] { state.withLock { $0.sent } }
        func stop() { state.withLock { $0.stopped = true } }

        /// Records a message about to be sent, in the phase of this moment (never a later one).
        func record(user: Int, text: String) {
            state.withLock { $0.sent.append(Sent(user: user, text: text, phase: $0.phase)) }
        }
    }

    @Test(.timeLimit(.minutes(10)), arguments: ["in_process", "process"])
    func aNewVersionTakesOverUnderLoadWithoutLosingOrDoublingAMessageAndABrokenOneIsRefused(_ isolation: String) async throws {
        let libraries = try TemporaryDirectory()
        let library = libraries.file("libversioned.so")
        let steady = libraries.file("libsteady.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library)
        try Self.install(tag: "s", version: "1.0.0", at: steady, flags: ["-DDETECTOR_ONLY"])
        let world = try await ServeWorld.make(
            knobs: .init(maxEventsPerDelivery: 20, batchWindow: .milliseconds(2), seed: 0x4E10AD),
            sections: """
                skills:
                  - path: \(library)
                    isolation: \(isolation)
                    timeout_ms: 10000\(isolation == "process" ? "\n    workers: 2" : "")
                  - path: \(steady)
                logging:
                  level: notice
                """)
        let (simulator, baton) = (world.simulator, world.baton)
        var psids: [String] = []
        for _ in 0..<Self.users { psids.append(await simulator.createUser(page: Self.page)) }
        let users = psids
        try await baton.start()

        // 200 users write in rounds (everyone once, in a random order), ten messages every 50 ms,
        // until the test says stop.
        let traffic = Traffic()
        let sender = Task {
            var round = 0
            while !traffic.stopped {
                round += 1
                for (index, user) in (0..<Self.users).shuffled().enumerated() {
                    let text = "m\(round) from user \(user)"
                    traffic.record(user: user, text: text)
                    _ = await simulator.userSends(text: text, page: Self.page, user: users[user])
                    // Pacing the load on purpose: ten messages every 50 ms.
                    if index % 10 == 9 { try await Task.sleep(for: .milliseconds(50)) }
                }
            }
        }
        let answeredSeries = #"baton_skill_calls_total{op="respond",result="ok",skill="versioned"}"#
        func answered() async throws -> Double { try await baton.metric(answeredSeries) ?? 0 }
        /// Waits until `count` more messages were answered by the versioned skill.
        func waitForAnswers(_ count: Double, _ what: String) async throws {
            let mark = try await answered()
            try await waitUntil(what, timeout: .seconds(180)) { try await answered() >= mark + count }
        }
        func logLines() throws -> [String] {
            try String(contentsOfFile: baton.logPath, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        func replies() async -> [[String]] {
            var all: [[String]] = []
            for psid in users { all.append(await simulator.sentMessages(page: Self.page, user: psid, byApp: Self.bot).compactMap(\.text)) }
            return all
        }

        try await waitForAnswers(400, "v1 answered 400 messages")
        // v2 replaces the file; without a SIGHUP nothing changes, whatever the file holds now.
        try Self.install(tag: "v2", version: "2.0.0", at: library)
        let newDigest = try Self.digest(library)
        traffic.phase = .fileReplaced
        try await waitForAnswers(400, "400 more messages were answered after the file was replaced")
        let beforeSignal = await replies().flatMap { $0 }
        // The metric counts answers Baton finished; the simulator may record the last few a moment later.
        #expect(beforeSignal.count >= 400, "answers before SIGHUP: \(beforeSignal.count)")
        #expect(
            beforeSignal.allSatisfy { $0.hasPrefix("v1: ") },
            "answers before SIGHUP: \(beforeSignal.filter { !$0.hasPrefix("v1: ") }.prefix(3))")

        traffic.phase = .signalled
        baton.send(signal: SIGHUP)
        try await waitUntil("the reload was logged as done", timeout: .seconds(60)) {
            try logLines().contains { $0.contains("skills reloaded: ") }
        }
        traffic.phase = .reloaded
        try await waitForAnswers(400, "400 more messages were answered after the reload")

        // A broken v3 (it crashes in create) is refused; v2 keeps answering.
        try Self.install(tag: "v3", version: "3.0.0", at: library, flags: ["-DCRASH_IN_CREATE"])
        let brokenDigest = try Self.digest(library)
        traffic.phase = .brokenReplaced
        baton.send(signal: SIGHUP)
        try await waitUntil("the second reload was logged as done", timeout: .seconds(60)) {
            try logLines().filter { $0.contains("skills reloaded: ") }.count == 2
        }
        traffic.phase = .refused
        try await waitForAnswers(400, "400 more messages were answered after the refusal")
        traffic.stop()
        try await sender.value

        // Every message sent is answered exactly once, by v1 or v2.
        let sent = traffic.sent
        let expected = Dictionary(grouping: sent, by: \.user)
        try await waitUntil("every message has its reply", timeout: .seconds(180)) {
            let got = await replies()
            return expected.allSatisfy { user, messages in
                let texts = Set(got[user].map { $0.dropFirst(4) })
                return messages.allSatisfy { texts.contains(Substring($0.text)) }
            }
        }
        try await simulator.waitUntilQuiet(timeout: .seconds(60))
        try await waitUntil("the backlog emptied", timeout: .seconds(60)) {
            let inbox = try await baton.metric("baton_inbox_pending")
            let outbox = try await baton.metric("baton_outbox_pending")
            return inbox == 0 && outbox == 0
        }
        let got = await replies()
        var lost = 0
        var doubled = 0
        var unexpected: [String] = []
        var oldAfterReload: [String] = []
        var backToOld = 0
        for user in 0..<Self.users {
            var versionOf: [Substring: [Substring]] = [:]
            var seenNew = false
            for reply in got[user] {
                guard reply.hasPrefix("v1: ") || reply.hasPrefix("v2: ") else {
                    unexpected.append(reply)
                    continue
                }
                let version = reply.prefix(2)
                versionOf[reply.dropFirst(4), default: []].append(version)
                if version == "v2" { seenNew = true } else if seenNew { backToOld += 1 }
            }
            for message in expected[user] ?? [] {
                let versions = versionOf[Substring(message.text)] ?? []
                if versions.isEmpty { lost += 1 }
                if versions.count > 1 { doubled += 1 }
                if message.phase >= .reloaded, versions.contains("v1") { oldAfterReload.append(message.text) }
            }
        }
        let afterReload = sent.filter { $0.phase >= .reloaded }.count
        print(
            """
            hot reload (\(isolation)): \(Self.users) users sent \(sent.count) messages, \(afterReload) after the reload was logged \
            as done; \(beforeSignal.count) answers before SIGHUP, all v1; lost \(lost), doubled \(doubled), \
            answered by v1 after the reload \(oldAfterReload.count), users back to v1 after v2 \(backToOld), unexpected \(unexpected.count).
            """)
        #expect(lost == 0)
        #expect(doubled == 0)
        #expect(unexpected.isEmpty, "\(unexpected.prefix(3))")
        #expect(oldAfterReload.isEmpty, "\(oldAfterReload.prefix(3))")
        #expect(backToOld == 0)
        #expect(afterReload >= 800)

        // The log: v2 named as it starts serving, one line for the refusal, v1 retired.
        let lines = try logLines()
        let serving = lines.filter { $0.contains("skill serving: ") }
        #expect(serving.count == 1, "\(serving)")
        #expect(
            serving.first?.hasSuffix("skill serving: versioned 2.0.0 (skills[0]: \(library) (sha256 \(newDigest)))") == true, "\(serving)")
        let refusals = lines.filter { $0.contains(library) && !$0.contains("skill serving") }
        let refusal =
            "skill reload refused: config skills[0]: skill \(library) (sha256 \(brokenDigest)) crashed while loading (SIGSEGV); "
            + "versioned 2.0.0 keeps serving"
        #expect(refusals.count == 1, "\(refusals)")
        #expect(refusals.first?.hasSuffix(refusal) == true, "\(refusals)")
        // A Graph call that failed for a moment under load is retried by the outbox: not a complaint about skills.
        // The level is a line's second field (`2026-11-29T18:59:45+0000 notice baton: ...`); a notice
        // whose text says "Graph API error" is not an error line.
        let complaints = lines.filter { line in ["warning", "error", "critical"].contains(line.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") }
            .filter { !$0.contains("graph.error=") }
        #expect(complaints == refusals, "the refusal is the one line above notice: \(complaints)")
        #expect(
            lines.filter { $0.contains("skills reloaded: ") }.map { $0.components(separatedBy: "skills reloaded: ").last ?? "" } == [
                "1 loaded, 1 unchanged, 0 refused, 0 removed", "0 loaded, 1 unchanged, 1 refused, 0 removed",
            ])
        try await waitUntil("v1's instance was retired once its calls ended") {
            try logLines().contains { $0.contains("skill retired: versioned 1.0.0") }
        }
        #expect(!lines.contains { $0.contains("Fatal error") || $0.contains("Backtrace") }, "\(lines.suffix(20))")

        // /metrics counts the reloads by skill and result.
        #expect(try await baton.metric(#"baton_skill_reloads_total{result="loaded",skill="versioned"}"#) == 1)
        #expect(try await baton.metric(#"baton_skill_reloads_total{result="refused",skill="versioned"}"#) == 1)
        #expect(try await baton.metric(#"baton_skill_reloads_total{result="unchanged",skill="steady"}"#) == 2)
        #expect(try await baton.metric(#"baton_skill_calls_total{op="respond",result="error",skill="versioned"}"#) ?? 0 == 0)
        #expect(try await baton.terminate() == 0)
        try await simulator.shutdown()
    }

    // MARK: - In process, through reloadSkills(from:)

    @Test(.timeLimit(.minutes(3)))
    func aCallInFlightFinishesOnTheOldVersionWhileNewMessagesGetTheNewOne() async throws {
        let folder = try TemporaryDirectory()
        let gate = folder.file("gate")
        try FileManager.default.createDirectory(atPath: gate, withIntermediateDirectories: true)
        let library = folder.file("libversioned.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library, flags: ["-DGATE_DIR=\"\(gate)\""])
        let logs = LogRecords()
        let entry = BatonConfiguration.Skill(path: library, timeoutMilliseconds: 30_000)
        let harness = try await ConversationHarness.start(skills: [entry], logger: logs.logger("baton.reload"))
        let (simulator, page) = (harness.simulator, harness.pageID)
        let holder = await simulator.createUser(page: page)
        let other = await simulator.createUser(page: page)
        func answers(_ user: String) async -> [String] {
            await simulator.sentMessages(page: page, user: user, byApp: ConversationHarness.botAppID).compactMap(\.text)
        }

        _ = await simulator.userSends(text: "hold on", page: page, user: holder)
        try await waitUntil("v1's call is held") { FileManager.default.fileExists(atPath: gate + "/started") }
        try Self.install(tag: "v2", version: "2.0.0", at: library, flags: ["-DGATE_DIR=\"\(gate)\""])
        let summary = await harness.server.reloadSkills(from: harness.configuration)
        #expect(summary.outcomes.map(\.result) == [.loaded])
        #expect(summary.outcomes.first?.version == "2.0.0")

        _ = await simulator.userSends(text: "quick", page: page, user: other)
        try await waitUntil("v2 answered the new message while v1's call is still held") { await answers(other) == ["v2: quick"] }
        #expect(await answers(holder).isEmpty)
        #expect(!logs.lines.contains { $0.contains("skill retired") }, "v1 is not destroyed while its call runs")

        FileManager.default.createFile(atPath: gate + "/open", contents: nil)
        try await waitUntil("v1 answered the held message") { await answers(holder) == ["v1: hold on"] }
        try await waitUntil("v1 was retired once its call ended") { logs.lines.contains { $0.contains("skill retired: versioned 1.0.0") } }
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func entriesAreAddedAndRemovedAndABrokenVersionIsRefusedInOneLine() async throws {
        let folder = try TemporaryDirectory()
        let library = folder.file("libversioned.so")
        let steady = folder.file("libsteady.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library)
        try Self.install(tag: "s", version: "1.0.0", at: steady, flags: ["-DDETECTOR_ONLY"])
        let logs = LogRecords()
        let harness = try await ConversationHarness.start(skills: [.init(path: library)], logger: logs.logger("baton.reload"))
        let (simulator, page, server) = (harness.simulator, harness.pageID, harness.server)
        let user = await simulator.createUser(page: page)
        func says(_ text: String, _ answer: String) async throws { try await Self.says(text, answer, user: user, in: harness) }
        try await says("a", "v1: a")

        // Nothing changed: nothing is loaded again.
        var summary = await server.reloadSkills(from: harness.configuration)
        #expect(summary.outcomes == [.init(app: "main", key: "skills[0]", skill: "versioned", result: .unchanged, version: "1.0.0")])

        // A new version built for another ABI major is refused, in one line; v1 keeps answering.
        try Self.install(tag: "v2", version: "2.0.0", at: library, flags: ["-DWRONG_MAJOR"])
        let reason =
            "config skills[0]: skill \(library) (sha256 \(try Self.digest(library))): skill ABI major 2 is not supported (host ABI 1.0)"
        summary = await server.reloadSkills(from: harness.configuration)
        #expect(
            summary.outcomes == [
                .init(app: "main", key: "skills[0]", skill: "versioned", result: .refused, version: "1.0.0", reason: reason)
            ])
        let refusals = logs.all.filter { $0.message.hasPrefix("skill reload refused") }.map(\.message)
        #expect(refusals == ["skill reload refused: \(reason); versioned 1.0.0 keeps serving"])
        try await says("b", "v1: b")

        // v2 and a new detector entry load; a changed section outside skills: is only reported.
        try Self.install(tag: "v2", version: "2.0.0", at: library)
        var next = harness.configuration
        next.skills.append(.init(path: steady))
        next.server.maxBodyBytes += 1
        summary = await server.reloadSkills(from: next)
        #expect(summary.outcomes.map(\.result) == [.loaded, .loaded])
        #expect(summary.outcomes.map(\.skill) == ["versioned", "steady"])
        #expect(summary.outcomes.map(\.version) == ["2.0.0", "1.0.0"])
        #expect(summary.needsRestart == ["server"])
        #expect(server.skills.detectors.map(\.name) == ["steady"])
        try await says("c", "v2: c")

        // The detector's entry leaves the file: it stops serving; v2 is unchanged.
        summary = await server.reloadSkills(from: harness.configuration)
        #expect(summary.outcomes == [.init(app: "main", key: "skills[0]", skill: "versioned", result: .unchanged, version: "2.0.0")])
        #expect(summary.removed == ["steady"])
        #expect(server.skills.detectors.isEmpty)
        try await says("d", "v2: d")
        try await waitUntil("v1 and the detector were retired") {
            let lines = logs.lines
            return lines.contains { $0.contains("skill retired: versioned 1.0.0") }
                && lines.contains { $0.contains("skill retired: steady 1.0.0") }
        }

        // A group- or world-writable new version is refused like at start-up, though its copy
        // would pass the loader's checks; v2 keeps answering.
        try Self.install(tag: "v3", version: "3.0.0", at: library)
        #expect(chmod(library, 0o666) == 0)
        summary = await server.reloadSkills(from: harness.configuration)
        #expect(summary.outcomes.map(\.result) == [.refused])
        #expect(
            summary.outcomes.first?.reason == "config skills[0]: skill \(library): refusing a group- or world-writable file (mode 0666)",
            "\(String(describing: summary.outcomes.first?.reason))")
        try await says("d2", "v2: d2")

        // A file that is no longer there is refused too; v2 keeps answering.
        #expect(unlink(library) == 0)
        summary = await server.reloadSkills(from: harness.configuration)
        #expect(summary.outcomes.map(\.result) == [.refused])
        #expect(summary.outcomes.first?.reason == "config skills[0]: cannot read \(library): file not found")
        try await says("e", "v2: e")

        let metrics = server.metrics
        #expect(metrics.value("baton_skill_reloads_total", [("skill", "versioned"), ("result", "unchanged")]) == 2)
        #expect(metrics.value("baton_skill_reloads_total", [("skill", "versioned"), ("result", "refused")]) == 3)
        #expect(metrics.value("baton_skill_reloads_total", [("skill", "versioned"), ("result", "loaded")]) == 1)
        #expect(metrics.value("baton_skill_reloads_total", [("skill", "steady"), ("result", "loaded")]) == 1)
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aWorkerStartedAgainAfterACrashRunsTheCheckedVersionNotAFileReplacedSince() async throws {
        let folder = try TemporaryDirectory()
        let library = folder.file("libversioned.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library)
        var skill = BatonConfiguration.Skill(path: library)
        skill.isolation = .process
        // A copy an earlier run left is removed at start; the worker's own copy is made.
        let copies = folder.file(".baton-skills")
        try FileManager.default.createDirectory(atPath: copies, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: copies + "/0123456789abcdef.so", contents: Data([1, 2, 3])))
        let harness = try await ConversationHarness.start(skills: [skill], folder: folder.path, logger: testLogger())
        #expect(try FileManager.default.contentsOfDirectory(atPath: copies) == [try Self.fullDigest(library) + ".so"])
        let (simulator, page, server) = (harness.simulator, harness.pageID, harness.server)
        let user = await simulator.createUser(page: page)
        func says(_ text: String, _ answer: String) async throws { try await Self.says(text, answer, user: user, in: harness) }
        try await says("a", "v1: a")
        // Replaced without a reload: only a SIGHUP may bring v2 in.
        try Self.install(tag: "v2", version: "2.0.0", at: library)
        try await says("die", harness.configuration.handover.fallbackMessage)
        try await waitUntil("the worker was started again") {
            server.metrics.value("baton_skill_worker_restarts_total", [("skill", "versioned"), ("reason", "crash")]) == 1
        }
        try await says("b", "v1: b")
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(2)), arguments: ["abi", "ffi"])
    func aLibraryWrittenInPlaceWhileLoadedInProcessChangesNothingUntilAReload(_ form: String) async throws {
        // `cp new.so lib.so` writes the loaded file's own inode: code mapped from it would change under
        // the running process. Loaded from a content-addressed copy, the running version is untouched.
        let folder = try TemporaryDirectory()
        let library = folder.file("libversioned.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library)
        let prototype = "int versioned_reply(const char *text, size_t length, char *out, size_t out_capacity)"
        let skill =
            form == "ffi"
            ? BatonConfiguration.Skill(ffi: .init(library: library, prototype: prototype), kind: .responder)
            : BatonConfiguration.Skill(path: library)
        let harness = try await ConversationHarness.start(skills: [skill], folder: folder.path, logger: testLogger())
        let copies = try FileManager.default.contentsOfDirectory(atPath: folder.file(".baton-skills"))
        // Checked first: without the copy, the write below would crash this test process.
        try #require(copies == [try Self.fullDigest(library) + ".so"], "the in-process library was not loaded from a copy")
        let user = await harness.simulator.createUser(page: harness.pageID)
        try await Self.says("a", "v1: a", user: user, in: harness)
        let handle = try #require(FileHandle(forWritingAtPath: library))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("not a library any more".utf8))
        try handle.close()
        try await Self.says("b", "v1: b", user: user, in: harness)
        await harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func everyHostedAppReloadsItsOwnSkillsAgainAndAgain() async throws {
        let folder = try TemporaryDirectory()
        let library = folder.file("libversioned.so")
        let steady = folder.file("libsteady.so")
        try Self.install(tag: "v1", version: "1.0.0", at: library)
        try Self.install(tag: "s", version: "1.0.0", at: steady, flags: ["-DDETECTOR_ONLY"])
        let harness = try await ConversationHarness.start(
            hosting: [
                .init(name: "sales", appID: "111111111111111", skills: [.init(path: library)], defaultApp: true),
                .init(
                    name: "support", appID: "222222222222222",
                    skills: [.init(path: steady), .init(path: library, configJSON: #"{"team":"b"}"#)]),
            ], logger: testLogger())
        let server = harness.server
        func results() async -> [String] {
            await server.reloadSkills(from: harness.configuration).outcomes.map {
                "\($0.key) \($0.skill) \($0.result.rawValue) \($0.version ?? "-")"
            }
        }

        #expect(
            await results() == [
                "apps[0].skills[0] versioned unchanged 1.0.0", "apps[1].skills[0] steady unchanged 1.0.0",
                "apps[1].skills[1] versioned unchanged 1.0.0",
            ])
        // The library both apps use changes twice: each time both load it (from one copy), and
        // the name the loader holds follows, so the next version is not taken for a duplicate.
        for (tag, version) in [("v2", "2.0.0"), ("v3", "3.0.0")] {
            try Self.install(tag: tag, version: version, at: library)
            #expect(
                await results() == [
                    "apps[0].skills[0] versioned loaded \(version)", "apps[1].skills[0] steady unchanged 1.0.0",
                    "apps[1].skills[1] versioned loaded \(version)",
                ])
        }
        #expect(await results().allSatisfy { $0.contains(" unchanged ") })
        #expect(server.app(named: "sales")?.skills.responders.map(\.name) == ["versioned"])
        #expect(server.app(named: "support")?.skills.detectors.map(\.name) == ["steady"])
        #expect(server.metrics.value("baton_skill_reloads_total", [("skill", "versioned"), ("result", "loaded")]) == 4)
        await harness.stop()
    }
}
