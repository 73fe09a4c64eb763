import BatonCore
import BatonGraph
import BatonStore
import Foundation
import Logging

extension OutboxRunner {
    /// Looks for proof that an earlier attempt at a send reached the user: its echo (which
    /// carries the send's `metadata`), else the thread as the Conversations API lists it (a
    /// page message with the same text, created after the attempt began).
    /// - Returns: what showed the send arrived, or nil when nothing does.
    func confirmEarlierSend(_ item: OutboxItem, message: ReplyMessage, startedAt: Int64) async -> SendProof? {
        let thread = item.thread
        if (try? await store.echoRecorded(in: thread, metadata: "baton:\(item.idempotencyKey)")) == true {
            return .echo
        }
        guard let text = message.text, let token = pages[thread.page] else { return nil }
        do {
            let messages: [ConversationMessage]
            do {
                messages = try await graph.conversationMessages(user: thread.user, page: thread.page, token: token)
                metrics.increment(.graphCalls, [.action: "conversations", .result: "done"])
            } catch {
                metrics.increment(.graphCalls, [.action: "conversations", .result: "error"])
                throw error
            }
            let earliest = Double(startedAt) / 1000 - 300  // clocks differ; five minutes of slack
            for candidate in messages where candidate.text == text {
                if let created = Self.parseTime(candidate.createdTime), created.timeIntervalSince1970 >= earliest {
                    return .conversation
                }
            }
        } catch {
            logger.warning(
                "conversation read failed; the send is repeated",
                metadata: ["page": "\(thread.page)", "thread": "\(thread.user)", "error": "\(error)"])
        }
        return nil
    }

    /// Graph's `created_time` (`2024-11-01T12:00:00+0000`, or with a colon or fractions).
    static func parseTime(_ text: String) -> Date? {
        for format in ["yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Asks Meta who owns the thread and records the answer (by Conversation Routing's
    /// rules: an expiration without an app id means another app owns it).
    /// - Returns: the answer, or nil when the look-up failed.
    @discardableResult
    func lookUpOwner(_ state: inout ThreadState) async -> ThreadOwnerAnswer? {
        guard let token = pages[state.key.page] else { return nil }
        do {
            let answer = try await graph.threadOwnerAnswer(user: state.key.user, page: state.key.page, token: token)
            state.observe(.ownerAnswered(answer.lookup), me: me)
            metrics.increment(.graphCalls, [.action: "thread_owner", .result: "done"])
            return answer
        } catch {
            metrics.increment(.graphCalls, [.action: "thread_owner", .result: "error"])
            logger.warning("thread_owner look-up failed", metadata: ["page": "\(state.key.page)", "error": "\(error)"])
            return nil
        }
    }

    /// Whether a pass, take or release whose answer was lost or refused was applied all the
    /// same: asks `thread_owner` (Meta may have applied a change whose answer timed out, and
    /// "already controls" means the take holds).
    func controlChangeApplied(_ action: PlannedAction, state: inout ThreadState) async -> Bool {
        var probe = state
        guard let answer = await lookUpOwner(&probe) else { return false }
        switch (action, answer) {
        case (.passControl(let target, _), .app(let owner, _)) where owner == (target ?? .pageInbox):
            return true
        case (.passControl, .anotherApp):
            // Told "someone else owns it" without a name: we are neither owner nor default app.
            return true
        case (.takeControl, .app(let owner, _)):
            return owner == me
        case (.releaseControl, .idle):
            return true
        default:
            // Not applied: keep what the look-up taught about the owner.
            state.observe(.ownerAnswered(answer.lookup), me: me)
            return false
        }
    }
}

/// What showed that a send from before a restart reached the user.
enum SendProof: String, Sendable {
    /// Its echo, carrying the send's `metadata`, is in the inbox.
    case echo
    /// The Conversations API lists a Page message with its text, created after the attempt began.
    case conversation
}
