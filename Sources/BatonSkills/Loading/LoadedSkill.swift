import CBatonSkill
import Logging
import NIOPosix
import Synchronization

/// A skill whose library is loaded and whose descriptor was checked. Its library is
/// never unloaded.
public final class LoadedSkill: Sendable {
    /// The unique name from the descriptor.
    public let name: String
    /// The free-form version from the descriptor.
    public let version: String
    /// The one-line description, if the skill gave one.
    public let description: String?
    /// Responder, detector or both.
    public let kind: SkillKind
    /// Whether `respond`/`detect` may run concurrently on one instance
    /// (`BATON_SKILL_CAP_THREAD_SAFE`).
    public let isThreadSafe: Bool
    /// The raw `BATON_SKILL_CAP_*` bits.
    public let capabilities: UInt64
    /// The ABI minor the skill was built against (major is always 1).
    public let abiMinor: UInt32
    /// The library's path as given to the loader.
    public let path: String

    /// The copied 1.0 descriptor: its function pointers.
    nonisolated(unsafe) let functions: baton_skill
    /// This skill's host table.
    nonisolated(unsafe) let host: UnsafePointer<baton_host>
    /// Logs under the skill's name.
    let logger: Logger
    /// Where `respond` and `detect` run.
    let threadPool: NIOThreadPool
    private let didShutdown = Mutex(false)

    init(
        descriptor: SkillDescriptor, path: String, host: UnsafePointer<baton_host>, logger: Logger,
        threadPool: NIOThreadPool
    ) {
        self.name = descriptor.name
        self.version = descriptor.version
        self.description = descriptor.description
        self.kind = descriptor.kind
        self.capabilities = descriptor.capabilities
        self.isThreadSafe = descriptor.capabilities & UInt64(BATON_SKILL_CAP_THREAD_SAFE) != 0
        self.abiMinor = descriptor.abiMinor
        self.path = path
        self.functions = descriptor.raw
        self.host = host
        self.logger = logger
        self.threadPool = threadPool
    }

    /// Makes an instance with `create`, on the calling (control) thread.
    /// - Parameter configJSON: the operator's configuration, a JSON object.
    /// - Returns: the instance; call ``SkillInstance/destroy()`` when done with it.
    /// - Throws: ``SkillLoadError`` with code `createFailed` when the configuration is
    ///   not a JSON object or `create` returns NULL (with the skill's `set_error` text).
    public func makeInstance(configJSON: String = "{}") throws(SkillLoadError) -> SkillInstance {
        guard JSONCheck.isObject(configJSON) else {
            throw SkillLoadError(path: path, code: .createFailed, message: "configuration is not a JSON object")
        }
        guard let create = functions.create else {
            throw SkillLoadError(path: path, code: .createFailed, message: "descriptor create is NULL")
        }
        let context = CallContext(operation: .create, fields: nil)
        let handle = CallRegistry.register(context)
        var config = configJSON
        let instance = ControlThread.run {
            config.withUTF8 { bytes in
                create(host, BatonStr.borrow(bytes), handle)
            }
        }
        CallRegistry.unregister(handle)
        let outcome = context.close()
        guard let instance else {
            let reason = outcome.error.flatMap { $0.isEmpty ? nil : $0 }
            throw SkillLoadError(
                path: path, code: .createFailed,
                message: reason.map { "create returned NULL: \($0)" } ?? "create returned NULL", skillReason: reason)
        }
        logger.debug("created instance")
        return SkillInstance(skill: self, instance: instance)
    }

    /// Calls the skill's `shutdown`, once; later calls do nothing.
    func shutdown() {
        let first = didShutdown.withLock { done in
            defer { done = true }
            return !done
        }
        guard first, let shutdown = functions.shutdown else { return }
        ControlThread.run { shutdown() }
    }
}
