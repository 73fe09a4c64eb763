import Foundation

/// `{"error":{message,type,code,error_subcode?,fbtrace_id,is_transient?}}`.
struct GraphErrorEnvelope: Decodable {
    struct Body: Decodable {
        var message: String?
        var type: String?
        var code: GraphFlexibleInt?
        var error_subcode: GraphFlexibleInt?
        var fbtrace_id: String?
        var is_transient: GraphFlexibleBool?
    }

    var error: Body
}

extension GraphError {
    /// Reads a Graph error response: the envelope when there is one, the HTTP status otherwise.
    /// - Parameters:
    ///   - httpStatus: The HTTP status.
    ///   - headers: The response headers (names compared case-insensitively).
    ///   - body: The response body.
    /// - Returns: The error, classified; `retryAfter` from ``retryAfter(headers:)``.
    public static func fromResponse(httpStatus: Int, headers: [(name: String, value: String)], body: [UInt8])
        -> GraphError
    {
        let retryAfter = Self.retryAfter(headers: headers)
        guard let envelope = try? JSONDecoder().decode(GraphErrorEnvelope.self, from: Data(body)) else {
            return GraphError(
                httpStatus: httpStatus, code: nil, message: "HTTP \(httpStatus) without a Graph error envelope",
                retryAfter: retryAfter)
        }
        let error = envelope.error
        return GraphError(
            httpStatus: httpStatus, code: error.code.map { Int(clamping: $0.value) },
            subcode: error.error_subcode.map { Int(clamping: $0.value) }, type: error.type,
            message: error.message ?? "Graph API error without a message", fbtraceID: error.fbtrace_id,
            isTransientFlag: error.is_transient?.value, retryAfter: retryAfter)
    }

    /// The advised wait: `Retry-After` in seconds, else the largest
    /// `estimated_time_to_regain_access` (minutes) of `X-Business-Use-Case-Usage`.
    /// - Parameter headers: The response headers.
    /// - Returns: The wait, or nil when no header gives a positive one.
    public static func retryAfter(headers: [(name: String, value: String)]) -> Duration? {
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.trimmingCharacters(in: .whitespaces)
        }
        if let value = header("retry-after"), let seconds = Int64(value), seconds > 0 {
            return .seconds(min(seconds, 86_400))
        }
        guard let value = header("x-business-use-case-usage"),
            let usage = try? JSONDecoder().decode([String: [BusinessUseCaseUsage]].self, from: Data(value.utf8))
        else { return nil }
        let minutes = usage.values.flatMap { $0 }.compactMap { $0.estimated_time_to_regain_access?.value }.max() ?? 0
        return minutes > 0 ? .seconds(min(minutes, 1_440) * 60) : nil
    }
}

/// One element of `X-Business-Use-Case-Usage`.
struct BusinessUseCaseUsage: Decodable {
    var type: String?
    var estimated_time_to_regain_access: GraphFlexibleInt?
}
