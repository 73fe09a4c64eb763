import BatonSkills

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One worker process serving a pool: its pid, the runtime's ends of its pipes, and the
/// number that tells it from the worker it replaced.
struct LiveWorker: Sendable {
    let pid: pid_t
    /// Where call frames go (the worker's standard input).
    let toWorker: Int32
    /// Where answer frames come from (the worker's standard output).
    let fromWorker: Int32
    let generation: Int
}

/// A worker lent to one call: the caller owns its pipes until it gives it back.
struct WorkerLease: Sendable {
    let slot: Int
    let worker: LiveWorker
}

/// One place in a pool: the worker in it (if any) and what it is doing.
struct WorkerSlot {
    enum Phase {
        /// A worker is being started (spawn and handshake).
        case starting
        /// The worker waits for a call.
        case idle(LiveWorker)
        /// The worker is lent to a call.
        case busy(LiveWorker)
        /// The worker died or was killed; backing off before the next start.
        case waiting
        /// The pool is closed.
        case stopped
    }

    var phase: Phase = .starting
    /// Deaths in a row, for the back-off (reset when a worker here answers a call).
    var deaths = 0

    /// The worker in the slot, if it is live (idle or busy) and of `generation` (any when nil).
    func live(_ generation: Int? = nil) -> LiveWorker? {
        let worker: LiveWorker
        switch phase {
        case .idle(let idle): worker = idle
        case .busy(let busy): worker = busy
        default: return nil
        }
        return generation == nil || worker.generation == generation ? worker : nil
    }

    /// Whether a worker waits for a call here.
    var isIdle: Bool { if case .idle = phase { true } else { false } }
}

/// A pool's state, behind its lock.
struct WorkerPoolState {
    var slots: [WorkerSlot]
    /// Calls waiting for a free worker, oldest first.
    var waiters: [WorkerWaiter] = []
    var closed = false
    var nextGeneration = 0
    var nextWaiter = 0

    /// Lends the first idle worker, if any.
    mutating func takeIdle() -> WorkerLease? {
        guard let index = slots.firstIndex(where: \.isIdle), let worker = slots[index].live() else { return nil }
        slots[index].phase = .busy(worker)
        return WorkerLease(slot: index, worker: worker)
    }
}

/// A call waiting for a free worker.
struct WorkerWaiter {
    let id: Int
    /// When its deadline passes, still waiting, it fails.
    let deadline: ContinuousClock.Instant
    /// `respond` or `detect`, for its failure.
    let operation: String
    let continuation: CheckedContinuation<Result<WorkerLease, SkillCallError>, Never>
}
