import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The worker's last words: on a fatal signal it writes a `dying` frame (whether the failed
/// call's `errno` says an allocation failed, and the signal), then dies of that signal as it
/// would have. The runtime counts such a death as `memory` rather than `crash`.
enum WorkerCrashReport {
    /// Where the frame goes; set once, before the handler is installed.
    nonisolated(unsafe) private static var frameOutput: Int32 = -1

    /// The signals a skill's bug ends a process with.
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP]

    /// Installs the handler, on an alternate stack (a stack overflow still reports).
    /// - Parameter frameOutput: the frame stream's descriptor.
    static func install(frameOutput: Int32) {
        Self.frameOutput = frameOutput
        let size = 256 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
        sigemptyset(&action.sa_mask)
        for signal in fatalSignals { sigaction(signal, &action, nil) }
    }

    /// Async-signal-safe: reads `errno`, writes 7 bytes, raises the signal again (it is
    /// delivered at its default action once the handler returns).
    private static let handler: @convention(c) (Int32) -> Void = { signal in
        let cause: UInt8 = errno == ENOMEM ? 1 : 0
        var frame: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 2, 0x7F, cause, UInt8(truncatingIfNeeded: signal))
        _ = withUnsafeBytes(of: &frame) { bytes in write(WorkerCrashReport.frameOutput, bytes.baseAddress, bytes.count) }
        raise(signal)
    }
}

/// `memory_limit_mb` in the worker: `RLIMIT_AS` set to the address space the worker already
/// has (the runtime's code, the skill's library) plus the limit, before `create`. An allocation
/// past it fails inside the worker, which then usually dies; its `dying` frame says why.
enum MemoryLimit {
    /// Applies the limit to this process.
    /// - Parameters:
    ///   - megabytes: the MiB the skill may add.
    ///   - logger: where the resulting limit is logged.
    static func apply(addingMegabytes megabytes: Int, logger: Logger) {
        let baseline = currentAddressSpace()
        let limit = baseline.addingReportingOverflow(UInt64(max(0, megabytes)) << 20)
        let bytes = limit.overflow ? UInt64.max : limit.partialValue
        var value = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        if setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &value) != 0 {
            logger.warning("cannot apply memory_limit_mb", metadata: ["errno": "\(errno)"])
            return
        }
        logger.debug(
            "memory limit applied", metadata: ["baseline_mb": "\(baseline >> 20)", "limit_mb": "\(bytes >> 20)"])
    }

    /// This process's address space in bytes (`/proc/self/statm`'s first field); 0 when unknown.
    static func currentAddressSpace() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").first.flatMap({ UInt64($0) })
        else { return 0 }
        return pages.multipliedReportingOverflow(by: UInt64(sysconf(Int32(_SC_PAGESIZE)))).partialValue
    }
}
