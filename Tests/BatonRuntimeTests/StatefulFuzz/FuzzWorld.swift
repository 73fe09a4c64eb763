import BatonTestSupport
import Foundation

/// How Baton was (or could have been) told that another app controls a thread.
enum FuzzNews: Sendable, Equatable, CustomStringConvertible {
    /// Baton itself passed control away; Meta accepted it at this time (ms), when Baton had
    /// processed `processed` events of the thread.
    case ownCall(at: Int64, processed: Int)
    /// A webhook event to the bot said so (take, or another app's echo).
    case event(kind: String, timestamp: Int64)

    var description: String {
        switch self {
        case .ownCall(let at, _): "Baton's own pass at \(at)"
        case .event(let kind, let timestamp): "\(kind) ts=\(timestamp)"
        }
    }
}

/// Meta's truth about one thread.
struct FuzzTruth: Sendable {
    /// The owner app, or nil when the thread is idle.
    var owner: String?
    /// Since the bot last owned the thread: how Baton learnt another app owns it.
    var news: FuzzNews?
    /// The newest timestamp given to an event of this thread.
    var clock: Int64 = 0
    /// The newest honest timestamp of a plain (non-control) event, for equal-millisecond copies.
    var lastPlain: Int64?
    /// What happened in this thread, in order, for reports.
    var history: [String] = []
}

/// What Meta decided about one Graph call, and why a refused send was refused.
enum FuzzVerdict: Sendable {
    /// Refused, and Baton had already processed the news that another app owns the thread.
    case spokeOverOwner(FuzzNews, detail: String)
    /// Refused because the news had not been processed yet (allowed).
    case newsNotYetProcessed(FuzzNews)
    /// Refused after Baton processed, since the news, an event whose timestamp or channel was
    /// forged (allowed: Meta lied in a way Baton cannot detect).
    case misled(FuzzNews)
    /// Refused in the same moment Baton's own change took effect (allowed: undecidable).
    case sameMoment(FuzzNews)
}

/// One Graph call the model answered, with the truth when it arrived.
struct FuzzCall: Sendable {
    var order: Int
    var edge: String
    var thread: String
    var ownerBefore: String?
    var accepted: Bool
    /// From the send's `metadata` `baton:e<eventID>.<n>`.
    var eventID: Int64?
    var verdict: FuzzVerdict?
}

/// Where one emitted event stands in delivery.
struct FuzzDelivery: Sendable {
    var event: FuzzEvent
    /// Order number of the first POST that carried it.
    var firstStart: Int
    /// Order number of the first 200 for a body carrying it.
    var firstAck: Int?
}

/// Everything the Meta model holds, behind one lock.
struct FuzzWorld: Sendable {
    var rng: SplitMix64
    var truths: [String: FuzzTruth] = [:]
    /// Events waiting to be delivered to the bot (in no particular order).
    var pool: [FuzzEvent] = []
    var calls: [FuzzCall] = []
    var deliveries: [Int: FuzzDelivery] = [:]
    var emitted = 0
    var bodies = 0
    /// Events that tell a lie Baton cannot detect: `thread|kind|timestamp|channel` of forged
    /// timestamps and of copies delivered on the channel Meta did not route them to.
    var misleading: Set<String> = []
    /// Bodies Baton refused with a 4xx (none expected: every body is valid and signed).
    var rejected: [String] = []
    var sequence = 0
    var nextMid = 0

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A timestamp from Meta's clock for a thread: never before the thread's last one, and
    /// strictly after it for control events (so they can be told apart by kind and time).
    mutating func stamp(_ thread: String, control: Bool) -> Int64 {
        let last = truths[thread]?.clock ?? 0
        let now = max(FuzzIDs.wallClock(), control ? last + 1 : last)
        truths[thread, default: FuzzTruth()].clock = now
        return now
    }

    mutating func mid(_ prefix: String) -> String {
        nextMid += 1
        return "m_\(prefix)_\(nextMid)"
    }

    mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    /// Puts an event into the delivery pool, mutated: a forged timestamp (plain events only),
    /// a duplicate, a copy on the other channel.
    mutating func emit(_ event: FuzzEvent) {
        var event = event
        emitted += 1
        event.serial = emitted
        if !event.isControl { truths[event.thread, default: FuzzTruth()].lastPlain = event.timestamp }
        // Control events keep Meta's time (a forged pass or request is undecidable), except the
        // bot's own echoes, which get only extreme values.
        if !event.isNews, !event.isControl || event.kind == "echo", rng.chance(10) {
            forge(&event, extremesOnly: event.isControl)
            misleading.insert(Self.lie(event, channel: "messaging"))
            misleading.insert(Self.lie(event, channel: "standby"))
        }
        truths[event.thread, default: FuzzTruth()].history.append(event.summary)
        pool.append(event)
        if rng.chance(7) { pool.append(event) }
        if rng.chance(4) {
            var copy = event
            copy.channel = event.otherChannel
            misleading.insert(Self.lie(copy, channel: copy.channel))
            pool.append(copy)
        }
    }

    static func lie(_ event: FuzzEvent, channel: String) -> String {
        "\(event.thread)|\(event.kind)|\(event.timestamp)|\(channel)"
    }

    /// Replaces the timestamp of an event: the Int64 bounds, negative, zero, and for plain
    /// events also the previous plain event's millisecond or a little in the past (control
    /// events get only values that cannot collide with an honest one).
    private mutating func forge(_ event: inout FuzzEvent, extremesOnly: Bool) {
        let previous = truths[event.thread]?.lastPlain ?? event.timestamp
        var choices: [Int64] = [.max, .min, .max - 1, -1 - Int64(rng.below(1_000_000_000)), 0]
        if !extremesOnly {
            choices += [previous, event.timestamp.subtractingReportingOverflow(Int64(1 + rng.below(5_000))).partialValue]
        }
        event.timestamp = rng.pick(choices)
        event.forged = true
    }

    /// Takes 1 to 6 events from the pool for one body, mostly old ones, sometimes any.
    mutating func takeBody() -> [FuzzEvent] {
        var taken: [FuzzEvent] = []
        for _ in 0..<(1 + rng.below(6)) where !pool.isEmpty {
            let index = rng.chance(70) ? rng.below(min(pool.count, 8)) : rng.below(pool.count)
            taken.append(pool.remove(at: index))
        }
        return taken
    }
}
