import ArgumentParser
import BatonCore
import BatonRuntime
import Foundation
import Logging

/// `baton serve --config FILE`
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the runtime until SIGTERM or SIGINT, then drain and exit 0; SIGHUP reloads the skills.")

    @Option(name: .long, help: "The YAML configuration file (a bad one exits 2 with one line naming the key).")
    var config: String

    @Option(name: .long, help: "Override server.port from the file.")
    var port: Int?

    func run() async throws {
        var configuration: BatonConfiguration
        do { configuration = try BatonConfiguration.load(path: config) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        if let port {
            guard (0...65535).contains(port) else {
                printError(ConfigurationError(key: "server.port", "must be 0...65535, got \(port) (--port)").description)
                throw ExitCode(2)
            }
            configuration.server.port = port
        }
        LoggingBootstrap.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "baton")
        let server: BatonServer
        do { server = try await BatonServer(configuration: configuration, logger: logger) } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        logger.info(
            "baton starting",
            metadata: [
                "app": "\(configuration.messenger.appID)", "pages": "\(configuration.messenger.pages.count)",
                "skills": "\(configuration.skills.count)", "storage": "\(configuration.storage.location.kind)",
            ])
        // SIGHUP reads the file again (with the same --port) and reloads its skills.
        let (path, portOverride) = (config, port)
        try await server.run { () throws(ConfigurationError) in
            var configuration = try BatonConfiguration.load(path: path)
            if let portOverride { configuration.server.port = portOverride }
            return configuration
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
