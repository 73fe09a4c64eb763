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

    /// CPU time (user + system, in clock ticks) a process has used, from `/proc/<pid>/stat`.
    static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // After the command name in parentheses: state is field 3, utime 14, stime 15.
        let fields = try #require(stat.split(separator: ")").last).split(separator: " ")
        return try #require(Int(fields[11])) + (try #require(Int(fields[12])))
    }

    @Test func aWorkerStaysAwakeForItsSpinWindowAfterAnswering() async throws {
        // 100 ms awake after each answer: about ten clock ticks of CPU on an idle machine, a few
        // on a loaded one. With the default 100 µs window a call costs the worker well under one.
        let pool = try WorkerPool(
            library: TestPaths.library("EchoSkill"), executable: TestPaths.buildProducts + "/baton", spinMicroseconds: 100_000,
            logger: testLogger())
        defer { _ = pool.destroy(waitingAtMost: .seconds(2)) }
        let pid = try #require(await pool.workerPIDs.first)
        let before = try Self.cpuTicks(pid)
        #expect(try pool.respondOnCurrentThread(Self.input)?.text == "You said: hello")
        try await waitUntil("the worker spends CPU after its answer, checking for the next call", timeout: .seconds(2)) {
            (try? Self.cpuTicks(pid)).map { $0 > before } ?? false
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
