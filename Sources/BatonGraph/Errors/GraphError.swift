/// A failed Graph API call: Meta's error envelope, an HTTP failure without one, a network
/// failure or a timeout, or a request refused before sending.
///
/// The description is one line and never contains an access token or an `appsecret_proof`.
public struct GraphError: Error, CustomStringConvertible, Equatable {
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// `error.code` of the envelope.
    public var code: Int?
    /// `error.error_subcode` of the envelope.
    public var subcode: Int?
    /// `error.type`, e.g. `OAuthException`.
    public var type: String?
    /// `error.message`, or what went wrong locally. Tokens are redacted.
    public var message: String
    /// `error.fbtrace_id`, for Meta support.
    public var fbtraceID: String?
    /// `error.is_transient`, when Meta sent it.
    public var isTransientFlag: Bool?
    /// How long to wait before retrying, from `Retry-After` or `X-Business-Use-Case-Usage`.
    public var retryAfter: Duration?
    /// What the runtime should make of the error.
    public var classification: Classification

    /// Whether the same call may succeed later: transient, rate-limited and network failures.
    public var isRetryable: Bool { classification.isRetryable }

    /// Creates an error from response fields; ``classification`` is derived with
    /// ``classify(httpStatus:code:subcode:isTransientFlag:retryAfter:)``.
    /// - Parameters:
    ///   - httpStatus: The HTTP status.
    ///   - code: The envelope's code.
    ///   - subcode: The envelope's subcode.
    ///   - type: The envelope's type.
    ///   - message: The envelope's message (tokens are redacted).
    ///   - fbtraceID: The trace id.
    ///   - isTransientFlag: The envelope's `is_transient`.
    ///   - retryAfter: The advised wait.
    public init(
        httpStatus: Int?, code: Int?, subcode: Int? = nil, type: String? = nil, message: String,
        fbtraceID: String? = nil, isTransientFlag: Bool? = nil, retryAfter: Duration? = nil
    ) {
        self.httpStatus = httpStatus
        self.code = code
        self.subcode = subcode
        self.type = type
        self.message = Self.redactingTokens(in: message)
        self.fbtraceID = fbtraceID
        self.isTransientFlag = isTransientFlag
        self.retryAfter = retryAfter
        self.classification = Self.classify(
            httpStatus: httpStatus, code: code, subcode: subcode, isTransientFlag: isTransientFlag,
            retryAfter: retryAfter)
    }

    /// Creates an error with an explicit classification (network failures, local refusals).
    /// - Parameters:
    ///   - classification: What the error means.
    ///   - message: What went wrong (tokens are redacted).
    ///   - httpStatus: The HTTP status, when a response arrived.
    public init(classification: Classification, message: String, httpStatus: Int? = nil) {
        self.init(httpStatus: httpStatus, code: nil, message: message)
        self.classification = classification
    }

    /// `Graph API error <code>/<subcode> (<type>, HTTP <status>) [<classification>]: <message> (fbtrace_id <id>)`.
    public var description: String {
        var parts = "Graph API error"
        if let code { parts += " \(code)" + (subcode.map { "/\($0)" } ?? "") }
        var context: [String] = []
        if let type { context.append(type) }
        if let httpStatus { context.append("HTTP \(httpStatus)") }
        if !context.isEmpty { parts += " (\(context.joined(separator: ", ")))" }
        parts += " [\(classification)]: "
        parts += Self.redactingTokens(in: message).split(whereSeparator: \.isNewline).joined(separator: " ")
        if let fbtraceID { parts += " (fbtrace_id \(fbtraceID))" }
        return parts
    }
}
