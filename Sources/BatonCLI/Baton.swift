import ArgumentParser

/// `baton`: the Messenger bot runtime that shares a Page with human agents.
@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "A runtime for Messenger bots that share a Facebook Page with human agents.",
        discussion: """
            Baton takes the Messenger Platform's signed webhooks, records them durably, keeps track of \
            thread control (the handover protocol), and for every user message answers with a skill or \
            passes the conversation to a live-agent app.
            """,
        subcommands: [Serve.self, Demo.self, Simulate.self, Skill.self, Pages.self, Doctor.self]
    )
}
