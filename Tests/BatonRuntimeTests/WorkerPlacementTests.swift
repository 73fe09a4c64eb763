import BatonCore
import BatonRuntime
import BatonSkills
import BatonTestSupport
import Foundation
import Testing

/// `worker_cpu` and `worker_spin_us`: where a worker runs and how long it stays awake between
/// calls, applied by the worker itself from its start frame; and what becomes of a worker that
/// dies between calls.
@Suite("Worker placement")
struct WorkerPlacementTests {
    static let input = SkillInput(
        message: .init(mid: "m_placement", timestamp: 1_730_462_400_000, text: "hello"),
        conversation: .init(pageID: "109876543210987", psid: "5012345678901234", recentTurns: [], secondsSinceLastUserMessage: nil))

    /// The `Cpus_allowed_list` line of a process's status.
    static func allowedCPUs(_ pid: Int32) throws -> String {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        return line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
    }

    @Test func aWorkerBindsItselfToItsCPUAndStillAnswers() async throws {
        let cpu = ProcessInfo.processInfo.activeProcessorCount - 1
        let pool = try WorkerPool(
            library: TestPaths.library("EchoSkill"), executable: TestPaths.buildProducts + "/baton", workers: 2, spinMicroseconds: 500,
            cpu: cpu, logger: testLogger())
        defer { _ = pool.destroy(waitingAtMost: .seconds(2)) }
        // The worker binds itself before it answers `ready`, so this holds once the pool exists.
        for pid in await pool.workerPIDs {
            #expect(try Self.allowedCPUs(pid) == "\(cpu)", "worker \(pid): \((try? Self.allowedCPUs(pid)) ?? "?")")
        }
        #expect(try pool.respondOnCurrentThread(Self.input)?.text == "You said: hello")
    }

    /// Whether a thread of a process is running or waiting for a CPU (state `R` in
    /// `/proc/<pid>/task/*/stat`) rather than sleeping.
    static func isAwake(_ pid: Int32) throws -> Bool {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").contains { task in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8)) ?? ""
            // The state follows the command name, which is in parentheses.
            return stat.split(separator: ")").last?.split(separator: " ").first == "R"
        }
    }

    @Test func aWorkerStaysAwakeForItsSpinWindowAfterAnswering() async throws {
        // A second awake after each answer: a thread checking for the next call is runnable the
        // whole time, however little CPU a busy machine leaves it. With the default 100 µs window
        // every thread of the worker sleeps again right after the call.
        let pool = try WorkerPool(
            library: TestPaths.library("EchoSkill"), executable: TestPaths.buildProducts + "/baton", spinMicroseconds: 1_000_000,
            logger: testLogger())
        defer { _ = pool.destroy(waitingAtMost: .seconds(2)) }
        let pid = try #require(await pool.workerPIDs.first)
        // Awake at every look from 10 ms to 310 ms after an answer: past the default window (and
        // past the few milliseconds a busy machine may leave a runnable thread waiting for a CPU)
        // by far. A test process starved past the window (the full suite on 2 cores) calls again.
        for _ in 0..<20 {
            #expect(try pool.respondOnCurrentThread(Self.input)?.text == "You said: hello")
            let answered = ContinuousClock.now
            var looks = 0
            while ContinuousClock.now - answered < .milliseconds(900) {
                let elapsed = ContinuousClock.now - answered
                if elapsed > .milliseconds(10) {
                    guard try Self.isAwake(pid) else { break }
                    looks += 1
                    if elapsed > .milliseconds(310), looks >= 3 { return }
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        Issue.record("no thread of the worker stayed awake, checking for the next call, from 10 to 310 ms after an answer")
    }

    /// The state letter of a process (`Z` once it died and waits to be reaped).
    static func state(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[close...].dropFirst(2).first
    }

    @Test func aWorkerFoundDeadBetweenCallsIsRetiredAndTheCallGoesToALiveOne() async throws {
        let metrics = RuntimeMetrics()
        let pool = try WorkerPool(
            library: TestPaths.library("EchoSkill"), executable: TestPaths.buildProducts + "/baton", workers: 2,
            // Generous: under the whole suite a call can wait seconds for a thread of the shared pool.
            timeout: .seconds(60), metrics: metrics, logger: testLogger())
        defer { _ = pool.destroy(waitingAtMost: .seconds(2)) }
        let pids = await pool.workerPIDs
        #expect(pids.count == 2)
        let victim = try #require(pids.first)
        #expect(kill(victim, SIGSEGV) == 0, "as a crash on a thread of the skill's own would")
        try await waitUntil("the killed worker is dead") { Self.state(victim) == "Z" || Self.state(victim) == nil }
        // Every call is answered: the dead worker is noticed when a call borrows it, before its
        // frame is written, and the call borrows the other one instead of failing.
        for index in 0..<6 {
            var input = Self.input
            input.message.text = "call \(index)"
            #expect(try await pool.respond(input)?.text == "You said: call \(index)")
        }
        #expect(metrics.value("baton_skill_worker_restarts_total", [("skill", pool.name), ("reason", "crash")]) == 1, "the dead worker, once")
        try await waitUntil("a replacement runs") {
            let live = await pool.workerPIDs
            return live.count == 2 && !live.contains(victim)
        }
    }

    @Test func withoutTheKeyAWorkerMayRunAnywhere() async throws {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }
        let pool = try WorkerPool(library: TestPaths.library("EchoSkill"), executable: TestPaths.buildProducts + "/baton", logger: testLogger())
        defer { _ = pool.destroy(waitingAtMost: .seconds(2)) }
        for pid in await pool.workerPIDs {
            #expect(try Self.allowedCPUs(pid) != "\(ProcessInfo.processInfo.activeProcessorCount - 1)")
        }
    }
}
