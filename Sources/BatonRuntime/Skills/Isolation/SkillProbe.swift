import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The start-up check of a library that will run in the runtime's own process: a child
/// (`baton skill host`, probe mode) loads it, calls its entry, `create` with the entry's
/// configuration and `destroy`, so that a crash there costs the child, and `baton serve` can
/// exit 2 with one line naming the file and the signal instead of dying of it.
enum SkillProbe {
    /// Libraries that passed in this process, by file identity and configuration: each is
    /// checked once (tests start many runtimes on the same libraries).
    private static let passed = Mutex<Set<Key>>([])

    private struct Key: Hashable {
        var path: String
        var device: Int
        var inode: Int
        var size: Int
        var modified: Double
        var config: String
    }

    /// Checks `path` in a child process.
    /// - Parameters:
    ///   - path: the library.
    ///   - configJSON: the entry's configuration, for `create`.
    ///   - launcher: starts the child.
    /// - Returns: the problem as one line (`skill PATH crashed while loading (SIGSEGV)`), or nil
    ///   when the child survived. A clean refusal (a failed ABI check, `create` returning NULL)
    ///   is nil too: loading it in this process reports the same refusal, safely.
    static func check(path: String, configJSON: String, launcher: WorkerLauncher) -> String? {
        let key = identity(path, configJSON)
        if let key, passed.withLock({ $0.contains(key) }) { return nil }
        let worker: SpawnedWorker
        do {
            worker = try launcher.launch(probe: true)
        } catch {
            if case .refused = error { return nil }
            return "skill \(path) \(error)"
        }
        // The child destroys the instance and exits on its own; wait for the end of its output.
        close(worker.toWorker)
        let ending = Result { () throws(FrameIO.ReadFailure) in
            while true { _ = try FrameIO.read(worker.fromWorker, deadline: ContinuousClock.now + launcher.startTimeout) }
        }
        close(worker.fromWorker)
        if case .failure(.timedOut) = ending { kill(worker.pid, SIGKILL) }
        let exit = WorkerLauncher.reap(worker.pid)
        guard exit == .exited(0) else { return "skill \(path) crashed in destroy (\(exit))" }
        if let key { _ = passed.withLock { $0.insert(key) } }
        return nil
    }

    private static func identity(_ path: String, _ config: String) -> Key? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue,
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
        else { return nil }
        let device = (attributes[.deviceIdentifier] as? NSNumber)?.intValue ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? 0
        return Key(path: path, device: device, inode: inode, size: size, modified: modified, config: config)
    }
}
