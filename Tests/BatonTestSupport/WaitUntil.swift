/// Polls `condition` every 20 ms until it holds.
///
/// Tests wait on what they expect to happen, never for a fixed time: this is the one deadline
/// loop they share.
/// - Parameters:
///   - what: what the condition means, for the failure message ("the reply arrived").
///   - timeout: how long to wait before giving up.
///   - isolation: the caller's actor, so `condition` may read its state.
///   - condition: true once the awaited thing happened.
/// - Throws: ``TestSupportError`` after `timeout`, naming `what`; whatever `condition` throws.
public func waitUntil(
    _ what: String = "the condition held", timeout: Duration = .seconds(30),
    isolation: isolated (any Actor)? = #isolation, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestSupportError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
