import BatonCore
import BatonSkills
import CBatonSystem
import Foundation
import Logging
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The worker side of process isolation, run by `baton skill host`: loads one skill from the
/// `start` frame on standard input, answers `ready`, then serves `respond` and `detect` frames
/// one at a time on the main thread until standard input ends (docs/skill-isolation.md).
///
/// The frames keep the original standard input and output; the skill itself sees `/dev/null`
/// as its standard input and the runtime's standard error as its standard output, so its own
/// `printf` cannot break the framing.
public enum WorkerHost {
    /// How long the worker lingers after the runtime went away while a call still runs.
    static let orphanGrace: UInt32 = 2

    /// Serves until standard input ends; returns the process's exit status.
    /// - Parameter logger: where the skill's and the worker's logs go (standard error).
    public static func run(logger: Logger) -> Int32 {
        let frames = FrameChannel.takeStandardStreams()
        WorkerCrashReport.install(frameOutput: frames.output)
        watchForOrphaning(frames.input)
        let start: WorkerStart
        do {
            let frame = try FrameIO.read(frames.input)
            guard frame.kind == .start, let decoded = try? JSONDecoder().decode(WorkerStart.self, from: Data(frame.payload)) else {
                logger.error("skill host: the first frame was not a valid start frame")
                return 2
            }
            start = decoded
        } catch { return error == .endOfStream ? 0 : 2 }

        var logger = logger
        logger[metadataKey: "worker"] = "\(getpid())"
        if let cpu = start.cpu {
            let failure = baton_pin_to_cpu(Int32(clamping: cpu))
            if failure != 0 { logger.warning("cannot bind the worker to worker_cpu", metadata: ["cpu": "\(cpu)", "errno": "\(failure)"]) }
        }
        let loader = SkillLoader(logger: logger, threadPool: idlePool)
        let hosted: HostedSkill
        do {
            hosted = try HostedSkill.load(start, loader: loader, logger: logger)
            FrameIO.write(WorkerFrame(.ready, Array((try? JSONEncoder().encode(hosted.ready)) ?? Data())), to: frames.output)
        } catch {
            FrameIO.write(WorkerFrame(.refused, text: error.line), to: frames.output)
            return 0
        }
        if !start.probe { serve(hosted, frames, spin: start.spinMicroseconds.map { .microseconds($0) } ?? FrameIO.spinWindow) }
        hosted.destroy()
        loader.shutdown()
        return 0
    }

    /// Answers calls until standard input ends. A call's payload is a ``BatonSkills/PackedSkillInput``,
    /// handed to the skill without parsing its document. After each answer the worker checks for
    /// the next call for `spin` before it sleeps.
    private static func serve(_ hosted: HostedSkill, _ frames: FrameChannel, spin: Duration) {
        let encoder = JSONEncoder()
        while let frame = try? FrameIO.read(frames.input, spin: spin) {
            let answer: WorkerFrame
            do throws(SkillCallError) {
                let input = PackedSkillInput(bytes: frame.payload)
                switch frame.kind {
                case .respond: answer = try respond(hosted, input, encoder)
                case .detect: answer = try detect(hosted, input)
                default:
                    throw SkillCallError(.unavailable, skill: hosted.ready.name, operation: "\(frame.kind)", status: -1, message: "unknown frame")
                }
            } catch {
                answer = WorkerFrame(.failed, Array((try? encoder.encode(WorkerFailure(error))) ?? Data()))
            }
            guard FrameIO.write(answer, to: frames.output) else { return }
        }
    }

    private static func respond(_ hosted: HostedSkill, _ input: PackedSkillInput, _ encoder: JSONEncoder) throws(SkillCallError) -> WorkerFrame {
        errno = 0
        guard let reply = try hosted.respond(input) else { return WorkerFrame(.noReply) }
        if case .text(let text) = reply.body, reply.quickReplies.isEmpty { return WorkerFrame(.replyText, text: text) }
        guard let json = try? encoder.encode(reply) else {
            throw SkillCallError(.invalidOutput, skill: hosted.ready.name, operation: "respond", status: -1, message: "the reply does not encode")
        }
        return WorkerFrame(.reply, Array(json))
    }

    private static func detect(_ hosted: HostedSkill, _ input: PackedSkillInput) throws(SkillCallError) -> WorkerFrame {
        errno = 0
        let score = try hosted.detect(input)
        let bits = score.score.bitPattern
        var payload = (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) }
        payload += Array(score.reason.utf8)
        return WorkerFrame(.score, payload)
    }

    /// A thread that ends the worker `orphanGrace` seconds after the runtime closed its end of
    /// the frame pipe, should a call that never returns keep the main thread from noticing.
    private static func watchForOrphaning(_ input: Int32) {
        let thread = Thread {
            var entry = pollfd(fd: input, events: 0, revents: 0)
            while poll(&entry, 1, -1) < 0 && errno == EINTR {}
            sleep(orphanGrace)
            _exit(0)
        }
        thread.start()
    }

    /// The loader wants a pool for async calls; the worker calls on its main thread and never
    /// starts it (so it has no threads).
    private static let idlePool = NIOThreadPool(numberOfThreads: 1)
}

/// The worker's frame streams: duplicates of the original standard input (made non-blocking
/// for ``FrameIO``) and output.
struct FrameChannel {
    let input: Int32
    let output: Int32

    /// Moves the frames off descriptors 0 and 1, which become `/dev/null` and standard error.
    static func takeStandardStreams() -> FrameChannel {
        let input = fcntl(0, F_DUPFD_CLOEXEC, 3)
        let output = fcntl(1, F_DUPFD_CLOEXEC, 3)
        FrameIO.makeNonBlocking(input)
        let null = open("/dev/null", O_RDONLY)
        if null >= 0 {
            dup2(null, 0)
            close(null)
        }
        dup2(2, 1)
        return FrameChannel(input: input, output: output)
    }
}
