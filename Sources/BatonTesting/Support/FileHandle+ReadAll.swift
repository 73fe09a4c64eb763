public import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension FileHandle {
    /// Reads until end of file, retrying reads a signal interrupted (`EINTR`).
    ///
    /// Foundation's `readDataToEndOfFile()` traps on `EINTR` (a `try!` inside): in a process
    /// that handles signals (SIGHUP for reloads, SIGCHLD for worker processes) a pipe read can
    /// be interrupted at any time.
    public func readAllRetryingInterrupts() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
