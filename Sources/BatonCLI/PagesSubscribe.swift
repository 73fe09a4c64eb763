import ArgumentParser
import BatonRuntime
import Logging

/// `baton pages subscribe --config FILE [--app NAME]`
struct PagesSubscribe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Subscribe each app to its Pages' webhook fields; exit 1 if any subscription failed.",
        discussion: """
            For each app and Page: POST {graph_api_url}/{page-id}/subscribed_apps with subscribed_fields=\
            \(WebhookFields.required.joined(separator: ",")), the Page's token and the app's appsecret_proof. \
            One line per Page.
            """)

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String

    @Option(name: .long, help: "Only this app (its name or app id).")
    var app: String?

    func run() async throws {
        let configuration: BatonConfiguration
        do { configuration = try BatonConfiguration.load(path: config) } catch {
            printError("pages subscribe: \(error.description)")
            throw ExitCode(1)
        }
        LoggingBootstrap.bootstrap(level: .error)
        let outcomes: [PageSubscription.Outcome]
        do { outcomes = try await PageSubscription.run(configuration, app: app, logger: Logger(label: "baton.pages")) } catch {
            printError("pages subscribe: \(error.message)")
            throw ExitCode(1)
        }
        for outcome in outcomes { print(outcome.line) }
        if outcomes.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }
}
