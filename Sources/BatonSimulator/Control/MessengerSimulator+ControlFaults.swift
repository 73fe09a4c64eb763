/// The control API for the fault knobs, permissions, late answers, Page throttles and the call log.
extension MessengerSimulator {
    static let rateKeys = ["transient_send_failure_rate", "duplicate_delivery_rate", "hold_back_rate", "late_redelivery_rate", "same_millisecond_rate"]
    static let flagKeys = ["request_control_only_without_default_app", "inbox_replies_as_echoes_only"]

    /// `POST /control/faults`: any of the rate knobs (0...1), `late_delivery_delay_seconds` (≥ 0) and the
    /// two flags; all are checked before any is applied. Answers with the live knobs.
    func controlFaults(_ body: JSONValue) -> SimulatorResponse {
        guard case .object(let members) = body, !members.isEmpty else { return .error("give at least one knob", status: 400) }
        for member in members {
            if Self.rateKeys.contains(member.key) {
                guard let rate = Self.number(member.value), (0...1).contains(rate) else {
                    return .error("\(member.key) must be a number in 0...1", status: 400)
                }
            } else if Self.flagKeys.contains(member.key) {
                guard case .bool = member.value else { return .error("\(member.key) must be true or false", status: 400) }
            } else if member.key == "late_delivery_delay_seconds" {
                guard let seconds = Self.number(member.value), seconds >= 0, seconds <= 3600 else {
                    return .error("late_delivery_delay_seconds must be a number in 0...3600", status: 400)
                }
            } else {
                return .error("unknown knob \(member.key)", status: 400)
            }
        }
        for member in members { applyFault(member.key, member.value) }
        return .encoded(knobs)
    }

    private func applyFault(_ key: String, _ value: JSONValue) {
        let number = Self.number(value) ?? 0
        let flag: Bool = { if case .bool(let b) = value { return b } else { return false } }()
        switch key {
        case "transient_send_failure_rate": setTransientSendFailureRate(number)
        case "duplicate_delivery_rate": knobs.duplicateDeliveryRate = Self.probability(number)
        case "hold_back_rate": setHoldBackRate(number)
        case "late_redelivery_rate": setLateRedeliveryRate(number)
        case "same_millisecond_rate": setSameMillisecondRate(number)
        case "late_delivery_delay_seconds": setLateDeliveryDelay(.secondsValue(number))
        case "request_control_only_without_default_app": setRequestControlOnlyWithoutDefaultApp(flag)
        case "inbox_replies_as_echoes_only": setInboxRepliesAsEchoesOnly(flag)
        default: break
        }
    }

    /// `POST /control/apps/{id}/permissions` with `{"take_control": false}`.
    func controlPermissions(app: String, body: JSONValue) -> SimulatorResponse {
        guard configuration.knownAppIDs.contains(app) else { return .error("unknown app \(app)", status: 404) }
        guard case .bool(let allowed)? = body["take_control"] else { return .error("take_control must be true or false", status: 400) }
        setTakeControlPermission(allowed, for: app)
        return .json(.obj([("app_id", .string(app)), ("take_control", .bool(allowed))]))
    }

    /// `POST /control/late_answers` with `{"endpoint": "take_thread_control", "seconds": 15}`
    /// (`endpoint` left out: `*`; `seconds` 0 or null: answer at once again).
    func controlLateAnswers(_ body: JSONValue) -> SimulatorResponse {
        let endpoint = body["endpoint"]?.string ?? "*"
        guard endpoint == "*" || SimulatorConfiguration.Knobs.lateAnswerEndpoints.contains(endpoint) else {
            return .error("endpoint must be * or one of \(SimulatorConfiguration.Knobs.lateAnswerEndpoints.sorted())", status: 400)
        }
        let seconds = body["seconds"].flatMap(Self.number) ?? 0
        guard seconds >= 0, seconds <= 3600 else { return .error("seconds must be a number in 0...3600", status: 400) }
        setLateAnswer(.secondsValue(seconds), for: endpoint)
        return .encoded(knobs.lateAnswerDelays.mapValues(\.secondsValue))
    }

    /// `POST /control/pages/{id}/throttle` (`minutes` or `seconds`, `code` 80006|613|32|10, `headers`
    /// usage|retry_after|both), `POST .../throttle/lift` or `DELETE .../throttle`, `GET .../throttle`.
    func controlThrottle(_ method: String, page: String, rest: [String], body: JSONValue) -> SimulatorResponse {
        guard self.page(withID: page) != nil else { return .error("unknown page \(page)", status: 404) }
        switch (method, rest) {
        case ("GET", []):
            break
        case ("POST", ["lift"]), ("DELETE", []):
            liftThrottle(page: page)
        case ("POST", []):
            let minutes = body["minutes"].flatMap(Self.number)
            let seconds = body["seconds"].flatMap(Self.number) ?? minutes.map { $0 * 60 }
            guard let seconds, seconds > 0, seconds <= 1e9 else {
                return .error("give minutes or seconds (a positive number)", status: 400)
            }
            guard let refusal = PageThrottle.Refusal(rawValue: Int(body["code"]?.int ?? 80006)) else {
                return .error("code must be one of 80006, 613, 32, 10", status: 400)
            }
            guard let headers = PageThrottle.Headers(rawValue: body["headers"]?.string ?? "usage") else {
                return .error("headers must be usage, retry_after or both", status: 400)
            }
            throttlePage(page, for: .secondsValue(seconds), refusal: refusal, headers: headers)
        default:
            return .error("unknown control endpoint \(method) /control/pages/\(page)/throttle", status: 404)
        }
        let active = activeThrottle(page)
        return .json(.obj([
            ("page", .string(page)),
            ("active", .bool(active != nil)),
            ("code", active.map { .int(Int64($0.refusal.rawValue)) }),
            ("ends_at_ms", active.map { .int($0.endsAt) }),
            ("refused_calls", .int(Int64(throttledCallCount(page: page)))),
        ]))
    }
}
