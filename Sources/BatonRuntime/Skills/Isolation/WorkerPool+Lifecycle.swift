import BatonSkills
import Foundation
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The pool's machinery, every method on its event loop: queueing, dispatch, deadlines,
/// deaths, back-off and restarts.
extension WorkerPool {
    /// Queues a call with its deadline and dispatches what can run.
    func submit(_ call: WorkerCall) {
        guard !state.value.closed else {
            call.finish(.failure(failure(operation(call), .unavailable, "the skill's workers are shutting down")))
            return
        }
        call.deadline = loop.scheduleTask(in: TimeAmount(timeout)) { [self] in deadlinePassed(call) }
        state.value.queue.append(call)
        dispatch()
    }

    /// Gives queued calls to idle workers, oldest first.
    func dispatch() {
        while let first = state.value.queue.first {
            if first.isFinished {
                state.value.queue.removeFirst()
                continue
            }
            guard let index = state.value.slots.firstIndex(where: { if case .idle = $0.phase { true } else { false } }),
                let worker = state.value.slots[index].live()
            else { return }
            let call = state.value.queue.removeFirst()
            state.value.slots[index].phase = .busy(worker, call)
            var buffer = worker.channel.allocator.buffer(capacity: WorkerFrame.headerSize + call.frame.payload.count)
            call.frame.write(to: &buffer)
            worker.channel.writeAndFlush(buffer).whenFailure { [self] _ in retire(index, generation: worker.generation) }
        }
    }

    /// A call's deadline: a queued call fails; a running one fails and its worker is killed.
    func deadlinePassed(_ call: WorkerCall) {
        guard !call.isFinished else { return }
        let limit = "\(timeout)"
        for index in state.value.slots.indices {
            guard case .busy(let worker, let running) = state.value.slots[index].phase, running === call else { continue }
            call.finish(
                .failure(
                    failure(operation(call), .workerTimedOut, "the call ran past its deadline of \(limit); its worker was killed and is being replaced")))
            state.value.slots[index].killedForTimeout = true
            retire(index, generation: worker.generation)
            return
        }
        call.finish(.failure(failure(operation(call), .workerTimedOut, "no worker was free within the deadline of \(limit)")))
    }

    /// A frame from the worker in slot `index`.
    func received(_ frame: WorkerFrame, slot index: Int, generation: Int) {
        guard let worker = state.value.slots[index].live(generation) else { return }
        if frame.kind == .dying {
            state.value.slots[index].outOfMemory = frame.payload.first == 1
            return
        }
        guard case .busy(_, let call) = state.value.slots[index].phase, [.reply, .replyText, .noReply, .score, .failed].contains(frame.kind) else {
            logger.warning("skill worker sent an unexpected frame", metadata: ["pid": "\(worker.pid)", "frame": "\(frame.kind)"])
            retire(index, generation: generation)
            return
        }
        call.finish(.success(frame))
        state.value.slots[index].deaths = 0
        state.value.slots[index].phase = .idle(worker)
        if state.value.closed {
            worker.channel.close(mode: .output, promise: nil)
        } else {
            dispatch()
        }
    }

    /// Takes the worker in slot `index` out of service (dead, late or misbehaving): closes its
    /// pipes, kills it, and reaps it on a thread of its own.
    func retire(_ index: Int, generation: Int) {
        guard let worker = state.value.slots[index].live(generation) else { return }
        var call: WorkerCall?
        if case .busy(_, let running) = state.value.slots[index].phase { call = running }
        state.value.slots[index].phase = .dying(worker, call)
        worker.channel.close(promise: nil)
        kill(worker.pid, SIGKILL)
        let pid = worker.pid
        blocking { WorkerLauncher.reap(pid) }.whenSuccess { [self] exit in reaped(exit, slot: index, generation: generation) }
    }

    /// A worker was reaped: its call fails, the death is counted, and a replacement is scheduled.
    func reaped(_ exit: WorkerExit, slot index: Int, generation: Int) {
        guard case .dying(let worker, let call) = state.value.slots[index].phase, worker.generation == generation else { return }
        let slot = state.value.slots[index]
        let reason = WorkerRestartReason.classify(exit, killedForTimeout: slot.killedForTimeout, reportedOutOfMemory: slot.outOfMemory)
        let cause = reason == .memory ? "ran out of memory (\(exit))" : "died (\(exit))"
        call?.finish(.failure(failure(operation(call), .workerDied, "its worker process \(cause) during the call; it is being replaced")))
        guard !state.value.closed else {
            state.value.slots[index].phase = .stopped
            return
        }
        died(slot: index, reason: reason, pid: worker.pid, detail: "\(exit)")
    }

