import Logging
import Synchronization

/// Sets up swift-log once per process: structured lines on standard error.
enum LoggingBootstrap {
    private static let done = Atomic<Bool>(false)

    static func bootstrap(level: String) {
        guard !done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let level = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
