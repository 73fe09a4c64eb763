public import BatonCore
public import BatonSkills
import Foundation
public import Logging
public import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A skill run in worker processes (`isolation: process`): each worker is `baton skill host`
/// with the skill loaded, serving one call at a time over its pipes. A call borrows a free
/// worker and, on a thread of the skill pool (the same hop an in-process call makes), writes
/// its frame and waits for the answer with the deadline as its limit: a worker past it is
/// killed (SIGKILL). Workers that die are replaced after an exponential back-off, and the
/// affected call fails with a ``BatonSkills/SkillCallError``, so the message takes the fallback
/// path as an in-process failure would. `baton_skill_worker_restarts_total{skill,reason}` counts
/// the replacements.
///
/// The input crosses packed (``BatonSkills/PackedSkillInput``): the worker hands it to the skill
/// without parsing it. The pool's lock is held only to lend and take back workers, never
/// during a call.
public final class WorkerPool: SkillEndpoint {
    /// The skill's name, from the first worker's `ready`.
    public let name: String
    /// The skill's kind, from the first worker's `ready`.
    public let kind: SkillKind
    /// The skill's version, from the first worker's `ready` (`ffi` for a plain C function).
    public let version: String
    /// A call's deadline, waiting for a free worker included.
    let timeout: Duration
    let launcher: WorkerLauncher
    let backoff: WorkerBackoff
    /// Where calls wait for their worker's answer (they block there, never on Swift's pool).
    let threadPool: NIOThreadPool
    let metrics: RuntimeMetrics
    let logger: Logger
    let state: Mutex<WorkerPoolState>

    /// Starts `workers` workers and waits (blocking) until each answered `ready`.
    ///
    /// - Parameters:
    ///   - launcher: how a worker is started.
    ///   - workers: how many (at least 1).
    ///   - timeout: one call's deadline.
    ///   - backoff: the wait before a dead worker's replacement.
    ///   - threadPool: the started pool on which calls wait for their answers.
    ///   - metrics: where restarts are counted.
    ///   - logger: where deaths are logged.
    /// - Throws: ``WorkerStartFailure`` when a worker does not start; those already started are stopped.
    init(
        launcher: WorkerLauncher, workers: Int, timeout: Duration, backoff: WorkerBackoff = WorkerBackoff(), threadPool: NIOThreadPool,
        metrics: RuntimeMetrics, logger: Logger
    ) throws(WorkerStartFailure) {
        var spawned: [SpawnedWorker] = []
        for _ in 0..<max(1, workers) {
            do { spawned.append(try launcher.launch()) } catch {
                for worker in spawned { Self.discard(worker) }
                throw error
            }
        }
        let ready = spawned[0].ready
        (self.name, self.kind, self.version) = (ready.name, ready.skillKind, ready.version)
        (self.launcher, self.timeout, self.backoff, self.threadPool, self.metrics) = (launcher, timeout, backoff, threadPool, metrics)
        var logger = logger
        logger[metadataKey: "skill"] = "\(ready.name)"
        self.logger = logger
        var state = WorkerPoolState(slots: Array(repeating: WorkerSlot(), count: spawned.count))
        for (index, worker) in spawned.enumerated() {
            state.nextGeneration += 1
            state.slots[index].phase = .idle(
                LiveWorker(pid: worker.pid, toWorker: worker.toWorker, fromWorker: worker.fromWorker, generation: state.nextGeneration))
        }
        self.state = Mutex(state)
    }

    /// Starts a pool for one library outside a configuration (benchmarks, tools), waiting
    /// (blocking) until every worker answered `ready`.
    ///
    /// - Parameters:
    ///   - library: the skill library's path.
    ///   - configJSON: its configuration, a JSON object.
    ///   - function: a plain C function of the library to bind through libffi instead (an `ffi:` entry).
    ///   - executable: the `baton` executable (default: ``SkillHostExecutable/path``).
    ///   - workers: how many worker processes.
    ///   - timeout: one call's deadline.
    ///   - memoryLimitMB: what the skill may add to a worker's address space; nil: no limit.
    ///   - spinMicroseconds: how long a worker checks for the next call before sleeping; nil: the default.
    ///   - cpu: the CPU the workers are bound to; nil: not bound.
    ///   - threadPool: the started pool on which calls wait for their answers.
    ///   - metrics: where restarts are counted.
    ///   - logger: where deaths are logged.
    /// - Throws: ``WorkerStartFailure`` (`broken` when no executable was found).
    public convenience init(
        library: String, configJSON: String = "{}", function: WorkerFunction? = nil, executable: String? = SkillHostExecutable.path,
        workers: Int = 1,
        timeout: Duration = .seconds(2), memoryLimitMB: Int? = nil, spinMicroseconds: Int? = nil, cpu: Int? = nil,
        threadPool: NIOThreadPool = .singleton,
        metrics: RuntimeMetrics = RuntimeMetrics(), logger: Logger
    ) throws(WorkerStartFailure) {
        guard let executable else { throw .broken("no baton executable: set \(SkillHostExecutable.environmentVariable)") }
        var start = WorkerStart(path: library, config: configJSON, memoryLimitMB: memoryLimitMB, function: function)
        (start.spinMicroseconds, start.cpu) = (spinMicroseconds, cpu)
        try self.init(
            launcher: WorkerLauncher(executable: executable, start: start, logLevel: logger.logLevel), workers: workers, timeout: timeout,
            threadPool: threadPool, metrics: metrics, logger: logger)
    }