    /// Counts a death in slot `index` and schedules the next start after the back-off.
    func died(slot index: Int, reason: WorkerRestartReason, pid: pid_t?, detail: String) {
        metrics.increment(.skillWorkerRestarts, [.skill: name, .reason: reason.rawValue])
        state.value.slots[index].deaths += 1
        let delay = backoff.delay(afterDeaths: state.value.slots[index].deaths)
        logger.warning(
            "skill worker died; replacing it",
            metadata: [
                "reason": "\(reason.rawValue)", "exit": "\(detail)", "pid": "\(pid.map { "\($0)" } ?? "-")", "restart_in": "\(delay)",
            ])
        state.value.slots[index].phase = .waiting
        loop.scheduleTask(in: TimeAmount(delay)) { [self] in restart(slot: index) }
    }

    /// Starts a replacement in slot `index` (the spawn and handshake block, on a thread of their own).
    func restart(slot index: Int) {
        guard case .waiting = state.value.slots[index].phase else { return }
        guard !state.value.closed else {
            state.value.slots[index].phase = .stopped
            return
        }
        state.value.slots[index].phase = .starting
        let launcher = self.launcher
        blocking { () -> Result<SpawnedWorker, WorkerStartFailure> in
            do throws(WorkerStartFailure) { return .success(try launcher.launch()) } catch { return .failure(error) }
        }.whenSuccess { [self] result in
            switch result {
            case .success(let worker):
                attach(worker, to: index)
            case .failure(let failure):
                let reason: WorkerRestartReason =
                    switch failure {
                    case .died(let exit, let outOfMemory): .classify(exit, killedForTimeout: false, reportedOutOfMemory: outOfMemory)
                    case .timedOut: .timeout
                    case .refused, .broken: .crash
                    }
                if state.value.closed {
                    state.value.slots[index].phase = .stopped
                } else {
                    died(slot: index, reason: reason, pid: nil, detail: "\(failure)")
                }
            }
        }
    }

    /// Makes a started worker's pipes a channel on the pool's loop and puts it to work.
    func attach(_ worker: SpawnedWorker, to index: Int) {
        guard !state.value.closed else {
            state.value.slots[index].phase = .stopped
            blocking { Self.discard(worker) }
            return
        }
        state.value.nextGeneration += 1
        let generation = state.value.nextGeneration
        NIOPipeBootstrap(group: loop)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WorkerFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        WorkerChannelHandler(
                            onFrame: { [self] frame in received(frame, slot: index, generation: generation) },
                            onEnd: { [self] in retire(index, generation: generation) }))
                }
            }
            .takingOwnershipOfDescriptors(input: worker.fromWorker, output: worker.toWorker)
            .whenComplete { [self] result in
                state.value.slots[index].outOfMemory = false
                state.value.slots[index].killedForTimeout = false
                switch result {
                case .success(let channel):
                    state.value.slots[index].phase = .idle(LiveWorker(pid: worker.pid, channel: channel, generation: generation))
                    if !channel.isActive || state.value.closed {
                        if state.value.closed { channel.close(mode: .output, promise: nil) } else { retire(index, generation: generation) }
                        return
                    }
                    dispatch()
                case .failure(let error):
                    blocking { Self.discard(worker) }
                    died(slot: index, reason: .crash, pid: worker.pid, detail: "its pipes cannot be watched: \(error)")
                }
            }
    }

    /// Closes the pool: queued calls fail, idle workers are told to exit, and whatever still
    /// runs after `grace` is killed.
    func close(grace: Duration) {
        guard !state.value.closed else { return }
        state.value.closed = true
        while let call = state.value.queue.popFirst() {
            call.finish(.failure(failure(operation(call), .unavailable, "the skill's workers are shutting down")))
        }
        for index in state.value.slots.indices {
            switch state.value.slots[index].phase {
            case .idle(let worker): worker.channel.close(mode: .output, promise: nil)
            case .waiting: state.value.slots[index].phase = .stopped
            default: break
            }
        }
        loop.scheduleTask(in: TimeAmount(grace)) { [self] in
            for index in state.value.slots.indices {
                if let worker = state.value.slots[index].live() { retire(index, generation: worker.generation) }
            }
        }
    }

    private func operation(_ call: WorkerCall?) -> String { call?.frame.kind == .detect ? "detect" : "respond" }

    /// Runs blocking work (spawning, reaping) on a thread of its own; the result arrives on the loop.
    @discardableResult
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) -> EventLoopFuture<T> {
        let promise = loop.makePromise(of: T.self)
        Thread { promise.succeed(body()) }.start()
        return promise.futureResult
    }
}
