import BatonCore
import CBatonSkill
import Synchronization

/// The builders of `baton_host`, one method each. They run on the skill's calling
/// thread, copy what they are given, and never trap.
extension CallContext {
    func replyText(_ text: baton_str) -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            guard operation == .respond else {
                return state.refuse(BATON_E_STATE, "reply_text is only valid in respond")
            }
            guard state.outcome.body == nil else {
                return state.refuse(BATON_E_STATE, "a reply was already set")
            }
            switch BatonStr.decode(text, maxScalars: Int(BATON_LIMIT_TEXT_CHARS)) {
            case .failure(.nullPointer):
                return state.refuse(BATON_E_INVALID_ARGUMENT, "reply text pointer is NULL")
            case .failure(.invalidUTF8):
                return state.refuse(BATON_E_INVALID_UTF8, "reply is not valid UTF-8")
            case .failure(.tooLong):
                return state.refuse(BATON_E_LIMIT, "reply text is longer than \(BATON_LIMIT_TEXT_CHARS) characters")
            case .success(let copy):
                guard !copy.isEmpty else { return state.refuse(BATON_E_LIMIT, "reply text is empty") }
                state.outcome.body = .text(copy)
                return BATON_OK
            }
        }
    }

    func quickReply(title: baton_str, payload: baton_str) -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            guard operation == .respond else {
                return state.refuse(BATON_E_STATE, "reply_quick_reply is only valid in respond")
            }
            guard state.outcome.quickReplies.count < Int(BATON_LIMIT_QUICK_REPLIES) else {
                return state.refuse(BATON_E_LIMIT, "more than \(BATON_LIMIT_QUICK_REPLIES) quick replies")
            }
            let title = Self.quickReplyPart(title, "title", Int(BATON_LIMIT_QUICK_REPLY_TITLE_CHARS))
            let payload = Self.quickReplyPart(payload, "payload", Int(BATON_LIMIT_QUICK_REPLY_PAYLOAD_CHARS))
            switch (title, payload) {
            case (.success(let title), .success(let payload)):
                state.outcome.quickReplies.append(QuickReply(title: title, payload: payload))
                return BATON_OK
            case (.failure(let refusal), _), (_, .failure(let refusal)):
                return state.refuse(refusal.status, refusal.message)
            }
        }
    }

    private static func quickReplyPart(_ string: baton_str, _ part: String, _ limit: Int) -> Result<String, Refusal> {
        switch BatonStr.decode(string, maxScalars: limit) {
        case .failure(.nullPointer):
            return .failure(Refusal(status: BATON_E_INVALID_ARGUMENT, message: "quick reply \(part) pointer is NULL"))
        case .failure(.invalidUTF8):
            return .failure(Refusal(status: BATON_E_INVALID_UTF8, message: "quick reply is not valid UTF-8"))
        case .failure(.tooLong):
            return .failure(
                Refusal(status: BATON_E_LIMIT, message: "quick reply \(part) is longer than \(limit) characters"))
        case .success(let copy):
            if copy.isEmpty {
                return .failure(Refusal(status: BATON_E_LIMIT, message: "quick reply \(part) is empty"))
            }
            return .success(copy)
        }
    }

    func attachment(json: baton_str) -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            guard operation == .respond else {
                return state.refuse(BATON_E_STATE, "reply_attachment_json is only valid in respond")
            }
            guard state.outcome.body == nil else {
                return state.refuse(BATON_E_STATE, "a reply was already set")
            }
            guard json.len <= UInt(BATON_LIMIT_ATTACHMENT_JSON_BYTES) else {
                return state.refuse(
                    BATON_E_LIMIT, "attachment JSON is larger than \(BATON_LIMIT_ATTACHMENT_JSON_BYTES) bytes")
            }
            switch BatonStr.decode(json, maxScalars: Int(BATON_LIMIT_ATTACHMENT_JSON_BYTES)) {
            case .failure(.nullPointer):
                return state.refuse(BATON_E_INVALID_ARGUMENT, "attachment JSON pointer is NULL")
            case .failure(.invalidUTF8):
                return state.refuse(BATON_E_INVALID_UTF8, "attachment JSON is not valid UTF-8")
            case .failure(.tooLong):
                return state.refuse(
                    BATON_E_LIMIT, "attachment JSON is larger than \(BATON_LIMIT_ATTACHMENT_JSON_BYTES) bytes")
            case .success(let copy):
                guard let attachment = ReplyAttachment(json: copy) else {
                    return state.refuse(
                        BATON_E_INVALID_ARGUMENT, "attachment JSON is not an object with a string \"type\"")
                }
                state.outcome.body = .attachment(attachment)
                return BATON_OK
            }
        }
    }

    func noAnswer() -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            guard operation == .respond else {
                return state.refuse(BATON_E_STATE, "no_answer is only valid in respond")
            }
            guard state.outcome.body == nil else {
                return state.refuse(BATON_E_STATE, "no_answer after a reply was set")
            }
            return BATON_OK
        }
    }

    func setScore(_ score: Double, reason: baton_str) -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            guard operation == .detect else {
                return state.refuse(BATON_E_STATE, "set_score is only valid in detect")
            }
            guard state.outcome.score == nil else {
                return state.refuse(BATON_E_STATE, "a score was already set")
            }
            guard score >= 0, score <= 1 else {
                return state.refuse(BATON_E_INVALID_ARGUMENT, "score \(score) is outside [0, 1]")
            }
            switch BatonStr.decode(reason, maxScalars: Int(BATON_LIMIT_REASON_CHARS)) {
            case .failure(.nullPointer):
                return state.refuse(BATON_E_INVALID_ARGUMENT, "score reason pointer is NULL")
            case .failure(.invalidUTF8):
                return state.refuse(BATON_E_INVALID_UTF8, "score reason is not valid UTF-8")
            case .failure(.tooLong):
                return state.refuse(
                    BATON_E_LIMIT, "score reason is longer than \(BATON_LIMIT_REASON_CHARS) characters")
            case .success(let copy):
                state.outcome.score = score
                state.outcome.reason = copy
                return BATON_OK
            }
        }
    }

    /// Keeps the latest error text; never refuses (an invalid text is repaired).
    func setError(_ message: baton_str) -> Int32 {
        state.withLock { state in
            guard !state.closed else { return BATON_E_STATE }
            let (text, valid) = BatonStr.lossy(message, maxScalars: Int(BATON_LIMIT_ERROR_CHARS))
            state.outcome.error = text
            if message.len > 0 && message.ptr == nil { return BATON_E_INVALID_ARGUMENT }
            return valid ? BATON_OK : BATON_E_INVALID_UTF8
        }
    }

    func inputField(key: baton_str, out: UnsafeMutablePointer<baton_str>?) -> Int32 {
        let closed = state.withLock { $0.closed }
        guard let out else { return BATON_E_INVALID_ARGUMENT }
        out.pointee = baton_str(ptr: nil, len: 0)
        guard !closed, let fields else { return BATON_E_STATE }
        guard
            case .success(let name) = BatonStr.decode(key, maxScalars: 64),
            let value = fields.field(name)
        else { return BATON_E_UNSUPPORTED }
        out.pointee = value
        return BATON_OK
    }
}
