import Synchronization

/// Runs `body` in a task of its own and returns its result, or nil as soon as `timeout`
/// passes or the calling task is cancelled. The body is then *abandoned*, not awaited: a
/// skill call blocked in native code cannot be interrupted, so it keeps its thread until
/// it returns and its result is dropped. (A task group would wait for it at the end of
/// its scope, which is exactly what a deadline must not do.)
func abandoning<T: Sendable>(after timeout: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    let outcome = ResumeOnce<T?>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            outcome.install(continuation)
            let timer = Task {
                // Only a sleep that ran its course resumes: the timer is cancelled when
                // the body finished, and that must not count as a timeout.
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                outcome.resume(with: nil)
            }
            Task {
                let value = await body()
                outcome.resume(with: value)
                timer.cancel()
            }
        }
    } onCancel: {
        outcome.resume(with: nil)
    }
}

/// A continuation resumed by whichever of several racers comes first, whether the
/// continuation is installed before or after that.
final class ResumeOnce<Value: Sendable>: Sendable {
    private enum Phase {
        case waiting
        case installed(CheckedContinuation<Value, Never>)
        case finished(Value)
        case resumed
    }

    private let phase = Mutex<Phase>(.waiting)

    func install(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = phase.withLock { phase in
            switch phase {
            case .waiting:
                phase = .installed(continuation)
                return nil
            case .finished(let value):
                phase = .resumed
                return value
            case .installed, .resumed:
                return nil
            }
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(with value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = phase.withLock { phase in
            switch phase {
            case .waiting:
                phase = .finished(value)
                return nil
            case .installed(let continuation):
                phase = .resumed
                return continuation
            case .finished, .resumed:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }
}
