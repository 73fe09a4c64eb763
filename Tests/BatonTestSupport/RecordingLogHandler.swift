import Logging
import Synchronization

/// Log lines captured by ``RecordingLogHandler``.
public final class LogRecords: Sendable {
    /// One captured line.
    public struct Entry: Sendable, Equatable {
        /// The line's level.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The logger's and the line's metadata, rendered.
        public var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    /// Creates an empty record.
    public init() {}

    /// Everything captured so far.
    public var all: [Entry] { entries.withLock { $0 } }

    /// Every line rendered as `level message [key=value, ...]` (keys sorted), to search for text.
    public var lines: [String] {
        all.map { entry in
            "\(entry.level) \(entry.message) \(entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
        }
    }

    /// Keeps one line.
    /// - Parameter entry: the line.
    public func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    /// A logger whose every line, at every level, lands here.
    /// - Parameter label: the logger's label.
    public func logger(_ label: String = "test.recording") -> Logger {
        Logger(label: label) { _ in RecordingLogHandler(records: self) }
    }
}

/// A real swift-log handler that keeps every line in memory.
public struct RecordingLogHandler: LogHandler {
    /// Where the lines go.
    public let records: LogRecords
    /// The logger's own metadata.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level kept (all of them by default).
    public var logLevel: Logger.Level = .trace

    /// - Parameter records: where the lines go.
    public init(records: LogRecords) { self.records = records }

    /// One metadata value of the logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Keeps the line with the logger's metadata merged under the line's own.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        records.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
