import BatonCore

/// One Graph API call, before the access token and `appsecret_proof` are added.
struct GraphRequest: Sendable, Equatable {
    /// `GET` or `POST`.
    enum Method: String, Sendable { case get = "GET", post = "POST" }

    /// The HTTP method.
    var method: Method
    /// The path below the base URL, starting with `/`, already percent-encoded.
    var path: String
    /// Query parameters other than `access_token` and `appsecret_proof`, in order.
    var query: [(name: String, value: String)]
    /// The JSON body of a POST.
    var body: String?
    /// A short name for logs, e.g. `send` or `pass_thread_control`.
    var operation: String

    static func == (lhs: GraphRequest, rhs: GraphRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body && lhs.operation == rhs.operation
            && lhs.query.map(\.name) == rhs.query.map(\.name) && lhs.query.map(\.value) == rhs.query.map(\.value)
    }

    /// The full URL: base, path, then the query with `access_token` and `appsecret_proof` last.
    func url(baseURL: String, accessToken: String, appSecretProof: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let parameters = query + [("access_token", accessToken), ("appsecret_proof", appSecretProof)]
        let encoded = parameters.map { "\(Self.percentEncode($0.name))=\(Self.percentEncode($0.value))" }
        return base + path + "?" + encoded.joined(separator: "&")
    }

    /// Percent-encodes everything but the RFC 3986 unreserved characters.
    static func percentEncode(_ value: String) -> String {
        var output: [UInt8] = []
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                Hex.append(byte, to: &output, uppercase: true)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
