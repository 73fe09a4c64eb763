import BatonCore
import BatonRuntime
import BatonTestSupport
import Foundation

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
    var messenger = BatonConfiguration.Messenger(appID: "712345678901234", appSecret: secret, verifyToken: verifyToken)
    messenger.graphAPIURL = "http://127.0.0.1:9"
    messenger.pages = [.init(id: PageID(pageID), name: "Page", accessToken: "token")]
    var configuration = BatonConfiguration(messenger: messenger)
    configuration.server.maxBodyBytes = maxBody
    configure(&configuration)
    try await withServer(configuration, body)
}

/// Runs `body` against a real runtime with `configuration`, listening on a port the kernel
/// picks and storing in SQLite in a temporary folder; shuts it down after `body`, also when
/// `body` throws.
func withServer(
    _ configuration: BatonConfiguration, _ body: (BatonServer, String) async throws -> Void
) async throws {
    let folder = try TemporaryDirectory(prefix: "baton-server")
    defer { withExtendedLifetime(folder) {} }
    var configuration = configuration
    configuration.server.port = 0
    configuration.storage.location = .sqlite(path: folder.file("baton.sqlite"))
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
