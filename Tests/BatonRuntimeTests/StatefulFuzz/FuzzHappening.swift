import BatonTestSupport
import Foundation

/// The apps, Pages and secrets the fuzz plays with.
enum FuzzIDs {
    static let bot = "712345678901234"
    static let inbox = "263902037430900"
    static let otherBot = "712345678909999"
    static let pages = ["109876543210987", "209876543210988"]
    static let tokens = ["token-fuzz-page-a", "token-fuzz-page-b"]
    static let secret = "stateful-fuzz-secret"

    /// The Page whose access token this is.
    static func page(forToken token: String) -> String? { tokens.firstIndex(of: token).map { pages[$0] } }

    /// The key of a thread in the model: page and PSID.
    static func thread(_ page: String, _ user: String) -> String { page + "|" + user }

    /// Milliseconds since 1970 by the system clock (Baton's clock too: same process).
    static func wallClock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Whether a timestamp is far from Meta's clock (more than a day off): a forged one.
    static func isForged(_ timestamp: Int64) -> Bool {
        let now = wallClock()
        return timestamp < now - 86_400_000 || timestamp > now + 86_400_000
    }
}

/// Something that happens on Meta's side of one thread (not Baton's own calls).
enum FuzzHappening: Sendable, Equatable, CustomStringConvertible {
    case text(String), postback, quickReply, delivery, read, referral, optin, unknownKey
    case inboxTakes, inboxPassesBack, inboxReplies, otherBotRequests

    var description: String {
        switch self {
        case .text(let text): "text(\(text))"
        case .postback: "postback"
        case .quickReply: "quick_reply"
        case .delivery: "delivery"
        case .read: "read"
        case .referral: "referral"
        case .optin: "optin"
        case .unknownKey: "unknown_key"
        case .inboxTakes: "inbox_takes"
        case .inboxPassesBack: "inbox_passes_back"
        case .inboxReplies: "inbox_replies"
        case .otherBotRequests: "other_bot_requests"
        }
    }

    /// A random script for one thread: 6 to 30 happenings.
    static func script(_ rng: inout SplitMix64) -> [FuzzHappening] {
        (0..<(6 + rng.below(25))).map { _ in random(&rng) }
    }

    /// One happening, weighted towards plain user text.
    static func random(_ rng: inout SplitMix64) -> FuzzHappening {
        switch rng.below(100) {
        case 0..<40:
            let roll = rng.below(100)
            if roll < 8 { return .text("can I talk to a human") }
            if roll < 16 { return .text("bot please") }
            return .text("hello \(rng.below(100_000))")
        case 40..<46: return .postback
        case 46..<52: return .quickReply
        case 52..<58: return .delivery
        case 58..<64: return .read
        case 64..<67: return .referral
        case 67..<70: return .optin
        case 70..<73: return .unknownKey
        case 73..<81: return .inboxTakes
        case 81..<89: return .inboxPassesBack
        case 89..<96: return .inboxReplies
        default: return .otherBotRequests
        }
    }
}
