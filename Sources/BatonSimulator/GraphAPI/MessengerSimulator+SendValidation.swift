extension MessengerSimulator {
    /// A Send API message call that passed validation.
    struct SendRequest {
        var message: JSONValue
        var messagingType: String
        var tag: String?
        /// A Send-API `thread_control`: `pass` (with its target) or `release`.
        var control: (type: String, target: String?)?
    }

    /// The name of a sender action sent alone (`typing_on`, `typing_off`, `mark_seen`).
    static func senderActionName(_ action: JSONValue, params: [String: JSONValue]) throws(SimulatedGraphError) -> String {
        guard params["message"] == nil, params["thread_control"] == nil else {
            throw .invalidParameter("sender_action must be sent alone, without message")
        }
        guard let name = action.string, ["typing_on", "typing_off", "mark_seen"].contains(name) else {
            throw .invalidParameter("param sender_action must be one of {typing_on, typing_off, mark_seen}")
        }
        return name
    }

    /// Checks `message`, `messaging_type`, `tag` and `thread_control` of a Send API call.
    func validateSend(_ params: [String: JSONValue], caller: String) throws(SimulatedGraphError) -> SendRequest {
        guard let message = params["message"], case .object = message else {
            throw .invalidParameter("Must send either message or sender_action")
        }
        guard let messagingType = params["messaging_type"]?.string else { throw .invalidParameter("param messaging_type is required") }
        guard ["RESPONSE", "UPDATE", "MESSAGE_TAG"].contains(messagingType) else {
            throw .invalidParameter("param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
        }
        let tag = params["tag"]?.string
        if messagingType == "MESSAGE_TAG" {
            guard let tag else { throw .invalidParameter("param tag is required when messaging_type is MESSAGE_TAG") }
            guard ["HUMAN_AGENT", "CUSTOMER_FEEDBACK"].contains(tag) else { throw .invalidParameter("param tag \(tag) is not supported") }
        }
        try Self.validateMessageBody(message)
        return SendRequest(message: message, messagingType: messagingType, tag: tag, control: try threadControl(params, caller: caller))
    }

    /// Exactly one of text or attachment, and the length limits.
    static func validateMessageBody(_ message: JSONValue) throws(SimulatedGraphError) {
        let text = message["text"]?.string
        guard (text != nil) != (message["attachment"] != nil) else {
            throw .invalidParameter("param message must have exactly one of text or attachment")
        }
        if let text, text.count > maxTextLength {
            throw .invalidParameter("Length of param message[text] must be less than or equal to \(maxTextLength)")
        }
        if let replies = message["quick_replies"], (replies.array?.count ?? .max) > maxQuickReplies {
            throw .invalidParameter("param message[quick_replies] must be an array of at most \(maxQuickReplies) elements")
        }
        if let metadata = message["metadata"]?.string, metadata.count > maxMetadataLength {
            throw .invalidParameter("Length of param message[metadata] must be less than or equal to \(maxMetadataLength)")
        }
    }

    /// The Send-API `thread_control`, if any.
    private func threadControl(_ params: [String: JSONValue], caller: String) throws(SimulatedGraphError) -> (type: String, target: String?)? {
        guard let threadControl = params["thread_control"] else { return nil }
        switch threadControl["control_type"]?.string {
        case "pass":
            let target = threadControl["app_id"]?.stringOrNumber ?? configuration.defaultOwnerAppID
            try checkPassTarget(target, caller: caller)
            return ("pass", target)
        case "release":
            return ("release", nil)
        default:
            throw .invalidParameter("param thread_control[control_type] must be one of {pass, release}")
        }
    }
}
