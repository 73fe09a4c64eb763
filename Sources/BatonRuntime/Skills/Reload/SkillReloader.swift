import BatonSkills
import Logging
import NIOPosix

/// Reloads the `skills:` sections of a running runtime (SIGHUP): an entry whose configuration
/// and library content are unchanged keeps its instance; a new or changed one is copied to a
/// content-addressed path, checked as at start-up (in a child process first), loaded from the
/// copy and put in place of the old one at once. Calls in flight finish on the old instances,
/// which are destroyed once those calls ended (libraries are never `dlclose`d). A version that
/// fails its checks is refused with one log line and the old one keeps serving.
///
/// One reload runs at a time; loading (blocking) runs on NIO's blocking thread pool.
actor SkillReloader {
    let libraries: SkillLibraries
    let copies: LibraryCopies
    let metrics: RuntimeMetrics
    let logger: Logger
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - libraries: the libraries the runtime loaded (a reload loads its copies through them).
    ///   - copies: where content-addressed copies go.
    ///   - metrics: where `baton_skill_reloads_total` counts.
    ///   - logger: the runtime's logger.
    init(libraries: SkillLibraries, copies: LibraryCopies, metrics: RuntimeMetrics, logger: Logger) {
        (self.libraries, self.copies, self.metrics, self.logger) = (libraries, copies, metrics, logger)
    }

    /// Applies the `skills:` sections of `new` to `apps` (matched by name; other sections are
    /// compared with `running` and only reported).
    /// - Parameters:
    ///   - apps: the hosted apps' runtimes.
    ///   - new: the configuration file as read now.
    ///   - running: the configuration the runtime started with.
    /// - Returns: what happened to each entry.
    func reload(apps: [HostedAppRuntime], from new: BatonConfiguration, running: BatonConfiguration) async -> SkillReloadSummary {
        await acquire()
        defer { release() }
        var summary = SkillReloadSummary()
        summary.needsRestart = ReloadComparison.sectionsOutsideSkills(changedFrom: running, to: new)
        if !summary.needsRestart.isEmpty {
            let sections = summary.needsRestart.joined(separator: ", ")
            logger.warning("configuration changed outside skills: (\(sections)): it takes a restart; only skills: is reloaded")
        }
        let newApps = new.hostedApps
        var targets: [ReloadPlanner.Target] = []
        for app in apps {
            guard let index = newApps.firstIndex(where: { $0.name == app.app.name }) else { continue }
            targets.append(.init(app: app, entries: newApps[index].skills, keyPrefix: new.hostsSeveralApps ? "apps[\(index)]." : ""))
        }
        let planner = ReloadPlanner(libraries: libraries, copies: copies, logLevel: new.logLevel, metrics: metrics, logger: logger)
        let plans: [ReloadPlanner.Plan]
        do {
            plans = try await NIOThreadPool.singleton.runIfActive { [targets] in planner.plan(targets) }
        } catch {
            logger.error("skill reload refused: \(error); the running skills keep serving")
            return summary
        }
        for plan in plans {
            let old = plan.app.skills.replaceMembers(with: plan.members)
            retire(plan.retired, of: old, in: plan.app.skills)
            summary.outcomes += plan.outcomes
            summary.removed += plan.removed
        }
        report(summary, plans)
        return summary
    }

    /// Logs what the reload did (a line per skill that starts serving, a line per refusal, a
    /// line per removal, then a summary) and counts it.
    private func report(_ summary: SkillReloadSummary, _ plans: [ReloadPlanner.Plan]) {
        for plan in plans {
            for line in plan.lines { logger.log(level: line.level, "\(line.text)") }
        }
        for outcome in summary.outcomes {
            metrics.increment(.skillReloads, [.skill: outcome.skill, .result: outcome.result.rawValue])
        }
        logger.notice("skills reloaded: \(summary)")
    }

    /// Destroys `members` once no call uses `old` (or after every call's deadline passed).
    private nonisolated func retire(_ members: [SkillSet.Member], of old: SkillSet.Snapshot, in skills: SkillSet) {
        guard !members.isEmpty else { return }
        // A message asks every detector, then the responders one after the other.
        let bound = old.all.reduce(Duration.seconds(1)) { $0 + $1.timeout }
        let logger = logger
        Task {
            if await !skills.waitUntilUnused(old, atMost: bound) {
                logger.warning("calls to the replaced skills still run after \(bound); destroying what is idle")
            }
            _ = try? await NIOThreadPool.singleton.runIfActive {
                for member in members {
                    let destroyed = member.instance.destroy(waitingAtMost: .seconds(2))
                    let note = destroyed ? "" : " (a call still runs: not destroyed)"
                    logger.notice("skill retired: \(member.name) \(servingVersion(member.instance))\(note)")
                }
            }
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
