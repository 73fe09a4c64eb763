#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking frame reads and writes on a file descriptor: the worker's standard input and
/// output, and the runtime's side of a worker's pipes during its start-up handshake (before
/// the pipes become an event-loop channel). Never used on an event loop.
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

    /// Reads one frame from `fd`, waiting at most until `deadline` (nil: for ever).
    static func read(_ fd: Int32, deadline: ContinuousClock.Instant? = nil) throws(ReadFailure) -> WorkerFrame {
        var header = [UInt8](repeating: 0, count: WorkerFrame.headerSize)
        let got = try fill(&header, from: fd, deadline: deadline)
        if got == 0 { throw .endOfStream }
        guard got == header.count else { throw .broken(.truncated) }
        let announced = UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3])
        guard let length = WorkerFrame.payloadLength(announced) else { throw .broken(.tooLong(Int(announced))) }
        var payload = [UInt8](repeating: 0, count: length)
        guard try fill(&payload, from: fd, deadline: deadline) == length else { throw .broken(.truncated) }
        return WorkerFrame(WorkerFrame.Kind(rawValue: header[4]), payload)
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
