import ArgumentParser

/// `baton skill ...`: tools for skill authors.
struct Skill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and test skill libraries.",
        subcommands: [SkillCheck.self, SkillTest.self, SkillNew.self, SkillHost.self])
}
