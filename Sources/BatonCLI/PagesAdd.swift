import ArgumentParser
import BatonRuntime

/// `baton pages add --config FILE [--app NAME] --id PAGE_ID --name NAME --token-env VAR [--public-url URL]`
struct PagesAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a Page to the configuration and print the webhook URL and verify token for Meta's dashboard.",
        discussion: """
            The file is edited in place: its comments and layout stay. The Page token is written as ${VAR}, \
            never its value. A verify token is generated when the app has none. --public-url is kept as \
            server.public_url (baton doctor checks the verify handshake there). A Page already listed for the \
            app is refused (exit 1). With several apps in the file, --app names one.
            """)

    @Option(name: .long, help: "The YAML configuration file to edit.")
    var config: String

    @Option(name: .long, help: "The app to add the Page to (its name or app id); required when the file hosts several apps.")
    var app: String?

    @Option(name: .long, help: "The Page's numeric id.")
    var id: String

    @Option(name: .long, help: "The Page's name.")
    var name: String

    @Option(name: .customLong("token-env"), help: "The environment variable that holds the Page access token.")
    var tokenEnv: String

    @Option(name: .customLong("public-url"), help: "Where Meta reaches this server, e.g. https://bots.example.com.")
    var publicURL: String?

    func run() async throws {
        let request = PageSetup.Request(
            configPath: config, app: app, pageID: id, pageName: name, tokenVariable: tokenEnv, publicURL: publicURL)
        do {
            let result = try PageSetup.add(request)
            for line in result.report(configPath: config) { print(line) }
        } catch {
            printError("pages add: \(error.message)")
            throw ExitCode(1)
        }
    }
}
