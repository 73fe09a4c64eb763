public import BatonCore
public import BatonRuntime
public import BatonSimulator
import Foundation
public import Logging

extension ConversationHarness {
    /// One bot app a harness hosts in the `apps:` form.
    public struct BotApp: Sendable {
        /// The app's name (its webhook path is `/webhook/<name>`).
        public var name: String
        /// The app's id.
        public var appID: String
        /// Its skills, in order.
        public var skills: [BatonConfiguration.Skill]
        /// Whether it is the Pages' Conversation Routing default app.
        public var defaultApp: Bool
        /// Adjusts its handover rules.
        public var handover: @Sendable (inout HandoverSettings) -> Void

        /// - Parameters:
        ///   - name: the app's name.
        ///   - appID: the app's id.
        ///   - skills: its skills.
        ///   - defaultApp: whether it is the default app (exactly one app should be).
        ///   - handover: adjusts its handover rules.
        public init(
            name: String, appID: String, skills: [BatonConfiguration.Skill], defaultApp: Bool = false,
            handover: @escaping @Sendable (inout HandoverSettings) -> Void = { _ in }
        ) {
            (self.name, self.appID, self.skills, self.defaultApp, self.handover) = (name, appID, skills, defaultApp, handover)
        }
    }

    /// Starts a simulator playing one Page for several bot apps hosted by one runtime (plus
    /// the Page Inbox, which the simulator's scripted agent plays). Each app has its own
    /// secret, verify token and webhook path; the default app owns new threads.
    ///
    /// - Parameters:
    ///   - bots: the hosted apps; skill `escalate_to` targets must already be resolved.
    ///   - knobs: the simulator's fault knobs.
    ///   - retry: how the runtime retries transient Graph failures.
    ///   - folder: where the SQLite files go; a new temporary folder when nil.
    ///   - logger: the runtime's logger.
    public static func start(
        hosting bots: [BotApp],
        knobs: SimulatorConfiguration.Knobs = .init(),
        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
        folder: String? = nil,
        logger: Logger = Logger(label: "baton.harness")
    ) async throws -> ConversationHarness {
        let folder = try folder ?? makeTemporaryFolder()
        let page = defaultPageID
        return try await onAFreePort { port in
            var configuration = BatonConfiguration(apps: bots.map { bot in
                var messenger = BatonConfiguration.Messenger(
                    appID: AppID(bot.appID), appSecret: "harness-secret-\(bot.name)", verifyToken: "harness-verify-\(bot.name)")
                messenger.pages = [.init(id: PageID(page), name: "Page 1", accessToken: "page-token-\(page)-\(bot.name)", defaultApp: bot.defaultApp)]
                var handover = HandoverSettings(me: AppID(bot.appID))
                bot.handover(&handover)
                return HostedApp(name: bot.name, messenger: messenger, handover: handover, skills: bot.skills)
            })
            configuration.server.port = port
            configuration.server.shutdownGraceSeconds = 5
            configuration.storage.location = .sqlite(path: folder + "/baton.sqlite")
            var simulatorConfiguration = try SimulatorConfiguration(playingMetaFor: configuration)
            simulatorConfiguration.knobs = knobs
            let simulator = MessengerSimulator(configuration: simulatorConfiguration, logger: logger)
            try await simulator.start()
            let graph = await simulator.graphBaseURL
            for index in configuration.apps.indices { configuration.apps[index].messenger.graphAPIURL = graph }
            configuration.messenger.graphAPIURL = graph
            return try await startRuntime(configuration, beside: simulator, folder: folder, retry: retry, logger: logger)
        }
    }
}
