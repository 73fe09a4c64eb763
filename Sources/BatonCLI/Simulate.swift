import ArgumentParser
import BatonCore
import BatonRuntime
import BatonSimulator
import Dispatch
import Foundation
import Logging
import Yams

/// `baton simulate --config FILE [--port N]`
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Messenger Platform simulator alone as an HTTP server.",
        discussion: """
            FILE is either a Baton configuration (the simulator then plays Meta for it: its pages, its app \
            and secret, webhooks to http://server.host:server.port/webhook; an optional `simulator:` section \
            sets webhook_url, default_owner_app_id and knobs) or a simulator configuration with `pages`, \
            `apps` and `knobs`. The Graph API is served under /v25.0 and the control API under /control.
            """)

    @Option(name: .long, help: "A Baton or simulator configuration file (YAML).")
    var config: String

    @Option(name: .long, help: "The port to listen on.")
    var port: Int = 8090

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    func run() async throws {
        LoggingBootstrap.bootstrap(level: "info")
        let configuration: SimulatorConfiguration
        do { configuration = try Self.load(config) } catch {
            printError("simulate: \(error)")
            throw ExitCode(2)
        }
        let simulator = MessengerSimulator(configuration: configuration, logger: Logger(label: "baton.simulator"))
        try await simulator.start(host: host, port: port)
        print("simulator listening on http://\(host):\(await simulator.port) (Graph API under /v25.0, control API under /control)")
        await TerminationSignal.wait()
        try await simulator.shutdown()
    }

    /// Reads either configuration form.
    static func load(_ path: String) throws -> SimulatorConfiguration {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let top = try Yams.load(yaml: text) as? [String: Any] else {
            throw ConfigurationError(key: "<file>", "expected a mapping")
        }
        if top["messenger"] != nil {
            let baton = try BatonConfiguration.load(path: path)
            let section = top["simulator"] as? [String: Any] ?? [:]
            let webhook = section["webhook_url"] as? String ?? "http://\(baton.server.host):\(baton.server.port)/webhook"
            var configuration = SimulatorConfiguration(
                pages: baton.messenger.pages.map { .init(id: $0.id.rawValue, name: $0.name, accessToken: $0.accessToken) },
                apps: [.init(id: baton.messenger.appID.rawValue, name: "Baton", secret: baton.messenger.appSecret, webhookURL: webhook)])
            configuration.defaultOwnerAppID = section["default_owner_app_id"].map { "\($0)" }
            if let knobs = section["knobs"] {
                let data = try JSONSerialization.data(withJSONObject: knobs)
                configuration.knobs = try JSONDecoder().decode(SimulatorConfiguration.Knobs.self, from: data)
            }
            return configuration
        }
        let data = try JSONSerialization.data(withJSONObject: top)
        return try JSONDecoder().decode(SimulatorConfiguration.self, from: data)
    }
}

/// Waits for SIGTERM or SIGINT.
enum TerminationSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler {
                    if once.claim() { continuation.resume() }
                }
                source.resume()
                Retained.sources.append(source)
            }
        }
    }

    /// Keeps signal sources alive for the life of the process.
    private enum Retained {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    }
}

/// True the first time only.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
