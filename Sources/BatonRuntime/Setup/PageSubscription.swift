import BatonCore
public import BatonGraph
public import Logging

/// `baton pages subscribe`: for each app and Page, `POST {graph_api_url}/{page-id}/subscribed_apps`
/// with ``WebhookFields/required``, the Page's token and the app's `appsecret_proof`.
public enum PageSubscription {
    /// What happened for one app and Page.
    public struct Outcome: Sendable {
        /// The app's name.
        public var app: String
        /// The Page's id.
        public var pageID: String
        /// The Page's name.
        public var pageName: String
        /// The Graph error, nil when Meta accepted the subscription.
        public var error: GraphError?

        /// `OK <app> <page> (<name>): subscribed to ...`, or `FAIL ...: <error> — fix: ...`.
        public var line: String {
            let subject = "\(app) \(pageID) (\(pageName))"
            guard let error else { return "OK \(subject): subscribed to \(WebhookFields.required.joined(separator: ","))" }
            return "FAIL \(subject): \(error) — fix: \(Self.fix(for: error, pageID: pageID, app: app))"
        }

        static func fix(for error: GraphError, pageID: String, app: String) -> String {
            if error.isInvalidAppSecretProof {
                return "app \(app)'s app_secret is not the secret of the app the Page token was made for: check both"
            }
            switch error.classification {
            case .invalidToken: return "generate a new Page access token for Page \(pageID) and export it"
            case .permission:
                return "the token needs pages_manage_metadata and pages_messaging, from someone who can moderate Page \(pageID)"
            case .network, .transient, .rateLimited: return "check graph_api_url and try again"
            default: return "run baton doctor for details"
            }
        }
    }

    /// Subscribes every Page of the chosen apps, one after the other.
    /// - Parameters:
    ///   - configuration: the loaded configuration (tokens and secrets substituted).
    ///   - app: the app's name or id; nil: every app.
    ///   - logger: where Graph calls are logged (never tokens).
    /// - Returns: one outcome per app and Page, in file order.
    /// - Throws: ``SetupError`` when `app` names no hosted app.
    public static func run(_ configuration: BatonConfiguration, app: String?, logger: Logger) async throws(SetupError) -> [Outcome] {
        let apps = try SetupDoctor.selectApps(configuration, app)
        var outcomes: [Outcome] = []
        for hosted in apps {
            let client = SetupDoctor.graphClient(hosted, logger: logger)
            for page in hosted.messenger.pages {
                var outcome = Outcome(app: hosted.name, pageID: page.id.rawValue, pageName: page.name, error: nil)
                do { try await client.subscribeApp(fields: WebhookFields.required, page: page.id, token: page.accessToken) } catch {
                    outcome.error = error
                }
                outcomes.append(outcome)
            }
        }
        return outcomes
    }
}
