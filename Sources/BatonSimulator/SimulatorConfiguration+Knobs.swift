extension SimulatorConfiguration {
    /// Fault injection and webhook delivery tuning. Every random choice comes from one RNG seeded with `seed`.
    public struct Knobs: Sendable, Hashable {
        /// Most events (entries) in one webhook POST; 1 means no batching.
        public var maxEventsPerDelivery: Int
        /// How long a delivery waits for more events before POSTing a batch (only when batching).
        public var batchWindow: Duration
        /// Probability (0...1) that an acknowledged body is delivered once more, byte for byte.
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
            seed: UInt64 = 0x5EED
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
        }
    }
}
