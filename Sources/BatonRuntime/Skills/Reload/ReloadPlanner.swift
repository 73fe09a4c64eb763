import BatonSkills
import Foundation
import Logging

/// Works out the new members of each app's ``SkillSet`` for a reload: keeps the unchanged,
/// loads the new and changed from content-addressed copies, keeps the old member of an entry
/// whose new version fails. Blocking (child-process checks, `dlopen`, `create`, worker
/// starts): run it on a thread pool.
struct ReloadPlanner: Sendable {
    /// One app and its `skills:` entries as the file says now.
    struct Target: Sendable {
        var app: HostedAppRuntime
        var entries: [BatonConfiguration.Skill]
        /// `apps[1].` or "".
        var keyPrefix: String
    }

    /// The outcome for one app, ready to swap in.
    struct Plan: Sendable {
        var app: HostedAppRuntime
        /// The members in the new file's order.
        var members: [SkillSet.Member] = []
        /// Old members no longer serving: destroy them once their calls ended.
        var retired: [SkillSet.Member] = []
        /// Names of the skills whose entry left the file.
        var removed: [String] = []
        var outcomes: [SkillReloadSummary.Outcome] = []
        /// What to log once the new members serve.
        var lines: [(level: Logger.Level, text: String)] = []
    }

    let libraries: SkillLibraries
    let copies: LibraryCopies
    let logLevel: Logger.Level
    let metrics: RuntimeMetrics
    let logger: Logger

    /// One app's work in progress.
    private struct Work {
        var target: Target
        var old: [SkillSet.Member]
        var used: [Bool]
        var slots: [SkillSet.Member?]
        var contents: [Result<LibraryContent, LibraryReadFailure>]
        /// Each entry's outcome, in file order.
        var outcomes: [SkillReloadSummary.Outcome?]
        var plan: Plan
    }

    /// The plans of every target.
    func plan(_ targets: [Target]) -> [Plan] {
        var works = targets.map(keepUnchanged)
        forgetReplaceableNames(works)
        for index in works.indices { loadChanged(&works[index]) }
        let plans = works.map(finish)
        registerServingNames(plans)
        return plans
    }

    /// First pass: entries whose configuration and library content did not change keep their member.
    private func keepUnchanged(_ target: Target) -> Work {
        let old = target.app.skills.members
        var work = Work(
            target: target, old: old, used: Array(repeating: false, count: old.count),
            slots: Array(repeating: nil, count: target.entries.count),
            contents: target.entries.map { entry in Result { () throws(LibraryReadFailure) in try LibraryContent(path: entry.libraryPath) }
            },
            outcomes: Array(repeating: nil, count: target.entries.count), plan: Plan(app: target.app))
        for (index, entry) in target.entries.enumerated() {
            guard case .success(let content) = work.contents[index] else { continue }
            guard
                let kept = old.indices.first(where: {
                    !work.used[$0] && old[$0].origin == SkillOrigin(entry: entry, digest: content.digest)
                })
            else { continue }
            work.used[kept] = true
            work.slots[index] = old[kept]
            work.outcomes[index] = .init(
                app: target.app.app.name, key: "\(target.keyPrefix)skills[\(index)]", skill: old[kept].name, result: .unchanged,
                version: servingVersion(old[kept].instance))
        }
        return work
    }

    /// The loader refuses a second library with a name it holds: a new version of a skill
    /// must load while the old one still serves, so the names of old in-process skills that
    /// no kept member uses are forgotten first (and registered again at the end if they
    /// still serve).
    private func forgetReplaceableNames(_ works: [Work]) {
        var kept = Set<ObjectIdentifier>()
        for work in works {
            for member in work.slots.compactMap({ $0 }) {
                if let instance = member.instance as? SkillInstance { kept.insert(ObjectIdentifier(instance.skill)) }
            }
        }
        for work in works {
            for (index, member) in work.old.enumerated() where !work.used[index] {
                guard let skill = (member.instance as? SkillInstance)?.skill, !kept.contains(ObjectIdentifier(skill)) else { continue }
                if libraries.loader.loadedSkills[skill.name] === skill { libraries.loader.unregister(name: skill.name) }
            }
        }
    }

