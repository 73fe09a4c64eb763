import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A child process for tests, with the part of Foundation's `Process` they use, started with
/// `posix_spawn` and every descriptor from 3 up closed in the child.
///
/// Foundation's `Process.run()` on Linux reads `/proc/self/fd` to find what to close, copying
/// each `dirent`'s whole 256-byte name: with about 1,400 descriptors open (the full suite's
/// parallel loads) a copy ran past the end of the directory buffer and the test process died
/// of SIGSEGV inside `Process.run()`. This one never reads that directory.
public final class ChildProcess: Sendable {
    private struct State {
        var pid: pid_t = 0
        var status: Int32?
        var handler: (@Sendable (ChildProcess) -> Void)?
    }

    /// The executable.
    public let executableURL: URL
    /// The arguments, without the executable.
    public let arguments: [String]
    /// The environment (nil: this process's).
    public let environment: [String: String]?
    /// The working directory (nil: this process's).
    public let currentDirectoryURL: URL?
    private let state = Mutex(State())
    private let exited = Mutex<[CheckedContinuation<Void, Never>]>([])

    /// - Parameters:
    ///   - executableURL: the executable.
    ///   - arguments: its arguments.
    ///   - environment: its environment (nil: this process's).
    ///   - currentDirectoryURL: its working directory (nil: this process's).
    public init(executableURL: URL, arguments: [String], environment: [String: String]? = nil, currentDirectoryURL: URL? = nil) {
        (self.executableURL, self.arguments, self.environment, self.currentDirectoryURL) = (
            executableURL, arguments, environment, currentDirectoryURL
        )
    }

    /// Starts the child with `standardOutput` and `standardError` as its descriptors 1 and 2
    /// (nil: `/dev/null`) and `/dev/null` as its standard input; a thread reaps it.
    /// - Parameters:
    ///   - standardOutput: a descriptor of this process (it stays open here).
    ///   - standardError: likewise.
    ///   - terminationHandler: called once on the reaping thread when the child ended.
    public func run(standardOutput: Int32? = nil, standardError: Int32? = nil, terminationHandler: (@Sendable (ChildProcess) -> Void)? = nil)
        throws
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput { posix_spawn_file_actions_adddup2(&actions, standardOutput, 1) } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if let standardError { posix_spawn_file_actions_adddup2(&actions, standardError, 2) } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if let currentDirectoryURL {
            guard let addChdir = Self.addChdir else { throw TestSupportError("posix_spawn_file_actions_addchdir_np is missing") }
            _ = addChdir(&actions, currentDirectoryURL.path)
        }
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let environment = self.environment ?? ProcessInfo.processInfo.environment
        let argv = ([executableURL.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executableURL.path, &actions, &attributes, argv, envp)
        guard status == 0 else { throw TestSupportError("cannot start \(executableURL.path): \(String(cString: strerror(status)))") }
        state.withLock {
            $0.pid = pid
            $0.handler = terminationHandler
        }
        Thread { [self, pid] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            let handler = state.withLock { state in
                state.status = raw
                return state.handler
            }
            for continuation in exited.withLock({ waiting in defer { waiting = [] }; return waiting }) { continuation.resume() }
            handler?(self)
        }.start()
    }

    /// The child's pid (0 before ``run(standardOutput:standardError:terminationHandler:)``).
    public var processIdentifier: Int32 { state.withLock { $0.pid } }

    /// Whether it was started and has not been reaped yet.
    public var isRunning: Bool { state.withLock { $0.pid != 0 && $0.status == nil } }

    /// Its exit status, or the signal that ended it (as Foundation's `Process` reports them).
    public var terminationStatus: Int32 {
        let raw = state.withLock { $0.status } ?? 0
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
    }

    /// Whether it exited or a signal ended it.
    public var terminationReason: Process.TerminationReason {
        (state.withLock { $0.status } ?? 0) & 0x7F == 0 ? .exit : .uncaughtSignal
    }

    /// Sends SIGTERM.
    public func terminate() { signal(SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { signal(SIGINT) }

    /// Sends `number` to the child while it has not been reaped.
    public func signal(_ number: Int32) {
        state.withLock { state in
            if state.pid != 0 && state.status == nil { kill(state.pid, number) }
        }
    }

    /// Waits (suspended) until the child was reaped.
    public func exit() async {
        await withCheckedContinuation { continuation in
            let done = exited.withLock { waiting -> Bool in
                if !isRunning { return true }
                waiting.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Blocks until the child was reaped (for synchronous helpers, never on Swift's pool).
    public func waitUntilExit() {
        while isRunning { usleep(2_000) }
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), looked up at run time.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32).self)
    }()

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }()
}
