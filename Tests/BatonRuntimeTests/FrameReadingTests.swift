@testable import BatonRuntime
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Frames read from a real non-blocking pipe, as a worker and the runtime read them: exactly one
/// frame per read, pieces that arrive apart, the stream's end, deadlines.
@Suite("Process isolation: reading frames from a pipe")
struct FrameReadingTests {
    /// A pipe whose read end is non-blocking.
    struct Pipe {
        let read: Int32
        let write: Int32

        init() throws {
            var fds: [Int32] = [-1, -1]
            try #require(Glibc.pipe(&fds) == 0)
            (read, write) = (fds[0], fds[1])
            try #require(FrameIO.makeNonBlocking(read))
        }

        func send(_ bytes: [UInt8]) { Self.send(bytes, to: write) }

        static func send(_ bytes: [UInt8], to fd: Int32) {
            #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
        }

        /// Closes the write end only (the reader then meets the stream's end).
        func closeWriteEnd() { Glibc.close(write) }

        /// Closes both ends, or only the read end after ``closeWriteEnd()``.
        func close(writeEndToo: Bool = true) {
            Glibc.close(read)
            if writeEndToo { Glibc.close(write) }
        }
    }

    @Test func eachReadTakesOneFrameAndLeavesTheNextInThePipe() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let first = WorkerFrame(.replyText, text: "hello")
        let second = WorkerFrame(.score, [1, 2, 3])
        pipe.send(first.bytes + second.bytes + WorkerFrame(.noReply).bytes)
        #expect(try FrameIO.read(pipe.read, deadline: .now + .seconds(5)) == first)
        #expect(try FrameIO.read(pipe.read, deadline: .now + .seconds(5)) == second)
        #expect(try FrameIO.read(pipe.read, deadline: .now + .seconds(5), spin: .microseconds(50)) == WorkerFrame(.noReply))
        var empty = PartialFrame()
        #expect(try empty.readAvailable(from: pipe.read) == nil, "an empty pipe is nothing yet, not an error")
    }

    @Test func aFrameThatArrivesInPiecesIsAssembledWithoutWaiting() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let frame = WorkerFrame(.reply, Array("{\"text\":\"a longer answer\"}".utf8))
        let bytes = frame.bytes
        var partial = PartialFrame()
        // Two bytes of the header, then the rest of it and part of the payload, then the rest.
        for piece in [bytes[0..<2], bytes[2..<9], bytes[9...]] {
            #expect(try partial.readAvailable(from: pipe.read) == nil)
            pipe.send(Array(piece))
        }
        #expect(try partial.readAvailable(from: pipe.read) == frame)
        #expect(try partial.readAvailable(from: pipe.read) == frame, "a whole frame stays whole")
    }

    @Test func theStreamsEndIsCleanBetweenFramesAndBrokenInsideOne() throws {
        let clean = try Pipe()
        defer { clean.close(writeEndToo: false) }
        clean.send(WorkerFrame(.noReply).bytes)
        clean.closeWriteEnd()
        #expect(try FrameIO.read(clean.read, deadline: .now + .seconds(5)) == WorkerFrame(.noReply))
        #expect(throws: FrameIO.ReadFailure.endOfStream) { try FrameIO.read(clean.read, deadline: .now + .seconds(5)) }

        let cut = try Pipe()
        defer { cut.close(writeEndToo: false) }
        cut.send(Array(WorkerFrame(.replyText, text: "cut short").bytes.prefix(8)))
        cut.closeWriteEnd()
        var partial = PartialFrame()
        #expect(throws: FrameIO.ReadFailure.broken(.truncated)) { try partial.readAvailable(from: cut.read) }
        #expect(throws: FrameIO.ReadFailure.broken(.truncated), "the failure is met again") { try partial.readAvailable(from: cut.read) }

        let huge = try Pipe()
        defer { huge.close() }
        huge.send([0x7F, 0, 0, 0, 0x20])
        #expect(throws: FrameIO.ReadFailure.broken(.tooLong(0x7F00_0000))) { try FrameIO.read(huge.read, deadline: .now + .seconds(5)) }
    }

    @Test func aReadWaitsForTheRestUntilItsDeadline() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        pipe.send(Array(WorkerFrame(.replyText, text: "never finished").bytes.prefix(6)))
        let start = ContinuousClock.now
        #expect(throws: FrameIO.ReadFailure.timedOut) {
            try FrameIO.read(pipe.read, deadline: start + .milliseconds(200), spin: .microseconds(100))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(200))

        // A frame finished by another thread while the reader sleeps in poll is read whole.
        let late = try Pipe()
        defer { late.close() }
        let frame = WorkerFrame(.replyText, text: "late")
        late.send(Array(frame.bytes.prefix(3)))
        let (rest, fd) = (Array(frame.bytes.dropFirst(3)), late.write)
        let writer = Thread { Pipe.send(rest, to: fd) }
        var started = PartialFrame()
        #expect(try started.readAvailable(from: late.read) == nil)
        writer.start()
        #expect(try FrameIO.finish(&started, from: late.read, deadline: .now + .seconds(10)) == frame)
    }
}
