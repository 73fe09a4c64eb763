#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Frame reads and writes on a file descriptor: the worker's standard input and output, and
/// the runtime's side of a worker's pipes. They block (except ``readAvailable(_:)``): never
/// used on an event loop.
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

    /// Reads one frame from `fd`, waiting at most until `deadline` (nil: for ever), checking
    /// without sleeping for the first `spin` of the wait.
    static func read(_ fd: Int32, deadline: ContinuousClock.Instant? = nil, spin: Duration = .zero) throws(ReadFailure) -> WorkerFrame {
        if spin > .zero {
            awaitReadable(fd, for: spin)
            // Most often the whole frame is there by now: take it without waiting (no more polls).
            switch readAvailable(fd) {
            case .frame(let frame): return frame
            case .header(let kind, let length): return try readPayload(fd, kind: kind, length: length, deadline: deadline)
            case .failed(let failure): throw failure
            case .nothing: break
            }
        }
        var header = [UInt8](repeating: 0, count: WorkerFrame.headerSize)
        let got = try fill(&header, from: fd, deadline: deadline)
        if got == 0 { throw .endOfStream }
        guard got == header.count else { throw .broken(.truncated) }
        let (kind, length) = try parse(header)
        return try readPayload(fd, kind: kind, length: length, deadline: deadline)
    }

    /// What ``readAvailable(_:)`` found.
    enum Available {
        /// Less than a header is there (or the peer hung up): nothing was read.
        case nothing
        /// A whole frame.
        case frame(WorkerFrame)
        /// A header whose payload is not all there yet; read it with ``readPayload(_:kind:length:deadline:)``.
        case header(WorkerFrame.Kind, length: Int)
        /// The header is broken.
        case failed(ReadFailure)
    }

    /// Reads what `fd` already holds of the next frame, never waiting: a caller on a thread that
    /// must not block looks here first.
    static func readAvailable(_ fd: Int32) -> Available {
        var available: Int32 = 0
        guard ioctl(fd, UInt(FIONREAD), &available) == 0, available >= Int32(WorkerFrame.headerSize) else { return .nothing }
        var header = [UInt8](repeating: 0, count: WorkerFrame.headerSize)
        do throws(ReadFailure) {
            guard try fill(&header, from: fd, deadline: nil) == header.count else { return .failed(.broken(.truncated)) }
            let (kind, length) = try parse(header)
            guard Int(available) - header.count >= length else { return .header(kind, length: length) }
            return .frame(try readPayload(fd, kind: kind, length: length, deadline: nil))
        } catch {
            return .failed(error)
        }
    }

    /// Reads the `length` bytes of a frame whose header was read, waiting at most until `deadline`.
    static func readPayload(_ fd: Int32, kind: WorkerFrame.Kind, length: Int, deadline: ContinuousClock.Instant?) throws(ReadFailure)
        -> WorkerFrame
    {
        var payload = [UInt8](repeating: 0, count: length)
        guard try fill(&payload, from: fd, deadline: deadline) == length else { throw .broken(.truncated) }
        return WorkerFrame(kind, payload)
    }

    /// The type and payload length of a header.
    private static func parse(_ header: [UInt8]) throws(ReadFailure) -> (WorkerFrame.Kind, Int) {
        let announced = UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3])
        guard let length = WorkerFrame.payloadLength(announced) else { throw .broken(.tooLong(Int(announced))) }
        return (WorkerFrame.Kind(rawValue: header[4]), length)
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

    /// Reads until `buffer` is full or the stream ends; returns how many bytes were read.
    private static func fill(_ buffer: inout [UInt8], from fd: Int32, deadline: ContinuousClock.Instant?) throws(ReadFailure) -> Int {
        var count = 0
        while count < buffer.count {
            if let deadline { try wait(fd, until: deadline) }
            let got = buffer.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress! + count, raw.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .system(errno)
            }
            if got == 0 { return count }
            count += got
        }
        return count
    }

    /// Checks `fd` without sleeping (`poll` with no timeout, yielding the CPU between checks)
    /// until it is readable or hung up, or `window` passed.
    static func awaitReadable(_ fd: Int32, for window: Duration) {
        let end = ContinuousClock.now + window
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        repeat {
            if poll(&entry, 1, 0) != 0 { return }
            sched_yield()
        } while ContinuousClock.now < end
    }

    /// Waits until `fd` is readable (or hung up), or throws `timedOut` at `deadline`.
    private static func wait(_ fd: Int32, until deadline: ContinuousClock.Instant) throws(ReadFailure) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw .timedOut }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw .system(errno) }
        }
    }
}

/// libc's `read`, which `FrameIO.read` hides inside the enum.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
/// libc's `write`, which `FrameIO.write` hides inside the enum.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
