import BatonCore
import BatonSkills
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a worker process serves: an ABI skill's instance, or a plain C function bound
/// through libffi (an `ffi:` entry). Both are called on the worker's main thread.
enum HostedSkill {
    case instance(SkillInstance)
    case function(FFISkill)

    /// Why the worker refused its `start`: one line, sent in the `refused` frame.
    struct Refusal: Error {
        /// For an ABI skill, the loader's own words (`skill PATH: ...`); for a function,
        /// `ffi.library: ...` or `ffi.function: ...`, naming the key the runtime reports.
        var line: String
    }

    /// Loads what `start` names, applies its memory limit once loading is done, and makes the
    /// instance (an ABI skill's `create` runs under the limit).
    static func load(_ start: WorkerStart, loader: SkillLoader, logger: Logger) throws(Refusal) -> HostedSkill {
        if let function = start.function {
            let bound: FFISkill
            do throws(FFISkillError) {
                let prototype = try FFIPrototype(parsing: function.prototype)
                bound = try loader.bindFunction(
                    library: start.path, prototype: prototype, kind: SkillKind(rawValue: function.kind), name: function.name)
            } catch {
                throw Refusal(line: "ffi.\(error.code == .notALibrary ? "library" : "function"): \(error.message)")
            }
            if let limit = start.memoryLimitMB { MemoryLimit.apply(addingMegabytes: limit, logger: logger) }
            return .function(bound)
        }
        do throws(SkillLoadError) {
            let skill = try loader.load(path: start.path)
            if let limit = start.memoryLimitMB { MemoryLimit.apply(addingMegabytes: limit, logger: logger) }
            errno = 0
            return .instance(try skill.makeInstance(configJSON: start.config))
        } catch {
            throw Refusal(line: error.description)
        }
    }

    /// The `ready` frame's payload.
    var ready: WorkerReady {
        switch self {
        case .instance(let instance):
            WorkerReady(name: instance.skill.name, version: instance.skill.version, kind: instance.skill.kind.rawValue, pid: getpid())
        case .function(let function):
            WorkerReady(name: function.name, version: "ffi", kind: function.kind.rawValue, pid: getpid())
        }
    }

    /// A reply to the packed input.
    func respond(_ input: PackedSkillInput) throws(SkillCallError) -> ReplyMessage? {
        switch self {
        case .instance(let instance): try instance.respondOnCurrentThread(input)
        case .function(let function): try function.respond(text: Self.text(of: input, function, "respond"))
        }
    }

    /// A score for the packed input.
    func detect(_ input: PackedSkillInput) throws(SkillCallError) -> SkillScore {
        switch self {
        case .instance(let instance): try instance.detectOnCurrentThread(input)
        case .function(let function): try function.detect(text: Self.text(of: input, function, "detect"))
        }
    }

    /// Releases the instance (a function has nothing to release).
    func destroy() {
        switch self {
        case .instance(let instance): instance.destroy()
        case .function(let function): function.destroy(waitingAtMost: nil)
        }
    }

    /// The message text a function gets: empty when the message has none.
    private static func text(of input: PackedSkillInput, _ function: FFISkill, _ operation: String) throws(SkillCallError) -> String {
        do throws(PackedSkillInput.Malformed) {
            return try input.field("message.text") ?? ""
        } catch {
            throw SkillCallError(.unavailable, skill: function.name, operation: operation, status: -1, message: "the packed input is malformed")
        }
    }
}
