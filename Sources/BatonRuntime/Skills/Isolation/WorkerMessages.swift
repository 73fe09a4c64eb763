import BatonCore
public import BatonSkills

/// The payload of a `start` frame: what the worker loads and how.
public struct WorkerStart: Codable, Sendable, Equatable {
    /// The skill library's absolute path (for a plain C function, the library that has it).
    public var path: String
    /// A plain C function to bind through libffi instead of loading an ABI skill (an `ffi:` entry).
    public var function: WorkerFunction?
    /// The skill's configuration, a JSON object, for `create`.
    public var config: String
    /// The address space the skill may add to the worker's, in MiB (`RLIMIT_AS`); nil: no limit.
    public var memoryLimitMB: Int?
    /// A start-up check: load, `create`, answer `ready`, `destroy` and exit without serving calls.
    public var probe: Bool
    /// How long (µs) the worker checks for the next call without sleeping after answering one
    /// (`worker_spin_us`); nil: ``FrameIO/spinWindow``.
    public var spinMicroseconds: Int?
    /// The CPU the worker binds itself to (`worker_cpu`); nil: wherever the kernel puts it.
    public var cpu: Int?

    private enum CodingKeys: String, CodingKey {
        case path, config, probe, function, cpu
        case memoryLimitMB = "memory_limit_mb"
        case spinMicroseconds = "spin_us"
    }

    /// - Parameters:
    ///   - path: the library.
    ///   - config: the configuration JSON.
    ///   - memoryLimitMB: the limit, if any.
    ///   - probe: whether this is a start-up check only.
    ///   - function: a plain C function to bind instead of an ABI skill.
    public init(path: String, config: String, memoryLimitMB: Int? = nil, probe: Bool = false, function: WorkerFunction? = nil) {
        (self.path, self.config, self.memoryLimitMB, self.probe, self.function) = (path, config, memoryLimitMB, probe, function)
    }
}

/// A plain C function a worker binds through libffi: the `ffi:` entry's prototype and kind.
public struct WorkerFunction: Codable, Sendable, Equatable {
    /// The C prototype, as written in `ffi.function`.
    public var prototype: String
    /// The raw `BATON_SKILL_KIND_*` bits (responder or detector).
    public var kind: UInt32
    /// The name in logs and metrics (nil: the function's name).
    public var name: String?

    /// - Parameters:
    ///   - prototype: the C prototype.
    ///   - kind: responder or detector.
    ///   - name: the entry's name, if any.
    public init(prototype: String, kind: SkillKind, name: String?) {
        (self.prototype, self.kind, self.name) = (prototype, kind.rawValue, name)
    }
}

/// The payload of a `ready` frame: the skill the worker serves.
public struct WorkerReady: Codable, Sendable, Equatable {
    /// The descriptor's name.
    public var name: String
    /// The descriptor's version.
    public var version: String
    /// The raw `BATON_SKILL_KIND_*` bits.
    public var kind: UInt32
    /// The worker's process id.
    public var pid: Int32

    /// - Parameters:
    ///   - name: the skill's name.
    ///   - version: its version.
    ///   - kind: its kind bits.
    ///   - pid: the worker's pid.
    public init(name: String, version: String, kind: UInt32, pid: Int32) {
        (self.name, self.version, self.kind, self.pid) = (name, version, kind, pid)
    }

    /// The kind as an option set.
    public var skillKind: SkillKind { SkillKind(rawValue: kind) }
}

/// The payload of a `failed` frame: a ``SkillCallError`` without the skill's name.
public struct WorkerFailure: Codable, Sendable, Equatable {
    /// ``SkillCallError/code``'s name.
    public var code: String
    /// The status.
    public var status: Int32
    /// The one-line reason.
    public var message: String

    /// - Parameter error: the error the call threw in the worker.
    public init(_ error: SkillCallError) {
        (code, status, message) = (error.code.name, error.status, error.message)
    }

    /// The error again, named after `skill`.
    /// - Parameters:
    ///   - skill: the skill's name.
    ///   - operation: `respond` or `detect`.
    public func error(skill: String, operation: String) -> SkillCallError {
        SkillCallError(.init(code), skill: skill, operation: operation, status: status, message: message)
    }
}