    /// Asks a worker for a reply to `input`.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the reply, or nil when the skill has none.
    /// - Throws: ``BatonSkills/SkillCallError``: the skill's own failure, or its worker's death or deadline.
    public func respond(_ input: SkillInput) async throws(SkillCallError) -> ReplyMessage? {
        try reply(from: await call(.respond, input))
    }

    /// Asks a worker how much the user of `input` needs a human.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the score.
    /// - Throws: ``BatonSkills/SkillCallError``, as ``respond(_:)``.
    public func detect(_ input: SkillInput) async throws(SkillCallError) -> SkillScore {
        try score(from: await call(.detect, input))
    }

    /// ``respond(_:)`` on the calling thread, without the hop to the thread pool: it blocks
    /// until the worker answers or the deadline passes, and fails at once when no worker is
    /// idle. For benchmarks and tools, on a thread that may block.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the reply, or nil.
    /// - Throws: ``BatonSkills/SkillCallError``.
    public func respondOnCurrentThread(_ input: SkillInput) throws(SkillCallError) -> ReplyMessage? {
        try reply(from: callOnCurrentThread(.respond, input))
    }

    /// ``detect(_:)`` on the calling thread; see ``respondOnCurrentThread(_:)``.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the score.
    /// - Throws: ``BatonSkills/SkillCallError``.
    public func detectOnCurrentThread(_ input: SkillInput) throws(SkillCallError) -> SkillScore {
        try score(from: callOnCurrentThread(.detect, input))
    }

    /// Stops every worker: idle ones at once (their standard input closes, they destroy the
    /// instance and exit), busy ones when their call ends, any still running after `limit` by
    /// SIGKILL. Returns at once.
    /// - Parameter limit: how long calls in flight may go on (nil: 2 seconds).
    /// - Returns: true.
    @discardableResult
    public func destroy(waitingAtMost limit: Duration?) -> Bool {
        close(grace: limit ?? .seconds(2))
        return true
    }

    /// The pids of the live workers, in slot order (for tests and logs).
    public var workerPIDs: [Int32] {
        get async { state.withLock { state in state.slots.compactMap { $0.live()?.pid } } }
    }

    private func reply(from frame: WorkerFrame) throws(SkillCallError) -> ReplyMessage? {
        switch frame.kind {
        case .noReply: return nil
        case .replyText: return .text(String(decoding: frame.payload, as: UTF8.self))
        case .reply:
            guard let reply = try? JSONDecoder().decode(ReplyMessage.self, from: Data(frame.payload)) else {
                throw failure("respond", .invalidOutput, "the worker's reply does not decode")
            }
            return reply
        case .failed: throw decodeFailure(frame, "respond")
        default: throw failure("respond", .unavailable, "the worker answered \(frame.kind) to respond")
        }
    }

    private func score(from frame: WorkerFrame) throws(SkillCallError) -> SkillScore {
        switch frame.kind {
        case .score where frame.payload.count >= 8:
            let bits = frame.payload.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let score = Double(bitPattern: bits)
            guard score.isFinite, (0...1).contains(score) else { throw failure("detect", .invalidOutput, "the worker's score \(score) is not in [0, 1]") }
            return SkillScore(score: score, reason: String(decoding: frame.payload.dropFirst(8), as: UTF8.self))
        case .failed: throw decodeFailure(frame, "detect")
        default: throw failure("detect", .unavailable, "the worker answered \(frame.kind) to detect")
        }
    }

    private func decodeFailure(_ frame: WorkerFrame, _ operation: String) -> SkillCallError {
        guard let reported = try? JSONDecoder().decode(WorkerFailure.self, from: Data(frame.payload)) else {
            return failure(operation, .unavailable, "the worker's failure frame does not decode")
        }
        return reported.error(skill: name, operation: operation)
    }

    func failure(_ operation: String, _ code: SkillCallError.Code, _ message: String) -> SkillCallError {
        SkillCallError(code, skill: name, operation: operation, status: -1, message: message)
    }

    /// Closes a started worker's pipes, kills it and reaps it (blocking).
    static func discard(_ worker: SpawnedWorker) {
        closeDescriptor(worker.toWorker)
        closeDescriptor(worker.fromWorker)
        kill(worker.pid, SIGKILL)
        _ = WorkerLauncher.reap(worker.pid)
    }
}

extension ErrorCode where Domain == SkillCallError {
    /// The skill's worker process died during the call (a crash, an abort, memory): it is
    /// being replaced.
    public static var workerDied: Self { Self("workerDied") }
    /// The call passed its deadline in a worker process, which was killed and is being replaced
    /// (or no worker was free before the deadline).
    public static var workerTimedOut: Self { Self("workerTimedOut") }
}

/// libc's `close`, which ``WorkerPool/close(grace:)`` hides inside the class and its extensions.
func closeDescriptor(_ fd: Int32) { _ = close(fd) }
