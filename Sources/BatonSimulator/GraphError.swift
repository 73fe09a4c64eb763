/// A Graph API error as the simulator returns it: Meta's envelope
/// `{"error":{"message","type","code","error_subcode"?,"is_transient"?,"fbtrace_id"}}`.
public struct GraphError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status (400 for nearly everything, 500 for code 2).
    public var status: Int
    /// The error code.
    public var code: Int
    /// The error subcode, when Meta documents one.
    public var subcode: Int?
    /// The message.
    public var message: String
    /// The error type (`OAuthException` like Meta's Messenger errors).
    public var type: String
    /// Whether the error says the call may be retried.
    public var isTransient: Bool

    /// Creates an error.
    /// - Parameters:
    ///   - status: HTTP status.
    ///   - code: Error code.
    ///   - subcode: Error subcode.
    ///   - message: Message.
    ///   - type: Error type.
    ///   - isTransient: Whether it may be retried.
    public init(status: Int = 400, code: Int, subcode: Int? = nil, message: String, type: String = "OAuthException", isTransient: Bool = false) {
        self.status = status
        self.code = code
        self.subcode = subcode
        self.message = message
        self.type = type
        self.isTransient = isTransient
    }

    /// One line naming the code and the message.
    public var description: String {
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

extension GraphError {
    /// 190: the access token is not a configured Page token.
    static let invalidToken = GraphError(code: 190, message: "Invalid OAuth access token - Cannot parse access token")
    /// 100: `appsecret_proof` missing or matching no configured app.
    static let invalidProof = GraphError(code: 100, message: "Invalid appsecret_proof provided in the API argument", type: "GraphMethodException")
    /// 100/2018001: unknown PSID.
    static let noMatchingUser = GraphError(code: 100, subcode: 2018001, message: "(#100) No matching user found")
    /// 10/2018300: another app owns the thread (wording of the fixture).
    static let anotherAppControls = GraphError(code: 10, subcode: 2018300, message: "(#10) Message failed to send because another app is controlling this thread now.")
    /// 10/2018278: outside the messaging window.
    static let outsideWindow = GraphError(code: 10, subcode: 2018278, message: "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview")
    /// 803/404-style unknown path.
    static let unknownPath = GraphError(code: 100, message: "(#100) Unknown path components", type: "GraphMethodException")

    /// 200: the app's "take control of conversations" permission is off (Page Settings, Advanced Messaging).
    static let noTakePermission = GraphError(
        code: 200, message: "(#200) Permissions error: this app is not allowed to take control of conversations on this Page")
    /// 10: `request_thread_control` on a Page with a default app (wording partly invented: CR-2024 quotes
    /// only "Handover Protocol APIs disabled for this page.").
    static let requestNeedsNoDefaultApp = GraphError(
        code: 10,
        message: "(#10) Handover Protocol APIs disabled for this page. request_thread_control is only available on Pages without a default app.")

    /// 100: an invalid parameter, with a message naming it.
    static func invalidParameter(_ detail: String) -> GraphError {
        GraphError(code: 100, message: "(#100) \(detail)")
    }

    /// 10: a thread control call the caller may not make (wording invented: Meta documents none).
    static func controlRefused(_ detail: String) -> GraphError {
        GraphError(code: 10, message: "(#10) \(detail)")
    }

    /// A transient failure with the fixture wording of `code`.
    static func transient(code: Int) -> GraphError {
        switch code {
        case 2:
            return GraphError(status: 500, code: 2, message: "An unexpected error has occurred. Please retry your request later.", isTransient: true)
        case 613:
            return GraphError(code: 613, message: "(#613) Calls to this api have exceeded the rate limit.", isTransient: true)
        case 4:
            return GraphError(code: 4, message: "(#4) Application request limit reached", isTransient: true)
        case 32:
            return GraphError(code: 32, message: "(#32) Page request limit reached", isTransient: true)
        case 1200:
            return GraphError(code: 1200, message: "(#1200) Temporary send message failure. Please try again later.", isTransient: true)
        default:
            return GraphError(code: code, message: "(#\(code)) Temporary failure. Please try again later.", isTransient: true)
        }
    }
}
