import BatonSkills
import Foundation
import Logging

/// Makes the ``BatonSkills/SkillEndpoint`` of one `skills:` library entry: an instance in this
/// process (after a start-up check in a child process) or a ``WorkerPool``.
enum SkillEndpoints {
    /// The endpoint of `skill`, or nil when it failed at start-up and is `skills_optional`
    /// (one warning line says why).
    /// - Parameters:
    ///   - skill: the entry.
    ///   - key: its key in the file (`skills[0]`, `apps[1].skills[0]`).
    ///   - libraries: the libraries loaded in this process.
    ///   - logLevel: the level workers log at.
    ///   - metrics: where worker restarts are counted.
    ///   - logger: the runtime's logger.
    ///   - original: the configured file, when `skill` names a content-addressed copy of it: lines
    ///     about the entry name the configured file, not the copy.
    /// - Throws: ``ConfigurationError`` naming `key` and the file: `baton serve` exits 2 with it.
    static func make(
        _ skill: BatonConfiguration.Skill, key: String, libraries: SkillLibraries, logLevel: Logger.Level, metrics: RuntimeMetrics,
        logger: Logger, copyOf original: String? = nil
    ) throws(ConfigurationError) -> (any SkillEndpoint)? {
        if skill.isolation == .inProcess {
            if skill.workers != 1 { throw ConfigurationError(key: "\(key).workers", "applies to isolation: process only") }
            if skill.memoryLimitMB != nil { throw ConfigurationError(key: "\(key).memory_limit_mb", "applies to isolation: process only") }
            if skill.workerSpinMicroseconds != nil { throw ConfigurationError(key: "\(key).worker_spin_us", "applies to isolation: process only") }
            if skill.workerCPU != nil { throw ConfigurationError(key: "\(key).worker_cpu", "applies to isolation: process only") }
        }
        do {
            return try endpoint(skill, key: key, libraries: libraries, logLevel: logLevel, metrics: metrics, logger: logger)
        } catch var error {
            if let original { error.problem = error.problem.replacingOccurrences(of: skill.libraryPath, with: original) }
            guard skill.isOptional else {
                throw ConfigurationError(key: error.key, error.problem + (error.crashed ? "; baton serve will not start with it" : ""))
            }
            logger.warning("config \(error.key): \(error.problem); starting without it (skills_optional: true)")
            return nil
        }
    }

    /// Why an entry did not start: a refusal, or a crash (or hang) of the child that checked it.
    private struct Failure: Error {
        var key: String
        var problem: String
        var crashed = false
    }

    private static func endpoint(
        _ skill: BatonConfiguration.Skill, key: String, libraries: SkillLibraries, logLevel: Logger.Level, metrics: RuntimeMetrics,
        logger: Logger
    ) throws(Failure) -> any SkillEndpoint {
        var start = WorkerStart(path: skill.path, config: skill.configJSON, memoryLimitMB: skill.memoryLimitMB)
        (start.spinMicroseconds, start.cpu) = (skill.workerSpinMicroseconds, skill.workerCPU)
        if let ffi = skill.ffi, let kind = skill.kind {
            start.path = ffi.library
            start.function = WorkerFunction(prototype: ffi.prototype, kind: kind, name: skill.name)
        }
        let executable = SkillHostExecutable.path
        switch skill.isolation {
        case .process:
            guard let executable else {
                throw Failure(
                    key: "\(key).isolation", problem: "process needs the baton executable, which was not found: set \(SkillHostExecutable.environmentVariable)")
            }
            let launcher = WorkerLauncher(executable: executable, start: start, logLevel: logLevel)
            do {
                return try WorkerPool(
                    launcher: launcher, workers: skill.workers, timeout: .milliseconds(skill.timeoutMilliseconds),
                    threadPool: libraries.loader.threadPool, metrics: metrics, logger: logger)
            } catch {
                guard case .refused(let line) = error else { throw Failure(key: key, problem: "skill \(start.path) \(error)", crashed: true) }
                // A function's refusal names the key it is about: `ffi.library: ...` or `ffi.function: ...`.
                for suffix in ["ffi.library", "ffi.function"] where line.hasPrefix(suffix + ": ") {
                    throw Failure(key: "\(key).\(suffix)", problem: String(line.dropFirst(suffix.count + 2)))
                }
                throw Failure(key: key, problem: line)
            }
        case .inProcess where skill.ffi != nil:
            do { return try libraries.bindFunction(skill, key: key) } catch { throw Failure(key: error.key, problem: error.problem) }
        case .inProcess:
            if let executable {
                // The check's own "loaded skill" would repeat the one this process logs next.
                let launcher = WorkerLauncher(executable: executable, start: start, logLevel: max(logLevel, .warning))
                if let problem = SkillProbe.check(path: skill.path, configJSON: skill.configJSON, launcher: launcher) {
                    throw Failure(key: key, problem: problem, crashed: true)
                }
            } else {
                logger.debug("no baton executable to check skills in a child process", metadata: ["skill": "\(skill.path)"])
            }
            do {
                return try libraries.load(path: skill.path).makeInstance(configJSON: skill.configJSON)
            } catch {
                throw Failure(key: key, problem: "\(error)")
            }
        }
    }
}
