import BatonSkills
import Foundation
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a call reaches a worker: borrowing one, sending the frame, reading the answer, giving
/// the worker back. The lock is held only to lend and take back.
extension WorkerPool {
    /// What one exchange of frames with a worker came to.
    enum Exchange: Sendable {
        /// The worker answered (a reply, a score, or the skill's own failure).
        case answered(WorkerFrame)
        /// The call failed: the worker died, was killed at the deadline, or misbehaved.
        case failed(SkillCallError)
        /// The worker had died while idle; the call did not reach it and borrows another.
        case stale
    }

    /// What a call got done on its own thread, without blocking.
    enum QuickStart {
        /// The worker answered within the spin window.
        case finished(Exchange)
        /// The frame went out; what the worker had sent so far, for the pool thread to go on from.
        case sent(PartialFrame)
        /// Nothing was sent (a frame too long for one atomic pipe write, a worker that needs
        /// retiring, a deadline already past): the pool thread does the whole exchange.
        case unsent
    }

    /// The longest frame a call writes from its own thread: a pipe takes up to `PIPE_BUF`
    /// (4096) bytes in one atomic write, and a worker's pipe is empty between calls, so such a
    /// write never waits.
    static let quickFrameLimit = 4096

    /// One call: borrows a worker (waiting at most until the deadline), sends the frame and
    /// checks for the answer for up to ``FrameIO/spinWindow`` on the caller's own thread (no
    /// hop at all for a fast skill), and waits for a slower answer on a thread of the skill pool.
    func call(_ kind: WorkerFrame.Kind, _ input: SkillInput) async throws(SkillCallError) -> WorkerFrame {
        let operation = Self.operation(kind)
        let deadline = ContinuousClock.now + timeout
        let frame = WorkerFrame(kind, PackedSkillInput(input).bytes)
        while true {
            let lease = try await borrow(until: deadline, operation).get()
            let outcome: Exchange
            switch quickStart(frame, on: lease, until: deadline) {
            case .finished(let exchange):
                outcome = exchange
            case .sent(let started):
                outcome = try await onPool(lease, operation, sent: true) { self.receive(on: lease, until: deadline, operation, after: started) }
            case .unsent:
                outcome = try await onPool(lease, operation, sent: false) { self.exchange(frame, on: lease, until: deadline, operation) }
            }
            switch outcome {
            case .answered(let answer): return answer
            case .failed(let error): throw error
            case .stale: continue
            }
        }
    }

    /// Runs the blocking rest of an exchange on the skill pool. When it cannot run there (the
    /// call was cancelled, the pool stopped), the lease goes back, or, when the frame is out,
    /// the answer is read on a thread of its own so the worker can serve again.
    private func onPool(_ lease: WorkerLease, _ operation: String, sent: Bool, _ body: @escaping @Sendable () -> Exchange)
        async throws(SkillCallError) -> Exchange
    {
        do {
            return try await threadPool.runIfActive(body)
        } catch {
            if sent { Thread { _ = body() }.start() } else { giveBack(lease, answered: false) }
            let why = error is CancellationError ? "the call was cancelled before it ran" : "the thread pool is not running"
            throw failure(operation, .unavailable, why)
        }
    }

    /// Sends a short frame and looks for the answer for up to ``FrameIO/spinWindow``, never blocking.
    private func quickStart(_ frame: WorkerFrame, on lease: WorkerLease, until deadline: ContinuousClock.Instant) -> QuickStart {
        let worker = lease.worker
        guard frame.payload.count + WorkerFrame.headerSize <= Self.quickFrameLimit, ContinuousClock.now < deadline,
            !Self.hasPendingInput(worker.fromWorker), FrameIO.write(frame, to: worker.toWorker)
        else { return .unsent }
        var started = PartialFrame()
        if case .some(.some(let answer)) = try? FrameIO.spin(&started, from: worker.fromWorker, for: FrameIO.spinWindow),
            Self.answers.contains(answer.kind)
        {
            giveBack(lease, answered: true)
            return .finished(.answered(answer))
        }
        // Anything else (a frame that is not an answer, a failure) is met again, and handled, on the pool thread.
        return .sent(started)
    }

    /// The frames that answer a call.
    static let answers: Set<WorkerFrame.Kind> = [.reply, .replyText, .noReply, .score, .failed]

    /// One call on the calling thread (blocking): fails at once when no worker is idle.
    func callOnCurrentThread(_ kind: WorkerFrame.Kind, _ input: SkillInput) throws(SkillCallError) -> WorkerFrame {
        let operation = Self.operation(kind)
        let deadline = ContinuousClock.now + timeout
        let frame = WorkerFrame(kind, PackedSkillInput(input).bytes)
        while true {
            guard let lease = state.withLock({ $0.closed ? nil : $0.takeIdle() }) else {
                throw failure(operation, .workerTimedOut, "no worker is idle")
            }
            switch exchange(frame, on: lease, until: deadline, operation) {
            case .answered(let answer): return answer
            case .failed(let error): throw error
            case .stale: continue
            }
        }
    }

