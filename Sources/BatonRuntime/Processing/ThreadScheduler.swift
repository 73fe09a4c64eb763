import BatonCore
import Logging
import ServiceLifecycle
import Synchronization

/// Runs each thread's work one step at a time and different threads in parallel.
///
/// Intake calls ``notify(_:)`` with the threads that got new events; the scheduler starts
/// a worker for a thread unless one runs already, in which case that worker goes round
/// once more before it stops. Nothing of one thread ever runs concurrently with itself.
public final class ThreadScheduler: Service {
    private struct State {
        var running: Set<ThreadKey> = []
        var dirty: Set<ThreadKey> = []
        var inFlight = 0
    }

    private let work: @Sendable (ThreadKey) async -> Void
    private let resume: @Sendable () async -> [ThreadKey]
    private let stream: AsyncStream<ThreadKey>
    private let continuation: AsyncStream<ThreadKey>.Continuation
    private let state = Mutex(State())
    private let graceSeconds: Double
    private let sweepInterval: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - graceSeconds: how long a graceful shutdown waits for workers before cancelling them.
    ///   - sweepInterval: how often `resume` is asked again, so that a thread whose work
    ///     stopped (a storage error mid-way, say) is picked up without waiting for its
    ///     next event or a restart.
    ///   - resume: threads with work left: asked at start, then every `sweepInterval`.
    ///   - work: processes everything pending for one thread.
    public init(
        graceSeconds: Double, sweepInterval: Duration = .seconds(30), logger: Logger,
        resume: @escaping @Sendable () async -> [ThreadKey], work: @escaping @Sendable (ThreadKey) async -> Void
    ) {
        self.graceSeconds = graceSeconds
        self.sweepInterval = sweepInterval
        self.logger = logger
        self.resume = resume
        self.work = work
        (stream, continuation) = AsyncStream.makeStream(of: ThreadKey.self)
    }

    /// Says that these threads have new work.
    public func notify(_ threads: some Sequence<ThreadKey>) {
        for thread in threads { continuation.yield(thread) }
    }

    /// Threads being worked on now.
    public var activeThreads: Int { state.withLock { $0.running.count } }

    public func run() async throws {
        notify(await resume())
        let sweeper = Task { [sweepInterval, resume] in
            while true {
                guard (try? await Task.sleep(for: sweepInterval)) != nil else { return }
                self.notify(await resume())
            }
        }
        defer { sweeper.cancel() }
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await thread in stream {
                    let start = state.withLock { state -> Bool in
                        if state.running.contains(thread) {
                            state.dirty.insert(thread)
                            return false
                        }
                        state.running.insert(thread)
                        return true
                    }
                    if start { group.addTask { await self.drive(thread) } }
                }
            } onGracefulShutdown: {
                self.continuation.finish()
            }
            // Intake has stopped: let the workers finish, within the grace period.
            let deadline = ContinuousClock.now + .milliseconds(Int64(clamping: graceSeconds * 1000))
            while activeThreads > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if activeThreads > 0 {
                logger.warning(
                    "shutdown grace period over, abandoning in-flight work; it resumes at the next start",
                    metadata: ["threads": "\(activeThreads)"])
                group.cancelAll()
            }
        }
    }

    private func drive(_ thread: ThreadKey) async {
        while true {
            await work(thread)
            let again = state.withLock { state -> Bool in
                if state.dirty.remove(thread) != nil { return true }
                state.running.remove(thread)
                return false
            }
            if !again || Task.isCancelled { return }
        }
    }
}
