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
        case holdBackRate = "hold_back_rate"
        case lateRedeliveryRate = "late_redelivery_rate"
        case lateDeliveryDelaySeconds = "late_delivery_delay_seconds"
        case sameMillisecondRate = "same_millisecond_rate"
        case appsWithoutTakePermission = "apps_without_take_permission"
        case requestControlOnlyWithoutDefaultApp = "request_control_only_without_default_app"
        case inboxRepliesAsEchoesOnly = "inbox_replies_as_echoes_only"
        case lateAnswerSeconds = "late_answer_seconds"
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
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
            holdBackRate: try c.decodeIfPresent(Double.self, forKey: .holdBackRate) ?? 0,
            lateRedeliveryRate: try c.decodeIfPresent(Double.self, forKey: .lateRedeliveryRate) ?? 0,
            lateDeliveryDelay: try seconds(.lateDeliveryDelaySeconds, d.lateDeliveryDelay),
            sameMillisecondRate: try c.decodeIfPresent(Double.self, forKey: .sameMillisecondRate) ?? 0,
            appsWithoutTakePermission: try c.decodeIfPresent(Set<String>.self, forKey: .appsWithoutTakePermission) ?? [],
            requestControlOnlyWithoutDefaultApp: try c.decodeIfPresent(Bool.self, forKey: .requestControlOnlyWithoutDefaultApp) ?? false,
            inboxRepliesAsEchoesOnly: try c.decodeIfPresent(Bool.self, forKey: .inboxRepliesAsEchoesOnly) ?? false,
            lateAnswerDelays: (try c.decodeIfPresent([String: Double].self, forKey: .lateAnswerSeconds) ?? [:]).mapValues(Duration.secondsValue)
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
        try c.encode(holdBackRate, forKey: .holdBackRate)
        try c.encode(lateRedeliveryRate, forKey: .lateRedeliveryRate)
        try c.encode(lateDeliveryDelay.secondsValue, forKey: .lateDeliveryDelaySeconds)
        try c.encode(sameMillisecondRate, forKey: .sameMillisecondRate)
        try c.encode(appsWithoutTakePermission.sorted(), forKey: .appsWithoutTakePermission)
        try c.encode(requestControlOnlyWithoutDefaultApp, forKey: .requestControlOnlyWithoutDefaultApp)
        try c.encode(inboxRepliesAsEchoesOnly, forKey: .inboxRepliesAsEchoesOnly)
        try c.encode(lateAnswerDelays.mapValues(\.secondsValue), forKey: .lateAnswerSeconds)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var secondsValue: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// The duration in whole milliseconds (saturating).
    var milliseconds: Int64 {
        let (s, atto) = components
        let (ms, overflow) = s.multipliedReportingOverflow(by: 1000)
        if overflow { return s < 0 ? .min : .max }
        let (sum, overflow2) = ms.addingReportingOverflow(atto / 1_000_000_000_000_000)
        return overflow2 ? (ms < 0 ? .min : .max) : sum
    }

    /// A duration from seconds as a floating-point number; NaN is 0 and the value is clamped to
    /// ±10^12 s, so input from outside cannot trap.
    static func secondsValue(_ value: Double) -> Duration {
        guard value.isFinite else { return .zero }
        let clamped = min(max(value, -1e12), 1e12)
        return .milliseconds(Int64((clamped * 1000).rounded()))
    }
}