    /// Writes the call's frame to the lent worker and reads its answer (blocking, until the
    /// deadline at most). The worker is given back when it answered, retired otherwise.
    func exchange(_ frame: WorkerFrame, on lease: WorkerLease, until deadline: ContinuousClock.Instant, _ operation: String) -> Exchange {
        let worker = lease.worker
        // An idle worker says nothing: a readable pipe means it died (or broke the framing) between calls.
        if Self.hasPendingInput(worker.fromWorker) {
            _ = retire(lease, .ended(outOfMemory: Self.drainReportsOutOfMemory(worker.fromWorker)))
            return .stale
        }
        guard ContinuousClock.now < deadline else {
            giveBack(lease, answered: false)
            return .failed(failure(operation, .workerTimedOut, "no worker was free within the deadline of \(timeout)"))
        }
        guard FrameIO.write(frame, to: worker.toWorker) else {
            return .failed(died(operation, retire(lease, .ended(outOfMemory: false))))
        }
        return receive(on: lease, until: deadline, operation, after: PartialFrame(), spin: FrameIO.spinWindow)
    }

    /// Reads the lent worker's answer to the frame sent (blocking, until the deadline at most),
    /// starting from what was already read; gives the worker back when it answered, retires it otherwise.
    func receive(
        on lease: WorkerLease, until deadline: ContinuousClock.Instant, _ operation: String, after started: PartialFrame,
        spin: Duration = .zero
    ) -> Exchange {
        let worker = lease.worker
        var outOfMemory = false
        var next = started
        while true {
            let answer: WorkerFrame
            do throws(FrameIO.ReadFailure) {
                answer = try FrameIO.finish(&next, from: worker.fromWorker, deadline: deadline, spin: spin)
            } catch {
                if case .broken = error { return .failed(died(operation, retire(lease, .misbehaved))) }
                guard error == .timedOut else { return .failed(died(operation, retire(lease, .ended(outOfMemory: outOfMemory)))) }
                _ = retire(lease, .deadline)
                return .failed(
                    failure(operation, .workerTimedOut, "the call ran past its deadline of \(timeout); its worker was killed and is being replaced"))
            }
            next = PartialFrame()
            if answer.kind == .dying {
                outOfMemory = answer.payload.first == 1
                continue
            }
            guard Self.answers.contains(answer.kind) else {
                logger.warning("skill worker sent an unexpected frame", metadata: ["pid": "\(worker.pid)", "frame": "\(answer.kind)"])
                _ = retire(lease, .misbehaved)
                return .failed(failure(operation, .unavailable, "the worker answered \(answer.kind) to \(operation)"))
            }
            giveBack(lease, answered: true)
            return .answered(answer)
        }
    }

    /// Lends an idle worker, or waits for one until `deadline`.
    private func borrow(until deadline: ContinuousClock.Instant, _ operation: String) async -> Result<WorkerLease, SkillCallError> {
        let closed = failure(operation, .unavailable, "the skill's workers are shutting down")
        if let lent: Result<WorkerLease, SkillCallError> = state.withLock({ state in
            state.closed ? .failure(closed) : state.takeIdle().map { .success($0) }
        }) {
            return lent
        }
        return await withCheckedContinuation { continuation in
            let waiting: Int? = state.withLock { state in
                if state.closed {
                    continuation.resume(returning: .failure(closed))
                    return nil
                }
                if let lease = state.takeIdle() {
                    continuation.resume(returning: .success(lease))
                    return nil
                }
                state.nextWaiter += 1
                state.waiters.append(WorkerWaiter(id: state.nextWaiter, deadline: deadline, operation: operation, continuation: continuation))
                return state.nextWaiter
            }
            guard let waiting else { return }
            Task { [self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                let expired = state.withLock { state -> WorkerWaiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == waiting }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(
                    returning: .failure(failure(operation, .workerTimedOut, "no worker was free within the deadline of \(timeout)")))
            }
        }
    }

    /// Takes a lent worker back: idle again (or lent on to the oldest waiting call), or
    /// stopped when the pool closed meanwhile.
    func giveBack(_ lease: WorkerLease, answered: Bool) {
        var lent: [(WorkerWaiter, WorkerLease)] = []
        let stop = state.withLock { state -> Bool in
            guard state.slots[lease.slot].live(lease.worker.generation) != nil else { return false }
            if answered { state.slots[lease.slot].deaths = 0 }
            if state.closed {
                state.slots[lease.slot].phase = .stopped
                return true
            }
            state.slots[lease.slot].phase = .idle(lease.worker)
            lent = Self.lendToWaiters(&state)
            return false
        }
        for (waiter, lease) in lent { waiter.continuation.resume(returning: .success(lease)) }
        if stop { Thread { Self.finish(lease.worker, within: .seconds(2)) }.start() }
    }

    /// Lends idle workers to waiting calls, oldest first (under the lock; resume them after).
    static func lendToWaiters(_ state: inout WorkerPoolState) -> [(WorkerWaiter, WorkerLease)] {
        var lent: [(WorkerWaiter, WorkerLease)] = []
        while !state.waiters.isEmpty, let lease = state.takeIdle() {
            lent.append((state.waiters.removeFirst(), lease))
        }
        return lent
    }

    private static func operation(_ kind: WorkerFrame.Kind) -> String { kind == .detect ? "detect" : "respond" }

    /// Whether `fd` has something to read (or hung up) right now.
    private static func hasPendingInput(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Reads what a worker that died between calls left (its `dying` frame, if any).
    private static func drainReportsOutOfMemory(_ fd: Int32) -> Bool {
        var outOfMemory = false
        while let frame = try? FrameIO.read(fd, deadline: .now + .milliseconds(100)) {
            if frame.kind == .dying { outOfMemory = frame.payload.first == 1 }
        }
        return outOfMemory
    }
}
