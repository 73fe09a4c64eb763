import Logging
import Synchronization

/// Sets up swift-log once per process: structured lines on standard error.
enum LoggingBootstrap {
    private static let done = Atomic<Bool>(false)

    static func bootstrap(level: Logger.Level) {
        guard !done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
