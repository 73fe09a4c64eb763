#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Frame reads and writes on a file descriptor: the worker's standard input and output, and
/// the runtime's side of a worker's pipes. Reads need a non-blocking descriptor
/// (``makeNonBlocking(_:)``): they take what is there and wait with `poll` only when nothing is.
/// ``read(_:deadline:spin:)`` and ``finish(_:from:deadline:spin:)`` block, ``spin(_:from:for:)``
/// and ``write(_:to:)`` (a write of at most `PIPE_BUF` bytes to an empty pipe) do not: only the
/// latter two run on Swift's cooperative pool.
enum FrameIO {
    /// How a read ended without a frame.
    enum ReadFailure: Error, Equatable {
        /// The stream ended (cleanly, between frames).
        case endOfStream
        /// `deadline` passed first.
        case timedOut
        /// The peer broke the framing.
        case broken(WorkerFrameError)
        /// `read` or `poll` failed with this errno.
        case system(Int32)
    }

    /// How long a reader that expects a frame soon checks for it without sleeping, before it
    /// blocks: the runtime after sending a call, a worker after answering one (the next call
    /// often follows at once under load). Waking a process that sleeps on a pipe costs about
    /// 70 µs at p50 on this project's 2-core VM (a C pipe ping-pong: 69 µs p50, 160 µs p99
    /// blocking; 1.7 µs p50, 2.4 µs p99 checking), more than a fast skill's whole call. At most
    /// this much CPU is spent per frame; then the reader sleeps as before. (A window of 50 µs
    /// missed too often here: 84 µs p50 for the isolated echo against 24 µs with 100 µs.)
    static let spinWindow: Duration = .microseconds(100)

    /// Sets `O_NONBLOCK` on `fd`, which every descriptor these functions read from needs.
    /// - Returns: false when `fcntl` failed.
    @discardableResult
    static func makeNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
    }

    /// Reads one frame from `fd`, waiting at most until `deadline` (nil: for ever), checking
    /// without sleeping for the first `spin` of the wait.
    static func read(_ fd: Int32, deadline: ContinuousClock.Instant? = nil, spin: Duration = .zero) throws(ReadFailure) -> WorkerFrame {
        var frame = PartialFrame()
        return try finish(&frame, from: fd, deadline: deadline, spin: spin)
    }

    /// Reads the rest of `frame` from `fd`, waiting at most until `deadline` (nil: for ever),
    /// checking without sleeping for the first `spin` of the wait.
    static func finish(_ frame: inout PartialFrame, from fd: Int32, deadline: ContinuousClock.Instant?, spin: Duration = .zero)
        throws(ReadFailure) -> WorkerFrame
    {
        if spin > .zero, let whole = try self.spin(&frame, from: fd, for: spin) { return whole }
        while true {
            if let whole = try frame.readAvailable(from: fd) { return whole }
            try wait(fd, until: deadline)
        }
    }

    /// Reads `frame` from `fd` for up to `window` without sleeping: a `read` that finds nothing
    /// yields the CPU before the next. Never blocks.
    /// - Returns: the frame once whole; nil when the window passed first.
    static func spin(_ frame: inout PartialFrame, from fd: Int32, for window: Duration) throws(ReadFailure) -> WorkerFrame? {
        let end = ContinuousClock.now + window
        repeat {
            if let whole = try frame.readAvailable(from: fd) { return whole }
            sched_yield()
        } while ContinuousClock.now < end
        return nil
    }

    /// Writes `frame` whole to `fd`.
    /// - Returns: false when the peer is gone (or `write` failed otherwise).
    @discardableResult
    static func write(_ frame: WorkerFrame, to fd: Int32) -> Bool {
        let bytes = frame.bytes
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Waits until `fd` is readable (or hung up), or throws `timedOut` at `deadline` (nil: for ever).
    private static func wait(_ fd: Int32, until deadline: ContinuousClock.Instant?) throws(ReadFailure) {
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { throw .timedOut }
                milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw .system(errno) }
        }
    }
}

/// libc's `write`, which `FrameIO.write` hides inside the enum.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
