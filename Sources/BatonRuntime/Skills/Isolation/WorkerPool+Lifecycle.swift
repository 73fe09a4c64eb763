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

/// The pool's machinery for workers that end: retiring them, counting deaths, the back-off,
/// restarts and closing. Spawning, reaping and sleeping happen outside the lock.
extension WorkerPool {
    /// Why a worker is taken out of service.
    enum Retirement: Equatable {
        /// Its call passed the deadline: it is killed.
        case deadline
        /// It sent something it should not: it is killed.
        case misbehaved
        /// Its pipe ended: it died (or is dying); `outOfMemory` when its `dying` frame said so.
        case ended(outOfMemory: Bool)
    }

    /// Takes the lent worker out of service (blocking): closes its pipes, kills it if need be,
    /// reaps it, counts the death and schedules its replacement.
    /// - Returns: how it ended and why it is replaced.
    func retire(_ lease: WorkerLease, _ retirement: Retirement) -> (WorkerExit, WorkerRestartReason) {
        let worker = lease.worker
        closeDescriptor(worker.toWorker)
        let exit: WorkerExit
        var killed = true
        if case .ended = retirement {
            (exit, killed) = Self.reap(worker.pid, within: .seconds(1))
        } else {
            kill(worker.pid, SIGKILL)
            exit = WorkerLauncher.reap(worker.pid)
        }
        closeDescriptor(worker.fromWorker)
        let reason: WorkerRestartReason =
            switch retirement {
            case .deadline: .timeout
            case .misbehaved: .crash
            case .ended(let outOfMemory): killed ? .crash : .classify(exit, killedForTimeout: false, reportedOutOfMemory: outOfMemory)
            }
        noteDeath(slot: lease.slot, generation: worker.generation, reason: reason, pid: worker.pid, detail: "\(exit)")
        return (exit, reason)
    }

    /// The error of a call whose worker died.
    func died(_ operation: String, _ ending: (WorkerExit, WorkerRestartReason)) -> SkillCallError {
        let (exit, reason) = ending
        let cause = reason == .memory ? "ran out of memory (\(exit))" : "died (\(exit))"
        return failure(operation, .workerDied, "its worker process \(cause) during the call; it is being replaced")
    }

    /// Counts a death in `slot` (of the worker of `generation`, or of a start when nil) and
    /// schedules the next start after the back-off; a closed pool only stops the slot.
    func noteDeath(slot: Int, generation: Int?, reason: WorkerRestartReason, pid: pid_t?, detail: String) {
        let delay = state.withLock { state -> Duration? in
            if let generation {
                guard state.slots[slot].live(generation) != nil else { return nil }
            } else {
                guard case .starting = state.slots[slot].phase else { return nil }
            }
            if state.closed {
                state.slots[slot].phase = .stopped
                return nil
            }
            state.slots[slot].deaths += 1
            state.slots[slot].phase = .waiting
            return backoff.delay(afterDeaths: state.slots[slot].deaths)
        }
        guard let delay else { return }
        metrics.increment(.skillWorkerRestarts, [.skill: name, .reason: reason.rawValue])
        logger.warning(
            "skill worker died; replacing it",
            metadata: [
                "reason": "\(reason.rawValue)", "exit": "\(detail)", "pid": "\(pid.map { "\($0)" } ?? "-")", "restart_in": "\(delay)",
            ])
        Thread { [self] in
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            restart(slot: slot)
        }.start()
    }

    /// Starts a replacement in `slot` (blocking: the spawn and handshake).
    private func restart(slot: Int) {
        let go = state.withLock { state -> Bool in
            guard case .waiting = state.slots[slot].phase else { return false }
            if state.closed {
                state.slots[slot].phase = .stopped
                return false
            }
            state.slots[slot].phase = .starting
            return true
        }
        guard go else { return }
        let spawned: SpawnedWorker
        do { spawned = try launcher.launch() } catch {
            let reason: WorkerRestartReason =
                switch error {
                case .died(let exit, let outOfMemory): .classify(exit, killedForTimeout: false, reportedOutOfMemory: outOfMemory)
                case .timedOut: .timeout
                case .refused, .broken: .crash
                }
            noteDeath(slot: slot, generation: nil, reason: reason, pid: nil, detail: "\(error)")
            return
        }
        var lent: [(WorkerWaiter, WorkerLease)] = []
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else {
                state.slots[slot].phase = .stopped
                return false
            }
            state.nextGeneration += 1
            state.slots[slot].phase = .idle(
                LiveWorker(pid: spawned.pid, toWorker: spawned.toWorker, fromWorker: spawned.fromWorker, generation: state.nextGeneration))
            lent = Self.lendToWaiters(&state)
            return true
        }
        if !accepted { Self.discard(spawned) }
        for (waiter, lease) in lent { waiter.continuation.resume(returning: .success(lease)) }
    }

    /// Closes the pool: waiting calls fail, idle workers are told to exit, and whatever still
    /// runs after `grace` is killed.
    func close(grace: Duration) {
        let (idle, waiters, first) = state.withLock { state -> ([LiveWorker], [WorkerWaiter], Bool) in
            guard !state.closed else { return ([], [], false) }
            state.closed = true
            var idle: [LiveWorker] = []
            for index in state.slots.indices {
                switch state.slots[index].phase {
                case .idle(let worker):
                    idle.append(worker)
                    state.slots[index].phase = .stopped
                case .waiting: state.slots[index].phase = .stopped
                default: break
                }
            }
            defer { state.waiters = [] }
            return (idle, state.waiters, true)
        }
        guard first else { return }
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(failure(waiter.operation, .unavailable, "the skill's workers are shutting down")))
        }
        for worker in idle { Thread { Self.finish(worker, within: grace) }.start() }
        Thread { [self] in
            Thread.sleep(forTimeInterval: Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18)
            let busy = state.withLock { state in
                state.slots.compactMap { slot -> LiveWorker? in if case .busy(let worker) = slot.phase { worker } else { nil } }
            }
            // Their calls see the pipe end and retire them.
            for worker in busy { kill(worker.pid, SIGKILL) }
        }.start()
    }

    /// Ends a worker that was given its last call: its standard input closes (it destroys the
    /// instance and exits), and a SIGKILL follows after `grace`.
    static func finish(_ worker: LiveWorker, within grace: Duration) {
        closeDescriptor(worker.toWorker)
        reap(worker.pid, within: grace)
        closeDescriptor(worker.fromWorker)
    }

    /// Waits for `pid` to end, at most `limit`, then kills it and reaps it (blocking).
    /// - Returns: how it ended, and whether it had to be killed.
    @discardableResult
    static func reap(_ pid: pid_t, within limit: Duration) -> (WorkerExit, killed: Bool) {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { return (WorkerExit(waitStatus: status), false) }
            if done < 0, errno != EINTR { return (.exited(-1), false) }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                return (WorkerLauncher.reap(pid), true)
            }
            usleep(1000)
        }
    }
}
