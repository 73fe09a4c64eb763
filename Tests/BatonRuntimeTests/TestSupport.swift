import AsyncHTTPClient
import BatonCore
import BatonRuntime
import BatonTesting
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Where `swift build` put the example skills: beside the running test bundle.
enum BuildProducts {
    static var folder: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }
    static func library(_ name: String) -> String { folder + "/lib\(name).so" }
}

/// The messenger fixtures shipped in Tests/Fixtures/messenger.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/messenger")
    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(name)) as? [String: Any] ?? [:]
    }
}

/// A quiet logger for tests.
func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["BATON_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

/// A minimal HTTP answer.
struct HTTPAnswer {
    var status: Int
    var body: String
}

/// Sends one request over loopback.
/// The HTTP methods tests use.
enum Method {
    case GET, POST
    var nio: HTTPMethod { self == .GET ? .GET : .POST }
}

func http(
    _ method: Method, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil
) async throws -> HTTPAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = method.nio
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let buffer = try await response.body.collect(upTo: 10 << 20)
    return HTTPAnswer(status: Int(response.status.code), body: String(buffer: buffer))
}

/// Runs `body` against a runtime with no skills whose Graph URL points nowhere (intake
/// only), on SQLite in a temporary folder; `body` gets the server and its base URL.
///
/// - Parameters:
///   - pageID: the one configured page; events for other pages are recorded, and their
///     replies end at once as dead letters with no network involved.
func withIntakeServer(
    secret: String, verifyToken: String = "v", pageID: String = "109876543210987", maxBody: Int = 1 << 20,
    configure: (inout BatonConfiguration) -> Void = { _ in },
    _ body: (BatonServer, String) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-intake-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var messenger = BatonConfiguration.Messenger(appID: "712345678901234", appSecret: secret, verifyToken: verifyToken)
    messenger.graphAPIURL = "http://127.0.0.1:9"
    messenger.pages = [.init(id: PageID(pageID), name: "Page", accessToken: "token")]
    var configuration = BatonConfiguration(messenger: messenger)
    configuration.server.port = 0
    configuration.server.maxBodyBytes = maxBody
    configuration.storage.url = "sqlite:\(folder)/baton.sqlite"
    configure(&configuration)
    let server = try await BatonServer(configuration: configuration, logger: testLogger())
    let task = Task { try await server.run(signals: []) }
    let port = await server.port
    do {
        try await body(server, "http://127.0.0.1:\(port)")
    } catch {
        await server.shutdown()
        _ = try? await task.value
        throw error
    }
    await server.shutdown()
    try await task.value
}

/// Polls `condition` every 20 ms until it holds; throws after `timeout`, naming `what`.
func waitUntil(
    _ what: String = "the condition held", timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw HarnessError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
