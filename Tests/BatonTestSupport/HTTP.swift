import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The HTTP methods tests send.
public enum HTTPVerb: String, Sendable {
    /// `GET`.
    case GET
    /// `POST`.
    case POST
    /// `DELETE`.
    case DELETE
}

/// A whole HTTP answer: status and body text.
public struct HTTPAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The body as UTF-8 text.
    public var body: String
}

/// Sends one request (over loopback, in tests) and reads the whole answer.
/// - Parameters:
///   - method: `.GET`, `.POST`...
///   - url: the full URL.
///   - headers: request headers, in order.
///   - body: the request body, if any.
///   - timeout: how long the whole exchange may take.
public func http(
    _ method: HTTPVerb, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
    timeout: Duration = .seconds(30)
) async throws -> HTTPAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = HTTPMethod(rawValue: method.rawValue)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .init(timeout))
    let buffer = try await response.body.collect(upTo: 10 << 20)
    return HTTPAnswer(status: Int(response.status.code), body: String(buffer: buffer))
}
