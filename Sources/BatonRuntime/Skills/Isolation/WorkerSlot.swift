import BatonSkills
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One call of a ``WorkerPool``: queued for a worker, then running on one. Touched only on
/// the pool's event loop (hence `@unchecked Sendable`: it crosses into scheduled tasks).
final class WorkerCall: @unchecked Sendable {
    /// The frame to send.
    let frame: WorkerFrame
    private let promise: EventLoopPromise<WorkerFrame>
    /// The deadline's timer.
    var deadline: Scheduled<Void>?
    /// Whether it was answered or failed.
    private(set) var isFinished = false

    init(frame: WorkerFrame, promise: EventLoopPromise<WorkerFrame>) {
        (self.frame, self.promise) = (frame, promise)
    }

    /// Completes the call, once; later calls do nothing.
    func finish(_ result: Result<WorkerFrame, SkillCallError>) {
        guard !isFinished else { return }
        isFinished = true
        deadline?.cancel()
        switch result {
        case .success(let frame): promise.succeed(frame)
        case .failure(let error): promise.fail(error)
        }
    }
}

/// One worker process serving a pool: its pid, its frame channel, and the number that tells
/// its events from those of the worker it replaced.
struct LiveWorker {
    let pid: pid_t
    let channel: any Channel
    let generation: Int
}

/// One place in a pool: the worker in it (if any) and what it is doing.
struct WorkerSlot {
    enum Phase {
        /// A worker is being started (spawn, handshake, channel).
        case starting
        /// The worker waits for a call.
        case idle(LiveWorker)
        /// The worker runs `call`.
        case busy(LiveWorker, WorkerCall)
        /// The worker was killed or died and is being reaped; `call` (if any) fails then.
        case dying(LiveWorker, WorkerCall?)
        /// Backing off before the next start.
        case waiting
        /// The pool is closed.
        case stopped
    }

    var phase: Phase = .starting
    /// Deaths in a row, for the back-off (reset when a worker here answers a call).
    var deaths = 0
    /// The live worker's `dying` frame said an allocation failed.
    var outOfMemory = false
    /// The runtime killed the live worker at a call's deadline.
    var killedForTimeout = false

    /// The worker in the slot, if it is live (idle or busy) and of `generation` (any when nil).
    func live(_ generation: Int? = nil) -> LiveWorker? {
        let worker: LiveWorker
        switch phase {
        case .idle(let idle): worker = idle
        case .busy(let busy, _): worker = busy
        default: return nil
        }
        return generation == nil || worker.generation == generation ? worker : nil
    }
}
