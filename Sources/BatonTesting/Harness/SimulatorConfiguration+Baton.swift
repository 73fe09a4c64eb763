import BatonCore
public import BatonRuntime
public import BatonSimulator
import Foundation
import Yams

extension SimulatorConfiguration {
    /// Reads the configuration of `baton simulate`: either a Baton configuration (a file with a
    /// `messenger:` section; the simulator then plays Meta for it, see ``init(playingMetaFor:)``)
    /// or a simulator configuration with `pages`, `apps` and `knobs`.
    /// - Parameter path: the YAML file.
    /// - Throws: ``ConfigurationError`` for a Baton configuration it refuses; a decoding error
    ///   for a simulator configuration.
    public static func load(path: String) throws -> SimulatorConfiguration {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let top = try Yams.load(yaml: text) as? [String: Any] else {
            throw ConfigurationError(key: "<file>", "expected a mapping")
        }
        // A simulator configuration lists `pages` at the top; a Baton one has `messenger:` or `apps:` without them.
        if top["messenger"] != nil || (top["apps"] != nil && top["pages"] == nil) {
            return try SimulatorConfiguration(playingMetaFor: BatonConfiguration.load(path: path))
        }
        let data = try JSONSerialization.data(withJSONObject: top)
        return try JSONDecoder().decode(SimulatorConfiguration.self, from: data)
    }

    /// The simulator that plays Meta for a Baton runtime: its Pages, every hosted app with its
    /// secret and webhook path, webhooks to `webhook_url` of its `simulator:` section (default
    /// `http://server.host:server.port`, then the app's path), that section's
    /// `default_owner_app_id` and `knobs`. With several apps and no `default_owner_app_id`,
    /// the app marked `default_app` on the first Page is the Pages' default app.
    /// - Parameter baton: the runtime's configuration.
    /// - Throws: a decoding error when `simulator.knobs` does not fit ``Knobs``.
    public init(playingMetaFor baton: BatonConfiguration) throws {
        let section = baton.simulator
        let server = "http://\(baton.server.host):\(baton.server.port)"
        var pages: [Page] = []
        var apps: [App] = []
        for hosted in baton.hostedApps {
            let messenger = hosted.messenger
            for page in messenger.pages where !pages.contains(where: { $0.id == page.id.rawValue }) {
                pages.append(.init(id: page.id.rawValue, name: page.name, accessToken: page.accessToken))
            }
            let path = baton.webhookPath(for: hosted)
            // `simulator.webhook_url` names the single app's webhook, or the server the apps' paths hang off.
            let webhook = baton.hostsSeveralApps ? (section.webhookURL ?? server) + path : section.webhookURL ?? server + path
            let name = baton.hostsSeveralApps ? hosted.name : "Baton"
            // Each app's own Page tokens: Meta gives every app its own token for a Page.
            let tokens = Dictionary(messenger.pages.map { ($0.id.rawValue, $0.accessToken) }, uniquingKeysWith: { first, _ in first })
            apps.append(.init(id: messenger.appID.rawValue, name: name, secret: messenger.appSecret, webhookURL: webhook, pageTokens: tokens))
        }
        self.init(pages: pages, apps: apps)
        defaultOwnerAppID = section.defaultOwnerAppID?.rawValue
        if baton.hostsSeveralApps, defaultOwnerAppID == nil, let first = pages.first {
            defaultOwnerAppID = baton.hostedApps.first { app in
                app.messenger.pages.contains { $0.id.rawValue == first.id && $0.defaultApp }
            }?.messenger.appID.rawValue
        }
        if let knobs = section.knobsJSON {
            self.knobs = try JSONDecoder().decode(Knobs.self, from: Data(knobs.utf8))
        }
    }
}
