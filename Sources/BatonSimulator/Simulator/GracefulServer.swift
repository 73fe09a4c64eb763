import Logging
import ServiceLifecycle

/// A server (a Hummingbird application) run as a service and stopped by graceful shutdown, never
/// by cancelling its task: a cancelled server can drop a connection it accepted but had not
/// handed over yet, and SwiftNIO then traps ("Deinited NIOAsyncWriter without calling finish()",
/// swift-nio#3481). Used by the simulator and by the tests' loopback servers.
public struct GracefulServer: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts running `service`.
    /// - Parameters:
    ///   - service: the server.
    ///   - logger: the service group's logger.
    ///   - onEnd: called once the server stopped, with the error it stopped on, if any.
    public init(_ service: some Service, logger: Logger, onEnd: @escaping @Sendable ((any Error)?) -> Void = { _ in }) {
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        self.group = group
        task = Task {
            do {
                try await group.run()
                onEnd(nil)
            } catch {
                onEnd(error)
                throw error
            }
        }
    }

    /// Shuts the server down gracefully and waits until it is down. Requests still running after
    /// `grace` (answers held back on purpose, a test's answer that never comes) are cancelled then:
    /// the listener is closed by that time, so no connection can be caught half accepted.
    /// - Parameter grace: how long running requests may take to finish.
    public func stop(cancellingAfter grace: Duration = .seconds(1)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        await withTaskGroup(of: Void.self) { waits in
            waits.addTask { _ = try? await task.value }
            waits.addTask {
                try? await Task.sleep(for: grace)
                task.cancel()
            }
            await waits.next()
            waits.cancelAll()
        }
        _ = try? await task.value
    }
}
