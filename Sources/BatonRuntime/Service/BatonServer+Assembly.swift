import AsyncHTTPClient
import BatonCore
import BatonGraph
import BatonSkills
import BatonStore
import Foundation
import Logging
import NIOPosix

/// The parts a ``BatonServer`` is assembled from, each built from its section of the configuration.
extension BatonServer {
    /// Opens the store `storage.url` names.
    static func openStore(_ location: StorageLocation) async throws -> any BatonStore {
        switch location {
        case .sqlite(let path):
            return try await SQLiteStore(path: path)
        case .postgres:
            throw ConfigurationError(key: "storage.url", "PostgreSQL storage is not available in this build; use sqlite:PATH")
        }
    }

    /// Loads every skill of `skills:` on `pool`; one that will not load fails naming its
    /// entry (`skills[1]`, or `apps[0].skills[1]` under `keyPrefix`).
    static func loadSkills(
        _ configuration: BatonConfiguration, keyPrefix: String = "", libraries: SkillLibraries, metrics: RuntimeMetrics, logger: Logger
    ) throws(ConfigurationError) -> SkillSet {
        var entries: [SkillSet.Entry] = []
        let copies = LibraryCopies(storage: configuration.storage.location)
        for (index, skill) in configuration.skills.enumerated() {
            // Read before loading: a file replaced meanwhile shows as changed at the next reload.
            let content = try? LibraryContent(path: skill.libraryPath)
            let digest = content?.digest
            // Every library is loaded from a content-addressed copy, as a reload does: a worker
            // started again after a crash runs the version checked here, and a deploy that writes
            // the configured file in place (`cp` over it) cannot change code this process has mapped.
            var starting = skill
            var original: String?
            if let content, let pinned = try? copies.pin(skill, content: content) {
                (starting, original) = (pinned.entry, skill.libraryPath)
            }
            // In this process (after a check in a child, for an ABI skill), or in worker processes
            // (isolation: process); a plain C function (ffi:) either way.
            let endpoint: (any SkillEndpoint)?
            do {
                endpoint = try SkillEndpoints.make(
                    starting, key: "\(keyPrefix)skills[\(index)]", libraries: libraries, logLevel: configuration.logLevel, metrics: metrics,
                    logger: logger, copyOf: original)
            } catch {
                for entry in entries { entry.instance.destroy(waitingAtMost: .zero) }
                throw error
            }
            guard let endpoint else { continue }
            entries.append(
                SkillSet.Entry(
                    endpoint, timeout: .milliseconds(skill.timeoutMilliseconds), escalation: skill.escalation, threshold: skill.threshold
                ).from(skill, digest: digest))
        }
        // One skill whose calls hang holds at most half the pool; the rest stays for the others.
        return SkillSet(
            entries: entries, maxAbandonedCalls: max(1, configuration.server.skillThreads / 2), metrics: metrics, logger: logger)
    }

    /// The Graph API client of `messenger:`.
    static func makeGraphClient(_ messenger: BatonConfiguration.Messenger, httpClient: HTTPClient, logger: Logger) -> GraphClient {
        GraphClient(
            configuration: GraphConfiguration(
                baseURL: messenger.graphAPIURL, appSecret: messenger.appSecret,
                timeout: .milliseconds(Int64(clamping: messenger.graphTimeoutSeconds * 1000))),
            httpClient: httpClient, logger: logger)
    }

    /// Each Page's access token (the first entry wins; the reader refuses a Page listed twice).
    static func pageTokens(_ messenger: BatonConfiguration.Messenger) -> [PageID: String] {
        Dictionary(messenger.pages.map { ($0.id, $0.accessToken) }, uniquingKeysWith: { first, _ in first })
    }

    /// How old a planned Graph call may grow: `outbox.max_age_seconds` and the messaging window.
    static func outboxLimits(_ configuration: BatonConfiguration) -> OutboxLimits {
        OutboxLimits(
            maxAge: .seconds(configuration.outboxMaxAgeSeconds),
            messagingWindow: .milliseconds(configuration.handover.messagingWindowMilliseconds))
    }

    /// One worker per thread with unfinished work, swept every `server.sweep_interval_seconds`.
    static func makeScheduler(
        _ server: BatonConfiguration.Server, store: any BatonStore, processor: ConversationProcessor, logger: Logger
    ) -> ThreadScheduler {
        ThreadScheduler(
            graceSeconds: server.shutdownGraceSeconds,
            sweepInterval: .milliseconds(Int64(clamping: server.sweepIntervalSeconds * 1000)), logger: logger,
            resume: { [logger] in
                do { return try await store.threadsWithPendingWork() } catch {
                    logger.error("cannot list unfinished work", metadata: ["error": "\(error)"])
                    return []
                }
            },
            work: { thread in await processor.processPending(thread) })
    }
}
