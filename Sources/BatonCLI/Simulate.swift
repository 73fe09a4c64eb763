import ArgumentParser
import BatonSimulator
import BatonTesting
import Logging
import UnixSignals

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
        LoggingBootstrap.bootstrap(level: .info)
        let configuration: SimulatorConfiguration
        do { configuration = try SimulatorConfiguration.load(path: config) } catch {
            printError("simulate: \(error)")
            throw ExitCode(2)
        }
        let simulator = MessengerSimulator(configuration: configuration, logger: Logger(label: "baton.simulator"))
        // Trapped before the server starts, so a signal from then on stops it cleanly.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await simulator.start(host: host, port: port)
        print("simulator listening on http://\(host):\(await simulator.port) (Graph API under /v25.0, control API under /control)")
        for await _ in signals { break }
        try await simulator.shutdown()
    }
}
