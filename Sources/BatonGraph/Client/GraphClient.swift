import AsyncHTTPClient
import BatonCore
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Calls the Graph API: the Send API, thread control, thread owner and conversation reads.
///
/// Every call carries the Page token as `access_token` and its `appsecret_proof`, has its own
/// timeout, and fails with a classified ``GraphError``. Tokens and proofs are never logged.
public final class GraphClient: Sendable {
    /// The largest response body read.
    static let maximumResponseBytes = 4 << 20

    /// Where and how to call.
    public let configuration: GraphConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: The base URL, app secret and timeout.
    ///   - httpClient: The HTTP client to use; the caller owns its lifecycle.
    ///   - logger: Where calls are logged (method, path, status, fbtrace id; never tokens).
    public init(configuration: GraphConfiguration, httpClient: HTTPClient, logger: Logger) {
        (self.configuration, self.httpClient, self.logger) = (configuration, httpClient, logger)
    }

    /// The `appsecret_proof` of a token: lowercase hex HMAC-SHA256 of the token, keyed with the app secret.
    /// - Parameters:
    ///   - accessToken: The access token sent with the call.
    ///   - appSecret: The app secret.
    /// - Returns: 64 lowercase hex digits.
    public static func appSecretProof(accessToken: String, appSecret: String) -> String {
        let key = SymmetricKey(data: Data(appSecret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Data(accessToken.utf8), using: key)
        return Hex.encode(code)
    }

    /// Sends one request and returns the status and body of a 2xx answer.
    /// - Throws: ``GraphError`` for any other answer, a network failure or a timeout.
    func perform(_ request: GraphRequest, page: PageID, token: String) async throws(GraphError) -> (
        status: Int, body: [UInt8]
    ) {
        let proof = Self.appSecretProof(accessToken: token, appSecret: configuration.appSecret)
        let secrets = [token, proof]
        var http = HTTPClientRequest(
            url: request.url(baseURL: configuration.baseURL, accessToken: token, appSecretProof: proof))
        http.method = request.method == .post ? .POST : .GET
        http.headers.add(name: "Accept", value: "application/json")
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(string: body))
        }
        var metadata: Logger.Metadata = [
            "graph.operation": "\(request.operation)", "graph.method": "\(request.method.rawValue)",
            "graph.path": "\(request.path)", "graph.page": "\(page.rawValue)",
        ]
        let started = ContinuousClock.now
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(http, timeout: Self.timeAmount(configuration.timeout))
            status = Int(response.status.code)
            headers = response.headers
            let buffer = try await response.body.collect(upTo: Self.maximumResponseBytes)
            body = Array(buffer.readableBytesView)
        } catch {
            let failure = transportError(error).redacting(secrets)
            metadata["graph.error"] = "\(failure)"
            logger.warning("Graph API call failed", metadata: metadata)
            throw failure
        }
        metadata["graph.status"] = "\(status)"
        metadata["graph.duration"] = "\(ContinuousClock.now - started)"
        if (200..<300).contains(status), !Self.hasErrorEnvelope(body) {
            logger.debug("Graph API call succeeded", metadata: metadata)
            return (status, body)
        }
        let failure = GraphError.fromResponse(
            httpStatus: status, headers: headers.map { (name: $0.name, value: $0.value) }, body: body
        ).redacting(secrets)
        metadata["graph.error"] = "\(failure)"
        logger.warning("Graph API call returned an error", metadata: metadata)
        throw failure
    }

    /// Whether a 2xx body still holds `{"error":{...}}`.
    private static func hasErrorEnvelope(_ body: [UInt8]) -> Bool {
        body.count < 64 * 1024 && (try? JSONDecoder().decode(GraphErrorEnvelope.self, from: Data(body))) != nil
    }

    /// A network-level failure as a ``GraphError`` (classification `.network`).
    private func transportError(_ error: any Error) -> GraphError {
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            return GraphError(classification: .network, message: "request timed out after \(configuration.timeout)")
        }
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return GraphError(classification: .network, message: "request cancelled")
        }
        if let error = error as? NIOTooManyBytesError {
            return GraphError(
                classification: .unknown,
                message: "response body larger than \(error.maxBytes.map(String.init) ?? "the limit") bytes")
        }
        return GraphError(classification: .network, message: "network error: \(String(describing: error))")
    }

    /// A `Duration` as NIO's `TimeAmount`.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow else { return .seconds(max(0, seconds)) }
        return .nanoseconds(max(0, nanoseconds.partialValue + attoseconds / 1_000_000_000))
    }
}
