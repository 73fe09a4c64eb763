import ArgumentParser
import BatonRuntime

/// `baton pages list --config FILE [--json]`
struct PagesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every app and its Pages: id, name, default app and the variable holding the token (never its value).")

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String

    @Flag(name: .long, help: "Print a JSON array, one object per app and Page.")
    var json = false

    func run() async throws {
        do {
            let listing = try PageListing(path: config)
            print(json ? listing.json : listing.text)
        } catch {
            printError("pages list: \(error.message)")
            throw ExitCode(1)
        }
    }
}
