import BatonCore
import BatonStore
import Foundation
import Synchronization

extension FuzzMetaModel {
    /// `POST /me/messages`: sent when the bot owns the thread or it is idle (the bot is the
    /// default app; the send takes control), refused (10 / 2018300) when another app owns it.
    /// A refused send is judged before it is answered: Baton's worker for the thread waits
    /// for this answer, so what it had processed cannot change meanwhile.
    func send(thread: String, page: String, user: String, message: [String: Any]) async -> (Int, String) {
        let metadata = message["metadata"] as? String
        let text = message["text"] as? String ?? "[attachment]"
        let eventID = Self.eventID(metadata)
        let (accepted, news, index, mid) = world.withLock { world -> (Bool, FuzzNews?, Int, String) in
            if world.truths[thread] == nil { world.truths[thread] = FuzzTruth() }
            let owner = world.truths[thread]?.owner
            let accepted = owner == nil || owner == FuzzIDs.bot
            let index = world.calls.count
            world.calls.append(
                FuzzCall(
                    order: index, edge: "messages", thread: thread, ownerBefore: owner, accepted: accepted,
                    eventID: eventID))
            world.truths[thread]?.history.append(
                "Baton sends for event \(eventID.map(String.init) ?? "?") (owner \(owner ?? "idle")): \(accepted ? "sent" : "refused")")
            guard accepted else { return (false, world.truths[thread]?.news, index, "") }
            world.truths[thread]?.owner = FuzzIDs.bot
            let mid = world.mid("bot")
            let at = world.stamp(thread, control: true)
            world.emit(
                .echo(page: page, user: user, app: FuzzIDs.bot, channel: "messaging", at: at, mid: mid, text: text, metadata: metadata))
            return (true, nil, index, mid)
        }
        if accepted { return (200, #"{"recipient_id":"\#(user)","message_id":"\#(mid)"}"#) }
        if let news {
            let verdict = await judge(news, page: page, user: user, eventID: eventID)
            world.withLock { $0.calls[index].verdict = verdict }
        }
        return (400, Self.refusal)
    }

    /// Whether Baton had processed the news that another app owns the thread before it sent.
    func judge(_ news: FuzzNews, page: String, user: String, eventID: Int64?) async -> FuzzVerdict {
        guard let store = store.withLock({ $0 }) else { return .newsNotYetProcessed(news) }
        let decisions = (try? await store.decisions(in: ThreadKey(page: PageID(page), user: UserID(user)))) ?? []
        let answered = decisions.first { $0.eventID == eventID }
        let detail =
            answered.map {
                "answering event \($0.eventID) (\($0.kind.rawValue) \($0.channel?.rawValue ?? "ignored") ts=\($0.timestamp)\(FuzzIDs.isForged($0.timestamp) ? ", forged" : ""))"
            } ?? "answering an event not found"
        let since: Int
        switch news {
        case .ownCall(_, let processed): since = processed
        case .event(let kind, let timestamp):
            guard let index = decisions.firstIndex(where: { Self.isNews($0, kind: kind, timestamp: timestamp) }) else {
                return .newsNotYetProcessed(news)
            }
            since = index
        }
        let thread = FuzzIDs.thread(page, user)
        let lies = world.withLock { $0.misleading }
        if decisions.dropFirst(since).contains(where: { lies.contains("\(thread)|\($0.kind.rawValue)|\($0.timestamp)|\($0.channel?.rawValue ?? "ignored")") }) {
            return .misled(news)
        }
        switch news {
        case .ownCall(let at, _):
            // A message routed in the same moment as Baton's own pass: its order is undecidable.
            if let timestamp = answered?.timestamp, timestamp >= at - Self.sameMomentSlack, timestamp <= at + Self.sameMomentSlack {
                return .sameMoment(news)
            }
            return .spokeOverOwner(news, detail: detail)
        case .event:
            return .spokeOverOwner(news, detail: detail)
        }
    }

    /// Whether a processed event is the news: its kind and time, and for an echo, another
    /// app's (the bot's own echoes can carry the same millisecond).
    static func isNews(_ decision: DecisionRecord, kind: String, timestamp: Int64) -> Bool {
        guard decision.kind.rawValue == kind, decision.timestamp == timestamp else { return false }
        if case .echo(_, let own)? = decision.decision { return !own }
        return true
    }

    /// How many events of the thread Baton has processed.
    func processedCount(page: String, user: String) async -> Int {
        guard let store = store.withLock({ $0 }) else { return 0 }
        return (try? await store.decisions(in: ThreadKey(page: PageID(page), user: UserID(user))).count) ?? 0
    }

    /// The event id in Baton's send metadata `baton:e<eventID>.<n>`.
    static func eventID(_ metadata: String?) -> Int64? {
        guard let metadata, let range = metadata.range(of: "baton:e") else { return nil }
        let digits = metadata[range.upperBound...].prefix { $0.isNumber }
        return Int64(digits)
    }
}
