import ArgumentParser

/// `baton pages ...`: connecting Facebook Pages to the apps of a configuration.
struct Pages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list and subscribe the Pages of a configuration.",
        discussion: """
            The set-up flow: `baton pages add` writes the Page into the file and prints the webhook URL and \
            verify token for Meta's dashboard; `baton pages subscribe` subscribes each app to the webhook \
            fields Baton reads; `baton doctor` checks the whole set-up.
            """,
        subcommands: [PagesAdd.self, PagesList.self, PagesSubscribe.self])
}
