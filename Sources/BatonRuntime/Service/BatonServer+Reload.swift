import Logging
import ServiceLifecycle
import UnixSignals

extension BatonServer {
    /// Reloads the skills of `configuration` (its top-level and per-app `skills:`), as SIGHUP
    /// does: an entry whose configuration and library content (SHA-256) are unchanged keeps
    /// serving as it is; a new or changed one is copied to a content-addressed path, checked as
    /// at start-up, loaded from the copy and takes the new messages while calls in flight finish
    /// on the old one. A version that fails its checks is refused with one log line and the old
    /// one keeps serving. Other sections that changed are reported (they take a restart).
    ///
    /// Reloads run one at a time.
    /// - Parameter configuration: the configuration file as read now.
    /// - Returns: what happened to each entry; also logged and counted in `baton_skill_reloads_total`.
    @discardableResult
    public func reloadSkills(from configuration: BatonConfiguration) async -> SkillReloadSummary {
        await reloader.reload(apps: apps, from: configuration, running: self.configuration)
    }

    /// Reads the configuration with `load`, then reloads its skills; a file that does not read
    /// is refused in one line and nothing changes.
    func reloadSkills(loading load: @Sendable () throws(ConfigurationError) -> BatonConfiguration) async {
        logger.notice("SIGHUP: reloading skills")
        let configuration: BatonConfiguration
        do { configuration = try load() } catch {
            logger.error("skill reload refused: \(error); the running skills keep serving")
            return
        }
        await reloadSkills(from: configuration)
    }
}

/// Reloads skills on every SIGHUP until a graceful shutdown begins.
struct SkillReloadService: Service {
    /// SIGHUP, trapped before the server starts serving (so a SIGHUP then cannot end the process).
    let signals: UnixSignalsSequence
    let server: BatonServer
    /// Reads the configuration file again.
    let load: @Sendable () throws(ConfigurationError) -> BatonConfiguration

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await server.reloadSkills(loading: load)
        }
    }
}
