import BatonCore
import BatonRuntime
import BatonSimulator
import BatonSkills
import BatonTesting
import BatonTestSupport
import Foundation
import NIOCore
import Testing

/// `isolation: process` in a real `baton serve`: a skill that segfaults, aborts, loops for ever
/// or allocates without bound costs one call and one worker process, never the runtime.
@Suite("Process isolation of skills")
struct ProcessIsolationTests {
    static let page = ServeWorld.page
    static let bot = ServeWorld.bot
    static let fallback = HandoverSettings(me: "").fallbackMessage

    /// One way to break a worker: the word that triggers it, the restart reason it must be
    /// counted under, and the entry's keys.
    struct Misbehaviour: Sendable, CustomTestStringConvertible {
        var trigger: String
        var reason: String
        var keys: String
        var testDescription: String { "\(trigger) -> \(reason)" }
    }

    static let misbehaviours = [
        Misbehaviour(trigger: "segv", reason: "crash", keys: "timeout_ms: 5000"),
        Misbehaviour(trigger: "abort", reason: "crash", keys: "timeout_ms: 5000"),
        Misbehaviour(trigger: "spin", reason: "timeout", keys: "timeout_ms: 3000"),
        Misbehaviour(trigger: "hog", reason: "memory", keys: "timeout_ms: 5000\n    memory_limit_mb: 64"),
    ]

    /// Builds `isolation.c` into `folder` (a responder alone with `responderOnly`).
    static func isolationSkill(in folder: String, responderOnly: Bool = false) throws -> String {
        let library = folder + "/libisolation.so"
        try compileC(
            TestPaths.skillFixtures.appendingPathComponent("isolation.c").path, to: library, flags: responderOnly ? ["-DRESPONDER_ONLY"] : [])
        return library
    }

    func texts(_ simulator: MessengerSimulator, _ user: String) async -> [String] {
        await simulator.sentMessages(page: Self.page, user: user, byApp: Self.bot).compactMap(\.text)
    }

    @Test(.timeLimit(.minutes(3)), arguments: misbehaviours)
    func aWorkerThatBreaksCostsOneCallAndIsReplaced(_ case: Misbehaviour) async throws {
        let folder = try TemporaryDirectory()
        let library = try Self.isolationSkill(in: folder.path)
        let world = try await ServeWorld.make(
            knobs: .init(),
            sections: "skills:\n  - path: \(library)\n    isolation: process\n    workers: 2\n    \(`case`.keys)")
        try await world.killingServeOnError { try await breakOneWorker(`case`, world) }
    }

    /// The body of ``aWorkerThatBreaksCostsOneCallAndIsReplaced(_:)``.
    func breakOneWorker(_ case: Misbehaviour, _ world: ServeWorld) async throws {
        let (simulator, baton) = (world.simulator, world.baton)
        let victim = await simulator.createUser(page: Self.page)
        var bystanders: [String] = []
        for _ in 0..<5 { bystanders.append(await simulator.createUser(page: Self.page)) }
        try await baton.start()
        let before = WorkerProcesses.of(configPath: world.baton.configPath)
        #expect(before.count == 2, "two workers at start: \(before)")

        for (index, user) in bystanders.enumerated() { _ = await simulator.userSends(text: "hello \(index)", page: Self.page, user: user) }
        _ = await simulator.userSends(text: "please \(`case`.trigger) now", page: Self.page, user: victim)
        for (index, user) in bystanders.enumerated() { _ = await simulator.userSends(text: "again \(index)", page: Self.page, user: user) }

        try await waitUntil("the victim's message took the fallback path") { await texts(simulator, victim) == [Self.fallback] }
        let restarts = "baton_skill_worker_restarts_total{reason=\"\(`case`.reason)\",skill=\"isolation\"}"
        try await waitUntil("the restart was counted as \(`case`.reason)") { try await baton.metric(restarts) == 1 }
        try await waitUntil("every other user was answered") {
            for (index, user) in bystanders.enumerated() where await texts(simulator, user) != ["ok: hello \(index)", "ok: again \(index)"] {
                return false
            }
            return true
        }
        var after: Set<Int32> = []
        try await waitUntil("the dead worker was replaced") {
            after = WorkerProcesses.of(configPath: world.baton.configPath)
            return after.count == 2 && before.subtracting(after).count == 1
        }
        _ = await simulator.userSends(text: "pid please", page: Self.page, user: victim)
        try await waitUntil("a later call was answered") { await texts(simulator, victim).count == 2 }
        let answer = await texts(simulator, victim).last ?? ""
        #expect(after.map { "pid \($0)" }.contains(answer), "\(answer) from one of \(after)")
        #expect(baton.isRunning, "baton serve died: \(baton.logTail())")
        let other = WorkerRestartReason.allCases.map(\.rawValue).filter { $0 != `case`.reason }
        for reason in other {
            #expect(try await baton.metric("baton_skill_worker_restarts_total{reason=\"\(reason)\",skill=\"isolation\"}") ?? 0 == 0)
        }
        let calls = try await baton.metric("baton_skill_calls_total{op=\"respond\",result=\"ok\",skill=\"isolation\"}")
        #expect(calls == 11, "ten bystander messages and the later call")
        #expect(try await baton.terminate() == 0)
        try await waitUntil("the workers exited with baton serve") { WorkerProcesses.of(configPath: world.baton.configPath).isEmpty }
        try await simulator.shutdown()
    }

