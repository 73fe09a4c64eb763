extension MessengerSimulator {
    /// Creates a user of a Page and returns a fresh, unique 16-digit PSID.
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - name: An optional display name (split into first and last name for the User Profile API).
    /// - Returns: The PSID.
    public func createUser(page: String, name: String? = nil) -> String {
        createUser(page: page, profile: UserProfileFields(name: name))
    }

    /// Creates a user of a Page with the profile fields of your choice (the rest is generated) and
    /// returns a fresh, unique 16-digit PSID.
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - profile: What the User Profile API should answer.
    /// - Returns: The PSID.
    public func createUser(page: String, profile: UserProfileFields) -> String {
        var psid: String
        repeat {
            psid = String(Int.random(in: 1...9, using: &rng)) + rng.token(15, alphabet: "0123456789")
        } while threads[psid] != nil
        ensureThread(psid: psid, page: page, profile: profile)
        return psid
    }

    /// Registers a user with a PSID of your choice (e.g. the fixtures' PSIDs); no-op if it exists.
    /// - Parameters:
    ///   - psid: The PSID.
    ///   - page: The Page ID.
    ///   - name: An optional display name.
    public func addUser(psid: String, page: String, name: String? = nil) {
        ensureThread(psid: psid, page: page, profile: UserProfileFields(name: name))
    }

    /// Registers a user with a PSID and profile fields of your choice; no-op if it exists.
    /// - Parameters:
    ///   - psid: The PSID.
    ///   - page: The Page ID.
    ///   - profile: What the User Profile API should answer (the rest is generated).
    public func addUser(psid: String, page: String, profile: UserProfileFields) {
        ensureThread(psid: psid, page: page, profile: profile)
    }

    /// The user sends a text message. Returns once the webhooks are queued for delivery.
    /// - Parameters:
    ///   - text: The text.
    ///   - page: The Page ID.
    ///   - user: The PSID (registered on that Page if unknown).
    /// - Returns: The message id.
    @discardableResult
    public func userSends(text: String, page: String, user: String) async -> String {
        userInput(page: page, psid: user, input: UserInput(mid: newMID(), text: text))
    }

    /// The user taps a quick reply.
    /// - Parameters:
    ///   - text: The quick reply's title (sent as the text).
    ///   - quickReplyPayload: Its payload.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The message id.
    @discardableResult
    public func userSends(text: String, quickReplyPayload: String, page: String, user: String) async -> String {
        userInput(page: page, psid: user, input: UserInput(mid: newMID(), text: text, quickReplyPayload: quickReplyPayload))
    }

    /// The user taps a postback button. Apps on `standby` get the postback without its payload.
    /// - Parameters:
    ///   - title: The button title.
    ///   - payload: The button payload.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The postback's mid.
    @discardableResult
    public func userPostback(title: String, payload: String, page: String, user: String) async -> String {
        userInput(page: page, psid: user, input: UserInput(mid: newMID(), postbackTitle: title, postbackPayload: payload))
    }

    /// The user sends an attachment (image, audio, video, file).
    /// - Parameters:
    ///   - type: The attachment type.
    ///   - url: Its URL.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The message id.
    @discardableResult
    public func userSendsAttachment(type: String, url: String, page: String, user: String) async -> String {
        userInput(page: page, psid: user, input: UserInput(mid: newMID(), attachmentType: type, attachmentURL: url))
    }

    /// Records a user input, opens the messaging window, and fans the webhook out.
    func userInput(page: String, psid: String, input: UserInput) -> String {
        ensureThread(psid: psid, page: page)
        let page = threads[psid]?.page ?? page
        lapseIfExpired(psid)
        let timestamp = eventStamp()
        threads[psid]?.lastUserMessageAt = timestamp
        touch(psid)
        let isPostback = input.postbackPayload != nil
        record(psid, kind: isPostback ? .userPostback : .userMessage, timestamp: timestamp, user: input)
        if !isPostback {
            threads[psid]?.messages.append(.init(mid: input.mid, text: input.text ?? "", createdAt: timestamp, appID: nil))
        }

        let event: JSONValue
        var standbyEvent: JSONValue?
        if isPostback {
            let full = JSONValue.obj([
                ("mid", .string(input.mid)), ("title", input.postbackTitle.map(JSONValue.string)),
                ("payload", input.postbackPayload.map(JSONValue.string)),
            ])
            let bare = JSONValue.obj([("mid", .string(input.mid)), ("title", input.postbackTitle.map(JSONValue.string))])
            event = makeEvent(sender: psid, recipient: page, timestamp: timestamp, key: "postback", body: full)
            standbyEvent = makeEvent(sender: psid, recipient: page, timestamp: timestamp, key: "postback", body: bare)
        } else {
            let attachments: JSONValue? = input.attachmentType.map { type in
                .array([.obj([("type", .string(type)), ("payload", .obj([("url", input.attachmentURL.map(JSONValue.string))]))])])
            }
            let message = JSONValue.obj([
                ("mid", .string(input.mid)),
                ("text", input.text.map(JSONValue.string)),
                ("quick_reply", input.quickReplyPayload.map { .obj([("payload", .string($0))]) }),
                ("attachments", attachments),
            ])
            event = makeEvent(sender: psid, recipient: page, timestamp: timestamp, key: "message", body: message)
        }
        fanOut(
            page: page, event: event, standbyEvent: standbyEvent, field: isPostback ? "messaging_postbacks" : "messages",
            messagingApps: messagingAudience(of: psid))
        return input.mid
    }

    // MARK: The scripted human agent (acts as the Page Inbox by default)

    /// The human agent replies from the Page Inbox. If the agent's app does not own the thread it takes
    /// control first, like the real Inbox (the previous owner gets `take_thread_control`; with knob
    /// `inboxRepliesAsEchoesOnly` on a Page without a default app it takes silently, so the bot sees
    /// only the echo). Within 24 h of
    /// the user's last message the send is `RESPONSE`, later `MESSAGE_TAG`/`HUMAN_AGENT` (up to 7 days).
    /// - Parameters:
    ///   - text: The reply.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The message id.
    @discardableResult
    public func agentReplies(text: String, page: String, user: String) async throws -> String {
        guard threads[user]?.page == page else { throw SimulatorError.unknownUser(user) }
        let agent = configuration.effectiveAgentAppID
        lapseIfExpired(user)
        let sinceUser = threads[user]?.lastUserMessageAt.map { clock.now - $0 } ?? .max
        let day: Int64 = 24 * 3600 * 1000
        guard sinceUser <= 7 * day else {
            throw SimulatorError.refused(refuse(.outsideWindow, psid: user, app: agent, endpoint: "messages"))
        }
        if threads[user]?.owner != agent {
            if knobs.inboxRepliesAsEchoesOnly, configuration.defaultOwnerAppID == nil {
                // Zero-config Page: the Inbox becomes the owner silently; the bot sees only the echo.
                changeOwner(user, to: agent, action: .take, by: agent, metadata: nil)
            } else {
                take(psid: user, page: page, caller: agent, metadata: nil)
            }
        }
        let withinDay = sinceUser <= day
        let message = JSONValue.obj([("text", .string(text))])
        return deliverSend(
            psid: user, page: page, app: agent, message: message,
            messagingType: withinDay ? "RESPONSE" : "MESSAGE_TAG", tag: withinDay ? nil : "HUMAN_AGENT", threadControl: nil
        )
    }

    /// The agent takes control (a thread moved to the Inbox's main folder), even from another owner.
    /// - Parameters:
    ///   - metadata: Optional metadata for the `take_thread_control` event.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    public func agentTakesControl(metadata: String? = nil, page: String, user: String) async throws {
        guard threads[user]?.page == page else { throw SimulatorError.unknownUser(user) }
        lapseIfExpired(user)
        let agent = configuration.effectiveAgentAppID
        guard threads[user]?.owner != agent else { return }
        take(psid: user, page: page, caller: agent, metadata: metadata)
    }

    /// The agent passes control (the Inbox's "Done"), under the same rules as `pass_thread_control`.
    /// - Parameters:
    ///   - appID: The target app; `nil` means the default app.
    ///   - metadata: Optional metadata.
    ///   - page: The Page ID.
    ///   - user: The PSID.
    public func agentPassesControl(to appID: String?, metadata: String?, page: String, user: String) async throws {
        guard threads[user]?.page == page else { throw SimulatorError.unknownUser(user) }
        var params: [String: JSONValue] = ["recipient": .obj([("id", .string(user))])]
        if let appID { params["target_app_id"] = .string(appID) }
        if let metadata { params["metadata"] = .string(metadata) }
        do {
            _ = try passThreadControl(caller: configuration.effectiveAgentAppID, page: page, params: params)
        } catch {
            throw SimulatorError.refused(error)
        }
    }
}
