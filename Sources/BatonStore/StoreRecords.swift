public import BatonCore

/// A webhook event as the inbox records it, before processing: the parser's typed event
/// (stored in a versioned encoding and read back as it was, never parsed again), or a part
/// of a body the parser set aside.
public struct InboundEvent: Sendable, Equatable {
    /// What the record holds.
    public enum Content: Sendable, Equatable, Codable {
        /// An event, as the parser typed it.
        case event(WebhookEvent)
        /// A part of a body that was not an event, and why.
        case ignored(IgnoredItem)
    }

    /// Unique per event: `mid:<mid>`, or page, user, timestamp and kind for events without one.
    public var dedupeKey: String
    public var thread: ThreadKey
    /// The event's own timestamp (ms; untrusted).
    public var timestamp: Int64
    public var content: Content
    /// The event object as received (compact JSON), for logs and echo matching.
    public var rawJSON: String

    /// `messaging` or `standby`; nil for an ignored part.
    public var channel: WebhookChannel? {
        if case .event(let event) = content { return event.channel }
        return nil
    }

    /// The event's kind, or `ignored`.
    public var kind: EventTag {
        if case .event(let event) = content { return event.kind.tag }
        return .ignored
    }

    /// The parsed event, unless the record is an ignored part.
    public var event: WebhookEvent? {
        if case .event(let event) = content { return event }
        return nil
    }

    /// The inbox record of a parsed event.
    public init(_ event: WebhookEvent) {
        self.dedupeKey = event.dedupeKey
        self.thread = event.thread
        self.timestamp = event.timestamp
        self.content = .event(event)
        self.rawJSON = event.rawJSON
    }

    /// A record as storage holds it.
    public init(dedupeKey: String, thread: ThreadKey, timestamp: Int64, content: Content, rawJSON: String) {
        self.dedupeKey = dedupeKey
        self.thread = thread
        self.timestamp = timestamp
        self.content = content
        self.rawJSON = rawJSON
    }

    /// The inbox record of a part the parser set aside, under a key of its own.
    public init(ignored item: IgnoredItem, dedupeKey: String, timestamp: Int64) {
        self.dedupeKey = dedupeKey
        self.thread = ThreadKey(page: item.page ?? PageID("0"), user: UserID(""))
        self.timestamp = timestamp
        self.content = .ignored(item)
        self.rawJSON = item.rawJSON
    }
}

/// An inbox event with its storage id (arrival order).
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var event: InboundEvent
    /// When (ms, this machine's clock) the event was recorded.
    public var receivedAt: Int64?
    public init(id: Int64, event: InboundEvent, receivedAt: Int64? = nil) {
        (self.id, self.event, self.receivedAt) = (id, event, receivedAt)
    }
}

/// How many times processing of one event began, durably counted before it runs.
public struct ProcessingAttempts: Sendable, Equatable {
    /// Processing began this many times (1 the first time). More means a process died
    /// while it handled the event.
    public var processing: Int
    /// Skills began handling the event this many times.
    public var skills: Int
    public init(processing: Int, skills: Int) {
        self.processing = processing
        self.skills = skills
    }
}

/// An event set aside because processing it kept killing the process.
public struct QuarantinedEvent: Sendable, Equatable {
    public var eventID: Int64
    public var thread: ThreadKey
    public var dedupeKey: String
    public var kind: EventTag
    public var timestamp: Int64
    /// Processing attempts that began before it was set aside.
    public var attempts: Int
    /// When (ms) it was set aside.
    public var quarantinedAt: Int64
    /// What Baton did instead (the decision line).
    public var outcome: String
    /// What Baton did instead, as a value.
    public var decision: DecisionOutcome?
}

/// The result of processing one event, committed atomically: the event is marked done,
/// the thread state saved and the planned Graph calls queued in the outbox.
public struct ProcessingStep: Sendable, Equatable {
    public var eventID: Int64
    public var state: ThreadState
    /// What Baton decided (its ``DecisionOutcome/description`` is the line `baton demo` shows).
    public var outcome: DecisionOutcome
    public var actions: [PlannedAction]
    /// Whether the event is set aside (quarantined) instead of processed normally.
    public var quarantined: Bool
    public init(
        eventID: Int64, state: ThreadState, outcome: DecisionOutcome, actions: [PlannedAction], quarantined: Bool = false
    ) {
        self.eventID = eventID
        self.state = state
        self.outcome = outcome
        self.actions = actions
        self.quarantined = quarantined
    }
}

/// Where an outbox item stands.
public enum OutboxStatus: String, Sendable, Codable {
    /// Not yet carried out (or to be retried).
    case pending
    /// Carried out.
    case done
    /// Given up on: listed and counted as a dead letter.
    case dead
    /// Not carried out on purpose (for example: another app owns the thread now).
    case skipped
}

/// A planned Graph call.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var thread: ThreadKey
    public var eventID: Int64
    public var action: PlannedAction
    /// Sent as the message `metadata` so the echo (or a conversation read) confirms it.
    public var idempotencyKey: String
    public var status: OutboxStatus
    public var attempts: Int
    public var lastError: String?
    /// When (ms, wall clock) the latest attempt began; set on a pending item, it means the
    /// call may have reached Meta before the process stopped.
    public var attemptStartedAt: Int64?
    /// When (ms, wall clock) the item was queued.
    public var createdAt: Int64?
    /// Not to be tried before this time (ms, wall clock): a deferred item (a refused
    /// escalation pass waiting for its next try).
    public var notBefore: Int64?
    public init(
        id: Int64, thread: ThreadKey, eventID: Int64, action: PlannedAction, idempotencyKey: String,
        status: OutboxStatus, attempts: Int, lastError: String?, attemptStartedAt: Int64? = nil,
        createdAt: Int64? = nil, notBefore: Int64? = nil
    ) {
        self.createdAt = createdAt
        self.notBefore = notBefore
        self.id = id
        self.thread = thread
        self.eventID = eventID
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.attemptStartedAt = attemptStartedAt
    }
}

/// One processed event and what Baton decided, for timelines and tests.
public struct DecisionRecord: Sendable, Equatable {
    public var eventID: Int64
    public var thread: ThreadKey
    /// The event's kind (`ignored` for a part of a body that was not an event).
    public var kind: EventTag
    /// `messaging` or `standby`; nil for an ignored part.
    public var channel: WebhookChannel?
    public var timestamp: Int64
    /// The decision's line, as stored.
    public var outcome: String
    /// The decision as a value (nil for events decided by a Baton older than schema 6).
    public var decision: DecisionOutcome?
}

/// Totals for metrics.
public struct StoreCounters: Sendable, Equatable {
    public var inboxTotal: Int
    public var inboxPending: Int
    public var outboxPending: Int
    public var outboxDone: Int
    public var outboxDead: Int
    public var outboxSkipped: Int
}

/// What storage holds that is not finished: unprocessed events, unfinished Graph calls,
/// and the dead letters.
public struct StoreBacklog: Sendable, Equatable {
    public var inboxPending: Int
    public var outboxPending: Int
    public var outboxDead: Int
    /// Events set aside (quarantined).
    public var inboxQuarantined: Int
    /// Deferred Graph calls: escalation passes waiting for their next try.
    public var outboxDeferred: Int
    public init(inboxPending: Int, outboxPending: Int, outboxDead: Int, inboxQuarantined: Int = 0, outboxDeferred: Int = 0) {
        self.inboxPending = inboxPending
        self.outboxPending = outboxPending
        self.outboxDead = outboxDead
        self.inboxQuarantined = inboxQuarantined
        self.outboxDeferred = outboxDeferred
    }
}