    /// Second pass: every other entry is checked and loaded from a copy of its library.
    private func loadChanged(_ work: inout Work) {
        for (index, entry) in work.target.entries.enumerated() where work.slots[index] == nil {
            let key = "\(work.target.keyPrefix)skills[\(index)]"
            let old = work.old
            let used = work.used
            let previous = old.indices.first { !used[$0] && old[$0].origin?.libraryPath == entry.libraryPath }
            let built: Result<any SkillEndpoint, ConfigurationError>
            let shown: String
            switch work.contents[index] {
            case .success(let content):
                shown = "\(entry.libraryPath) (sha256 \(content.digest))"
                built = load(entry, content: content, key: key, shown: shown)
            case .failure(let failure):
                shown = entry.libraryPath
                built = .failure(ConfigurationError(key: key, failure.message))
            }
            switch built {
            case .success(let endpoint):
                var made = SkillSet.Entry(
                    endpoint, timeout: .milliseconds(entry.timeoutMilliseconds), escalation: entry.escalation, threshold: entry.threshold)
                if case .success(let content) = work.contents[index] { made = made.from(entry, digest: content.digest) }
                work.slots[index] = work.target.app.skills.makeMember(made)
                if let previous { work.used[previous] = true }
                let version = servingVersion(endpoint)
                work.outcomes[index] = .init(
                    app: work.target.app.app.name, key: key, skill: endpoint.name, result: .loaded, version: version)
                work.plan.lines.append((.notice, "skill serving: \(endpoint.name) \(version) (\(key): \(shown))"))
            case .failure(let error):
                let name = previous.map { old[$0].name } ?? entry.name ?? URL(fileURLWithPath: entry.libraryPath).lastPathComponent
                var version: String?
                var after = "it does not serve"
                if let previous {
                    work.used[previous] = true
                    work.slots[index] = old[previous]
                    version = servingVersion(old[previous].instance)
                    after = "\(old[previous].name) \(version ?? "") keeps serving"
                }
                work.outcomes[index] = .init(
                    app: work.target.app.app.name, key: key, skill: name, result: .refused, version: version, reason: error.description)
                work.plan.lines.append((.error, "skill reload refused: \(error); \(after)"))
            }
        }
    }

    /// Copies the library, then makes its endpoint from the copy as at start-up: checked in a
    /// child process and loaded here, or started in workers, or bound through libffi.
    private func load(_ entry: BatonConfiguration.Skill, content: LibraryContent, key: String, shown: String) -> Result<
        any SkillEndpoint, ConfigurationError
    > {
        var loading: BatonConfiguration.Skill
        let copy: String
        do {
            (loading, copy) = try copies.pin(entry, content: content)
        } catch {
            return .failure(ConfigurationError(key: key, error.message))
        }
        loading.isOptional = false
        do throws(ConfigurationError) {
            guard
                let endpoint = try SkillEndpoints.make(
                    loading, key: key, libraries: libraries, logLevel: logLevel, metrics: metrics, logger: logger)
            else { return .failure(ConfigurationError(key: key, "did not start")) }
            return .success(endpoint)
        } catch {
            // Messages name the configured file (with its digest), not the copy; the start-up
            // wording about `baton serve` does not apply to a running one.
            var problem = error.problem.replacingOccurrences(of: copy, with: shown)
            for ending in ["; baton serve will not start with it"] where problem.hasSuffix(ending) { problem.removeLast(ending.count) }
            return .failure(ConfigurationError(key: error.key, problem))
        }
    }

    /// The plan of a finished work: members in file order, the rest retired.
    private func finish(_ work: Work) -> Plan {
        var plan = work.plan
        plan.members = work.slots.compactMap { $0 }
        plan.outcomes = work.outcomes.compactMap { $0 }
        let replaced = Set(work.old.indices.filter { work.used[$0] })
        let serving = Set(plan.members.map { ObjectIdentifier($0.breaker) })
        for (index, member) in work.old.enumerated() where !serving.contains(ObjectIdentifier(member.breaker)) {
            plan.retired.append(member)
            // Used but not serving: replaced by a new version. Unused: its entry left the file.
            if !replaced.contains(index) {
                plan.removed.append(member.name)
                plan.lines.append((.notice, "skill removed: \(member.name) \(servingVersion(member.instance)) (its entry left skills:)"))
            }
        }
        return plan
    }

    /// Registers the names of the in-process skills that serve now, again where a reload
    /// forgot them.
    private func registerServingNames(_ plans: [Plan]) {
        for plan in plans {
            for member in plan.members {
                guard let skill = (member.instance as? SkillInstance)?.skill, !libraries.loader.register(skill) else { continue }
                logger.warning("skill \(skill.name) from \(skill.path) serves while another library of that name is loaded")
            }
        }
    }
}
