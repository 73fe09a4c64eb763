import BatonCore
import Foundation

/// One webhook event as Meta delivers it to the bot app, with what the fuzz knows about it.
struct FuzzEvent: Sendable {
    /// Unique per emitted event; its duplicates and other-channel copies share it.
    var serial = 0
    var page: String
    var user: String
    /// `messaging` or `standby`.
    var channel: String
    /// Baton's kind name (`message`, `take_thread_control`...).
    var kind: String
    var timestamp: Int64
    var mid: String?
    /// The event's own member, e.g. `"message":{...}`.
    var payload: String
    /// Whether the Page sent it (echoes): then sender and recipient swap.
    var fromPage = false
    /// A user message or postback (something Baton may answer).
    var isUserMessage = false
    /// Tells Baton another app took control (take, inbox echo); never given a forged timestamp.
    var isNews = false
    /// A control event (take, pass, request, echo): its timestamp is unique in its thread.
    var isControl = false
    /// The timestamp was mutated away from Meta's clock.
    var forged = false
    /// What happened, for reports.
    var label: String

    var thread: String { FuzzIDs.thread(page, user) }

    /// The event object.
    var json: String {
        let (sender, recipient) = fromPage ? (page, user) : (user, page)
        return #"{"sender":{"id":"\#(sender)"},"recipient":{"id":"\#(recipient)"},"timestamp":\#(timestamp),\#(payload)}"#
    }

    /// The key Baton dedupes it by, computed by Baton's own parser.
    var dedupeKey: String {
        let body = #"{"object":"page","entry":[{"id":"\#(page)","time":0,"messaging":[\#(json)]}]}"#
        return (try? WebhookParser.parse(Array(body.utf8)))?.events.first?.dedupeKey ?? "unparsed:\(serial)"
    }

    var otherChannel: String { channel == "messaging" ? "standby" : "messaging" }

    /// A short description for violation reports.
    var summary: String { "#\(serial) \(label) \(channel) ts=\(timestamp)\(forged ? " (forged)" : "")" }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension FuzzEvent {
    /// The event of a user-side happening, or nil for control happenings.
    static func user(_ happening: FuzzHappening, page: String, user: String, channel: String, at: Int64, mid: String)
        -> FuzzEvent?
    {
        let (kind, payload, answerable): (String, String, Bool)
        switch happening {
        case .text(let text): (kind, payload, answerable) = ("message", #""message":{"mid":"\#(mid)","text":\#(quote(text))}"#, true)
        case .quickReply:
            (kind, payload, answerable) = (
                "message", #""message":{"mid":"\#(mid)","text":"Yes","quick_reply":{"payload":"QR_YES"}}"#, true
            )
        case .postback:
            (kind, payload, answerable) = (
                "postback", #""postback":{"mid":"\#(mid)","title":"Get started","payload":"GET_STARTED"}"#, true
            )
        case .delivery: (kind, payload, answerable) = ("delivery", #""delivery":{"mids":["\#(mid)"],"watermark":\#(at)}"#, false)
        case .read: (kind, payload, answerable) = ("read", #""read":{"watermark":\#(at)}"#, false)
        case .referral:
            (kind, payload, answerable) = ("referral", #""referral":{"ref":"fuzz","source":"SHORTLINK","type":"OPEN_THREAD"}"#, false)
        case .optin: (kind, payload, answerable) = ("optin", #""optin":{"ref":"fuzz-optin"}"#, false)
        case .unknownKey: (kind, payload, answerable) = ("unknown", #""fuzz_unknown_event":{"n":1}"#, false)
        default: return nil
        }
        return FuzzEvent(
            page: page, user: user, channel: channel, kind: kind, timestamp: at, mid: answerable ? mid : nil,
            payload: payload, isUserMessage: answerable, label: happening.description)
    }

    /// `take_thread_control` or `pass_thread_control` as the app losing or getting control sees it.
    static func handover(_ edge: String, page: String, user: String, from previous: String?, to next: String, at: Int64)
        -> FuzzEvent
    {
        let previousMember = previous.map { #""previous_owner_app_id":"\#($0)","# } ?? ""
        let payload = #""\#(edge)":{\#(previousMember)"new_owner_app_id":"\#(next)","metadata":"fuzz"}"#
        return FuzzEvent(
            page: page, user: user, channel: "messaging", kind: edge, timestamp: at, payload: payload,
            isNews: next != FuzzIDs.bot, isControl: true, label: "\(edge) \(previous ?? "idle")->\(next)")
    }

    /// `request_thread_control` from another app, delivered to the owner.
    static func request(page: String, user: String, from app: String, at: Int64) -> FuzzEvent {
        FuzzEvent(
            page: page, user: user, channel: "messaging", kind: "request_thread_control", timestamp: at,
            payload: #""request_thread_control":{"requested_owner_app_id":"\#(app)","metadata":"may I"}"#,
            isControl: true, label: "request_thread_control by \(app)")
    }

    /// An echo of a message some app sent into the thread.
    static func echo(
        page: String, user: String, app: String, channel: String, at: Int64, mid: String, text: String, metadata: String?
    ) -> FuzzEvent {
        let meta = metadata.map { #","metadata":\#(quote($0))"# } ?? ""
        let payload = #""message":{"mid":"\#(mid)","is_echo":true,"app_id":\#(app),"text":\#(quote(text))\#(meta)}"#
        return FuzzEvent(
            page: page, user: user, channel: channel, kind: "echo", timestamp: at, mid: mid, payload: payload,
            fromPage: true, isNews: app != FuzzIDs.bot, isControl: true, label: "echo by \(app)")
    }
}
