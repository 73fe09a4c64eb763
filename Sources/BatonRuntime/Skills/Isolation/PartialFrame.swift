#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A frame being read from a non-blocking descriptor: its header, then its payload, as the
/// bytes arrive. Reading never waits, and takes exactly the frame's bytes (the next frame stays
/// in the pipe): a header and a payload that are there cost one `read` each, and a look at an
/// empty pipe one `read` that answers `EAGAIN`.
///
/// A reader that must not block (a call on Swift's cooperative pool) starts a frame; a thread
/// that may block finishes it with ``FrameIO/finish(_:from:deadline:spin:)``.
struct PartialFrame {
    private var header = [UInt8](repeating: 0, count: WorkerFrame.headerSize)
    private var headerCount = 0
    private var kind: WorkerFrame.Kind?
    private var payload: [UInt8] = []
    private var payloadCount = 0
    /// A failure already met: the stream is not read past it.
    private var failure: FrameIO.ReadFailure?

    /// Reads what `fd` holds of the frame, never waiting.
    /// - Returns: the frame once it is whole; nil while more is to come.
    /// - Throws: `endOfStream` when the stream ended before the frame's first byte, `broken`
    ///   when it ended inside the frame or the header announced too long a payload, `system`
    ///   when `read` failed. The same failure again on every later call.
    mutating func readAvailable(from fd: Int32) throws(FrameIO.ReadFailure) -> WorkerFrame? {
        if let failure { throw failure }
        do throws(FrameIO.ReadFailure) {
            while headerCount < header.count {
                guard let got = try Self.read(fd, into: &header, at: headerCount) else { return nil }
                guard got > 0 else { throw headerCount == 0 ? .endOfStream : .broken(.truncated) }
                headerCount += got
            }
            if kind == nil { try parseHeader() }
            while payloadCount < payload.count {
                guard let got = try Self.read(fd, into: &payload, at: payloadCount) else { return nil }
                guard got > 0 else { throw .broken(.truncated) }
                payloadCount += got
            }
        } catch {
            failure = error
            throw error
        }
        return kind.map { WorkerFrame($0, payload) }
    }

    private mutating func parseHeader() throws(FrameIO.ReadFailure) {
        let announced = UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3])
        guard let length = WorkerFrame.payloadLength(announced) else { throw .broken(.tooLong(Int(announced))) }
        kind = WorkerFrame.Kind(rawValue: header[4])
        payload = [UInt8](repeating: 0, count: length)
    }

    /// One `read` into `buffer` from `offset`: the count (0 at the end of the stream), or nil
    /// when nothing is there yet.
    private static func read(_ fd: Int32, into buffer: inout [UInt8], at offset: Int) throws(FrameIO.ReadFailure) -> Int? {
        while true {
            let got = buffer.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress! + offset, raw.count - offset) }
            if got >= 0 { return got }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw .system(errno)
            }
        }
    }
}

/// libc's `read`, which ``PartialFrame`` hides inside the struct.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
