import CBatonSkill
import Logging
import NIOPosix
import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Loads skills from shared libraries through the C ABI of `baton/skill.h`.
///
/// Each ``load(path:)`` checks the file, `dlopen`s it with
/// `RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE` (it is never closed), calls
/// `baton_skill_entry_v1` with a host table of its own, checks the descriptor, and
/// refuses a name this loader already holds. `respond` and `detect` of the skills'
/// instances run on `threadPool`, never on the caller's thread or an event loop.
public final class SkillLoader: Sendable {
    let logger: Logger
    /// The pool on which skill calls run (and isolated calls wait for their workers).
    public let threadPool: NIOThreadPool
    private let skills = Mutex<[String: LoadedSkill]>([:])

    /// Creates a loader.
    /// - Parameters:
    ///   - logger: where loads are logged; each skill logs under a copy with its name.
    ///   - threadPool: the started pool on which `respond` and `detect` run.
    public init(logger: Logger, threadPool: NIOThreadPool) {
        self.logger = logger
        self.threadPool = threadPool
    }

    /// The skills loaded so far and not unregistered, by name.
    public var loadedSkills: [String: LoadedSkill] {
        skills.withLock { $0 }
    }

    /// Loads the skill at `path`.
    /// - Parameter path: a shared library from the configuration.
    /// - Returns: the loaded skill, ready for ``LoadedSkill/makeInstance(configJSON:)``.
    /// - Throws: ``SkillLoadError`` with a one-line reason.
    public func load(path: String) throws(SkillLoadError) -> LoadedSkill {
        try LibraryFile.check(path: path)
        let (checked, host) = try ControlThread.run { () throws(SkillLoadError) in
            try openAndDescribe(path: path)
        }
        var skillLogger = logger
        skillLogger[metadataKey: "skill"] = "\(checked.name)"
        HostTables.setLogger(skillLogger, for: host)
        let skill = LoadedSkill(
            descriptor: checked, path: path, host: host, logger: skillLogger, threadPool: threadPool)
        let previous: LoadedSkill? = skills.withLock { skills in
            if let existing = skills[checked.name] { return existing }
            skills[checked.name] = skill
            return nil
        }
        if let previous {
            throw SkillLoadError(
                path: path, code: .duplicateName,
                message: "a skill named \"\(checked.name)\" is already loaded from \(previous.path)")
        }
        logger.info(
            "loaded skill",
            metadata: [
                "skill": "\(checked.name)", "version": "\(checked.version)",
                "abi": "\(BATON_SKILL_ABI_MAJOR).\(checked.abiMinor)", "kind": "\(checked.kind)",
                "path": "\(path)",
            ])
        return skill
    }

    /// Forgets the skill called `name`, so that a new version with that name can load
    /// (from a new path). Its library stays mapped; destroy its instances first.
    /// - Parameter name: the skill's name.
    /// - Returns: the skill that was forgotten, if any.
    @discardableResult
    public func unregister(name: String) -> LoadedSkill? {
        skills.withLock { $0.removeValue(forKey: name) }
    }

    /// Registers `skill` under its name again after ``unregister(name:)``: a reload whose new
    /// version was refused goes on serving the old one.
    /// - Parameter skill: a skill this loader loaded.
    /// - Returns: false when another skill holds the name now (it is left there).
    @discardableResult
    public func register(_ skill: LoadedSkill) -> Bool {
        skills.withLock { skills in
            if let holder = skills[skill.name] { return holder === skill }
            skills[skill.name] = skill
            return true
        }
    }

    /// Calls every loaded skill's `shutdown` once, before the process exits.
    /// Destroy every instance first.
    public func shutdown() {
        for skill in loadedSkills.values {
            skill.shutdown()
        }
    }

    /// `dlopen`, `dlsym` and the entry call, on the control thread.
    private func openAndDescribe(path: String) throws(SkillLoadError) -> (SkillDescriptor, UnsafePointer<baton_host>) {
        _ = dlerror()
        // A name without "/" would make dlopen search the library path instead of
        // opening the file just checked.
        let openPath = path.contains("/") ? path : "./" + path
        guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw SkillLoadError(path: path, code: .notALibrary, message: "dlopen failed: \(Self.lastDLError())")
        }
        // Never dlclose: unloading can crash the host (see ABI.md, "Loading").
        _ = dlerror()
        guard let symbol = dlsym(handle, BATON_SKILL_ENTRY_SYMBOL) else {
            throw SkillLoadError(
                path: path, code: .missingEntry, message: "missing entry symbol \(BATON_SKILL_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: baton_skill_entry_fn.self)
        var pathLogger = logger
        pathLogger[metadataKey: "skill-path"] = "\(path)"
        let host = HostTables.make(logger: pathLogger)
        guard let pointer = entry(host) else {
            throw SkillLoadError(
                path: path, code: .nullDescriptor,
                message: "\(BATON_SKILL_ENTRY_SYMBOL) returned NULL (the skill refused to load)")
        }
        return (try SkillDescriptor(pointer, path: path), host)
    }

    private static func lastDLError() -> String {
        guard let message = dlerror() else { return "unknown error" }
        return String(cString: message)
    }
}

extension SkillLoader {
    /// The checks ``load(path:)`` makes on a library's file before `dlopen`: a readable regular
    /// file that neither its group nor others may write. For callers that load a copy of the
    /// file (hot reload's content-addressed copies) and must hold the original to the same rules.
    /// - Parameter path: the library's path.
    /// - Throws: ``SkillLoadError`` (`fileNotFound`, `notReadable`, `insecurePermissions`).
    public static func checkFile(path: String) throws(SkillLoadError) {
        try LibraryFile.check(path: path)
    }
}
