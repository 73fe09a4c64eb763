/// Codable in snake_case (YAML/JSON friendly); durations are seconds as numbers; every field but
/// `pages` and `apps` may be left out.
extension SimulatorConfiguration: Codable {
    private enum CodingKeys: String, CodingKey {
        case pages, apps, knobs
        case defaultOwnerAppID = "default_owner_app_id"
        case pageInboxAppID = "page_inbox_app_id"
        case agentAppID = "agent_app_id"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case clockStartMilliseconds = "clock_start_ms"
    }

    /// Decodes a configuration.
    /// - Parameter decoder: The decoder.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            pages: try c.decode([Page].self, forKey: .pages),
            apps: try c.decodeIfPresent([App].self, forKey: .apps) ?? [],
            defaultOwnerAppID: try c.decodeIfPresent(String.self, forKey: .defaultOwnerAppID),
            pageInboxAppID: try c.decodeIfPresent(String.self, forKey: .pageInboxAppID) ?? "263902037430900",
            agentAppID: try c.decodeIfPresent(String.self, forKey: .agentAppID),
            idleTimeout: .secondsValue(try c.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds) ?? 86_400),
            knobs: try c.decodeIfPresent(Knobs.self, forKey: .knobs) ?? Knobs(),
            clockStartMilliseconds: try c.decodeIfPresent(Int64.self, forKey: .clockStartMilliseconds)
        )
    }

    /// Encodes the configuration.
    /// - Parameter encoder: The encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pages, forKey: .pages)
        try c.encode(apps, forKey: .apps)
        try c.encodeIfPresent(defaultOwnerAppID, forKey: .defaultOwnerAppID)
        try c.encode(pageInboxAppID, forKey: .pageInboxAppID)
        try c.encodeIfPresent(agentAppID, forKey: .agentAppID)
        try c.encode(idleTimeout.secondsValue, forKey: .idleTimeoutSeconds)
        try c.encode(knobs, forKey: .knobs)
        try c.encodeIfPresent(clockStartMilliseconds, forKey: .clockStartMilliseconds)
    }
}

extension SimulatorConfiguration.Knobs: Codable {
    private enum CodingKeys: String, CodingKey {
        case maxEventsPerDelivery = "max_events_per_delivery"
        case batchWindowSeconds = "batch_window_seconds"
        case duplicateDeliveryRate = "duplicate_delivery_rate"
        case reorderWithinBatch = "reorder_within_batch"
        case transientSendFailureRate = "transient_send_failure_rate"
        case transientFailureCodes = "transient_failure_codes"
        case maxDeliveryAttempts = "max_delivery_attempts"
        case initialRedeliveryBackoffSeconds = "initial_redelivery_backoff_seconds"
        case maxRedeliveryBackoffSeconds = "max_redelivery_backoff_seconds"
        case deliveryTimeoutSeconds = "delivery_timeout_seconds"
        case seed
    }

    /// Decodes knobs; missing fields keep their defaults.
    /// - Parameter decoder: The decoder.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        func seconds(_ key: CodingKeys, _ fallback: Duration) throws -> Duration {
            try c.decodeIfPresent(Double.self, forKey: key).map(Duration.secondsValue) ?? fallback
        }
        self.init(
            maxEventsPerDelivery: try c.decodeIfPresent(Int.self, forKey: .maxEventsPerDelivery) ?? d.maxEventsPerDelivery,
            batchWindow: try seconds(.batchWindowSeconds, d.batchWindow),
            duplicateDeliveryRate: try c.decodeIfPresent(Double.self, forKey: .duplicateDeliveryRate) ?? 0,
            reorderWithinBatch: try c.decodeIfPresent(Bool.self, forKey: .reorderWithinBatch) ?? false,
            transientSendFailureRate: try c.decodeIfPresent(Double.self, forKey: .transientSendFailureRate) ?? 0,
            transientFailureCodes: try c.decodeIfPresent([Int].self, forKey: .transientFailureCodes) ?? d.transientFailureCodes,
            maxDeliveryAttempts: try c.decodeIfPresent(Int.self, forKey: .maxDeliveryAttempts),
            initialRedeliveryBackoff: try seconds(.initialRedeliveryBackoffSeconds, d.initialRedeliveryBackoff),
            maxRedeliveryBackoff: try seconds(.maxRedeliveryBackoffSeconds, d.maxRedeliveryBackoff),
            deliveryTimeout: try seconds(.deliveryTimeoutSeconds, d.deliveryTimeout),
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        )
    }

    /// Encodes the knobs.
    /// - Parameter encoder: The encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxEventsPerDelivery, forKey: .maxEventsPerDelivery)
        try c.encode(batchWindow.secondsValue, forKey: .batchWindowSeconds)
        try c.encode(duplicateDeliveryRate, forKey: .duplicateDeliveryRate)
        try c.encode(reorderWithinBatch, forKey: .reorderWithinBatch)
        try c.encode(transientSendFailureRate, forKey: .transientSendFailureRate)
        try c.encode(transientFailureCodes, forKey: .transientFailureCodes)
        try c.encodeIfPresent(maxDeliveryAttempts, forKey: .maxDeliveryAttempts)
        try c.encode(initialRedeliveryBackoff.secondsValue, forKey: .initialRedeliveryBackoffSeconds)
        try c.encode(maxRedeliveryBackoff.secondsValue, forKey: .maxRedeliveryBackoffSeconds)
        try c.encode(deliveryTimeout.secondsValue, forKey: .deliveryTimeoutSeconds)
        try c.encode(seed, forKey: .seed)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var secondsValue: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }

    /// A duration from seconds as a floating-point number.
    static func secondsValue(_ value: Double) -> Duration { .milliseconds(Int64((value * 1000).rounded())) }
}
