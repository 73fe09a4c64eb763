import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A worker process that loaded its skill and answered `ready`, with the runtime's ends of
/// its pipes (the runtime owns them now).
struct SpawnedWorker: Sendable {
    /// The worker's process id; reap it with `waitpid` once it is done.
    let pid: pid_t
    /// Where frames to the worker go (its standard input).
    let toWorker: Int32
    /// Where its frames come from (its standard output).
    let fromWorker: Int32
    /// What it serves.
    let ready: WorkerReady
}

/// Why a skill worker process did not become ready.
public enum WorkerStartFailure: Error, Equatable, CustomStringConvertible {
    /// The library or `create` refused, in the loader's own words (`skill PATH: ...`).
    case refused(String)
    /// The process died first (`outOfMemory`: its signal handler said an allocation failed).
    case died(WorkerExit, outOfMemory: Bool)
    /// It did not answer within the start-up time; it was killed.
    case timedOut(Duration)
    /// It could not be started at all, or answered something else than `ready` or `refused`.
    case broken(String)

    /// One line: the refusal, or `crashed while loading (SIGSEGV)`...
    public var description: String {
        switch self {
        case .refused(let line): line
        case .died(let exit, let outOfMemory): "crashed while loading (\(exit)\(outOfMemory ? ", out of memory" : ""))"
        case .timedOut(let limit): "did not finish loading within \(limit)"
        case .broken(let why): why
        }
    }
}

/// Starts `baton skill host` processes for one skill: spawns, sends `start`, waits for `ready`.
/// Blocking: call it at start-up or on a thread pool, never on an event loop.
struct WorkerLauncher: Sendable {
    /// The `baton` executable.
    var executable: String
    /// What each worker loads.
    var start: WorkerStart
    /// The level the worker logs at (on the runtime's standard error).
    var logLevel: Logger.Level = .info
    /// How long loading, `create` and the `ready` answer may take.
    var startTimeout: Duration = .seconds(10)

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; Swift's Glibc
    /// module does not import it): closes every descriptor from the given one in the child.
    static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }()

    /// Starts one worker and waits for its `ready`.
    /// - Parameter probe: start it as a start-up check (it exits after `destroy`).
    func launch(probe: Bool = false) throws(WorkerStartFailure) -> SpawnedWorker {
        _ = Self.ignoreSIGPIPE
        Self.spawning.lock()
        let request: [Int32]
        let reply: [Int32]
        let pid: pid_t
        do {
            defer { Self.spawning.unlock() }
            request = try Self.pipe()
            do { reply = try Self.pipe() } catch {
                for fd in request { close(fd) }
                throw error
            }
            FrameIO.makeNonBlocking(reply[0])
            do { pid = try spawn(stdin: request[0], stdout: reply[1]) } catch {
                for fd in request + reply { close(fd) }
                throw error
            }
            close(request[0])
            close(reply[1])
        }
        var start = self.start
        start.probe = probe
        let payload = (try? JSONEncoder().encode(start)).map { Array($0) } ?? []
        FrameIO.write(WorkerFrame(.start, payload), to: request[1])
        do {
            let ready = try handshake(pid: pid, from: reply[0])
            return SpawnedWorker(pid: pid, toWorker: request[1], fromWorker: reply[0], ready: ready)
        } catch {
            close(request[1])
            close(reply[0])
            throw error
        }
    }

    /// Reads frames until `ready`; on anything else the worker is killed (if need be) and reaped.
    private func handshake(pid: pid_t, from fd: Int32) throws(WorkerStartFailure) -> WorkerReady {
        let deadline = ContinuousClock.now + startTimeout
        var outOfMemory = false
        while true {
            let frame: WorkerFrame
            do { frame = try FrameIO.read(fd, deadline: deadline) } catch {
                if error == .timedOut {
                    kill(pid, SIGKILL)
                    _ = Self.reap(pid)
                    throw .timedOut(startTimeout)
                }
                kill(pid, SIGKILL)
                throw .died(Self.reap(pid), outOfMemory: outOfMemory)
            }
            switch frame.kind {
            case .ready:
                if let ready = try? JSONDecoder().decode(WorkerReady.self, from: Data(frame.payload)) { return ready }
                kill(pid, SIGKILL)
                _ = Self.reap(pid)
                throw .broken("the worker's ready frame is not valid JSON")
            case .refused:
                _ = Self.reap(pid)  // it exits on its own after refusing
                throw .refused(frame.text)
            case .dying:
                outOfMemory = frame.payload.first == 1
            default:
                kill(pid, SIGKILL)
                _ = Self.reap(pid)
                throw .broken("the worker answered \(frame.kind) to start")
            }
        }
    }

    /// `posix_spawn` of `executable skill host`, with `stdin`/`stdout` as its standard input and
    /// output, every signal at its default, and a process group of its own (a terminal's Ctrl-C
    /// goes to `baton serve`, which then stops its workers itself).
    private func spawn(stdin: Int32, stdout: Int32) throws(WorkerStartFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        // Nothing else of this process crosses over: SwiftNIO's sockets are not close-on-exec,
        // and a worker holding the HTTP listener (or a client connection, or the database)
        // would keep the port bound and connections open after the runtime let them go.
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
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let arguments = [executable, "skill", "host", "--log-level", logLevel.rawValue]
        // Swift's crash backtracer would keep a crashing worker alive for seconds.
        let environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw .broken("cannot start \(executable): \(String(cString: strerror(status)))") }
        return pid
    }

    /// Waits for `pid` to end (blocking) and says how it ended.
    static func reap(_ pid: pid_t) -> WorkerExit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        return WorkerExit(waitStatus: status)
    }

    /// Held from making a worker's pipes to closing the child's ends: the pipes are made
    /// close-on-exec in two steps, and no other worker may be spawned in between (it would
    /// inherit them, and keep a pipe open after its worker is gone).
    private static let spawning = NSLock()

    /// A pipe whose ends are closed on exec.
    private static func pipe() throws(WorkerStartFailure) -> [Int32] {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw .broken("cannot make a pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fds
    }

    /// A write to a dead worker's pipe must fail with EPIPE, not kill the runtime.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}
