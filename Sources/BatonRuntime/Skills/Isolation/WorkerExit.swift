#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a worker process ended, from its wait status.
public enum WorkerExit: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    /// Decodes a `waitpid` status.
    /// - Parameter status: the raw status.
    public init(waitStatus status: Int32) {
        let signal = status & 0x7F
        self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// `SIGSEGV`, `exit status 3`...
    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): Self.signalName(signal)
        }
    }

    /// The signal's name (`SIGSEGV`), or `signal N` for one without a common name.
    /// - Parameter signal: the signal number.
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGTRAP: "SIGTRAP"
        case SIGTERM: "SIGTERM"
        case SIGPIPE: "SIGPIPE"
        case SIGXCPU: "SIGXCPU"
        default: "signal \(signal)"
        }
    }
}

/// Why a worker was replaced: the `reason` label of `baton_skill_worker_restarts_total`.
public enum WorkerRestartReason: String, Sendable, CaseIterable {
    /// It died of a signal or exited on its own (a crash, an abort, a `exit()` in the skill).
    case crash
    /// A call ran past its deadline and the runtime killed it.
    case timeout
    /// It ran out of memory: an allocation failed under `memory_limit_mb`, or the kernel's
    /// out-of-memory killer sent it a SIGKILL the runtime did not send.
    case memory

    /// Classifies one death.
    /// - Parameters:
    ///   - exit: how the process ended.
    ///   - killedForTimeout: whether the runtime killed it at a call's deadline.
    ///   - reportedOutOfMemory: whether its signal handler said an allocation had failed.
    public static func classify(_ exit: WorkerExit, killedForTimeout: Bool, reportedOutOfMemory: Bool) -> WorkerRestartReason {
        if killedForTimeout { return .timeout }
        if reportedOutOfMemory { return .memory }
        if exit == .signaled(SIGKILL) { return .memory }
        return .crash
    }
}

/// The wait before a dead worker's replacement starts: `base * 2^(deaths-1)`, at most `cap`.
/// A worker that answers a call resets its slot's count.
public struct WorkerBackoff: Sendable, Equatable {
    /// The first wait.
    public var base: Duration
    /// The longest wait.
    public var cap: Duration

    /// - Parameters:
    ///   - base: the first wait (default 50 ms).
    ///   - cap: the longest (default 5 s).
    public init(base: Duration = .milliseconds(50), cap: Duration = .seconds(5)) {
        (self.base, self.cap) = (base, cap)
    }

    /// The wait after `deaths` deaths in a row (1 or more).
    public func delay(afterDeaths deaths: Int) -> Duration {
        let doublings = min(max(deaths, 1) - 1, 30)
        let delay = base * (1 << doublings)
        return delay < cap ? delay : cap
    }
}
