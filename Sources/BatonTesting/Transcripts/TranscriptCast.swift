/// Who plays in a transcript's run: the hosted bots (one, `bot`, for a single skill; the
/// transcript's apps otherwise) and the live-agent app, with the names reports use.
struct TranscriptCast: Sendable {
    /// The hosted bots as (name, app id), in order.
    var bots: [(name: String, id: String)]
    /// The bot that owns new threads and that `agent_passes_control: true` means.
    var defaultBot: String
    /// The live-agent app the simulator's human agent acts as.
    var agent: String
    /// Whether the transcript drives several bots (names from `apps:`; the agent is `inbox`).
    var several: Bool

    /// The single skill's bot, `bot` in reports.
    static func single(bot: String, agent: String) -> TranscriptCast {
        TranscriptCast(bots: [(name: "bot", id: bot)], defaultBot: bot, agent: agent, several: false)
    }

    /// The bots of a transcript's `apps:`.
    static func hosting(_ apps: [Transcript.App], agent: String) -> TranscriptCast {
        let defaultBot = apps.first(where: \.defaultApp)?.id ?? apps.first?.id ?? ""
        return TranscriptCast(bots: apps.map { (name: $0.name, id: $0.id) }, defaultBot: defaultBot, agent: agent, several: true)
    }

    /// Whether `id` is one of the hosted bots.
    func isBot(_ id: String?) -> Bool { bots.contains { $0.id == id } }

    /// The name of the agent app in reports.
    var agentName: String { several ? "inbox" : "agent" }

    /// What reports call an owner or app: a bot's name, the agent, `idle` for nobody, else the id.
    func name(_ id: String?) -> String {
        guard let id else { return "idle" }
        if let bot = bots.first(where: { $0.id == id }) { return bot.name }
        return id == agent ? agentName : id
    }

    /// Names for ``TimelineRenderer``.
    var renderer: TimelineRenderer {
        var names = [agent: agentName]
        for bot in bots { names[bot.id] = bot.name }
        return TimelineRenderer(appNames: names)
    }

    /// A turn's input as one line, with app names where the transcript gave them.
    func describe(_ input: Transcript.Input) -> String {
        guard several, case .agentPassesControl(let target) = input else { return input.description }
        return "agent passes control to \(name(target ?? defaultBot))"
    }
}
