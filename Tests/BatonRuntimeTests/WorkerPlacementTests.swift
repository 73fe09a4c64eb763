import BatonCore
import BatonRuntime
import BatonSkills
import BatonTestSupport
import Foundation
import Testing

/// `worker_cpu` and `worker_spin_us`: where a worker runs and how long it stays awake between
/// calls, applied by the worker itself from its start frame.
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
        #expect(try pool.respondOnCurrentThread(Self.input)?.text == "You said: hello")
        let answered = ContinuousClock.now
        // Past the default window (100 µs) by far, within the configured one (1 s).
        try await waitUntil("a thread of the worker still checks for the next call 10 ms after its answer", timeout: .seconds(1)) {
            ContinuousClock.now - answered > .milliseconds(10) && ((try? Self.isAwake(pid)) ?? false)
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
