import BatonCore
import BatonStore
import Foundation
import Synchronization

/// Meta, as far as thread control goes: it holds the truth per thread (the bot, the Page
/// Inbox, another bot, or idle), turns happenings into the webhook events Meta would send
/// the bot (messaging to the owner, standby otherwise; idle threads go to the bot, the
/// default app), answers Baton's Graph calls against the truth at the moment they arrive,
/// and records every call.
final class FuzzMetaModel: Sendable {
    let world: Mutex<FuzzWorld>
    /// Baton's store, to tell whether a piece of news was processed before a send.
    let store = Mutex<(any BatonStore)?>(nil)
    /// How close (ms) a message may be to Baton's own change of control for its order to be undecidable.
    static let sameMomentSlack: Int64 = 10

    init(seed: UInt64) { world = Mutex(FuzzWorld(seed: seed)) }

    /// Applies one happening to the truth and emits the events Meta sends the bot for it.
    func apply(_ happening: FuzzHappening, page: String, user: String) {
        world.withLock { world in
            let thread = FuzzIDs.thread(page, user)
            let owner = world.truths[thread]?.owner
            let botChannel = owner == nil || owner == FuzzIDs.bot ? "messaging" : "standby"
            switch happening {
            case .inboxTakes:
                guard owner != FuzzIDs.inbox else { return }
                let at = world.stamp(thread, control: true)
                world.truths[thread]?.owner = FuzzIDs.inbox
                // Delivered to the previous owner: the bot when it (or nobody) owned the thread.
                guard owner == nil || owner == FuzzIDs.bot else { return }
                world.truths[thread]?.news = .event(kind: "take_thread_control", timestamp: at)
                world.emit(.handover("take_thread_control", page: page, user: user, from: owner, to: FuzzIDs.inbox, at: at))
            case .inboxPassesBack:
                guard let owner, owner != FuzzIDs.bot else { return }
                let at = world.stamp(thread, control: true)
                world.truths[thread]?.owner = FuzzIDs.bot
                world.truths[thread]?.news = nil
                world.emit(.handover("pass_thread_control", page: page, user: user, from: owner, to: FuzzIDs.bot, at: at))
            case .inboxReplies:
                let at = world.stamp(thread, control: true)
                let event = FuzzEvent.echo(
                    page: page, user: user, app: FuzzIDs.inbox, channel: "standby", at: at, mid: world.mid("agent"),
                    text: "an agent writes", metadata: nil)
                // Replying from the Inbox takes control under Conversation Routing.
                if owner != FuzzIDs.inbox {
                    world.truths[thread]?.owner = FuzzIDs.inbox
                    if owner == nil || owner == FuzzIDs.bot { world.truths[thread]?.news = .event(kind: "echo", timestamp: at) }
                }
                world.emit(event)
            case .otherBotRequests:
                // Delivered to the owner only.
                guard owner == FuzzIDs.bot else { return }
                world.emit(.request(page: page, user: user, from: FuzzIDs.otherBot, at: world.stamp(thread, control: true)))
            default:
                let at = world.stamp(thread, control: false)
                if let event = FuzzEvent.user(happening, page: page, user: user, channel: botChannel, at: at, mid: world.mid("user")) {
                    world.emit(event)
                }
            }
        }
    }

    /// Answers one Graph API request: (HTTP status, JSON body).
    func answer(method: String, path: String, query: [String: String], body: [UInt8]) async -> (Int, String) {
        guard let page = FuzzIDs.page(forToken: query["access_token"] ?? "") else {
            return (400, Self.error(190, "Invalid OAuth access token."))
        }
        let edge = String(path.split(separator: "/").last ?? "")
        if method == "GET" {
            switch edge {
            case "thread_owner": return threadOwner(page: page, user: query["recipient"] ?? "")
            case "conversations": return (200, #"{"data":[]}"#)
            default: return (400, Self.error(100, "Unknown path components: \(path)"))
            }
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        let user = ((json["recipient"] as? [String: Any])?["id"]).map { "\($0)" } ?? ""
        let thread = FuzzIDs.thread(page, user)
        switch edge {
        case "messages":
            let message = json["message"] as? [String: Any] ?? [:]
            return await send(thread: thread, page: page, user: user, message: message)
        case "pass_thread_control":
            let target = json["target_app_id"].map { "\($0)" } ?? FuzzIDs.inbox
            // Baton's worker for the thread waits for this answer: the count cannot change meanwhile.
            let processed = await processedCount(page: page, user: user)
            return control(edge, thread: thread) { world, owner in
                guard owner == FuzzIDs.bot || owner == nil else { return false }
                world.truths[thread]?.owner = target
                let at = world.stamp(thread, control: true)
                world.truths[thread]?.news = target == FuzzIDs.bot ? nil : .ownCall(at: at, processed: processed)
                return true
            }
        case "take_thread_control":
            let refusal = Self.error(100, "(#100) The app already owns the thread")
            return control(edge, thread: thread, refusal: refusal) { world, owner in
                guard owner != FuzzIDs.bot else { return false }
                world.truths[thread]?.owner = FuzzIDs.bot
                world.truths[thread]?.news = nil
                return true
            }
        case "release_thread_control":
            return control(edge, thread: thread) { world, owner in
                guard owner == FuzzIDs.bot else { return false }
                world.truths[thread]?.owner = nil
                return true
            }
        case "extend_thread_control":
            return control(edge, thread: thread) { _, owner in owner == FuzzIDs.bot }
        case "request_thread_control":
            return control(edge, thread: thread) { _, _ in true }
        default:
            return (400, Self.error(100, "Unknown path components: \(path)"))
        }
    }

    /// `GET thread_owner`, as the Page's default app sees it.
    private func threadOwner(page: String, user: String) -> (Int, String) {
        let owner = world.withLock { $0.truths[FuzzIDs.thread(page, user)]?.owner }
        guard let owner else { return (200, #"{"data":[]}"#) }
        let expiration = FuzzIDs.wallClock() / 1000 + 86_400
        return (200, #"{"data":[{"thread_owner":{"app_id":"\#(owner)","expiration":\#(expiration)}}]}"#)
    }

    /// A thread-control call: `change` applies it (under the lock) or refuses it.
    private func control(
        _ edge: String, thread: String, refusal: String = FuzzMetaModel.refusal, _ change: (inout FuzzWorld, String?) -> Bool
    ) -> (Int, String) {
        let accepted = world.withLock { world in
            if world.truths[thread] == nil { world.truths[thread] = FuzzTruth() }
            let owner = world.truths[thread]?.owner
            let accepted = change(&world, owner)
            world.truths[thread]?.history.append("Baton \(edge) (owner \(owner ?? "idle")): \(accepted ? "accepted" : "refused")")
            world.calls.append(FuzzCall(order: world.calls.count, edge: edge, thread: thread, ownerBefore: owner, accepted: accepted))
            return accepted
        }
        return accepted ? (200, #"{"success":true}"#) : (400, refusal)
    }

    static let refusal =
        #"{"error":{"message":"(#10) Message failed to send because another app is controlling this thread now.","type":"OAuthException","code":10,"error_subcode":2018300,"fbtrace_id":"x"}}"#

    static func error(_ code: Int, _ message: String) -> String {
        #"{"error":{"message":\#(FuzzEvent.quote(message)),"type":"OAuthException","code":\#(code),"fbtrace_id":"x"}}"#
    }
}