    @Test(.timeLimit(.minutes(3)))
    func aSkillWhoseWorkersKeepDyingIsSwitchedOffByTheCircuitBreaker() async throws {
        let folder = try TemporaryDirectory()
        let library = try Self.isolationSkill(in: folder.path, responderOnly: true)
        let world = try await ServeWorld.make(
            knobs: .init(),
            sections: """
                skills:
                  - path: \(library)
                    isolation: process
                    timeout_ms: 10000
                  - path: \(TestPaths.library("EchoSkill"))
                """)
        try await world.killingServeOnError { try await keepKillingWorkers(world) }
    }

    /// The body of ``aSkillWhoseWorkersKeepDyingIsSwitchedOffByTheCircuitBreaker()``.
    func keepKillingWorkers(_ world: ServeWorld) async throws {
        let (simulator, baton) = (world.simulator, world.baton)
        var users: [String] = []
        for _ in 0..<7 { users.append(await simulator.createUser(page: Self.page)) }
        try await baton.start()
        // One at a time, so that each death is the breaker's next failure in a row.
        for (index, user) in users.enumerated() {
            _ = await simulator.userSends(text: "segv \(index)", page: Self.page, user: user)
            try await waitUntil("user \(index) was answered by the next responder") {
                await texts(simulator, user) == ["You said: segv \(index)"]
            }
        }
        let crashes = try await baton.metric("baton_skill_worker_restarts_total{reason=\"crash\",skill=\"isolation\"}") ?? 0
        #expect(crashes == 5, "five deaths open the circuit; the last two calls never reach a worker")
        #expect(try await baton.metric("baton_skill_calls_total{op=\"respond\",result=\"error\",skill=\"isolation\"}") == 5)
        #expect(try await baton.metric("baton_skill_calls_total{op=\"respond\",result=\"circuit_open\",skill=\"isolation\"}") == 2)
        #expect(baton.isRunning, "baton serve died: \(baton.logTail())")
        #expect(try await baton.terminate() == 0)
        try await simulator.shutdown()
    }

    @Test(.timeLimit(.minutes(2)))
    func theInProcessServerFindsBatonBesideTheTestBinaryAndDetectsThroughAWorker() async throws {
        let folder = try TemporaryDirectory()
        var skill = BatonConfiguration.Skill(path: try Self.isolationSkill(in: folder.path), timeoutMilliseconds: 5000)
        skill.isolation = .process
        let harness = try await ConversationHarness.start(skills: [skill], logger: testLogger())
        let pool = try #require(harness.server.skills.detectors.first?.instance as? WorkerPool)
        #expect(pool.name == "isolation")
        #expect(pool.kind == [.responder, .detector])
        let input = SkillInput(message: .init(mid: "m.1", timestamp: 1, text: "hi"), conversation: .init(pageID: "p", psid: "u"))
        #expect(try await pool.detect(input) == SkillScore(score: 0.1, reason: "calm"))
        #expect(try await pool.respond(input) == .text("ok: hi"))
        var crashed = input
        crashed.message.text = "abort in-detect"
        await #expect(throws: SkillCallError.self) { try await pool.detect(crashed) }
        do {
            _ = try await pool.respond(crashed)
            Issue.record("the worker's death was not reported")
        } catch {
            #expect(error.code == .workerDied, "\(error)")
            #expect(error.message.contains("SIGABRT"), "\(error)")
        }
        try await waitUntil("a replacement answers") { (try? await pool.respond(input)) == .text("ok: hi") }
        #expect(harness.server.metrics.value("baton_skill_worker_restarts_total", [("skill", "isolation"), ("reason", "crash")]) == 2)
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "there", page: harness.pageID, user: user)
        try await harness.settle()
        #expect(await harness.simulator.sentMessages(page: harness.pageID, user: user).compactMap(\.text) == ["ok: there"])
        let pids = await pool.workerPIDs
        await harness.stop()
        try await waitUntil("the worker exited with the server") { pids.allSatisfy { kill($0, 0) != 0 } }
    }
}

