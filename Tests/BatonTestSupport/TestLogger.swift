import Foundation
import Logging

/// A quiet logger for tests: only critical lines, unless `BATON_TEST_LOG` names a level
/// (`BATON_TEST_LOG=debug swift test ...`).
/// - Parameter label: the logger's label.
public func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["BATON_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}
