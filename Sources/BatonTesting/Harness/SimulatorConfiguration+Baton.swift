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
        if top["messenger"] != nil {
            return try SimulatorConfiguration(playingMetaFor: BatonConfiguration.load(path: path))
        }
        let data = try JSONSerialization.data(withJSONObject: top)
        return try JSONDecoder().decode(SimulatorConfiguration.self, from: data)
    }

    /// The simulator that plays Meta for a Baton runtime: its Pages, its app and secret, webhooks
    /// to `webhook_url` of its `simulator:` section (default `http://server.host:server.port/webhook`),
    /// that section's `default_owner_app_id` and `knobs`.
    /// - Parameter baton: the runtime's configuration.
    /// - Throws: a decoding error when `simulator.knobs` does not fit ``Knobs``.
    public init(playingMetaFor baton: BatonConfiguration) throws {
        let section = baton.simulator
        let webhook = section.webhookURL ?? "http://\(baton.server.host):\(baton.server.port)/webhook"
        self.init(
            pages: baton.messenger.pages.map { .init(id: $0.id.rawValue, name: $0.name, accessToken: $0.accessToken) },
            apps: [.init(id: baton.messenger.appID.rawValue, name: "Baton", secret: baton.messenger.appSecret, webhookURL: webhook)])
        defaultOwnerAppID = section.defaultOwnerAppID?.rawValue
        if let knobs = section.knobsJSON {
            self.knobs = try JSONDecoder().decode(Knobs.self, from: Data(knobs.utf8))
        }
    }
}
