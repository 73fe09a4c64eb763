extension SimulatorConfiguration {
    /// Fault injection and webhook delivery tuning. Every random choice comes from one RNG seeded with `seed`.
    /// The defaults model a well-behaved platform; each "unkind" behaviour of Meta is off until set here or
    /// at run time (``MessengerSimulator`` setters, `POST /control/faults`).
    public struct Knobs: Sendable, Hashable {
        /// Most events (entries) in one webhook POST; 1 means no batching.
        public var maxEventsPerDelivery: Int
        /// How long a delivery waits for more events before POSTing a batch (only when batching).
        public var batchWindow: Duration
        /// Probability (0...1) that an acknowledged body is delivered once more, byte for byte, at once.
        public var duplicateDeliveryRate: Double
        /// Shuffle the entries inside a batched POST (timestamps stay those of the events).
        public var reorderWithinBatch: Bool
        /// Probability (0...1) that a Send API call fails with a transient error before doing anything.
        public var transientSendFailureRate: Double
        /// Error codes a transient failure picks from (1200, 2, 613 by default).
        public var transientFailureCodes: [Int]
        /// Delivery attempts per body before it is dropped; `nil` retries for ever.
        public var maxDeliveryAttempts: Int?
        /// First redelivery delay; doubles each attempt up to `maxRedeliveryBackoff`.
        public var initialRedeliveryBackoff: Duration
        /// Ceiling of the redelivery delay (1 s by default, so tests stay fast).
        public var maxRedeliveryBackoff: Duration
        /// A delivery not answered within this time counts as failed and is retried.
        public var deliveryTimeout: Duration
        /// Seed of the deterministic RNG.
        public var seed: UInt64
        /// Probability (0...1) that a body is held back for `lateDeliveryDelay` while later bodies go
        /// first: reordering across POSTs.
        public var holdBackRate: Double
        /// Probability (0...1) that an acknowledged body is delivered again after `lateDeliveryDelay`,
        /// after other bodies (a late duplicate, same bytes and signature).
        public var lateRedeliveryRate: Double
        /// How long a held-back body or a late duplicate waits.
        public var lateDeliveryDelay: Duration
        /// Probability (0...1) that an event reuses the previous event's timestamp (same millisecond).
        public var sameMillisecondRate: Double
        /// Apps whose "take control of conversations" permission is off: their `take_thread_control`
        /// is refused with code 200.
        public var appsWithoutTakePermission: Set<String>
        /// Refuse `request_thread_control` on a Page with a default app (Conversation Routing documents
        /// the request API only for Pages without one). Off by default.
        public var requestControlOnlyWithoutDefaultApp: Bool
        /// On a Page without a default app, the Inbox agent's reply reaches the bot only as an echo with
        /// the Inbox's `app_id`: the Inbox becomes the owner silently, with no take webhook.
        public var inboxRepliesAsEchoesOnly: Bool
        /// Graph calls whose change is applied at once but whose HTTP answer comes only after the delay,
        /// by endpoint (`messages`, `pass_thread_control`, `take_thread_control`,
        /// `request_thread_control`, `release_thread_control`, `extend_thread_control`,
        /// `message_attachments`; `*`: all of them).
        public var lateAnswerDelays: [String: Duration]

        /// Creates knobs; the defaults model a well-behaved platform.
        /// - Parameters:
        ///   - maxEventsPerDelivery: Most events per POST.
        ///   - batchWindow: Gathering time for a batch.
        ///   - duplicateDeliveryRate: Duplicate probability.
        ///   - reorderWithinBatch: Shuffle entries in a batch.
        ///   - transientSendFailureRate: Transient Send API failure probability.
        ///   - transientFailureCodes: Codes for transient failures.
        ///   - maxDeliveryAttempts: Attempts before dropping a body (`nil`: unbounded).
        ///   - initialRedeliveryBackoff: First retry delay.
        ///   - maxRedeliveryBackoff: Retry delay ceiling.
        ///   - deliveryTimeout: Per-attempt timeout.
        ///   - seed: RNG seed.
        ///   - holdBackRate: Probability a body is delivered after later ones.
        ///   - lateRedeliveryRate: Probability of a late duplicate.
        ///   - lateDeliveryDelay: Delay of held-back bodies and late duplicates.
        ///   - sameMillisecondRate: Probability an event reuses the previous timestamp.
        ///   - appsWithoutTakePermission: Apps that may not take control.
        ///   - requestControlOnlyWithoutDefaultApp: Refuse `request_thread_control` with a default app.
        ///   - inboxRepliesAsEchoesOnly: Inbox replies without take webhook (no default app).
        ///   - lateAnswerDelays: Answer delays by endpoint.
        public init(
            maxEventsPerDelivery: Int = 1,
            batchWindow: Duration = .milliseconds(50),
            duplicateDeliveryRate: Double = 0,
            reorderWithinBatch: Bool = false,
            transientSendFailureRate: Double = 0,
            transientFailureCodes: [Int] = [1200, 2, 613],
            maxDeliveryAttempts: Int? = nil,
            initialRedeliveryBackoff: Duration = .milliseconds(20),
            maxRedeliveryBackoff: Duration = .seconds(1),
            deliveryTimeout: Duration = .seconds(10),
            seed: UInt64 = 0x5EED,
            holdBackRate: Double = 0,
            lateRedeliveryRate: Double = 0,
            lateDeliveryDelay: Duration = .milliseconds(250),
            sameMillisecondRate: Double = 0,
            appsWithoutTakePermission: Set<String> = [],
            requestControlOnlyWithoutDefaultApp: Bool = false,
            inboxRepliesAsEchoesOnly: Bool = false,
            lateAnswerDelays: [String: Duration] = [:]
        ) {
            self.maxEventsPerDelivery = maxEventsPerDelivery
            self.batchWindow = batchWindow
            self.duplicateDeliveryRate = duplicateDeliveryRate
            self.reorderWithinBatch = reorderWithinBatch
            self.transientSendFailureRate = transientSendFailureRate
            self.transientFailureCodes = transientFailureCodes
            self.maxDeliveryAttempts = maxDeliveryAttempts
            self.initialRedeliveryBackoff = initialRedeliveryBackoff
            self.maxRedeliveryBackoff = maxRedeliveryBackoff
            self.deliveryTimeout = deliveryTimeout
            self.seed = seed
            self.holdBackRate = holdBackRate
            self.lateRedeliveryRate = lateRedeliveryRate
            self.lateDeliveryDelay = lateDeliveryDelay
            self.sameMillisecondRate = sameMillisecondRate
            self.appsWithoutTakePermission = appsWithoutTakePermission
            self.requestControlOnlyWithoutDefaultApp = requestControlOnlyWithoutDefaultApp
            self.inboxRepliesAsEchoesOnly = inboxRepliesAsEchoesOnly
            self.lateAnswerDelays = lateAnswerDelays
        }

        /// The endpoints whose answers `lateAnswerDelays` can delay (`*` stands for all of them).
        public static let lateAnswerEndpoints: Set<String> = [
            "messages", "pass_thread_control", "take_thread_control", "request_thread_control",
            "release_thread_control", "extend_thread_control", "message_attachments",
        ]
    }
}