/// The framing and the rules of the pool, without processes.
@Suite("Process isolation: framing and rules")
struct WorkerFramingTests {
    @Test func aFrameIsALengthATypeAndThePayload() throws {
        let frame = WorkerFrame(.respond, text: "{}")
        #expect(frame.bytes == [0, 0, 0, 2, 0x10, UInt8(ascii: "{"), UInt8(ascii: "}")])
        var bytes = frame.bytes + WorkerFrame(.noReply).bytes + [0, 0, 0, 9, 0x20, 1]
        let first = try #require(try WorkerFrame.first(in: bytes))
        #expect(first.frame == frame)
        bytes.removeFirst(first.length)
        let second = try #require(try WorkerFrame.first(in: bytes))
        #expect(second.frame == WorkerFrame(.noReply))
        bytes.removeFirst(second.length)
        #expect(try WorkerFrame.first(in: bytes) == nil, "an incomplete frame waits for more bytes")
        #expect(throws: WorkerFrameError.tooLong(0x7F00_0000)) { try WorkerFrame.first(in: [0x7F, 0, 0, 0, 0x20]) }
    }

    @Test func anInputCrossesPackedAndUnpacksToItsFieldsAndDocument() throws {
        let input = SkillInput(
            message: .init(mid: "m.1", timestamp: 7, text: "héllo", postback: .init(title: "Yes", payload: "YES")),
            conversation: .init(pageID: "p1", psid: "u1"))
        let packed = PackedSkillInput(input)
        let (fields, document) = try #require(PackedSkillInput(bytes: packed.bytes).unpacked())
        #expect(document == input.jsonString())
        #expect(
            fields == [
                "message.mid": "m.1", "message.text": "héllo", "message.postback_title": "Yes", "message.postback_payload": "YES",
                "conversation.page_id": "p1", "conversation.psid": "u1",
            ])
        #expect(try packed.field("message.text") == "héllo")
        #expect(try packed.field("message.quick_reply_payload") == nil, "a field the input does not have")
        #expect(throws: PackedSkillInput.Malformed.self) { try PackedSkillInput(bytes: [1, 0, 0, 0, 0, 200, 65]).field("message.mid") }
        #expect(PackedSkillInput(bytes: []).unpacked() == nil)
        #expect(PackedSkillInput(bytes: [1, 9, 0, 0, 0, 0]).unpacked() == nil, "an unknown key index")
        #expect(PackedSkillInput(bytes: [1, 0, 0, 0, 0, 200, 65]).unpacked() == nil, "a length past the end")
        #expect(PackedSkillInput(bytes: [0, 0xFF]).unpacked() == nil, "a document that is not UTF-8")
    }

    @Test func deathsAreClassifiedByWhatKilledTheWorker() {
        #expect(WorkerExit(waitStatus: 11) == .signaled(11))
        #expect(WorkerExit(waitStatus: 3 << 8) == .exited(3))
        #expect("\(WorkerExit.signaled(SIGSEGV))" == "SIGSEGV")
        #expect(WorkerRestartReason.classify(.signaled(SIGKILL), killedForTimeout: true, reportedOutOfMemory: false) == .timeout)
        #expect(WorkerRestartReason.classify(.signaled(SIGSEGV), killedForTimeout: false, reportedOutOfMemory: true) == .memory)
        #expect(WorkerRestartReason.classify(.signaled(SIGKILL), killedForTimeout: false, reportedOutOfMemory: false) == .memory)
        #expect(WorkerRestartReason.classify(.signaled(SIGABRT), killedForTimeout: false, reportedOutOfMemory: false) == .crash)
        #expect(WorkerRestartReason.classify(.exited(0), killedForTimeout: false, reportedOutOfMemory: false) == .crash)
    }

    @Test func theBackOffDoublesUpToItsCap() {
        let backoff = WorkerBackoff(base: .milliseconds(50), cap: .seconds(1))
        #expect((1...7).map { backoff.delay(afterDeaths: $0) } == [50, 100, 200, 400, 800, 1000, 1000].map { .milliseconds($0) })
        #expect(backoff.delay(afterDeaths: 1_000_000) == .seconds(1))
    }
}

extension ServeWorld {
    /// Runs `body`; when it throws, `baton serve` is killed first, so that a failed test leaves
    /// no process behind (its workers see their input close and exit on their own).
    func killingServeOnError(_ body: () async throws -> Void) async throws {
        do { try await body() } catch {
            _ = try? await baton.kill9()
            try? await simulator.shutdown()
            throw error
        }
    }
}

/// The `baton skill host` children of the `baton serve` that runs a configuration.
enum WorkerProcesses {
    /// Their pids (zombies, being reaped, are left out).
    static func of(configPath: String) -> Set<Int32> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var serves: Set<Int32> = []
        var hosts: [(pid: Int32, parent: Int32)] = []
        for name in names {
            guard let pid = Int32(name) else { continue }
            let command = commandLine(pid)
            if command.contains("serve --config \(configPath)") { serves.insert(pid) }
            if command.contains("skill host"), let parent = parent(pid) { hosts.append((pid, parent)) }
        }
        return Set(hosts.filter { serves.contains($0.parent) }.map(\.pid))
    }

    private static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// The fourth field of `/proc/PID/stat`, after the command in parentheses.
    private static func parent(_ pid: Int32) -> Int32? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }
}
