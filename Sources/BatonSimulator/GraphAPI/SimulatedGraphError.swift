/// A Graph API error as the simulator returns it: Meta's envelope
/// `{"error":{"message","type","code","error_subcode"?,"is_transient"?,"fbtrace_id"}}`.
/// Not the client's `BatonGraph.GraphError`: this one is what the stand-in answers, and it
/// reaches callers of the simulator only as the cause of a ``SimulatorError``.
struct SimulatedGraphError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status (400 for nearly everything, 500 for code 2).
    var status: Int
    /// The error code.
    var code: Int
    /// The error subcode, when Meta documents one.
    var subcode: Int?
    /// The message.
    var message: String
    /// The error type (`OAuthException` like Meta's Messenger errors).
    var type: String
    /// Whether the error says the call may be retried.
    var isTransient: Bool

    /// Creates an error.
    /// - Parameters:
    ///   - status: HTTP status.
    ///   - code: Error code.
    ///   - subcode: Error subcode.
    ///   - message: Message.
    ///   - type: Error type.
    ///   - isTransient: Whether it may be retried.
    init(status: Int = 400, code: Int, subcode: Int? = nil, message: String, type: String = "OAuthException", isTransient: Bool = false) {
        self.status = status
        self.code = code
        self.subcode = subcode
        self.message = message
        self.type = type
        self.isTransient = isTransient
    }

    /// One line naming the code and the message.
    var description: String {
        "Graph error \(code)\(subcode.map { "/\($0)" } ?? ""): \(message)"
    }

    /// The JSON envelope.
    func envelope(traceID: String) -> JSONValue {
        .obj([
            ("error", .obj([
                ("message", .string(message)),
                ("type", .string(type)),
                ("code", .int(Int64(code))),
                ("error_subcode", subcode.map { .int(Int64($0)) }),
                ("is_transient", isTransient ? .bool(true) : nil),
                ("fbtrace_id", .string(traceID)),
            ])),
        ])
    }
}

extension SimulatedGraphError {
    /// 190: the access token is not a configured Page token.
    static let invalidToken = SimulatedGraphError(code: 190, message: "Invalid OAuth access token - Cannot parse access token")
    /// 100: `appsecret_proof` missing or matching no configured app.
    static let invalidProof = SimulatedGraphError(code: 100, message: "Invalid appsecret_proof provided in the API argument", type: "GraphMethodException")
    /// 100/2018001: unknown PSID.
    static let noMatchingUser = SimulatedGraphError(code: 100, subcode: 2018001, message: "(#100) No matching user found")
    /// 10/2018300: another app owns the thread (wording of the fixture).
    static let anotherAppControls = SimulatedGraphError(code: 10, subcode: 2018300, message: "(#10) Message failed to send because another app is controlling this thread now.")
    /// 10/2018278: outside the messaging window.
    static let outsideWindow = SimulatedGraphError(code: 10, subcode: 2018278, message: "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview")
    /// 803/404-style unknown path.
    static let unknownPath = SimulatedGraphError(code: 100, message: "(#100) Unknown path components", type: "GraphMethodException")

    /// 200: the app's "take control of conversations" permission is off (Page Settings, Advanced Messaging).
    static let noTakePermission = SimulatedGraphError(
        code: 200, message: "(#200) Permissions error: this app is not allowed to take control of conversations on this Page")
    /// 10: `request_thread_control` on a Page with a default app (wording partly invented: CR-2024 quotes
    /// only "Handover Protocol APIs disabled for this page.").
    static let requestNeedsNoDefaultApp = SimulatedGraphError(
        code: 10,
        message: "(#10) Handover Protocol APIs disabled for this page. request_thread_control is only available on Pages without a default app.")

    /// 100/2018074: an `attachment_id` that is unknown, forgotten, expired, another Page's or app's, or
    /// (not reusable) already sent to someone else (Send API error table).
    static let invalidAttachment = SimulatedGraphError(
        code: 100, subcode: 2018074, message: "(#100) Possible invalid ID or you do not own the attachment.")
    /// 100/2018008: an attachment URL the platform cannot fetch (not http or https).
    static let attachmentFetchFailed = SimulatedGraphError(
        code: 100, subcode: 2018008,
        message: "(#100) Failed to fetch the file from the url. Check that the URL is valid, with a valid SSL certificate, valid file size, and that the server is responding fast enough to avoid timeouts.")

    /// 100/33: `GET /{id}` of an object that does not exist or that this token may not see.
    static func unsupportedGet(_ id: String) -> SimulatedGraphError {
        unsupported("get", id)
    }

    /// 100/33: `POST`/`DELETE` on an object that does not exist or that this token may not see.
    static func unsupportedRequest(_ method: String, _ id: String) -> SimulatedGraphError {
        unsupported(method.lowercased(), id)
    }

    private static func unsupported(_ verb: String, _ id: String) -> SimulatedGraphError {
        SimulatedGraphError(
            code: 100, subcode: 33,
            message: "Unsupported \(verb) request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            type: "GraphMethodException")
    }

    /// 100: an invalid parameter, with a message naming it.
    static func invalidParameter(_ detail: String) -> SimulatedGraphError {
        SimulatedGraphError(code: 100, message: "(#100) \(detail)")
    }

    /// 10: a thread control call the caller may not make (wording invented: Meta documents none).
    static func controlRefused(_ detail: String) -> SimulatedGraphError {
        SimulatedGraphError(code: 10, message: "(#10) \(detail)")
    }

    /// A transient failure with the fixture wording of `code`.
    static func transient(code: Int) -> SimulatedGraphError {
        switch code {
        case 2:
            return SimulatedGraphError(status: 500, code: 2, message: "An unexpected error has occurred. Please retry your request later.", isTransient: true)
        case 613:
            return SimulatedGraphError(code: 613, message: "(#613) Calls to this api have exceeded the rate limit.", isTransient: true)
        case 4:
            return SimulatedGraphError(code: 4, message: "(#4) Application request limit reached", isTransient: true)
        case 32:
            return SimulatedGraphError(code: 32, message: "(#32) Page request limit reached", isTransient: true)
        case 1200:
            return SimulatedGraphError(code: 1200, message: "(#1200) Temporary send message failure. Please try again later.", isTransient: true)
        default:
            return SimulatedGraphError(code: code, message: "(#\(code)) Temporary failure. Please try again later.", isTransient: true)
        }
    }
}
